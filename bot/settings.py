"""Start-up settings: secrets and URLs from the environment, the business config from TOML.

Anything missing or invalid becomes one `SettingsError` line naming the setting; the CLI
prints it and exits 2 before anything is posted. Secrets are `SecretStr`, so they never
appear in a repr or a log line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot import limits
from workflows.config import Config

SLACK_API_URL_DEFAULT = "https://slack.com/api/"


E = TypeVar("E", bound="DatabaseEnv")


class SettingsError(Exception):
    """One line for the operator: which setting, and what is wrong with it."""


class DatabaseEnv(BaseSettings):
    """Where the data lives: all `orderloop backup` needs (no Slack secrets)."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=True)

    DATABASE_URL: str = "sqlite:///orderloop.db"
    ORDERLOOP_CONFIG: Path = Path("orderloop.toml")

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            url = None
        if url is None or url.drivername not in ("sqlite", "postgresql", "postgresql+psycopg"):
            raise ValueError("must be a sqlite:///path or postgresql://user@host/db SQLAlchemy URL")
        return value

    def resolved(self) -> DatabaseEnv:
        """A relative SQLite path names a file beside the configuration file, not in whatever
        folder the command was started from (cron starts in $HOME): one database, found the same
        way by `serve`, `run-due` and `backup`."""
        base = self.ORDERLOOP_CONFIG.absolute().parent
        return self.model_copy(update={"DATABASE_URL": resolve_database_url(self.DATABASE_URL, base)})


class EnvSettings(DatabaseEnv):
    SLACK_BOT_TOKEN: SecretStr
    SLACK_SIGNING_SECRET: SecretStr
    SLACK_APP_TOKEN: SecretStr | None = None
    SLACK_API_URL: str = SLACK_API_URL_DEFAULT
    PORT: int = Field(default=3000, ge=1, le=65535)

    @field_validator("SLACK_BOT_TOKEN")
    @classmethod
    def _bot_token(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("SLACK_APP_TOKEN")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("SLACK_SIGNING_SECRET")
    @classmethod
    def _secret(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("SLACK_API_URL")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"


IN_MEMORY = ("", ":memory:")


def resolve_database_url(url: str, base: Path) -> str:
    """`sqlite:///orderloop.db` → `sqlite:////<base>/orderloop.db`; other URLs unchanged."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in IN_MEMORY or database.startswith("file:"):
        return url
    path = Path(database).expanduser()
    if path.is_absolute():
        return url
    return parsed.set(database=str(base / path)).render_as_string(hide_password=False)


def shown_database_url(url: str) -> str:
    """The URL fit for a log line: a PostgreSQL password becomes ***."""
    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Settings:
    env: EnvSettings
    config: Config


def _first_error(exc: ValidationError, prefix: str) -> str:
    err = exc.errors()[0]
    where = ""
    for part in err["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        message = "is required but not set"
    elif err["type"] == "extra_forbidden":
        message = "is not a known setting"
    return f"{prefix}{where}: {message}"


def load_env(environ: dict[str, str] | None = None, model: type[E] = EnvSettings) -> E:
    try:
        env = model() if environ is None else model.model_validate(environ)
    except ValidationError as exc:
        raise SettingsError(_first_error(exc, "environment variable ")) from None
    return env.resolved()


def load_database_env(environ: dict[str, str] | None = None) -> DatabaseEnv:
    return load_env(environ, DatabaseEnv)


def load_config(path: Path) -> Config:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(
            f"ORDERLOOP_CONFIG: {path.absolute()} does not exist (start from orderloop.example.toml)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"ORDERLOOP_CONFIG: {path} is not valid TOML ({exc})") from None
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise SettingsError(_first_error(exc, f"{path.name}: ")) from None
    if problem := limits.config_problem(config):
        raise SettingsError(f"{path.name}: {problem}")
    return config


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = load_env(environ)
    return Settings(env=env, config=load_config(env.ORDERLOOP_CONFIG))
