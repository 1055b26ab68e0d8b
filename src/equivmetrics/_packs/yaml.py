"""Safe YAML reading that keeps every value's location.

* Only PyYAML's safe constructors are reachable: the text is *composed* into a node graph and
  turned into plain Python values here, so no tag can build an arbitrary object.
* YAML 1.1 surprises are switched off: only ``true``/``false`` are booleans (``NO``, ``on``,
  ``y`` stay strings and a field expecting a boolean then says so); ``1:20`` is not sexagesimal
  and ``0777`` is not octal. Integers and floats follow the YAML 1.2 core schema.
* Duplicate mapping keys are errors, reported at the second occurrence.
* Size limits: bytes read, nodes built (aliases count every time they are expanded, so a
  "billion laughs" document is refused quickly), and nesting depth.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import yaml

from equivmetrics._core.quantity import unfit
from equivmetrics.exceptions import Location, Problem

__all__ = ["Limits", "LocatedDict", "LocatedList", "YamlFailure", "read_yaml"]


#: The largest value a limit may take (2**40: a terabyte of pack text).
MAX_LIMIT = 2**40


def _limit(_instance: object, field: Any, value: Any) -> None:
    """A limit is a whole number from 0 to :data:`MAX_LIMIT` (checked when made, not at load)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_LIMIT:
        raise unfit(value, int)(
            f"Limits({field.name}=...) must be a whole number from 0 to 2**40, got {value!r:.40}",
            value=value,
        )


@attrs.frozen
class Limits:
    """Upper bounds applied while reading a pack file; raise them for unusually large packs."""

    max_bytes: int = attrs.field(default=2 * 1024 * 1024, validator=_limit)
    max_nodes: int = attrs.field(default=200_000, validator=_limit)
    max_depth: int = attrs.field(default=64, validator=_limit)


class LocatedDict(dict[str, Any]):
    """A mapping that remembers where it and each of its keys were written."""

    location: Location
    key_locations: dict[str, Location]


class LocatedList(list[Any]):
    """A sequence that remembers where it and each of its items were written."""

    location: Location
    item_locations: list[Location]


class YamlFailure(Exception):
    """Raised internally with the problem that stopped reading; the loader collects it."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class _Resolver(yaml.resolver.BaseResolver):
    """Tag resolution close to the YAML 1.2 core schema (no YAML 1.1 booleans or sexagesimals)."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _PyComposer(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    """Pure-Python composition (used when PyYAML was built without libyaml)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)


_Composer: type[Any]
try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _CComposer(CParser, _Resolver):
        """libyaml's parser and composer (about 15x faster) with this module's resolver."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

    _Composer = _CComposer
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _Composer = _PyComposer


_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def read_yaml(text: str, origin: str, limits: Limits | None = None) -> Any:
    """Parse one YAML document into plain values with locations; raise :class:`YamlFailure`."""
    limits = limits or Limits()
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_bytes:
        raise YamlFailure(
            Problem(
                Location(origin),
                "",
                f"file is {size} bytes, over the limit of {limits.max_bytes}",
                "split the pack, or raise Limits.max_bytes if you trust it",
            )
        )
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(origin, mark.line + 1, mark.column + 1) if mark else Location(origin)
        raise YamlFailure(
            Problem(where, "", f"not valid YAML: {exc.problem or exc.context}")
        ) from None
    except yaml.YAMLError as exc:
        raise YamlFailure(Problem(Location(origin), "", f"not valid YAML: {exc}")) from None
    except RecursionError:  # the pure-Python composer recurses once per level
        raise YamlFailure(
            Problem(
                _too_deep(text, origin, limits.max_depth),
                "",
                f"nested deeper than {limits.max_depth} levels",
            )
        ) from None
    finally:
        composer.dispose()
    if node is None:
        return None
    _check_expanded_size(node, origin, limits)
    return _Builder(origin, limits).build(node, 0)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [value for _, value in node.value]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expanded_size(root: yaml.Node, origin: str, limits: Limits) -> None:
    """Refuse a document whose values, every alias expanded, pass ``max_nodes``, before
    building any of them: a "billion laughs" costs at most ``max_nodes`` steps of counting,
    then one pass over its few distinct nodes.

    Counts as the builder does (each value once per expansion, mapping keys not at all) and
    reports the value at which the builder would have stopped. A document whose aliases form
    a cycle is left to the builder's nesting limit.
    """
    if _within(root, limits.max_nodes):
        return  # every pack file: counted in one walk
    sizes = _expanded_sizes(root)
    budget = limits.max_nodes
    if sizes is None or sizes[id(root)] <= budget:
        return
    node = root
    while True:  # walk to the value the builder would stop at
        budget -= 1
        if budget < 0:
            break
        for child in _children(node):
            if sizes[id(child)] <= budget:
                budget -= sizes[id(child)]
            else:
                node = child
                break
        else:  # pragma: no cover - the children of a node over budget cannot all fit
            break
    mark = node.start_mark
    raise YamlFailure(
        Problem(
            Location(origin, mark.line + 1, mark.column + 1),
            "",
            f"more than {limits.max_nodes} values (counting each alias expansion)",
            "a pack this large is likely an alias bomb; raise Limits.max_nodes if you trust it",
        )
    )


def _expanded_sizes(root: yaml.Node) -> dict[int, int] | None:
    """How many values each distinct node stands for, every alias expanded, by the node's
    ``id``; None when aliases form a cycle."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            visiting.discard(key)
            continue
        if key in sizes:
            continue
        if key in visiting:
            return None  # a cycle of aliases
        visiting.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes


def _within(root: yaml.Node, budget: int) -> bool:
    """Whether the document holds at most ``budget`` values, every alias expanded: counted by
    walking them, so in at most ``budget + 1`` steps whatever the aliases do."""
    stack = [root]
    pop, extend = stack.pop, stack.extend
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    while stack:
        node = pop()
        budget -= 1
        if budget < 0:
            return False
        if isinstance(node, mapping):
            extend([value for _key, value in node.value])
        elif isinstance(node, sequence):
            extend(node.value)
    return True


_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _too_deep(text: str, origin: str, max_depth: int) -> Location:
    """Where nesting first goes past ``max_depth``, found by scanning tokens (no recursion)."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPEN):
                depth += 1
                if depth > max_depth:
                    mark = token.start_mark
                    return Location(origin, mark.line + 1, mark.column + 1)
            elif isinstance(token, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        pass
    return Location(origin)


class _Builder:
    def __init__(self, origin: str, limits: Limits) -> None:
        self.origin = origin
        self.limits = limits
        self.nodes = 0

    def where(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.origin, mark.line + 1, mark.column + 1)

    def fail(self, node: yaml.Node, message: str, hint: str = "") -> YamlFailure:
        return YamlFailure(Problem(self.where(node), "", message, hint))

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.fail(
                node,
                f"more than {self.limits.max_nodes} values (counting each alias expansion)",
                "a pack this large is likely an alias bomb; raise Limits.max_nodes if you trust it",
            )
        if depth > self.limits.max_depth:
            raise self.fail(node, f"nested deeper than {self.limits.max_depth} levels")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, f"unsupported tag {node.tag!r}", "packs use plain YAML only")
            result = LocatedList()
            result.location = self.where(node)
            result.item_locations = []
            for item in node.value:
                result.append(self.build(item, depth + 1))
                result.item_locations.append(self.where(item))
            return result
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, depth: int) -> LocatedDict:
        if node.tag != "tag:yaml.org,2002:map":
            raise self.fail(node, f"unsupported tag {node.tag!r}", "packs use plain YAML only")
        result = LocatedDict()
        result.location = self.where(node)
        result.key_locations = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported in packs")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "mapping keys must be plain strings")
            key = self.scalar(key_node)
            if not isinstance(key, str):
                key = str(key_node.value)
            if key in result:
                first = result.key_locations[key]
                raise self.fail(
                    key_node,
                    f"duplicate key {key!r} (first written at line {first.line})",
                    "each key may appear once in a mapping; remove or rename one",
                )
            result.key_locations[key] = self.where(key_node)
            result[key] = self.build(value_node, depth + 1)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"unsupported tag {node.tag!r}", "packs use plain YAML only")
        value: str = node.value
        if node.tag == "tag:yaml.org,2002:str":
            return value
        if node.tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if node.tag == "tag:yaml.org,2002:null":
            return None
        try:
            if node.tag == "tag:yaml.org,2002:int":
                if len(value) > 400:
                    raise self.fail(node, "integer literal too long")
                return int(value)
            lowered = value.lower()
            if lowered.endswith(("inf", "nan")):
                return float(lowered.replace(".", ""))
            return float(value)
        except ValueError:
            raise self.fail(node, f"{value!r} is not a number") from None
