"""Demo extracts: one delivery of the four extracts of the data contract (part A).

``python -m dagster_project.demo --out DIR [--seed 42] [--scale 1.0]``, or
:func:`generate` from Python. At scale 1 the delivery is calibrated so that the
contract's rules (part B) give the official 2019-2022 figures per province.
"""

from dagster_project.demo.generator import generate

__all__ = ["generate"]
