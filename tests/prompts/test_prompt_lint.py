"""Each lint rule catches a planted bad pack; the built-ins are linted alongside so that only
the planted problem shows."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from prompts.checks import Finding, Located, domain_allowed, near_duplicates
from prompts.library import BUILTIN_PACKS_DIR, YamlPromptLibrary
from prompts.lint import ALLOWED_DOMAINS, format_findings, lint, main_lint
from prompts.schema import PromptItemModel

ItemFactory = Callable[..., dict[str, Any]]
PackWriter = Callable[..., Path]


def lint_with_builtins(extra: Path, **options: Any) -> list[Finding]:
    return lint([BUILTIN_PACKS_DIR, extra], **options)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, format_findings(findings)
    return findings[0]


def test_a_clean_extra_pack_has_no_findings(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(), pack_item(kind="micro-lesson", link="https://www.ascd.org/")])

    assert lint_with_builtins(path.parent) == []


def test_duplicate_id_is_reported_with_both_files(
    tmp_path: Path, pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    first = write_pack([pack_item(id="zz-twin-01")], name="a.yaml")
    second = write_pack([pack_item(id="zz-twin-01")], name="b.yaml")

    finding = only(lint_with_builtins(tmp_path / "extra"))

    assert (finding.severity, finding.file, finding.item_id) == ("error", second, "zz-twin-01")
    assert str(first) in finding.message


def test_near_duplicate_of_a_built_in_text_is_reported(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    original = YamlPromptLibrary.load().get("qt-wait-time-01")
    assert original is not None
    reworded = original.text.replace("Tomorrow", "On Monday")
    path = write_pack([pack_item(id="zz-echo-01", text=reworded)])

    finding = only(lint_with_builtins(path.parent))

    assert (finding.severity, finding.item_id) == ("warning", "zz-echo-01")
    assert "nearly the same as qt-wait-time-01" in finding.message


def test_link_off_the_allow_list_is_an_error(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(kind="micro-lesson", link="https://example.com/lesson")])

    finding = only(lint_with_builtins(path.parent))

    assert finding.severity == "error"
    assert "not on an allow-listed domain" in finding.message


def test_http_link_is_an_error(pack_item: ItemFactory, write_pack: PackWriter) -> None:
    path = write_pack([pack_item(kind="micro-lesson", link="http://www.edutopia.org/")])

    finding = only(lint_with_builtins(path.parent))

    assert finding.severity == "error"
    assert "https" in finding.message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Read http://www.edutopia.org/topic/assessment tonight.", "must use https"),
        ("Read https://example.org/article tonight.", "not on an allow-listed domain"),
        ("Read www.edutopia.org/topic/assessment tonight.", "must use https"),
    ],
)
def test_links_written_into_the_text_are_checked_too(
    pack_item: ItemFactory, write_pack: PackWriter, text: str, problem: str
) -> None:
    path = write_pack([pack_item(text=text)])

    assert problem in only(lint_with_builtins(path.parent)).message


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://edutopia.org/topic", True),
        ("https://www.edutopia.org/topic", True),
        ("https://udlguidelines.cast.org/", True),
        ("https://notedutopia.org/", False),
        ("https://edutopia.org.example.com/", False),
        ("https://harvard.edu/", False),
    ],
)
def test_allow_list_accepts_subdomains_but_not_lookalikes(url: str, allowed: bool) -> None:
    assert domain_allowed(url, ALLOWED_DOMAINS) is allowed


def test_over_long_text_is_an_error(pack_item: ItemFactory, write_pack: PackWriter) -> None:
    path = write_pack([pack_item(id="zz-long-01", text="word " * 130)])

    finding = only(lint_with_builtins(path.parent))

    assert (finding.severity, finding.item_id) == ("error", "zz-long-01")
    assert "text" in finding.message and "600" in finding.message


def test_unknown_key_is_an_error(pack_item: ItemFactory, write_pack: PackWriter) -> None:
    path = write_pack([pack_item(id="zz-extra-key-01", colour="blue")])

    finding = only(lint_with_builtins(path.parent))

    assert (finding.severity, finding.item_id) == ("error", "zz-extra-key-01")
    assert "colour" in finding.message


def test_bad_enum_is_an_error(pack_item: ItemFactory, write_pack: PackWriter) -> None:
    path = write_pack([pack_item(id="zz-bad-level-01", level="advanced")])

    finding = only(lint_with_builtins(path.parent))

    assert (finding.severity, finding.item_id) == ("error", "zz-bad-level-01")
    assert "level" in finding.message


def test_quick_reply_label_over_30_characters_is_an_error(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(quick_replies=["Tried it and would do it again!"])])

    assert "quick_replies" in only(lint_with_builtins(path.parent)).message


def test_every_bad_item_in_a_file_is_reported_not_only_the_first(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(level="advanced"), pack_item(), pack_item(kind="lecture")])

    findings = lint_with_builtins(path.parent)

    assert [finding.item_id for finding in findings] == ["zz-planted-01", "zz-planted-03"]


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("pack:\n  name: [unclosed\n", encoding="utf-8")

    finding = only(lint_with_builtins(tmp_path))

    assert finding.severity == "error"
    assert "not valid YAML at line" in finding.message


def test_a_missing_directory_is_reported(tmp_path: Path) -> None:
    finding = only(lint_with_builtins(tmp_path / "nowhere"))

    assert (finding.severity, finding.file) == ("error", tmp_path / "nowhere")


def test_a_focus_area_with_fewer_than_12_items_is_an_error(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(focus="wellbeing")])

    messages = [finding.message for finding in lint([path.parent]) if finding.severity == "error"]

    assert "focus 'wellbeing' has 1 item; at least 12 are needed" in messages
    assert "focus 'questioning' has 0 items; at least 12 are needed" in messages


def test_a_kind_missing_from_the_whole_library_is_an_error(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(kind="tip")])

    messages = [finding.message for finding in lint([path.parent])]

    assert "no item of kind 'celebration'" in messages
    assert "no item of kind 'tip'" not in messages


def test_a_focus_lacking_a_kind_that_others_have_is_a_warning(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack(
        [pack_item(focus="wellbeing", kind="tip"), pack_item(focus="feedback", kind="celebration")]
    )

    warnings = [finding.message for finding in lint([path.parent]) if finding.severity == "warning"]

    assert sorted(warnings) == [
        "focus 'feedback' has no item of kind 'tip'",
        "focus 'wellbeing' has no item of kind 'celebration'",
    ]


def test_missing_drafter_guidance_is_a_warning(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    bare = pack_item(id="zz-bare-01")
    for field in ("follow_up_questions", "follow_up_material", "rationale"):
        del bare[field]
    path = write_pack([bare])

    findings = lint_with_builtins(path.parent)

    assert len(findings) == 3
    assert {(f.severity, f.item_id) for f in findings} == {("warning", "zz-bare-01")}


def test_offline_lint_never_touches_the_network(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    def refuse(url: str) -> str | None:
        raise AssertionError(f"probed {url} while offline")

    path = write_pack([pack_item(kind="micro-lesson", link="https://www.ascd.org/")])

    assert lint_with_builtins(path.parent, probe=refuse) == []


def test_online_lint_reports_unreachable_links_probing_each_once(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    probed: list[str] = []

    def fake_probe(url: str) -> str | None:
        probed.append(url)
        return "HTTP 404" if url == "https://www.ascd.org/gone" else None

    gone = "https://www.ascd.org/gone"
    path = write_pack(
        [
            pack_item(id="zz-gone-01", kind="micro-lesson", link=gone),
            pack_item(id="zz-gone-02", kind="micro-lesson", link=gone),
        ]
    )

    findings = lint_with_builtins(path.parent, online=True, probe=fake_probe)

    assert [(f.severity, f.item_id) for f in findings] == [
        ("warning", "zz-gone-01"),
        ("warning", "zz-gone-02"),
    ]
    assert "HTTP 404" in findings[0].message
    assert len(probed) == len(set(probed))


def test_near_duplicate_check_scales_to_a_thousand_items() -> None:
    rng = random.Random(11)
    vocabulary = [f"word{n}" for n in range(6000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    located = [
        Located(
            Path("generated.yaml"),
            PromptItemModel.model_validate(
                {
                    "id": f"gen-{n}",
                    "kind": "tip",
                    "focus": "feedback",
                    "level": "developing",
                    "title": "Generated",
                    "text": " ".join(rng.choices(vocabulary, weights, k=60)),
                }
            ),
        )
        for n in range(1000)
    ]
    twin = located[500].item.model_copy(update={"id": "gen-twin"})
    located.append(Located(Path("twin.yaml"), twin))

    started = time.perf_counter()
    findings = near_duplicates(located)
    elapsed = time.perf_counter() - started

    assert [finding.item_id for finding in findings] == ["gen-twin"]
    assert elapsed < 10.0  # a loose bound on a shared machine: it guards against an all-pairs blow-up


def test_format_findings_lists_errors_first_and_counts_them() -> None:
    findings = [
        Finding("warning", Path("b.yaml"), "zz-b", "no rationale for the coach"),
        Finding("error", Path("a.yaml"), "zz-a", "duplicate id"),
    ]

    lines = format_findings(findings).splitlines()

    assert lines[0].startswith("error") and "a.yaml  zz-a  duplicate id" in lines[0]
    assert lines[1].startswith("warning")
    assert lines[-1] == "1 error, 1 warning"


def test_format_findings_says_so_when_there_is_nothing_to_report() -> None:
    assert format_findings([]) == "No problems found."


def test_main_lint_prints_and_returns_zero_for_the_built_ins(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main_lint([], online=False) == 0
    assert capsys.readouterr().out.strip() == "No problems found."


def test_main_lint_returns_one_when_an_extra_pack_has_errors(
    pack_item: ItemFactory, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_pack([pack_item(level="advanced")])

    assert main_lint([path.parent], online=False) == 1
    assert "1 error, 0 warnings" in capsys.readouterr().out
