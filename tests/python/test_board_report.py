"""The board report in a real browser (Debian's chromium, headless): every part rendered and screenshotted on
a desktop and a phone width, no console error, no request to any other address, no text wider than its box;
and the same bytes from the command line and from Python."""

import html as html_text
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import finsam

from conftest import run

CHROMIUM = shutil.which("chromium")

# Run inside the page after load: elements whose content is wider than their box (and not a scrolling
# table wrapper), and whether the page itself is wider than the window. The answer goes into the DOM.
PROBE = """
<script>
window.addEventListener('load', () => {
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) continue;
    if (el.closest('.table-wrap') || el.closest('svg')) continue;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) bad.push(el.tagName + ':' + (el.textContent || '').trim().slice(0, 40));
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('PAGE:' + document.documentElement.scrollWidth);
  const out = document.createElement('pre');
  out.id = 'overflow-probe';
  out.textContent = JSON.stringify(bad);
  document.body.appendChild(out);
});
</script>
"""


def chromium(*args: str) -> subprocess.CompletedProcess:
    # Every host name resolves to nothing: a request to any other address would fail and be logged.
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
         "--host-resolver-rules=MAP * ~NOTFOUND", *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def report(demo_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("board") / "rapport.html"
    run("board-report", "--db", demo_db, "--federation", "umea", "--period", "2020-2021", "--vs", "2022-2023", "--out", str(out))
    return out


def test_the_same_bytes_from_the_command_line_and_from_python(demo_db, report, tmp_path):
    m = finsam.open(demo_db, read_only=True)
    board = m.board_report(federation="umea", period="2020-2021", vs="2022-2023")
    assert board.html == report.read_text(encoding="utf-8")
    assert board.title.startswith("Styrelserapport") and "<iframe srcdoc=" in board._repr_html_()
    board.save(tmp_path / "again.html")
    assert (tmp_path / "again.html").read_bytes() == report.read_bytes()
    with pytest.raises(finsam.UnknownNameError, match="umea"):
        m.board_report(federation="nowhere", period="2020-2021", vs="2022-2023")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by scripts/setup.sh")
@pytest.mark.parametrize("width", [1200, 390])
def test_renders_in_a_real_browser_without_errors_requests_or_overflow(report, tmp_path, width):
    shot = tmp_path / f"board-{width}.png"
    done = chromium(f"--window-size={width},12000", f"--screenshot={shot}", report.as_uri())
    assert shot.exists() and shot.stat().st_size > 50_000, done.stderr[-2000:]
    log = done.stderr
    assert not re.search(r"CONSOLE\(\d+\)\].*(Error|error)", log), log[-2000:]
    assert "net::ERR" not in log, log[-2000:]
    # Keep the screenshots where a person can look at them.
    keep = Path(os.environ.get("FINSAM_SCREENSHOTS", Path.home() / ".cache/finsam/screenshots"))
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, keep / shot.name)

    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(f"--window-size={width},2000", "--virtual-time-budget=5000", "--dump-dom", probed.as_uri()).stdout
    found = re.search(r'<pre id="overflow-probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-1000:]
    assert found.group(1) == "[]", f"text wider than its box at {width} px: {found.group(1)}"


PDFTOPPM = shutil.which("pdftoppm")


def dark_share(pgm: bytes) -> float:
    """The share of a greyscale page's pixels that are not white (a binary PGM: header, then one byte each)."""
    parts = pgm.split(maxsplit=4)
    assert parts[0] == b"P5", parts[:4]
    width, height = int(parts[1]), int(parts[2])
    pixels = parts[4][-width * height:]
    return sum(1 for p in pixels if p < 200) / len(pixels)


@pytest.mark.skipif(PDFTOPPM is None, reason="poppler-utils is installed by scripts/setup-browser.sh")
def test_the_pdf_has_every_page_drawn_the_report_numbers_and_the_same_bytes_from_python(demo_db, report, tmp_path):
    pdf = tmp_path / "rapport.pdf"
    run("board-report", "--db", demo_db, "--federation", "umea", "--period", "2020-2021", "--vs", "2022-2023",
        "--out", str(tmp_path / "r.html"), "--pdf", str(pdf))
    m = finsam.open(demo_db, read_only=True)
    assert m.board_report(federation="umea", period="2020-2021", vs="2022-2023").pdf() == pdf.read_bytes()

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 8, info
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts and all(" yes " in line for line in fonts.splitlines()[2:]), fonts

    # Every page rasterised and drawn on (none blank); kept for a person to look at.
    subprocess.run([PDFTOPPM, "-r", "30", "-gray", str(pdf), str(tmp_path / "page")], check=True)
    shots = sorted(tmp_path.glob("page-*.pgm"))
    assert len(shots) == pages
    for shot in shots:
        assert dark_share(shot.read_bytes()) > 0.005, f"{shot.name} is blank"
    keep = Path(os.environ.get("FINSAM_SCREENSHOTS", Path.home() / ".cache/finsam/screenshots"))
    keep.mkdir(parents=True, exist_ok=True)
    subprocess.run([PDFTOPPM, "-r", "60", "-png", "-f", "1", "-l", "4", str(pdf), str(keep / "pdf-page")], check=True)

    # The numbers are the HTML's, which the Rust tests check against the protected outputs: each key figure
    # and every cell of the federation's comparison.
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    html = report.read_text(encoding="utf-8").replace("\u00a0", " ")
    text = text.replace("\u00a0", " ")
    figures = re.findall(r'<span class="values">(.*?)</span>', html)
    assert len(figures) >= 3
    for figure in figures:
        assert " ".join(figure.split()) in text, figure
    first_table = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    numbers = re.findall(r"<td>(.*?)</td>", first_table)  # number cells (text cells have class="text")
    assert len(numbers) >= 40
    for cell in numbers:
        assert html_text.unescape(cell) in text, cell
    assert "Styrelserapport: Samordningsförbundet Umeå" in text
