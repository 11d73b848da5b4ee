"""`figrecon check`: every finding code fires where it should and not elsewhere; the
CI output formats; exit codes; settings. All claims here are synthetic."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figrecon.checks.report import check
from rules_helpers import SOURCES, day

TODAY = dt.date(2026, 1, 1)
ROOT = Path(__file__).parent.parent


def c(id: str, value: Any, source: str = "gov", on: int = 1, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": id,
        "metric": fields.pop("metric", "killed"),
        "source": source,
        "stated_on": day(on),
        "url": f"https://example.org/{id}",
    }
    if value is not None:
        data["value"] = str(value)
    data.update(fields)
    return data


def write(tmp: Path, claims: list[dict[str, Any]], name: str = "claims.yaml") -> Path:
    path = tmp / name
    path.write_text(
        yaml.safe_dump(
            {"event": "e", "location": "Land", "sources": SOURCES, "claims": claims},
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    return path


def codes(tmp: Path, claims: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    report = check(write(tmp, claims), today=TODAY)
    return [(f.code, f.claim) for f in report.findings]


CASES = {
    "duplicate-id": ([c("a", 5), c("a", 6)], [c("a", 5), c("b", 6)]),
    "duplicate-claim": (
        [c("a", 5, via="Wire"), c("b", 5, via="Wire")],
        [c("a", 5, via="Wire"), c("b", 5, via="Paper")],
    ),
    "unknown-reference": (
        [c("a", 5), c("w", None, retracts="zz")],
        [c("a", 5), c("w", None, retracts="a")],
    ),
    "retraction-cycle": (
        [c("a", 5, retracts="b"), c("b", 6, on=2, retracts="a")],
        [c("a", 5), c("b", 6, on=2, retracts="a")],
    ),
    "cumulative-decrease": ([c("a", 241), c("b", 238, on=5)], [c("a", 238), c("b", 241, on=5)]),
    "part-exceeds-whole": (
        [c("a", 100), c("b", 150, group="civilians")],
        [c("a", 100), c("b", 50, group="civilians")],
    ),
    "breakdown-mismatch": (
        [
            c("t", 230, parts=["x", "y"]),
            c("x", 139, group="civilians"),
            c("y", 102, group="assailants"),
        ],
        [
            c("t", 241, parts=["x", "y"]),
            c("x", 139, group="civilians"),
            c("y", 102, group="assailants"),
        ],
    ),
    "repeats-withdrawn": (
        [c("a", 164), c("w", None, on=2, retracts="a"), c("b", 164, on=3, via="Paper")],
        [
            c("a", 164),
            c("w", None, on=2, retracts="a"),
            c("b", 164, on=3, via="Paper", retracted=True),
        ],
    ),
    "possible-mislabel": (
        [c("a", 26, group="civilians"), c("b", 26, group="assailants")],
        [c("a", 26, group="civilians"), c("b", 26, on=4, group="assailants")],
    ),
    "possible-typo": (
        [c("a", 225, on=1), c("b", "2,250", on=2), c("c", 227, on=3)],
        [c("a", 225, on=1), c("b", 226, on=2), c("c", 227, on=3)],
    ),
    "future-date": ([c("a", 5, stated_on="2026-06-01")], [c("a", 5, stated_on="2025-12-31")]),
    "as-of-after-stated": ([c("a", 5, as_of=day(9))], [c("a", 5, on=9, as_of=day(2))]),
    "unparseable-value": ([c("a", "26 and 18")], [c("a", "26")]),
    "missing-provenance": (
        [{**c("a", 5), "url": None}],
        [{**c("a", 5), "url": None, "quote": "five people"}],
    ),
    "source-variants": (
        [
            c("a", 5, "Prosecutor General", source_type="judiciary"),
            c("b", 6, "prosecutor-general", 2, source_type="judiciary"),
        ],
        [
            c("a", 5, "Prosecutor General", source_type="judiciary"),
            c("b", 6, "Prosecutor General", 2, source_type="judiciary"),
        ],
    ),
    "unlikely-retraction": (
        [c("a", 5, on=3), c("w", None, on=2, retracts="a")],
        [c("a", 5, on=1), c("w", None, on=2, retracts="a")],
    ),
    "empty-file": ([], [c("a", 5)]),
    "misspelt-qualifier": (
        [c("a", "at lest 230"), c("b", "aproximately 300", on=2), c("d", "не мение 200", on=3)],
        [
            c("a", "at least 230"),
            c("b", "approximately 300", on=2),
            c("d", "не менее 200", on=3),
            c("e", "atleast 240", on=4),  # written in haste, read as at least
            c("f", "UN estimates 250", on=5),  # another ending of a word, not a slip
            c("g", "same 260", on=6),  # too short a qualifier to guess at ("some")
            c("h", "killed: 270", on=7),
            # Words one letter before a qualifier are other words.
            c("i", "early 280", on=8),
            c("j", "round 290", on=9),
        ],
    ),
    "location-variants": (
        [c("a", 5, location="Land/City"), c("b", 6, location="land/City", on=2)],
        [c("a", 5, location="Land/City"), c("b", 6, location="Land/Town", on=2)],
    ),
    "hedged-figure": (
        [c("a", "could reach 20,000"), c("b", "possibly 300", on=2), c("d", "may have died 40")],
        [
            c("a", "as many as 20,000"),
            c("b", "at least 300", on=2),
            c("d", "some 40 died"),
            # A remark after a count is no hedge of it.
            c("e", "150, expected to rise", on=3),
            c("f", "at least 40; the toll will be higher", on=4),
            c("g", "300 killed, figure may be revised", on=5),
        ],
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_fires_where_it_should(tmp_path: Path, code: str) -> None:
    fires, quiet = CASES[code]
    fires = [{k: v for k, v in claim.items() if v is not None} for claim in fires]
    quiet = [{k: v for k, v in claim.items() if v is not None} for claim in quiet]
    assert code in [f for f, _ in codes(tmp_path, fires)]
    assert code not in [f for f, _ in codes(tmp_path, quiet)]


def test_each_file_without_claims_is_named_once(tmp_path: Path) -> None:
    # A zero-byte export and a CSV header alone, beside a file of claims: both valid,
    # both named, the file with claims not.
    (tmp_path / "zero.csv").write_text("", encoding="utf-8")
    (tmp_path / "header.csv").write_text("id,event,metric,value,source,stated_on\n")
    write(tmp_path, [c("a", 5)])
    # Files that hold no claims by design are not named: a registry, a baseline.
    (tmp_path / "sources.yaml").write_text("sources:\n  agency: {type: government}\n")
    (tmp_path / "baseline.json").write_text('{"figrecon_baseline": 1, "accepted": []}')
    report = check(tmp_path, today=TODAY)
    assert report.valid
    empty = sorted(Path(f.file).name for f in report.findings if f.code == "empty-file")
    assert empty == ["header.csv", "zero.csv"]


def test_a_withdrawal_of_another_metric_or_originator_is_unlikely(tmp_path: Path) -> None:
    # A ministry's injured figure withdrew a rights group's killed figure by a wrong id:
    # the killed figure lost a source without a word. An outlet withdrawing a figure it
    # carried is no finding.
    claims = [
        c("hrw-1", "at least 230", "ngo"),
        c("gov-2", 500, metric="injured", on=2, retracts="hrw-1"),
        c("r-1", 240, on=2, via="Newspaper"),
        c("paper-fix", None, "media", on=3, retracts="r-1"),
    ]
    found = check(write(tmp_path, claims), today=TODAY).findings
    unlikely = [(f.claim, f.message) for f in found if f.code == "unlikely-retraction"]
    assert unlikely == [
        (
            "gov-2",
            "withdraws hrw-1, which is of another metric (killed) and is Rights Group's, which "
            "this claim does not carry",
        )
    ]


@pytest.mark.parametrize(
    ("kind", "one", "other"),
    [
        ("source", "Amnesty International", "\u0410mnesty International"),  # Cyrillic А
        ("source", "Amnesty International", "Amnesty InternationaI"),  # capital I for l
        ("location", "Land/Almaty", "Land/Almat\u0443"),  # Cyrillic у
        ("location", "Land", "land/City"),  # the place it lies within
    ],
)
def test_look_alike_letters_make_variants(tmp_path: Path, kind: str, one: str, other: str) -> None:
    field = {"source": "source", "location": "location"}[kind]
    claims = [c("a", 5, **{field: one}), c("b", 6, on=2, **{field: other})]
    if kind == "source":
        claims = [
            {**claim, "source_type": "ngo", "source": name}
            for claim, name in zip(claims, (one, other), strict=True)
        ]
    found = [(f.code, f.claim) for f in check(write(tmp_path, claims), today=TODAY).findings]
    assert (f"{kind}-variants", "b") in found


def test_a_relay_repeating_an_earlier_number_is_not_a_decrease(tmp_path: Path) -> None:
    claims = [
        c("a", "about 12,000", "media", 1, via="Wire"),
        c("b", "more than 12,000", "media", 2, via="Post"),
        c("c", "nearly 12,000", "media", 3, via="Daily"),
    ]
    assert "cumulative-decrease" not in [f for f, _ in codes(tmp_path, claims)]


def test_stock_metrics_may_fall(tmp_path: Path) -> None:
    claims = [c("a", 802, metric="held"), c("b", 711, on=9, metric="held")]
    assert codes(tmp_path, claims) == []


def test_a_source_naming_nothing_is_a_warning(tmp_path: Path) -> None:
    report = check(write(tmp_path, [c("a", 5, source="Someone")]), today=TODAY)
    (finding,) = report.findings
    assert (finding.code, finding.severity.value, finding.field) == (
        "unknown-reference",
        "warning",
        "source",
    )


def test_the_shipped_dataset_has_only_its_real_breakdown_mismatch() -> None:
    report = check(ROOT / "data" / "kazakhstan-2022.yaml")
    assert [(f.code, f.claim) for f in report.findings] == [("breakdown-mismatch", "kz-106")]
    assert report.findings[0].message.startswith("its parts add up to 241, not 230")
    assert report.valid


# --- controls ---------------------------------------------------------------------------


def test_select_and_ignore(tmp_path: Path) -> None:
    path = write(tmp_path, [{**c("a", 5), "url": None}, c("b", 5, stated_on="2026-06-01")])
    all_codes = {f.code for f in check(path, today=TODAY).findings}
    assert all_codes == {"missing-provenance", "future-date"}
    assert {f.code for f in check(path, today=TODAY, select=["future-date"]).findings} == {
        "future-date"
    }
    assert {f.code for f in check(path, today=TODAY, ignore=["future-date"]).findings} == {
        "missing-provenance"
    }


def test_exit_codes_and_strict(run, tmp_path: Path) -> None:
    warned = write(tmp_path, [{**c("a", 5), "url": None}], "warned.yaml")
    assert run("check", warned).exit_code == 0
    assert run("check", warned, "--strict").exit_code == 1
    broken = write(tmp_path, [c("a", "26 and 18")], "broken.yaml")
    assert run("check", broken).exit_code == 1
    (tmp_path / "bad.yaml").write_text("claims: [\n")
    assert run("check", tmp_path / "bad.yaml").exit_code == 2
    assert run("check", tmp_path / "nope.yaml").exit_code == 2
    assert run("check", warned, "--select", "no-such-code").exit_code == 2
    # --ignore given twice ignores both; the library takes a comma-separated string too.
    both = write(tmp_path, [{**c("a", 5), "url": None}, c("b", 5, stated_on="2099-01-01")])
    assert run("check", both, "--strict").exit_code == 1
    repeated = ["--ignore", "missing-provenance", "--ignore", "future-date"]
    assert run("check", both, "--strict", *repeated).exit_code == 0
    assert check(both, ignore="missing-provenance,future-date").findings == []


def test_settings_come_from_figrecon_toml(run, tmp_path: Path, monkeypatch) -> None:
    warned = write(tmp_path, [{**c("a", 5), "url": None}], "warned.yaml")
    (tmp_path / "figrecon.toml").write_text("[check]\nstrict = true\n")
    monkeypatch.chdir(tmp_path)
    assert run("check", warned).exit_code == 1
    (tmp_path / "figrecon.toml").write_text(
        '[check]\nstrict = true\nignore = ["missing-provenance"]\n'
    )
    assert run("check", warned).exit_code == 0


# --- output formats ---------------------------------------------------------------------


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A file whose name has a comma and whose finding message has %, a comma and a newline."""
    return write(tmp_path, [c("a", "50% of them,\nsay officials")], "a,b.yaml")


