"""The published answer to the parliamentary question (cohort years 2019-2022), by hand.

Tests compare the warehouse with these figures; they are deliberately not imported
from the demo generator, whose calibration they check.
"""

PROVINCES = [
    "Antwerpen",
    "Limburg",
    "Oost-Vlaanderen",
    "Vlaams-Brabant",
    "West-Vlaanderen",
    "Brussel",
    "Buiten Brussel/Vlaanderen",
    "Onbekend",
]
OFFICIAL_TRANSITIONS = dict(zip(PROVINCES, [742, 353, 581, 255, 678, 8, 10, 0], strict=True))
OFFICIAL_RETURNS = dict(zip(PROVINCES, [150, 63, 105, 44, 123, 2, 0, 0], strict=True))
