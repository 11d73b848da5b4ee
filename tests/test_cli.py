"""The command line: formats, exit codes, stdout/stderr, literal printing of data."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import figrecon
from figrecon.cli import main

KZ = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"figrecon {figrecon.__version__}\n"


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "figrecon", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"figrecon {figrecon.__version__}"


def test_installed_command_reconciles_the_shipped_dataset_to_json() -> None:
    exe = Path(sys.executable).parent / "figrecon"
    out = subprocess.run(
        [str(exe), "reconcile", str(KZ), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert data["method"]["name"] == "agreement"
    assert out.stderr == ""


def test_json_output_equals_the_library_result(run, fixtures: Path) -> None:
    result = run("reconcile", fixtures / "worked-example.yaml", "--format", "json")
    library = figrecon.reconcile(figrecon.load(fixtures / "worked-example.yaml"))
    assert result.stdout == library.model_dump_json(indent=2) + "\n"


def test_json_has_the_documented_keys(run, fixtures: Path) -> None:
    data = json.loads(run("reconcile", fixtures / "worked-example.yaml", "-f", "json").stdout)
    assert set(data) >= {"format_version", "figrecon", "method", "figures"}
    assert set(data["method"]) == {"name", "profile", "as_of", "parameters"}
    figure = data["figures"][0]
    assert set(figure) >= {
        "event",
        "metric",
        "group",
        "location",
        "period",
        "low",
        "best",
        "high",
        "open_upper",
        "confidence",
        "independent_sources",
        "ratio",
        "claims_used",
        "claims_excluded",
        "notes",
        "history",
    }
    assert set(figure["notes"][0]) == {"code", "rule", "message", "claims"}
    assert set(figure["claims_excluded"][0]) == {"id", "reason", "rule"}


@pytest.mark.parametrize(
    ("fmt", "first_line"),
    [
        (
            "csv",
            "event,metric,group,location,period,measure,low,best,high,open_upper,confidence,"
            "independent_sources,ratio,disagreement,sources,claims_used,claims_excluded,notes",
        ),
        (
            "markdown",
            "**figrecon " + figrecon.__version__ + "** · method `agreement` · profile `default`",
        ),
    ],
)
def test_text_formats(run, fixtures: Path, fmt: str, first_line: str) -> None:
    out = run("reconcile", fixtures / "worked-example.yaml", "--format", fmt).stdout
    assert out.splitlines()[0] == first_line


def test_ndjson_is_one_figure_per_line(run, fixtures: Path) -> None:
    out = run("reconcile", fixtures / "small.yaml", "--format", "ndjson").stdout
    lines = out.splitlines()
    assert [json.loads(line)["metric"] for line in lines] == ["hospitalized", "killed"]


def test_table_prints_the_figures(run, fixtures: Path) -> None:
    out = run("reconcile", fixtures / "worked-example.yaml").stdout
    assert "225–240 (open above)" in out
    assert "Based on 2 independent sources:\n    Prosecutor's Office\n    Rights Group\n" in out


def test_source_names_are_printed_literally_not_as_markup(run, write) -> None:
    path = write(
        "m.yaml",
        "event: e\nsources:\n  s: {name: '[bold]x[/bold]', type: ngo}\nclaims:\n"
        "  - {id: '[red]a[/red]', metric: killed, value: '5', source: s, stated_on: 2022-01-01}\n",
    )
    out = run("reconcile", path, "--explain").stdout
    assert "[bold]x[/bold]" in out
    assert "[red]a[/red]" in out


def test_broken_input_exits_2_with_located_lines_on_stderr(run, fixtures: Path) -> None:
    result = run("reconcile", fixtures / "bad" / "three-broken.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4
    assert lines[-1] == "3 problems; nothing was reconciled."
    assert all(
        line.startswith(str(fixtures / "bad" / "three-broken.yaml") + ":") for line in lines[:3]
    )
    # A command that reconciles nothing says what it did not do.
    assert run("normalize", fixtures / "bad" / "three-broken.yaml").stderr.splitlines()[-1] == (
        "3 problems; nothing was written."
    )


def test_bad_option_values_exit_2(run, fixtures: Path) -> None:
    result = run("reconcile", fixtures / "small.yaml", "--as-of", "yesterday")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--as-of 'yesterday': write the date as YYYY-MM-DD"
    # Written as YYYY-MM-DD already: the day is what is wrong.
    result = run("reconcile", fixtures / "small.yaml", "--as-of", "2022-02-30")
    assert result.stderr.strip() == "--as-of '2022-02-30': that day is not in the calendar"
    assert run("reconcile", fixtures / "small.yaml", "--format", "xml").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_internal_error_exits_70_with_one_line_and_a_debug_hint(
    monkeypatch, capsys, fixtures: Path
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr("figrecon.engine.rules.reconciled_batch", boom)
    assert main(["reconcile", str(fixtures / "small.yaml")]) == 70
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaput" in err
    assert "--debug" in err
    assert "Traceback" not in err
    assert main(["--debug", "reconcile", str(fixtures / "small.yaml")]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_output_file_is_written_and_inputs_are_never_overwritten(
    run, fixtures: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    result = run("reconcile", fixtures / "small.yaml", "-f", "json", "-o", target)
    assert result.exit_code == 0
    assert json.loads(target.read_text())["figures"]
    copy = tmp_path / "claims.yaml"
    copy.write_text((fixtures / "small.yaml").read_text())
    before = copy.read_text()
    result = run("reconcile", copy, "-f", "json", "-o", copy)
    assert result.exit_code == 2
    assert "that is an input file" in result.stderr
    assert copy.read_text() == before


def test_output_inside_an_input_folder_is_refused_when_it_would_be_read_as_claims(
    run, fixtures: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "a.yaml").write_text((fixtures / "small.yaml").read_text())
    result = run("reconcile", folder, "-f", "json", "-o", folder / "result.json")
    assert result.exit_code == 2
    assert "inside the input folder" in result.stderr
    assert not (folder / "result.json").exists()
    # A report that is not a claim file may live beside the claims.
    assert run("reconcile", folder, "-f", "markdown", "-o", folder / "r.md").exit_code == 0


def test_reconcile_prints_the_inputs_warnings_on_stderr(run, write) -> None:
    path = write(
        "typo.yaml",
        "event: e\nlocation: X\nsources:\n  amn: {name: Amnesty, type: ngo}\nclaims:\n"
        "  - {id: a, metric: killed, value: '12', source: amh, stated_on: 2022-01-01, url: u}\n",
    )
    result = run("reconcile", path, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["figures"]
    assert result.stderr.startswith(f"warning: {path}:6: source: `amh` is not in the")


def test_stdin_is_read_when_no_path_is_given(run, fixtures: Path) -> None:
    result = run("reconcile", "-f", "csv", input=(fixtures / "small.csv").read_text())
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("test-event,killed,total,Testland,")


def test_schema_describes_the_claim_format_and_the_output(run) -> None:
    claim_schema = json.loads(run("schema").stdout)
    assert "claims" in claim_schema["properties"]
    assert "stated_on" in claim_schema["$defs"]["Claim"]["properties"]
    # The schema accepts what the loaders accept.
    claim = claim_schema["$defs"]["Claim"]
    assert {"type": "number"} in claim["properties"]["value"]["anyOf"]
    assert {"type": "string"} in claim["properties"]["retracts"]["anyOf"]
    assert "^x_" in claim["patternProperties"]
    assert "^x_" in claim_schema["patternProperties"]
    output_schema = json.loads(run("schema", "--output").stdout)
    assert "figures" in output_schema["properties"]


def test_normalize_prints_the_normalized_claims(run, fixtures: Path) -> None:
    out = run("normalize", fixtures / "small.yaml", "-f", "json").stdout
    rows = json.loads(out)
    assert rows[0]["kind"] == "approx"
    assert (rows[0]["hard_low"], rows[0]["hard_high"]) == (9850, 9950)
    assert rows[1]["hard_high"] is None


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_neither_pandas_nor_pydantic(flag: str) -> None:
    code = (
        f"import sys; from figrecon.cli import main; main([{flag!r}]); "
        "print('pandas' in sys.modules, 'pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_a_small_run_to_a_pipe_imports_only_what_it_uses(tmp_path: Path) -> None:
    """Start-up is most of the time of a small run: the table written to a pipe or a
    file needs no rich, no other renderer, and no model it does not validate with."""
    code = (
        "import sys; from figrecon.cli import main\n"
        "try:\n    main(['reconcile', 'data/kazakhstan-2022.yaml'])\n"
        "except SystemExit:\n    pass\n"
        "from figrecon.model import Claim\n"
        "heavy = ('rich', 'numpy.ma', 'pandas', 'pyarrow', 'figrecon.render.json',"
        " 'figrecon.render.findings', 'figrecon.render.diff')\n"
        "print(sorted(m for m in heavy if m in sys.modules), Claim.__pydantic_complete__,"
        " file=sys.stderr)"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    assert "1,650–1,750" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[] False"


def test_explain_in_the_table_and_in_json(run, fixtures: Path) -> None:
    table = run("reconcile", fixtures / "worked-example.yaml", "--explain").stdout
    assert "w1 dozens — Government, 2022-01-01: stale (R5)" in table
    data = json.loads(
        run("reconcile", fixtures / "worked-example.yaml", "--explain", "-f", "json").stdout
    )
    fates = {t["id"]: t["status"] for t in data["figures"][0]["explain"]}
    assert fates == {
        "w1": "stale",
        "w2": "withdrawn",
        "w3": "withdrawn",
        "w4": "retraction",
        "w5": "used",
        "w6": "used",
        "w7": "used",
    }


def test_filters_select_figures(run) -> None:
    out = run(
        "reconcile", KZ, "-f", "json", "--metric", "killed", "--location", "Kazakhstan"
    ).stdout
    figures = json.loads(out)["figures"]
    assert {f["metric"] for f in figures} == {"killed"}
    assert "Kazakhstan/Almaty" in {f["location"] for f in figures}
    out = run(
        "reconcile",
        KZ,
        "-f",
        "json",
        "--group",
        "security_forces",
        "--location",
        "Kazakhstan/Almaty",
    ).stdout
    assert [(f["metric"], f["location"]) for f in json.loads(out)["figures"]] == [
        ("injured", "Kazakhstan/Almaty"),
        ("killed", "Kazakhstan/Almaty"),
    ]


def test_method_and_rank_flags(run, fixtures: Path) -> None:
    data = json.loads(
        run(
            "reconcile", fixtures / "worked-example.yaml", "-f", "json", "--method", "conservative"
        ).stdout
    )
    assert data["method"]["name"] == "conservative"
    # The least the set supports: its 225, raised to the rights group's "at least 230".
    assert data["figures"][0]["best"] == 230
    result = run("reconcile", fixtures / "worked-example.yaml", "--method", "hierarchy")
    assert result.exit_code == 2
    assert "needs --rank" in result.stderr
    data = json.loads(
        run(
            "reconcile",
            fixtures / "worked-example.yaml",
            "-f",
            "json",
            "--method",
            "hierarchy",
            "--rank",
            "ngo,judiciary",
        ).stdout
    )
    assert data["figures"][0]["best"] == 230


def test_as_of_flag(run, fixtures: Path) -> None:
    data = json.loads(
        run(
            "reconcile", fixtures / "worked-example.yaml", "-f", "json", "--as-of", "2022-01-02"
        ).stdout
    )
    figure = data["figures"][0]
    assert data["method"]["as_of"] == "2022-01-02"
    assert figure["best"] == 164  # not yet withdrawn on that day


def test_markdown_is_a_table_with_the_figures(run, fixtures: Path) -> None:
    out = run("reconcile", fixtures / "worked-example.yaml", "-f", "markdown").stdout
    assert (
        "| killed · Exampleland | 225 | **230** | 240 + | moderate | Prosecutor's Office; Rights Group |"
        in out
    )


@pytest.mark.parametrize(
    ("flag", "value", "hint"),
    [
        ("--metric", "killd", "no claim has metric `killd` (did you mean `killed`?)"),
        ("--group", "security forces", "(did you mean `security_forces`?)"),
        ("--location", "Almaty", "(did you mean `Kazakhstan/Almaty`?)"),
    ],
)
def test_a_filter_that_matches_nothing_says_what_is_close(
    run, flag: str, value: str, hint: str
) -> None:
    result = run("reconcile", KZ, flag, value)
    assert result.exit_code == 0
    assert hint in result.stderr


def test_bad_flag_values_are_quoted_and_codes_suggested(run) -> None:
    result = run("reconcile", KZ, "--method", "hierarchy", "--rank", "judiciary,NGOs")
    assert result.exit_code == 2
    assert result.stderr.startswith("--rank: 'NGOs': input should be")
    result = run("check", KZ, "--select", "repeat-withdrawn")
    assert "(did you mean 'repeats-withdrawn'?)" in result.stderr


def test_sources_given_twice_is_refused(run, fixtures: Path) -> None:
    registry = fixtures / "sources.yaml"
    result = run("reconcile", KZ, "--sources", registry, "--sources", registry)
    assert result.exit_code == 2
    assert "--sources is given 2 times" in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator only")
def test_the_program_keeps_freed_memory_for_its_next_arrays(monkeypatch) -> None:
    # In a process of its own, glibc takes the three settings.
    code = "from figrecon.cli.app import keep_freed_memory as k; print(k())"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    clean.pop("GLIBC_TUNABLES", None)
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean)
    assert shown.stdout.strip() == str(_glibc())
    # The user's own settings are left as they are.
    for mine in ({"MALLOC_ARENA_MAX": "2"}, {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}):
        shown = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env={**clean, **mine}
        )
        assert shown.stdout.strip() == "False"
    # As the program (arguments from sys.argv) main asks for it; called with arguments,
    # by a program of the caller's, it leaves the caller's allocator be.
    app = importlib.import_module("figrecon.cli.app")
    calls: list[bool] = []
    monkeypatch.setattr(app, "keep_freed_memory", lambda: calls.append(True) or True)
    assert main(["--version"]) == 0
    assert calls == []
    monkeypatch.setattr(sys, "argv", ["figrecon", "--version"])
    assert main() == 0
    assert calls == [True]


def _glibc() -> bool:
    import platform

    return platform.libc_ver()[0] == "glibc"


def test_check_json_is_utf8_whatever_the_terminal_encoding(write) -> None:
    # JSON is UTF-8 (RFC 8259), as `reconcile -f json` writes it: a latin-1 stdout
    # neither mangles nor refuses a name outside latin-1.
    path = write(
        "claims.yaml",
        "event: e\nclaims:\n  - {id: кз-1, metric: killed, value: '5', source: Ωmega,\n"
        "     source_type: ngo, stated_on: 2022-01-01}\n",
    )
    out = subprocess.run(
        [sys.executable, "-m", "figrecon", "check", str(path), "-f", "json"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )
    assert out.returncode == 0, out.stderr
    claims = {f["claim"] for f in json.loads(out.stdout.decode("utf-8"))["findings"]}
    assert claims == {"кз-1"}


def test_the_program_keeps_numpys_linear_algebra_to_one_thread() -> None:
    """OpenBLAS starts a spinning thread per core when numpy is imported; figrecon does
    no linear algebra. The program sets one thread before numpy loads, unless the user
    chose; a caller of `main` keeps its own."""
    probe = (
        "import os, sys; from figrecon.cli import main; sys.argv = ['figrecon', '--version'];"
        " sys.stdout = open(os.devnull, 'w'); main(); sys.stdout = sys.__stdout__;"
        " import numpy; print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    }
    for mine, shown in (
        ({}, "1"),
        ({"OMP_NUM_THREADS": "2"}, "None"),
        ({"OPENBLAS_NUM_THREADS": "3"}, "3"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env={**clean, **mine}
        )
        assert out.stdout.strip() == shown, out.stderr
    called = (
        "import os; from figrecon.cli import main; main(['--version']);"
        " print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    out = subprocess.run([sys.executable, "-c", called], capture_output=True, text=True, env=clean)
    assert out.stdout.strip().splitlines()[-1] == "None"


def test_a_run_builds_only_the_command_it_names() -> None:
    """typer builds a click command of every registered command before it dispatches;
    a run that names one exactly registers it alone, and every other command line sees
    them all (help, no command, a misspelt name, an option typer does not know)."""
    from figrecon.cli.app import app, only_the_command

    every = list(app.registered_commands)
    assert len(every) == 10
    for args, seen in (
        (["reconcile", "data/kazakhstan-2022.yaml"], ["reconcile"]),
        (["--debug", "import", "ged.csv"], ["import_"]),
        (["--help"], None),
        (["--help", "reconcile"], None),
        (["-h", "check"], None),
        (["--show-completion", "reconcile"], None),
        ([], None),
        (["reconcil", "x"], None),
        (["--quiet", "reconcile"], None),
        (["data.yaml", "reconcile"], None),
    ):
        with only_the_command(args):
            names = [info.callback.__name__ for info in app.registered_commands]
            assert names == (seen or [info.callback.__name__ for info in every]), args
        assert app.registered_commands == every


def test_reconcile_frees_the_loaded_claims_before_it_makes_the_figures(
    monkeypatch, tmp_path: Path
) -> None:
    """The batch holds all the figures read: the command drops the loaded claims once
    it is built, so their memory serves the figures rather than adding to the peak."""
    import weakref

    from figrecon.cli.bundles import Inputs
    from figrecon.engine import assemble

    loaded: list[weakref.ref[object]] = []
    alive_at_notes: list[bool] = []
    load = Inputs.load

    def remembered(self: Inputs, *args: object, **kwargs: object) -> object:
        claims = load(self, *args, **kwargs)  # type: ignore[arg-type]
        loaded.append(weakref.ref(claims))
        return claims

    class Watched(assemble.Notes):
        def __init__(self, *args: object) -> None:
            alive_at_notes.append(any(ref() is not None for ref in loaded))
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(Inputs, "load", remembered)
    monkeypatch.setattr(assemble, "Notes", Watched)
    out = tmp_path / "figures.json"
    assert main(["reconcile", str(KZ), "-f", "json", "-o", str(out)]) == 0
    assert loaded
    assert alive_at_notes == [False]
    assert json.loads(out.read_text())["figures"]


def _program(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The program on pipes, with Python's own buffering of stdout (block-wise)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "figrecon", *args], capture_output=True, check=False, env=env
    )


def test_the_program_ends_with_the_exit_code_and_the_whole_output(tmp_path: Path) -> None:
    """`run` ends the process without Python's teardown: the output must still be
    complete, on a pipe and in an -o file, and each exit code the one of the command."""
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    done = _program("reconcile", str(data), "-f", "json")
    assert done.returncode == 0, done.stderr
    piped = json.loads(done.stdout)
    assert len(piped["figures"]) > 10
    target = tmp_path / "out.json"
    done = _program("reconcile", str(data), "-f", "json", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == piped
    # A table through a pipe ends with its last line.
    table = _program("reconcile", str(data))
    assert table.returncode == 0
    assert table.stdout.endswith(b"\n")
    assert b"killed" in table.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("event: e\nclaims:\n  - {id: a, metric: killed}\n", encoding="utf-8")
    assert _program("check", str(bad), "-f", "json").returncode == 1
    assert _program("reconcile", str(tmp_path / "missing.yaml")).returncode == 2
    assert _program("--version").stdout == f"figrecon {figrecon.__version__}\n".encode()
    # Commands that leave their text in Python's buffer for the end to flush.
    parsed = _program("parse", "dozens", "-f", "json")
    assert json.loads(parsed.stdout)["text"] == "dozens"
    schema = _program("schema", "--output")
    assert json.loads(schema.stdout)["title"] == "Result"
    assert _program("method").stdout.startswith(b"#")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [("reconcile", "KZ"), ("reconcile", "KZ", "-f", "json"), ("parse", "dozens"), ("method",)],
)
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_full_standard_output_is_one_line_and_exit_2(
    args: tuple[str, ...], unbuffered: str
) -> None:
    """Whether the write fails inside the command or at the final flush."""
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "figrecon", *(str(data) if a == "KZ" else a for a in args)],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            env={**env, "PYTHONUNBUFFERED": unbuffered} if unbuffered else env,
        )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "figrecon: cannot write the output (No space left on device); check the free space "
        "where it goes (and of the temporary folder), or write a file elsewhere with -o\n"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="closes file descriptor 1")
@pytest.mark.parametrize(
    "args",
    [
        ("reconcile", "KZ"),
        ("reconcile", "KZ", "-f", "json"),
        ("normalize", "KZ"),
        ("check", "KZ"),
        ("timeline", "KZ"),
        ("diff", "KZ", "KZ"),
        ("parse", "dozens"),
        ("schema",),
        ("--version",),
    ],
)
def test_a_closed_standard_output_is_one_line_and_exit_2(args: tuple[str, ...]) -> None:
    """Started with stdout closed (`>&-`), Python has no sys.stdout: every command that
    writes there says so in one line and exits 2 (some failed with an internal error,
    others exited 0 with their output lost)."""
    done = subprocess.run(
        [sys.executable, "-m", "figrecon", *(str(KZ) if a == "KZ" else a for a in args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "figrecon: cannot write the output (standard output is closed); run it with a "
        "standard output (not >&-), or write a file with -o if it has one\n"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="closes file descriptor 1")
def test_a_closed_standard_output_leaves_an_o_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "figrecon", "reconcile", str(KZ), "-f", "json", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["figures"]


def test_main_as_a_function_gives_the_collector_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller of `main` keeps its process (and its cyclic collector); only the program
    (`run`) ends without the interpreter's teardown."""
    import gc

    assert gc.isenabled()
    assert main(["--version"]) == 0
    assert gc.isenabled()
    ends: list[int] = []
    app = importlib.import_module("figrecon.cli.app")
    monkeypatch.setattr(app.os, "_exit", ends.append)
    monkeypatch.setattr(sys, "argv", ["figrecon", "--version"])
    try:
        app.run()
    finally:
        gc.enable()
    assert ends == [0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_both_streams_still_exits_2() -> None:
    """The line cannot be written either; the exit code still says what happened (not
    1, which `check` gives for findings)."""
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "figrecon", "check", str(data)],
            stdout=full,
            stderr=full,
            check=False,
        )
    assert done.returncode == 2


