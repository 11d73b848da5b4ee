"""Reading a phrase as numbers (R1 of RECONCILIATION.md).

"some 9,900" becomes approx [9,850, 9,950]; "more than 10,000" a lower bound with a
soft reading of [10,001, 12,000]; "dozens" [24, 99]. The words live in phrase tables
(`phrases/<lang>.yaml`) and the meaning of vague words in profiles
(`phrases/profile-<name>.yaml`), so a language or a coding convention is data, not code.

This module is on the start-up path of `figrecon parse`: it must not import pandas.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import FigreconError
from .models import MAX_COUNT, Kind, Quantity, figure_text

MAX_PHRASE = 2000
"""Longer values are refused: a value is a figure, the sentence belongs in `quote`."""

QUALIFIER_KIND = {
    "approx": Kind.approx,
    "approx_below": Kind.approx_below,
    "more_than": Kind.lower_bound,
    "at_least": Kind.lower_bound,
    "up_to": Kind.upper_bound,
    "at_most": Kind.upper_bound,
    "fewer_than": Kind.upper_bound,
}


class PhraseError(FigreconError, ValueError):
    """A phrase that does not state exactly one figure."""

    def __init__(self, text: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message + (f"; {self.hint}" if self.hint else "")


class PhraseTableError(ValueError):
    """A phrase table or profile file that cannot be used."""


# --- roundness (R1) --------------------------------------------------------------


def _trailing_zeros(n: int) -> int:
    k = 0
    while n and n % 10 == 0:
        n //= 10
        k += 1
    return k


def roundness(n: int) -> tuple[int, int]:
    """(k, s): trailing zeros and significant digits of a whole number."""
    if n <= 0:
        return 0, 1
    k = _trailing_zeros(n)
    return k, len(str(n)) - k


def halo(n: int) -> float:
    """How far a bare round number reaches: 0 for 164, 50 for 9,900, 1,000 for 10,000."""
    k, s = roundness(n)
    if k == 0:
        return 0
    return 10**k / 2 if s >= 2 else n / 10


def step(n: int) -> float | None:
    """The next round step above or below n: None when n is not round."""
    k, s = roundness(n)
    if k == 0:
        return None
    return float(10**k) if s >= 2 else n / 5


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _ceil(x: float) -> float:
    return float(math.ceil(x - 1e-9))


def _floor(x: float) -> float:
    return x if math.isinf(x) else float(math.floor(x + 1e-9))


def _make(
    text: str,
    kind: Kind,
    hard: tuple[float, float],
    soft: tuple[float, float],
    point: float,
    figure: float | None = None,
    figure_high: float | None = None,
) -> Quantity:
    """Build a quantity whose intervals are whole numbers, soft within hard."""
    hl, hh = _ceil(max(0.0, hard[0])), _floor(hard[1])
    hh = max(hh, hl)
    sl = min(max(hl, _ceil(soft[0])), hh)
    sh = max(min(hh, _floor(soft[1])), sl)
    point = min(max(point, hl), hh)
    return Quantity.model_construct(
        text=text,
        kind=kind,
        hard_low=hl,
        hard_high=None if math.isinf(hh) else hh,
        soft_low=sl,
        soft_high=None if math.isinf(sh) else sh,
        point=point,
        figure=figure,
        figure_high=figure_high,
    )


def number_quantity(text: str, n: int, qualifier: str | None) -> Quantity:
    """R1 for one number with an optional qualifier (a key of QUALIFIER_KIND)."""
    g = step(n)
    fn = float(n)
    if qualifier is None:
        h = halo(n)
        kind = Kind.round if h else Kind.exact
        return _make(text, kind, (n - h, n + h), (n - h, n + h), fn, fn)
    if qualifier == "approx":
        h = halo(n) or max(1, _half_up(0.05 * n))
        return _make(text, Kind.approx, (n - h, n + h), (n - h, n + h), fn, fn)
    if qualifier == "approx_below":
        low = n - max(1.0, 0.05 * n)
        hard = (low, n - 1.0)
        return _make(text, Kind.approx_below, hard, hard, (_ceil(low) + n - 1) / 2, fn)
    if qualifier in ("more_than", "at_least"):
        low = fn + 1 if qualifier == "more_than" else fn
        soft_high = fn + g if g else math.inf
        return _make(text, Kind.lower_bound, (low, math.inf), (low, soft_high), low, fn)
    if qualifier in ("up_to", "at_most", "fewer_than"):
        high = fn - 1 if qualifier == "fewer_than" else fn
        soft_low = fn - g if g else fn / 2
        return _make(text, Kind.upper_bound, (0, high), (soft_low, high), high, fn)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def range_quantity(text: str, a: int, b: int) -> Quantity:
    lo, hi = (a, b) if a <= b else (b, a)
    return _make(text, Kind.range, (lo, hi), (lo, hi), (lo + hi) / 2, float(lo), float(hi))


def numbers_quantity(low: float | None, high: float | None, best: float | None) -> Quantity:
    """A claim given as explicit numbers (low / high / best) instead of a phrase."""

    if low is not None and high is not None:
        text = f"{figure_text(low)}–{figure_text(high)}" + (
            f" (best {figure_text(best)})" if best is not None else ""
        )
        q = range_quantity(text, int(low), int(high))
        if best is not None:
            q = q.model_copy(update={"point": float(best)})
        return q
    if low is not None:
        return number_quantity(f"at least {figure_text(low)}", int(low), "at_least")
    if high is not None:
        return number_quantity(f"at most {figure_text(high)}", int(high), "at_most")
    assert best is not None
    return number_quantity(figure_text(best), int(best), None)


# --- tables -----------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<num>(?<!\d)\d{1,3}(?:(?:[,.']|\ )\d{3})+(?!\d)(?:[.,]\d+)?
           |(?<!\d)\d+(?:[.,]\d+)?)
    |(?P<word>[^\W\d_]+)
    |(?P<sym>\S)
    """,
    re.VERBOSE,
)
_DATES = re.compile(
    r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?)(?!\d)"
)
_SPACES = str.maketrans(dict.fromkeys("\xa0\u2007\u2009\u202f\u2002\u2003\u2004\u2005", " "))


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num", "word" or "sym"
    text: str
    start: int
    end: int


