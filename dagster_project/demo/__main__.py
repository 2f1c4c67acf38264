"""Command line: python -m dagster_project.demo [--out DIR] [--seed 42] [--scale 1.0]
[--extraction-date 2025-06-30] [--quarters N]."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from typing import Any

from dagster_project.demo.generator import generate, generate_deliveries, quarterly_dates
from dagster_project.settings import Settings

DESCRIPTION = """\
Write a demo delivery of the four extracts (wop, tewerkstelling, verblijfplaats,
evaluatie), by default that of extraction date 2025-06-30: the data cutoff at which
the demo is calibrated to the official 2019-2022 figures (at scale 1).

Every delivery is the same simulated world seen at its own extraction date: a later
one adds the new quarter's employment lines, WOPs that start or end, new residences
and evaluations, and a few retroactive corrections (changed or withdrawn employment
lines, corrected WOP end dates, a withdrawn person), decided at every quarter end
after 2025-06-30. The 2025-06-30 delivery is always the same.

Without --quarters the files go straight into --out. With --quarters N, N quarterly
deliveries are written, the first at --extraction-date and each next one 3 months
later (a month's last day stays a month's last day: 2025-06-30, 2025-09-30,
2025-12-31, ...), each into its own folder --out/YYYYMMDD/. The pipeline loads the
newest file per extract of one landing folder: copy one such folder at a time into
the landing folder to run it incrementally.
"""


def _report(result: dict[str, Any]) -> None:
    for name, path in result["files"].items():
        print(
            f"{path}: {result['rows'][name]} rows "
            f"({len(result['bad_lines'][name])} bad, {result['duplicates'][name]} duplicates)"
        )
    kinds = Counter(c["kind"] for c in result["corrections"])
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    print(f"{result['extraction_date']}: {result['persons']} persons; corrections in effect: {summary}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.demo",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out", help="landing folder to write the CSV files to (default: DOORSTROOM_LANDING_DIR)"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="population factor (default 1: calibrated; 40 is about a million persons)",
    )
    parser.add_argument(
        "--extraction-date",
        default="2025-06-30",
        metavar="YYYY-MM-DD",
        help="extraction date of the (first) delivery, 2015-01-01 .. 2035-06-30 (default 2025-06-30)",
    )
    parser.add_argument(
        "--quarters",
        type=int,
        metavar="N",
        help="write N successive quarterly deliveries, each into --out/YYYYMMDD/",
    )
    args = parser.parse_args(argv)
    try:
        quarterly_dates(args.extraction_date, 1 if args.quarters is None else args.quarters)
    except ValueError as exc:
        parser.error(str(exc))
    out = args.out or str(Settings.from_env().landing_dir)
    print(f"demo extracts: generating into {out} ...", flush=True)
    began = time.perf_counter()
    try:
        if args.quarters is None:
            _report(generate(out, seed=args.seed, scale=args.scale, extraction_date=args.extraction_date))
        else:
            result = generate_deliveries(
                out,
                seed=args.seed,
                scale=args.scale,
                quarters=args.quarters,
                extraction_date=args.extraction_date,
            )
            for delivery in result["deliveries"]:
                _report(delivery)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
