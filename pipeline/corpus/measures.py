"""Ask the store for figures: targets, actuals, percentages, amounts; line them up over years.

    rows = list_measures(db, kind="target", metric="ho so cong viec")
    rows[0]["value"], rows[0]["scope"]      # 90.0 'cấp tỉnh'
    format_value(216_300_000_000, "VND")     # '216,3 tỷ đồng'
    groups = compare_measures(db, "hồ sơ công việc")
    draw_comparison(groups, Path("outputs/ho_so.png"))

Text filters (metric, province, unit) are diacritic-insensitive: both sides are folded,
so "ho so cong viec" finds "hồ sơ công việc".
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import regex
import sqlite_utils

from vanban.extractors.measures import LEVEL_LIST_RE, PROVINCE_WIDE_RE
from vanban.extras import need
from vanban.models.vietnamese import fold

KINDS = ("target", "actual", "other")
# Ways people write the money unit; the store says VND.
_VND_NAMES = {"vnd", "dong", "vn dong"}

# Columns for people (the value formatted) and for scripts (raw numbers, offsets, quote).
TABLE_COLUMNS = ["document", "page", "kind", "value", "metric", "scope", "year", "as_of"]
DATA_COLUMNS = ["doc_id", "so_hieu", "source", "province", "page", "kind", "value", "unit", "metric", "scope",
                "year", "as_of", "bound", "page_start", "page_end", "clean_start", "clean_end", "quote"]
COMPARE_TABLE_COLUMNS = ["year", "kind", "scope", "value", "document"]
COMPARE_DATA_COLUMNS = ["group", "metric_key"] + DATA_COLUMNS


def format_value(value: float, unit: str) -> str:
    """A figure the way Vietnamese documents write it: decimal comma, dot thousands, tỷ/triệu đồng.

    >>> format_value(55.82, "%"), format_value(216_300_000_000, "VND"), format_value(1719, "chứng thư số")
    ('55,82%', '216,3 tỷ đồng', '1.719 chứng thư số')
    """
    if unit == "%":
        return f"{_decimal(value, 2)}%"
    if unit == "VND":
        for scale, name in ((1e9, "tỷ đồng"), (1e6, "triệu đồng")):
            if abs(value) >= scale:
                return f"{_decimal(value / scale, 3)} {name}"
        return f"{_decimal(value, 0)} đồng"
    return f"{_decimal(value, 2)} {unit}"


def _decimal(value: float, places: int) -> str:
    """'1234.5' → '1.234,5': Vietnamese separators, trailing zeros dropped."""
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def metric_key(metric: Optional[str]) -> str:
    """A metric with its levels of government taken out, folded: what to group figures by.

    >>> metric_key("hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng")
    'ho so cong viec duoc xu ly tren moi truong mang'
    """
    return regex.sub(r"\s+", " ", regex.sub(r"[^\w%]+", " ", fold(without_scope(metric or "")))).strip()


def without_scope(metric: str) -> str:
    """A metric with its levels of government and the preposition before them taken out.

    >>> without_scope("hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng")
    'hồ sơ công việc được xử lý trên môi trường mạng'
    """
    # A marker where a scope was, so the preposition left dangling before it goes too.
    text = PROVINCE_WIDE_RE.sub("\x00", LEVEL_LIST_RE.sub("\x00", metric))
    text = regex.sub(r"(?:\s+(?:tại|ở|của|trên))?\s*\x00[\s,]*", " ", text)
    return regex.sub(r"\s+", " ", text).strip(" ,")


def _words_pattern(query: str) -> regex.Pattern:
    """Whole folded words of query: 'ho so' must not match inside 'cho số'."""
    words = fold(query).split()
    return regex.compile(r"(?<!\w)" + r"\s+".join(regex.escape(w) for w in words) + r"(?!\w)")


def list_measures(db: sqlite_utils.Database, kind: Optional[str] = None, metric: Optional[str] = None,
                  unit: Optional[str] = None, province: Optional[str] = None, year: Optional[int] = None,
                  doc_id: Optional[str] = None) -> list[dict]:
    """Stored figures matching every filter given, in document order.

    metric is matched (folded, whole words) against the metric and the quote;
    province against documents.province; unit is '%', 'VND' (or 'đồng') or a counted noun.

    >>> [r["value"] for r in list_measures(db, kind="target", metric="ho so cong viec",  # doctest: +SKIP
    ...                                    year=2021)]
    [90.0, 80.0, 40.0]
    """
    where, args = ["1"], []
    if kind:
        where.append("m.kind = ?")
        args.append(kind)
    if year:
        where.append("m.year = ?")
        args.append(int(year))
    if doc_id:
        where.append("m.doc_id = ?")
        args.append(doc_id)
    sql = f"""select m.*, d.so_hieu, d.source_name as source, d.province from measures m
              join documents d using (doc_id) where {' and '.join(where)}
              order by d.source, m.doc_id, m.seq"""
    rows = [dict(r) for r in db.query(sql, args)]
    if province:
        rows = [r for r in rows if fold(r["province"] or "") == fold(province).strip()]
    if unit:
        wanted = "VND" if fold(unit).strip() in _VND_NAMES else fold(unit).strip()
        rows = [r for r in rows if r["unit"] == wanted or fold(r["unit"]) == wanted]
    if metric and metric.strip():
        pattern = _words_pattern(metric)
        rows = [r for r in rows if pattern.search(fold(r["metric"] or "")) or pattern.search(fold(r["quote"] or ""))]
    for r in rows:
        r["document"] = r["so_hieu"] or r["source"]
    return rows


@dataclass
class MetricGroup:
    """Figures of one metric (scope words aside) across documents and years."""

    key: str  # metric_key of its figures
    label: str  # the shortest stored wording, scope taken out, for people
    unit: str
    rows: list[dict] = field(default_factory=list)


def compare_measures(db: sqlite_utils.Database, metric: str, province: Optional[str] = None,
                     kind: Optional[str] = None) -> list[MetricGroup]:
    """The figures of a metric grouped by what they measure, each group by year, kind and scope.

    >>> group = compare_measures(db, "hồ sơ công việc")[0]  # doctest: +SKIP
    >>> group.label, [(r["year"], r["scope"], r["value"]) for r in group.rows][:2]  # doctest: +SKIP
    ('hồ sơ công việc được xử lý trên môi trường mạng', [(2021, 'cấp tỉnh', 90.0), (2021, 'cấp huyện', 80.0)])
    """
    groups: dict[tuple[str, str], MetricGroup] = {}
    for row in list_measures(db, kind=kind, metric=metric, province=province):
        key = metric_key(row["metric"])
        group = groups.get((key, row["unit"]))
        if group is None:
            group = groups[(key, row["unit"])] = MetricGroup(key, _label(row["metric"]), row["unit"])
        group.rows.append(row)
    for group in groups.values():
        group.label = min((_label(r["metric"]) for r in group.rows), key=len)
        group.rows.sort(key=lambda r: (r["year"] is None, r["year"] or 0, KINDS.index(r["kind"]),
                                       _scope_order(r["scope"]), r["document"]))
    return sorted(groups.values(), key=lambda g: (-len(g.rows), g.key))


def _label(metric: Optional[str]) -> str:
    return without_scope(metric) if metric else "(no metric)"


def _scope_order(scope: Optional[str]) -> int:
    """Province before district before commune; no scope last."""
    folded = fold(scope or "")
    return next((i for i, level in enumerate(("tinh", "huyen", "xa")) if level in folded), 3)


def comparison_rows(groups: list[MetricGroup]) -> list[dict]:
    """The groups flattened for JSON or CSV: each figure with its group's label and key."""
    return [{"group": g.label, "metric_key": g.key, **r} for g in groups for r in g.rows]


