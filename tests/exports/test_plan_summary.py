"""The plan-revision summary in XLSX, zipped CSV and PDF: content, protection, Japanese text."""

import io

import pytest
from django.utils import translation

from dialogue.enums import Marking
from dialogue.services.exports import plan_export_write
from tests.exports.conftest import (
    ACTION_BATT,
    ACTION_SEMI,
    CHOKEPOINT,
    COMPANY_A,
    COMPANY_B,
    CONCERN_A_TITLE,
    SEMI_AMBER_SESSION,
    SEMI_GREEN_SESSION,
    THREAT_AMBER,
    THREAT_BATT,
    THREAT_GREEN,
    THREAT_RED,
    parse_csv,
    pdf_fonts,
    pdf_pages_text,
    read_csv_zip,
    read_xlsx,
)

pytestmark = pytest.mark.django_db

SHEETS = [
    "Summary",
    "Sectors",
    "Threats by sector × code",
    "Threats",
    "Chokepoint technologies",
    "Dependencies",
    "Follow-up actions",
    "Referrals to support",
    "Changes since the previous revi",
    "Sources",
]
NEVER_IN_PLAN_EXPORTS = (COMPANY_A, COMPANY_B, CONCERN_A_TITLE, THREAT_RED)


def export(world, user, format, max_marking=None, revision=None):
    target = io.BytesIO()
    with translation.override("en"):
        built = plan_export_write(
            revision=revision or world.first,
            user=user,
            format=format,
            max_marking=max_marking,
            target=target,
        )
    return built, target.getvalue()


def xlsx_text(sheets) -> str:
    return "\n".join(str(cell) for rows in sheets.values() for row in rows for cell in row)


def rows_of(sheet):
    """Data rows of a sheet (after the banner and the header), trailing Nones removed."""
    return [row for row in sheet[2:]]


def column(sheet, title):
    index = sheet[1].index(title)
    return [row[index] for row in sheet[2:]]


def test_xlsx_has_every_sheet_the_marking_and_japanese_data(published):
    built, data = export(published, published.people["secretariat"], "xlsx")
    sheets = read_xlsx(data)
    assert list(sheets) == SHEETS
    # Concern citations are AMBER+STRICT: the highest marking inside.
    assert built.marking == "TLP:AMBER+STRICT"
    for rows in sheets.values():
        assert rows[0][0] == "TLP:AMBER+STRICT"
    titles = column(sheets["Threats"], "Title")
    assert {THREAT_AMBER, THREAT_GREEN, THREAT_BATT} <= set(titles)
    assert CHOKEPOINT in column(sheets["Chokepoint technologies"], "Name")
    assert {ACTION_SEMI, ACTION_BATT} <= set(column(sheets["Follow-up actions"], "Title"))
    assert "Semiconductors" in column(sheets["Sectors"], "Sector")


def test_xlsx_never_names_companies_or_concerns_and_leaves_out_red(published):
    _, data = export(published, published.people["secretariat"], "xlsx")
    text = xlsx_text(read_xlsx(data))
    for secret in NEVER_IN_PLAN_EXPORTS:
        assert secret not in text


def test_formulas_are_neutralized_in_every_format(published, tmp_path):
    user = published.people["secretariat"]
    _, data = export(published, user, "xlsx")
    titles = column(read_xlsx(data)["Threats"], "Title")
    starts = {title[:2] for title in titles if title.startswith("'")}
    assert {"'=", "'+", "'-", "'@", "'\t", "'＝", "'＋", "'－", "'＠"} <= starts
    assert not [t for t in titles if t[0] in "=+-@\t\r＝＋－＠"]
    _, data = export(published, user, "csv")
    files = read_csv_zip(data)
    threats = parse_csv(files["04-threats.csv"])
    index = threats[1].index("Title")
    titles = [row[index] for row in threats[2:]]
    assert not [t for t in titles if t[0] in "=+-@\t\r＝＋－＠"]
    assert '\'=HYPERLINK("http://evil.example")' in titles


def test_csv_is_one_utf8_file_per_sheet_with_the_same_rows_as_the_xlsx(published):
    user = published.people["secretariat"]
    _, xlsx = export(published, user, "xlsx")
    built, data = export(published, user, "csv")
    assert built.filename.endswith(".zip")
    files = read_csv_zip(data)
    assert list(files) == [
        "01-summary.csv",
        "02-sectors.csv",
        "03-heatmap.csv",
        "04-threats.csv",
        "05-chokepoints.csv",
        "06-dependencies.csv",
        "07-actions.csv",
        "08-referrals.csv",
        "09-changes.csv",
        "10-sources.csv",
    ]
    sheets = read_xlsx(xlsx)
    for (name, content), sheet in zip(files.items(), sheets.values(), strict=True):
        rows = parse_csv(content)
        assert rows[0][0] == "TLP:AMBER+STRICT", name
        assert len(rows) == len(sheet), name
    threats = parse_csv(files["04-threats.csv"])
    assert THREAT_AMBER in {row[5] for row in threats[2:]}


