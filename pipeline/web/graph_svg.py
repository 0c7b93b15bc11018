"""A document's citation neighbourhood as an SVG a browser shows and a person clicks:
citing documents left, the document in the middle, what it cites right, each a link.

Drawn from the rows `cited_by` and `cites` give (the first few of each: a decree cited
by thousands of plans is drawn with the first ones and a count of the rest).
"""
from __future__ import annotations

from html import escape
from typing import Callable

from vanban.pipeline.corpus.graph import RELATION_COLORS, label

MAX_PER_SIDE = 25  # nodes drawn in a column; the rest are counted
ROW_HEIGHT = 22
WIDTH = 960
COLUMNS = (170, 480, 790)  # x of citing, centre, cited
STORED, ABSENT, CENTRE = "#7fb3e6", "#cccccc", "#ff9f40"


def neighbourhood_svg(centre: dict, citing: list[dict], cited: list[dict], link: Callable[[dict], str],
                      more_label: Callable[[int], str]) -> str:
    """The SVG (a string) of centre, the documents citing it and those it cites.

    centre, citing and cited are node rows (so_hieu, year, node_id, absent, relation …);
    link(row) gives a node's URL, more_label(n) the words for n nodes not drawn.
    """
    left, right = citing[:MAX_PER_SIDE], cited[:MAX_PER_SIDE]
    rows = max(len(left) + (len(citing) > len(left)), len(right) + (len(cited) > len(right)), 1)
    height = (rows + 1) * ROW_HEIGHT + 20
    middle = height / 2

    def y_of(i: int, n: int) -> float:
        return middle + (i - (n - 1) / 2) * ROW_HEIGHT

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {WIDTH} {height:.0f}" '
             f'width="{WIDTH}" height="{height:.0f}" role="img">']
    edges, nodes = [], []
    for column, items, total, toward_centre in ((0, left, len(citing), True), (2, right, len(cited), False)):
        n = len(items) + (total > len(items))
        for i, row in enumerate(items):
            x, y = COLUMNS[column], y_of(i, n)
            colour = RELATION_COLORS.get((row.get("relation") or "").split(",")[0], "#9a9a9a")
            x1, x2 = (x + 6, COLUMNS[1] - 8) if toward_centre else (COLUMNS[1] + 8, x - 6)
            y1, y2 = (y, middle) if toward_centre else (middle, y)
            edges.append(f'<line x1="{x1}" y1="{y1:.1f}" x2="{x2}" y2="{y2:.1f}" stroke="{colour}" '
                         f'stroke-width="1.2" marker-end="url(#arrow)"><title>{escape(row.get("relation") or "")}'
                         f'</title></line>')
            nodes.append(_node(row, x, y, "end" if column == 0 else "start", link))
        if total > len(items):
            x, y = COLUMNS[column], y_of(len(items), n)
            nodes.append(f'<text x="{x}" y="{y + 4:.1f}" text-anchor="{"end" if column == 0 else "start"}" '
                         f'class="more">{escape(more_label(total - len(items)))}</text>')
    nodes.append(_node({**centre, "centre": True}, COLUMNS[1], middle, "middle", link))
    parts.append('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
                 'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#888"/></marker></defs>')
    parts += edges + nodes + ["</svg>"]
    return "".join(parts)


def _node(row: dict, x: float, y: float, anchor: str, link: Callable[[dict], str]) -> str:
    colour = CENTRE if row.get("centre") else ABSENT if row.get("absent") else STORED
    name = label(row)
    text_x = x if anchor == "middle" else x - 10 if anchor == "end" else x + 10
    text_y = y - 10 if anchor == "middle" else y + 4
    title = " · ".join(str(v) for v in (row.get("type"), name, row.get("title")) if v)
    return (f'<a href="{escape(link(row))}"><title>{escape(title)}</title>'
            f'<circle cx="{x}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#555" stroke-width="0.6"/>'
            f'<text x="{text_x}" y="{text_y:.1f}" text-anchor="{anchor}">{escape(name)}</text></a>')
