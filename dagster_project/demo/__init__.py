"""Demo extracts: deliveries of the four extracts of the data contract (part A).

``python -m dagster_project.demo --out DIR [--seed 42] [--scale 1.0]
[--extraction-date 2025-06-30] [--quarters N]``, or :func:`generate` (one delivery)
and :func:`generate_deliveries` (quarterly deliveries, one folder each) from Python.
At scale 1 the delivery of 2025-06-30 is calibrated so that the contract's rules
(part B) give the official 2019-2022 figures per province; later deliveries are the
same simulated world seen later, with a few retroactive corrections.
"""

from dagster_project.demo.generator import generate, generate_deliveries

__all__ = ["generate", "generate_deliveries"]