# Target and actual differ by marker; scopes by colour.
_MARKERS = {"target": "^", "actual": "o", "other": "s"}
_MAX_PANELS = 6


def draw_comparison(groups: list[MetricGroup], output: Path) -> tuple[Path, int]:
    """Write a chart of the groups: x = year, y = value, one panel per group.

    output ending in .html gets the PNG embedded (base64) with the table under it;
    anything else is written as PNG. Figures without a year sit in a "no year" column.
    Returns the path and how many groups were left out (only the largest six are drawn).
    """
    png = _chart_png(groups)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() in (".html", ".htm"):
        output.write_text(_html(groups, png), encoding="utf-8")
    else:
        output.write_bytes(png)
    return output, max(0, len(groups) - _MAX_PANELS)


def _chart_png(groups: list[MetricGroup]) -> bytes:
    matplotlib = need("matplotlib", "the chart of vanban measures compare")

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    shown = groups[:_MAX_PANELS]
    fig, axes = plt.subplots(max(1, len(shown)), 1, figsize=(9, 3.6 * max(1, len(shown))), squeeze=False)
    palette = plt.get_cmap("tab10")
    scopes = sorted({r["scope"] or "—" for g in shown for r in g.rows},
                    key=lambda s: (_scope_order(None if s == "—" else s), s))
    colour = {s: palette(i % 10) for i, s in enumerate(scopes)}
    for ax, group in zip(axes[:, 0], shown):
        years = sorted({r["year"] for r in group.rows if r["year"] is not None})
        # figures without a year get their own column at the right, so none is hidden
        no_year = (years[-1] + 1) if years else 0
        # a line joins one document's figures of one kind and scope, never two documents
        series: dict[tuple[str, str, str], list[tuple[int, float]]] = {}
        for r in group.rows:
            x = no_year if r["year"] is None else r["year"]
            series.setdefault((r["doc_id"], r["kind"], r["scope"] or "—"), []).append((x, r["value"]))
        for (_, kind, scope), points in sorted(series.items()):
            points.sort()
            # targets a little left, actuals a little right: a year with both stays readable
            shift = {"target": -0.06, "actual": 0.06}.get(kind, 0.0)
            # two figures of one year in one document (levels 3 and 4) are not a trend: no line
            style = "none" if len({x for x, _ in points}) < len(points) else ":" if kind == "target" else "-"
            ax.plot([x + shift for x, _ in points], [y for _, y in points], linestyle=style,
                    marker=_MARKERS.get(kind, "s"), color=colour[scope], markersize=8, linewidth=1)
        ticks = years + ([no_year] if any(r["year"] is None for r in group.rows) else [])
        ax.set_xticks(ticks, [str(y) for y in years] + ["no year"] * (len(ticks) - len(years)))
        ax.set_xlim(ticks[0] - 0.5, ticks[-1] + 0.5)
        ax.set_title(_wrap(group.label, 90), fontsize=10)
        ax.set_ylabel(group.unit)
        ax.grid(alpha=0.3)
        if group.unit == "%":
            ax.set_ylim(0, 105)
    handles = [Line2D([], [], color="grey", marker=_MARKERS[k], linestyle="none", label=k) for k in ("target", "actual")]
    handles += [Line2D([], [], color=colour[s], marker="s", linestyle="none", label=s) for s in scopes]
    axes[0, 0].legend(handles=handles, fontsize=8, loc="best")
    axes[-1, 0].set_xlabel("year")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _html(groups: list[MetricGroup], png: bytes) -> str:
    """One page: the chart, then a table per group (values formatted, the quote as a tooltip)."""
    parts = ["<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>vanban measures compare</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
             "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}</style></head><body>",
             f"<img alt='chart' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"]
    for g in groups:
        parts.append(f"<h2>{html.escape(g.label)} <small>({html.escape(g.unit)})</small></h2><table><tr>"
                     + "".join(f"<th>{c}</th>" for c in COMPARE_TABLE_COLUMNS) + "</tr>")
        for r in g.rows:
            cells = {"year": r["year"], "kind": r["kind"], "scope": r["scope"],
                     "value": format_value(r["value"], r["unit"]), "document": r["document"]}
            parts.append(f"<tr title='{html.escape(r['quote'] or '', quote=True)}'>" + "".join(
                f"<td>{html.escape(str(cells[c]) if cells[c] is not None else '')}</td>"
                for c in COMPARE_TABLE_COLUMNS) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
