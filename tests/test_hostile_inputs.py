"""Hostile input: whatever arrives, reading takes time and memory linear in it; input
beyond figrecon's limits (endless, binary, absurdly long, wide or deep) is refused early
with one located line and exit 2; bad input is never an internal error (exit 70).

Every input here is synthetic and made at test time; the large ones in tmp_path."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, SupportsIndex

import pytest
import yaml

import figrecon
from bounded import figrecon_bounded
from figrecon.checks.report import check
from figrecon.cli import options as cli_options
from figrecon.io.json import line_numbers, read_json, read_ndjson
from figrecon.io.limits import MAX_DEPTH, MAX_FIELDS, MAX_INPUT_SIZE, MAX_LINE
from figrecon.loading import load

Run = Callable[..., Any]
TODAY = dt.date(2026, 1, 1)
CLAIM = {
    "event": "e",
    "metric": "killed",
    "value": "5",
    "source": "s",
    "source_type": "ngo",
    "stated_on": "2022-01-05",
    "url": "https://example.org/synthetic",
}
CSV_HEADER = "id,event,metric,value,source,source_type,stated_on,url"
CSV_ROW = "a,e,killed,5,s,ngo,2022-01-05,https://example.org/synthetic"

NUL_HINT = (
    "a binary file (an archive, an image) holds no claims: they are text (YAML, CSV, JSON) "
    "or spreadsheets (.xlsx, .ods)"
)
LONG_LINE = (
    "a line longer than 32 MiB: this is not a claim file; "
    "check that this is the file you meant; claims are short lines"
)
TOO_DEEP = (
    f"nested more than {MAX_DEPTH} levels deep; "
    "claims are flat: `field: value` pairs, with a list of ids at most"
)
TOO_WIDE = (
    f"a mapping of more than {MAX_FIELDS:,} fields; "
    "check that this is the file you meant; claims have a few fields each"
)
TOO_MANY_NAMES = (
    f"the claims read up to here have more than {MAX_FIELDS:,} field names; "
    "check that these are the files you meant; claims have a few fields each"
)
TOO_LARGE = "the limit on one input; split the data into several files, or raise --max-input-size"
SURROGATE = (
    "escapes half of a UTF-16 surrogate pair, which is no character; "
    "write the character itself (or both halves of its pair)"
)


def messages(path: str | Path, **kwargs: Any) -> list[str]:
    with pytest.raises(figrecon.InputError) as info:
        load(path, **kwargs)
    return [str(f) for f in info.value.findings]


def claims_json(count: int) -> str:
    """`count` synthetic claims as an indented JSON list, one field a line."""
    return json.dumps([{"id": f"c{i}", **CLAIM} for i in range(count)], indent=2)


PEAK = (
    "import resource, sys\n"
    "from figrecon.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "try:\n"
    "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
    "    print(int(status.split()[0]) // 1024)\n"
    "except (OSError, IndexError):\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    "sys.exit(code)\n"
)
"""Runs figrecon and prints its peak memory in MiB: on Linux the process's own (VmHWM),
as `ru_maxrss` also counts the test process it was forked from, whatever its size."""


def figrecon_peak(*args: str | Path) -> tuple[int, str, int]:
    """Exit code, messages and peak memory (MiB) of a fresh `figrecon` process."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK, *map(str, args)], capture_output=True, text=True
    )
    return out.returncode, out.stderr, int(out.stdout.splitlines()[-1])


# --- linear time ----------------------------------------------------------------------


class Scanned(str):
    """A text that adds up the characters read by the methods called on it: the work
    of a reader walking it from Python (what the json module's C parser reads is not
    seen)."""

    scanned = 0

    def _read(self, start: SupportsIndex | None, end: SupportsIndex | None) -> None:
        self.scanned += len(range(*slice(start, end).indices(len(self))))

    def count(  # type: ignore[override]
        self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None
    ) -> int:
        self._read(start, end)
        return super().count(sub, start, end)

    def find(  # type: ignore[override]
        self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None
    ) -> int:
        self._read(start, end)
        return super().find(sub, start, end)

    def __getitem__(self, key: SupportsIndex | slice) -> str:  # type: ignore[override]
        if isinstance(key, slice):
            self._read(key.start, key.stop)
        else:
            self.scanned += 1
        return super().__getitem__(key)

    def __contains__(self, sub: object) -> bool:
        self.scanned += len(self)
        return super().__contains__(sub)  # type: ignore[operator]

    def isspace(self) -> bool:
        self.scanned += len(self)
        return super().isspace()

    def split(self, sep: str | None = None, maxsplit: SupportsIndex = -1) -> list[str]:  # type: ignore[override]
        self.scanned += len(self)
        return super().split(sep, maxsplit)


