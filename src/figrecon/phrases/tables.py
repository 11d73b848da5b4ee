"""The phrase tables (one per language, `<lang>.yaml`) and the profiles that give vague
words their numbers (`profile-<name>.yaml`): a language or a coding convention is data,
not code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..io.files import irregular
from ..model import Kind
from .errors import PhraseTableError
from .intervals import QUALIFIER_KIND, VagueMeaning
from .tokens import Phrases, normalize_text, phrase_key, phrase_set


@dataclass(frozen=True)
class Language:
    """A compiled phrase table."""

    code: str
    name: str
    script: str
    decimal_mark: str
    qualifiers: Phrases
    suffixes: Phrases
    vague: Phrases
    weak_vague: frozenset[str]
    vague_multiples: frozenset[str]
    numbers: dict[str, int | float]
    multipliers: Phrases
    article: frozenset[str]
    number_joiners: frozenset[str]
    range_prefixes: frozenset[str]
    range_joiners: Phrases
    prefixed_joiners: Phrases
    not_counts: Phrases
    """Durations, percent signs and currencies after a number: not a count of people."""
    currency: Phrases
    months: frozenset[str]
    year_words: frozenset[str]
    year_suffixes: frozenset[str]
    ordinal_suffixes: frozenset[str]
    qualified_units: dict[str, int]
    """Words that, right after a qualifier, are one unit ("более тысячи")."""
    change_verbs: Phrases
    """Verbs that make "from a to b" a change stating b ("rose", "выросло")."""
    change_from: Phrases
    change_to: Phrases
    change_by: Phrases
    """Words after a change verb that give its size ("rose by 20 to 225")."""
    change_openers: Phrases
    """Words that open a change's earlier figure without a verb ("up from")."""

    @classmethod
    def from_table(cls, table: Mapping[str, Any], origin: str) -> Language:
        def words(key: str) -> frozenset[str]:
            return frozenset(normalize_text(str(a)) for a in table.get(key, []))

        def named(key: str) -> dict[tuple[str, ...], str]:
            return {
                phrase: name
                for name, entries in table.get(key, {}).items()
                for phrase in phrase_set(entries)
            }

        def flags(key: str) -> Phrases:
            return Phrases(dict.fromkeys(phrase_set(table.get(key, [])), True))

        try:
            qualifiers = named("qualifiers")
            suffixes = named("suffixes")
            bad = (set(qualifiers.values()) | set(suffixes.values())) - set(QUALIFIER_KIND)
            if bad:
                raise PhraseTableError(
                    f"{origin}: unknown qualifier {sorted(bad)[0]!r}; "
                    f"use one of {', '.join(QUALIFIER_KIND)}"
                )
            not_counts = {
                phrase: key
                for key in ("durations", "percent", "currency", "units")
                for phrase in phrase_set(table.get(key, []))
            }
            return cls(
                code=str(table["language"]),
                name=str(table.get("name", table["language"])),
                script=str(table.get("script", "LATIN")).upper(),
                decimal_mark=str(table.get("decimal_mark", ".")),
                qualifiers=Phrases(qualifiers),
                suffixes=Phrases(suffixes),
                vague=Phrases({phrase_key(k): str(v) for k, v in table.get("vague", {}).items()}),
                weak_vague=frozenset(table.get("weak_vague", [])),
                vague_multiples=frozenset(table.get("vague_multiples", [])),
                # Whole numbers, and halves such as "полторы" (1.5) that a multiplier
                # makes whole ("полторы тысячи" = 1,500).
                numbers={
                    normalize_text(str(k)): int(v) if float(v).is_integer() else float(v)
                    for k, v in table.get("numbers", {}).items()
                },
                multipliers=Phrases(
                    {phrase_key(k): int(v) for k, v in table.get("multipliers", {}).items()}
                ),
                article=words("article"),
                number_joiners=words("number_joiners"),
                range_prefixes=words("range_prefixes"),
                range_joiners=flags("range_joiners"),
                prefixed_joiners=flags("prefixed_joiners"),
                not_counts=Phrases(not_counts),
                currency=flags("currency"),
                months=words("months"),
                year_words=words("year_words"),
                year_suffixes=words("year_suffixes"),
                qualified_units={
                    normalize_text(str(k)): int(v)
                    for k, v in (table.get("qualified_units") or {}).items()
                },
                ordinal_suffixes=words("ordinal_suffixes"),
                change_verbs=flags("change_verbs"),
                change_from=flags("change_from"),
                change_to=flags("change_to"),
                change_by=flags("change_by"),
                change_openers=flags("change_openers"),
            )
        except PhraseTableError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PhraseTableError(f"{origin}: not a usable phrase table ({exc})") from None