def test_json_has_the_documented_shape(run, messy: Path) -> None:
    result = run("check", messy, "-f", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"valid", "errors", "warnings", "findings", "accepted", "outdated"}
    assert (data["valid"], data["errors"]) == (False, 1)
    assert set(data["findings"][0]) >= {
        "code",
        "severity",
        "file",
        "line",
        "claim",
        "field",
        "message",
    }
    assert result.exit_code == 1


def test_github_annotations_escape_data_and_properties(run, tmp_path: Path) -> None:
    # A source whose name has %, a comma and a newline, in a file whose name has a comma.
    path = tmp_path / "a,b.yaml"
    sources = {**SOURCES, "odd": {"name": "Office 100%,\nthe second", "type": "government"}}
    claims = [c("a", 241, "odd"), c("b", 238, "odd", on=5)]
    path.write_text(yaml.safe_dump({"event": "e", "sources": sources, "claims": claims}))
    out = run("check", path, "-f", "github").stdout
    (line,) = out.splitlines()
    pattern = r"::(error|warning|notice) file=[^,:]+,line=\d+,title=[^,:]+::[^\n\r]*"
    assert re.fullmatch(pattern, line)
    assert line.startswith("::warning file=" + str(path).replace(",", "%2C") + ",line=")
    assert ",title=figrecon cumulative-decrease::" in line
    assert "Office 100%25,%0Athe second says 238" in line


