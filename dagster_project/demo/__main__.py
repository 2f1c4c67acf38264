"""Command line: python -m dagster_project.demo [--out DIR] [--seed 42] [--scale 1.0]."""

from __future__ import annotations

import argparse
import sys
import time

from dagster_project.demo.generator import generate
from dagster_project.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.demo",
        description="Write one demo delivery of the four extracts (extraction date 2025-06-30).",
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
    args = parser.parse_args(argv)
    out = args.out or str(Settings.from_env().landing_dir)
    print(f"demo extracts: generating into {out} ...", flush=True)
    began = time.perf_counter()
    result = generate(out, seed=args.seed, scale=args.scale)
    for name, path in result["files"].items():
        print(
            f"{path}: {result['rows'][name]} rows "
            f"({len(result['bad_lines'][name])} bad, {result['duplicates'][name]} duplicates)"
        )
    print(f"{result['persons']} persons, {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