def passes(reader: Callable[[str, str], Any], text: str) -> float:
    """How many times over `reader` reads the text, as its methods see it."""
    scanned = Scanned(text)
    records = reader("synthetic.json", scanned)
    assert not records.findings
    return scanned.scanned / len(scanned)


def test_json_is_read_in_passes_that_do_not_grow_with_the_claims() -> None:
    # Counting the lines from the start of the file for each claim made the work for
    # 4n claims 16 times that for n: 40,000 claims took 50 s and more to read.
    assert passes(read_json, claims_json(8_000)) < 1.5 * passes(read_json, claims_json(2_000))


def test_ndjson_is_read_in_passes_that_do_not_grow_with_the_claims() -> None:
    def ndjson(count: int) -> str:
        return "".join(json.dumps({"id": f"c{i}", **CLAIM}) + "\n" for i in range(count))

    assert passes(read_ndjson, ndjson(8_000)) < 1.5 * passes(read_ndjson, ndjson(2_000))


def test_line_numbers_count_each_line_break_once() -> None:
    plain = "a\nbb\n\nccc\n" * 1_000
    text = Scanned(plain)
    offsets = list(range(0, len(plain), 3))
    assert line_numbers(text, offsets) == [plain.count("\n", 0, o) + 1 for o in offsets]
    assert text.scanned <= len(text)


def test_line_numbers_refuse_offsets_out_of_order() -> None:
    with pytest.raises(ValueError, match="offsets must be in increasing order"):
        line_numbers("a\nb\n", [2, 1])


def test_json_lines_stay_exact_when_counted_once(write: Callable[[str, str], Path]) -> None:
    claims = [
        {"id": f"c{i}", **CLAIM, "value": "5" if i != 2_500 else "26 and 18"} for i in range(3_000)
    ]
    path = write("lines.json", json.dumps(claims, indent=1))
    # indent=1 writes `[`, then for each claim `{`, 8 fields and `},`: claim i starts on
    # line 2 + 10 i.
    assert messages(path) == [
        f"{path}:25002: value: several figures in '26 and 18' (26, 18); keep one figure "
        "(or one range) in value and the whole sentence in quote"
    ]


# --- NUL bytes, long lines, many fields -------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
@pytest.mark.parametrize(
    ("encoding", "hint"),
    [
        ("utf-8", "if it is UTF-16 text, give -e utf-16; " + NUL_HINT),
        ("utf-16", NUL_HINT),
        ("utf-32", NUL_HINT),
    ],
)
def test_dev_zero_is_refused_at_its_first_byte(encoding: str, hint: str) -> None:
    code, err, peak = figrecon_peak("reconcile", "-e", encoding, "/dev/zero")
    assert (code, err) == (
        2,
        f"/dev/zero:1: a NUL character at byte 0: this is not {encoding} text; {hint}\n",
    )
    assert peak < 512


def test_a_nul_byte_in_a_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(f"{CSV_HEADER}\n{CSV_ROW}\nb,e,kil\0led\n".encode())
    offset = len(CSV_HEADER) + len(CSV_ROW) + 2 + len("b,e,kil")
    assert messages(path) == [
        f"{path}:3: a NUL character at byte {offset}: this is not utf-8-sig text; "
        "if it is UTF-16 text, give -e utf-16; " + NUL_HINT
    ]


def test_a_200_mb_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with path.open("wb") as fh:
        fh.write(f"{CSV_HEADER},note\n{CSV_ROW},".encode())
        for _ in range(200):
            fh.write(b"x" * 2**20)
        fh.write(b"\n")
    code, err, peak = figrecon_peak("reconcile", path)
    assert (code, err) == (2, f"{path}:2: {LONG_LINE}\n")
    assert peak < 1024


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [
        ("long.csv", f"{CSV_HEADER},note\n", f"{CSV_ROW},"),
        ("long.tsv", "id\tnote\n", "a\t"),
        ("long.ndjson", '{"id": "a"}\n', '{"id": "b", "note": "'),
        ("long.yaml", "- {id: a}\n", "- note: "),
        ("long.txt", "id,note\n", "a,"),
    ],
)
def test_a_line_longer_than_the_limit_is_refused(
    tmp_path: Path, name: str, first: str, second: str
) -> None:
    path = tmp_path / name
    path.write_bytes((first + second).encode() + b"x" * MAX_LINE + b'"\n')
    assert messages(path) == [f"{path}:2: {LONG_LINE}"]


def test_a_line_as_long_as_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    row = f"{CSV_ROW},".encode()
    path.write_bytes(f"{CSV_HEADER},note\n".encode() + row + b"x" * (MAX_LINE - len(row)) + b"\n")
    assert len(load(path).columns["note"][0]) == MAX_LINE - len(row)


def test_a_one_line_json_file_longer_than_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "minified.json"
    claims = [{"id": f"c{i}", **CLAIM, "x_pad": "x" * 2**20} for i in range(34)]
    path.write_text(json.dumps(claims), encoding="utf-8")
    assert path.stat().st_size > MAX_LINE
    assert len(load(path)) == 34


