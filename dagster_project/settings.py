"""Run-time settings, read from the environment (contract part D): the one home of every default.

Folders and files (landing folder, published file, Dagster home, dbt's artifacts) have
their defaults here. The warehouse's connection (file, threads, memory limit, spill folder)
has its defaults in the dbt profile, ``profiles.yml`` at the root, so that a plain
``dbt build`` and the pipeline follow the same values: ``Settings`` reads them from there,
and gives dbt a copy of the profile with every value explicit (``dbt_profile``).

The pseudonym key has a default only in demo mode, which only ``make demo``
(``DOORSTROOM_DEMO=1``) switches on: outside it, a run without DOORSTROOM_PSEUDONYM_KEY
refuses to start. Settings are strict: a value that is not understood is an error, never a
silent default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
PROFILE_FILE = PROJECT_ROOT / "profiles.yml"
PROFILE_NAME = "doorstroom"

# Public, in the repository: it protects nothing and is refused outside demo mode.
DEMO_PSEUDONYM_KEY = "doorstroom-demo-key-not-secret"
MIN_KEY_LENGTH = 32

# Defaults of what dbt does not use; the profile's are read from profiles.yml.
DEFAULTS = {
    "DOORSTROOM_LANDING_DIR": DATA_DIR / "landing",
    "DOORSTROOM_PUBLISHED": DATA_DIR / "published" / "doorstroom.duckdb",
    "DAGSTER_HOME": DATA_DIR / "dagster_home",
    "DBT_TARGET_PATH": DATA_DIR / "dbt" / "target",
    "DOORSTROOM_LOCK_WAIT": "10",
    "DOORSTROOM_EXPECTATIONS_DIR": PROJECT_ROOT / "expectations",
}

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")
# A profile value that is a variable with its default: "{{ env_var('NAME', 'default') | filter }}".
_ENV_VAR = re.compile(
    r"\{\{\s*env_var\('(?P<name>\w+)',\s*'(?P<default>[^']*)'\)\s*(?:\|\s*(?P<filter>\w+)\s*)?\}\}"
)

Env = Mapping[str, str]


class SettingError(RuntimeError):
    """A setting is missing or not understood; the message says which and what to do."""


class MissingPseudonymKey(SettingError):
    """Raised when a non-demo run has no pseudonymisation key."""


@cache
def _profile_template() -> dict[str, Any]:
    return yaml.safe_load(PROFILE_FILE.read_text(encoding="utf-8"))


def _profile_variables(node: object) -> dict[str, str]:
    """Every DOORSTROOM_* variable of the profile with its default."""
    if isinstance(node, dict):
        return {k: v for value in node.values() for k, v in _profile_variables(value).items()}
    if isinstance(node, str) and (m := _ENV_VAR.fullmatch(node)):
        return {m["name"]: m["default"]}
    return {}


def profile_defaults() -> dict[str, str]:
    """The profile's defaults, e.g. {"DOORSTROOM_MEMORY_LIMIT": "4GB", ...}."""
    return _profile_variables(_profile_template())


