"""The demo generator's sequence of deliveries (issue 14): one simulated world seen at
successive extraction dates, with retroactive corrections.

The delivery of 2025-06-30 stays byte for byte what the generator wrote before
deliveries existed (hashes below, taken from that code's output with seed 42), except
for the NACE-BEL 2025 codes of issue 15 on the 2025 lines of the garages. A later
delivery only adds to an earlier one, except for the recorded corrections and for end
dates that became known.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dagster_project.demo import corrections as demo_corrections
from dagster_project.demo import generate
from dagster_project.demo.__main__ import main
from dagster_project.demo.badrows import too_new_dates
from dagster_project.demo.dates import day
from dagster_project.demo.generator import generate_deliveries, quarterly_dates
from dagster_project.ingestion.landing import parse_file_name
from dagster_project.ingestion.loader import ingest_file

# sha256 of the files the generator wrote before issue 14 (seed 42).
BEFORE_SCALE_1 = {
    "wop": "94aa04296fc2e09c1c35b1a19cfe3df2c46a1de70190d5c326bc512e948548be",
    "tewerkstelling": "9220fce568e99281d7794f164fbe6ccbbf34288679093764346a225e21689619",
    "verblijfplaats": "65346e551a8fc2053f496f9219847082d2973374cebd7767b4eeb9add031d79d",
    "evaluatie": "aa725ecfc87913e71316281d768568100067ff2cb6b55efc1c3ded1da9acfd45",
}
BEFORE_SCALE_005 = {
    "wop": "c26ac5acdcf8e426002288171561b05e72b3ae4fa93fe88bb98d717b63370dab",
    "tewerkstelling": "bf23141f58ae52c9616d73dd0733d4b200dda36c0e3f26951cfeb597e713a834",
    "verblijfplaats": "407b2af7e79505b3d03690949bb78dda908569891b8f6cfad3fa19f6b3919b5d",
    "evaluatie": "e3feef6cf1ce81c3908a2822cd4d1d53912ab77fb8c407e09583d4806e9b2b69",
}
# sha256 of the tewerkstelling files of 2025-06-30 since issue 15: the lines from
# 2025-01-01 on of the garages (45.200 / 45200, repair of motor vehicles) carry their
# NACE-BEL 2025 code (group 95.31). With those codes turned back into 45.200 / 45200,
# the files are those of before issue 14 again (BEFORE_*: every other byte is unchanged).
TEWERKSTELLING_SCALE_1 = "a79bbf0ccf75cd911bd90598f097a83987a2922b8a4aa136a1c170e554e786f5"
TEWERKSTELLING_SCALE_005 = "f7a108b9096d144eccf78bfbeabb9f5817935764d88bdbb63e818da3bf706e85"
GARAGE_2025_FIELD = re.compile(rb"(?<=;)95(\.?)31[13459](?=;)")  # only garages have group 95.31
GARAGE_2025 = {"95311", "95313", "95314", "95315", "95319"}  # compact form
ODD = {"8810", "88.1", "A1.234", "00.000", "04.100", "34.000", "40.110"}  # odd NACE codes, empty aside
SCALE = 0.05
EXTRACTS = ("wop", "tewerkstelling", "verblijfplaats", "evaluatie")
# Column positions: INSZ, and the start / end date of a row (None: no end column).
INSZ = {"wop": 1, "tewerkstelling": 0, "verblijfplaats": 0, "evaluatie": 1}
START = {"wop": 4, "tewerkstelling": 3, "verblijfplaats": 3, "evaluatie": 3}
END = {"wop": 5, "tewerkstelling": 4, "verblijfplaats": 4, "evaluatie": None}


def _digest(result: dict[str, Any]) -> dict[str, str]:
    return {n: hashlib.sha256(Path(p).read_bytes()).hexdigest() for n, p in result["files"].items()}


def _assert_cutoff_bytes(result: dict[str, Any], before: dict[str, str], tewerkstelling: str) -> None:
    digest = _digest(result)
    assert digest == {**before, "tewerkstelling": tewerkstelling}
    undone = GARAGE_2025_FIELD.sub(rb"45\g<1>200", Path(result["files"]["tewerkstelling"]).read_bytes())
    assert hashlib.sha256(undone).hexdigest() == before["tewerkstelling"]


def _good(delivery: dict[str, Any], name: str) -> list[str]:
    """The delivery's good lines of an extract (header and reported bad lines left out)."""
    bad = set(delivery["bad_lines"][name])
    lines = Path(delivery["files"][name]).read_text(encoding="utf-8").split("\n")[:-1]
    return [ln for i, ln in enumerate(lines, start=1) if i > 1 and i not in bad]


