"""The evidence report an officer attaches: one row per DTI indicator, best evidence first.

HTML (one self-contained file, no scripts, no remote resources) and XLSX (sheet
"Minh chứng" one row per indicator, "Tất cả" every ranked item, "Chưa có" the
indicators without evidence). Indicators without evidence are listed plainly. XLSX
needs openpyxl (`pip install 'vanban[xlsx]'`); HTML needs nothing.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Optional

from vanban.extras import need
from vanban.pipeline.cli.output import safe_cell

STATUS_TEXT = {"found": "có minh chứng", "none": "chưa có minh chứng",
               "unnamed": "chưa xác định tên chỉ số (danh mục còn nghi vấn)"}

_CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 24px; color: #1b1b1b; }
h1 { font-size: 20px; margin-bottom: 4px; } h2 { font-size: 16px; margin-top: 28px; }
p.meta { color: #555; margin-top: 0; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: 5px 7px; vertical-align: top; text-align: left; }
th { background: #e8eef5; }
tr.main td { background: #f4f4f4; font-weight: bold; }
tr.none td.evidence, tr.unnamed td.evidence { color: #9a3412; font-style: italic; }
td.code { white-space: nowrap; } td.score { text-align: right; white-space: nowrap; }
blockquote { margin: 4px 0; padding-left: 8px; border-left: 3px solid #7aa0c8; color: #333; }
.reason { color: #555; font-size: 12px; } .value { font-weight: bold; }
"""


def _value(e: dict) -> str:
    if e.get("value") is None:
        return ""
    value = e["value"]
    text = f"{value:,.0f}".replace(",", ".") if value >= 1000 and value == int(value) else f"{value:g}".replace(".", ",")
    return f"{text} {e.get('unit') or ''}".strip()


def _where(e: dict) -> str:
    page = f", tr. {e['page']}" if e.get("page") else ""
    return f"{e['document']}{page}" + (f" (tệp {e['source']})" if e.get("source") and e["source"] != e["document"] else "")


def render_html(results: list, province: str, year: Optional[int], catalogue_version: str,
                threshold: float) -> str:
    """results: IndicatorEvidence.as_dict() items. Returns the whole HTML page."""
    esc = html.escape
    found = sum(1 for r in results if r["status"] == "found")
    rows, main = [], None
    for r in results:
        if r["main_index"] != main:
            main = r["main_index"]
            rows.append(f'<tr class="main"><td colspan="5">{esc(main)}</td></tr>')
        name = esc(r["name"] or "(chưa xác định)")
        if r["evidence"]:
            best = r["evidence"][0]
            value = _value(best)
            cell = (f'<div>{esc(_where(best))}</div>' + (f'<div class="value">{esc(value)}</div>' if value else "") +
                    f'<blockquote>{esc(best["quote"])}</blockquote><div class="reason">{esc(best["reason"])}</div>')
            more = "".join(f'<li>{esc(_where(e))}: {esc(e["quote"][:160])} ({e["score"]:.2f})</li>'
                           for e in r["evidence"][1:])
            if more:
                cell += f'<div class="reason">Khác:<ul>{more}</ul></div>'
            score = f'{best["score"]:.2f}'
        else:
            cell, score = esc(STATUS_TEXT[r["status"]]), ""
        rows.append(f'<tr class="{r["status"]}"><td class="code">{esc(r["indicator"])}</td><td>{name}</td>'
                    f'<td>{esc(r["evidence_kind"] or "")}</td><td class="evidence">{cell}</td>'
                    f'<td class="score">{score}</td></tr>')
    missing = "".join(f'<li>{esc(r["indicator"])} — {esc(r["name"] or STATUS_TEXT["unnamed"])}</li>'
                      for r in results if r["status"] != "found")
    title = f"Minh chứng chỉ số chuyển đổi số (DTI) — {province}" + (f" — năm {year}" if year else "")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{esc(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{esc(title)}</h1>
<p class="meta">Bộ chỉ số: {esc(catalogue_version)}. {found}/{len(results)} chỉ số có minh chứng
(điểm tin cậy ≥ {threshold:.2f}). Mỗi minh chứng ghi văn bản, trang và trích dẫn nguyên văn.</p>
<table>
<thead><tr><th>Mã</th><th>Chỉ số thành phần</th><th>Loại</th><th>Minh chứng tốt nhất</th><th>Điểm</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<h2>Chỉ số chưa có minh chứng ({len(results) - found})</h2>
<ul>{missing}</ul>
</body></html>
"""


def write_html(path: Path, results: list, **meta) -> None:
    Path(path).write_text(render_html(results, **meta), encoding="utf-8")


HEADER_FILL = "E8EEF5"  # the HTML report's header blue


def _sheet(wb, title: str, header: list, rows: list, widths: list):
    styles = need("openpyxl.styles", "the XLSX evidence report")
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = styles.Font(bold=True), styles.PatternFill("solid", fgColor=HEADER_FILL)
    for row in rows:
        ws.append([safe_cell(value) for value in row])  # a quote starting with = stays text
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    ws.freeze_panes = "A2"
    return ws


def write_xlsx(path: Path, results: list, province: str, year: Optional[int], catalogue_version: str,
               threshold: float) -> None:
    """Three sheets: best evidence per indicator, every ranked item, indicators without evidence."""
    wb = need("openpyxl", "the XLSX evidence report").Workbook()
    wb.remove(wb.active)
    best_rows, all_rows = [], []
    for r in results:
        e = r["evidence"][0] if r["evidence"] else None
        best_rows.append([r["indicator"], r["main_index"], r["name"] or "(chưa xác định)", r["evidence_kind"],
                          STATUS_TEXT[r["status"]], e and e["document"], e and e["page"], e and e["quote"],
                          e and e["value"], e and e["unit"], e and e["as_of"], e and e["score"], e and e["reason"],
                          e and e["source"]])
        for rank, e in enumerate(r["evidence"], 1):
            all_rows.append([r["indicator"], rank, e["kind"], e["document"], e["page"], e["quote"], e["value"],
                             e["unit"], e["as_of"], e["score"], e["reason"], e["source"]])
    _sheet(wb, "Minh chứng", ["Mã", "Chỉ số chính", "Chỉ số thành phần", "Loại", "Tình trạng", "Văn bản", "Trang",
                              "Trích dẫn", "Giá trị", "Đơn vị", "Thời điểm", "Điểm", "Lý do", "Tệp"],
           best_rows, [7, 18, 40, 11, 16, 18, 6, 60, 12, 10, 12, 7, 40, 26])
    _sheet(wb, "Tất cả", ["Mã", "Hạng", "Nguồn", "Văn bản", "Trang", "Trích dẫn", "Giá trị", "Đơn vị", "Thời điểm",
                          "Điểm", "Lý do", "Tệp"], all_rows, [7, 6, 10, 18, 6, 60, 12, 10, 12, 7, 40, 26])
    _sheet(wb, "Chưa có", ["Mã", "Chỉ số thành phần", "Tình trạng"],
           [[r["indicator"], r["name"] or "(chưa xác định)", STATUS_TEXT[r["status"]]]
            for r in results if r["status"] != "found"], [7, 70, 40])
    info = wb.create_sheet("Thông tin")
    for row in [["Tỉnh", province], ["Năm", year or "(mọi năm)"], ["Bộ chỉ số", catalogue_version],
                ["Ngưỡng điểm", threshold]]:
        info.append([safe_cell(value) for value in row])
    wb.save(path)
