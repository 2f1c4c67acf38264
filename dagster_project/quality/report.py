"""The quality gate's report: one HTML page of our own, readable offline.

Each validation of a suite is kept as ``<docs_dir>/results/<suite>.json`` (the newest
validation of each suite; one file per suite, replaced by its next validation), and the
page ``<docs_dir>/index.html`` is rendered again from all of them after every step.
So the suites of the raw step stay on the page after the models step, and a suite
that did not run in the newest run (a run that stopped at the raw step, a check run
alone from the UI) shows its earlier result, marked as such.

The page has its styles inline and no scripts, fonts, images or links to other sites
(its Content-Security-Policy forbids loading anything), so it reads the same without
internet. Every value is escaped. Only what GX reports per expectation is kept: the
observed value, the counts of unexpected values and GX's partial_unexpected_list
(at most 20 values of the validated frame, which is an aggregate), never rows or
row indexes.

GX's own data docs are no longer built: they load Bootstrap, jQuery and Font Awesome
from CDNs (a blank page offline), each step's build replaced the other's index, and
they cost about half a second per step.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPORT_FILE = "index.html"
CSP = "default-src 'none'; style-src 'unsafe-inline'"  # the page may load nothing at all
RESULTS_DIR = "results"
SCHEMA = 1
MAX_EXAMPLES = 20  # GX's partial_unexpected_list holds at most 20 values


def report_path(docs_dir: str | Path) -> Path:
    """The report page for a docs folder (``DataQuality.docs_dir``): what to show an operator."""
    return Path(docs_dir) / REPORT_FILE


def results_dir(docs_dir: str | Path) -> Path:
    return Path(docs_dir) / RESULTS_DIR


def _file_name(suite: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", suite) + ".json"


def _write_atomically(path: Path, text: str) -> None:
    """Readers (a browser, another step rendering the page) never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as tmp:
        tmp.write(text)
    os.replace(tmp.name, path)


def _remove_gx_data_docs(docs_dir: Path) -> None:
    """Remove GX data docs that earlier versions built here (stale results, unreadable offline)."""
    if (docs_dir / "static" / "styles" / "data_docs_default_styles.css").is_file():
        for name in ("static", "expectations", "validations"):
            shutil.rmtree(docs_dir / name, ignore_errors=True)


def write_result(docs_dir: str | Path, record: dict[str, Any]) -> Path:
    """Keep one suite's validation (a record made by ``expectations.validate_all``)."""
    record = {"schema": SCHEMA, "validated_at": datetime.now(UTC).isoformat(), **record}
    path = results_dir(docs_dir) / _file_name(record["suite"])
    _write_atomically(path, json.dumps(record, indent=1, default=str, ensure_ascii=False))
    return path


