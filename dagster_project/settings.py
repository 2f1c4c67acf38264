"""Run-time settings, read from the environment (contract part D).

Every setting has a documented demo default. The pseudonym key has one only for
the demo: outside it (DOORSTROOM_DEMO unset), a run without
DOORSTROOM_PSEUDONYM_KEY refuses to start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"

DEMO_PSEUDONYM_KEY = "doorstroom-demo-key-not-secret"

DEFAULTS = {
    "DOORSTROOM_LANDING_DIR": DATA_DIR / "landing",
    "DOORSTROOM_WAREHOUSE": DATA_DIR / "warehouse.duckdb",
    "DOORSTROOM_PUBLISHED": DATA_DIR / "published" / "doorstroom.duckdb",
}


class MissingPseudonymKey(RuntimeError):
    """Raised when a non-demo run has no pseudonymisation key."""


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse: Path
    published: Path
    memory_limit: str
    temp_dir: Path

    @classmethod
    def from_env(cls, env: os._Environ[str] | dict[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def path(name: str) -> Path:
            return Path(env.get(name) or DEFAULTS[name]).resolve()

        warehouse = path("DOORSTROOM_WAREHOUSE")
        return cls(
            landing_dir=path("DOORSTROOM_LANDING_DIR"),
            warehouse=warehouse,
            published=path("DOORSTROOM_PUBLISHED"),
            memory_limit=env.get("DOORSTROOM_MEMORY_LIMIT", "4GB"),
            temp_dir=Path(env.get("DOORSTROOM_TEMP_DIR") or warehouse.parent / "tmp").resolve(),
        )


def _is_demo(env: os._Environ[str] | dict[str, str]) -> bool:
    return env.get("DOORSTROOM_DEMO", "") not in ("", "0", "false")


def pseudonym_key(env: os._Environ[str] | dict[str, str] | None = None) -> bytes:
    """The secret key; read at run time only, never stored in configuration or logs."""
    env = os.environ if env is None else env
    key = env.get("DOORSTROOM_PSEUDONYM_KEY", "")
    if key:
        return key.encode("utf-8")
    if _is_demo(env):
        return DEMO_PSEUDONYM_KEY.encode("utf-8")
    raise MissingPseudonymKey(
        "DOORSTROOM_PSEUDONYM_KEY is not set, so the INSZ cannot be pseudonymised and the run "
        "refuses to start. Set the secret key (or DOORSTROOM_DEMO=1 to use the demo key) and run again."
    )
