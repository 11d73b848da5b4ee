"""`-o FILE`: written whole or not at all (a kill, a signal, a full disk or an error at
any moment leaves the old file), and never over a file the run reads. All claims here
are synthetic."""

from __future__ import annotations

import errno
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from figrecon.cli import main

Run = Callable[..., Any]
FIXTURES = Path(__file__).parent / "fixtures"
FIGRECON = Path(sys.executable).parent / "figrecon"
OLD = "the previous output, which must survive\n"


def big_claims(folder: Path, rows: int = 200) -> Path:
    """Synthetic claims whose normalized JSON is large (about 100 KB a row): a long
    location in the header is repeated on every row."""
    lines = [
        "# Synthetic claims for tests.",
        "event: e",
        "location: Testland/" + "x" * 100_000,
        "claims:",
    ]
    lines += [
        f"  - {{id: c{i}, metric: killed, value: '5', source: s, source_type: ngo, "
        "stated_on: 2022-01-01, url: u}"
        for i in range(rows)
    ]
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def interrupted(tmp_path: Path, sig: signal.Signals) -> tuple[int, Path]:
    """Run `figrecon normalize` writing a large output over an existing -o file, and
    send `sig` as soon as the write shows (the target changes or a file appears
    beside it). Returns the exit status and the target."""
    claims = big_claims(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "result.json"
    target.write_text(OLD, encoding="utf-8")
    before = os.stat(target)
    child = subprocess.Popen(
        [str(FIGRECON), "normalize", str(claims), "-f", "json", "-o", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sent = False
    try:
        while child.poll() is None:
            now = os.stat(target)
            changed = (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns)
            if changed or os.listdir(folder) != ["result.json"]:
                child.send_signal(sig)
                sent = True
                break
    finally:
        status = child.wait(timeout=120)
    assert sent, "the write finished before it could be interrupted"
    return status, target


def test_sigkill_while_writing_leaves_the_old_output_whole(tmp_path: Path) -> None:
    status, target = interrupted(tmp_path, signal.SIGKILL)
    assert status == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == OLD
    # At most the temporary file, hidden and named for its target, is left beside it.
    left = sorted(os.listdir(target.parent))
    assert left[-1] == "result.json"
    assert all(re.fullmatch(r"\.result\.json\.[0-9a-f]{16}\.figrecon-tmp", n) for n in left[:-1])


def test_sigterm_while_writing_leaves_the_old_output_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    status, target = interrupted(tmp_path, signal.SIGTERM)
    assert status == -signal.SIGTERM
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(target.parent) == ["result.json"]


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))


def test_a_full_disk_leaves_the_old_output_and_says_so_in_one_line(tmp_path: Path) -> None:
    # A file size limit makes the write fail part way, as a full disk does.
    claims = big_claims(tmp_path, rows=20)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "result.json"
    target.write_text(OLD, encoding="utf-8")
    done = subprocess.run(
        [str(FIGRECON), "normalize", str(claims), "-f", "json", "-o", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"-o {target}: cannot write the file (File too large); check the path, its "
        "permissions and the free space (the old file, if any, is unchanged)\n"
    )
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(folder) == ["result.json"]


@pytest.mark.parametrize(
    ("problem", "code"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), 2),
        (KeyboardInterrupt(), 130),
        (RuntimeError("synthetic failure"), 70),
    ],
    ids=["full-disk", "ctrl-c", "error"],
)
def test_a_failure_during_the_write_leaves_the_old_output_and_no_temporary_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, problem: BaseException, code: int
) -> None:
    target = tmp_path / "result.json"
    target.write_text(OLD, encoding="utf-8")

    def fail(fd: int) -> None:
        raise problem

    monkeypatch.setattr(os, "fsync", fail)
    args = ["reconcile", str(FIXTURES / "small.yaml"), "-f", "json", "-o", str(target)]
    assert main(args) == code
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(tmp_path) == ["result.json"]


