"""A large output written by two processes (`render.halves`) is byte for byte what one
process writes: in every streamed format, with filters that leave either half empty,
and when the forked child fails or cannot be had. The claims are synthetic
(bench/generate.py) and the real Kazakhstan file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from figrecon import forked
from figrecon.cli import main
from figrecon.engine import assemble

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import forks  # noqa: E402
from forks import fail_in_children, record_callers, synthetic_claims, two_processors  # noqa: E402

KZ = ROOT / "data" / "kazakhstan-2022.yaml"
FORMATS = ("json", "ndjson", "table", "csv")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_claims(tmp_path_factory, seed=7)


def output(tmp_path: Path, args: list[str], fmt: str) -> bytes:
    out = tmp_path / f"out.{fmt}"
    assert main(["reconcile", "--quiet", *args, "-f", fmt, "-o", str(out)]) == 0
    return out.read_bytes()


def in_one_and_two(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], fmt: str
) -> tuple[bytes, bytes]:
    """The output of one process, and of two (the halves taken from a single claim)."""
    made = lambda: output(tmp_path, args, fmt)  # noqa: E731
    return forks.in_one_and_two(monkeypatch, assemble, "HALVES", made)


RUNS = (
    [],
    ["--explain"],
    ["--metric", "killed"],
    ["--location", "Kazakhstan"],
    ["--event", "no-such-event"],
    ["--as-of", "2022-01-06", "--explain"],
)


@two_processors
@pytest.mark.parametrize(
    ("fmt", "args"),
    # --explain has no place in CSV (refused: tests/test_cli.py).
    [(f, a) for f in FORMATS for a in RUNS if not (f == "csv" and "--explain" in a)],
)
def test_two_processes_write_what_one_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, fmt: str, args: list[str]
) -> None:
    for path in (synthetic, KZ):
        one, two = in_one_and_two(monkeypatch, tmp_path, [str(path), *args], fmt)
        assert two == one, (path.name, fmt, args)


@two_processors
@pytest.mark.parametrize("fmt", FORMATS)
def test_figures_of_only_one_half_are_written_as_one_process_writes_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, fmt: str
) -> None:
    """An event of the first groups only, and one of the last: one half shows nothing."""
    import figrecon

    events = [f.event for f in figrecon.reconcile(figrecon.load(synthetic)).figures]
    none = output(tmp_path, [str(synthetic), "--event", "no-such-event"], fmt)
    for event in (events[0], events[-1]):
        args = [str(synthetic), "--event", event]
        one, two = in_one_and_two(monkeypatch, tmp_path, args, fmt)
        assert two == one, (fmt, event)
        assert one != none  # the event's figures are shown


@two_processors
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_child_does_write_the_second_half(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, fmt: str
) -> None:
    """The second half is made in another process (the figures record where)."""
    seen = tmp_path / "pids"
    record_callers(monkeypatch, assemble, "_figure", seen)
    one, two = in_one_and_two(monkeypatch, tmp_path, [str(synthetic)], fmt)
    assert two == one
    assert len(set(seen.read_text().split())) == 2  # this process, and one child


@two_processors
def test_each_process_makes_only_its_own_halfs_batch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    """The parent makes the first half's batch and the child the second's: neither
    makes the other's (the claims stay in the parent until then)."""
    from figrecon.engine import rules

    seen = tmp_path / "pids"
    record_callers(monkeypatch, rules, "build_batch", seen)
    one, two = in_one_and_two(monkeypatch, tmp_path, [str(synthetic)], "json")
    assert two == one
    made = seen.read_text().split()
    assert len(made) == 2, made  # once by each of two processes
    assert str(os.getpid()) in made
    assert len(set(made)) == 2, made


