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

from ..errors import did_you_mean
from ..io.files import irregular
from ..model import Kind
from ..model.vocab import MAX_COUNT
from ..text import brief
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
    month_first: bool = False
    """Whether a date writes its month before its day ("January 10"): then a number
    grouped by a space right after a month ("January 10 225") may be a day and a figure."""
    negations: frozenset[str] = frozenset()
    """Words that deny what follows ("not", "never"; "n't" ends the word before): before
    a figure or its qualifier, the phrase states what the count is not."""

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

        _known_keys(table, LANGUAGE_KEYS, origin, "a phrase table")
        code = table.get("language")
        if not isinstance(code, str) or not code.strip() or len(code.split()) > 1:
            # A list (`[en, ru]`) would be the code "['en', 'ru']": no profile's words
            # would ever be found for it.
            given = "no language" if code is None else f"language is {brief(code)}"
            raise PhraseTableError(
                f"{origin}: {given}; write the table's language code, such as en or ru"
            )
        try:
            for key, least in (("numbers", 0), ("multipliers", 2), ("qualified_units", 1)):
                _check_numbers(table.get(key), key, least, origin)
            if str(table.get("decimal_mark", ".")) not in {".", ","}:
                raise PhraseTableError(
                    f"{origin}: decimal_mark is {brief(table.get('decimal_mark'))}; "
                    'write "." or ","'
                )
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
                negations=frozenset(str(a).strip().casefold() for a in table.get("negations", [])),
                month_first=bool(table.get("month_first", False)),
            )
        except PhraseTableError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
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
    _known_keys(table, PROFILE_KEYS, origin, "a profile")
    vague = dict(base.vague) if base else {}
    try:
        for term, spec in dict(table.get("vague") or {}).items():
            if isinstance(spec, Mapping):
                _known_keys(spec, VAGUE_KEYS, f"{origin}: vague term {term!r}", "a term")
            hard = (_bound(spec["hard"][0]), _bound(spec["hard"][1]))
            soft_spec = spec.get("soft", spec["hard"])
            soft = (_bound(soft_spec[0]), _bound(soft_spec[1]))
            point = float(spec["point"])
            if not 0 <= point <= MAX_COUNT or not 0 <= hard[0] <= MAX_COUNT:
                raise PhraseTableError(
                    f"{origin}: vague term {term!r} must have a point and a hard low of 0 "
                    f"to 10^10 people"
                )
            if not hard[0] <= soft[0] <= point <= hard[1] or soft[1] > hard[1]:
                raise PhraseTableError(
                    f"{origin}: vague term {term!r} must have hard low <= soft low <= point "
                    "<= hard high and soft high <= hard high"
                )
            vague[str(term)] = VagueMeaning(Kind(spec.get("kind", "vague")), hard, soft, point)
    except (KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
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


LANGUAGE_KEYS = frozenset(
    {
        "language", "name", "script", "decimal_mark", "qualifiers", "suffixes", "vague",
        "weak_vague", "vague_multiples", "numbers", "multipliers", "article",
        "number_joiners", "range_prefixes", "range_joiners", "prefixed_joiners",
        "durations", "percent", "currency", "units", "months", "year_words",
        "year_suffixes", "ordinal_suffixes", "qualified_units", "change_verbs",
        "change_from", "change_to", "change_by", "change_openers", "negations", "month_first",
    }
)  # fmt: skip
"""The keys a phrase table (and a profile's `words:` for a language) may have."""
PROFILE_KEYS = frozenset({"name", "extends", "vague", "words"})
VAGUE_KEYS = frozenset({"kind", "hard", "soft", "point"})

MAX_TABLE_SIZE = 16 * 2**20
"""A phrase table or profile is a short YAML file (the English table is 10 kB)."""
MAX_TABLE_VALUES = 1_000_000
"""Values in a table with its aliases expanded: a YAML alias bomb (`[*a, *a, ...]`
nested nine times, a billion items in a few lines) is refused before it is walked."""


def _known_keys(table: Mapping[Any, Any], known: frozenset[str], origin: str, what: str) -> None:
    """A key that is none of `known` (nor an `x_` key of the user's own) is refused, as
    in a claim: a mistyped key (`vauge:`) would otherwise change nothing, in silence."""
    for key in table:
        name = str(key) if isinstance(key, str | int | float | bool) else brief(key)
        if name not in known and not name.startswith("x_"):
            raise PhraseTableError(
                f"{origin}: unknown key `{name}`; {what} has "
                + ", ".join(sorted(known))
                + did_you_mean(name, known)
            )


def _check_numbers(entries: Any, key: str, least: int, origin: str) -> None:
    """The numbers of a table's `numbers`, `multipliers` or `qualified_units`: at least
    `least` and at most 10^10, whole but for a number word (`полторы`: 1.5)."""
    if not isinstance(entries, Mapping):
        return  # absent, or refused as not usable
    for word, value in entries.items():
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if (
            number is None
            or not least <= number <= MAX_COUNT
            or (key != "numbers" and not float(number).is_integer())
        ):
            kind = "a number" if key == "numbers" else "a whole number"
            raise PhraseTableError(
                f"{origin}: {key}: {brief(word)} is {brief(value)}; write {kind} "
                f"from {least} to 10^10"
            )


def _expanded_size_check(data: Any, origin: str) -> None:
    """Refuses a table of more than MAX_TABLE_VALUES values counted as read, an alias
    as often as it is used: counted with a stack, stopping at the limit."""
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_TABLE_VALUES:
            raise PhraseTableError(
                f"{origin}: more than {MAX_TABLE_VALUES:,} values once its aliases (*) are "
                "expanded; a phrase table or profile holds a few thousand words: "
                "check its anchors (&) and aliases"
            )
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


_FAST: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        # libyaml reads the built-in tables in a tenth of the time.
        data = yaml.load(text, Loader=_FAST)
    except (yaml.YAMLError, ValueError, RecursionError):
        data = _read_yaml_slowly(text, origin)  # says where and why
    if not isinstance(data, dict):
        raise PhraseTableError(f"{origin}: expected a mapping at the top")
    _expanded_size_check(data, origin)
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


def _no_repeated_key(text: str, origin: str) -> None:
    """Refuse a key given twice in one mapping of a table file, as claim files are
    refused: a YAML reader keeps the last in silence (`language: en`, then `language:
    ru`). Each node is looked at once, however many aliases lead to it."""
    try:
        root = yaml.compose(text, Loader=_FAST)
    except (yaml.YAMLError, ValueError, RecursionError):
        return  # `_read_yaml` says where and why
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        raise PhraseTableError(
                            f"{origin}:{key.start_mark.line + 1}: the key {brief(key.value)} "
                            "is given twice in one mapping; keep one"
                        )
                    keys.add(key.value)
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _read_table_file(path: Path) -> str:
    """A profile or phrase table named by its path: a regular file only, whose end is
    known (a device such as /dev/zero never ends, a named pipe waits for a writer)."""
    if (what := irregular(path)) is not None:
        raise PhraseTableError(f"{path}: not a regular file ({what}); give the path of a YAML file")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_TABLE_SIZE + 1)
        if len(data) > MAX_TABLE_SIZE:
            raise PhraseTableError(
                f"{path}: more than {MAX_TABLE_SIZE // 2**20} MiB; a phrase table or profile "
                "is a short YAML file: check that this is the file you meant"
            )
        if (nul := data.find(b"\0")) >= 0:
            raise PhraseTableError(
                f"{path}: a NUL byte at byte offset {nul}: not a YAML text file (a binary "
                "file, or UTF-16 text); save the table as UTF-8"
            )
        text = data.decode("utf-8-sig")
        _no_repeated_key(text, str(path))
        return text
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
        origin = f"{origin} with the words of profile {profile.name}"
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
