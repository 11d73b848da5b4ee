"""Reconciling claims partition by partition, hash-partitioned by (event, metric), then
merging, gives byte-identical JSON to one run (DESIGN section 6: beyond one machine)."""

from __future__ import annotations

from pathlib import Path

import pytest

import figrecon
from figrecon.engine.partition import keys as partition_keys
from figrecon.engine.partition import merged, partition_of, partitions

ROOT = Path(__file__).parent.parent


def synthetic(tmp_path: Path) -> Path:
    """Claims of several events and metrics, with parts across groups, locations and
    periods (synthetic)."""
    rows = ["id,event,metric,group,location,period,value,source,source_type,via,stated_on"]
    for e in range(6):
        for m, metric in enumerate(("killed", "injured", "held", "detained")):
            for k in range(8):
                group = ("total", "civilians")[k % 2]
                location = ("Land", "Land/City")[k % 3 == 0]
                period = "" if k % 4 else "2022-01-01/2022-01-31"
                value = ("about 100", "at least 120", "95", "dozens")[(e + m + k) % 4]
                rows.append(
                    f"c{e}-{m}-{k},ev-{e},{metric},{group},{location},{period},{value},"
                    f"src-{k % 5},ngo,{'Wire' if k % 3 else ''},2022-01-{1 + k:02d}"
                )
    path = tmp_path / "many.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("n", [2, 3, 7])
def test_partitions_merged_give_the_one_run_byte_for_byte(tmp_path: Path, n: int) -> None:
    for path in (ROOT / "data" / "kazakhstan-2022.yaml", synthetic(tmp_path)):
        claims = figrecon.load(path)
        whole = figrecon.reconcile(claims, explain=True)
        parts = [figrecon.reconcile(p, explain=True) for p in partitions(claims, n) if len(p)]
        assert merged(parts).model_dump_json(indent=2) == whole.model_dump_json(indent=2)


def test_an_event_and_metric_go_to_one_partition_whatever_the_process() -> None:
    assert partition_of("ev-1", "killed", 8) == partition_of("ev-1", "killed", 8)
    assert {partition_of(f"ev-{i}", "killed", 4) for i in range(40)} == {0, 1, 2, 3}


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Beyond one machine", 1)[1]
    code = re.search(r"```python\n(.+?)\n```", section, re.S).group(1)  # type: ignore[union-attr]
    monkeypatch.chdir(ROOT)
    scope: dict[str, object] = {}
    exec(code, scope)
    assert (
        scope["result"].model_dump_json()
        == figrecon.reconcile(  # type: ignore[attr-defined]
            figrecon.load("data/kazakhstan-2022.yaml")
        ).model_dump_json()
    )


def with_withdrawals_across(tmp_path: Path) -> Path:
    """The synthetic claims, and claims of one event that withdraw claims of another
    event and of another metric (R3 withdraws a claim wherever it is)."""
    path = synthetic(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",retracts"
    lines[1:] = [line + "," for line in lines[1:]]
    lines += [
        "w-1,ev-5,killed,total,Land,,,UN,igo,,2022-01-20,c0-0-1",
        "w-2,ev-0,held,total,Land,,,UN,igo,,2022-01-21,c3-1-2",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("n", [2, 3, 7])
def test_events_a_withdrawal_links_go_to_one_partition(tmp_path: Path, n: int) -> None:
    claims = figrecon.load(with_withdrawals_across(tmp_path))
    whole = figrecon.reconcile(claims, explain=True)
    withdrawn = {t.id for f in whole.figures for t in f.explain or [] if t.status == "withdrawn"}
    assert {"c0-0-1", "c3-1-2"} <= withdrawn
    parts = [figrecon.reconcile(p, explain=True) for p in partitions(claims, n) if len(p)]
    assert merged(parts).model_dump_json(indent=2) == whole.model_dump_json(indent=2)
    keys = dict(zip(claims.columns["id"].tolist(), partition_keys(claims), strict=True))
    assert keys["w-1"] == keys["c0-0-1"] == ("ev-0", "killed")
    assert keys["w-2"] == keys["c3-1-2"] == ("ev-0", "held")