@two_processors
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "args", [[], ["--event", "no-such-event"], ["--location", "no-such-place", "--exact"]]
)
def test_two_processes_write_to_a_pipe_what_one_does(
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    synthetic: Path,
    fmt: str,
    args: list[str],
) -> None:
    """Written to stdout rather than a file; the table first looks whether any figure
    is shown (a line on stderr says why none is), then its second half is made by the
    child too (the figures record where)."""
    seen = tmp_path / "pids"
    record_callers(monkeypatch, assemble, "_figure", seen)
    written = []
    for halves in (10**12, 1):
        monkeypatch.setattr(assemble, "HALVES", halves)
        seen.unlink(missing_ok=True)
        assert main(["reconcile", "--quiet", str(synthetic), *args, "-f", fmt]) == 0
        done = capfd.readouterr()
        made = set(seen.read_text().split()) if seen.exists() else set()
        written.append((done.out, done.err, len(made)))
    monkeypatch.setattr(assemble, "HALVES", 10**12)
    (one, one_said, _), (two, two_said, processes) = written
    assert (two, two_said) == (one, one_said)
    if not args:
        assert processes == 2


@two_processors
def test_a_table_to_a_pipe_of_figures_of_only_one_half(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], synthetic: Path
) -> None:
    """The first half shows nothing: the second decides whether any figure is shown."""
    import figrecon

    events = [f.event for f in figrecon.reconcile(figrecon.load(synthetic)).figures]
    for event in (events[0], events[-1]):
        written = []
        for halves in (10**12, 1):
            monkeypatch.setattr(assemble, "HALVES", halves)
            args = ["reconcile", "-q", str(synthetic), "--event", event, "-f", "table"]
            assert main(args) == 0
            written.append(capfd.readouterr().out)
        monkeypatch.setattr(assemble, "HALVES", 10**12)
        assert written[1] == written[0]
        assert "figures from" in written[0]  # some are shown


@two_processors
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failing_child_leaves_the_second_half_to_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, fmt: str
) -> None:
    fail_in_children(monkeypatch, assemble, "_figure", OSError("no space left on device"))
    one, two = in_one_and_two(monkeypatch, tmp_path, [str(synthetic)], fmt)
    assert two == one


@two_processors
@pytest.mark.parametrize("debug", [False, True])
def test_a_failing_child_says_why_with_debug(
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    synthetic: Path,
    debug: bool,
) -> None:
    """The output is right either way; with --debug the child's traceback shows why
    the first process wrote both halves."""
    monkeypatch.delenv("FIGRECON_DEBUG", raising=False)
    monkeypatch.setattr(forked, "tracebacks", False)  # as it was, after the run
    fail_in_children(monkeypatch, assemble, "_figure", OSError("synthetic failure in the child"))
    monkeypatch.setattr(assemble, "HALVES", 1)
    out = tmp_path / "out.json"
    flags = ["--debug"] if debug else []
    assert main([*flags, "reconcile", "-q", str(synthetic), "-f", "json", "-o", str(out)]) == 0
    said = capfd.readouterr().err
    if debug:
        assert said.startswith("figrecon: a forked process failed; its parent does its work")
        assert "OSError: synthetic failure in the child" in said
    else:
        assert said == ""
    monkeypatch.setattr(assemble, "HALVES", 10**12)
    assert out.read_bytes() == output(tmp_path, [str(synthetic)], "json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_second_processor_one_process_writes_it_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, fmt: str
) -> None:
    monkeypatch.setattr(forked, "two_processors", lambda: False)
    forks: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or 0)
    one, two = in_one_and_two(monkeypatch, tmp_path, [str(synthetic)], fmt)
    assert two == one
    assert not forks


