"""Options that commands take together, declared once: a bundle is a dataclass whose
fields are typer options. A command names the bundle as one parameter; `bundled` shows
typer the bundle's fields in its place and hands the command the bundle, so that every
command that reads claims takes the same options, with the same help, in the same order.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_type_hints

from .options import (
    MAX_INPUT_SIZE,
    ByOpt,
    DatasetOpt,
    EncodingOpt,
    EventOpt,
    ExactOpt,
    GroupOpt,
    InputFormatOpt,
    LocationOpt,
    MaxInputSizeOpt,
    MetricOpt,
    PeriodOpt,
    QuietOpt,
    ReleasedOpt,
    SheetOpt,
    SourcesOpt,
    WhereOpt,
    events_of,
    input_format_of,
    load_claims,
    one_registry,
    output_target,
    size_bytes,
)

if TYPE_CHECKING:
    from ..config import Parameters
    from ..io.importers import ImportOptions
    from ..loading import Claims

Command = TypeVar("Command", bound=Callable[..., Any])


def bundled(command: Command) -> Command:
    """The command as typer should see it: each parameter whose annotation is a bundle
    (a dataclass) replaced by the bundle's fields, each with its own annotation and
    default; when typer calls it, the fields are gathered back into the bundle."""
    signature = inspect.signature(command, eval_str=True)
    shown: list[inspect.Parameter] = []
    bundles: dict[str, tuple[type, list[str]]] = {}
    for param in signature.parameters.values():
        kind = param.annotation
        if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
            shown.append(param)
            continue
        hints = get_type_hints(kind, include_extras=True)
        names = [f.name for f in dataclasses.fields(kind)]
        shown += [
            inspect.Parameter(
                f.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=f.default,
                annotation=hints[f.name],
            )
            for f in dataclasses.fields(kind)
        ]
        bundles[param.name] = (kind, names)
    taken = [p.name for p in shown]
    if len(set(taken)) != len(taken):
        raise TypeError(f"{command.__name__}: a bundle's option has the name of another")

    @functools.wraps(command)
    def run(**given: Any) -> Any:
        for name, (kind, names) in bundles.items():
            given[name] = kind(**{field: given.pop(field) for field in names})
        return command(**given)

    run.__signature__ = signature.replace(parameters=shown)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in shown}
    return run  # type: ignore[return-value]


@dataclass(frozen=True)
class Filters:
    """Which figures: --event, --metric, --group, --location (with the places within
    it, or with --exact only it), --period."""

    event: EventOpt = None
    metric: MetricOpt = None
    group: GroupOpt = None
    location: LocationOpt = None
    exact: ExactOpt = False
    period: PeriodOpt = None

    @property
    def keys(self) -> tuple[str | None, ...]:
        """event, metric, group, location, period: as `no_figures` names them."""
        return (self.event, self.metric, self.group, self.location, self.period)


@dataclass(frozen=True)
class Inputs:
    """How the claim files are read: the registry, the sheet, the encoding, the format,
    the size limit, the import options of event datasets; and --quiet."""

    sources: SourcesOpt = None
    sheet: SheetOpt = None
    encoding: EncodingOpt = "utf-8-sig"
    input_format: InputFormatOpt = None
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE
    by: ByOpt = None
    where: WhereOpt = None
    released: ReleasedOpt = None
    dataset: DatasetOpt = None
    quiet: QuietOpt = False

    @property
    def limit(self) -> int:
        """--max-input-size in bytes."""
        return size_bytes(self.max_input_size)

    @property
    def events(self) -> ImportOptions:
        """The import options of --by, --where, --released and --dataset."""
        return events_of(self.by, self.where, self.released, self.dataset)

    @property
    def registry(self) -> Path | None:
        return one_registry(self.sources)

    @property
    def format(self) -> str | None:
        return input_format_of(self.input_format)

    def target(self, output: Path | None, paths: list[str], params: Parameters) -> Path | None:
        """The -o file, checked before any work (see `output_target`)."""
        return output_target(output, paths, self.sources, params)

    def load(self, paths: list[str], params: Parameters, *, typos: bool = False) -> Claims:
        """The claims, with the input's warnings on stderr (see `load_claims`)."""
        return load_claims(
            paths,
            self.sources,
            self.encoding,
            self.input_format,
            params,
            self.limit,
            sheet=self.sheet,
            typos=typos,
            events=self.events,
        )
