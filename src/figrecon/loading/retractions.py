"""Loops of withdrawals: claims whose `retracts` reach back to themselves (R3). Such a
loop says nothing that can be read, so loading refuses it (`retraction-cycle`), for
`check` and `reconcile` alike."""

from __future__ import annotations

from collections.abc import Sequence


def retraction_cycles(
    ids: Sequence[str], retracts: Sequence[Sequence[str] | None]
) -> list[tuple[list[int], str]]:
    """Every group of claims caught in a loop of withdrawals (positions, sorted), with a
    sentence showing one shortest loop through it."""
    # Only claims that withdraw something can be in a loop: the graph is theirs alone,
    # numbered 0..k-1 (an edge to a claim that withdraws nothing leads nowhere).
    withdrawing = [i for i, r in enumerate(retracts) if r]
    local = {ids[i]: k for k, i in enumerate(withdrawing)}
    graph = [[local[t] for t in retracts[i] or () if t in local] for i in withdrawing]
    out = []
    for members in _loops(graph):
        cycle = _cycle_through(min(members), set(members), graph)
        shown = [ids[withdrawing[k]] for k in cycle]
        message = f"claims withdraw each other: {_chain(shown)}"
        if len(members) > len(cycle) - 1:
            message += f", in a loop of {len(members):,} claims"
        out.append((sorted(withdrawing[k] for k in members), message))
    return out


def _loops(graph: list[list[int]]) -> list[list[int]]:
    """The groups of claims that reach each other through `retracts` (the strongly
    connected components of more than one claim, or of one withdrawing itself), by
    Tarjan's algorithm with a stack of its own: a chain of 100,000 withdrawals is
    walked without recursion, in time linear in the claims and withdrawals."""
    order = [-1] * len(graph)
    low = [0] * len(graph)
    held = [False] * len(graph)
    stack: list[int] = []
    found: list[list[int]] = []
    count = 0
    for root in range(len(graph)):
        if order[root] >= 0 or not graph[root]:
            continue
        order[root] = low[root] = count
        count += 1
        stack.append(root)
        held[root] = True
        work = [(root, iter(graph[root]))]
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if order[step] < 0:
                    order[step] = low[step] = count
                    count += 1
                    stack.append(step)
                    held[step] = True
                    work.append((step, iter(graph[step])))
                elif held[step]:
                    low[node] = min(low[node], order[step])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                members = []
                while True:
                    member = stack.pop()
                    held[member] = False
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1 or node in graph[node]:
                    found.append(members)
    return found


def _cycle_through(start: int, members: set[int], graph: list[list[int]]) -> list[int]:
    """A shortest loop of withdrawals from `start` back to it, inside its component."""
    came_from = {start: start}
    queue = [start]
    for node in queue:  # breadth first: the queue grows while it is read
        for step in graph[node]:
            if step == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if step in members and step not in came_from:
                came_from[step] = node
                queue.append(step)
    raise AssertionError("a component of a cycle leads back to each of its members")


_CHAIN_SHOWN = 8


def _chain(ids: list[str]) -> str:
    """A loop of claim ids as `a → b → a`; a long one by its first claims and its end."""
    if len(ids) <= _CHAIN_SHOWN:
        return " → ".join(ids)
    return " → ".join([*ids[:5], "…", *ids[-2:]]) + f" ({len(ids) - 1:,} claims)"