@pytest.fixture(scope="module")
def sequence(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return generate_deliveries(tmp_path_factory.mktemp("deliveries"), seed=42, scale=SCALE, quarters=3)


@pytest.fixture(scope="module")
def good(sequence: dict[str, Any]) -> list[dict[str, list[str]]]:
    return [{n: _good(d, n) for n in EXTRACTS} for d in sequence["deliveries"]]


# ------------------------------------------------------------ the cutoff delivery


def test_cutoff_delivery_is_unchanged(demo_delivery: dict[str, Any]) -> None:
    """Scale 1, seed 42, 2025-06-30 (the session's calibrated delivery): the same bytes but
    the garages' NACE-BEL 2025 codes."""
    assert demo_delivery["extraction_date"] == "2025-06-30"
    assert demo_delivery["corrections"] == []
    _assert_cutoff_bytes(demo_delivery, BEFORE_SCALE_1, TEWERKSTELLING_SCALE_1)


def test_first_of_a_sequence_is_the_cutoff_delivery(sequence: dict[str, Any]) -> None:
    first = sequence["deliveries"][0]
    assert Path(first["files"]["wop"]).parent.name == "20250630"
    _assert_cutoff_bytes(first, BEFORE_SCALE_005, TEWERKSTELLING_SCALE_005)


# ------------------------------------------------------------ the sequence


def test_folders_dates_and_file_names(sequence: dict[str, Any]) -> None:
    dates = [d["extraction_date"] for d in sequence["deliveries"]]
    assert dates == ["2025-06-30", "2025-09-30", "2025-12-31"]
    for d in sequence["deliveries"]:
        stamp = d["extraction_date"].replace("-", "")
        for name, path in d["files"].items():
            assert Path(path).name == f"{name}_{stamp}.csv"
            assert Path(path).parent.name == stamp
        assert all(len(d["bad_lines"][n]) > 0 and d["duplicates"][n] > 0 for n in EXTRACTS)


def test_nothing_after_the_extraction_date(sequence: dict[str, Any], good) -> None:
    for d, lines in zip(sequence["deliveries"], good, strict=True):
        e = d["extraction_date"]
        limit = (dt.date.fromisoformat(e) + dt.timedelta(days=365)).isoformat()  # no 29 February here
        for name in EXTRACTS:
            rows = [ln.split(";") for ln in lines[name]]
            assert max(r[START[name]] for r in rows) <= e, name
            if END[name] is not None:
                assert max(r[END[name]] for r in rows) <= limit, name
                if name != "wop":  # only a WOP can show a planned end
                    assert max(r[END[name]] for r in rows) <= e, name


def test_later_deliveries_grow(good) -> None:
    for earlier, later in itertools.pairwise(good):
        for name in EXTRACTS:
            assert len(set(later[name])) > len(set(earlier[name])), name
        # new quarter's lines: lines that start in the new quarter
        assert len(set(later["tewerkstelling"]) - set(earlier["tewerkstelling"])) > 100


def _withdrawn(corrections: list[dict[str, Any]], date: str) -> set[str]:
    return {c["INSZ"] for c in corrections if c["kind"] == "person_withdrawn" and c["date"] <= date}


def test_only_corrections_and_known_ends_change(sequence: dict[str, Any], good) -> None:
    corrections = sequence["corrections"]
    deliveries = sequence["deliveries"]
    for k in range(len(deliveries) - 1):
        e0, e1 = deliveries[k]["extraction_date"], deliveries[k + 1]["extraction_date"]
        new = [c for c in corrections if e0 < c["date"] <= e1]
        gone = _withdrawn(corrections, e1)
        assert gone - _withdrawn(corrections, e0)  # a person withdrawn in every later delivery
        old_lines = {";".join(c["old"].values()) for c in new if c["extract"] == "tewerkstelling"}
        new_lines = {";".join(c["new"].values()) for c in new if c["kind"] == "line_end_moved"}
        wop_fix = {c["WOP_ID"]: (c["old_end"], c["new_end"]) for c in new if c["extract"] == "wop"}
        assert len(old_lines) >= 1 and len(wop_fix) >= 1
        known = {ln.split(";")[INSZ[n]] for n in EXTRACTS for ln in good[k][n]}
        for name in EXTRACTS:
            before, after = set(good[k][name]), set(good[k + 1][name])
            # an open end in k, closed in k+1: same fields but the end
            closed = {ln.rsplit(";", 1)[0] for ln in after if not ln.endswith(";")}
            by_key = {}
            if name in ("wop", "evaluatie"):
                by_key = {ln.split(";")[0]: ln.split(";") for ln in after}
            for ln in before - after:
                f = ln.split(";")
                if f[INSZ[name]] in gone:
                    continue
                if name == "tewerkstelling" and ln in old_lines:
                    continue
                if name == "wop" and f[0] in wop_fix:
                    assert (f[5], by_key[f[0]][5]) == wop_fix[f[0]]
                    continue
                if END[name] is not None and f[END[name]] == "":
                    if name == "wop":
                        assert by_key[f[0]][:5] == f[:5] and by_key[f[0]][5] >= f[4]
                    else:
                        assert ln.rsplit(";", 1)[0] in closed, (name, ln)
                    continue
                raise AssertionError(f"{name}: {ln!r} left delivery {e0} without a recorded correction")
            if name == "tewerkstelling":
                assert old_lines <= before and not old_lines & after
                assert new_lines <= after
            # What is new in k+1 starts after k's date, is about a person new in k+1 (a
            # residence from birth), closes an open row of k, or corrects a row.
            opened = {ln[:-1] for ln in before if END[name] is not None and ln.endswith(";")}
            for ln in after - before:
                f = ln.split(";")
                if f[START[name]] > e0 or f[INSZ[name]] not in known or ln.rsplit(";", 1)[0] in opened:
                    continue
                assert ln in new_lines or (name == "wop" and f[0] in wop_fix), (name, ln)
        # The withdrawn person is in all four files of the earlier delivery, in none of the later.
        for insz in gone - _withdrawn(corrections, e0):
            for name in EXTRACTS:
                assert any(ln.split(";")[INSZ[name]] == insz for ln in good[k][name]), name
                text = Path(deliveries[k + 1]["files"][name]).read_text(encoding="utf-8")
                assert insz not in text, name


def test_corrections_are_recorded(sequence: dict[str, Any], good) -> None:
    corrections = sequence["corrections"]
    kinds = Counter((c["date"], c["kind"]) for c in corrections)
    for date, lines in (("2025-09-30", good[0]), ("2025-12-31", good[1])):
        moved = kinds[date, "line_end_moved"] + kinds[date, "line_withdrawn"]
        assert 0.0005 * len(lines["tewerkstelling"]) <= moved <= 0.002 * len(lines["tewerkstelling"])
        assert kinds[date, "line_withdrawn"] > 0 and kinds[date, "line_end_moved"] > 0
        assert kinds[date, "person_withdrawn"] == 1
        wops = [c for c in corrections if c["date"] == date and c["kind"] == "wop_end_moved"]
        assert any(c["old_end"][:4] != c["new_end"][:4] for c in wops)  # across a year boundary
        assert all(c["old_end"] < c["new_end"] for c in wops)
    assert sequence["deliveries"][-1]["corrections"] == corrections


def test_nace_bel_2025_in_every_delivery(good) -> None:
    """A line from 2025-01-01 on carries its employer's NACE-BEL 2025 code, the same in
    every delivery: never one of division 45; for a garage (45.200 or 45200 on its lines
    before 2025) one of group 95.31 in its own notation; for every other employer its code
    of before 2025. Odd codes left out."""
    code: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for lines in good:
        for ln in lines["tewerkstelling"]:
            _, kbo, nace, start, _ = ln.split(";")
            assert not (start >= "2025-01-01" and nace.startswith("45")), ln
            if nace and nace not in ODD:
                code[kbo, start >= "2025-01-01"].add(nace)
    assert all(len(c) == 1 for c in code.values())
    assert not any(c.replace(".", "") in GARAGE_2025 for (_, later), (c,) in code.items() if not later)
    both = [kbo for kbo, later in code if later and (kbo, False) in code]
    garages = 0
    for kbo in both:
        (before,), (after,) = code[kbo, False], code[kbo, True]
        if before in ("45.200", "45200"):
            garages += 1
            assert after.replace(".", "") in GARAGE_2025 and ("." in after) == ("." in before), kbo
        else:
            assert after == before, kbo
    assert garages >= 5 and len(both) > 150


def test_corrected_lines_carry_the_code_of_their_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """corrections.py writes a line's NACE code by the line's start, as the deliveries do.
    With many corrections (30 % of the older lines instead of 0.1 %) some are lines of the
    garages from 2025 on: the record's old line, with its 95.31 code, is the line of the
    delivery before, and the new line keeps the code."""
    monkeypatch.setattr(demo_corrections, "LINE_RATE", 0.3)
    sequence = generate_deliveries(tmp_path, seed=42, scale=SCALE, quarters=3)
    deliveries = sequence["deliveries"]
    dates = [d["extraction_date"] for d in deliveries]
    before = [set(_good(d, "tewerkstelling")) for d in deliveries]
    garage_lines = 0
    for c in sequence["corrections"]:
        if c["extract"] != "tewerkstelling":
            continue
        old = c["old"]
        assert ";".join(old.values()) in before[dates.index(c["date"]) - 1]
        assert c["new"] is None or c["new"]["NACE"] == old["NACE"]
        later = old["STARTDATUM"] >= "2025-01-01"
        assert not (later and old["NACE"].startswith("45"))
        assert later or old["NACE"].replace(".", "") not in GARAGE_2025
        garage_lines += old["NACE"].replace(".", "") in GARAGE_2025
    assert garage_lines >= 10  # of some 35 such lines, in both batches


def test_a_delivery_does_not_depend_on_the_others(sequence: dict[str, Any], tmp_path: Path) -> None:
    """The 2025-12-31 delivery alone is the third of the sequence: same world, same corrections."""
    alone = generate(tmp_path, seed=42, scale=SCALE, extraction_date="2025-12-31")
    third = sequence["deliveries"][2]
    assert _digest(alone) == _digest(third)
    assert alone["corrections"] == third["corrections"]


def test_a_later_delivery_quarantines_exactly_its_bad_lines(sequence: dict[str, Any]) -> None:
    """Its bad rows (a date too new is one after its own extraction date plus a year)."""
    last = sequence["deliveries"][-1]
    con = duckdb.connect()
    try:
        for name, path in last["files"].items():
            loaded = ingest_file(con, parse_file_name(Path(path)), b"demo-deliveries-test-key-0123456")
            quarantined = con.execute(
                "select line_number from raw.quarantine where extract = ? order by 1", [name]
            ).fetchall()
            assert [n for (n,) in quarantined] == sorted(last["bad_lines"][name]), name
            assert loaded.exact_duplicates == last["duplicates"][name]
    finally:
        con.close()


# ------------------------------------------------------------ helpers and command line


def test_quarterly_dates_and_too_new_dates() -> None:
    iso = [dt.date(1970, 1, 1) + dt.timedelta(days=d) for d in quarterly_dates("2025-06-30", 5)]
    assert [d.isoformat() for d in iso] == [
        "2025-06-30",
        "2025-09-30",
        "2025-12-31",
        "2026-03-31",
        "2026-06-30",
    ]
    assert too_new_dates(day("2025-06-30")).tolist() == ["2026-07-01", "2031-03-15"]
    assert too_new_dates(day("2027-02-28")).tolist()[0] == "2028-02-29"
    with pytest.raises(ValueError):
        quarterly_dates("2035-06-30", 2)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path / "q"), "--scale", "0.02", "--quarters", "2"]) == 0
    assert sorted(p.name for p in (tmp_path / "q").iterdir()) == ["20250630", "20250930"]
    assert len(list((tmp_path / "q" / "20250930").glob("*_20250930.csv"))) == 4
    assert main(["--out", str(tmp_path / "one"), "--scale", "0.02", "--extraction-date", "2025-09-30"]) == 0
    assert sorted(p.name for p in (tmp_path / "one").iterdir())[0] == "evaluatie_20250930.csv"
    assert "corrections" in capsys.readouterr().out
