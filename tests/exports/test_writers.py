"""The pure writers: neutralization, CSV (BOM, quoting, chunks), XLSX, zip of CSVs."""

import csv
import datetime
import io
import zipfile

import pytest

from dialogue.exports import csv as csv_writer
from dialogue.exports import pdf as pdf_writer
from dialogue.exports.document import ExportDocument, Sheet
from dialogue.exports.neutralize import TRIGGERS, neutralize
from dialogue.exports.xlsx import sheet_name, write_xlsx
from tests.exports.conftest import pdf_fonts, pdf_pages_text, read_xlsx


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_trigger_is_neutralized(trigger):
    assert neutralize(f"{trigger}SUM(A1)") == f"'{trigger}SUM(A1)"


@pytest.mark.parametrize(
    "value", ["半導体", "", "a=b", " =1", "'=1", 42, -5, 1.5, None, datetime.date(2025, 1, 2)]
)
def test_other_values_are_left_alone(value):
    assert neutralize(value) == value


def test_neutralization_is_idempotent():
    once = neutralize("=1+1")
    assert neutralize(once) == once == "'=1+1"


def document(rows, title="テスト"):
    return ExportDocument(
        title=title,
        marking="TLP:GREEN",
        sheets=[Sheet("things", "一覧", ["ID", "件名"], lambda: iter(rows))],
        generated_at="2025-01-01 09:00",
    )


def test_csv_has_a_bom_banner_header_and_quotes_like_rfc_4180():
    rows = [(1, "改行\nあり"), (2, '引用"符'), (3, "CRだけ\rあり"), (4, "=1+2"), (5, None)]
    data = b"".join(csv_writer.iter_csv([("TLP:GREEN", "x"), ("ID", "件名")], rows))
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed[0] == ["TLP:GREEN", "x"]
    assert parsed[1] == ["ID", "件名"]
    assert parsed[2:] == [
        ["1", "改行\nあり"],
        ["2", '引用"符'],
        ["3", "CRだけ\rあり"],
        ["4", "'=1+2"],
        ["5", ""],
    ]


def test_csv_streams_in_large_chunks():
    rows = ((n, "x" * 100) for n in range(10_000))
    chunks = list(csv_writer.iter_csv([("h",)], rows))
    assert len(chunks) < 10
    assert all(len(chunk) >= csv_writer.CHUNK_BYTES for chunk in chunks[1:-1])


def test_csv_zip_has_one_file_per_sheet_each_with_bom():
    doc = document([(1, "半導体")])
    doc.sheets.append(Sheet("other", "その他", ["A"], lambda: iter([("=x",)])))
    target = io.BytesIO()
    assert csv_writer.write_csv_zip(doc, target) == 2
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == ["01-things.csv", "02-other.csv"]
        other = archive.read("02-other.csv")
    assert other.startswith(b"\xef\xbb\xbf")
    assert other.decode("utf-8-sig").splitlines()[-1] == "'=x"


def test_xlsx_writes_text_as_text_and_marks_every_sheet():
    target = io.BytesIO()
    rows = [(1, '=HYPERLINK("http://evil.example")'), (2, "https://example.jp"), (3, "＠全角")]
    assert write_xlsx(document(rows), target) == 3
    sheets = read_xlsx(target.getvalue())
    rows_read = sheets["一覧"]
    assert rows_read[0][:3] == ["TLP:GREEN", "テスト", "一覧"]
    assert rows_read[1][:2] == ["ID", "件名"]
    assert rows_read[2][:2] == [1, '\'=HYPERLINK("http://evil.example")']
    assert rows_read[3][:2] == [2, "https://example.jp"]
    assert rows_read[4][:2] == [3, "'＠全角"]
    # No formula anywhere in the file.
    with zipfile.ZipFile(target) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml
        assert (
            "TLP:GREEN" in sheet_xml or "TLP:GREEN" in archive.read("xl/sharedStrings.xml").decode()
        )


def test_sheet_names_follow_excel_rules():
    used = set()
    assert (
        sheet_name("Changes since the previous revision", used) == "Changes since the previous revi"
    )
    assert sheet_name("a/b:c", used) == "a b c"
    assert sheet_name("a/b:c", used) == "a b c (2)"


def test_the_pdf_report_embeds_the_japanese_font_shipped_with_the_app():
    # given a document in Japanese
    out = io.BytesIO()
    # when it is written as PDF
    pdf_writer.write_pdf(document([[1, "半導体の供給途絶"]]), out)
    # then the text is there and every glyph comes from the shipped IPAex Gothic
    assert "半導体の供給途絶" in "".join(pdf_pages_text(out.getvalue()))
    fonts = pdf_fonts(out.getvalue())
    assert fonts and all(font.name.startswith("Dialogue-Report-Gothic") for font in fonts), fonts
    assert pdf_writer.FONT_FILE.stat().st_size > 1_000_000
    licence = pdf_writer.FONT_FILE.with_name("IPA_Font_License_Agreement_v1.0.txt")
    assert "IPA Font License Agreement v1.0" in licence.read_text()


def test_a_missing_report_font_fails_loudly_instead_of_drawing_boxes(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_writer, "FONT_FILE", tmp_path / "ipaexg.ttf")
    with pytest.raises(pdf_writer.ReportFontError, match=r"ipaexg\.ttf is missing"):
        pdf_writer.write_pdf(document([[1, "半導体"]]), io.BytesIO())


def test_an_unreadable_report_font_fails_loudly_instead_of_drawing_boxes(monkeypatch, tmp_path):
    broken = tmp_path / "ipaexg.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"not a font" * 100)
    monkeypatch.setattr(pdf_writer, "FONT_FILE", broken)
    with pytest.raises(pdf_writer.ReportFontError, match="could not be loaded"):
        pdf_writer.write_pdf(document([[1, "半導体"]]), io.BytesIO())
