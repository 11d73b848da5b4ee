"""Reading YAML claim files, with the line of every key and a refusal of keys given
twice and of structures nested too deeply.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import yaml

from ..text import brief
from .limits import MAX_DEPTH, MAX_FIELDS
from .records import (
    ID_LIST_KEYS,
    RAW_KEYS,
    TOO_DEEP,
    TOO_WIDE,
    FileRecords,
    Marked,
    MarkedList,
    OverLimit,
    error,
    height,
    over_limit,
    records_from,
)

if TYPE_CHECKING:
    pass


_TEXT_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "timestamp", "value", "merge")
)
"""The tags of a scalar kept as its text: every one YAML gives a plain scalar (`=` is a
`value`, `<<` a `merge`), and the same written out (`!!str 300`). Another tag (`!custom
300`, `!!python/object:...`) is built as YAML builds it, which a safe loader refuses
(yaml-syntax), rather than dropped."""


def _written(node: yaml.Node) -> bool:
    """A scalar with a value (not null, ~ or empty), to be kept as its text."""
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag in _TEXT_TAGS
        and not (node.style is None and node.value in ("", "~", "null", "Null", "NULL"))
    )


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that records the line of every mapping, key and list item, keeps
    text fields as written, and notes duplicate keys instead of silently keeping the
    last. Nesting deeper than MAX_DEPTH is refused where it starts, before the
    constructor's recursion (or a structure built of aliases) can go that deep."""

    _depth = 0

    def _enter(self, node: yaml.Node) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise OverLimit(TOO_DEEP, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode) and len(node.value) > MAX_FIELDS:
            raise OverLimit(TOO_WIDE, node.start_mark.line + 1)

    def _built(self, node: yaml.Node, value: Marked | MarkedList, items: Iterable[Any]) -> None:
        self._depth -= 1
        value.height = 1 + max(map(height, items), default=0)
        if value.height > MAX_DEPTH:  # through aliases to structures built before
            raise OverLimit(TOO_DEEP, node.start_mark.line + 1)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Marked:
        self._enter(node)
        # `<<: *defaults` merge keys, as YAML 1.1 defines them; explicit keys win.
        own = sum(k.tag != "tag:yaml.org,2002:merge" for k, _ in node.value)
        self.flatten_mapping(node)
        merged = len(node.value) - own  # flatten puts the merged pairs first
        mapping = Marked()
        mapping.line = node.start_mark.line + 1
        own_keys: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):  # `? [a, b]`: brief, it may be an alias bomb
                key = brief(key)
            elif not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if index >= merged:
                if key in own_keys:
                    mapping.dupes.append((key, line))
                own_keys.add(key)
            value: Any
            if key in RAW_KEYS and _written(value_node):
                value = value_node.value
            elif (
                key in ID_LIST_KEYS
                and isinstance(value_node, yaml.SequenceNode)
                and all(_written(child) for child in value_node.value)
            ):
                # Ids as written: `retracts: [010]` names claim "010", not 8.
                value = MarkedList(child.value for child in value_node.value)
                value.lines = [child.start_mark.line + 1 for child in value_node.value]
            elif key in ID_LIST_KEYS and _written(value_node):
                value = value_node.value
            else:
                value = self.construct_object(value_node, deep=True)
            mapping[key] = value
            mapping.lines[key] = line
        self._built(node, mapping, mapping.values())
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> MarkedList:
        self._enter(node)
        items = MarkedList(self.construct_object(child, deep=True) for child in node.value)
        items.lines = [child.start_mark.line + 1 for child in node.value]
        self._built(node, items, items)
        return items


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


def read_yaml(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        if exc.context_mark is not None and exc.problem_mark is not None:
            started = exc.context_mark.line + 1
            if started != line:
                # An unclosed quote or bracket is reported where it opened.
                problem += f" (from line {started} to line {line})"
                line = started
        out.findings.append(
            error(
                "yaml-syntax",
                name,
                line,
                f"not valid YAML: {problem}",
                "fix the YAML near this line",
            )
        )
        return out
    except OverLimit as exc:
        out.findings.append(over_limit(name, exc.problem, exc.line))
        return out
    except RecursionError:  # the pure-Python parser, without libyaml, recurses first
        out.findings.append(over_limit(name, TOO_DEEP, None))
        return out
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an integer of 4,300 digits
        out.findings.append(
            error("yaml-syntax", name, None, f"not valid YAML: {exc}", "fix the YAML")
        )
        return out
    return records_from(name, data, "YAML", out)