@two_processors
def test_an_error_in_the_first_half_stops_the_child(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    """The error reaches the command line as any would, and no child is left behind."""
    parent = os.getpid()
    figure = assemble._figure
    stopped: list[int] = []
    stop = forked.Forked.stop

    def failing_here(*args: object) -> object:
        if os.getpid() == parent:
            raise RuntimeError("kaput")
        return figure(*args)  # type: ignore[arg-type]

    def recorded_stop(self: forked.Forked) -> None:
        stopped.append(self.pid)
        stop(self)

    monkeypatch.setattr(assemble, "_figure", failing_here)
    monkeypatch.setattr(forked.Forked, "stop", recorded_stop)
    monkeypatch.setattr(assemble, "HALVES", 1)
    out = tmp_path / "out.json"
    assert main(["reconcile", "--quiet", str(synthetic), "-f", "json", "-o", str(out)]) == 70
    assert len(stopped) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(stopped[0], os.WNOHANG)  # reaped: no zombie


@two_processors
@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_normalize_by_two_processes_writes_what_one_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, fmt: str
) -> None:
    from figrecon.render import normalized

    one_claim = tmp_path / "one.csv"
    one_claim.write_text(
        'id,event,metric,value,source,stated_on\nc1,e,killed,"about 1,000",UN,2022-01-05\n',
        encoding="utf-8",
    )
    for path in (synthetic, KZ, one_claim):
        out = tmp_path / f"normalized.{fmt}"
        args = ["normalize", "--quiet", str(path), "-f", fmt, "-o", str(out)]
        assert main(args) == 0
        one = out.read_bytes()
        monkeypatch.setattr(normalized, "HALVES", 1)
        assert main(args) == 0
        monkeypatch.setattr(normalized, "HALVES", 10**12)
        assert out.read_bytes() == one, (path.name, fmt)