@dataclass(frozen=True)
class Profile:
    """What vague terms mean (R1 `default`, ACLED's fixed points, or a user's file)."""

    name: str
    vague: dict[str, VagueMeaning]
    words: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Extra phrase-table entries per language code, from a user profile."""


def _bound(x: Any) -> float:
    if isinstance(x, str) and x.strip().lower() in {"inf", "infinity", "open", "∞"}:
        return math.inf
    if x is None:
        return math.inf
    return float(x)


def _profile_from(table: Mapping[str, Any], origin: str, base: Profile | None) -> Profile:
    vague = dict(base.vague) if base else {}
    try:
        for term, spec in dict(table.get("vague") or {}).items():
            hard = (_bound(spec["hard"][0]), _bound(spec["hard"][1]))
            soft_spec = spec.get("soft", spec["hard"])
            soft = (_bound(soft_spec[0]), _bound(soft_spec[1]))
            point = float(spec["point"])
            if not hard[0] <= soft[0] <= point <= hard[1] or soft[1] > hard[1]:
                raise PhraseTableError(
                    f"{origin}: vague term {term!r} must have hard low <= soft low <= point "
                    "<= hard high and soft high <= hard high"
                )
            vague[str(term)] = VagueMeaning(Kind(spec.get("kind", "vague")), hard, soft, point)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, PhraseTableError):
            raise
        raise PhraseTableError(f"{origin}: not a usable profile ({exc})") from None
    raw_words = table.get("words") or {}
    if not isinstance(raw_words, Mapping) or not all(
        isinstance(v, Mapping) for v in raw_words.values()
    ):
        raise PhraseTableError(
            f"{origin}: `words` must map a language code to its extra words, "
            "e.g. words: {en: {vague: {...}}}"
        )
    words = {str(k): dict(v) for k, v in raw_words.items()}
    merged_words = {**(base.words if base else {}), **words}
    return Profile(name=str(table.get("name", origin)), vague=vague, words=merged_words)


_FAST: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        # libyaml reads the built-in tables in a tenth of the time.
        data = yaml.load(text, Loader=_FAST)
    except (yaml.YAMLError, ValueError, RecursionError):
        data = _read_yaml_slowly(text, origin)  # says where and why
    if not isinstance(data, dict):
        raise PhraseTableError(f"{origin}: expected a mapping at the top")
    return data


def _read_yaml_slowly(text: str, origin: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}" if mark else ""
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise PhraseTableError(f"{origin}{where}: not valid YAML: {problem}") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise PhraseTableError(f"{origin}: not valid YAML ({type(exc).__name__})") from None


def _read_table_file(path: Path) -> str:
    """A profile or phrase table named by its path: a regular file only, whose end is
    known (a device such as /dev/zero never ends, a named pipe waits for a writer)."""
    if (what := irregular(path)) is not None:
        raise PhraseTableError(f"{path}: not a regular file ({what}); give the path of a YAML file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PhraseTableError(
            f"{path}: not valid UTF-8 (byte offset {exc.start}); save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise PhraseTableError(f"{path}: cannot be read ({exc.strerror})") from None


def _package_text(name: str) -> str | None:
    ref = resources.files("figrecon") / "phrases" / name
    return ref.read_text(encoding="utf-8") if ref.is_file() else None


@cache
def builtin_languages() -> list[str]:
    folder = resources.files("figrecon") / "phrases"
    return sorted(
        p.name[: -len(".yaml")]
        for p in folder.iterdir()
        if p.name.endswith(".yaml") and not p.name.startswith("profile-")
    )


@cache
def builtin_profiles() -> list[str]:
    folder = resources.files("figrecon") / "phrases"
    return sorted(
        p.name[len("profile-") : -len(".yaml")]
        for p in folder.iterdir()
        if p.name.startswith("profile-") and p.name.endswith(".yaml")
    )


@cache
def load_profile(spec: str = "default") -> Profile:
    """A built-in profile by name, or a profile YAML file by path."""
    return _load_profile(spec, ())


def _load_profile(spec: str, chain: tuple[str, ...]) -> Profile:
    if spec in chain:
        raise PhraseTableError(
            "profiles extend each other in a loop: " + " -> ".join([*chain, spec])
        )
    text = _package_text(f"profile-{spec}.yaml")
    origin = spec
    from_file = text is None
    if text is None:
        path = Path(spec)
        if not path.exists():
            raise PhraseTableError(
                f"no profile {spec!r}; use one of {', '.join(builtin_profiles())} or a YAML file"
            )
        text = _read_table_file(path)
        origin = str(path)
    table = _read_yaml(text, origin)
    parent = table.get("extends", "default" if spec != "default" else None)
    if parent and from_file and _package_text(f"profile-{parent}.yaml") is None:
        # A file's `extends: other.yaml` is relative to the file, not to the folder
        # figrecon runs in.
        sibling = Path(origin).parent / str(parent)
        if sibling.is_file():
            parent = str(sibling)
    base = _load_profile(str(parent), (*chain, spec)) if parent else None
    return _profile_from(table, origin, base)


def _merge_table(table: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(table)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            merged = dict(out[key])
            for k2, v2 in value.items():
                if isinstance(v2, list) and isinstance(merged.get(k2), list):
                    merged[k2] = [*merged[k2], *v2]
                else:
                    merged[k2] = v2
            out[key] = merged
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        else:
            out[key] = value
    return out


def load_language(spec: str, profile: Profile | None = None) -> Language:
    """A built-in language by code, or a phrase-table YAML file by path, with the extra
    words a profile adds for that language."""
    table, origin = _language_table(spec)
    if profile and (extra := profile.words.get(str(table.get("language")))):
        table = _merge_table(table, extra)
    return Language.from_table(table, origin)


@cache
def _language_table(spec: str) -> tuple[dict[str, Any], str]:
    text = _package_text(f"{spec}.yaml")
    origin = spec
    if text is None:
        path = Path(spec)
        if not path.exists():
            raise PhraseTableError(
                f"no phrase table for {spec!r}; use one of {', '.join(builtin_languages())} "
                "or the path of a table file"
            )
        text = _read_table_file(path)
        origin = str(path)
    return _read_yaml(text, origin), origin
