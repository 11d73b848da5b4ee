"""Spreadsheets (.xlsx, .ods) are read directly: every sheet, or the one --sheet names,
gives the claims its CSV twin gives, and a problem is located FILE:SHEET!ROW. The
claims are synthetic; the workbooks are made from CSV twins as the tests run."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import figrecon
from figrecon.errors import UsageError
from figrecon.io.sheets import cell_text
from sheets import rows_of, twin, workbook

SUFFIXES = ["xlsx", "ods"]

CSV = """\
id,event,metric,group,location,period,value,low,source,source_type,stated_on,retracts
k1,riverside-2021,killed,total,Riverland,,some 9,900,,ministry,government,2021-03-02,
k2,riverside-2021,killed,total,Riverland,,"at least 9,950",,watch,ngo,2021-03-04,
k3,riverside-2021,killed,total,Riverland,,,9920,list,research,2021-03-05,
k4,riverside-2021,killed,total,Riverland,,12000,,wire,media,2021-03-03,
k5,riverside-2021,killed,total,Riverland,,,,wire,media,2021-03-06,k4
d1,riverside-2021,detained,total,Riverland/North,2021-03-01/2021-03-02,dozens,,police,government,2021-03-02,
d2,riverside-2021,detained,total,Riverland/North,2021-03-01/2021-03-02,48,,watch,ngo,2021-03-08,
"""


@pytest.fixture
def claims_csv(write) -> Path:
    return write("claims.csv", CSV.replace("some 9,900", '"some 9,900"'))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_workbook_gives_the_figures_of_its_csv_twin(
    claims_csv: Path, tmp_path: Path, suffix: str
) -> None:
    book = twin(claims_csv, tmp_path / f"claims.{suffix}")
    from_csv = figrecon.reconcile(figrecon.load(claims_csv), explain=True)
    from_book = figrecon.reconcile(figrecon.load(book), explain=True)
    assert len(from_book.figures) == 2
    assert from_book.figures == from_csv.figures


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_committed_fixture_reads_as_its_csv_twin(fixtures: Path, suffix: str) -> None:
    book = figrecon.load(fixtures / f"small.{suffix}")
    csv_twin = figrecon.load(fixtures / "small.csv")
    assert book.frame["line"].tolist() == csv_twin.frame["line"].tolist() == [2, 3]
    columns = ["id", "value_text", "hard_low", "hard_high", "source_name", "stated_on"]
    assert book.frame[columns].equals(csv_twin.frame[columns])


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_problem_is_located_at_its_sheet_and_row(
    claims_csv: Path, tmp_path: Path, run, suffix: str
) -> None:
    rows = rows_of(claims_csv)
    rows[4][6] = "many many"  # k4's value, row 5 of the sheet
    book = workbook(tmp_path / f"claims.{suffix}", {"Notes": [["written by hand"]], "2021": rows})
    result = run("reconcile", book)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{book}:2021!5: value: several figures in 'many many' (many, many); "
    )
    check = run("check", book, "--select", "unparseable-value").stdout
    assert check.startswith(f"{book}:2021!5: error unparseable-value k4: value: ")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_sheet_is_read_or_the_one_sheet_named(
    claims_csv: Path, tmp_path: Path, suffix: str
) -> None:
    rows = rows_of(claims_csv)
    book = workbook(
        tmp_path / f"claims.{suffix}",
        {"Killed": rows[:6], "Detained": [rows[0], *rows[6:]], "Empty": []},
    )
    assert figrecon.load(book).ids == ["k1", "k2", "k3", "k4", "k5", "d1", "d2"]
    assert figrecon.load(book, sheet="Detained").ids == ["d1", "d2"]


def test_a_claim_without_an_id_is_known_by_its_sheet_and_row(
    claims_csv: Path, tmp_path: Path
) -> None:
    rows = rows_of(claims_csv)
    rows[2][0] = None
    book = workbook(tmp_path / "claims.xlsx", {"Claims": rows})
    assert figrecon.load(book).ids[1] == f"{book}:Claims!3"


def test_a_sheet_that_is_not_there_is_named_with_those_that_are(
    claims_csv: Path, tmp_path: Path, run
) -> None:
    book = twin(claims_csv, tmp_path / "claims.xlsx", sheet="Claims 2021")
    result = run("reconcile", book, "--sheet", "claims 2021")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{book}: no sheet named `claims 2021` (did you mean `Claims 2021`?); its sheets "
        "are Claims 2021; or leave out --sheet to read every sheet\n"
    )


def test_sheet_without_a_spreadsheet_is_refused(claims_csv: Path) -> None:
    with pytest.raises(UsageError) as caught:
        figrecon.load(claims_csv, sheet="Claims")
    assert str(caught.value) == (
        "--sheet Claims: none of the inputs is a spreadsheet (.xlsx, .ods); leave out "
        "--sheet, or give the workbook"
    )


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_file_that_is_no_spreadsheet_is_refused_in_one_line(write, run, suffix: str) -> None:
    path = write(f"claims.{suffix}", "id,value\n")
    result = run("reconcile", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: not a readable .{suffix} spreadsheet (")
    assert len(result.stderr.splitlines()) == 1


def test_a_workbook_on_stdin_is_read_when_its_format_is_given(
    claims_csv: Path, tmp_path: Path
) -> None:
    book = twin(claims_csv, tmp_path / "claims.xlsx")
    figrecon_bin = Path(sys.executable).parent / "figrecon"
    with book.open("rb") as stdin:
        told = subprocess.run(
            [str(figrecon_bin), "reconcile", "--input-format", "xlsx", "-f", "json"],
            stdin=stdin,
            capture_output=True,
            check=True,
        )
    with book.open("rb") as stdin:
        untold = subprocess.run(
            [str(figrecon_bin), "reconcile"], stdin=stdin, capture_output=True, text=True
        )
    assert len(json.loads(told.stdout)["figures"]) == 2
    assert untold.returncode == 2
    assert untold.stderr.endswith(
        "a ZIP archive: a workbook is read when it is named FILE.xlsx or FILE.ods (or given "
        "--input-format); any other archive holds no claims: unzip it and give the files inside\n"
    )


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (225, "225"),
        (225.0, "225"),
        (232.5, "232.5"),
        ("some 9,900", "some 9,900"),
        (dt.datetime(2022, 1, 15), "2022-01-15"),
        (dt.datetime(2022, 1, 15, 10, 30), "2022-01-15 10:30:00"),
        (dt.date(2022, 1, 15), "2022-01-15"),
        (True, "true"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_a_cell_reads_as_the_text_it_shows(cell: object, text: str) -> None:
    assert cell_text(cell) == text


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["parse", "some 9,900"]], ids=" ".join)
def test_start_up_loads_no_spreadsheet_library(argv: list[str]) -> None:
    code = (
        f"import sys; from figrecon.cli import main; main({argv!r}); "
        "print(sorted(m for m in ('openpyxl', 'odf', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def _far_cell_xlsx(path: Path, row: int, column: int) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "event", "metric", "value", "source", "stated_on"])
    sheet.append(["a", "e", "killed", "5", "s", "2023-01-01"])
    sheet.cell(row=row, column=column, value="x")
    book.save(path)
    return path


def _repeated_rows_ods(path: Path, repeat: int) -> Path:
    import zipfile

    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    row = "<table:table-row{}>{}</table:table-row>"
    header = row.format("", "".join(cell.format(f) for f in ["id", "metric", "value"]))
    body = row.format(
        f' table:number-rows-repeated="{repeat}"', "".join(cell.format("x") for _ in range(3))
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f'<office:spreadsheet><table:table table:name="s">{header}{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return path


@pytest.mark.parametrize(
    ("made", "message"),
    [
        (
            lambda p: _far_cell_xlsx(p / "far.xlsx", 1_048_576, 16_384),
            "the sheet `Sheet` spans 16,384 columns, more than the 10,000 figrecon reads",
        ),
        (
            lambda p: _far_cell_xlsx(p / "low.xlsx", 1_048_576, 6),
            "the sheet `Sheet` spans 1,048,576 rows of 6 columns from a file of ",
        ),
        (
            lambda p: _repeated_rows_ods(p / "rows.ods", 1_048_575),
            "the sheet `s` spans 1,048,576 rows of 3 columns from a file of ",
        ),
    ],
)
def test_a_small_workbook_that_spans_a_huge_sheet_is_refused_unread(
    tmp_path: Path, made: Any, message: str
) -> None:
    # Its reader would lay out every cell of the rectangle: minutes and GiB.
    import time

    import figrecon

    path = made(tmp_path)
    start = time.monotonic()
    with pytest.raises(figrecon.InputError) as info:
        figrecon.load(path)
    assert time.monotonic() - start < 10
    (finding,) = info.value.findings
    assert (finding.code, finding.file) == ("over-limit", str(path))
    assert finding.message.startswith(message)


def test_a_workbook_with_empty_cells_far_away_or_a_large_other_sheet_is_read(
    tmp_path: Path,
) -> None:
    # Only values count: a formatted empty cell far below the claims, a dimension that
    # declares the whole grid, or a large sheet that --sheet leaves out refuse nothing.
    import openpyxl

    import figrecon

    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    claims = book.active
    claims.title = "claims"
    claims.append(["id", "event", "metric", "value", "source", "stated_on"])
    claims.append(["a", "e", "killed", "5", "s", "2023-01-01"])
    claims.cell(row=200_000, column=26).number_format = "0.00"  # formatted, empty
    other = book.create_sheet("lists")
    other.cell(row=1_048_576, column=30, value="far")
    book.save(path)
    assert len(figrecon.load(path, sheet="claims")) == 1
    with pytest.raises(figrecon.InputError) as info:
        figrecon.load(path)  # every sheet: `lists` is read too
    assert info.value.findings[0].message.startswith("the sheet `lists` spans 1,048,576 rows")