def test_junit_is_valid_xml_with_a_failure_per_error(run, messy: Path, tmp_path: Path) -> None:
    clean = write(tmp_path, [c("z", 5)], "clean.yaml")
    out = run("check", messy, clean, "-f", "junit").stdout
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    failure = suites[str(messy)].find("testcase/failure")
    assert failure is not None
    assert failure.get("type") == "unparseable-value"
    assert suites[str(clean)].find("testcase").get("name") == "claims are valid"


def test_sarif_has_the_required_structure(run, messy: Path) -> None:
    doc = json.loads(run("check", messy, "-f", "sarif").stdout)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    assert run0["tool"]["driver"]["name"] == "figrecon"
    assert [r["id"] for r in run0["tool"]["driver"]["rules"]] == ["unparseable-value"]
    (result,) = run0["results"]
    assert result["ruleId"] == "unparseable-value"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == messy.as_uri()  # file://.../a%2Cb.yaml
    lines = messy.read_text().splitlines()
    assert location["region"]["startLine"] == 1 + next(
        i for i, t in enumerate(lines) if t.strip().startswith("value:")
    )


def test_text_report_groups_findings_by_file(run, messy: Path, tmp_path: Path) -> None:
    other = write(tmp_path, [{**c("b", 5), "url": None}], "other.yaml")
    out = run("check", messy, other).stdout
    assert (
        out.index(str(messy))
        < out.index("unparseable-value")
        < out.index(str(other))
        < out.index("missing-provenance")
    )
    assert "2 files checked: 1 error, 1 warning — not valid" in out


