"""The PDF report reports progress as it reads its tables, before it renders them."""

import io

from dialogue.exports import pdf as pdf_writer
from dialogue.exports.document import PROGRESS_EVERY, ExportDocument, Sheet


def test_the_pdf_report_counts_every_row_it_reads_as_progress():
    # given two tables, one longer than a progress step and than the rows a table shows
    many = [(n, f"脅威{n}") for n in range(PROGRESS_EVERY + 10)]
    document = ExportDocument(
        title="報告",
        marking="TLP:GREEN",
        sheets=[
            Sheet("things", "一覧", ["ID", "件名"], lambda: iter(many)),
            Sheet("others", "別表", ["ID", "件名"], lambda: iter([(1, "一件")])),
        ],
    )
    reported: list[int] = []

    # when it is rendered with a progress callback
    shown = pdf_writer.write_pdf(document, io.BytesIO(), max_rows=5, progress=reported.append)

    # then each step and each table's end was reported, ending at every row read
    assert shown == 6
    assert reported == [PROGRESS_EVERY, PROGRESS_EVERY + 10, PROGRESS_EVERY + 11]
