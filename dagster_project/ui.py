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
from pathlib import Path

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


def main() -> int:
    dagster = str(Path(sys.executable).with_name("dagster"))
    cmd = [dagster, "dev", "-h", "127.0.0.1", "-p", "3000", "-w", "workspace.yaml"]
    child = subprocess.Popen(cmd, start_new_session=True)
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