# --- integrations -------------------------------------------------------------------------


def test_pre_commit_hook_runs_as_pre_commit_would(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "figrecon-check"
    assert hook["language"] == "python"
    # The whole dataset is checked: a claim may withdraw one in another file.
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert all(files.search(f"data/x{ext}") for ext in (".yaml", ".csv", ".ndjson", ".jsonl"))
    assert not files.search("README.md")
    entry = shlex.split(hook["entry"])
    entry[0] = str(Path(sys.executable).parent / entry[0])
    data = tmp_path / "data"
    data.mkdir()
    write(data, [c("a", 5)], "a.yaml")
    write(data, [c("w", None, retracts="a")], "b.yaml")
    # pre-commit runs the entry with the hook's args from the repository's root.
    run = [*entry, *hook["args"]]
    ok = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (data / "c.ndjson").write_text(
        json.dumps(
            {
                "id": "z",
                "event": "e",
                "metric": "killed",
                "value": "26 and 18",
                "source": "ngo",
                "stated_on": "2022-01-05",
                "location": "Land",
            }
        )
        + "\n"
    )
    failed = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert failed.returncode == 1
    assert "unparseable-value" in failed.stdout


def test_github_action_installs_figrecon_and_annotates() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert 'pip install --quiet "${{ github.action_path }}"' in steps
    assert "set -- --format github" in steps
    assert 'figrecon check "$@" $FIGRECON_ARGS $FIGRECON_PATHS' in steps
    assert set(action["inputs"]) >= {"paths", "strict", "baseline", "args"}


@pytest.mark.parametrize(
    ("claims", "absent"),
    [
        # An old figure relayed late (R4) is no decrease.
        (
            [c("a", 225, "prosecutor", 15), c("b", 164, "prosecutor", 20, via="Paper")],
            "cumulative-decrease",
        ),
        # A repeat of a withdrawn figure is withdrawn too: nothing falls below it.
        (
            [
                c("h1", 164, "health", 2),
                c("w", None, "health", 3, retracts="h1"),
                c("h2", 164, "health", 4, via="Wire"),
                c("h3", 150, "health", 9),
            ],
            "cumulative-decrease",
        ),
        # Undated claims are not "of the same day".
        (
            [c("t", 100, stated_on="undated"), c("p", 150, group="civilians", stated_on="undated")],
            "part-exceeds-whole",
        ),
        # Small figures coincide.
        ([c("a", 2, group="civilians"), c("b", 2, metric="injured")], "possible-mislabel"),
    ],
)
def test_no_false_findings(tmp_path: Path, claims: list, absent: str) -> None:
    assert absent not in [f for f, _ in codes(tmp_path, claims)]


def test_a_sub_location_figure_of_any_group_above_the_national_total_is_found(
    tmp_path: Path,
) -> None:
    claims = [c("t", 100), c("p", 150, group="civilians", location="Land/City")]
    assert ("part-exceeds-whole", "p") in codes(tmp_path, claims)


# --- possible-typo ------------------------------------------------------------------------


def p(id: str, value: Any, on: int, **fields: Any) -> dict[str, Any]:
    """A statement of the (synthetic) prosecutor."""
    return c(id, value, "prosecutor", on, **fields)


def typos(tmp: Path, claims: list[dict[str, Any]]) -> list[str | None]:
    return [claim for code, claim in codes(tmp, claims) if code == "possible-typo"]


# A prosecutor says 225; an outlet relays it the same day as "2,250"; another outlet
# later relays the prosecutor's "at least 227", then its 238.
SLIPPED_RELAY = [
    p("direct", 225, 15),
    p("slip", "2,250", 15, via="Paper"),
    p("relay-1", "at least 227", 17, via="Post"),
    p("relay-2", 238, 20, via="Post"),
]


@pytest.mark.parametrize(
    ("claims", "flagged"),
    [
        pytest.param(SLIPPED_RELAY, ["slip"], id="a relay's slipped separator"),
        pytest.param([p("a", 225, 1), p("b", "2,250", 2), p("c", 227, 3)], ["b"], id="10 times"),
        pytest.param([p("a", "2,250", 1), p("b", 225, 2), p("c", "2,270", 3)], ["b"], id="a tenth"),
        pytest.param([p("a", 225, 1), p("b", "22,500", 2), p("c", 227, 3)], ["b"], id="100 times"),
        pytest.param(
            [p("a", "22,500", 1), p("b", 225, 2), p("c", "22,700", 3)], ["b"], id="a hundredth"
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "225,000", 2), p("c", 227, 3)], ["b"], id="1,000 times"
        ),
        pytest.param(
            [p("a", "225,000", 1), p("b", 225, 2), p("c", "227,000", 3)],
            ["b"],
            id="a thousandth",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,360", 2), p("c", 227, 3)],
            ["b"],
            id="10 times within 5 percent (10.49 and 10.40)",
        ),
        pytest.param(
            [p("a", "1,423", 1), p("b", "1,243", 2), p("c", "1,430", 3)],
            ["b"],
            id="two digits of the one before swapped",
        ),
        pytest.param(
            [p("a", "1,400", 1), p("b", "1,243", 2), p("c", "1,423", 3)],
            ["b"],
            id="two digits of the one after swapped",
        ),
        pytest.param(
            [p("a", "2,250", 1), p("b", 225, 2), p("c", 227, 3)],
            ["a"],
            id="the first statement against its one neighbour",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", 227, 2), p("c", "2,270", 3)],
            ["c"],
            id="the last statement against its one neighbour",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", 225, 2), p("c", 22, 3)],
            ["c"],
            id="the last statement a tenth of its one neighbour",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,250", 2), p("c", 600, 3, as_of=day(0))],
            ["b"],
            id="ordered by as_of where given (by stated_on, a would be flagged)",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,200-2,300", 2), p("c", 227, 3)],
            ["b"],
            id="a range by its point",
        ),
        pytest.param(
            [p("a", 225, 1), p("w", 500, 2, retracted=True), p("b", "2,250", 3), p("c", 227, 4)],
            ["b"],
            id="a withdrawn figure is no neighbour",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,250", 2)],
            ["a", "b"],
            id="of two statements either may be the slip",
        ),
    ],
)
def test_possible_typo_fires(tmp_path: Path, claims: list, flagged: list[str]) -> None:
    assert typos(tmp_path, claims) == flagged


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(SLIPPED_RELAY[:1] + SLIPPED_RELAY[2:], id="a genuine rise 225, 227, 238"),
        pytest.param(
            [p("a", 600, 1), p("b", "1,234", 2), p("c", "1,243", 3), p("d", "1,900", 4)],
            id="a digit swap between neighbours more than 1.5x apart",
        ),
        pytest.param(
            [p("a", 225, 1), c("b", "2,250", "ngo", 2), p("c", 227, 3)],
            id="another originator's figure",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,250", 2, metric="injured"), p("c", 227, 3)],
            id="another metric's figure",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,400", 2), p("c", 227, 3)],
            id="10.67 times, beyond 10 give or take 5 percent",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,130", 2), p("c", 227, 3)],
            id="9.47 times, below 10 give or take 5 percent",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,250", 2, retracted=True), p("c", 227, 3)],
            id="a withdrawn slip",
        ),
        pytest.param(
            [p("a", 225, 1), p("b", "2,250", 2, stated_on="undated"), p("c", 227, 3)],
            id="an undated statement",
        ),
        pytest.param(
            [p("a", 240, 1), p("b", "dozens", 2), p("c", 250, 3)],
            id="a vague word",
        ),
        pytest.param(
            [p("a", "1,423", 1), p("b", "1,243-1,300", 2), p("c", "1,430", 3)],
            id="a range's digits",
        ),
    ],
)
def test_possible_typo_does_not_fire(tmp_path: Path, claims: list) -> None:
    assert typos(tmp_path, claims) == []


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        (
            SLIPPED_RELAY,
            "Prosecutor says 2,250 on 2022-01-15, 10 times its statements just before and "
            "after: direct (225, 2022-01-15) and relay-1 (at least 227, 2022-01-17)",
        ),
        (
            [p("a", "2,250", 1), p("b", 225, 2), p("c", "2,270", 3)],
            "Prosecutor says 225 on 2022-01-02, a tenth of its statements just before and "
            "after: a (2,250, 2022-01-01) and c (2,270, 2022-01-03)",
        ),
        (
            [p("a", "1,423", 1), p("b", "1,243", 2), p("c", "1,430", 3)],
            "Prosecutor says 1,243 on 2022-01-02, 1,423 with two adjacent digits swapped; "
            "its statements just before and after: a (1,423, 2022-01-01) and "
            "c (1,430, 2022-01-03)",
        ),
        (
            [p("a", 225, 1), p("b", 227, 2), p("c", "227,000", 3)],
            "Prosecutor says 227,000 on 2022-01-03, 1,000 times its only neighbouring "
            "statement, just before: b (227, 2022-01-02)",
        ),
    ],
)
def test_possible_typo_names_the_neighbours(tmp_path: Path, claims: list, message: str) -> None:
    (finding,) = [
        f for f in check(write(tmp_path, claims), today=TODAY).findings if f.code == "possible-typo"
    ]
    assert (finding.severity.value, finding.message) == ("warning", message)
    assert (
        finding.hint == "check the figure against the source; if it is right, ignore this finding"
    )


