"""Running the real Dagster pipeline in process against temporary paths."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
from dagster import DagsterInstance, ExecuteInProcessResult

from dagster_project.defs.definitions import PIPELINE_JOB, build_definitions
from dagster_project.defs.pipeline import run_config
from dagster_project.settings import Settings

from .conftest import insz, kbo

A = insz("850730", 33)  # transitions after a CM WOP
B = insz("900101", 44)  # stays on with a renewed WOP: no transition
C = insz("770505", 55)  # not in the cohort: only a residence
CM = kbo(4031707)  # a custom-work company
REGULAR = kbo(4567890)  # a regular employer


def settings_for(tmp: Path, landing: Path) -> Settings:
    env = {
        "DOORSTROOM_LANDING_DIR": str(landing),
        "DOORSTROOM_WAREHOUSE": str(tmp / "warehouse.duckdb"),
        "DOORSTROOM_PUBLISHED": str(tmp / "published" / "doorstroom.duckdb"),
        "DOORSTROOM_TEMP_DIR": str(tmp / "duckdb_tmp"),
        "DOORSTROOM_MEMORY_LIMIT": "4GB",
    }
    return Settings.from_env(env)


def cli_environment(settings: Settings, home: Path, key: bytes, **extra: str) -> dict[str, str]:
    """The environment of a pipeline CLI subprocess over ``settings``, outside demo mode."""
    env = {
        **os.environ,
        "DOORSTROOM_LANDING_DIR": str(settings.landing_dir),
        "DOORSTROOM_WAREHOUSE": str(settings.warehouse),
        "DOORSTROOM_PUBLISHED": str(settings.published),
        "DOORSTROOM_TEMP_DIR": str(settings.temp_dir),
        "DOORSTROOM_PSEUDONYM_KEY": key.decode(),
        "DAGSTER_HOME": str(home),
        **extra,
    }
    env.pop("DOORSTROOM_DEMO", None)
    return env


def run_in_process(
    settings: Settings, key: bytes, instance: DagsterInstance | None = None, full_refresh: bool = False
) -> ExecuteInProcessResult:
    """Execute the pipeline job of freshly built Definitions over ``settings`` with ``key``."""
    job = build_definitions(settings, env={}, key=key.decode()).resolve_job_def(PIPELINE_JOB)
    return job.execute_in_process(
        instance=instance or DagsterInstance.ephemeral(),
        raise_on_error=False,
        run_config=run_config(full_refresh),
    )


def write_delivery(landing: Path, date: str, files: dict[str, list[str]]) -> None:
    """Write one delivery: ``files`` maps extract -> lines (header first)."""
    landing.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (landing / f"{name}_{date}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def tiny_files(residence_of_b: bool = True) -> dict[str, list[str]]:
    """A hand-made delivery: A moves on to a regular job (G) after a CM WOP; B stays on under
    a renewal. Without B's residence, half of the cohort WOPs lie in 'Onbekend'."""
    residence_b = [f"{B};BE;8000;2010-01-01;"] if residence_of_b else [f"{C};BE;9000;2011-01-01;"]
    return {
        "wop": [
            "WOP_ID;INSZ;MAATREGEL;KBO_WERKGEVER;STARTDATUM;EINDDATUM",
            f"W1;{A};CM;{CM};2016-07-01;2020-06-30",
            f"W2;{B};CM;{CM};2016-01-01;2020-12-31",
            f"W3;{B};CM;{CM};2021-01-01;",
        ],
        "tewerkstelling": [
            "INSZ;KBO_WERKGEVER;NACE;STARTDATUM;EINDDATUM",
            f"{A};{CM};88.101;2016-07-01;2020-06-30",
            f"{A};{REGULAR};47.111;2020-09-01;",
            f"{B};{CM};88.101;2016-01-01;",
        ],
        "verblijfplaats": [
            "INSZ;LAND;POSTCODE;GELDIG_VAN;GELDIG_TOT",
            f"{A};BE;2000;2010-01-01;",
            *residence_b,
        ],
        "evaluatie": [
            "EVALUATIE_ID;INSZ;WOP_ID;DATUM;AANLEIDING;POP_DATUM;UITKOMST",
            f"E1;{B};W2;2020-11-15;VIJF_JAAR;2020-06-01;BEHOUD",
        ],
    }


def published_comments(published: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The comments of a published file: per table, and per (table, column)."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
        columns = {
            (t, c): comment
            for t, c, comment in con.execute(
                "select table_name, column_name, comment from duckdb_columns() where not internal"
            ).fetchall()
        }
    finally:
        con.close()
    return tables, columns
