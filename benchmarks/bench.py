"""Benchmark: wall time and peak memory of each stage, printed as a table.

Each stage runs in a fresh child process that reports its own wall time and peak
resident memory (its own and that of its children, e.g. the dbt subprocess).
The delivery for a scale is generated once and cached under data/bench/.

    python benchmarks/bench.py --scale 1
    python benchmarks/bench.py --scale 40
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXTRACTS = ("wop", "tewerkstelling", "verblijfplaats", "evaluatie")


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def stage_generate(work: Path, scale: float) -> dict[str, object]:
    from dagster_project.demo import generate

    landing = work / "landing"
    if landing.exists():
        shutil.rmtree(landing)
    generate(landing, seed=42, scale=scale)
    return {}


def stage_ingest(work: Path, extract: str) -> dict[str, object]:
    import duckdb

    from dagster_project.ingestion.landing import newest_files
    from dagster_project.ingestion.loader import ingest_file
    from dagster_project.settings import pseudonym_key

    f = newest_files(work / "landing")[extract]
    con = duckdb.connect(
        str(work / "warehouse.duckdb"), config={"memory_limit": "6GB", "temp_directory": str(work / "tmp")}
    )
    result = ingest_file(con, f, pseudonym_key(), force=True)
    con.close()
    return {"rows": result.rows_read, "bytes": result.file_bytes}


def stage_dbt(work: Path) -> dict[str, object]:
    env = {
        **os.environ,
        "DOORSTROOM_WAREHOUSE": str(work / "warehouse.duckdb"),
        "DOORSTROOM_TEMP_DIR": str(work / "tmp"),
    }
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "build", "--profiles-dir", ".", "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return {}


def stage_floor(work: Path) -> dict[str, object]:
    """Plain DuckDB reading the four CSV files into tables, nothing else."""
    import duckdb

    path = work / "floor.duckdb"
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path), config={"memory_limit": "6GB", "temp_directory": str(work / "tmp")})
    for f in sorted((work / "landing").glob("*.csv")):
        con.execute(
            f"create table {f.stem} as select * from read_csv(?, delim=';', header=true, all_varchar=true, "
            "null_padding=true, ignore_errors=true)",
            [str(f)],
        )
    con.close()
    path.unlink()
    return {}


def run_stage(args: list[str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--stage", *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"stage {args} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--stage", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--stages", default="generate,ingest,dbt,floor", help="comma-separated stages")
    args = parser.parse_args()
    os.environ.setdefault("DOORSTROOM_DEMO", "1")

    if args.stage:  # child process: run one stage, print its figures as JSON
        name, work, *rest = args.stage
        start = time.perf_counter()
        fn = {"generate": stage_generate, "ingest": stage_ingest, "dbt": stage_dbt, "floor": stage_floor}[
            name
        ]
        extra = fn(Path(work), *([float(rest[0])] if name == "generate" else rest))
        print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), **extra}))
        return 0

    work = ROOT / "data" / "bench" / f"scale-{args.scale:g}"
    work.mkdir(parents=True, exist_ok=True)
    (work / "warehouse.duckdb").unlink(missing_ok=True)
    wanted = args.stages.split(",")
    rows: list[tuple[str, dict[str, object]]] = []
    if "generate" in wanted:
        if (work / "landing").exists() and any((work / "landing").glob("*.csv")):
            print(f"delivery for scale {args.scale:g} cached in {work / 'landing'}")
        else:
            rows.append(("generate", run_stage(["generate", str(work), str(args.scale)])))
    if "ingest" in wanted:
        for extract in EXTRACTS:
            rows.append((f"ingest {extract}", run_stage(["ingest", str(work), extract])))
    if "dbt" in wanted:
        rows.append(("dbt build", run_stage(["dbt", str(work)])))
    if "floor" in wanted:
        rows.append(("floor (plain DuckDB CSV read)", run_stage(["floor", str(work)])))

    print(
        f"\nmachine: {platform.node()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; scale {args.scale:g}"
    )
    print(f"{'stage':<32}{'wall s':>10}{'peak MB':>10}{'rows':>14}{'MB in':>10}")
    for name, r in rows:
        rows_in = f"{r['rows']:,}" if "rows" in r else ""
        mb_in = f"{int(r['bytes']) / 1e6:,.0f}" if "bytes" in r else ""
        print(f"{name:<32}{r['seconds']:>10.1f}{r['peak_mb']:>10.0f}{rows_in:>14}{mb_in:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