def test_statements_of_one_day_are_ordered_by_id_not_by_their_place_in_the_file(
    tmp_path: Path,
) -> None:
    # b before c: a's only neighbour is b (10 times a); c before b: a's is c, b's are c
    # and d (8.3 and 9.1 times, no factor), and nothing is flagged.
    a, b, c, d = p("a", 100, 1), p("b", "1,000", 2), p("c", 120, 2), p("d", 110, 3)
    assert typos(tmp_path, [a, b, c, d]) == typos(tmp_path, [d, c, b, a]) == ["a"]


def test_possible_typo_follows_select_ignore_and_strict(run, tmp_path: Path) -> None:
    path = write(tmp_path, SLIPPED_RELAY)
    assert [f.code for f in check(path, today=TODAY, select=["possible-typo"]).findings] == [
        "possible-typo"
    ]
    assert run("check", path, "--strict").exit_code == 1
    silenced = run("check", path, "--strict", "--ignore", "possible-typo")
    assert silenced.exit_code == 0
    assert "possible-typo" not in silenced.stdout


@pytest.mark.parametrize(
    ("format", "shows"),
    [
        ("text", lambda out: "warning possible-typo slip: Prosecutor says 2,250" in out),
        ("json", lambda out: json.loads(out)["findings"][0]["code"] == "possible-typo"),
        ("github", lambda out: ",title=figrecon possible-typo::slip: Prosecutor says" in out),
        (
            "junit",
            lambda out: (
                ET.fromstring(out)
                .find("testsuite/testcase")
                .get("name")
                .startswith("possible-typo slip line ")
            ),
        ),
        (
            "sarif",
            lambda out: json.loads(out)["runs"][0]["results"][0]["ruleId"] == "possible-typo",
        ),
    ],
)
def test_possible_typo_in_every_format(run, tmp_path: Path, format: str, shows: Any) -> None:
    result = run("check", write(tmp_path, SLIPPED_RELAY), "-f", format)
    assert result.exit_code == 0
    assert shows(result.stdout)


