"""The rule graph: the path back around a rule, found by breadth-first search."""

from __future__ import annotations

from collections import deque

from hypothesis import given
from hypothesis import strategies as st

from equivmetrics._catalog.catalog import Rule
from equivmetrics._catalog.graph import RuleGraph
from equivmetrics._core.expr import parse_expr
from equivmetrics._packs.model import RuleSpec
from equivmetrics.exceptions import Location
from strategies import SETTINGS

KINDS = ("a", "b", "c", "d", "e")


def _rule(n: int, source: str, target: str, reversible: bool) -> Rule:
    spec = RuleSpec(
        id=f"r{n}",
        source_kind=source,
        target_kind=target,
        factor="2",
        reversible=reversible,
        preferred=False,
        note="",
        sources=(),
        location=Location("t.yaml", n + 1),
        factor_location=Location("t.yaml", n + 1),
        pack="t",
    )
    return Rule(spec, parse_expr("2"), (), ())


def _steps(rules: list[tuple[str, str, bool]], start: str, end: str, skip: str) -> int | None:
    """The fewest rules from ``start`` to ``end`` not using rule ``skip``, counted here."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        kind = queue.popleft()
        for n, (source, target, reversible) in enumerate(rules):
            if f"r{n}" == skip:
                continue
            for a, b in [(source, target)] + ([(target, source)] if reversible else []):
                if a == kind and b not in seen:
                    seen[b] = seen[kind] + 1
                    queue.append(b)
    return seen.get(end)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(KINDS), st.sampled_from(KINDS), st.booleans()).filter(
            lambda r: r[0] != r[1]
        ),
        min_size=1,
        max_size=8,
    ),
    st.data(),
)
def test_the_path_back_is_a_shortest_one_that_avoids_the_rule(
    rules: list[tuple[str, str, bool]], data: st.DataObject
) -> None:
    graph = RuleGraph(KINDS, {f"r{n}": _rule(n, *r) for n, r in enumerate(rules)})
    graph.choose_paths()  # the adjacency it works out is the one the paths back read
    for _ in range(3):
        start, end = data.draw(st.sampled_from(KINDS)), data.draw(st.sampled_from(KINDS))
        skip = f"r{data.draw(st.integers(0, len(rules) - 1))}"
        path = graph.path_avoiding(start, end, skip)
        wanted = _steps(rules, start, end, skip)
        if wanted is None:
            assert path is None
            continue
        assert path is not None
        assert len(path) == wanted
        assert all(edge.rule.id != skip for edge in path)
        kinds = [start, *(edge.target for edge in path)]
        assert kinds[-1] == end
        assert all(edge.source == kind for edge, kind in zip(path, kinds, strict=False))