@two_processors
@pytest.mark.parametrize("arrow", [False, True])
def test_each_process_makes_the_normalized_rows_of_its_own_half(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, arrow: bool
) -> None:
    """Each process makes the rows of its own half only: their exported columns, or
    (Arrow) their CSV lines."""
    from figrecon.loading import load
    from figrecon.render import normalized, normalized_csv

    owner, name = (normalized_csv, "csv_rows") if arrow else (normalized, "export_columns")
    seen = tmp_path / "pids"
    record_callers(monkeypatch, owner, name, seen)
    spans: list[tuple[int, int | None]] = []
    made = getattr(owner, name)

    def recorded(source: object, start: int = 0, stop: int | None = None) -> object:
        spans.append((start, stop))  # this process's only
        return made(source, start, stop)

    monkeypatch.setattr(owner, name, recorded)
    monkeypatch.setattr(normalized, "HALVES", 1)
    monkeypatch.setattr(normalized, "ARROW_ROWS", 1 if arrow else 10**9)
    out = tmp_path / "normalized.csv"
    assert main(["normalize", "--quiet", str(synthetic), "-o", str(out)]) == 0
    pids = seen.read_text().split()
    assert len(pids) == 2
    assert len(set(pids)) == 2  # once here, once in the child
    n = len(load(synthetic))
    assert spans == [(0, n // 2)]


@pytest.fixture(scope="module")
def one_event(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One event and metric in many places (synthetic): no (event, metric) to split the
    run at, so the figures of one run are split instead."""
    rows = ["id,event,metric,location,value,source,stated_on"]
    for k in range(400):
        value = ("about 100", "at least 120", "95", "dozens")[k % 4]
        rows.append(
            f"c{k},ev,killed,Land/Place-{k // 4},{value},src-{k % 7},2022-01-{1 + k % 28:02d}"
        )
    path = tmp_path_factory.mktemp("one-event") / "claims.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@two_processors
@pytest.mark.parametrize("fmt", FORMATS)
def test_one_event_and_metric_is_written_in_halves_of_its_groups(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, one_event: Path, fmt: str
) -> None:
    import figrecon
    from figrecon.engine.partition import first_half

    assert first_half(figrecon.load(one_event)) is None
    split: list[int] = []
    group_halves = assemble.Reconciled.halves

    def recorded(self: assemble.Reconciled) -> object:
        split.append(1)
        return group_halves(self)

    monkeypatch.setattr(assemble.Reconciled, "halves", recorded)
    one, two = in_one_and_two(monkeypatch, tmp_path, [str(one_event)], fmt)
    assert two == one
    assert split


def test_the_first_half_is_whole_events_and_metrics_that_come_first(synthetic: Path) -> None:
    import numpy as np

    import figrecon
    from figrecon.engine.partition import first_half

    claims = figrecon.load(synthetic)
    first = first_half(claims)
    assert first is not None
    columns = claims.columns
    pairs = list(zip(columns["event"].tolist(), columns["metric"].tolist(), strict=True))
    mine = {p for p, f in zip(pairs, first.tolist(), strict=True) if f}
    theirs = {p for p, f in zip(pairs, first.tolist(), strict=True) if not f}
    assert mine
    assert theirs
    assert not mine & theirs
    assert max(mine) < min(theirs)
    assert abs(int(np.sum(first)) - len(claims) / 2) < len(claims) / 4


def test_every_claim_its_own_event_is_split_in_two(tmp_path: Path) -> None:
    """The (event, metric)s are numbered densely, in the run's order."""
    import figrecon
    from figrecon.engine.partition import first_half

    metrics = ("killed", "injured", "detained")
    rows = ["id,event,metric,value,source,stated_on"]
    rows += [f"c{k},ev-{k},{metrics[k % 3]},{k + 1},src,2022-01-01" for k in range(3000)]
    path = tmp_path / "distinct.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    first = first_half(figrecon.load(path))
    assert first is not None
    assert 1000 < int(first.sum()) < 2000


def test_a_halved_run_gives_the_result_of_one(synthetic: Path) -> None:
    """Read in one process (`figures`, `result`), the two runs make one run's figures,
    and report progress over all the claims."""
    import figrecon
    from figrecon.config import Parameters
    from figrecon.engine.partition import first_half
    from figrecon.engine.rules import Halved

    claims = figrecon.load(synthetic)
    first = first_half(claims)
    assert first is not None
    seen: list[tuple[int, int]] = []
    run = Halved(
        claims,
        first,
        claims.profile,
        Parameters(),
        None,
        True,
        (None, None, None, None),
        lambda *a: seen.append(a),
    )
    whole = figrecon.reconcile(claims, explain=True)
    assert run.result().model_dump_json() == whole.model_dump_json()
    assert seen[-1][0] == len(claims)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_withdrawal_across_events_keeps_them_in_one_half(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A claim of one event withdrawing a claim of another (R3 withdraws it wherever it
    is): the two events are never reconciled apart, whatever the cut would have been."""
    import figrecon
    from figrecon.engine.partition import first_half

    rows = ["id,event,metric,group,location,value,source,source_type,stated_on,retracts"]
    for e in "abcd":
        rows += [
            f"{e}1,ev-{e},killed,total,Country0,500,src1,government,2022-01-10,",
            f"{e}2,ev-{e},killed,total,Country0,120,src2,ngo,2022-01-11,",
        ]
    # ev-c withdraws a claim of ev-b: the cut between b and c, the middle, is barred.
    rows.append("c3,ev-c,killed,total,Country0,,src1,government,2022-01-12,b1")
    path = tmp_path / "across.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    claims = figrecon.load(path)
    first = first_half(claims)
    assert first is not None
    halves_of = dict(zip(claims.columns["id"].tolist(), first.tolist(), strict=True))
    assert halves_of["b1"] == halves_of["c3"]
    for fmt in FORMATS:
        explain = [] if fmt == "csv" else ["--explain"]  # refused with csv
        one, two = in_one_and_two(monkeypatch, tmp_path, [str(path), *explain], fmt)
        assert two == one, fmt
        assert b"withdrawn" in one or b"Withdrawn" in one


def test_events_all_linked_make_one_run(tmp_path: Path) -> None:
    import figrecon
    from figrecon.engine.partition import first_half

    rows = ["id,event,metric,value,source,stated_on,retracts"]
    rows += ["a1,ev-a,killed,500,src1,2022-01-10,", "b1,ev-b,killed,,src1,2022-01-12,a1"]
    path = tmp_path / "linked.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert first_half(figrecon.load(path)) is None


def test_no_temporary_file_to_be_had_leaves_the_work_to_this_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    import tempfile

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    one = output(tmp_path, [str(synthetic)], "json")
    monkeypatch.setattr(assemble, "HALVES", 1)
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    assert output(tmp_path, [str(synthetic)], "json") == one


CHILD_SLOW = """
import os, sys, time
from figrecon.cli import main
from figrecon.engine import assemble
assemble.HALVES = 1
parent, figure = os.getpid(), assemble._figure
def slow(*args):
    if os.getpid() != parent:
        with open(sys.argv[2], "w") as f:
            f.write(str(os.getpid()))
        time.sleep(0.05)
    return figure(*args)
assemble._figure = slow
sys.exit(main(["reconcile", "--quiet", sys.argv[1], "-f", "json"]))
"""


@two_processors
def test_the_child_ends_with_its_parent(tmp_path: Path, synthetic: Path) -> None:
    """Killed, or gone through a broken pipe, the parent takes its child with it: none
    runs on alone."""
    import signal
    import subprocess
    import time

    script = tmp_path / "slow.py"
    script.write_text(CHILD_SLOW, encoding="utf-8")
    marker = tmp_path / "child"
    run = subprocess.Popen(
        [sys.executable, str(script), str(synthetic), str(marker)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline, "no child started"
        time.sleep(0.05)
    child = int(marker.read_text())
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=30)
    deadline = time.monotonic() + 5
    while Path(f"/proc/{child}").exists():
        status = Path(f"/proc/{child}/status").read_text(errors="replace")
        if "State:\tZ" in status:
            break  # ended, waiting for init to reap it
        assert time.monotonic() < deadline, "the child ran on after its parent"
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("files", "quota"),
    [
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu.max": "100000 100000\n"}, 1.0),
        ({"cpu.max": "250000 100000\n"}, 2.5),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "150000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1.5),
        ({}, None),
        ({"cpu.max": "garbage\n"}, None),
    ],
)
def test_a_cpu_quota_below_two_processors_keeps_one_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, files: dict[str, str], quota: float | None
) -> None:
    """A container limited to one processor's time sees every core of its host: the
    control group's quota decides (v2's cpu.max, v1's cfs quota and period)."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="ascii")
    assert forked.cpu_quota(str(tmp_path)) == quota
    monkeypatch.setattr(forked, "cpu_quota", lambda: quota)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert forked.two_processors() == (quota is None or quota >= 2)


def _halved_and_reference(path: Path) -> tuple[object, list[dict[str, object]]]:
    """A run of `path` as two runs (`Halved`), and one run's figures."""
    import figrecon
    from figrecon.config import Parameters
    from figrecon.engine.partition import first_half
    from figrecon.engine.rules import Halved

    claims = figrecon.load(path)
    first = first_half(claims)
    assert first is not None
    halved = Halved(claims, first, claims.profile, Parameters(), None, False, (None,) * 4)
    reference = [f.model_dump(mode="json") for f in figrecon.reconcile(claims).figures]
    return halved, reference


def test_a_run_in_halves_in_one_process_lets_the_claims_go(synthetic: Path) -> None:
    """Both halves made here (a terminal's table, or a child that failed): once both
    batches are built, nothing holds the claims any more."""
    import gc
    import weakref

    import figrecon
    from figrecon.cli.reconcile import run_halved
    from figrecon.config import Parameters
    from figrecon.engine.partition import first_half

    claims = figrecon.load(synthetic)
    first = first_half(claims)
    assert first is not None
    held = weakref.ref(claims)
    with run_halved(claims, first, Parameters(), None, False, None, None, None, None) as run:
        del claims, first
        figures = run.figures()
        next(figures)  # both batches are made before the first figure
        gc.collect()
        assert held() is None
        assert sum(1 for _ in figures) > 100


def test_shown_hands_the_figures_out_once_however_they_are_asked_for(synthetic: Path) -> None:
    """`result` is one run's result; `halves` gives both halves and then `figures`
    nothing more; once `figures` gave them all, `halves` gives none. The rules never
    run twice over a half (they change its batch)."""
    from figrecon.selection import Selection, Shown

    halved, reference = _halved_and_reference(synthetic)
    shown = Shown(halved, Selection())  # type: ignore[arg-type]
    assert [f.model_dump(mode="json") for f in shown.result().figures] == reference

    halved, _ = _halved_and_reference(synthetic)
    shown = Shown(halved, Selection())  # type: ignore[arg-type]
    split = shown.halves()
    assert split is not None
    assert [*split[0], *split[1]] == reference
    assert list(shown.figures()) == []

    halved, _ = _halved_and_reference(synthetic)
    shown = Shown(halved, Selection())  # type: ignore[arg-type]
    assert list(shown.figures()) == reference
    assert shown.halves() is None
    assert shown.halves() is None

    halved, _ = _halved_and_reference(synthetic)
    shown = Shown(halved, Selection(sort="best"))  # type: ignore[arg-type]
    assert shown.halves() is None  # sorted: one stream
    assert len(list(shown.figures())) == len(reference)


PLACES = """\
event: e
claims:
  - {id: a, metric: killed, location: Land/North, value: "5", source: un,
     stated_on: 2022-01-05}
  - {id: b, metric: killed, location: Land, period: 2022-01-01/2022-01-31, value: "7",
     source: un, stated_on: 2022-02-01}
  - {id: c, metric: killed, group: crew, location: Sea, value: "2", source: un,
     stated_on: 2022-01-09}
"""
"""Only a place within Land, and Land over a period: `--exact --location Land` shows
nothing, `--location Land` both."""


@pytest.mark.parametrize("path", [KZ, ROOT / "tests" / "fixtures" / "worked-example.yaml", None])
def test_whether_any_figure_is_shown_is_read_from_the_claims_keys(
    tmp_path: Path, path: Path | None
) -> None:
    """`any_shown` (decided before any rule runs, or a second process starts) says what
    making the figures says, for every filter and selection, also with --as-of."""
    import datetime as dt
    import itertools

    import figrecon
    from figrecon.selection import Selection, any_shown

    if path is None:
        path = tmp_path / "places.yaml"
        path.write_text(PLACES, encoding="utf-8")
    claims = figrecon.load(path)
    whole = figrecon.reconcile(claims).figures
    events = [None, whole[0].event, "no-such-event"]
    metrics = [None, whole[-1].metric, "missing"]
    groups = [None, "no_such_group"]
    places = {f.location for f in whole if f.location}
    locations = [None, *sorted(places)[:2], min(places).split("/")[0], "Nowhere"]
    periods = [None, *sorted({f.period for f in whole if f.period})[:1], "1999"]
    stated = sorted(d for d in claims.columns["stated_on"].tolist() if isinstance(d, dt.date))
    days = [None, dt.date(1900, 1, 1), stated[len(stated) // 2]]
    tried = shown_some = 0
    for event, metric, group, location, period, exact, when in itertools.product(
        events, metrics, groups, locations, periods, (False, True), days
    ):
        keys = (event, metric, group, location)
        selection = Selection(location, period, exact)
        made = figrecon.reconcile(
            claims, as_of=when, event=event, metric=metric, group=group, location=location
        ).figures
        figures = list(selection.apply(f.model_dump(mode="json") for f in made))
        assert any_shown(claims, when, keys, selection) == bool(figures), (keys, selection, when)
        tried, shown_some = tried + 1, shown_some + bool(figures)
    assert 0 < shown_some < tried


def test_groups_are_halved_only_where_a_child_can_write_one_half(
    monkeypatch: pytest.MonkeyPatch, synthetic: Path
) -> None:
    """With nobody to make the second half, its figures would be made here without
    progress reports (the bar at its end halfway): one run instead."""
    import figrecon
    from figrecon.config import Parameters
    from figrecon.engine.rules import reconciled

    claims = figrecon.load(synthetic)
    monkeypatch.setattr(assemble, "HALVES", 1)
    for allowed, processors, halved in (
        (True, True, True),
        (False, True, False),
        (True, False, False),
    ):
        monkeypatch.setattr(forked, "allowed", allowed)
        monkeypatch.setattr(forked, "two_processors", lambda p=processors: p)
        assert (reconciled(claims, Parameters()).halves() is not None) is halved
