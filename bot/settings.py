"""One settings object, read from the environment (and an optional ``.env``).

Every variable of the operator contract is here. A value the program cannot use raises
:class:`SettingsError` naming the variable, and the CLI stops with that message.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from datetime import time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated


class SettingsError(ValueError):
    """A configuration value the program cannot use; the message names the variable."""


_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _env(name: str) -> Field:
    return Field(validation_alias=AliasChoices(name))


def normalise_database_url(url: str) -> str:
    """Accept the forms hosting platforms set and pick our psycopg 3 driver for PostgreSQL."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    raise ValueError("use postgresql://…, postgres://…, postgresql+psycopg://… or sqlite:///path")


def parse_window(text: str) -> tuple[time, time]:
    m = _WINDOW.match(text)
    if not m:
        raise ValueError("use HH:MM-HH:MM, like 06:30-20:00")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError("hours run 00–23 and minutes 00–59")
    start, end = time(h1, m1), time(h2, m2)
    if end <= start:
        raise ValueError("the window must end after it starts, within one day")
    return start, end


def _parse_admins(value: object) -> tuple[tuple[str, str], ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = [part for part in str(value).split(",")]
    admins = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        platform, sep, user = item.partition(":")
        if not sep or not user or platform not in ("slack", "teams", "playground"):
            raise ValueError(f"'{item}' is not platform:user_id (slack:U123, teams:29:1abc…)")
        admins.append((platform, user))
    return tuple(admins)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=False
    )

    database_url: str = Field("sqlite:///microcoach.db", validation_alias="DATABASE_URL")
    host: str = Field("127.0.0.1", validation_alias="HOST")
    port: int = Field(3000, ge=1, le=65535, validation_alias="PORT")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    scheduler: Literal["auto", "on", "off"] = Field("auto", validation_alias="MICROCOACH_SCHEDULER")
    admins: Annotated[tuple[tuple[str, str], ...], NoDecode] = Field(
        (), validation_alias="MICROCOACH_ADMINS"
    )
    default_tz: str = Field("America/New_York", validation_alias="MICROCOACH_DEFAULT_TZ")
    quiet_window: str = Field("06:30-20:00", validation_alias="MICROCOACH_QUIET_WINDOW")
    secret_key: str | None = Field(None, validation_alias="MICROCOACH_SECRET_KEY")

    slack_bot_token: str | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_client_id: str | None = Field(None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(None, validation_alias="SLACK_CLIENT_SECRET")
    slack_app_token: str | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")

    teams_app_id: str | None = Field(None, validation_alias="MicrosoftAppId")
    teams_app_password: str | None = Field(None, validation_alias="MicrosoftAppPassword")
    teams_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = Field(
        "MultiTenant", validation_alias="MicrosoftAppType"
    )
    teams_tenant_id: str | None = Field(None, validation_alias="MicrosoftAppTenantId")
    teams_allow_unauthenticated: bool = Field(False, validation_alias="TEAMS_ALLOW_UNAUTHENTICATED")
    teams_openid_metadata_url: str | None = Field(None, validation_alias="TEAMS_OPENID_METADATA_URL")

    openai_api_key: str | None = Field(None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, validation_alias="OPENAI_BASE_URL")
    llm_model: str = Field("gpt-4o-mini", validation_alias="MICROCOACH_LLM_MODEL")
    llm_default: Literal["on", "off"] = Field("on", validation_alias="MICROCOACH_LLM_DEFAULT")
    prompts_dir: Path | None = Field(None, validation_alias="MICROCOACH_PROMPTS_DIR")
    llm_concurrency: int = Field(16, ge=1, le=512, validation_alias="MICROCOACH_LLM_CONCURRENCY")
    llm_timeout: float = Field(20, gt=0, le=300, validation_alias="MICROCOACH_LLM_TIMEOUT")
    llm_monthly_cap_usd: float | None = Field(None, gt=0, validation_alias="MICROCOACH_LLM_MONTHLY_CAP_USD")
    llm_price_in: float = Field(0.15, ge=0, validation_alias="MICROCOACH_LLM_PRICE_IN")
    llm_price_out: float = Field(0.60, ge=0, validation_alias="MICROCOACH_LLM_PRICE_OUT")

    grace_minutes: int = Field(120, ge=0, le=24 * 60, validation_alias="MICROCOACH_GRACE_MINUTES")
    reminder_hours: float = Field(24, gt=0, le=24 * 14, validation_alias="MICROCOACH_REMINDER_HOURS")
    draft_expiry_hours: float = Field(72, gt=0, validation_alias="MICROCOACH_DRAFT_EXPIRY_HOURS")
    lease_seconds: float = Field(120, gt=0, validation_alias="MICROCOACH_LEASE_SECONDS")
    tick_seconds: float = Field(30, gt=0, le=3600, validation_alias="MICROCOACH_TICK_SECONDS")

    @field_validator(
        "slack_bot_token", "slack_signing_secret", "slack_client_id", "slack_client_secret", "slack_app_token",
        "teams_app_id", "teams_app_password", "teams_tenant_id", "openai_api_key", "secret_key",
        "teams_openid_metadata_url", "openai_base_url", mode="before",
    )
    @classmethod
    def _blank(cls, v: object) -> object:
        """An empty value means unset; one of only spaces is a mistake."""
        if isinstance(v, str):
            if v == "":
                return None
            if not v.strip():
                raise ValueError("is only white space")
        return v

    @field_validator("host", "llm_model")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v.strip()

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("xoxb-"):
            raise ValueError("must be a bot token (xoxb-…)")
        return v

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("xapp-"):
            raise ValueError("must be an app-level token (xapp-…) with connections:write")
        return v

    @field_validator("slack_client_id")
    @classmethod
    def _client_id(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d+\.\d+", v):
            raise ValueError("a Slack client id looks like 1234567890.1234567890")
        return v

    @field_validator("teams_app_id", "teams_tenant_id")
    @classmethod
    def _guid(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", v):
            raise ValueError("must be a GUID, like 00000000-0000-0000-0000-000000000000")
        return v

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, v: str) -> str:
        return normalise_database_url(v)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, v: str) -> str:
        if v.upper() not in _LOG_LEVELS:
            raise ValueError(f"use one of {', '.join(_LOG_LEVELS)}")
        return v.upper()

    @field_validator("scheduler", "llm_default", mode="before")
    @classmethod
    def _lower(cls, v: object) -> object:
        return v.lower() if isinstance(v, str) else v

    @field_validator("admins", mode="before")
    @classmethod
    def _admins(cls, v: object) -> tuple[tuple[str, str], ...]:
        return _parse_admins(v)

    @field_validator("default_tz")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{v}' is not an IANA time zone (like America/Chicago)") from None
        return v

    @field_validator("quiet_window")
    @classmethod
    def _window(cls, v: str) -> str:
        parse_window(v)
        return v

    @field_validator("secret_key")
    @classmethod
    def _secret(cls, v: str | None) -> str | None:
        if not v:
            return None
        try:
            raw = base64.urlsafe_b64decode(v.encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError("not a Fernet key; make one with `microcoach secret-key`")
        return v

    @field_validator("slack_api_url", "openai_base_url", "teams_openid_metadata_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is None:
            return None
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError(f"'{v}' is not an http(s) URL")
        return v

    @field_validator("prompts_dir")
    @classmethod
    def _prompts_dir(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_dir():
            raise ValueError(f"'{v}' is not a directory")
        return v

    @model_validator(mode="after")
    def _combinations(self) -> Settings:
        if self.slack_client_id and not self.slack_client_secret:
            raise _combo("SLACK_CLIENT_SECRET", "is needed with SLACK_CLIENT_ID")
        if (self.slack_bot_token or self.slack_client_id) and not self.slack_signing_secret:
            raise _combo("SLACK_SIGNING_SECRET", "is needed to check Slack's requests")
        if self.slack_client_id and not self.secret_key:
            raise _combo("MICROCOACH_SECRET_KEY", "is needed to encrypt Slack tokens at rest")
        if self.teams_app_id and not self.teams_app_password and self.teams_app_type != "UserAssignedMSI":
            raise _combo("MicrosoftAppPassword", "is needed with MicrosoftAppId")
        if self.teams_app_type == "SingleTenant" and self.teams_app_id and not self.teams_tenant_id:
            raise _combo("MicrosoftAppTenantId", "is needed when MicrosoftAppType is SingleTenant")
        return self

    # Derived views -------------------------------------------------------------------------

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def quiet_start_end(self) -> tuple[time, time]:
        return parse_window(self.quiet_window)

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.grace_minutes)

    @property
    def embedded_scheduler(self) -> bool:
        """Whether ``serve`` runs the worker's work in-process."""
        if self.scheduler == "auto":
            return self.is_sqlite
        return self.scheduler == "on"

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.slack_client_id))

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_app_id or self.teams_allow_unauthenticated)

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def host_is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


class _ComboError(ValueError):
    def __init__(self, variable: str, message: str):
        super().__init__(message)
        self.variable = variable


def _combo(variable: str, message: str) -> _ComboError:
    return _ComboError(variable, message)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; ``overrides`` use the environment names."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = err.get("loc") or ()
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, _ComboError):
            lines.append(f"{ctx_error.variable}: {ctx_error}")
            continue
        name = str(loc[0]) if loc else "configuration"
        message = str(ctx_error) if ctx_error is not None else err.get("msg", "invalid value")
        lines.append(f"{name}: {message}")
    return "; ".join(lines)