def test_an_output_is_replaced_whole_and_keeps_its_permission_bits(
    run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "result.md"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    result = run("reconcile", FIXTURES / "small.yaml", "-f", "markdown", "-o", target)
    assert result.exit_code == 0
    assert result.stderr == f"Wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("**figrecon ")
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["result.md"]


def test_an_output_through_a_symlink_replaces_the_file_it_points_at(
    run: Run, tmp_path: Path
) -> None:
    real = tmp_path / "real.json"
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run("reconcile", FIXTURES / "small.yaml", "-f", "json", "-o", link).exit_code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("{")


def test_an_output_that_is_not_a_regular_file_is_written_in_place(run: Run) -> None:
    result = run("reconcile", FIXTURES / "small.yaml", "-f", "json", "-o", os.devnull)
    assert result.exit_code == 0
    assert result.stderr == f"Wrote {os.devnull}\n"


# --- refusing to write over what the run reads ---------------------------------------------


def claims_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "claims.yaml"
    path.write_text((FIXTURES / "small.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def refused(result: Any, message: str, *untouched: tuple[Path, str]) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    for path, text in untouched:
        assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "spelling",
    [
        lambda p: p,
        lambda p: p.parent / "." / ".." / p.parent.name / p.name,
        lambda p: Path(os.path.relpath(p)),
    ],
    ids=["as-given", "dots", "relative"],
)
def test_output_over_an_input_file_is_refused_however_it_is_spelled(
    run: Run, tmp_path: Path, spelling: Callable[[Path], Path]
) -> None:
    claims = claims_copy(tmp_path / "in")
    text = claims.read_text(encoding="utf-8")
    output = spelling(claims)
    result = run("reconcile", claims, "-f", "json", "-o", output)
    refused(
        result,
        f"-o {output}: that is an input file ({claims}); choose another output path",
        (claims, text),
    )


@pytest.mark.parametrize("kind", ["hardlink", "symlink"])
def test_output_over_a_link_to_an_input_file_is_refused(
    run: Run, tmp_path: Path, kind: str
) -> None:
    claims = claims_copy(tmp_path / "in")
    text = claims.read_text(encoding="utf-8")
    link = tmp_path / "result.json"
    if kind == "hardlink":
        os.link(claims, link)
    else:
        link.symlink_to(claims)
    result = run("normalize", claims, "-f", "json", "-o", link)
    refused(
        result,
        f"-o {link}: that is an input file ({claims}); choose another output path",
        (claims, text),
    )


def test_output_over_a_claim_file_found_in_an_input_folder_is_refused(
    run: Run, tmp_path: Path
) -> None:
    claims = claims_copy(tmp_path / "in" / "deep")
    text = claims.read_text(encoding="utf-8")
    link = tmp_path / "result.txt"
    os.link(claims, link)
    result = run("check", tmp_path / "in", "-f", "json", "-o", link)
    refused(
        result,
        f"-o {link}: that is an input file ({claims}); choose another output path",
        (claims, text),
    )


REGISTRY = "sources:\n  ngo: {name: Watch Group, type: ngo}\n"


@pytest.mark.parametrize(
    "command",
    [
        ["reconcile", "-f", "json"],
        ["check", "-f", "json"],
        ["normalize"],
        ["diff", "{claims}", "-f", "json"],
    ],
    ids=["reconcile", "check", "normalize", "diff"],
)
@pytest.mark.parametrize("kind", ["itself", "hardlink", "symlink"])
def test_output_over_the_sources_registry_is_refused_by_every_command(
    run: Run, tmp_path: Path, command: list[str], kind: str
) -> None:
    claims = claims_copy(tmp_path)
    registry = tmp_path / "reg.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    output = registry
    if kind != "itself":
        output = tmp_path / "out.yaml"
        if kind == "hardlink":
            os.link(registry, output)
        else:
            output.symlink_to(registry)
    args = [str(claims) if a == "{claims}" else a for a in command]
    result = run(args[0], claims, *args[1:], "--sources", registry, "-o", output)
    refused(
        result,
        f"-o {output}: that is the --sources registry ({registry}); choose another output path",
        (registry, REGISTRY),
    )


PROFILE = "name: mine\nvague:\n  dozens: {low: 24, high: 99, point: 36}\n"
TABLE = (Path(__file__).parent.parent / "src" / "figrecon" / "phrases" / "en.yaml").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize(
    ("flag", "name", "text", "what"),
    [
        ("--profile", "mine.yaml", PROFILE, "the phrase profile"),
        ("--lang", "table.yaml", TABLE, "the phrase table"),
    ],
)
def test_output_over_a_phrase_file_is_refused(
    run: Run, tmp_path: Path, flag: str, name: str, text: str, what: str
) -> None:
    claims = claims_copy(tmp_path / "in")
    phrases = tmp_path / name
    phrases.write_text(text, encoding="utf-8")
    result = run("reconcile", claims, flag, phrases, "-f", "json", "-o", phrases)
    refused(
        result,
        f"-o {phrases}: that is {what} ({phrases}); choose another output path",
        (phrases, text),
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("figrecon.toml", "tolerance = 0.1\n"),
        ("pyproject.toml", "[project]\nname = 'x'\n\n[tool.figrecon]\ntolerance = 0.1\n"),
    ],
)
def test_output_over_the_settings_file_is_refused(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, text: str
) -> None:
    claims = claims_copy(tmp_path / "in")
    settings = tmp_path / name
    settings.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("reconcile", claims, "-f", "json", "-o", name)
    refused(
        result,
        f"-o {name}: that is the settings file ({settings.resolve()}); choose another output path",
        (settings, text),
    )


def test_the_refusal_comes_before_the_work(run: Run, tmp_path: Path) -> None:
    # The claims are broken: the refusal is the one line, not their problems.
    broken = tmp_path / "broken.yaml"
    broken.write_text("claims: [\n", encoding="utf-8")
    result = run("reconcile", broken, "-f", "json", "-o", broken)
    refused(
        result,
        f"-o {broken}: that is an input file ({broken}); choose another output path",
        (broken, "claims: [\n"),
    )


def test_check_writes_one_line_per_finding_to_a_file_as_it_prints_them(
    run: Any, tmp_path: Path
) -> None:
    """`check -o FILE` gives the lines `check` prints, each finding on one line however
    long (they were once wrapped at 100 columns, so a hint's second half lost its
    FILE:LINE: and grep lost it)."""
    fixture = Path(__file__).parent / "fixtures" / "worked-example.yaml"
    target = tmp_path / "findings.txt"
    printed = run("check", fixture).stdout
    run("check", fixture, "-o", target)
    written = target.read_text(encoding="utf-8")
    assert written == printed
    findings = written.split("\n\n")[0].splitlines()
    assert findings
    assert all(line.startswith(f"{fixture}:") for line in findings)
    assert max(map(len, findings)) > 100


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
@pytest.mark.parametrize("command", ["reconcile", "report"])
def test_o_dev_stdout_into_a_pipe_is_written(command: str) -> None:
    """/dev/stdout on a pipe resolves to no path (`pipe:[...]`): it is opened by its
    name, as /dev/null and named pipes are."""
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "figrecon", command, str(data), "-o", "/dev/stdout"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"<!DOCTYPE html>" if command == "report" else b"figrecon")
