"""Every contract variable is read from the environment; a value the program cannot use stops it
at start with a message naming the variable."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

ALL_VARIABLES = [
    "DATABASE_URL", "HOST", "PORT", "LOG_LEVEL", "MICROCOACH_SCHEDULER", "MICROCOACH_ADMINS",
    "MICROCOACH_DEFAULT_TZ", "MICROCOACH_QUIET_WINDOW", "MICROCOACH_SECRET_KEY", "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
    "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppType", "MicrosoftAppTenantId",
    "TEAMS_ALLOW_UNAUTHENTICATED", "TEAMS_OPENID_METADATA_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL",
    "MICROCOACH_LLM_MODEL", "MICROCOACH_LLM_DEFAULT", "MICROCOACH_PROMPTS_DIR",
    "MICROCOACH_GRACE_MINUTES", "MICROCOACH_REMINDER_HOURS", "MICROCOACH_DRAFT_EXPIRY_HOURS",
    "MICROCOACH_LEASE_SECONDS", "MICROCOACH_TICK_SECONDS", "MICROCOACH_LLM_CONCURRENCY", "MICROCOACH_LLM_TIMEOUT",
    "MICROCOACH_LLM_MONTHLY_CAP_USD", "MICROCOACH_LLM_PRICE_IN", "MICROCOACH_LLM_PRICE_OUT",
]

KEY = "2bJ1H3vH0x2oYt6o1W7mV4zPqk2m3nC5fS8dR1tU9wE="
APP = "11111111-2222-3333-4444-555555555555"
TENANT = "66666666-7777-8888-9999-000000000000"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_need_no_configuration() -> None:
    s = load_settings()
    assert s.database_url == "sqlite:///microcoach.db"
    assert (s.host, s.port, s.log_level, s.scheduler) == ("127.0.0.1", 3000, "INFO", "auto")
    assert (s.default_tz, s.quiet_window, s.llm_default) == ("America/New_York", "06:30-20:00", "on")
    assert s.embedded_scheduler and not s.slack_enabled and not s.teams_enabled and not s.llm_configured


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/mc", "postgresql+psycopg://u:p@db:5432/mc"),
        ("postgresql://u@db/mc", "postgresql+psycopg://u@db/mc"),
        ("postgresql+psycopg://u@db/mc", "postgresql+psycopg://u@db/mc"),
        ("sqlite:////var/lib/mc.db", "sqlite:////var/lib/mc.db"),
    ],
)
def test_database_url_accepts_the_forms_hosts_set(monkeypatch: pytest.MonkeyPatch, given: str, expected: str) -> None:
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_settings().database_url == expected


def test_admins_split_at_the_first_colon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCOACH_ADMINS", "slack:U123, teams:29:1abc-def ,playground:u-admin")
    assert load_settings().admins == (("slack", "U123"), ("teams", "29:1abc-def"), ("playground", "u-admin"))


def test_slack_oauth_needs_a_key_to_encrypt_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "1.2")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "cs")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    with pytest.raises(SettingsError, match="^MICROCOACH_SECRET_KEY:"):
        load_settings()


def test_scheduler_auto_is_off_in_serve_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://db/mc")
    assert load_settings().embedded_scheduler is False
    monkeypatch.setenv("MICROCOACH_SCHEDULER", "on")
    assert load_settings().embedded_scheduler is True


def test_every_variable_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    values = {
        "DATABASE_URL": "postgres://db/mc", "HOST": "0.0.0.0", "PORT": "8080", "LOG_LEVEL": "debug",
        "MICROCOACH_SCHEDULER": "off", "MICROCOACH_ADMINS": "slack:U1", "MICROCOACH_DEFAULT_TZ": "Europe/London",
        "MICROCOACH_QUIET_WINDOW": "07:00-19:00", "MICROCOACH_SECRET_KEY": KEY, "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "123.456", "SLACK_CLIENT_SECRET": "cs", "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": "http://127.0.0.1:9/api/", "MicrosoftAppId": APP, "MicrosoftAppPassword": "pw",
        "MicrosoftAppType": "SingleTenant", "MicrosoftAppTenantId": TENANT, "TEAMS_ALLOW_UNAUTHENTICATED": "1",
        "TEAMS_OPENID_METADATA_URL": "http://127.0.0.1:9/openid", "OPENAI_API_KEY": "sk-1",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "MICROCOACH_LLM_MODEL": "m", "MICROCOACH_LLM_DEFAULT": "off",
        "MICROCOACH_PROMPTS_DIR": str(tmp_path), "MICROCOACH_GRACE_MINUTES": "60", "MICROCOACH_REMINDER_HOURS": "12",
        "MICROCOACH_DRAFT_EXPIRY_HOURS": "48", "MICROCOACH_LEASE_SECONDS": "5", "MICROCOACH_TICK_SECONDS": "1",
        "MICROCOACH_LLM_CONCURRENCY": "32", "MICROCOACH_LLM_TIMEOUT": "15", "MICROCOACH_LLM_MONTHLY_CAP_USD": "25",
        "MICROCOACH_LLM_PRICE_IN": "0.5", "MICROCOACH_LLM_PRICE_OUT": "1.5",
    }
    assert set(values) == set(ALL_VARIABLES)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    s = load_settings()
    assert (s.host, s.port, s.log_level, s.scheduler, s.admins) == ("0.0.0.0", 8080, "DEBUG", "off", (("slack", "U1"),))
    assert (s.default_tz, s.quiet_window, s.secret_key) == ("Europe/London", "07:00-19:00", KEY)
    assert (s.slack_bot_token, s.slack_signing_secret, s.slack_client_id, s.slack_client_secret) == ("xoxb-1", "s", "123.456", "cs")
    assert (s.slack_app_token, s.slack_api_url) == ("xapp-1", "http://127.0.0.1:9/api/")
    assert (s.teams_app_id, s.teams_app_password, s.teams_app_type, s.teams_tenant_id) == (APP, "pw", "SingleTenant", TENANT)
    assert (s.teams_allow_unauthenticated, s.teams_openid_metadata_url) == (True, "http://127.0.0.1:9/openid")
    assert (s.openai_api_key, s.openai_base_url, s.llm_model, s.llm_default) == ("sk-1", "http://127.0.0.1:9/v1", "m", "off")
    assert s.prompts_dir == tmp_path
    assert (s.grace_minutes, s.reminder_hours, s.draft_expiry_hours, s.lease_seconds, s.tick_seconds) == (60, 12, 48, 5, 1)
    assert (s.llm_concurrency, s.llm_timeout, s.llm_monthly_cap_usd, s.llm_price_in, s.llm_price_out) == (32, 15, 25, 0.5, 1.5)


BAD_VALUES = [
    ("DATABASE_URL", "mysql://db/mc", {}),
    ("HOST", "", {}),
    ("PORT", "eighty", {}),
    ("PORT", "70000", {}),
    ("LOG_LEVEL", "LOUD", {}),
    ("MICROCOACH_SCHEDULER", "sometimes", {}),
    ("MICROCOACH_ADMINS", "U123", {}),
    ("MICROCOACH_DEFAULT_TZ", "Eastern", {}),
    ("MICROCOACH_QUIET_WINDOW", "20:00-06:30", {}),
    ("MICROCOACH_QUIET_WINDOW", "6.30-20", {}),
    ("MICROCOACH_SECRET_KEY", "not-a-key", {}),
    ("SLACK_SIGNING_SECRET", "", {"SLACK_BOT_TOKEN": "xoxb-1"}),
    ("SLACK_BOT_TOKEN", "xoxp-user-token", {"SLACK_SIGNING_SECRET": "s"}),
    ("SLACK_CLIENT_ID", "my-app", {"SLACK_SIGNING_SECRET": "s", "MICROCOACH_SECRET_KEY": KEY}),
    ("SLACK_CLIENT_SECRET", "", {"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s", "MICROCOACH_SECRET_KEY": KEY}),
    ("SLACK_APP_TOKEN", "xoxb-wrong-kind", {}),
    ("SLACK_API_URL", "slack.com/api", {}),
    ("MicrosoftAppId", "app", {}),
    ("MicrosoftAppPassword", "", {"MicrosoftAppId": APP}),
    ("MicrosoftAppType", "Personal", {}),
    ("MicrosoftAppTenantId", "", {"MicrosoftAppType": "SingleTenant", "MicrosoftAppId": APP, "MicrosoftAppPassword": "p"}),
    ("TEAMS_ALLOW_UNAUTHENTICATED", "perhaps", {}),
    ("TEAMS_OPENID_METADATA_URL", "file:///etc/keys", {}),
    ("OPENAI_API_KEY", " ", {}),
    ("OPENAI_BASE_URL", "localhost:8000", {}),
    ("MICROCOACH_LLM_MODEL", "", {}),
    ("MICROCOACH_LLM_DEFAULT", "maybe", {}),
    ("MICROCOACH_PROMPTS_DIR", "/no/such/dir", {}),
    ("MICROCOACH_GRACE_MINUTES", "-5", {}),
    ("MICROCOACH_REMINDER_HOURS", "0", {}),
    ("MICROCOACH_DRAFT_EXPIRY_HOURS", "soon", {}),
    ("MICROCOACH_LEASE_SECONDS", "0", {}),
    ("MICROCOACH_TICK_SECONDS", "-1", {}),
    ("MICROCOACH_LLM_CONCURRENCY", "0", {}),
    ("MICROCOACH_LLM_TIMEOUT", "forever", {}),
    ("MICROCOACH_LLM_MONTHLY_CAP_USD", "-10", {}),
    ("MICROCOACH_LLM_PRICE_IN", "-1", {}),
    ("MICROCOACH_LLM_PRICE_OUT", "cheap", {}),
]


@pytest.mark.parametrize(("name", "value", "others"), BAD_VALUES, ids=[f"{n}={v!r}" for n, v, _ in BAD_VALUES])
def test_a_bad_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, others: dict[str, str]
) -> None:
    for other, other_value in others.items():
        monkeypatch.setenv(other, other_value)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(name + ":"), str(caught.value)


def test_every_variable_has_a_bad_value_test() -> None:
    assert {name for name, _, _ in BAD_VALUES} == set(ALL_VARIABLES)


def test_a_dot_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    (tmp_path / ".env").write_text("PORT=4100\nMICROCOACH_DEFAULT_TZ=America/Chicago\n")
    s = load_settings()
    assert (s.port, s.default_tz) == (4100, "America/Chicago")
