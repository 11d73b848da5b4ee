"""`reconcile` and `check` agree about bad data: no figure rests on data that `check`
calls an error. A loop of withdrawals is refused by both (exit 2 for reconcile, with the
same located line); a date after today is check's error but only reconcile's warning, so
that no figure changes with the day it is computed."""

from __future__ import annotations

import datetime as dt

import pytest

from figrecon.checks.codes import ALWAYS, CODES

HEADER = "event: e\nsources:\n  s: {name: S, type: ngo}\nclaims:\n"
SELF = (
    HEADER
    + "  - {id: a, metric: killed, value: '5', source: s, stated_on: 2022-01-01, retracts: a}\n"
)
LOOP = HEADER + (
    "  - {id: a, metric: killed, value: '5', source: s, stated_on: 2022-01-01, retracts: b}\n"
    "  - {id: b, metric: killed, value: '6', source: s, stated_on: 2022-01-02, retracts: a}\n"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SELF, "claims withdraw each other: a → a"),
        (LOOP, "claims withdraw each other: a → b → a"),
    ],
)
def test_reconcile_refuses_a_loop_of_withdrawals_with_checks_line(
    run, write, text: str, message: str
) -> None:
    path = write("c.yaml", text)
    refused = run("reconcile", path)
    checked = run("check", path)
    assert refused.exit_code == 2
    assert checked.exit_code == 1
    line = f"{path}:5: retracts: {message}; keep one direction of the withdrawal"
    assert line in refused.stderr
    assert f"error retraction-cycle a: retracts: {message}" in " ".join(checked.stdout.split())


def test_a_loop_of_withdrawals_cannot_be_ignored(run, write) -> None:
    assert "retraction-cycle" in ALWAYS
    result = run("check", write("c.yaml", LOOP), "--ignore", "retraction-cycle")
    assert result.exit_code == 2
    assert "retraction-cycle cannot be ignored" in result.stderr


def test_a_future_date_is_an_error_for_check_and_a_warning_for_reconcile(run, write) -> None:
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = write(
        "c.yaml",
        HEADER + f"  - {{id: a, metric: killed, value: '5', source: s, stated_on: {later}}}\n",
    )
    assert CODES["future-date"].severity.value == "error"
    assert run("check", path).exit_code == 1
    reconciled = run("reconcile", path, "--format", "json")
    assert reconciled.exit_code == 0
    assert f"warning: {path}:5: stated_on: {later} is after today" in reconciled.stderr
    assert '"best": 5' in reconciled.stdout
