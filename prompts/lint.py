"""``microcoach prompts lint``: every rule a pack must pass, reported all at once."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from prompts.checks import (
    ALLOWED_DOMAINS,
    Finding,
    Located,
    coverage_findings,
    domain_allowed,
    duplicate_ids,
    guidance_findings,
    link_findings,
    links_of,
    near_duplicates,
)
from prompts.library import BUILTIN_PACKS_DIR
from prompts.packfile import pack_files, parse_pack
from prompts.schema import url_problem

__all__ = ["ALLOWED_DOMAINS", "Finding", "format_findings", "lint", "main_lint", "probe_url"]

PROBE_TIMEOUT_SECONDS = 5.0

Probe = Callable[[str], str | None]


def probe_url(url: str) -> str | None:
    """Why ``url`` could not be reached, or None when it answered. Network I/O: online only."""
    headers = {"User-Agent": "microcoach-prompts-lint/1 (+link check)"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_SECONDS):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"HTTP {error.code}"
        except OSError as error:  # URLError, timeouts, refused connections
            return str(getattr(error, "reason", error))
    return "no answer"


def lint(
    dirs: Sequence[Path],
    *,
    online: bool = False,
    allowed_domains: Collection[str] = ALLOWED_DOMAINS,
    probe: Probe = probe_url,
) -> list[Finding]:
    """Check every pack under ``dirs`` together, as the library would load them."""
    findings: list[Finding] = [
        Finding("error", directory, None, "prompt pack directory not found")
        for directory in dirs
        if not directory.is_dir()
    ]
    located: list[Located] = []
    for path in pack_files([directory for directory in dirs if directory.is_dir()]):
        parsed = parse_pack(path)
        findings += [
            Finding("error", path, problem.item_id, problem.message) for problem in parsed.problems
        ]
        located += [Located(path, item) for item in parsed.items]
    findings += duplicate_ids(located)
    findings += near_duplicates(located)
    findings += link_findings(located, allowed_domains)
    findings += coverage_findings([entry.item for entry in located])
    findings += guidance_findings(located)
    if online:
        findings += _reachability(located, allowed_domains, probe)
    return findings


def _reachability(
    located: Sequence[Located], allowed_domains: Collection[str], probe: Probe
) -> list[Finding]:
    answers: dict[str, str | None] = {}
    findings = []
    for entry in located:
        for url in links_of(entry.item):
            if not _checkable(url, allowed_domains):
                continue
            if url not in answers:
                answers[url] = probe(url)
            if answers[url] is not None:
                message = f"{url} unreachable: {answers[url]}"
                findings.append(Finding("warning", entry.path, entry.item.id, message))
    return findings


def _checkable(url: str, allowed_domains: Collection[str]) -> bool:
    """Only links that passed the offline rules are worth a request."""
    return url_problem(url) is None and domain_allowed(url, allowed_domains)


def format_findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "No problems found."
    lines = [
        "  ".join(
            part
            for part in (
                f"{finding.severity:<7}",
                str(finding.file) if finding.file else "",
                finding.item_id or "",
                finding.message,
            )
            if part
        )
        for finding in sorted(findings, key=_order)
    ]
    errors = sum(finding.severity == "error" for finding in findings)
    warnings = len(findings) - errors
    lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(lines)


def _order(finding: Finding) -> tuple[int, str, str]:
    return (finding.severity != "error", str(finding.file or ""), finding.item_id or "")


def main_lint(extra_dirs: Sequence[Path], online: bool) -> int:
    """Lint the built-in packs with ``extra_dirs``; print the findings; 0 when no errors."""
    findings = lint([BUILTIN_PACKS_DIR, *extra_dirs], online=online)
    print(format_findings(findings))
    return 1 if any(finding.severity == "error" for finding in findings) else 0