def read_results(docs_dir: str | Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The kept validations in page order (by suite), and the files that could not be read."""
    records, unreadable = [], []
    for path in sorted(results_dir(docs_dir).glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record.get("schema") != SCHEMA:
                raise ValueError("another schema")
            records.append(record)
        except (OSError, ValueError, AttributeError):
            unreadable.append(path.name)
    records.sort(key=lambda r: r.get("suite", ""))
    return records, unreadable


def render_report(docs_dir: str | Path) -> Path:
    """Render the page from every kept validation; returns its path."""
    docs_dir = Path(docs_dir)
    records, unreadable = read_results(docs_dir)
    path = report_path(docs_dir)
    _write_atomically(path, _page(records, unreadable))
    _remove_gx_data_docs(docs_dir)
    return path


def record_and_render(docs_dir: str | Path, records: Iterable[dict[str, Any]]) -> Path:
    for record in records:
        write_result(docs_dir, record)
    return render_report(docs_dir)


# --- the page ----------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       margin: 0; padding: 1.5rem 2rem 3rem; color: #1d2329; background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 0; }
.sub { color: #56606b; margin: 0 0 1rem; }
.banner { padding: .8rem 1rem; border-radius: 6px; font-weight: 600; margin: 1rem 0; }
.banner.failed { background: #fde2e1; color: #8a1c15; border: 1px solid #f1a9a4; }
.banner.passed { background: #dff3e4; color: #1c5c2e; border: 1px solid #9fd4ae; }
.banner.empty { background: #eef1f4; color: #3b4650; border: 1px solid #cfd6dd; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e1e5ea; }
th { background: #f4f6f8; font-weight: 600; white-space: nowrap; }
td.num { white-space: nowrap; }
tr.failed td { background: #fff3f2; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.status { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-weight: 600;
          font-size: .85em; }
.status.passed { background: #dff3e4; color: #1c5c2e; }
.status.failed { background: #fde2e1; color: #8a1c15; }
.tag { display: inline-block; padding: .05rem .5rem; border-radius: 4px; background: #fff2cc;
       color: #6b4e00; font-size: .85em; margin-left: .4rem; }
section.suite { border: 1px solid #d5dbe1; border-radius: 8px; padding: 1rem 1.2rem; margin: 1.2rem 0; }
section.suite.failed { border-color: #e8938c; border-left: 6px solid #c7362b; }
section.suite.passed { border-left: 6px solid #3d9a57; }
.meta { color: #56606b; margin: .3rem 0; }
.notes { margin: .4rem 0; }
.examples { color: #56606b; font-size: .9em; }
.error { color: #8a1c15; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .2rem; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _anchor(suite: str) -> str:
    return "suite-" + re.sub(r"[^A-Za-z0-9_-]", "-", suite)


def _when(validated_at: Any) -> str:
    try:
        return datetime.fromisoformat(str(validated_at)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return str(validated_at)


def _status(passed: bool) -> str:
    word = "passed" if passed else "failed"
    return f'<span class="status {word}">{word}</span>'


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)


def _observed_cell(exp: dict[str, Any]) -> str:
    parts = []
    if exp.get("error"):
        parts.append(f'<span class="error">error: {_e(exp["error"])}</span>')
    if "observed_value" in exp:
        parts.append(f'<span class="mono">{_e(_json_text(exp["observed_value"]))}</span>')
    if exp.get("unexpected_count") is not None:
        of = f" of {_e(exp['element_count'])}" if exp.get("element_count") is not None else ""
        share = exp.get("unexpected_percent")
        pct = f" ({share:.3g}%)" if isinstance(share, int | float) else ""
        parts.append(f"{_e(exp['unexpected_count'])}{of} values unexpected{_e(pct)}")
        if exp.get("missing_count"):
            parts.append(f"{_e(exp['missing_count'])} null (not judged)")
        examples = exp.get("unexpected_examples") or []
        if examples:
            shown = ", ".join(_e(_json_text(v)) for v in examples[:MAX_EXAMPLES])
            parts.append(f'<span class="examples">e.g. <span class="mono">{shown}</span></span>')
    return "<br>".join(parts) or "&mdash;"


def _suite_section(record: dict[str, Any], newest_run: Any) -> str:
    suite = record.get("suite", "?")
    passed = bool(record.get("passed"))
    earlier = (
        '<span class="tag">from an earlier run</span>'
        if record.get("run_id") != newest_run and newest_run is not None
        else ""
    )
    rows = []
    for exp in record.get("expectations", []):
        ok = bool(exp.get("success"))
        rows.append(
            f'<tr class="{"passed" if ok else "failed"}">'
            f"<td><code>{_e(exp.get('type', ''))}</code></td>"
            f"<td><code>{_e(exp.get('column') or '(table)')}</code></td>"
            f"<td>{_observed_cell(exp)}</td>"
            f'<td class="mono">{_e(exp.get("threshold") or "")}</td>'
            f"<td>{_status(ok)}</td>"
            f"<td>{_e(exp.get('notes') or '')}</td>"
            "</tr>"
        )
    word = "passed" if passed else "failed"
    return (
        f'<section class="suite {word}" id="{_e(_anchor(suite))}">'
        f"<h2>{_e(suite)} {_status(passed)}{earlier}</h2>"
        f'<p class="meta">asset <code>{_e(record.get("asset", ""))}</code> &middot; '
        f"validates <code>{_e(record.get('model', ''))}</code> &middot; "
        f"check <code>gx_{_e(suite)}</code> &middot; "
        f"{_e(record.get('rows_validated', '?'))} rows validated &middot; "
        f"{_e(record.get('evaluated', '?'))} expectations &middot; "
        f"validated {_e(_when(record.get('validated_at', '?')))} UTC &middot; "
        f"run <code>{_e(record.get('run_id') or '-')}</code></p>"
        f'<p class="notes">{_e(record.get("notes") or "")}</p>'
        "<table><thead><tr><th>expectation</th><th>column</th><th>observed</th><th>threshold</th>"
        "<th>result</th><th>notes</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>"
    )


def _page(records: list[dict[str, Any]], unreadable: list[str]) -> str:
    newest = max(records, key=lambda r: r.get("validated_at", ""), default=None)
    newest_run = newest.get("run_id") if newest else None
    failed = [r for r in records if not r.get("passed")]
    if not records:
        banner = '<div class="banner empty">No suite has been validated yet.</div>'
    elif failed:
        banner = (
            f'<div class="banner failed">{len(failed)} of {len(records)} suites failed: the gate is closed, '
            "nothing is published until every check of a run passes.</div>"
        )
    else:
        banner = f'<div class="banner passed">All {len(records)} suites passed.</div>'
    summary_rows = "".join(
        f'<tr class="{"passed" if r.get("passed") else "failed"}">'
        f'<td><a href="#{_e(_anchor(r.get("suite", "?")))}">{_e(r.get("suite", "?"))}</a></td>'
        f"<td><code>{_e(r.get('model', ''))}</code></td><td><code>{_e(r.get('asset', ''))}</code></td>"
        f"<td>{_status(bool(r.get('passed')))}</td>"
        f'<td class="num">{_e(sum(not x.get("success") for x in r.get("expectations", [])))}'
        f" of {_e(len(r.get('expectations', [])))}</td>"
        f'<td class="num">{_e(_when(r.get("validated_at", "?")))}</td>'
        f"<td><code>{_e(r.get('run_id') or '-')}</code></td></tr>"
        for r in records
    )
    summary = (
        "<table><thead><tr><th>suite</th><th>rows of</th><th>asset</th><th>result</th>"
        "<th>failed expectations</th><th>validated (UTC)</th><th>run</th></tr></thead>"
        f"<tbody>{summary_rows}</tbody></table>"
        if records
        else ""
    )
    sections = [_suite_section(r, newest_run) for r in records]
    broken = (
        f'<p class="error">Result files that could not be read: {_e(", ".join(unreadable))}</p>'
        if unreadable
        else ""
    )
    title = "Doorstroom quality gate" + (f": {len(failed)} suite(s) failed" if failed else "")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        "<h1>Doorstroom quality gate</h1>"
        '<p class="sub">The newest validation of each Great Expectations suite (expectations/*.json). '
        "Thresholds are the suites' kwargs; see expectations/README.md.</p>"
        f"{banner}{summary}{broken}{''.join(sections)}</body></html>\n"
    )
