"""`make ui`: Dagster webserver and daemon on 127.0.0.1:3000 that stop cleanly on Ctrl-C.

`dagster dev` runs the webserver, the daemon and the code server as child processes.
On Ctrl-C they are asked to stop (SIGINT); whatever still runs after a grace period
(seen here: the daemon and the code server can hang on exit) is killed, so no
process is left holding the port or the Dagster storage.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from ..settings import SettingError, Settings, demo_mode, pseudonym_key
from .instance import prepare_home

GRACE_SECONDS = 15


def _stop(group: int) -> None:
    for sig, wait in ((signal.SIGINT, GRACE_SECONDS), (signal.SIGKILL, 5)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def ui_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The environment of the UI's processes, or SettingError when it must not start.

    The UI's sensor and schedule run the pipeline on their own, so the UI starts only
    with a secret key, or in demo mode over the demo's own folders (never the public
    demo key over other data).
    """
    settings = Settings.from_env(env)
    env = dict(env)
    env["DAGSTER_HOME"] = str(prepare_home(settings))
    if env.get("DOORSTROOM_PSEUDONYM_KEY"):
        pseudonym_key(env)  # too short, the demo key outside demo mode: refused here, not at night
        return env
    if not settings.uses_demo_folders():
        raise SettingError(
            "DOORSTROOM_PSEUDONYM_KEY is not set and the folders are not the demo's own "
            f"(landing folder {settings.landing_dir}); set the secret key to serve them"
        )
    env["DOORSTROOM_DEMO"] = "1"
    return env


def main() -> int:
    try:
        env = ui_environment(os.environ)
    except SettingError as exc:
        print(f"refusing to start the Dagster UI: {exc}", file=sys.stderr)
        return 2
    if demo_mode(env):
        print("demo mode: the demo's own folders under data/, pseudonymised with the public demo key")
    dagster = str(Path(sys.executable).with_name("dagster"))
    cmd = [dagster, "dev", "-h", "127.0.0.1", "-p", "3000", "-w", "workspace.yaml"]
    child = subprocess.Popen(cmd, start_new_session=True, env=env)
    # Ctrl-C (SIGINT, even where a parent shell ignored it) and SIGTERM both stop the UI.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return child.wait()
    except KeyboardInterrupt:
        print("\nstopping the Dagster UI and daemon ...", flush=True)
        _stop(child.pid)
        print("stopped.", flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