def test_an_output_that_fails_otherwise_is_not_called_a_full_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    app = importlib.import_module("figrecon.cli.app")
    said: list[str] = []
    monkeypatch.setattr(app, "tell", lambda *lines: said.extend(lines))
    assert app._unwritable(OSError(errno.EIO, "Input/output error")) == 2
    assert said == [
        "figrecon: cannot write the output (Input/output error); check where it goes, "
        "or write a file with -o"
    ]


def test_the_program_runs_exit_handlers_and_lets_profilers_write(tmp_path: Path) -> None:
    """Libraries clean up in exit handlers (matplotlib's temporary folder); profilers and
    tracers write their results on the usual way out."""
    mark = tmp_path / "handler-ran"
    code = (
        "import atexit, sys; from pathlib import Path;"
        f" atexit.register(Path({str(mark)!r}).write_text, 'yes');"
        " sys.argv = ['figrecon', '--version']; from figrecon.cli import run; run()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert done.returncode == 0
    assert mark.read_text() == "yes"
    profile = tmp_path / "run.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "figrecon", "--version"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert profile.stat().st_size > 0


def test_importing_the_main_module_runs_nothing() -> None:
    code = (
        "import importlib, sys; sys.argv = ['figrecon', '--version'];"
        " importlib.import_module('figrecon.__main__'); print('still here')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert done.stdout == b"still here\n"


def test_the_library_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller's process may hold threads: `figrecon.check` stays in it however large
    the file (the command line forks; `tests/test_forked.py`)."""
    from figrecon.checks import rules

    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    monkeypatch.setattr(rules, "MEANWHILE", 1)
    forks: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or 0)
    assert figrecon.check(data).findings
    assert not forks


def test_only_the_program_keeps_what_a_run_made_to_its_end(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The figrecon program keeps a run for the system to take back at its end
    (`keep_until_exit`); a caller of `main`, with arguments or with `sys.argv`, gets the
    memory back however often it calls."""
    import gc
    import importlib
    import weakref

    from figrecon.cli.app import main
    from figrecon.engine.assemble import Reconciled
    from figrecon.loading import claims as claims_module

    app_module = importlib.import_module("figrecon.cli.app")
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    monkeypatch.setattr(app_module, "kept", [])
    monkeypatch.setitem(app_module.state, "ending", False)
    made: list[weakref.ref] = []
    real = claims_module.Claims.__init__

    def recorded(self, *args, **kwargs) -> None:
        real(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(claims_module.Claims, "__init__", recorded)
    for command in ("reconcile", "normalize"):
        argv = [command, str(data), "-f", "json", "-o", str(tmp_path / f"{command}.json"), "-q"]
        assert main(argv) == 0
        monkeypatch.setattr(sys, "argv", ["figrecon", *argv])
        assert main() == 0
        assert main() == 0
    gc.collect()
    assert made
    assert all(ref() is None for ref in made)
    assert app_module.kept == []
    assert app_module.state["ending"] is False
    # The program itself (its exit and the exit handlers stubbed): the run is kept, and
    # the flag is down again after it.
    ends: list[int] = []
    monkeypatch.setattr(app_module.os, "_exit", ends.append)
    monkeypatch.setattr(app_module.atexit, "_run_exitfuncs", lambda: None)
    target = tmp_path / "program.json"
    monkeypatch.setattr(
        sys, "argv", ["figrecon", "reconcile", str(data), "-f", "json", "-o", str(target), "-q"]
    )
    try:
        app_module.run()
    finally:
        gc.enable()
    assert ends == [0]
    assert [type(k) for k in app_module.kept] == [Reconciled]
    assert app_module.state["ending"] is False
    assert target.read_bytes() == (tmp_path / "reconcile.json").read_bytes()


def test_running_out_of_memory_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An input larger than the memory the process may take (an endless pipe under a
    memory limit ran out before --max-input-size stopped it) is no internal error."""
    loading = importlib.import_module("figrecon.loading")

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(loading, "load", exhausted)
    assert main(["reconcile", str(KZ)]) == 2
    assert capsys.readouterr().err == (
        "figrecon: out of memory; the input is larger than this machine (or its memory "
        "limit) can hold: split it (--max-input-size stops a larger input early); rerun "
        "with --debug for where it ran out\n"
    )
    assert main(["--debug", "reconcile", str(KZ)]) == 70
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_explain_in_a_format_without_a_place_for_it_is_refused(run, fmt: str) -> None:
    # It was ignored without a word: the output was byte for byte the one without it.
    result = run("reconcile", KZ, "-f", fmt, "--explain")
    assert result.exit_code == 2
    assert f"--explain has no place in the {fmt} format" in result.output