@pytest.mark.parametrize(
    ("document", "what"),
    [
        ({"claims": [{"id": "a", **CLAIM}, {"id": "b", "x_blob": "x" * MAX_LINE}]}, "claim 2"),
        ({"claims": [{"id": "a", **CLAIM}], "x_blob": "x" * MAX_LINE}, "`x_blob`"),
    ],
    ids=["claim", "header"],
)
def test_a_json_claim_or_header_value_longer_than_the_limit_is_refused(
    tmp_path: Path, document: dict[str, Any], what: str
) -> None:
    path = tmp_path / "blob.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert messages(path) == [
        f"{path}:1: {what} takes more than 32 MiB: this is not a claim file; "
        "check that this is the file you meant; claims are short records"
    ]


def test_a_csv_header_of_a_million_columns_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n", encoding="utf-8")
    code, err, peak = figrecon_peak("reconcile", path)
    assert (code, err) == (
        2,
        f"{path}:1: 1,000,000 columns, more than the 10,000 figrecon reads; "
        "check the delimiter and that this is the file you meant\n",
    )
    assert peak < 1024


def test_a_json_claim_of_a_million_fields_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "wide.json"
    path.write_text(json.dumps([{f"x_{i}": 1 for i in range(1_000_000)}]), encoding="utf-8")
    code, err, peak = figrecon_peak("reconcile", path)
    assert (code, err) == (2, f"{path}: {TOO_WIDE}\n")
    assert peak < 1024


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- {id: a}\n- {" + ", ".join(f"x_{i}: 1" for i in range(MAX_FIELDS + 1)) + "}\n", 2),
        ("".join(f"x_{i}: 1\n" for i in range(MAX_FIELDS + 1)) + "claims: []\n", 1),
    ],
    ids=["claim", "header"],
)
def test_a_yaml_mapping_wider_than_the_limit_is_refused(
    write: Callable[[str, str], Path], text: str, line: int
) -> None:
    path = write("wide.yaml", text)
    assert messages(path) == [f"{path}:{line}: {TOO_WIDE}"]


def test_claims_with_more_field_names_than_the_limit_are_refused_where_they_pass_it(
    write: Callable[[str, str], Path],
) -> None:
    # Claims of an id and 100 fields of their own: the 100th brings the names to 10,001.
    lines = [
        json.dumps({"id": f"c{j}", **{f"x_{j}_{i}": 1 for i in range(100)}}) for j in range(101)
    ]
    path = write("many.ndjson", "\n".join(lines) + "\n")
    assert messages(path) == [f"{path}:100: {TOO_MANY_NAMES}"]


def test_field_names_add_up_across_files(write: Callable[[str, str], Path]) -> None:
    # Two CSV files of 6,000 own columns each: the second passes the limit.
    first = write("a.csv", ",".join(f"x_a{i}" for i in range(6_000)) + "\n")
    second = write("b.csv", ",".join(f"x_b{i}" for i in range(6_000)) + "\n")
    assert messages([first, second]) == [f"{second}:1: {TOO_MANY_NAMES}"]


# --- input without end --------------------------------------------------------------------

ROWS = (
    "import sys\n"
    "out = open(sys.argv[1], 'w') if len(sys.argv) > 1 else sys.stdout\n"
    f"out.write({CSV_HEADER!r} + '\\n')\n"
    f"row = {CSV_ROW!r} + '\\n'\n"
    "while True:\n"
    "    out.write(row * 1000)\n"
)
"""Writes valid rows for ever, to a path or to stdout (until the reader stops)."""


