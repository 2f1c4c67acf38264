"""Run-time settings, read from the environment (contract part D).

Every setting has a documented demo default. The pseudonym key has one only in
demo mode, which only ``make demo`` (``DOORSTROOM_DEMO=1``) switches on: outside
it, a run without DOORSTROOM_PSEUDONYM_KEY refuses to start. Settings are strict:
a value that is not understood is an error, never a silent default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"

# Public, in the repository: it protects nothing and is refused outside demo mode.
DEMO_PSEUDONYM_KEY = "doorstroom-demo-key-not-secret"
MIN_KEY_LENGTH = 32

DEFAULTS = {
    "DOORSTROOM_LANDING_DIR": DATA_DIR / "landing",
    "DOORSTROOM_WAREHOUSE": DATA_DIR / "warehouse.duckdb",
    "DOORSTROOM_PUBLISHED": DATA_DIR / "published" / "doorstroom.duckdb",
}

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")

Env = Mapping[str, str]


class SettingError(RuntimeError):
    """A setting is missing or not understood; the message says which and what to do."""


class MissingPseudonymKey(SettingError):
    """Raised when a non-demo run has no pseudonymisation key."""


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse: Path
    published: Path
    memory_limit: str
    temp_dir: Path

    @classmethod
    def from_env(cls, env: Env | None = None) -> Settings:
        env = os.environ if env is None else env

        def path(name: str) -> Path:
            return Path(env.get(name) or DEFAULTS[name]).resolve()

        warehouse = path("DOORSTROOM_WAREHOUSE")
        if not re.fullmatch(r"[A-Za-z0-9_-]+", warehouse.stem):
            raise SettingError(
                "DOORSTROOM_WAREHOUSE: the file name may hold only letters, digits, '_' and '-' before "
                "its extension (dbt-duckdb names the database after it); folders may be named freely"
            )
        return cls(
            landing_dir=path("DOORSTROOM_LANDING_DIR"),
            warehouse=warehouse,
            published=path("DOORSTROOM_PUBLISHED"),
            memory_limit=env.get("DOORSTROOM_MEMORY_LIMIT", "4GB"),
            temp_dir=Path(env.get("DOORSTROOM_TEMP_DIR") or warehouse.parent / "tmp").resolve(),
        )

    @property
    def quality_docs_dir(self) -> Path:
        """The gate's report (GX results of every suite) beside the warehouse."""
        return self.warehouse.parent / "gx_data_docs"

    @property
    def log_dir(self) -> Path:
        """The pipeline CLI's run logs, every trace included."""
        return self.warehouse.parent / "logs"

    def uses_demo_folders(self) -> bool:
        """True when the landing folder, warehouse and published file are the demo's own."""
        return (
            self.landing_dir == DEFAULTS["DOORSTROOM_LANDING_DIR"].resolve()
            and self.warehouse == DEFAULTS["DOORSTROOM_WAREHOUSE"].resolve()
            and self.published == DEFAULTS["DOORSTROOM_PUBLISHED"].resolve()
        )


def demo_mode(env: Env | None = None) -> bool:
    """DOORSTROOM_DEMO as a strict boolean: 1/true/yes/on, or unset/0/false/no/off; else an error."""
    env = os.environ if env is None else env
    value = env.get("DOORSTROOM_DEMO", "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(
        "DOORSTROOM_DEMO has a value that is not understood; use DOORSTROOM_DEMO=1 for the demo "
        "(make demo sets it) or leave it unset."
    )


def pseudonym_key(env: Env | None = None) -> bytes:
    """The secret key; read at run time only, never stored in configuration or logs."""
    env = os.environ if env is None else env
    demo = demo_mode(env)
    key = env.get("DOORSTROOM_PSEUDONYM_KEY", "")
    if key:
        if key == DEMO_PSEUDONYM_KEY and not demo:
            raise SettingError(
                "DOORSTROOM_PSEUDONYM_KEY is the public demo key, which protects nothing; "
                "set a secret key of your own."
            )
        if len(key) < MIN_KEY_LENGTH:
            raise SettingError(
                f"DOORSTROOM_PSEUDONYM_KEY is too short ({len(key)} characters, at least "
                f"{MIN_KEY_LENGTH} needed); make one with: "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return key.encode("utf-8")
    if demo:
        if not Settings.from_env(env).uses_demo_folders():
            raise SettingError(
                "demo mode uses the public demo key only over the demo's own folders under data/; "
                "set DOORSTROOM_PSEUDONYM_KEY to process other folders"
            )
        return DEMO_PSEUDONYM_KEY.encode("utf-8")
    raise MissingPseudonymKey(
        "DOORSTROOM_PSEUDONYM_KEY is not set, so the INSZ cannot be pseudonymised and the run "
        "refuses to start. Set the secret key (at least 32 characters) and run again; only "
        "`make demo` runs with the public demo key."
    )
