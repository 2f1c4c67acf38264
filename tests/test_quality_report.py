"""The quality gate's own report page (issue 12, point 9): real suites validated on small
hand-made frames in two separate steps, as the raw and models steps do; the page shows
both, is escaped, keeps no rows, loads nothing from the network and is not blank in a
real headless browser without internet."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from dagster_project.quality.expectations import Suite, load_suites, validate_all
from dagster_project.quality.report import render_report, report_path, results_dir

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "<img src=x onerror=alert(1)>"
ROW_SENTINEL = "ROW-ONLY-85073003328"  # a value in a column no expectation reads
INDEX_SENTINEL = "INDEX-ONLY-7"  # a row index: GX returns it, the report must not keep it


def _suites() -> dict[str, Suite]:
    return {suite.name: suite for suite in load_suites()}


ESCAPING = Suite(
    name="escaping_probe",
    asset="escaping_probe",
    model="qa_escaping_probe",
    description="<script>alert('notes')</script> & more",
    expectations=[
        {
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "label", "value_set": ["ok"]},
            "meta": {"notes": "<b>bold</b> notes"},
        }
    ],
)


def _passing_raw_loads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "extract": ["evaluatie", "pop", "verblijfplaats", "wop"],
            "quarantine_share": [0.0, 0.01, 0.02, 0.0],
            "volume_ratio_to_published": [None, 0.95, 1.0, 1.2],
            "extraction_date_spread_days": [3, 3, 3, 3],
        }
    )


def _failing_returns() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "province": ["Antwerpen", "Limburg"],
            "returns": [3, -7],
            "cohort_year_in_transitions": [True, True],
            "unvalidated": [ROW_SENTINEL, ROW_SENTINEL],
        },
        index=["INDEX-ONLY-6", INDEX_SENTINEL],
    )


def _hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"label": ["ok", HOSTILE]})


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The raw step (run-1, passes), then the models step (run-2, fails) into one docs folder."""
    docs = tmp_path_factory.mktemp("quality") / "gx_data_docs"
    suites = _suites()
    raw = validate_all([(suites["raw_loads"], _passing_raw_loads())], docs_dir=docs, run_id="run-1")
    after_raw = report_path(docs).read_text(encoding="utf-8")
    models = validate_all(
        [(suites["returns_by_province"], _failing_returns()), (ESCAPING, _hostile_frame())],
        docs_dir=docs,
        run_id="run-2",
    )
    return {
        "docs": docs,
        "raw": raw,
        "models": models,
        "after_raw": after_raw,
        "page": report_path(docs).read_text(encoding="utf-8"),
    }


def _section(page: str, suite: str) -> str:
    match = re.search(rf'<section class="suite (\w+)" id="suite-{suite}">.*?</section>', page, re.S)
    assert match, f"no section for {suite}"
    return match.group(0)


def _rows(section: str) -> list[str]:
    return re.findall(r"<tr class=\"(?:passed|failed)\">.*?</tr>", section, re.S)


def test_outcomes_match_the_frames(steps):
    assert [o.passed for o in steps["raw"]] == [True]
    assert [o.passed for o in steps["models"]] == [False, False]


def test_failed_expectation_shows_observed_value_and_threshold(steps):
    page = steps["page"]
    assert "<title>Doorstroom quality gate: 2 suite(s) failed</title>" in page
    section = _section(page, "returns_by_province")
    assert section.startswith('<section class="suite failed"')
    assert "asset <code>returns_by_province</code>" in section
    assert "Q3 facts: accepted provinces" in section  # the suite's meta.notes
    failed = [row for row in _rows(section) if row.startswith('<tr class="failed">')]
    assert len(failed) == 1
    row = failed[0]
    assert "<code>expect_column_values_to_be_between</code>" in row
    assert "<code>returns</code>" in row
    assert "1 of 2 values unexpected (50%)" in row
    assert '<span class="mono">-7</span>' in row  # the observed (unexpected) value
    assert "min_value=0.0" in row  # the threshold
    assert '<span class="status failed">failed</span>' in row
    passed = [row for row in _rows(section) if row.startswith('<tr class="passed">')]
    assert any("Returns are attributed to a transition&#x27;s cohort year" in r for r in passed)


