"""The library as a notebook uses it: `figrecon.load`, `reconcile`, `check`,
`parse_quantity`, `parameters`, and the errors a wrong call gets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import figrecon

KZ = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"


def test_the_public_names_are_listed() -> None:
    assert {"load", "reconcile", "check", "parse_quantity", "parameters"} <= set(dir(figrecon))


def test_reconcile_takes_method_rank_and_a_written_date() -> None:
    claims = figrecon.load(KZ)
    result = figrecon.reconcile(claims, method="range", as_of="2022-01-10")
    assert (result.method.name, result.method.as_of) == ("range", dt.date(2022, 1, 10))
    ranked = figrecon.reconcile(claims, method="hierarchy", rank=["judiciary", "ngo"])
    assert ranked.method.parameters["rank"] == ["judiciary", "ngo"]


def test_wrong_calls_get_errors_that_say_what_to_do() -> None:
    with pytest.raises(TypeError, match=re.escape("figrecon.reconcile(figrecon.load(paths))")):
        figrecon.reconcile([str(KZ)])  # type: ignore[arg-type]
    with pytest.raises(figrecon.FigreconError, match="YYYY-MM-DD"):
        figrecon.reconcile(figrecon.load(KZ), as_of="10/01/2022")
    with pytest.raises(figrecon.FigreconError, match="several figures"):
        figrecon.parse_quantity("26 and 18")
    assert figrecon.parse_quantity(225).kind == "exact"  # type: ignore[arg-type]


def test_parameters_read_figrecon_toml_as_the_command_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "figrecon.toml").write_text('method = "range"\nstale_days = 30\n')
    monkeypatch.chdir(tmp_path)
    params = figrecon.parameters()
    assert (params.method, params.stale_days) == ("range", 30)
    assert figrecon.parameters(method="conservative").method == "conservative"