def test_reconcile_prints_possible_typos_on_stderr(run, tmp_path: Path) -> None:
    path = write(tmp_path, SLIPPED_RELAY)
    result = run("reconcile", path, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["figures"]
    line = 1 + next(i for i, t in enumerate(path.read_text().splitlines()) if "id: slip" in t)
    assert result.stderr == (
        f"warning: {path}:{line}: Prosecutor says 2,250 on 2022-01-15, 10 times its "
        "statements just before and after: direct (225, 2022-01-15) and relay-1 (at least "
        "227, 2022-01-17); check the figure against the source; if it is right, ignore this "
        "finding\n"
    )


def test_reconcile_prints_projections_and_misspelt_qualifiers_on_stderr(
    run, tmp_path: Path
) -> None:
    # A forecast ("could reach 20,000") counted as a toll, and a floor read bare, said
    # nothing where the figures are made: only `check` warned.
    path = write(tmp_path, [c("a", "could reach 20,000"), c("b", "at lest 230", on=2)])
    result = run("reconcile", path, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["figures"]
    lines = path.read_text().splitlines()
    a, b = (1 + next(i for i, t in enumerate(lines) if f"id: {x}" in t) for x in "ab")
    assert result.stderr.splitlines() == [
        f"warning: {path}:{a}: value: 'could reach 20,000' is worded as a projection or a guess "
        "('could reach'); it is read as the figure it names; keep projections out of the "
        "counts (or in a metric of their own); if the source states it as a count, ignore "
        "this finding",
        f"warning: {path}:{b}: value: 'at lest 230': 'at lest' is one letter from the "
        "qualifier 'at least'; it is read as the bare figure; if the source wrote 'at "
        "least', correct the value; if not, ignore this finding",
    ]


def test_a_fall_below_an_unconfirmed_relay_is_no_cumulative_decrease(tmp_path: Path) -> None:
    # The slip (2,250, one paper) is possible-typo's finding; the prosecutor's later 238
    # fell from nothing it confirmed.
    codes = [f.code for f in check(write(tmp_path, SLIPPED_RELAY), today=TODAY).findings]
    assert "cumulative-decrease" not in codes
    assert "possible-typo" in codes


# The checks that compare claims by a key look only at the claims whose key another
# shares (`ClaimView.shared`), and find each claim's batch row by position: the findings
# must be those of a look at every claim, on claims made to collide on every key.

_SHARED_SOURCES = ["gov", "interior", "prosecutor"]


@st.composite
def _colliding(draw) -> list[dict[str, Any]]:
    n = draw(st.integers(2, 14))
    pick = draw
    claims = []
    for i in range(n):
        low = pick(st.sampled_from([5, 10, 12, 50, 120]))
        claim = c(
            pick(st.sampled_from([f"c{i}", f"c{i}", f"c{i}", "c0"])),
            pick(st.sampled_from([str(low), f"at least {low}", f"{low}-{low + 5}", "dozens"])),
            pick(st.sampled_from(_SHARED_SOURCES)),
            on=pick(st.integers(1, 3)),
            metric=pick(st.sampled_from(["killed", "injured"])),
            group=pick(st.sampled_from(["total", "total", "civilians"])),
            location=pick(st.sampled_from(["Land", "Land/North", "Land/North/Town"])),
        )
        if pick(st.booleans()):
            claim["via"] = "Wire"
        if pick(st.integers(0, 5)) == 0 and i:
            claim["retracts"] = [f"c{pick(st.integers(0, i - 1))}"]
        if pick(st.integers(0, 4)) == 0 and claims:
            claim = {**pick(st.sampled_from(claims)), "id": f"c{i}"}  # entered twice
        claims.append(claim)
    return claims


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_colliding())
def test_the_keyed_checks_find_what_a_look_at_every_claim_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claims: list[dict[str, Any]]
) -> None:
    import numpy as np

    from figrecon.checks.view import ClaimView

    path = write(tmp_path, claims)
    quick = check(path, today=TODAY).findings
    with monkeypatch.context() as m:
        m.setattr(
            ClaimView, "shared", lambda self, eligible, *names: np.flatnonzero(eligible).tolist()
        )
        every = check(path, today=TODAY).findings
    assert quick == every


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_colliding())
def test_the_marks_name_each_claim_by_its_place(
    tmp_path: Path, claims: list[dict[str, Any]]
) -> None:
    """R3 and R4's marks, by each claim's place among the claims, are the statuses the
    engine gives the claim of that id, however the claims collide."""
    import figrecon
    from figrecon.checks.rules import marks
    from figrecon.engine.batch import HISTORY, WITHDRAWN
    from figrecon.engine.rules import attribution

    unique = [
        {**{k: x for k, x in claim.items() if k != "retracts"}, "id": f"u{i}"}
        for i, claim in enumerate(claims)
    ]
    loaded = figrecon.load(write(tmp_path, unique))
    m, b = marks(loaded), attribution(loaded)
    row = {str(cid): r for r, cid in enumerate(b.id.tolist())}
    place = {cid: i for i, cid in enumerate(loaded.columns["id"].tolist())}
    at = [row[cid] for cid in loaded.columns["id"].tolist()]
    assert m.withdrawn == {i for i, r in enumerate(at) if b.status[r] == WITHDRAWN}
    assert m.late == {i for i, r in enumerate(at) if b.status[r] == HISTORY}
    assert m.repeats == {i for i, r in enumerate(at) if b.repeat_of[r] >= 0}
    assert m.unconfirmed == {i for i, r in enumerate(at) if not b.confirmed[r]}
    assert m.unmarked == {
        i: place[str(b.id[b.related[r]])] for i, r in enumerate(at) if b.repeat[r]
    }