def test_every_suite_stays_on_the_page(steps):
    """A suite validated in an earlier run only (a run that selected one check, say) stays."""
    assert 'id="suite-raw_loads"' in steps["after_raw"]
    assert "returns_by_province" not in steps["after_raw"]
    page = steps["page"]
    raw = _section(page, "raw_loads")
    assert raw.startswith('<section class="suite passed"')
    assert "asset <code>qa_raw_loads</code>" in raw
    assert "validates <code>qa_raw_loads</code>" in raw
    assert "<code>expect_table_row_count_to_equal</code>" in raw
    assert '<span class="mono">4</span>' in raw  # the observed row count
    assert "from an earlier run" in raw  # run-1, the newest results are run-2's
    assert "from an earlier run" not in _section(page, "returns_by_province")
    assert page.index('id="suite-raw_loads"') < page.index('id="suite-returns_by_province"')
    assert sorted(p.name for p in results_dir(steps["docs"]).iterdir()) == [
        "escaping_probe.json",
        "raw_loads.json",
        "returns_by_province.json",
    ]


def test_a_suite_validated_again_replaces_its_result(steps, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(steps["docs"], docs)
    validate_all([(_suites()["raw_loads"], _passing_raw_loads().head(3))], docs_dir=docs, run_id="run-3")
    page = report_path(docs).read_text(encoding="utf-8")
    raw = _section(page, "raw_loads")
    assert raw.startswith('<section class="suite failed"')  # three of the four extracts
    assert "run <code>run-3</code>" in raw and "from an earlier run" not in raw
    assert "from an earlier run" in _section(page, "returns_by_province")
    assert len(list(results_dir(docs).glob("*.json"))) == 3


def test_values_are_escaped(steps):
    page = steps["page"]
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page
    section = _section(page, "escaping_probe")
    assert "&lt;script&gt;alert(&#x27;notes&#x27;)&lt;/script&gt; &amp; more" in section
    assert "&lt;img src=x onerror=alert(1)&gt;" in section
    assert "&lt;b&gt;bold&lt;/b&gt; notes" in section


def test_no_rows_or_row_indexes_are_kept(steps):
    """Only GX's aggregates and partial_unexpected_list; not its partial_unexpected_index_list."""
    written = [p for p in steps["docs"].rglob("*") if p.is_file()]
    assert len(written) == 4  # the page and three results
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert ROW_SENTINEL not in text, path
        assert INDEX_SENTINEL not in text, path
    assert "-7" in (results_dir(steps["docs"]) / "returns_by_province.json").read_text()


NETWORK = re.compile(
    r"""(?:\b(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)""",
    re.I,
)


def test_the_page_loads_nothing_from_the_network(steps):
    page = steps["page"]
    assert NETWORK.search(page) is None
    assert not re.search(r"<(?:script|link|img|iframe|object|embed)\b", page, re.I)
    assert "default-src 'none'" in page  # and the browser may not load anything anyway
    # The check itself catches what GX's data docs do.
    assert NETWORK.search('<link href="https://maxcdn.bootstrapcdn.com/x.css">')
    assert NETWORK.search("<style>@import url('//fonts.example/x.css')</style>")


def test_report_path_is_the_page_the_checks_write(steps):
    assert report_path(steps["docs"]) == steps["docs"] / "index.html"
    assert report_path(str(steps["docs"])).read_text(encoding="utf-8") == steps["page"]


def test_gx_data_docs_of_earlier_versions_are_removed(tmp_path):
    docs = tmp_path / "gx_data_docs"
    (docs / "static" / "styles").mkdir(parents=True)
    (docs / "static" / "styles" / "data_docs_default_styles.css").write_text("")
    (docs / "validations" / "raw_loads").mkdir(parents=True)
    (docs / "expectations").mkdir()
    (docs / "index.html").write_text('<link href="https://maxcdn.bootstrapcdn.com/b.css">')
    render_report(docs)
    assert sorted(p.name for p in docs.iterdir()) == ["index.html"]
    assert "No suite has been validated yet." in (docs / "index.html").read_text()


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.geteuid() != 0:
            pytest.skip(f"{CHROMIUM} is missing and installing it needs root: apt-get install -y chromium")
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=False,
            capture_output=True,
            timeout=900,
        )
        if not CHROMIUM.exists():
            pytest.skip(f"{CHROMIUM} is missing and `apt-get install -y chromium` did not install it")
    return CHROMIUM


def _visible_text(dom: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_page_is_not_blank_in_headless_chromium(steps, chromium, tmp_path):
    result = subprocess.run(
        [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            report_path(steps["docs"]).as_uri(),
        ],
        env={**os.environ, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = _visible_text(result.stdout)
    for suite in ("raw_loads", "returns_by_province", "escaping_probe"):
        assert suite in text
    assert "2 of 3 suites failed" in text
    assert "expect_column_values_to_be_between" in text and "min_value=0.0" in text
    assert HOSTILE in text  # shown as text, not made an element
    assert "<img" not in result.stdout
