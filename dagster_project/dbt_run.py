"""`python -m dagster_project.dbt_run <dbt arguments>`: dbt from the root under the settings.

The Makefile's dbt targets (manifest, docs) run dbt this way, so that they follow every
setting and default exactly as the pipeline does: the explicit profile written from
profiles.yml and the settings, and the artifacts in the settings' dbt target folder.
A plain `dbt build` from the root reads profiles.yml itself, with the same defaults.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .settings import PROJECT_ROOT, Settings


def main(argv: list[str]) -> int:
    settings = Settings.from_env()
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(settings.write_dbt_profile()),
        "DBT_TARGET_PATH": str(settings.dbt_target_path),
        "DBT_LOG_PATH": str(settings.dbt_target_path.parent / "logs"),
    }
    dbt = Path(sys.executable).with_name("dbt")
    code = subprocess.run([str(dbt), *argv], cwd=PROJECT_ROOT, env=env, check=False).returncode
    if code == 0 and argv[:2] == ["docs", "generate"] and "--static" in argv:
        print(f"dbt docs: {settings.dbt_target_path / 'static_index.html'}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