def test_a_retraction_loop_among_other_claims_is_found_where_its_claims_are(
    tmp_path: Path,
) -> None:
    """Only withdrawing claims are searched for loops; the findings still name the
    claims of the loop, wherever they are among the others."""
    claims = [
        c("p", 5),
        c("a", 5, on=3, retracts="b"),
        c("q", 6, on=2),
        c("b", 6, on=5, retracts="a"),
        c("r", 7, on=4, retracts="q"),
    ]
    found = [(code, claim) for code, claim in codes(tmp_path, claims) if code == "retraction-cycle"]
    assert found == [("retraction-cycle", "a"), ("retraction-cycle", "b")]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d"]),
            st.lists(st.sampled_from(["a", "b", "x", "yy"]), max_size=2, unique=True),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_ids_given_twice_and_ids_named_but_not_given_are_each_found(
    tmp_path: Path, rows: list[tuple[str, list[str]]]
) -> None:
    """Each claim after the first with an id, and each id a claim withdraws that no
    claim has, are found once, in the claims' order (ids and the ids named are coded
    together)."""
    from figrecon.loading import load_with_findings

    claims = [
        {**c(cid, None if named else 5, on=k + 1), **({"retracts": named} if named else {})}
        for k, (cid, named) in enumerate(rows)
    ]
    _, findings = load_with_findings(write(tmp_path, claims))
    seen: set[str] = set()
    duplicates = []
    for cid, _ in rows:
        if cid in seen:
            duplicates.append(cid)
        seen.add(cid)
    given = {cid for cid, _ in rows}
    unknown = [(cid, t) for cid, named in rows for t in named if t not in given]
    assert [f.claim for f in findings if f.code == "duplicate-id"] == duplicates
    found = [f for f in findings if f.code == "unknown-reference" and f.field == "retracts"]
    assert [(f.claim, f.message.split("`")[1]) for f in found] == unknown