def test_an_endless_pipe_on_stdin_stops_at_the_size_limit() -> None:
    rows = subprocess.Popen(
        [sys.executable, "-c", ROWS], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        out = subprocess.run(
            [sys.executable, "-m", "figrecon", "reconcile", "--max-input-size", "2M", "-"],
            stdin=rows.stdout,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        rows.kill()
        rows.wait()
        rows.stdout.close()  # type: ignore[union-attr]
    assert (out.returncode, out.stderr) == (2, f"<stdin>: more than 2 MiB, {TOO_LARGE}\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_an_endless_fifo_stops_at_the_size_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    rows = subprocess.Popen([sys.executable, "-c", ROWS, str(fifo)], stderr=subprocess.DEVNULL)
    try:
        found = messages(fifo, max_input_size=2**20)
    finally:
        rows.kill()
        rows.wait()
    assert found == [f"{fifo}: more than 1 MiB, {TOO_LARGE}"]


def test_the_size_limit_counts_the_bytes_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(f"{CSV_HEADER}\n{CSV_ROW}\n", encoding="utf-8")
    size = path.stat().st_size
    assert len(load(path, max_input_size=size)) == 1
    assert messages(path, max_input_size=size - 1) == [
        f"{path}: more than {size - 1} bytes, {TOO_LARGE}"
    ]


@pytest.mark.parametrize(
    ("given", "size", "shown"),
    [
        ("1024", 1024, "1 KiB"),
        ("2K", 2048, "2 KiB"),
        ("2KiB", 2048, "2 KiB"),
        ("3kb", 3072, "3 KiB"),
        ("1M", 2**20, "1 MiB"),
    ],
)
def test_max_input_size_reads_sizes_as_people_write_them(
    run: Run, tmp_path: Path, given: str, size: int, shown: str
) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(f"{CSV_HEADER}\n{CSV_ROW}\n".encode().ljust(size + 1, b"\n"))
    result = run("reconcile", "--max-input-size", given, path)
    assert result.exit_code == 2
    assert result.output == f"{path}: more than {shown}, {TOO_LARGE}\n"
    path.write_bytes(path.read_bytes()[:size])
    assert run("reconcile", "--max-input-size", given, path).exit_code == 0


@pytest.mark.parametrize("given", ["0", "5X", "-1G", "1.5G", ""])
def test_a_max_input_size_that_is_no_size_is_a_usage_error(run: Run, given: str) -> None:
    result = run("reconcile", "--max-input-size", given, "-")
    assert result.exit_code == 2
    assert result.output == (
        f"--max-input-size {given!r}: write a size such as 500M or 16G (bytes if no unit)\n"
    )


def test_the_default_max_input_size_is_the_library_default() -> None:
    assert cli_options.size_bytes(cli_options.MAX_INPUT_SIZE) == MAX_INPUT_SIZE


# --- deep structures ----------------------------------------------------------------------


def ring(tmp_path: Path, count: int, closed: bool) -> Path:
    """`count` claims each withdrawing the next: a chain, or (closed) a cycle. Every
    claim has its own source, so nothing but the withdrawals relates them."""
    path = tmp_path / "ring.csv"
    rows = [
        f"c{i},e,killed,5,s{i},ngo,2022-01-05,https://example.org/{i},"
        + (f"c{(i + 1) % count}" if closed or i + 1 < count else "")
        for i in range(count)
    ]
    path.write_text(f"{CSV_HEADER},retracts\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_retraction_cycle_of_100000_claims_is_found_without_recursion(tmp_path: Path) -> None:
    report = check(ring(tmp_path, 100_000, closed=True), today=TODAY)
    assert report.errors == 100_000
    assert {(f.code, f.message) for f in report.findings} == {
        (
            "retraction-cycle",
            "claims withdraw each other: c0 → c1 → c2 → c3 → c4 → … → c99999 → c0 (100,000 claims)",
        )
    }
    assert [f.claim for f in report.findings[:3]] == ["c0", "c1", "c2"]


def test_a_retraction_chain_of_100000_claims_checks_and_reconciles(tmp_path: Path) -> None:
    path = ring(tmp_path, 100_000, closed=False)
    # Each claim withdraws another source's: unlikely, and said, but no error.
    found = check(path, today=TODAY).findings
    assert {f.code for f in found} == {"unlikely-retraction"}
    assert len(found) == 99_999
    (figure,) = figrecon.reconcile(load(path)).figures
    assert (figure.low, figure.best, figure.high, figure.claims_used) == (5, 5, 5, ["c0"])


def test_claims_that_withdraw_each_other_in_a_tangle_are_each_reported(tmp_path: Path) -> None:
    # a and b withdraw each other; c joins the loop through a (a → c → b → a).
    rows = ['a,e,killed,5,s1,ngo,2022-01-05,u,"b,c"', "b,e,killed,6,s2,ngo,2022-01-05,u,a"]
    rows.append("c,e,killed,7,s3,ngo,2022-01-05,u,b")
    path = tmp_path / "tangle.csv"
    path.write_text(f"{CSV_HEADER},retracts\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = check(path, select=["retraction-cycle"], today=TODAY)
    assert [(f.claim, f.message) for f in report.findings] == [
        (c, "claims withdraw each other: a → b → a, in a loop of 3 claims") for c in "abc"
    ]


def test_a_via_chain_of_100000_links_reconciles(tmp_path: Path) -> None:
    path = tmp_path / "via.json"
    via = " < ".join(f"w{i}" for i in range(100_000))
    path.write_text(json.dumps([{"id": "a", **CLAIM, "source": "unknown", "via": via}]))
    (figure,) = figrecon.reconcile(load(path)).figures
    assert figure.best == 5


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("lists.json", nested(100_000), f"{{path}}: {TOO_DEEP}"),
        ("value.json", f'[{{"id": "a", "x_n": {nested(MAX_DEPTH - 1)}}}]', f"{{path}}: {TOO_DEEP}"),
        (
            "line.ndjson",
            json.dumps({"id": "a", **CLAIM}) + f'\n{{"x_n": {nested(100_000)}}}\n',
            f"{{path}}:2: {TOO_DEEP}",
        ),
        ("value.yaml", f"- {{id: a}}\n- {{x_n: {nested(MAX_DEPTH)}}}\n", f"{{path}}:2: {TOO_DEEP}"),
        (
            "lists.yaml",
            nested(100_000),
            "{path}:1: not valid YAML: while increasing flow level exceeded maximum nesting "
            "depth; fix the YAML near this line",
        ),
    ],
)
def test_nesting_deeper_than_the_limit_is_refused(
    write: Callable[[str, str], Path], name: str, text: str, expected: str
) -> None:
    path = write(name, text)
    assert messages(path) == [expected.format(path=path)]


def test_nesting_as_deep_as_the_limit_is_read(write: Callable[[str, str], Path]) -> None:
    # The list of claims, the claim, then lists down to the limit.
    claim = json.dumps({"id": "a", **CLAIM})[:-1]
    path = write("deep.json", f'[{claim}, "x_n": {nested(MAX_DEPTH - 2)}}}]')
    assert len(load(path)) == 1


def test_yaml_nesting_built_of_aliases_is_refused(write: Callable[[str, str], Path]) -> None:
    # Each anchor nests the one before 60 levels deeper: 120 levels at line 2.
    lines = [f"x_0: &a0 {nested(60)}"]
    lines += [f"x_{k}: &a{k} {'[' * 60}*a{k - 1}{']' * 60}" for k in range(1, 1_000)]
    path = write("aliases.yaml", "\n".join(lines) + "\nclaims: []\n")
    assert messages(path) == [f"{path}:2: {TOO_DEEP}"]


# --- no internal errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line", "escape"),
    [
        ("high.json", '[\n  {"id": "a", "note": "x\\ud800y"}\n]', 2, "\\ud800"),
        ("low.ndjson", '{"id": "a"}\n{"id": "b", "note": "\\uDC00"}\n', 2, "\\uDC00"),
        ("reversed.json", '[{"id": "a", "note": "\\udc00\\ud800"}]', 1, "\\udc00"),
        ("last.ndjson", '{"id": "a", "note": "\\\\\\ud83d"}\n', 1, "\\ud83d"),
    ],
)
def test_a_lone_surrogate_escape_is_a_located_input_error(
    run: Run, write: Callable[[str, str], Path], name: str, text: str, line: int, escape: str
) -> None:
    path = write(name, text)
    result = run("reconcile", path)
    assert result.exit_code == 2
    assert result.output == f"{path}:{line}: `{escape}` {SURROGATE}\n"


def test_surrogate_pairs_and_escaped_backslashes_are_read_as_written(
    write: Callable[[str, str], Path],
) -> None:
    path = write(
        "pairs.ndjson",
        json.dumps({"id": "a", **CLAIM, "note": "\U0001f600"})
        + "\n"
        + json.dumps({"id": "b", **CLAIM, "note": "\\ud800"}, ensure_ascii=False)
        + "\n",
    )
    assert list(load(path).columns["note"]) == ["\U0001f600", "\\ud800"]


@pytest.mark.parametrize(
    ("command", "stdout", "stderr"),
    [
        ("reconcile", "", "No figures: the input holds no claims.\n"),
        (
            "check",
            "<stdin>:1: warning empty-file the file holds no claims; add its claims, or leave "
            "it out of the paths checked\n\n"
            "1 file checked: 0 errors, 1 warning — valid (warnings do not fail without --strict)\n",
            "",
        ),
    ],
)
def test_a_closed_stdin_reads_as_empty_input(command: str, stdout: str, stderr: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "figrecon", command, "-"],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.close(0),
    )
    assert (out.returncode, out.stdout, out.stderr) == (0, stdout, stderr)


def test_a_broken_link_in_a_folder_is_reported(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.csv").write_text(f"{CSV_HEADER}\n{CSV_ROW}\n", encoding="utf-8")
    (folder / "b.yaml").symlink_to(folder / "gone.yaml")
    result = run("reconcile", folder)
    assert result.exit_code == 2
    assert result.output == (
        f"{folder}/b.yaml: a broken link: what it points to does not exist; "
        "fix its permissions or the link, or move it out of the folder\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no devices on this system")
def test_a_folder_entry_named_as_claims_that_is_no_regular_file_is_reported(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Relative paths: a socket's path is short. None of these may be opened: a named
    # pipe waits for a writer, /dev/zero never ends.
    monkeypatch.chdir(tmp_path)
    folder = Path("data")
    folder.mkdir()
    (folder / "a.csv").write_text(f"{CSV_HEADER}\n{CSV_ROW}\n", encoding="utf-8")
    os.mkfifo(folder / "b.csv")
    (folder / "c.json").symlink_to("/dev/zero")
    (folder / "d.ndjson").symlink_to("/dev/urandom")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(folder / "e.yaml"))
        # Entries that are not named as claims, and a link to a folder, are left out as
        # before.
        os.mkfifo(folder / "f.txt")
        (folder / "g").symlink_to("/dev/zero")
        (folder / "h.yaml").symlink_to(tmp_path)
        result = run("reconcile", folder)
    assert result.exit_code == 2
    hint = "fix its permissions or the link, or move it out of the folder"
    assert result.output == (
        f"data/b.csv: not a regular file (a named pipe); {hint}\n"
        f"data/c.json: not a regular file (a link to a device); {hint}\n"
        f"data/d.ndjson: not a regular file (a link to a device); {hint}\n"
        f"data/e.yaml: not a regular file (a socket); {hint}\n"
        "4 problems; nothing was reconciled.\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no devices on this system")
@pytest.mark.parametrize(
    ("option", "hint"),
    [
        ("--sources", "give the registry file itself (YAML, JSON or CSV) to --sources"),
        ("--profile", "give the path of a YAML file; see `figrecon parse --help`"),
        ("--lang", "give the path of a YAML file; see `figrecon parse --help`"),
    ],
)
def test_an_option_file_that_is_no_regular_file_is_refused_unread(
    run: Run, write: Callable[[str, str], Path], tmp_path: Path, option: str, hint: str
) -> None:
    path = write("a.csv", f"{CSV_HEADER}\n{CSV_ROW}\n")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for given, what in (("/dev/zero", "a device"), (fifo, "a named pipe"), (tmp_path, "a folder")):
        result = run("reconcile", path, option, given)
        assert (result.exit_code, result.output) == (
            2,
            f"{given}: not a regular file ({what}); {hint}\n",
        )


NOBODY = 65534


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder that other users can reach (tmp_path's parents are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="figrecon-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(stat.S_IRWXU)
    shutil.rmtree(folder)


@contextmanager
def permission_bits_apply(folder: Path) -> Iterator[None]:
    """As root, who reads every file whatever its permission bits, act as another user
    in the block (the effective ids only, restored after); as anyone else, as is."""
    if os.geteuid() != 0:
        yield
        return
    try:
        os.setegid(NOBODY)
        os.seteuid(NOBODY)
    except OSError:
        pytest.skip("root reads every file, and cannot act as another user here")
    try:
        if not os.access(folder, os.R_OK | os.X_OK):
            pytest.skip("root reads every file, and the temporary folder is root's alone")
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def claim_file(path: Path, claim_id: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{CSV_HEADER}\n{CSV_ROW.replace('a', claim_id, 1)}\n", encoding="utf-8")


def test_a_subfolder_without_permission_is_reported(shared: Path) -> None:
    claim_file(shared / "open" / "a.csv", "a")
    claim_file(shared / "locked" / "b.csv", "b")
    load(shared)  # every module the loader imports is loaded before acting as another user
    (shared / "locked").chmod(0)
    with permission_bits_apply(shared):
        found = messages(shared)
    assert found == [
        f"{shared}/locked: cannot be read (Permission denied); "
        "fix its permissions or the link, or move it out of the folder"
    ]


def test_a_claim_file_without_read_permission_is_reported(shared: Path) -> None:
    claim_file(shared / "a.csv", "a")
    claim_file(shared / "b.csv", "b")
    load(shared)
    (shared / "b.csv").chmod(0)
    with permission_bits_apply(shared):
        found = messages(shared)
    assert found == [
        f"{shared}/b.csv: cannot be read (Permission denied); check the path and its permissions"
    ]


def test_check_prints_many_findings_in_the_memory_a_file_of_them_takes(tmp_path: Path) -> None:
    """`check` printed its findings as one rich Text: 300,000 findings took 1.4 GB
    (a file of them 0.8 GB). Printed a chunk at a time, the terminal costs no more."""
    data = tmp_path / "many.csv"
    rows = (f"c{i},e,killed,5,s,ngo,2022-01-05," for i in range(60_000))
    data.write_text(CSV_HEADER + "\n" + "\n".join(rows) + "\n")
    code, _, to_file = figrecon_peak("check", data, "-o", tmp_path / "report.txt")
    assert code == 0
    code, _, printed = figrecon_peak("check", data)
    assert code == 0
    assert printed < to_file + 40, (printed, to_file)


def alias_bomb(name: str = "a") -> str:
    """YAML anchors &{name}0 .. &{name}8 as x_ fields, *{name}8 a list of 9^9 items."""
    lines = [f"x_{name}0: &{name}0 [l, l, l, l, l, l, l, l, l]"]
    for n in range(1, 9):
        lines.append(f"x_{name}{n}: &{name}{n} [" + ", ".join([f"*{name}{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_quoted_briefly_wherever_it_is_refused(tmp_path: Path) -> None:
    """An alias bomb (a list of a billion items, made of a few lines) given as a key, a
    claim, a source type or an assessment was written out whole by the message that
    refused it, until the memory ran out."""
    claim = "{id: %s, event: e, metric: killed, value: '5', source: s, stated_on: 2022-01-05, %s}"
    data = tmp_path / "bombs.yaml"
    data.write_text(
        alias_bomb()
        + "? *a8\n: 5\nsources: {s: {name: S, type: *a8}}\nmetrics: {dead: {measure: *a8}}\n"
        + "claims:\n"
        + f"  - {claim % ('a', 'source_type: *a8')}\n"
        + f"  - {claim % ('b', 'assessment: *a8')}\n"
        + f"  - {claim % ('c', '? *a8 : 5')}\n"
        + "  - *a8\n"
    )
    out = figrecon_bounded("reconcile", data)
    shown = "[[[[...], [...], [...], [...], ...], ..."
    assert out.returncode == 2, out.stderr
    assert out.stderr.count(shown) == 8, out.stderr
    for part in (
        f"claim 4 must be a mapping of fields, found {shown}",
        f"metrics.dead.measure: {shown} is not one word",
        f"{shown}: unknown header field",
        f"{shown}: unknown field `{shown}`",
        f"sources.s.type: {shown} is not one word",
        f"source_type: {shown} is not one word; use one of: government,",
        f"assessment: {shown} is not one word; use unverified, disputed or confirmed",
    ):
        assert part in out.stderr
    assert "7 problems" in out.stderr


@pytest.mark.parametrize("name", ["foo[1]", "function-x"])
def test_a_header_field_named_like_a_validator_is_reported(tmp_path: Path, name: str) -> None:
    """A header key with a `[` was taken for the name of a pydantic validator and
    dropped from the error's location, which then was empty: exit 70."""
    data = tmp_path / "h.json"
    data.write_text(json.dumps({name: 5, "claims": [{"id": "a", **CLAIM}]}))
    assert messages(data) == [
        f"{data}:1: {name}: unknown header field; the header has title, description, "
        "event, location, sources, metrics, claims"
    ]
    data = tmp_path / "s.yaml"
    data.write_text(f"sources:\n  'a{name}': {{name: x, type: ngo, '{name}': 5}}\n")
    assert messages(data) == [
        f"{data}:2: sources.a{name}.{name}: unknown field; an entry has name, type, party"
    ]


# --- profiles and phrase tables -------------------------------------------------------


def parse_with(*args: str | Path) -> tuple[int, str]:
    out = figrecon_bounded("parse", "about 200", *args)
    return out.returncode, out.stderr


@pytest.mark.parametrize("option", ["--profile", "--lang"])
def test_a_huge_profile_or_phrase_table_is_refused_before_it_is_read(
    tmp_path: Path, option: str
) -> None:
    """A table file was read whole: a 5 GB file filled the memory before YAML saw it."""
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(5 * 2**30)  # sparse: takes no room on the disk
    assert parse_with(option, huge) == (
        2,
        f"{huge}: more than 16 MiB; a phrase table or profile is a short YAML file: "
        "check that this is the file you meant\n",
    )
    nul = tmp_path / "utf16.yaml"
    nul.write_text("name: mine\n", encoding="utf-16")
    assert parse_with(option, nul) == (
        2,
        f"{nul}: a NUL byte at byte offset 3: not a YAML text file (a binary file, or "
        "UTF-16 text); save the table as UTF-8\n",
    )


@pytest.mark.parametrize(
    ("option", "text"),
    [
        ("--profile", "name: *a8\n"),
        ("--profile", "extends: *a8\n"),
        ("--profile", "words:\n  en:\n    article: *a8\n"),
        ("--lang", "language: en\nscript: *a8\n"),
        ("--lang", "language: en\narticle: [*a8]\n"),
    ],
)
def test_an_alias_bomb_in_a_profile_or_phrase_table_is_refused(
    tmp_path: Path, option: str, text: str
) -> None:
    """Each value of a table is turned into text: a billion items filled the memory."""
    table = tmp_path / "bomb.yaml"
    table.write_text(alias_bomb() + text)
    assert parse_with(option, table) == (
        2,
        f"{table}: more than 1,000,000 values once its aliases (*) are expanded; a phrase "
        "table or profile holds a few thousand words: check its anchors (&) and aliases\n",
    )


EN = Path(figrecon.__file__).parent / "phrases" / "en.yaml"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("multipliers", "{hundred: .inf}", "multipliers: 'hundred' is inf"),
        ("multipliers", "{hundred: 0}", "multipliers: 'hundred' is 0"),
        ("multipliers", "{hundred: -100}", "multipliers: 'hundred' is -100"),
        ("multipliers", "{hundred: 2.5}", "multipliers: 'hundred' is 2.5"),
        ("qualified_units", "{x: .inf}", "qualified_units: 'x' is inf"),
        ("numbers", "{two: .nan}", "numbers: 'two' is nan"),
        ("numbers", "{two: -2}", "numbers: 'two' is -2"),
        ("numbers", "{two: 1e300}", "numbers: 'two' is '1e300'"),
        ("numbers", "{two: [2]}", "numbers: 'two' is [2]"),
        ("decimal_mark", "'abc'", 'decimal_mark is \'abc\'; write "." or ","'),
        ("qualifers", "{approx: [about]}", "unknown key `qualifers`; a phrase table has"),
        ("language", "[en, ru]", "language is ['en', 'ru']; write the table's language code"),
        ("language", "null", "no language; write the table's language code, such as en"),
    ],
)
def test_a_phrase_table_with_a_number_out_of_range_is_refused(
    tmp_path: Path, key: str, value: str, message: str
) -> None:
    """`.inf` and `.nan` gave exit 70; a negative or zero multiplier or number made
    `two hundred` read as 0, with exit 0; a mistyped key was ignored."""
    table = tmp_path / "mine.yaml"
    data = yaml.safe_load(EN.read_text(encoding="utf-8"))
    data[key] = yaml.safe_load(value)
    table.write_text(yaml.safe_dump(data, allow_unicode=True))
    code, err = parse_with("--lang", table)
    assert code == 2
    assert err.startswith(f"{table}: {message}"), err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("vague:\n  dozens: {hard: [-50, 99], point: -10}\n", "must have a point and a hard"),
        ("vague:\n  dozens: {hard: [24, inf], point: .inf}\n", "must have a point and a hard"),
        ("vague:\n  dozens: {hard: [1e300, 1e301], point: 1e300}\n", "must have a point"),
        (
            "vauge:\n  dozens: {hard: [24, 99], point: 30}\n",
            "unknown key `vauge`; a profile has extends, name, vague, words "
            "(did you mean `vague`?)",
        ),
        ("vague:\n  dozens: {hard: [24, 99], piont: 30}\n", "vague term 'dozens': unknown key"),
        ("words:\n  en: {multipliers: {gazillion: .inf}}\n", "multipliers: 'gazillion' is inf"),
    ],
)
def test_a_profile_with_a_bound_out_of_range_or_an_unknown_key_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    """A negative bound was read as 0, an infinite point as no point, a huge one as
    itself, and a mistyped key changed nothing: all with exit 0 (an infinite multiplier
    gave exit 70)."""
    profile = tmp_path / "mine.yaml"
    profile.write_text(text)
    out = figrecon_bounded("parse", "dozens", "--profile", profile)
    assert out.returncode == 2
    assert message in out.stderr, out.stderr
    assert out.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("option", "text", "line"),
    [
        ("--lang", "language: en\nname: Mine\nlanguage: ru\n", 3),
        ("--profile", "vague:\n  dozens: {hard: [24, 99]}\n  dozens: {hard: [12, 12]}\n", 3),
    ],
)
def test_a_key_given_twice_in_a_profile_or_phrase_table_is_refused(
    tmp_path: Path, option: str, text: str, line: int
) -> None:
    """The YAML reader kept the last of two equal keys in silence (claim files refuse
    them): the table then read otherwise than its author wrote it."""
    table = tmp_path / "mine.yaml"
    table.write_text(text)
    out = figrecon_bounded("parse", "dozens", option, table)
    assert out.returncode == 2
    assert out.stderr.startswith(f"{table}:{line}: the key ")
    assert "is given twice in one mapping; keep one" in out.stderr
    assert out.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("check", "-f", "json"),
        ("normalize",),
        ("normalize", "-f", "json"),
        ("normalize", "-f", "ndjson"),
        ("diff", "-f", "json", str(Path(__file__).parent / "fixtures" / "small.yaml")),
    ],
)
def test_a_file_name_whose_bytes_are_not_utf8_is_shown_escaped(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """A name's byte 0xff is a lone surrogate to Python, which UTF-8 cannot encode: the
    JSON of `check` and `diff` and every format of `normalize` stopped with exit 70."""
    name = tmp_path / os.fsdecode(b"bad\xffname.yaml")
    name.write_bytes((Path(__file__).parent / "fixtures" / "small.yaml").read_bytes())
    out = subprocess.run(
        [
            os.fsencode(sys.executable),
            b"-m",
            b"figrecon",
            *map(str.encode, args),
            os.fsencode(name),
        ],
        capture_output=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    # As `\udcff`: in JSON its backslash escaped.
    assert b"bad\\udcffname.yaml" in out.stdout.replace(b"\\\\", b"\\")
    out.stdout.decode("utf-8")  # all of it UTF-8
