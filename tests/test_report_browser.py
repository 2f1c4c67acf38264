"""The HTML report in a real browser: Debian's Chromium, headless, driven over the DevTools
protocol (the `websockets` client that the environment already holds).

The demo answers for 2019-2022 and 2022-2024, and the 2019-2022 answer with its small counts
hidden as disclosure control will hide them, are laid out at a 1280 px wide screen and at the
text width of an A4 portrait page with the print stylesheet in force (print media emulated).
JavaScript in the page measures what a reader would see: no table wider than its wrapper or the
page, no cell whose content spills, no text outside its chart or the page, and the contrast of
every number on a heat-map cell against that cell's colour. Screenshots at both widths and a
PDF of the printed pages go to the test's folder and to data/answer/, for a person to look at.

`make test` installs Chromium from Debian's packages when it is missing; no browser build is
downloaded.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dagster_project.answer import DEFAULT_OUT, build, html
from dagster_project.answer.charts import SUPPRESSED_NOTE
from dagster_project.answer.model import BarChart, HeatMap, Report, Suppressed, Table

SCREEN = 1280  # px, the window of a laptop
A4 = round(html.A4_TEXT_WIDTH_PX)  # px, the text width of an A4 portrait page (210 mm less margins)
HEIGHT = 900
MIN_CONTRAST = 4.5
K = 5  # the threshold disclosure control will use: counts of 1 to K-1 are hidden

# Measures the page as laid out now; returns a JSON-able summary with every problem found.
CHECKS = r"""
(() => {
  const tol = 0.5;
  const doc = document.documentElement, body = document.body;
  const vw = doc.clientWidth;
  const problems = [];
  const round = (x) => Math.round(x * 10) / 10;
  const name = (el) => {
    const cls = el.getAttribute('class');
    const own = el.id ? '#' + el.id : (cls ? '.' + cls.split(' ').join('.') : '');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    return el.tagName.toLowerCase() + own + (text ? ' "' + text + '"' : '');
  };
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 || r.height > 0; };
  const bodyStyle = getComputedStyle(body);
  const bodyRect = body.getBoundingClientRect();
  const contentLeft = bodyRect.left + parseFloat(bodyStyle.paddingLeft);
  const contentRight = bodyRect.right - parseFloat(bodyStyle.paddingRight);
  const page = {viewport: vw, docScroll: doc.scrollWidth, bodyScroll: body.scrollWidth,
                bodyClient: body.clientWidth, text: contentRight - contentLeft};
  if (doc.scrollWidth > doc.clientWidth)
    problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  if (body.scrollWidth > body.clientWidth)
    problems.push(`body overflows: ${body.scrollWidth} > ${body.clientWidth}`);

  // Tables: within their wrapper (no sideways scroll) and within the text column; no cell spills.
  const tables = [];
  for (const t of document.querySelectorAll('table')) {
    const wrap = t.closest('.table-wrap') || t.parentElement;
    const r = t.getBoundingClientRect(), w = wrap.getBoundingClientRect();
    tables.push({id: t.id, width: round(r.width), wrapper: wrap.clientWidth, wrapperScroll: wrap.scrollWidth,
                 columns: t.tHead ? t.tHead.rows[0].cells.length : 0,
                 shortLabels: [...t.querySelectorAll('abbr.short')].filter(visible).length});
    if (wrap.scrollWidth > wrap.clientWidth)
      problems.push(`${t.id}: scrolls sideways (${wrap.scrollWidth} > ${wrap.clientWidth})`);
    if (r.right > w.right + tol || r.left < w.left - tol)
      problems.push(`${t.id}: wider than its wrapper (${r.width} > ${w.width})`);
    if (r.right > contentRight + tol || r.left < contentLeft - tol)
      problems.push(`${t.id}: outside the text (${r.left}-${r.right} in ${contentLeft}-${contentRight})`);
    for (const c of t.querySelectorAll('th, td')) {
      if (c.scrollWidth > c.clientWidth + 1)
        problems.push(`${t.id}: cell content spills: ${name(c)} (${c.scrollWidth} > ${c.clientWidth})`);
    }
  }

  // Every visible element lies within the page's width.
  let elements = 0;
  for (const el of body.querySelectorAll('*')) {
    if (el.closest('title') || !visible(el)) continue;
    elements++;
    const r = el.getBoundingClientRect();
    if (r.left < -tol || r.right > vw + tol)
      problems.push(`outside the page (${Math.round(r.left)}-${Math.round(r.right)} of ${vw}): ${name(el)}`);
  }

  // HTML elements that clip (overflow other than visible, or an ellipsis) hold all their content.
  let clipping = 0;
  for (const el of body.querySelectorAll('*')) {
    if (el instanceof SVGElement || !visible(el)) continue;
    const s = getComputedStyle(el);
    if (s.overflowX === 'visible' && s.overflowY === 'visible' && s.textOverflow !== 'ellipsis') continue;
    clipping++;
    if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1)
      problems.push(`clipped content: ${name(el)} (${el.scrollWidth}x${el.scrollHeight} `
                    + `in ${el.clientWidth}x${el.clientHeight})`);
  }

  // SVG text: inside its chart's box (an SVG clips at its viewport), its viewBox and the page.
  const charts = [];
  let texts = 0, shortened = 0;
  for (const svg of document.querySelectorAll('svg')) {
    const s = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    const chart = {label: svg.getAttribute('aria-label'), width: Math.round(s.width), viewBox: vb.width,
                   scale: Math.round(s.width / vb.width * 1000) / 1000, texts: 0, minFont: 99};
    charts.push(chart);
    for (const t of svg.querySelectorAll('text')) {
      texts++; chart.texts++;
      const r = t.getBoundingClientRect();
      chart.minFont = Math.min(chart.minFont, round(parseFloat(getComputedStyle(t).fontSize) * chart.scale));
      const inside = r.left >= s.left - tol && r.right <= s.right + tol
                     && r.top >= s.top - tol && r.bottom <= s.bottom + tol;
      if (!inside)
        problems.push(`SVG text clipped in "${chart.label}": "${t.textContent}" `
                      + `(${round(r.left - s.left)},${round(r.top - s.top)} to ${round(r.right - s.left)},`
                      + `${round(r.bottom - s.top)} in ${round(s.width)}x${round(s.height)})`);
      if (r.left < -tol || r.right > vw + tol) problems.push(`SVG text outside the page: "${t.textContent}"`);
      const b = t.getBBox();
      const inBox = b.x >= vb.x - tol && b.y >= vb.y - tol
                    && b.x + b.width <= vb.x + vb.width + tol && b.y + b.height <= vb.y + vb.height + tol;
      if (!t.transform.baseVal.numberOfItems && !inBox)
        problems.push(`SVG text outside the viewBox of "${chart.label}": "${t.textContent}"`);
      // A label shortened with an ellipsis carries the full label in its tooltip.
      const spans = [...t.querySelectorAll('tspan')].map((x) => x.textContent);
      const shown = spans.length ? spans.join(' ') : t.textContent;
      if (shown.endsWith('\u2026')) {
        shortened++;
        const tip = t.querySelector('title');
        const stem = shown.slice(0, -1).trim().replace(/[\s,;:]+$/, '');
        if (!tip || !tip.textContent.replace(/\s+/g, ' ').startsWith(stem))
          problems.push(`label shortened without its full text: "${shown}"`);
      }
    }
  }

  // Heat-map numbers against their cell: the computed colours, whatever rule set them.
  const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const linear = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const ratio = (a, b) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const opaque = (e) => getComputedStyle(e).fillOpacity === '1' && getComputedStyle(e).opacity === '1';
  const contrast = {cells: 0, min: null, darkest: null, suppressed: 0, missing: 0};
  for (const g of document.querySelectorAll('svg g.cell')) {
    const rect = g.querySelector('rect'), text = g.querySelector('text');
    if (!rect || !text) { problems.push('heat-map cell without its rect and text'); continue; }
    const fill = getComputedStyle(rect).fill, ink = getComputedStyle(text).fill;
    const cr = ratio(ink, fill);
    contrast.cells++;
    if (text.textContent === 'x') contrast.suppressed++;
    if (text.textContent === '\u2013') contrast.missing++;
    if (contrast.min === null || cr < contrast.min) contrast.min = Math.round(cr * 100) / 100;
    const l = lum(rgb(fill));
    if (contrast.darkest === null || l < contrast.darkest.luminance)
      contrast.darkest = {luminance: l, fill, ink, ratio: Math.round(cr * 100) / 100, text: text.textContent};
    if (cr < 4.5 || !opaque(rect) || !opaque(text))
      problems.push(`low contrast ${cr.toFixed(2)}:1 for "${text.textContent}" (${ink} on ${fill})`);
  }

  // The note on provisional figures stands with the first table that holds them.
  const marked = [...document.querySelectorAll('table')].find((t) =>
    (t.caption && t.caption.textContent.includes('(*)'))
    || [...t.querySelectorAll('th, tbody td:first-child')].some((c) => c.textContent.trim().endsWith('*')));
  const provisional = {firstTable: marked ? marked.id : null, noteWithIt: null};
  if (marked) {
    const block = marked.closest('.table-block');
    const note = block && block.querySelector('.provisional-note');
    provisional.noteWithIt = !!note && visible(note);
    if (!provisional.noteWithIt) problems.push(`no provisional note with ${marked.id}`);
  }

  // Every table and chart with a hidden cell explains the x.
  const suppressed = {tables: 0, charts: 0};
  for (const t of document.querySelectorAll('table')) {
    if (![...t.querySelectorAll('td')].some((c) => c.textContent === 'x')) continue;
    suppressed.tables++;
    const block = t.closest('.table-block');
    const note = block && block.querySelector('.suppressed-note');
    if (!note || !visible(note)) problems.push(`${t.id}: hidden cells without the note`);
  }
  for (const svg of document.querySelectorAll('svg')) {
    const all = [...svg.querySelectorAll('text')];
    if (!all.some((x) => x.textContent === 'x')) continue;
    suppressed.charts++;
    if (!all.some((x) => x.textContent.includes('niet gepubliceerd')))
      problems.push(`chart "${svg.getAttribute('aria-label')}": hidden values without the legend line`);
  }
  return {page, tables, charts, elements, clipping, texts, shortened, contrast, provisional, suppressed,
          problems};
})()
"""


class DevTools:
    """A headless Chromium and one page of it, over the DevTools protocol."""

    def __init__(self, binary: str, profile: Path) -> None:
        from websockets.sync.client import connect

        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",  # as root, and in containers without user namespaces
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"{binary} did not start (exit code {self.process.poll()})")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self.stack = contextlib.ExitStack()
        self.socket = self.stack.enter_context(
            connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=30)
        )
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self.width = SCREEN
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.page("Page.enable")

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        message: dict[str, Any] = {"id": next(self.ids), "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=120))
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            if "method" in reply:
                self.events.append(reply)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.call(method, self.session, **params)

    def wait_for(self, event: str) -> None:
        while True:
            if any(e["method"] == event for e in self.events):
                self.events.clear()
                return
            reply = json.loads(self.socket.recv(timeout=120))
            if "method" in reply:
                self.events.append(reply)

    def open(self, page: Path) -> None:
        self.events.clear()
        self.page("Page.navigate", url=page.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def layout(self, width: int, media: str) -> None:
        """Lay the page out in a window ``width`` px wide, for ``media``: screen (a window with its
        vertical scroll bar) or print (the window as tall as the page: paper has no scroll bar)."""
        self.width = width
        self.page("Emulation.setEmulatedMedia", media=media)
        self.resize(width, HEIGHT)
        if media == "print":
            self.resize(width, self.evaluate("document.documentElement.scrollHeight"))

    def resize(self, width: int, height: int) -> None:
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def evaluate(self, expression: str) -> Any:
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        """The whole page as PNG, in a window as tall as the page (so without a scroll bar)."""
        height = self.evaluate("document.documentElement.scrollHeight")
        self.resize(self.width, height)
        height = self.evaluate("document.documentElement.scrollHeight")
        data = self.page(
            "Page.captureScreenshot",
            format="png",
            clip={"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1},
        )["data"]
        path.write_bytes(base64.b64decode(data))

    def pdf(self, path: Path) -> None:
        """The page printed: its own @page size (A4 portrait) and margins."""
        self.page("Emulation.clearDeviceMetricsOverride")
        self.page("Emulation.setEmulatedMedia", media="")
        data = self.page("Page.printToPDF", printBackground=True, preferCSSPageSize=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the browser may already be gone
            self.call("Browser.close")
        self.stack.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            "Chromium is not installed: `make test` installs it (apt-get install -y chromium); "
            "or install Debian's package by hand"
        )
    return found


def hide_small_counts(report: Report) -> Report:
    """The report with every count of 1 to K-1 hidden (primary suppression only), the way
    disclosure control marks cells: Suppressed in tables, heat maps and bars."""

    def hidden(value: Any, kind: str) -> Any:
        small = kind == "int" and isinstance(value, int) and not isinstance(value, bool) and 0 < value < K
        return Suppressed() if small else value

    def table(t: Table) -> Table:
        def row(values: list[Any]) -> list[Any]:
            return [hidden(v, c.kind) for v, c in zip(values, t.columns, strict=True)]

        return dataclasses.replace(
            t, rows=[row(r) for r in t.rows], total=row(t.total) if t.total is not None else None
        )

    def chart(c: BarChart | HeatMap) -> BarChart | HeatMap:
        return dataclasses.replace(c, values=[[hidden(v, c.kind) for v in r] for r in c.values])

    sections = [
        dataclasses.replace(s, tables=[table(t) for t in s.tables], charts=[chart(c) for c in s.charts])
        for s in report.sections
    ]
    return dataclasses.replace(report, sections=sections)


PAGES = ("2019-2022", "2022-2024", "2019-2022-hidden")
LAYOUTS = {"1280": (SCREEN, "screen"), "a4": (A4, "print")}
# The files a person looks at, in data/answer/ (the 2019-2022 answer under the plain names).
KEPT = {
    "2019-2022": {"1280": "screenshot_1280.png", "a4": "screenshot_a4.png", "pdf": "answer_a4.pdf"},
    "2022-2024": {
        "1280": "screenshot_2022-2024_1280.png",
        "a4": "screenshot_2022-2024_a4.png",
        "pdf": "answer_2022-2024_a4.pdf",
    },
    "2019-2022-hidden": {
        "1280": "screenshot_2019-2022_hidden_1280.png",
        "a4": "screenshot_2019-2022_hidden_a4.png",
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("report_browser")


@pytest.fixture(scope="module")
def pages(demo_pipeline: dict, out: Path) -> dict[str, Path]:
    """The demo answers as HTML files: 2019-2022, 2022-2024 (provisional years, NACE-BEL 2025),
    and 2019-2022 with its small counts hidden."""
    published = demo_pipeline["settings"].published
    first, second = build(published, 2019, 2022), build(published, 2022, 2024)
    hidden = html.render(hide_small_counts(first.report), Path(published).name)
    files = {}
    for name, page in zip(PAGES, (first.html, second.html, hidden), strict=True):
        files[name] = out / f"answer_{name}.html"
        files[name].write_text(page, encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def measured(pages: dict[str, Path], out: Path) -> Iterator[dict[tuple[str, str], dict[str, Any]]]:
    """Every page laid out at 1280 px (screen) and at A4 text width (print): the checks' results;
    screenshots of each and a PDF of the printed pages, copied to data/answer/."""
    binary = chromium()
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    browser = DevTools(binary, profile)
    results: dict[tuple[str, str], dict[str, Any]] = {}
    kept = DEFAULT_OUT
    kept.mkdir(parents=True, exist_ok=True)
    try:
        for name, page in pages.items():
            browser.open(page)
            for layout, (width, media) in LAYOUTS.items():
                browser.layout(width, media)
                results[(name, layout)] = browser.evaluate(CHECKS)
                shot = out / f"answer_{name}_{layout}.png"
                browser.screenshot(shot)
                if layout in KEPT[name]:
                    shutil.copy2(shot, kept / KEPT[name][layout])
            if "pdf" in KEPT[name]:
                pdf = out / f"answer_{name}_a4.pdf"
                browser.pdf(pdf)
                shutil.copy2(pdf, kept / KEPT[name]["pdf"])
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    summary = {f"{name} {layout}": result for (name, layout), result in results.items()}
    (out / "report_checks.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    shutil.copy2(out / "report_checks.json", kept / "report_checks.json")
    for key, r in summary.items():
        widest = max(r["tables"], key=lambda t: t["width"])
        print(
            f"{key:>22}: page {r['page']['docScroll']}/{r['page']['viewport']} px, text column "
            f"{r['page']['text']:.0f} px; widest table {widest['id']} {widest['width']:.0f} px "
            f"(wrapper {widest['wrapper']}, scroll {widest['wrapperScroll']}); {len(r['charts'])} charts, "
            f"{r['texts']} SVG texts (smallest {min(c['minFont'] for c in r['charts'])} px); "
            f"heat-map contrast min {r['contrast']['min']}:1 over {r['contrast']['cells']} cells; "
            f"{len(r['problems'])} problems"
        )
    yield results


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("name", PAGES)
def test_the_report_fits_without_overflow_or_clipping(
    measured: dict[tuple[str, str], dict[str, Any]], name: str, layout: str
) -> None:
    r = measured[(name, layout)]
    width = LAYOUTS[layout][0]
    assert r["problems"] == []
    assert r["page"]["docScroll"] <= r["page"]["viewport"] <= width
    assert r["page"]["bodyScroll"] <= r["page"]["bodyClient"]
    assert len(r["tables"]) >= 13 and len(r["charts"]) >= 9 and r["texts"] > 400
    # Chart text scales with its chart: at least 8 px (6 pt) where the smallest ends up.
    assert min(c["minFont"] for c in r["charts"]) >= 8
    for table in r["tables"]:
        assert table["wrapperScroll"] <= table["wrapper"], table
        assert table["width"] <= r["page"]["text"] + 0.5, table
    assert r["elements"] > 1000


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("name", PAGES)
def test_heat_map_numbers_are_legible(
    measured: dict[tuple[str, str], dict[str, Any]], name: str, layout: str
) -> None:
    contrast = measured[(name, layout)]["contrast"]
    assert contrast["cells"] >= 22 * 8  # the sector x province heat map alone
    assert contrast["min"] >= MIN_CONTRAST
    darkest = contrast["darkest"]
    assert darkest["ratio"] >= MIN_CONTRAST and darkest["ink"] == "rgb(255, 255, 255)", darkest


def test_wide_tables_use_short_labels_in_print_only(measured: dict[tuple[str, str], dict[str, Any]]) -> None:
    """The sector x province tables and the key-figure table show all their columns: full names
    on the screen, on A4 the short labels (spelled out under the table)."""
    for name in PAGES:
        screen = {t["id"]: t for t in measured[(name, "1280")]["tables"]}
        paper = {t["id"]: t for t in measured[(name, "a4")]["tables"]}
        wide = ["table-q2", "table-q4"] + (["table-q2_2025"] if name == "2022-2024" else [])
        for key in wide:
            assert screen[key]["shortLabels"] == 0
            assert paper[key]["shortLabels"] >= 8
            assert screen[key]["columns"] == paper[key]["columns"] >= 10


def test_the_provisional_note_stands_with_the_first_provisional_table(
    measured: dict[tuple[str, str], dict[str, Any]], pages: dict[str, Path]
) -> None:
    assert measured[("2019-2022", "1280")]["provisional"] == {"firstTable": None, "noteWithIt": None}
    assert measured[("2022-2024", "1280")]["provisional"] == {"firstTable": "table-q1", "noteWithIt": True}
    page = pages["2022-2024"].read_text(encoding="utf-8")
    first_table_end = page.index("</table>")
    note = page.index("(*) Voorlopig")
    assert first_table_end < note < page.index("<table", first_table_end)
    assert page.count("(*) Voorlopig: voor cohortjaren 2023, 2024") == 2  # and at the end


def test_hidden_cells_are_drawn_and_explained(
    measured: dict[tuple[str, str], dict[str, Any]], pages: dict[str, Path]
) -> None:
    """Counts hidden by disclosure control: an x in tables, grey x cells in heat maps, an x instead
    of a bar in bar charts, and the line that explains the x with each of them (the checks in the
    page report any table or chart with an x and without the line)."""
    for layout in LAYOUTS:
        r = measured[("2019-2022-hidden", layout)]
        assert r["suppressed"]["tables"] >= 3 and r["suppressed"]["charts"] >= 3
        assert r["contrast"]["suppressed"] > 0
    hidden = pages["2019-2022-hidden"].read_text(encoding="utf-8")
    assert hidden.count(f'<p class="note suppressed-note">{SUPPRESSED_NOTE}</p>') >= 3
    # The line stands where an x is shown, and only there.
    for name, page in pages.items():
        shown = measured[(name, "1280")]["suppressed"]
        assert (SUPPRESSED_NOTE in page.read_text(encoding="utf-8")) == (
            shown["tables"] + shown["charts"] > 0
        )


def test_screenshots_and_pdf_are_written(measured: dict[tuple[str, str], dict[str, Any]]) -> None:
    for files in KEPT.values():
        for file in files.values():
            path = DEFAULT_OUT / file
            head = path.read_bytes()[:8]
            assert head.startswith(b"\x89PNG") or head.startswith(b"%PDF"), path
            assert path.stat().st_size > 10_000
    assert os.path.getsize(DEFAULT_OUT / "report_checks.json") > 0
