"""A team accepts known findings in a baseline file, by code and claim id, so that
`check --strict` passes in CI until something new appears. The claims here are
synthetic, but for the shipped dataset's own baseline."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from contextlib import chdir
from pathlib import Path

import pytest

import figrecon
from bounded import figrecon_bounded as bounded
from figrecon import __version__
from figrecon.checks.baseline import baseline_of

ROOT = Path(__file__).parent.parent
DATA = ROOT / "data" / "kazakhstan-2022.yaml"
SHIPPED = ROOT / "data" / "figrecon-baseline.json"

CLAIM = (
    "  - {{id: {id}, metric: killed, value: '{value}', source: s, source_type: ngo, "
    "stated_on: 2022-01-0{day}}}\n"
)


def claims(*ids: str) -> str:
    """Synthetic claims without provenance: a missing-provenance warning each."""
    body = "".join(CLAIM.format(id=i, value=10 + n, day=n + 1) for n, i in enumerate(ids))
    return "event: e\nclaims:\n" + body


def test_a_written_baseline_lets_strict_pass(run, write, tmp_path: Path) -> None:
    path = write("claims.yaml", claims("a", "b"))
    baseline = tmp_path / "accepted.json"
    assert run("check", path, "--strict").exit_code == 1
    written = run("check", path, "--strict", "--write-baseline", baseline)
    assert written.exit_code == 0
    assert written.stderr == f"Wrote {baseline} (2 accepted findings)\n"
    assert json.loads(baseline.read_text(encoding="utf-8")) == {
        "figrecon_baseline": 1,
        "accepted": [
            {"code": "missing-provenance", "claim": c, "message": "has neither url nor quote"}
            for c in ("a", "b")
        ],
    }
    again = run("check", path, "--strict", "--baseline", baseline)
    assert again.exit_code == 0
    assert again.stdout == (
        "1 file checked: 0 errors, 0 warnings (2 accepted by the baseline) — valid\n"
    )


def test_a_new_finding_still_fails(run, write, tmp_path: Path) -> None:
    path = write("claims.yaml", claims("a"))
    baseline = tmp_path / "accepted.json"
    run("check", path, "--write-baseline", baseline)
    path.write_text(claims("a", "b"), encoding="utf-8")
    result = run("check", path, "--strict", "--baseline", baseline)
    assert result.exit_code == 1
    assert [
        line.split(" ")[3] for line in result.stdout.splitlines() if line.startswith(str(path))
    ] == ["b:"]


def test_a_finding_is_accepted_by_its_code_and_claim(tmp_path: Path, write) -> None:
    path = write("claims.yaml", claims("a"))
    baseline = tmp_path / "accepted.json"
    baseline.write_text(
        json.dumps({"figrecon_baseline": 1, "accepted": [{"code": "possible-typo", "claim": "a"}]}),
        encoding="utf-8",
    )
    report = figrecon.check(path, baseline=baseline, strict=True)
    assert [(f.code, f.claim) for f in report.findings] == [("missing-provenance", "a")]
    assert (report.accepted, report.valid) == (0, False)


def test_what_the_baseline_accepts_and_is_gone_is_named(run, write, tmp_path: Path) -> None:
    baseline = tmp_path / "accepted.json"
    run("check", write("old.yaml", claims("a", "z")), "--write-baseline", baseline)
    result = run("check", write("new.yaml", claims("a")), "--baseline", baseline)
    assert result.exit_code == 0
    assert result.stderr == (
        f"--baseline {baseline}: 1 accepted finding is no longer found (missing-provenance "
        f"z); rewrite it with --write-baseline {baseline}\n"
    )


def test_errors_that_reconcile_refuses_are_never_accepted(write) -> None:
    path = write(
        "claims.yaml",
        claims("a", "b") + "  - {id: a, metric: killed, value: '5', source: s, source_type: ngo, "
        "stated_on: 2022-01-09}\n",
    )
    report = figrecon.check(path)
    assert "duplicate-id" in {f.code for f in report.findings}
    assert {a.code for a in baseline_of(report.findings).accepted} == {"missing-provenance"}


def test_the_shipped_baseline_makes_strict_ci_pass_and_is_current(run, tmp_path: Path) -> None:
    assert run("check", DATA, "--strict").exit_code == 1
    result = run("check", DATA, "--strict", "--baseline", SHIPPED)
    assert (result.exit_code, result.stderr) == (0, "")
    rewritten = tmp_path / "rewritten.json"
    run("check", DATA, "--write-baseline", rewritten)
    assert rewritten.read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")


def test_a_baseline_in_the_data_folder_is_read_as_no_claims(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / DATA.name).write_bytes(DATA.read_bytes())
    (folder / SHIPPED.name).write_bytes(SHIPPED.read_bytes())
    assert len(figrecon.load(folder)) == len(figrecon.load(DATA))


@pytest.mark.parametrize(
    ("text", "reason"),
    [("[]", "no `figrecon_baseline` key"), ("{", "Expecting property name enclosed")],
)
def test_a_file_that_is_no_baseline_is_refused(run, write, text: str, reason: str) -> None:
    path = write("claims.yaml", claims("a"))
    bad = write("bad.json", text)
    result = run("check", path, "--baseline", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"--baseline {bad}: not a figrecon baseline ({reason}")


def test_a_baseline_is_never_written_over_a_claim_file(run, write) -> None:
    path = write("claims.yaml", claims("a"))
    result = run("check", path, "--write-baseline", path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"--write-baseline {path}: that file holds something else than a figrecon baseline; "
        "give a new file, or the baseline to rewrite\n"
    )
    assert path.read_text(encoding="utf-8") == claims("a")


def test_the_report_is_never_written_over_the_baseline(run, write, tmp_path: Path) -> None:
    path = write("claims.yaml", claims("a"))
    baseline = tmp_path / "baseline.json"
    assert run("check", path, "--write-baseline", baseline).exit_code == 0
    kept = baseline.read_bytes()
    for flag in ("--baseline", "--write-baseline"):
        # Under another spelling of its path too.
        result = run("check", path, flag, baseline, "-o", tmp_path / "." / "baseline.json")
        assert result.exit_code == 2
        assert f"that is the {flag} file; choose another output path" in result.stderr
        assert baseline.read_bytes() == kept
    # A baseline about to be written is its file too.
    new = tmp_path / "new.json"
    assert run("check", path, "--write-baseline", new, "-o", new).exit_code == 2
    assert not new.exists()


def figrecon_bounded(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """figrecon within 2 GiB and a minute: a baseline that is a device or a named pipe
    was read until the memory ran out, or waited for ever."""
    return bounded(*args, memory=2 * 2**30)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    with chdir(path.parent), socket.socket(socket.AF_UNIX) as listener:
        listener.bind(path.name)  # relative: a socket's path is short


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


NOT_REGULAR: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, "a named pipe"),
    "socket": (_socket, "a socket"),
    "device": (_device, "a device"),
}


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no devices on this system")
@pytest.mark.parametrize("made", NOT_REGULAR)
def test_a_baseline_that_is_no_regular_file_is_refused_unread(
    write, tmp_path: Path, made: str
) -> None:
    make, what = NOT_REGULAR[made]
    path = write("claims.yaml", claims("a"))
    other = tmp_path / "b.json"
    make(other)
    if made != "fifo":  # a pipe is read as the claim readers read one (below)
        read = figrecon_bounded("check", path, "--baseline", other)
        assert (read.returncode, read.stderr) == (
            2,
            f"--baseline {other}: not a regular file or a pipe ({what}); write one with "
            "--write-baseline FILE\n",
        )
    written = figrecon_bounded("check", path, "--write-baseline", other)
    assert (written.returncode, written.stderr) == (
        2,
        f"--write-baseline {other}: not a regular file ({what}); give a new file, or the "
        "baseline to rewrite\n",
    )
    assert not other.is_file()


WRITE = "--write-baseline FILE"


def _large(tmp_path: Path) -> Path:
    large = tmp_path / "large.json"
    large.write_text(json.dumps({"figrecon_baseline": 1, "accepted": [], "x": "a" * 2048}))
    return large


def _latin(tmp_path: Path) -> Path:
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"figrecon_baseline": 1, "accepted": [], "x": "\xe9"}')
    return latin


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda tmp: tmp, "not a regular file or a pipe (a folder); write one with " + WRITE),
        (_large, "more than 1 KiB, the limit on one input; raise --max-input-size"),
        (_latin, "not valid utf-8 (byte 0xe9 at offset 47); write one with " + WRITE),
    ],
    ids=["folder", "too large", "not utf-8"],
)
def test_a_baseline_that_cannot_be_read_is_refused(
    run, write, tmp_path: Path, make: Callable[[Path], Path], problem: str
) -> None:
    path = write("claims.yaml", claims("a"))
    baseline = make(tmp_path)
    result = run("check", path, "--max-input-size", "1K", "--baseline", baseline)
    assert (result.exit_code, result.stderr) == (2, f"--baseline {baseline}: {problem}\n")


def test_a_baseline_nested_too_deep_is_refused(run, write) -> None:
    path = write("claims.yaml", claims("a"))
    deep = write("deep.json", "[" * 100_000 + "]" * 100_000)
    read = run("check", path, "--baseline", deep)
    assert (read.exit_code, read.stderr) == (
        2,
        f"--baseline {deep}: not a figrecon baseline (nested more than 100 levels deep); "
        "write one with --write-baseline FILE\n",
    )
    written = run("check", path, "--write-baseline", deep)
    assert (written.exit_code, written.stderr) == (
        2,
        f"--write-baseline {deep}: that file holds something else than a figrecon baseline; "
        "give a new file, or the baseline to rewrite\n",
    )
    assert deep.read_text(encoding="utf-8") == "[" * 100_000 + "]" * 100_000


def test_a_baseline_of_another_version_is_refused_and_may_be_rewritten(run, write) -> None:
    path = write("claims.yaml", claims("a"))
    newer = write("newer.json", json.dumps({"figrecon_baseline": 99, "accepted": []}))
    result = run("check", path, "--baseline", newer)
    assert (result.exit_code, result.stderr) == (
        2,
        f"--baseline {newer}: a baseline in format version 99; this figrecon ({__version__}) "
        f"reads version 1; upgrade figrecon, or write a new one: --write-baseline {newer} "
        "without --baseline\n",
    )
    assert run("check", path, "--write-baseline", newer).exit_code == 0
    assert json.loads(newer.read_text(encoding="utf-8"))["figrecon_baseline"] == 1


def test_a_baseline_may_come_from_a_pipe(write, tmp_path: Path) -> None:
    """`--baseline <(git show main:figrecon-baseline.json)`, or /dev/stdin, in CI."""
    path = write("claims.yaml", claims("a"))
    baseline = tmp_path / "b.json"
    assert figrecon_bounded("check", path, "--write-baseline", baseline).returncode == 0
    command = ["check", str(path), "--strict", "--baseline", "/dev/stdin"]
    done = subprocess.run(
        [sys.executable, "-m", "figrecon", *command],
        input=baseline.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_a_large_baseline_is_rewritten_within_the_limit_it_is_read_with(run, write) -> None:
    path = write("claims.yaml", claims("a"))
    large = write(
        "large.json", json.dumps({"figrecon_baseline": 1, "accepted": [], "x": "a" * 2048})
    )
    result = run("check", path, "--max-input-size", "1K", "--write-baseline", large)
    assert (result.exit_code, result.stderr) == (
        2,
        f"--write-baseline {large}: that file holds something else than a figrecon "
        "baseline; give a new file, or the baseline to rewrite\n",
    )
    assert run("check", path, "--max-input-size", "4K", "--write-baseline", large).exit_code == 0