_ODD = st.text(alphabet="ab&<>\"'\n\r\t\x1b%:, é日", max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["duplicate-id", "possible-typo", "future-date", "invalid-field"]),
            st.sampled_from(["error", "warning", "info"]),
            st.one_of(st.none(), st.sampled_from(["a.yaml", "b & c.csv"]), _ODD),
            st.one_of(st.none(), st.integers(1, 99)),
            st.one_of(st.none(), _ODD),
            _ODD,
        ),
        max_size=7,
    ),
    st.lists(st.sampled_from(["a.yaml", "b & c.csv", "d.json"]), max_size=3, unique=True),
    st.booleans(),
)
def test_check_reports_made_a_chunk_at_a_time_are_the_documents_made_whole(
    rows: list[tuple[Any, ...]], files: list[str], strict: bool
) -> None:
    """The text, GitHub, JUnit and SARIF reports are made a chunk of findings at a time,
    so that hundreds of thousands of findings never sit in memory as one tree or dict:
    every chunking gives the same text, SARIF is what json.dumps(indent=2) writes of
    it, and JUnit what ElementTree writes of it indented."""
    from figrecon.checks.report import Report
    from figrecon.model import Finding, Severity
    from figrecon.render import findings as render
    from figrecon.render.formats import CheckFormat

    found = [
        Finding(code=c, severity=Severity(s), file=f, line=n, claim=claim, message="m" + m)
        for c, s, f, n, claim, m in rows
    ]
    report = Report(valid=not found, errors=len(found), warnings=0, findings=found, files=files)
    whole = {fmt: fmt.render(report, strict) for fmt in CheckFormat}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "CHUNK", 2)
        for fmt in CheckFormat:
            assert fmt.render(report, strict) == whole[fmt]
    sarif = whole[CheckFormat.sarif]
    assert sarif == json.dumps(json.loads(sarif), indent=2, ensure_ascii=False) + "\n"
    assert len(json.loads(sarif)["runs"][0]["results"]) == len(found)
    tree = ET.ElementTree(ET.fromstring(whole[CheckFormat.junit].encode("utf-8")))
    ET.indent(tree)
    again = ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True).decode("utf-8")
    assert whole[CheckFormat.junit] == again + "\n"
    cases = tree.getroot().findall("testsuite/testcase")
    assert len(cases) == len(found) + len([f for f in files if all(r[2] != f for r in rows)])
