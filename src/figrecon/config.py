"""Parameters of the method: defaults, a project file, flags.

Every parameter that shapes a figure is here and is written into the JSON output, so a
reader can rerun any result. Settings come from the defaults, then `figrecon.toml` (or
`[tool.figrecon]` in `pyproject.toml`) in the current folder or a parent, then flags.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import UsageError, closest
from .model import Kind, SourceType, error_text

Method = Literal["agreement", "range", "conservative", "hierarchy"]
METHODS: tuple[str, ...] = ("agreement", "range", "conservative", "hierarchy")

DEFAULT_TYPE_WEIGHTS: dict[SourceType, float] = {
    SourceType.judiciary: 1.0,
    SourceType.health: 1.0,
    SourceType.igo: 1.0,
    SourceType.ngo: 0.9,
    SourceType.research: 0.9,
    SourceType.government: 0.7,
    SourceType.media: 0.6,
    SourceType.other: 0.5,
    SourceType.unknown: 0.5,
}
DEFAULT_KIND_FACTORS: dict[Kind, float] = {
    Kind.exact: 1.0,
    Kind.round: 0.9,
    Kind.range: 0.9,
    Kind.approx: 0.8,
    Kind.approx_below: 0.8,
    Kind.lower_bound: 0.7,
    Kind.upper_bound: 0.7,
    Kind.vague: 0.4,
}


Weight = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
"""A weight or factor must be positive: a zero would drop claims from every figure
without a note saying so (remove the claims instead, which the output records)."""


class Parameters(BaseModel):
    """How claims are weighed and compared (RECONCILIATION.md R5-R10)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    method: Method = "agreement"
    profile: str = "default"
    """Phrase profile: default, acled, or the path of a profile file."""
    lang: str | None = None
    """Phrase table to read every value with; None detects it from the script."""
    tolerance: float = Field(0.05, ge=0, le=1)
    """R7: each claim's soft interval is widened by this share of its point."""
    stale_days: int = Field(3, ge=0)
    """R5: how much newer a claim must be to make an older one stale."""
    stale_ratio: float = Field(1.5, ge=1, le=1000)
    """R5: a newer soft low this many times an older soft high makes it stale."""
    open_factor: float = Field(1.25, ge=1, le=1000)
    """R5, R10: an open soft high counts as point times this."""
    party_factor: float = Field(0.5, ge=0, le=1)
    """R6: weight multiplier for a party to the event."""
    unknown_source_share: float = Field(0.5, ge=0, le=1)
    """R4, R10: how much of an independent source an unknown originator counts as."""
    outlier_share: float = Field(0.3, ge=0, le=1)
    """R10: outliers carrying this share of the weight lower the confidence."""
    type_weights: dict[SourceType, Weight] = Field(
        default_factory=lambda: dict(DEFAULT_TYPE_WEIGHTS)
    )
    kind_factors: dict[Kind, Weight] = Field(default_factory=lambda: dict(DEFAULT_KIND_FACTORS))
    rank: list[SourceType] | None = None
    """`hierarchy` method: source types from most to least trusted."""

    @field_validator("rank")
    @classmethod
    def _each_type_once(cls, value: list[SourceType] | None) -> list[SourceType] | None:
        """A type given twice leaves its place in the order in doubt (`ngo,igo,ngo`)."""
        seen: set[SourceType] = set()
        for kind in value or ():
            if kind in seen:
                raise ValueError(
                    f"{kind.value} is ranked twice; give each source type once, from the "
                    "most to the least trusted"
                )
            seen.add(kind)
        return value

    @field_validator("type_weights", mode="before")
    @classmethod
    def _fill_types(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {**{k.value: v for k, v in DEFAULT_TYPE_WEIGHTS.items()}, **value}
        return value

    @field_validator("kind_factors", mode="before")
    @classmethod
    def _fill_kinds(cls, value: Any) -> Any:
        if isinstance(value, dict):
            value = dict(value)
            for bound in ("bound", "bounds"):
                if bound in value:
                    factor = value.pop(bound)
                    value.setdefault("lower_bound", factor)
                    value.setdefault("upper_bound", factor)
            return {**{k.value: v for k, v in DEFAULT_KIND_FACTORS.items()}, **value}
        return value

    def block(self) -> dict[str, Any]:
        """The parameters as written into the JSON output."""
        data = self.model_dump(mode="json", exclude={"method", "profile"})
        if data.get("rank") is None:
            data.pop("rank", None)
        return data


CONFIG_FILE = "figrecon.toml"
_RECONCILE_KEYS = set(Parameters.model_fields)


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest figrecon.toml, or pyproject.toml with [tool.figrecon], from `start` up."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own, _read_toml(own)
        project = candidate / "pyproject.toml"
        if project.is_file():
            table = _read_toml(project).get("tool", {}).get("figrecon")
            if isinstance(table, dict):
                return project, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not valid TOML ({exc}); fix the file") from None


class CheckSettings(BaseModel):
    """`[check]` in figrecon.toml (or `[tool.figrecon.check]`)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    strict: bool = False


def check_settings(config: tuple[Path, dict[str, Any]] | None) -> CheckSettings:
    if config is None:
        return CheckSettings()
    path, table = config
    from .checks.report import resolve_codes

    try:
        settings = CheckSettings.model_validate(table.get("check", {}))
    except ValidationError as exc:
        raise UsageError(
            *(
                f"{path}: check.{'.'.join(str(p) for p in err['loc'])}: {error_text(err)}"
                for err in exc.errors()
            )
        ) from None
    resolve_codes(settings.select, f"{path}: check.select")
    resolve_codes(settings.ignore, f"{path}: check.ignore")
    return settings


def build_parameters(
    overrides: dict[str, Any] | None = None, config: tuple[Path, dict[str, Any]] | None = None
) -> Parameters:
    """Defaults, then the config file's settings, then `overrides` (flags that were given)."""
    settings: dict[str, Any] = {}
    origin = "flags"
    problems: list[str] = []  # every problem of the file at once, one line each
    if config is not None:
        path, table = config
        origin = str(path)
        settings.update({k: v for k, v in table.items() if k in _RECONCILE_KEYS})
        known = sorted(_RECONCILE_KEYS | {"check"})
        for key in sorted(set(table) - _RECONCILE_KEYS - {"check"}):
            near = closest(key, known)
            problems.append(
                f"{path}: unknown setting {key!r}"
                + (f" (did you mean {near!r}?)" if near else "")
                + "; settings are "
                + ", ".join(known)
            )
    settings.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        params = Parameters.model_validate(settings)
    except ValidationError as exc:
        problems.extend(_problem(err, origin) for err in exc.errors())
    if problems:
        raise UsageError(*problems)
    if params.rank and params.method != "hierarchy" and (overrides or {}).get("rank"):
        raise UsageError(
            "--rank orders sources for --method hierarchy only; add --method hierarchy"
        )
    if params.method == "hierarchy" and not params.rank:
        raise UsageError("--method hierarchy needs --rank, e.g. --rank judiciary,igo,ngo,health")
    return params


def _problem(err: Any, origin: str) -> str:
    """One line for one invalid setting, named as the user gave it (a flag, or the key
    of the file)."""
    where = ".".join(str(p) for p in err["loc"])
    if origin == "flags" and err["loc"]:
        where = "--" + str(err["loc"][0]).replace("_", "-")
    given = err.get("input")
    shown = f"{given!r}: " if isinstance(given, str | int | float) else ""
    prefix = "" if origin == "flags" else f"{origin}: "
    return f"{prefix}{where}: {shown}{error_text(err)}"


def parameters(start: Path | None = None, **overrides: Any) -> Parameters:
    """The parameters as `figrecon reconcile` builds them: figrecon.toml (or
    `[tool.figrecon]` in pyproject.toml) found from `start` (the working folder by
    default) upwards, then `overrides` such as method="range"."""
    return build_parameters(overrides, find_config(start))