def _rendered(node: object, values: Mapping[str, str]) -> object:
    if isinstance(node, dict):
        return {k: _rendered(v, values) for k, v in node.items()}
    if isinstance(node, str) and (m := _ENV_VAR.fullmatch(node)):
        value = values[m["name"]]
        return int(value) if m["filter"] == "as_number" else value
    return node


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse: Path
    published: Path
    memory_limit: str
    temp_dir: Path
    threads: int
    dagster_home: Path
    dbt_target_path: Path
    lock_wait_seconds: float
    expectations_dir: Path

    @classmethod
    def from_env(cls, env: Env | None = None) -> Settings:
        env = os.environ if env is None else env
        defaults = {**{k: str(v) for k, v in DEFAULTS.items()}, **profile_defaults()}

        def value(name: str) -> str:
            return env.get(name) or defaults[name]

        def path(name: str) -> Path:
            return (PROJECT_ROOT / value(name)).resolve()  # an absolute value stays as it is

        warehouse = path("DOORSTROOM_WAREHOUSE")
        if not re.fullmatch(r"[A-Za-z0-9_-]+", warehouse.stem):
            raise SettingError(
                "DOORSTROOM_WAREHOUSE: the file name may hold only letters, digits, '_' and '-' before "
                "its extension (dbt-duckdb names the database after it); folders may be named freely"
            )
        number = {}
        for name in ("DOORSTROOM_THREADS", "DOORSTROOM_LOCK_WAIT"):
            try:
                number[name] = float(value(name))
            except ValueError:
                raise SettingError(f"{name} must be a number") from None
        return cls(
            landing_dir=path("DOORSTROOM_LANDING_DIR"),
            warehouse=warehouse,
            published=path("DOORSTROOM_PUBLISHED"),
            memory_limit=value("DOORSTROOM_MEMORY_LIMIT"),
            temp_dir=path("DOORSTROOM_TEMP_DIR"),
            threads=int(number["DOORSTROOM_THREADS"]),
            dagster_home=path("DAGSTER_HOME"),
            dbt_target_path=path("DBT_TARGET_PATH"),
            lock_wait_seconds=number["DOORSTROOM_LOCK_WAIT"],
            expectations_dir=path("DOORSTROOM_EXPECTATIONS_DIR"),
        )

    @property
    def quality_docs_dir(self) -> Path:
        """The gate's report (GX results of every suite) beside the warehouse."""
        return self.warehouse.parent / "gx_data_docs"

    @property
    def log_dir(self) -> Path:
        """The pipeline CLI's run logs, every trace included."""
        return self.warehouse.parent / "logs"

    @property
    def dbt_profiles_dir(self) -> Path:
        """Where the pipeline writes dbt's explicit profile (beside the warehouse it names)."""
        return self.warehouse.parent / "dbt_profile"

    def dbt_profile(self) -> dict[str, Any]:
        """profiles.yml with every variable replaced by this setting's value."""
        values = {
            "DOORSTROOM_WAREHOUSE": str(self.warehouse),
            "DOORSTROOM_THREADS": str(self.threads),
            "DOORSTROOM_MEMORY_LIMIT": self.memory_limit,
            "DOORSTROOM_TEMP_DIR": str(self.temp_dir),
        }
        missing = set(profile_defaults()) - set(values)
        if missing:
            raise SettingError(f"profiles.yml uses variables that Settings does not know: {sorted(missing)}")
        return _rendered(_profile_template(), values)  # type: ignore[return-value]

    def write_dbt_profile(self) -> Path:
        """Write ``dbt_profile()`` as profiles.yml into ``dbt_profiles_dir``; return the folder."""
        self.dbt_profiles_dir.mkdir(parents=True, exist_ok=True)
        path = self.dbt_profiles_dir / "profiles.yml"
        text = "# Written by doorstroom from ../profiles.yml and the settings; do not edit.\n"
        text += yaml.safe_dump(self.dbt_profile(), sort_keys=False)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return self.dbt_profiles_dir

    def uses_demo_folders(self) -> bool:
        """True when the landing folder, warehouse and published file are the demo's own."""
        demo = Settings.from_env({})
        return (
            self.landing_dir == demo.landing_dir
            and self.warehouse == demo.warehouse
            and self.published == demo.published
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
    """The secret key from DOORSTROOM_PSEUDONYM_KEY (never stored in configuration or logs)."""
    env = os.environ if env is None else env
    return checked_key(env.get("DOORSTROOM_PSEUDONYM_KEY", ""), env)


def checked_key(key: str, env: Env | None = None) -> bytes:
    """``key`` checked (long enough, not the public demo key outside demo mode); an empty key
    is the demo key in demo mode over the demo's own folders, and an error otherwise."""
    env = os.environ if env is None else env
    demo = demo_mode(env)
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