def _normalize(text: str) -> str:
    if text.isascii():
        return text.replace("`", "'").casefold()
    text = unicodedata.normalize("NFKC", text).translate(_SPACES)
    # Any script's decimal digits (Persian ۲۲۵, Arabic-Indic) read as 0-9.
    out = []
    for ch in text:
        if ch.isdecimal() and not ch.isascii():
            out.append(str(unicodedata.decimal(ch)))
        elif ch in "’`´":
            out.append("'")
        else:
            out.append(ch)
    return "".join(out).casefold()


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.lastgroup or "sym", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


class Phrases:
    """Phrases (token tuples) mapped to values, matched longest first."""

    __slots__ = ("by_first", "table")

    def __init__(self, table: Mapping[tuple[str, ...], Any]) -> None:
        self.table = dict(table)
        lengths: dict[str, set[int]] = {}
        for key in self.table:
            lengths.setdefault(key[0], set()).add(len(key))
        self.by_first = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def __contains__(self, key: object) -> bool:
        return key in self.table

    def __bool__(self) -> bool:
        return bool(self.table)

    def values(self) -> Iterable[Any]:
        return self.table.values()

    def items(self) -> Iterable[tuple[tuple[str, ...], Any]]:
        return self.table.items()

    def match(self, tokens: list[Token], i: int) -> tuple[Any, int] | None:
        """The longest phrase starting at token i: (value, end index)."""
        if i >= len(tokens):
            return None
        for length in self.by_first.get(tokens[i].text, ()):
            if i + length <= len(tokens):
                key = tuple(t.text for t in tokens[i : i + length])
                if key in self.table:
                    return self.table[key], i + length
        return None

    def ending_at(self, tokens: list[Token], end: int) -> Any:
        """The value of the longest phrase that ends just before token `end`."""
        best: tuple[int, Any] | None = None
        for start in range(max(0, end - 6), end):
            hit = self.match(tokens, start)
            if hit is not None and hit[1] == end and (best is None or end - start > best[0]):
                best = (end - start, hit[0])
        return best[1] if best else None


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(_normalize(str(phrase))))


