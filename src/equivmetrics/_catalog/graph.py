"""The rule graph: one shortest path for every pair of kinds, and cycles that multiply to one.

Rules are edges between kinds (a reversible rule runs both ways). For every pair of kinds the
catalog keeps one shortest path; equally short paths are a problem unless rules marked
``preferred`` settle it. Every cycle of rules must multiply to exactly one, or a result would
depend on the path taken.

A kind may name, in ``not_via``, kinds that no path to or from it may start at, end at or pass
through: an equivalent by energy is not reached through CO2e, say. Such paths are set aside
before the shortest one is chosen; when every shortest path of a pair crosses a kind so named,
the pair has no path.
"""

from __future__ import annotations

import difflib
import math
from collections import deque
from collections.abc import Iterable, Mapping

from equivmetrics._core.expr import Value
from equivmetrics._core.units import UnitScope, unit_factor
from equivmetrics._packs.model import KindSpec
from equivmetrics.exceptions import Problem

from .catalog import Edge, Rule

__all__ = ["RuleGraph"]

_MAX_PATHS = 64


class RuleGraph:
    """The checked rules of a catalog as a graph over its kinds."""

    def __init__(
        self, kinds: Iterable[str], rules: Mapping[str, Rule], specs: Iterable[KindSpec] = ()
    ) -> None:
        self.kinds = tuple(kinds)
        self.rules = rules
        self.problems: list[Problem] = []
        #: :meth:`edges_from` each kind, worked out once: the rules never change.
        self._adjacent: dict[str, list[Edge]] = {}
        self.not_via: dict[str, frozenset[str]] = {}
        for spec in specs:
            if spec.not_via:
                self.not_via[spec.name] = frozenset(spec.not_via)
                self._check_not_via(spec)

    def _check_not_via(self, spec: KindSpec) -> None:
        for name in spec.not_via:
            if name == spec.name:
                message, hint = f"{name!r} is the kind itself", "list other kinds"
            elif name not in self.kinds:
                close = difflib.get_close_matches(name, self.kinds, n=1)
                message = f"unknown kind {name!r}"
                hint = f"did you mean {close[0]!r}?" if close else ""
            else:
                continue
            field = f"kinds.{spec.name}.not_via"
            self.problems.append(Problem(spec.where("not_via"), field, message, hint))

    def crosses(self, start: str, path: Iterable[Edge]) -> bool:
        """Whether ``path`` from ``start`` touches a kind that one of its kinds keeps apart."""
        touched = {start, *(edge.target for edge in path)}
        return any(self.not_via.get(kind, frozenset()) & touched for kind in touched)

    def edges_from(self, kind: str, skip: str | None = None) -> list[Edge]:
        found = []
        for rule in self.rules.values():
            if rule.id == skip:
                continue
            if rule.spec.source_kind == kind:
                found.append(Edge(rule, inverse=False))
            if rule.spec.reversible and rule.spec.target_kind == kind:
                found.append(Edge(rule, inverse=True))
        return found

    def adjacent(self, kind: str) -> list[Edge]:
        """:meth:`edges_from` ``kind`` (the same edges in the same order), worked out once."""
        found = self._adjacent.get(kind)
        if found is None:
            found = self._adjacent[kind] = self.edges_from(kind)
        return found

    def choose_paths(self) -> dict[tuple[str, str], tuple[Edge, ...]]:
        """One shortest path per reachable pair; ties without a preference are problems."""
        adjacency = {kind: self.adjacent(kind) for kind in self.kinds}
        paths: dict[tuple[str, str], tuple[Edge, ...]] = {}
        reported: set[frozenset[str]] = set()
        for start in self.kinds:
            dist = {start: 0}
            preds: dict[str, list[Edge]] = {start: []}
            queue = deque([start])
            while queue:
                node = queue.popleft()
                for edge in adjacency[node]:
                    nxt = edge.target
                    if nxt not in dist:
                        dist[nxt] = dist[node] + 1
                        preds[nxt] = [edge]
                        queue.append(nxt)
                    elif dist[nxt] == dist[node] + 1:
                        preds[nxt].append(edge)
            for end in dist:
                if end != start:
                    chosen = self._choose(start, end, preds, reported)
                    if chosen is not None:
                        paths[(start, end)] = chosen
        return paths

    def _choose(
        self, start: str, end: str, preds: dict[str, list[Edge]], reported: set[frozenset[str]]
    ) -> tuple[Edge, ...] | None:
        """The one shortest path from ``start`` to ``end``, or None (a tie is reported once)."""
        options = [p for p in _enumerate(end, start, preds) if not self.crosses(start, p)]
        if not options:
            return None  # every shortest path crosses a kind that one of its kinds keeps apart
        best = max(sum(e.rule.spec.preferred for e in p) for p in options)
        winners = [p for p in options if sum(e.rule.spec.preferred for e in p) == best]
        if len(winners) == 1:
            return tuple(winners[0])
        pair = frozenset((start, end))
        if pair not in reported:
            reported.add(pair)
            first, second = winners[0], winners[1]
            self.problems.append(
                Problem(
                    second[0].rule.spec.location,
                    f"rules.{second[0].rule.id}",
                    f"equally short paths from {start!r} to {end!r}: "
                    f"{_describe_path(first)} and {_describe_path(second)}",
                    "mark one rule 'preferred: true', or remove one",
                )
            )
        return None

    def check_cycles(self, factors: Mapping[str, Value], units: UnitScope) -> None:
        """Every cycle of rules must multiply to one, or results would depend on the path.

        Each cycle is reported once, at its first rule, however many rules it has.
        """
        seen: set[frozenset[str]] = set()
        for rule in self.rules.values():
            start, end = rule.spec.source_kind, rule.spec.target_kind
            back = self.path_avoiding(end, start, rule.id)
            if back is None:
                continue
            members = frozenset({rule.id, *(e.rule.id for e in back)})
            if members in seen:
                continue
            seen.add(members)
            product = factors[rule.id]
            for edge in back:
                product = _compose(product, factors[edge.rule.id], edge.inverse)
            loop = " -> ".join([start, end, *(e.target for e in back)])
            dims = product.unit.dimensionality
            total = math.nan
            if dims == units.dimensionless.dimensionality:
                total = product.central * unit_factor(product.unit, units.dimensionless)
            if not math.isclose(total, 1.0, rel_tol=1e-9):
                shown = f"{total:.6g}" if math.isfinite(total) else f"a quantity in {dims}"
                self.problems.append(
                    Problem(
                        rule.spec.location,
                        f"rules.{rule.id}",
                        f"rules form a cycle {loop} whose factors multiply to {shown}, "
                        "not 1, so results would depend on the path taken",
                        "remove one rule of the cycle or make the factors agree",
                    )
                )

    def path_avoiding(self, start: str, end: str, skip: str) -> list[Edge] | None:
        previous: dict[str, Edge | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == end:
                path: list[Edge] = []
                while (edge := previous[node]) is not None:
                    path.append(edge)
                    node = edge.source
                return path[::-1]
            for edge in self.adjacent(node):
                if edge.rule.id != skip and edge.target not in previous:
                    previous[edge.target] = edge
                    queue.append(edge.target)
        return None


def _enumerate(end: str, start: str, preds: dict[str, list[Edge]]) -> list[list[Edge]]:
    if end == start:
        return [[]]
    found: list[list[Edge]] = []
    for edge in preds[end]:
        for head in _enumerate(edge.source, start, preds):
            found.append([*head, edge])
            if len(found) >= _MAX_PATHS:
                return found
    return found


def _compose(acc: Value, factor: Value, inverse: bool) -> Value:
    if inverse:
        return Value(
            acc.unit / factor.unit,
            acc.central / factor.central,
            acc.low / factor.high,
            acc.high / factor.low,
        )
    return Value(
        acc.unit * factor.unit,
        acc.central * factor.central,
        acc.low * factor.low,
        acc.high * factor.high,
    )


def _describe_path(path: Iterable[Edge]) -> str:
    steps = list(path)
    kinds = [steps[0].source, *(e.target for e in steps)]
    return " -> ".join(kinds) + f" (rules {', '.join(e.rule.id for e in steps)})"
