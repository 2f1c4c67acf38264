"""`make bench SCALE=N`: time every stage of the pipeline against the DuckDB floor.

1. Generates two quarterly demo deliveries for the scale once (cached in
   data/bench/scale-N/deliveries/<YYYYMMDD>/); the landing folder gets the first.
2. Runs the whole pipeline as `make pipeline` does (`python -m dagster_project.defs.pipeline`,
   a fresh warehouse and published file), sampling the memory of its process tree.
   Prepared, untimed, as a deployment is: dbt's manifest parsed under the same
   environment (`make manifest`; dbt then reuses its partial parse) and the Dagster
   instance's storage created.
3. Measures the floor: plain DuckDB reading the same four CSV files into tables.
4. Runs the pipeline again with no new delivery (nothing to do).
5. Adds the next quarter's delivery (2025-09-30, with its retroactive corrections: the
   demo generator's ``--quarters 2``) to the landing folder and runs the pipeline on the
   warm warehouse, then measures that delivery's floor.

Prints one table (stage, wall time, peak memory of the process tree while the stage
ran, from /proc samples every 0.1 s matched to the step times; input rows and
bytes) and appends a dated row to benchmarks/RESULTS.md. Stage times come from the
Dagster run's step statistics.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
EXTRACTS = ("wop", "tewerkstelling", "verblijfplaats", "evaluatie")
DBT_STAGE = "dbt build (models + data tests)"
HEADER = (
    "# Benchmark results\n\nAppended by `make bench SCALE=N` (benchmarks/bench.py); never typed by hand.\n\n"
    "| date (UTC) | machine | scale | input rows | input MB | ingest s | dbt s | checks s | publish s "
    "| total s | peak MB | spill MB | floor s | total/floor | idle rerun s | rewritten | commit "
    "| next quarter s | next/its floor | next ingest s | next dbt s | next peak MB |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)
PAGE = os.sysconf("SC_PAGE_SIZE")
DEMO = [sys.executable, "-m", "dagster_project.demo"]


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            children[int(fields[1])].append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


Samples = list[tuple[float, int, int]]  # (epoch seconds, resident bytes of the tree, bytes in spill_dir)


def _dir_bytes(folder: Path | None) -> int:
    """Bytes of the files in ``folder`` (DuckDB's spill files: a flat folder)."""
    if folder is None:
        return 0
    total = 0
    for entry in os.scandir(folder) if folder.is_dir() else ():
        try:
            total += entry.stat().st_size
        except OSError:  # removed while we looked
            continue
    return total


def run_measured(
    cmd: list[str], env: dict[str, str], spill_dir: Path | None = None
) -> tuple[float, Samples, subprocess.CompletedProcess]:
    """Run ``cmd``; its wall time and, every 0.1 s, the resident memory of its process tree
    and the size of ``spill_dir``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: Samples = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.time(), _tree_rss(proc.pid), _dir_bytes(spill_dir)))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    return wall, samples, subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


def peak(samples: Samples, intervals: list[tuple[float, float]] | None = None) -> int | None:
    """The largest sample, or the largest taken during ``intervals`` (None if none was)."""
    inside = [rss for t, rss, _ in samples if intervals is None or any(a <= t <= b for a, b in intervals)]
    return max(inside, default=None)


def step_stats(home: Path) -> dict[str, list[tuple[float, float]]]:
    """The (start, end) epoch times of each stage's steps in the newest run in ``home`` (a DAGSTER_HOME)."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_runs(limit=1)[0]
        stats = instance.get_run_step_stats(run.run_id)
    stages: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for s in stats:
        interval = (s.start_time or 0.0, s.end_time or 0.0)
        key = s.step_key
        name = key.split("__")[1] if "__" in key else key
        if key.startswith("gx_"):  # gx_raw_suites, gx_models_suites
            stages["checks (GX suites)"].append(interval)
        elif key.startswith("raw__") and name in EXTRACTS:
            stages[f"ingest {name}"].append(interval)
        elif key.startswith("raw__"):
            stages["audit (loads, quarantine)"].append(interval)
        elif key == "doorstroom_dbt_assets":
            stages[DBT_STAGE].append(interval)
        elif key.startswith("published__"):
            stages["publication"].append(interval)
        else:
            stages[key].append(interval)
    return dict(stages)


def seconds(intervals: list[tuple[float, float]]) -> float:
    return sum(b - a for a, b in intervals)


def commit() -> str:
    """The code measured: the commit, marked dirty when the working tree has changes."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(  # the results file itself does not count: each run appends to it
        ["git", "status", "--porcelain", "--", ".", ":!benchmarks/RESULTS.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return (head.stdout.strip() or "unknown") + ("-dirty" if dirty.stdout.strip() else "")


def prepare(home: Path, env: dict[str, str]) -> None:
    """What a deployment has before its first night: the parsed manifest and the instance storage."""
    dbt = [sys.executable, "-m", "dagster_project.dbt_run"]  # dbt under the benchmark's settings
    subprocess.run([*dbt, "parse", "--quiet"], cwd=ROOT, env=env, check=True)
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home)) as instance:
        instance.get_runs(limit=1)


FLOOR = """
import duckdb, sys
from pathlib import Path
con = duckdb.connect(sys.argv[1], config={"memory_limit": "6GB", "temp_directory": sys.argv[3]})
for f in sorted(Path(sys.argv[2]).glob("*.csv")):
    con.execute(
        f"create table {f.stem} as select * from read_csv(?, delim=';', header=true, all_varchar=true, "
        "null_padding=true, ignore_errors=true)",
        [str(f)],
    )
con.close()
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    measured = commit()  # before the run: the code that is measured
    work = ROOT / "data" / "bench" / f"scale-{args.scale:g}"
    landing = work / "landing"
    spill_dir = work / "tmp"  # DOORSTROOM_TEMP_DIR: DuckDB's spill files
    env = {
        **os.environ,
        # Its own folders: the demo key is for the demo's folders only (settings.pseudonym_key).
        "DOORSTROOM_PSEUDONYM_KEY": "benchmark-key-of-no-value-outside-the-benchmark",
        "DOORSTROOM_LANDING_DIR": str(landing),
        "DOORSTROOM_WAREHOUSE": str(work / "warehouse.duckdb"),
        "DOORSTROOM_PUBLISHED": str(work / "published" / "doorstroom.duckdb"),
        "DOORSTROOM_TEMP_DIR": str(spill_dir),
        "DAGSTER_HOME": str(work / "dagster_home"),
        "DBT_TARGET_PATH": str(work / "dbt" / "target"),
    }
    rows: list[tuple[str, float, int | None]] = []

    deliveries = work / "deliveries"  # <YYYYMMDD>/: the delivery, and the next quarter's
    first, following = deliveries / "20250630", deliveries / "20250930"
    if not (any(first.glob("*.csv")) and any(following.glob("*.csv"))):
        shutil.rmtree(deliveries, ignore_errors=True)
        wall, samples, done = run_measured(
            [*DEMO, "--out", str(deliveries), "--scale", str(args.scale), "--quarters", "2"],
            env,
        )
        if done.returncode:
            sys.exit(done.stderr)
        rows.append(("generate two quarterly deliveries (once)", wall, peak(samples)))
    else:
        print(f"deliveries for scale {args.scale:g} cached in {deliveries}")
    shutil.rmtree(landing, ignore_errors=True)
    shutil.copytree(first, landing)
    files = sorted(landing.glob("*.csv"))
    input_bytes = sum(f.stat().st_size for f in files)
    input_rows = 0
    for f in files:
        with f.open("rb") as fh:
            input_rows += sum(buf.count(b"\n") for buf in iter(lambda fh=fh: fh.read(1 << 24), b"")) - 1

    for path in (work / "warehouse.duckdb", work / "published", work / "dagster_home", work / "tmp"):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    (work / "dagster_home").mkdir(parents=True)
    shutil.copy(ROOT / "dagster_project" / "defs" / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
    prepare(work / "dagster_home", env)

    total, samples, done = run_measured(
        [sys.executable, "-m", "dagster_project.defs.pipeline"], env, spill_dir
    )
    spill = max((s for _, _, s in samples), default=0)
    if done.returncode:
        sys.exit(f"pipeline failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    intervals = step_stats(work / "dagster_home")
    stages = {name: seconds(spans) for name, spans in intervals.items()}
    rows += [(name, stages[name], peak(samples, spans)) for name, spans in intervals.items()]
    rows.append(("start-up and orchestration", total - sum(stages.values()), None))
    total_peak = peak(samples) or 0
    rows.append(("TOTAL pipeline (as make pipeline)", total, total_peak))

    def measure_floor(folder: Path) -> tuple[float, int | None]:
        """Plain DuckDB reading the folder's four CSV files into tables: wall time, peak memory."""
        floor_db = work / "floor.duckdb"
        floor_db.unlink(missing_ok=True)
        wall, floor_samples, done = run_measured(
            [sys.executable, "-c", FLOOR, str(floor_db), str(folder), str(work / "tmp")], env
        )
        floor_db.unlink(missing_ok=True)
        if done.returncode:
            sys.exit(done.stderr)
        return wall, peak(floor_samples)

    floor, floor_peak = measure_floor(landing)
    rows.append(("floor: plain DuckDB reads the 4 CSVs", floor, floor_peak))

    published = work / "published" / "doorstroom.duckdb"
    before = published.stat().st_mtime_ns
    idle, idle_samples, idle_done = run_measured([sys.executable, "-m", "dagster_project.defs.pipeline"], env)
    rewritten = published.stat().st_mtime_ns != before
    rows.append(("second run, no new delivery", idle, peak(idle_samples)))

    # The next quarter's delivery (2025-09-30, corrections included) on the warm warehouse.
    for f in following.glob("*.csv"):
        shutil.copy2(f, landing / f.name)
    nxt, next_samples, done = run_measured(
        [sys.executable, "-m", "dagster_project.defs.pipeline"], env, spill_dir
    )
    if done.returncode:
        sys.exit(f"next quarter's run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    next_intervals = step_stats(work / "dagster_home")
    next_stages = {name: seconds(spans) for name, spans in next_intervals.items()}
    rows += [
        (f"next quarter: {name}", next_stages[name], peak(next_samples, spans))
        for name, spans in next_intervals.items()
    ]
    rows.append(("next quarter: start-up and orchestration", nxt - sum(next_stages.values()), None))
    next_peak = peak(next_samples) or 0
    next_spill = max((s for _, _, s in next_samples), default=0)
    rows.append(("next quarter's delivery, warm warehouse", nxt, next_peak))
    next_floor, next_floor_peak = measure_floor(following)
    rows.append(("floor of the next quarter's delivery", next_floor, next_floor_peak))

    machine = (
        f"{platform.node()}, {os.cpu_count()} cores, {os.sysconf('SC_PHYS_PAGES') * PAGE / 2**30:.0f} GiB"
    )
    print(f"\nscale {args.scale:g} on {machine}: {input_rows:,} input rows, {input_bytes / 1e6:,.0f} MB")
    print(f"{'stage':<40}{'wall s':>10}{'peak MB':>10}")
    for name, wall_s, mem in rows:
        print(f"{name:<40}{wall_s:>10.1f}{(f'{mem / 2**20:,.0f}' if mem else ''):>10}")
    print(
        f"peak size of the spill folder (DOORSTROOM_TEMP_DIR): {spill / 2**20:,.0f} MB cold, "
        f"{next_spill / 2**20:,.0f} MB next quarter"
    )
    print(
        f"total / floor = {total / floor:.1f}x; second run: {idle_done.stdout.strip().splitlines()[-1][:80]}"
    )
    print(f"published file rewritten by the second run: {'YES' if rewritten else 'no'}")
    print(f"next quarter / its floor = {nxt / next_floor:.1f}x (issue 14's target: at most 3x at scale 10)")

    if not args.no_record:
        if not RESULTS.exists():
            RESULTS.write_text(HEADER)

        def ingest_of(times: dict[str, float]) -> float:
            return sum(v for k, v in times.items() if k.startswith(("ingest", "audit")))

        ingest = ingest_of(stages)
        cells = [
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}",
            machine,
            f"{args.scale:g}",
            f"{input_rows:,}",
            f"{input_bytes / 1e6:,.0f}",
            f"{ingest:.1f}",
            f"{stages.get(DBT_STAGE, 0):.1f}",
            f"{stages.get('checks (GX suites)', 0):.1f}",
            f"{stages.get('publication', 0):.1f}",
            f"{total:.1f}",
            f"{total_peak / 2**20:,.0f}",
            f"{spill / 2**20:,.0f}",
            f"{floor:.1f}",
            f"{total / floor:.1f}",
            f"{idle:.1f}",
            "yes" if rewritten else "no",
            measured,
            f"{nxt:.1f}",
            f"{nxt / next_floor:.1f}",
            f"{ingest_of(next_stages):.1f}",
            f"{next_stages.get(DBT_STAGE, 0):.1f}",
            f"{next_peak / 2**20:,.0f}",
        ]
        with RESULTS.open("a") as fh:
            fh.write("| " + " | ".join(cells) + " |\n")
        print(f"recorded in {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