def _phrases(entries: Iterable[Any]) -> set[tuple[str, ...]]:
    return {_phrase_key(e) for e in entries if _phrase_key(e)}


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
            return frozenset(_normalize(str(a)) for a in table.get(key, []))

        def named(key: str) -> dict[tuple[str, ...], str]:
            return {
                phrase: name
                for name, entries in table.get(key, {}).items()
                for phrase in _phrases(entries)
            }

        def flags(key: str) -> Phrases:
            return Phrases(dict.fromkeys(_phrases(table.get(key, [])), True))

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
                for phrase in _phrases(table.get(key, []))
            }
            return cls(
                code=str(table["language"]),
                name=str(table.get("name", table["language"])),
                script=str(table.get("script", "LATIN")).upper(),
                decimal_mark=str(table.get("decimal_mark", ".")),
                qualifiers=Phrases(qualifiers),
                suffixes=Phrases(suffixes),
                vague=Phrases({_phrase_key(k): str(v) for k, v in table.get("vague", {}).items()}),
                weak_vague=frozenset(table.get("weak_vague", [])),
                vague_multiples=frozenset(table.get("vague_multiples", [])),
                # Whole numbers, and halves such as "полторы" (1.5) that a multiplier
                # makes whole ("полторы тысячи" = 1,500).
                numbers={
                    _normalize(str(k)): int(v) if float(v).is_integer() else float(v)
                    for k, v in table.get("numbers", {}).items()
                },
                multipliers=Phrases(
                    {_phrase_key(k): int(v) for k, v in table.get("multipliers", {}).items()}
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
                    _normalize(str(k)): int(v)
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
class VagueMeaning:
    kind: Kind
    hard: tuple[float, float]
    soft: tuple[float, float]
    point: float


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


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}" if mark else ""
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise PhraseTableError(f"{origin}{where}: not valid YAML: {problem}") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise PhraseTableError(f"{origin}: not valid YAML ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise PhraseTableError(f"{origin}: expected a mapping at the top")
    return data


def _read_table_file(path: Path) -> str:
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
        if not path.is_file():
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
        if not path.is_file():
            raise PhraseTableError(
                f"no phrase table for {spec!r}; use one of {', '.join(builtin_languages())} "
                "or the path of a table file"
            )
        text = _read_table_file(path)
        origin = str(path)
    return _read_yaml(text, origin), origin


@cache
def _script_of_char(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0]


def _script_of(text: str) -> set[str]:
    return {"LATIN" if ch.isascii() else _script_of_char(ch) for ch in text if ch.isalpha()}


# --- the reader -------------------------------------------------------------------


@dataclass
class _Figure:
    start: int  # token index
    end: int
    value: int | None = None  # a number
    high: int | None = None  # a range's second number
    vague: VagueMeaning | None = None
    vague_term: str | None = None
    qualifier: str | None = None
    label: str = ""
    weak: bool = False


class Reader:
    """Reads phrases with one profile; each distinct phrase is read once (cached)."""

    def __init__(self, profile: str | Profile = "default", lang: str | None = None) -> None:
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile)
        self.lang = lang
        self._cache: dict[tuple[str, str | None], Quantity | PhraseError] = {}
        self._languages: dict[str, Language] = {}
        # A bad table or profile is reported before any phrase is read, not in the
        # middle of reading them.
        for code in {*([lang] if lang else []), *self.profile.words}:
            if code == lang or code in builtin_languages():
                self.language(code)

    # - public

    def read(self, text: str, lang: str | None = None) -> Quantity:
        """The quantity a phrase states, or PhraseError quoting the phrase."""
        key = (text, lang or self.lang)
        hit = self._cache.get(key)
        if hit is None:
            try:
                hit = self._read(text, key[1])
            except PhraseError as exc:
                hit = exc
            self._cache[key] = hit
        if isinstance(hit, PhraseError):
            raise hit
        return hit

    def language(self, code: str) -> Language:
        lang = self._languages.get(code)
        if lang is None:
            lang = self._languages[code] = load_language(code, self.profile)
        return lang

    def detect(self, text: str) -> Language:
        """The table whose script the phrase's letters are written in (English when it
        has no letters or Latin ones)."""
        if text.isascii():
            return self.language("en")
        scripts = _script_of(text)
        if not scripts or "LATIN" in scripts:
            return self.language("en")
        for code in builtin_languages():
            lang = self.language(code)
            if lang.script in scripts:
                return lang
        raise PhraseError(
            text,
            f"no phrase table reads {'/'.join(sorted(scripts)).title()} script in {text.strip()!r}",
            "translate the value (keep the original in quote) or add a phrase table",
        )

    # - internals

    def _read(self, text: str, lang_code: str | None) -> Quantity:
        raw = text.strip()
        if not raw:
            raise PhraseError(text, "the value is empty", "write the figure as stated")
        if len(raw) > MAX_PHRASE:
            raise PhraseError(
                text,
                f"the value is {len(raw)} characters long",
                "put the figure in value and the sentence in quote",
            )
        lang = self.language(lang_code) if lang_code else self.detect(raw)
        norm = _DATES.sub(" ", _normalize(raw))
        tokens = tokenize(norm)
        change = self._change(tokens, lang)
        if change is not None:
            later, earlier = change
            q = self._quantity(text, later)
            if earlier is None:
                return q
            point = earlier.value if earlier.vague is None else earlier.vague.point
            return q.model_copy(update={"changed_from": float(point or 0)})
        return self._quantity(text, self._one_figure(text, raw, self._figures(tokens, lang)))

    @staticmethod
    def _one_figure(text: str, raw: str, figures: list[_Figure]) -> _Figure:
        strong = [f for f in figures if not f.weak]
        if strong:
            figures = strong
        if not figures:
            raise PhraseError(
                text,
                f"no figure in {raw!r}",
                "write the number as stated, e.g. 'about 200', 'at least 35' or 'dozens'",
            )
        if len(figures) > 1:
            found = ", ".join(f.label for f in figures)
            raise PhraseError(
                text,
                f"several figures in {raw!r} ({found})",
                "keep one figure (or one range) in value and the whole sentence in quote",
            )
        return figures[0]

    def _change(self, tokens: list[Token], lang: Language) -> tuple[_Figure, _Figure | None] | None:
        """R1: a change ("rose from 164 to 225", "climbed to 225 from 164", "up from 164
        to 225", "225, up from 164") as (the later figure, the earlier one); None when
        the phrase is not a change. The later figure keeps its own qualifier."""
        n = len(tokens)
        for i in range(n):
            opener = lang.change_openers.match(tokens, i)
            verb = None if opener else lang.change_verbs.match(tokens, i)
            if opener is None and verb is None:
                continue
            if opener is not None:
                first, at = "from", opener[1]
            else:
                assert verb is not None
                first, at = "", verb[1]
                # A few words may stand between the verb and its "from" or "to"
                # ("revised down from", "rose sharply to"), never a number.
                for j in range(at, min(n, at + 4)):
                    if tokens[j].kind == "num":
                        break
                    sides = (
                        ("from", lang.change_from),
                        ("to", lang.change_to),
                        ("by", lang.change_by),
                    )
                    for side, words in sides:
                        hit = words.match(tokens, j)
                        if hit is not None and not first:
                            first, at = side, hit[1]
                    if first:
                        break
                if not first:
                    continue
            other = lang.change_from if first == "to" else lang.change_to
            found = self._change_parts(tokens, lang, i, at, other, first != "to")
            if found is not None:
                later, earlier = found
                # "rose by 20 to 225": 20 is the difference, not the earlier figure.
                return later, (None if first == "by" else earlier)
            if first != "to":
                said = _span(tokens, i, len(tokens))
                raise PhraseError(
                    said,
                    f"{said!r} gives only "
                    + ("the earlier figure" if first == "from" else "the size")
                    + " of a change",
                    "write the figure it changed to, e.g. 'rose from 164 to 225'",
                )
        return None

    def _change_parts(
        self,
        tokens: list[Token],
        lang: Language,
        start: int,
        at: int,
        other: Phrases,
        from_first: bool,
    ) -> tuple[_Figure, _Figure] | None:
        """The two figures of a change whose first part begins at token `at`: the first
        split at a word of `other` for which each side reads as exactly one figure and
        nothing else in the phrase is a figure."""
        n = len(tokens)
        before = self._strong(tokens[:start], lang)
        for k in range(at + 1, n):
            hit = other.match(tokens, k)
            if hit is None:
                continue
            one = self._strong(tokens[at:k], lang)
            two = self._strong(tokens[hit[1] :], lang)
            if len(one) == 1 and len(two) == 1 and not before:
                return (two[0], one[0]) if from_first else (one[0], two[0])
        if from_first and len(before) == 1:
            # No "to": "225, up from 164" states its later figure before the change.
            earlier = self._strong(tokens[at:], lang)
            if len(earlier) == 1:
                return before[0], earlier[0]
        return None

    def _strong(self, tokens: list[Token], lang: Language) -> list[_Figure]:
        figures = self._figures(tokens, lang)
        return [f for f in figures if not f.weak] or figures

    def _quantity(self, text: str, fig: _Figure) -> Quantity:
        if fig.vague is not None:
            return _vague_quantity(text, fig.vague, fig.qualifier)
        assert fig.value is not None
        if fig.high is not None:
            return range_quantity(text, fig.value, fig.high)
        return number_quantity(text, fig.value, fig.qualifier)

    def _figures(self, tokens: list[Token], lang: Language) -> list[_Figure]:
        figures: list[_Figure] = []
        i = 0
        n = len(tokens)
        while i < n:
            vague_end, term = self._vague_at(tokens, i, lang)
            qualifier = lang.qualifiers.match(tokens, i)
            if qualifier is not None and qualifier[1] > vague_end:
                # A qualifier's own words ("as many as") are never a vague figure.
                i = qualifier[1]
                continue
            # "at least a dozen": the article before a unit stands for one.
            skip = int(tokens[i].text in lang.article and i + 1 < n)
            unit = lang.qualified_units.get(tokens[i + skip].text)
            if unit is not None and lang.qualifiers.ending_at(tokens, i) is not None:
                end = i + skip + 1
                fig = _Figure(i, end, value=unit, label=_span(tokens, i, end))
                fig.qualifier = _qualifier_before(tokens, i, lang)
                figures.append(fig)
                i = end
                continue
            number = _number_at(tokens, i, lang)
            if term is not None and (number is None or vague_end >= number[1]):
                fig = self._vague_figure(tokens, i, vague_end, term, lang)
                figures.append(fig)
                i = fig.end
                continue
            if number is None:
                i += 1
                continue
            value, end = number
            _refuse_signs_and_exponents(tokens, i, end)
            if _not_a_count(tokens, i, end, value, lang):
                i = end
                continue
            try:
                fig = _Figure(i, end, value=_whole(value, tokens, i, end))
                fraction = None
            except PhraseError as exc:
                # "1.5-2 thousand": the range's multiplier may make the first end whole.
                fig, fraction = _Figure(i, end, value=value), exc  # type: ignore[arg-type]
            fig.label = _span(tokens, i, end)
            self._extend_range(tokens, fig, lang)
            if fraction is not None and fig.high is None:
                raise fraction
            if fig.high is None:
                fig.qualifier = _qualifier_before(tokens, fig.start, lang) or _suffix_after(
                    tokens, fig, lang
                )
            figures.append(fig)
            i = fig.end
        return figures

    def _vague_at(self, tokens: list[Token], i: int, lang: Language) -> tuple[int, str | None]:
        hit = lang.vague.match(tokens, i)
        return (hit[1], hit[0]) if hit else (i, None)

    def _vague_figure(
        self, tokens: list[Token], start: int, end: int, term: str, lang: Language
    ) -> _Figure:
        meaning = self.profile.vague.get(term)
        if meaning is None:
            raise PhraseError(
                _span(tokens, start, end),
                f"the profile {self.profile.name!r} gives no meaning to {term!r}",
                "add it under `vague:` in the profile",
            )
        fig = _Figure(start, end, vague=meaning, vague_term=term, weak=term in lang.weak_vague)
        if term in lang.vague_multiples:
            mult = lang.multipliers.match(tokens, end)
            if mult is not None:
                unit, fig.end = mult
                fig.vague = VagueMeaning(
                    Kind.vague,
                    (meaning.hard[0] * unit, meaning.hard[1] * unit),
                    (meaning.soft[0] * unit, meaning.soft[1] * unit),
                    meaning.point * unit,
                )
                fig.weak = False
        fig.label = _span(tokens, start, fig.end)
        fig.qualifier = _qualifier_before(tokens, start, lang)
        return fig

    def _extend_range(self, tokens: list[Token], fig: _Figure, lang: Language) -> None:
        """ "225-240", "225 to 240", "between 225 and 240": extend fig to a range."""
        prefixed = fig.start > 0 and tokens[fig.start - 1].text in lang.range_prefixes
        joiner = lang.range_joiners.match(tokens, fig.end)
        if joiner is None and prefixed:
            joiner = lang.prefixed_joiners.match(tokens, fig.end)
        if joiner is None:
            return
        start2 = joiner[1]
        second = _number_at(tokens, start2, lang)
        if second is None:
            if prefixed and start2 >= len(tokens):
                # "between 5 and": the range's other end is missing.
                raise PhraseError(
                    _span(tokens, fig.start - 1, start2),
                    f"{_span(tokens, fig.start - 1, start2)!r} is a range without its other end",
                    "write both ends, e.g. 'between 5 and 10'",
                )
            return
        value, end = second
        if _not_a_count(tokens, start2, end, value, lang):
            return
        high = _whole(value, tokens, start2, end)
        first = Decimal(fig.value or 0)
        # "2-3 thousand": a multiplier on the second number applies to both.
        if _number_unit(tokens, fig.start, fig.end, lang) == 1:
            first *= _number_unit(tokens, start2, end, lang)
        fig.value = _whole(first, tokens, fig.start, end)
        fig.high = high
        fig.end = end
        fig.label = _span(tokens, fig.start, end)


def _refuse_signs_and_exponents(tokens: list[Token], start: int, end: int) -> None:
    """A count has no sign ("-5") and is not written in scientific notation ("1e5")."""
    if start > 0:
        sign = tokens[start - 1]
        lone = start == 1 or not _adjacent(tokens[start - 2], sign)
        if sign.text in ("-", "−") and _adjacent(sign, tokens[start]) and lone:
            shown = sign.text + _span(tokens, start, end)
            raise PhraseError(
                shown, f"{shown!r} is negative; a count is 0 or more", "write the count as stated"
            )
    if (
        end + 1 < len(tokens)
        and tokens[end].text == "e"
        and tokens[end + 1].kind == "num"
        and _adjacent(tokens[end - 1], tokens[end])
        and _adjacent(tokens[end], tokens[end + 1])
    ):
        shown = "".join(t.text for t in tokens[start : end + 2])
        raise PhraseError(
            shown,
            f"{shown!r} is scientific notation",
            "write the count as stated, e.g. '100,000' or '1.5 thousand'",
        )


def _vague_quantity(text: str, meaning: VagueMeaning, qualifier: str | None) -> Quantity:
    kind = meaning.kind
    hard, soft, point = meaning.hard, meaning.soft, meaning.point
    if qualifier in ("more_than", "at_least") and kind != Kind.lower_bound:
        kind, hard = Kind.lower_bound, (hard[0], math.inf)
    elif qualifier in ("up_to", "at_most", "fewer_than") and kind != Kind.upper_bound:
        top = hard[1] if not math.isinf(hard[1]) else soft[1]
        kind, hard, point = Kind.upper_bound, (0.0, top), top
        soft = (soft[0], min(soft[1], top))
    return _make(text, kind, hard, soft, point)


def _span(tokens: list[Token], start: int, end: int) -> str:
    out = ""
    for t in tokens[start:end]:
        if out and not out.endswith(" ") and t.start > 0 and t.kind != "sym":
            out += " "
        out += t.text
    return out.strip()


def _adjacent(a: Token, b: Token) -> bool:
    return a.end == b.start


def _numeral(raw: str, decimal_mark: str, has_multiplier: bool) -> Decimal:
    """A digit string with separators as a number ("9,900", "9.900", "9,9" + "тыс.")."""
    seps = [c for c in raw if not c.isdigit()]
    if not seps:
        return Decimal(raw)
    if len(set(seps)) > 1:
        last = seps[-1]
        head, _, tail = raw.rpartition(last)
        return Decimal(re.sub(r"\D", "", head) + "." + tail)
    sep = seps[0]
    groups = raw.split(sep)
    if len(seps) > 1 or sep in " '":
        # Thousands groups: one to three digits, then threes ("1,234,567"); "1,234,56"
        # or "1,0000" is a typing error, not a number to guess at.
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise _malformed(raw)
        return Decimal(raw.replace(sep, ""))
    digits_after = len(groups[1])
    grouping = digits_after == 3 and not (has_multiplier and sep == decimal_mark)
    if grouping:
        return Decimal(raw.replace(sep, ""))
    if sep != decimal_mark:
        raise _malformed(raw)
    return Decimal(raw.replace(sep, "."))


def _malformed(raw: str) -> PhraseError:
    return PhraseError(
        raw,
        f"{raw!r} is not a well-formed number",
        "group thousands by three ('10,000') and write decimals with the table's "
        "decimal mark ('9.5', or '9,5' in Russian)",
    )


def _number_at(tokens: list[Token], i: int, lang: Language) -> tuple[Decimal, int] | None:
    """A number starting at token i: digits (with a multiplier) or number words."""
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.kind == "num":
        # "10 thousand", "10k", "9,9 тыс."; one multiplier is read.
        mult = lang.multipliers.match(tokens, i + 1)
        unit, end = mult if mult is not None else (1, i + 1)
        try:
            value = _numeral(tok.text, lang.decimal_mark, mult is not None)
        except InvalidOperation:
            return None
        return value * unit, end
    if tok.kind == "word" and (tok.text in lang.numbers or tok.text in lang.article):
        return _number_words(tokens, i, lang)
    return None


def _number_words(tokens: list[Token], i: int, lang: Language) -> tuple[Decimal, int] | None:
    total: float = 0
    current: float = 0
    seen = False
    after_multiplier = False
    j = i
    n = len(tokens)
    while j < n:
        tok = tokens[j]
        if tok.kind == "word" and tok.text in lang.numbers:
            current += lang.numbers[tok.text]
            seen = True
            j += 1
            continue
        mult = lang.multipliers.match(tokens, j)
        if mult is not None and tok.kind == "word":
            unit, end = mult
            if not seen and j > i and tokens[j - 1].text not in lang.article:
                break
            if unit >= 1000 and current == 0 and total and after_multiplier:
                # "a thousand thousand": the second multiplier multiplies.
                total *= unit
            elif unit >= 1000:
                total += (current or 1) * unit
                current = 0
            else:
                current = (current or 1) * unit
            seen = True
            after_multiplier = True
            j = end
            continue
        after_multiplier = False
        # "a million", and after a fraction word "half a million".
        if tok.kind == "word" and tok.text in lang.article and (not seen or 0 < current < 1):
            nxt = lang.multipliers.match(tokens, j + 1)
            if nxt is None:
                break
            j += 1
            continue
        if (
            seen
            and tok.text in lang.number_joiners
            and j + 2 < n
            and tokens[j + 1].text in lang.article
            and 0 < lang.numbers.get(tokens[j + 2].text, 1) < 1
        ):
            # "one and a half thousand"
            current += lang.numbers[tokens[j + 2].text]
            j += 3
            continue
        if seen and (tok.text in lang.number_joiners or (tok.text == "-" and j + 1 < n)):
            nxt_tok = tokens[j + 1] if j + 1 < n else None
            if nxt_tok is not None and nxt_tok.kind == "word" and nxt_tok.text in lang.numbers:
                if tok.text == "-" and not (
                    _adjacent(tokens[j - 1], tok) and _adjacent(tok, nxt_tok)
                ):
                    break
                j += 1
                continue
        break
    if not seen:
        return None
    return Decimal(total + current), j


def _number_unit(tokens: list[Token], start: int, end: int, lang: Language) -> int:
    """The multiplier that ends the number tokens[start:end], or 1."""
    for first in range(start + 1, end):
        hit = lang.multipliers.match(tokens, first)
        if hit is not None and hit[1] == end:
            return int(hit[0])
    return 1


def _whole(value: Decimal, tokens: list[Token], start: int, end: int) -> int:
    if value > MAX_COUNT:
        raise PhraseError(
            _span(tokens, start, end),
            f"{_span(tokens, start, end)[:40]!r} is more than 10^10 people",
            "check the digits and separators",
        )
    if value != value.to_integral_value():
        raise PhraseError(
            _span(tokens, start, end),
            f"{_span(tokens, start, end)!r} is not a whole number of people",
            "write the count as stated, e.g. '9,900' or '9.9 thousand'",
        )
    return int(value)


def _not_a_count(tokens: list[Token], start: int, end: int, value: Decimal, lang: Language) -> bool:
    """Dates, years, percentages, durations, units, money, ordinals and names are not
    counts. A number a qualifier introduces ("in excess of 2000") or that opens a range
    ("from 2000 to 3000") is a count, whatever year it could be."""
    first, last = tokens[start], tokens[end - 1]
    after = tokens[end] if end < len(tokens) else None
    before = tokens[start - 1] if start > 0 else None
    if after is not None and after.kind == "word" and _adjacent(last, after):
        if after.text in lang.ordinal_suffixes:
            return True
        if lang.multipliers.match(tokens, end) is None:
            return True  # "19a", "10km"
    if (
        after is not None
        and after.text == "-"
        and end + 1 < len(tokens)
        and tokens[end + 1].text in lang.ordinal_suffixes
        and _adjacent(after, tokens[end + 1])
    ):
        return True  # "5-го"
    if before is not None and before.kind == "word" and _adjacent(before, first):
        return True  # "G20"
    if (
        before is not None
        and before.text in {"-", "#", "№"}
        and _adjacent(before, first)
        and start >= 2
        and tokens[start - 2].kind == "word"
        and _adjacent(tokens[start - 2], before)
    ):
        return True  # "covid-19", "Su-25"
    if before is not None and before.text in {"#", "№"}:
        return True
    follow = end + 1 if after is not None and after.text == "-" else end
    if lang.not_counts.match(tokens, follow) is not None:
        return True
    if before is not None and (before.text,) in lang.currency:
        return True
    introduced = lang.qualifiers.ending_at(tokens, start) is not None
    joiner = lang.range_joiners.match(tokens, end)
    second = _number_at(tokens, joiner[1], lang) if joiner is not None else None
    opens_range = second is not None
    day_like = 1 <= value <= 31 and value == int(value)
    month_before = before is not None and (
        before.text in lang.months
        or (before.text == "." and start >= 2 and tokens[start - 2].text in lang.months)
    )
    if not introduced and second is not None and day_like and 1 <= second[0] <= 31:
        # A range of days next to a month is a date: "5-6 January", "Jan 5-6".
        after_second = tokens[second[1]] if second[1] < len(tokens) else None
        if month_before or (after_second is not None and after_second.text in lang.months):
            return True
    if (
        day_like
        and before is not None
        and before.text in {"-", "–", "—"}
        and start >= 3
        and tokens[start - 2].kind == "num"
        and tokens[start - 3].text in lang.months
    ):
        return True  # the second day of "Jan 5-6"
    if introduced or opens_range:
        return False
    year_like = (
        first.kind == "num" and end - start == 1 and first.text.isdigit() and len(first.text) == 4
    )
    # A month name makes a day number or a year a date ("January 11", "11 января",
    # "Jan. 7"), never a count such as "200 may have died".
    if (day_like or year_like) and (
        month_before or (after is not None and after.text in lang.months)
    ):
        return True
    if year_like and 1800 <= int(first.text) <= 2100:
        window = tokens[max(0, start - 4) : start]
        if any(t.text in lang.months for t in window):
            return True
        if before is not None and before.text in lang.year_words:
            return True
        if after is not None and after.text in lang.year_suffixes:
            return True
    return False


def _qualifier_before(tokens: list[Token], start: int, lang: Language) -> str | None:
    name: str | None = lang.qualifiers.ending_at(tokens, start)
    return name


def _suffix_after(tokens: list[Token], fig: _Figure, lang: Language) -> str | None:
    hit = lang.suffixes.match(tokens, fig.end)
    if hit is None:
        return None
    name, fig.end = hit
    return str(name)


@cache
def _default_reader(profile: str, lang: str | None) -> Reader:
    return Reader(profile, lang)


def parse_quantity(text: str, *, lang: str | None = None, profile: str = "default") -> Quantity:
    """How figrecon reads a phrase: `parse_quantity("some 9,900")` is approx [9850, 9950].

    Raises PhraseError (quoting the phrase) when it does not state exactly one figure."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)  # parse_quantity(225) is the phrase "225"
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity takes a phrase (a str), not {type(text).__name__}")
    return _default_reader(profile, lang).read(text)
