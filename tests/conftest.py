"""Shared fixtures: hand-made extract files and a fresh warehouse per test."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def dagster_home(parent: Path) -> Path:
    """A new DAGSTER_HOME under ``parent``, telemetry off."""
    home = parent / "dagster_home"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return home


def _isolate_from_the_operators_data() -> Path:
    """The tests write only to temporary folders: dbt's target (with a copy of the parsed
    manifest, made by `make manifest`), dbt's logs and DAGSTER_HOME, all under one folder
    removed at exit. Set before dagster_project is imported (it reads them at import)."""
    root = Path(tempfile.mkdtemp(prefix="doorstroom-tests-"))
    source = Path(
        os.environ.get("DBT_TARGET_PATH") or Path(__file__).parent.parent / "data" / "dbt" / "target"
    )
    target = root / "dbt" / "target"
    target.mkdir(parents=True)
    for name in ("manifest.json", "partial_parse.msgpack", "semantic_manifest.json"):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
    home = dagster_home(root)
    os.environ.update(
        {
            "DBT_TARGET_PATH": str(target),
            "DBT_LOG_PATH": str(root / "dbt" / "logs"),
            "DAGSTER_HOME": str(home),
        }
    )
    atexit.register(shutil.rmtree, root, True)
    return root


TEST_ROOT = _isolate_from_the_operators_data()

KEY = b"test-pseudonym-key-of-at-least-32-characters"


def insz(yymmdd: str = "850730", seq: int = 33, born_2000: bool = False) -> str:
    """A valid INSZ computed by hand from the contract's rule (97 - base mod 97)."""
    base = f"{yymmdd}{seq:03d}"
    number = int(("2" if born_2000 else "") + base)
    return f"{base}{97 - number % 97:02d}"


def kbo(n: int = 4031707) -> str:
    """A valid KBO number: 8 digits (first 0 or 1), CC = 97 - (N mod 97)."""
    base = f"{n:08d}"
    return f"{base}{97 - int(base) % 97:02d}"


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def write_csv(landing: Path) -> Callable[..., Path]:
    def write(name: str, header: list[str], rows: list[list[str]], bom: bool = False) -> Path:
        text = ";".join(header) + "\n" + "".join(";".join(r) + "\n" for r in rows)
        path = landing / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return write


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_delivery(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The demo delivery at scale 1 (calibrated), generated once per test session."""
    from dagster_project.demo import generate

    return generate(tmp_path_factory.mktemp("demo") / "landing", seed=42, scale=1.0)


@pytest.fixture(scope="session")
def demo_pipeline(demo_delivery: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The whole pipeline run once, in process, on the demo delivery: its result, settings
    (warehouse and published file), its DAGSTER_HOME and every message it logged."""
    from dagster import DagsterInstance

    from .pipeline_support import run_in_process, settings_for

    tmp = tmp_path_factory.mktemp("demo_run")
    settings = settings_for(tmp, Path(demo_delivery["files"]["wop"]).parent)
    home = dagster_home(tmp)
    with DagsterInstance.local_temp(tempdir=str(home)) as instance:
        result = run_in_process(settings, KEY, instance=instance)
        messages = [e.message or "" for e in instance.all_logs(result.run_id)]
    return {"result": result, "settings": settings, "home": home, "messages": messages}
