"""Small-cell suppression for figures shown outside the project team.

A cell counting fewer than ``THRESHOLD`` persons (but at least one) is
suppressed (shown "<5"). Where a shown total would let a reader work a
suppressed cell out by subtraction (one suppressed cell in a row of cells
that add up to a shown total), the smallest other non-zero cell of that row
is suppressed too (the complementary cell), until no row gives one away.
"""

THRESHOLD = 5
SHOWN_AS = "<5"


def is_small(persons) -> bool:
    return persons is not None and 0 < persons < THRESHOLD


def suppressed_cells(cells: list[dict], dimensions: tuple[str, ...], *, total_shown: bool = True):
    """Indices of ``cells`` to suppress.

    Each cell is a dict with the dimension keys and ``persons`` (how many
    persons it counts, the basis of the rule) and ``value`` (what is shown;
    the complementary cell chosen is the smallest by persons). A "row" is
    every group of cells that share the values of all dimensions but one:
    its sum is the figure one gets by asking without that dimension.
    """
    hidden = {i for i, cell in enumerate(cells) if is_small(cell.get("persons"))}
    if not dimensions:
        return hidden
    changed = True
    while changed:
        changed = False
        for dimension in dimensions:
            others = [d for d in dimensions if d != dimension]
            rows: dict[tuple, list[int]] = {}
            for i, cell in enumerate(cells):
                rows.setdefault(tuple(cell.get(d) for d in others), []).append(i)
            for members in rows.values():
                if len(others) == 0 and not total_shown:
                    continue
                small = [i for i in members if i in hidden and (cells[i].get("persons") or 0) > 0]
                if len(small) != 1:
                    continue
                candidates = [
                    i
                    for i in members
                    if i not in hidden
                    and ((cells[i].get("persons") or 0) > 0 or _nonzero(cells[i]))
                ]
                if not candidates:
                    continue
                pick = min(candidates, key=lambda i: (cells[i].get("persons") or 0, i))
                hidden.add(pick)
                changed = True
    return hidden


def _nonzero(cell: dict) -> bool:
    value = cell.get("value")
    return bool(value)