def test_concern_counts_need_three_organizations(published):
    _, data = export(published, published.people["secretariat"], "xlsx")
    heatmap = read_xlsx(data)["Threats by sector × code"]
    cells = {(row[0], row[2]): row[7] for row in heatmap[2:]}
    # 4 concerns from 3 organizations: shown.
    assert cells[("semiconductors", "2-2")] == 4
    # 2 concerns from 1 organization: suppressed, the same as none at all.
    assert cells[("semiconductors", "2-1")] == "fewer than 3"
    assert cells[("semiconductors", "3-4")] == "fewer than 3"
    assert cells[("batteries", "1-2")] == 3
    # Sector totals add up only the cells shown (no subtraction reveals a small cell).
    sectors = {row[0]: row for row in read_xlsx(data)["Sectors"][2:]}
    assert sectors["semiconductors"][7] == 4


def test_a_sector_official_sees_only_their_sectors_amber_lines_and_counts(published):
    _, data = export(published, published.people["semi_official"], "xlsx")
    sheets = read_xlsx(data)
    text = xlsx_text(sheets)
    assert THREAT_AMBER in text
    assert THREAT_BATT not in text and ACTION_BATT not in text
    cells = {(row[0], row[2]): row[7] for row in sheets["Threats by sector × code"][2:]}
    assert cells[("semiconductors", "2-2")] == 4
    assert cells[("batteries", "1-2")] is None  # not theirs to know, not even "fewer than 3"


def test_max_marking_green_leaves_out_amber_lines_sources_and_concerns(published, tmp_path):
    user = published.people["secretariat"]
    built, data = export(published, user, "xlsx", max_marking=Marking.GREEN)
    assert built.marking == "TLP:GREEN"
    sheets = read_xlsx(data)
    text = xlsx_text(sheets)
    assert THREAT_GREEN in text and CHOKEPOINT in text
    for amber in (THREAT_AMBER, THREAT_BATT, ACTION_SEMI, SEMI_AMBER_SESSION, "Concern #"):
        assert amber not in text
    # A GREEN source is still cited, by date and number (its title may name a company).
    session = published.records["session_green"]
    assert f"Dialogue session of {session.held_on.isoformat()} (#{session.pk})" in text
    assert SEMI_GREEN_SESSION not in text
    for rows in sheets.values():
        assert rows[0][0] == "TLP:GREEN"
    cells = {row[7] for row in sheets["Threats by sector × code"][2:]}
    assert cells == {None}  # concern counts are AMBER lines


def test_sources_trace_each_line_to_sessions_concerns_and_threats(published):
    _, data = export(published, published.people["secretariat"], "xlsx")
    sources = read_xlsx(data)["Sources"]
    rows = {(row[0], row[2], row[3], row[4], row[5]) for row in sources[2:]}
    amber, green = published.records["session_amber"], published.records["session_green"]
    # Sessions and concerns by number only: a session's title may name the company heard.
    assert ("Threat", THREAT_AMBER, "Dialogue session", amber.pk, None) in rows
    assert ("Threat", THREAT_AMBER, "Concern", published.records["concern_a"].pk, None) in rows
    assert ("Chokepoint technology", CHOKEPOINT, "Dialogue session", green.pk, None) in rows
    assert (
        "Follow-up action",
        ACTION_SEMI,
        "Threat",
        published.records["threat_amber"].pk,
        THREAT_AMBER,
    ) in rows
    assert SEMI_AMBER_SESSION not in str(sources) and SEMI_GREEN_SESSION not in str(sources)


def test_pdf_is_a4_with_japanese_fonts_embedded_and_the_marking_on_every_page(published, settings):
    settings.EXPORT_PDF_MAX_ROWS = 5
    built, data = export(published, published.people["secretariat"], "pdf")
    assert data.startswith(b"%PDF")
    assert built.content_type == "application/pdf"
    # Only the font shipped with the app (its @font-face family, regular and the synthesized
    # bold and oblique), embedded and subset: no font of the machine is used.
    fonts = pdf_fonts(data)
    assert fonts, "no font in the PDF"
    for font in fonts:
        assert font.name.startswith("Dialogue-Report-Gothic"), fonts
        assert font.subset and font.embedded, font
    pages = pdf_pages_text(data)
    assert len(pages) >= 3
    for page in pages:
        assert page.count("TLP:AMBER+STRICT") >= 2  # top and bottom
    text = "\n".join(pages)
    assert "初版" in text and "半導体" in text
    assert "more rows in the XLSX and CSV exports" in text  # tables are cut at 5 rows
    for secret in NEVER_IN_PLAN_EXPORTS:
        assert secret not in text

    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
