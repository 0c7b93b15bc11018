"""A document's identity from its header and signature: số/ký hiệu, ngày, cơ quan ban hành,
tỉnh, địa danh, trích yếu, người ký and chức vụ.

When the header is lost (a text extraction that dropped it) the body still says a
lot: "Sở Lao động - Thương binh và Xã hội xây dựng Kế hoạch …", "Trên đây là Kế hoạch …",
"TM. ỦY BAN NHÂN DÂN". Those fill what they can; the rest stays None with a reason.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Optional

import regex

from extractors.dates import find_dates
from extractors.structure import QUOC_HIEU, is_caps, type_line
from models.knowledge import agencies, doc_types, provinces, surnames, type_by_abbreviation
from models.records import Identity, Passage
from models.vietnamese import fix_d, fold

# Số: 187 /KH-UBND · Số 3260-KH/ĐĐQH15 · Số: 370/2025/NĐ-CP · Số: /BC-STTTT
SYMBOL_PART = r"[A-ZĐƯ][\wĐđƯư&.]*(?:\s*[-/]\s*[A-ZĐƯ\d][\wĐđƯư&.]*)*"
NUMBER_LINE = regex.compile(
    # "Số: 187", and "Luật số: 119" / "số:" alone on a line; "Kế hoạch số 55/…" in running text is a citation
    rf"(?:(?<![\p{{L}}\d])Số\s*[:.]?|(?m:^)(?:\p{{Lu}}\p{{Ll}}*(?:\s+\p{{Ll}}+)?\s+)?số\s*:)\s*(?P<number>\d{{1,5}}(?:\.\d{{1,3}})?[a-z]?)?\s*(?:(?P<year>/\s*(?:19|20)\d\d)\s*)?(?P<sep>[/-])\s*(?P<symbol>{SYMBOL_PART})"
)
TIEU_NGU = regex.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", regex.I)
PLACE_DATE = regex.compile(r"(?P<place>(?:TP\.?\s*|Tp\.?\s*)?[\p{Lu}Đ][\p{L}.]*(?:\s+[\p{Lu}Đ][\p{L}.]*){0,3})\s*,\s*ngày")
ROLE = (r"(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|BÍ\s+THƯ|TRƯỞNG\s+BAN|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|"
        r"CHÁNH\s+VĂN\s+PHÒNG|TỔNG\s+GIÁM\s+ĐỐC|TRƯỞNG\s+PHÒNG|TỔNG\s+CỤC\s+TRƯỞNG|CỤC\s+TRƯỞNG|"
        r"THỨ\s+TRƯỞNG|VIỆN\s+TRƯỞNG|HIỆU\s+TRƯỞNG|TRƯỞNG\s+ĐOÀN|THƯ\s+KÝ|THỐNG\s+ĐỐC|TỔNG\s+KIỂM\s+TOÁN)")
ROLE_LINE = regex.compile(rf"(?:^|\s)(?P<role>{ROLE})(?:\s|$)")
# A person's name: 2–5 capitalised syllables (Nguyễn Văn Sơn) or all capitals.
NAME = regex.compile(r"^(?:[\p{Lu}Đ][\p{Ll}đ]+\s+){1,4}[\p{Lu}Đ][\p{Ll}đ]+$|^(?:[\p{Lu}Đ]+\s+){1,4}[\p{Lu}Đ]+$")
OPENING_ISSUER = regex.compile(r"^(?P<agency>(?:Sở|Ủy ban nhân dân|UBND|Ban|Bộ|Văn phòng|Hội đồng nhân dân)[^,.;:]{2,80}?)\s+(?:xây dựng|ban hành|báo cáo|thông báo|hướng dẫn)\s")


def _caps_to_name(caps: str) -> str:
    """'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' → 'Sở Thông tin và Truyền thông' using the knowledge bases."""
    folded = fold(" ".join(caps.split()))
    for agency in agencies().values():
        if fold(agency.name) == folded:
            return agency.name
    for province in provinces():
        if folded.endswith(fold(province)):
            head = caps[: len(caps) - len(province)].strip()
            return (_caps_to_name(head) + " " if head else "") + province
    special = {"tinh": "tỉnh", "thanh pho": "thành phố", "uy ban nhan dan": "Ủy ban nhân dân",
               "hoi dong nhan dan": "Hội đồng nhân dân", "tinh uy": "Tỉnh ủy"}
    if folded in special:
        return special[folded]
    words = caps.lower().split()
    return " ".join([words[0].capitalize()] + words[1:]) if words else caps


def _title_case_role(caps: str) -> str:
    """'PHÓ CHỦ TỊCH' → 'Phó Chủ tịch'; 'GIÁM ĐỐC' → 'Giám đốc'."""
    words = caps.lower().split()
    if not words:
        return caps
    out = [words[0].capitalize()]
    rest = words[1:]
    if words[0] == "phó" and rest:
        out.append(rest[0].capitalize())
        rest = rest[1:]
    return " ".join(out + rest)


def _province_in(text: str) -> Optional[str]:
    folded = fold(text)
    for province in provinces():
        if fold(province) in folded:
            return province
    return None


@lru_cache(maxsize=None)
def _province_mention() -> tuple[regex.Pattern, dict]:
    """One pattern for 'tỉnh/thành phố <province>' over folded text, and folded name → province."""
    names = {fold(p): p for p in provinces()}
    alternation = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    return regex.compile(rf"(?:tinh|thanh pho|tp\.?)\s+({alternation})\b"), names


def _dominant_province(text: str) -> Optional[str]:
    """The province the text names most, after 'tỉnh'/'thành phố': the document's own."""
    pattern, names = _province_mention()
    counts = Counter(names[m.group(1)] for m in pattern.finditer(fold(text)))
    return counts.most_common(1)[0][0] if counts else None


def _issuer_from_header(lines: list[str]) -> Optional[str]:
    """Issuer lines sit left of (or above) the quốc hiệu: 'ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN'."""
    parts = []
    for line in lines:
        if NUMBER_LINE.search(line) or regex.search(r",\s*ngày|^[\d/]|^[SsŚ][ốỐ]\s*:?$", line) or type_line(line):
            break
        line = TIEU_NGU.sub(" ", QUOC_HIEU.sub(" ", line))
        line = regex.sub(r"[-_*#]{2,}", " ", line).strip(" -–_*")
        if not line or not any(c.isalpha() for c in line):
            continue
        if not is_caps(line):  # issuer lines are in capitals; anything else ends them
            break
        parts.append(line)
    if not parts:
        return None
    names = [_caps_to_name(p) for p in parts]
    if len(names) >= 2 and regex.match(r"^(?:tỉnh|thành phố)\b", names[1]):
        names = [names[0] + " " + names[1]] + names[2:]
    # 'UBND TỈNH TUYÊN QUANG / SỞ THÔNG TIN …' → the Sở of that province
    if len(names) >= 2:
        parent_province = _province_in(names[0])
        child = names[-1]
        if parent_province and not _province_in(child):
            return f"{child} {'thành phố' if 'thành phố' in names[0] else 'tỉnh'} {parent_province}"
        return child
    return names[0]


def _issuer_from_symbol(symbol: Optional[str], province: Optional[str]) -> Optional[str]:
    if not symbol:
        return None
    for part in reversed(regex.split(r"[-/]", symbol)):
        agency = agencies().get(fix_d(part).upper())
        if agency and part.upper() not in type_by_abbreviation():
            if agency.level == "national":
                return agency.name
            return f"{agency.name} tỉnh {province}" if province else None
    return None


def _signature(passages: list[Passage]) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(signer, signer_title, the 'TM.' body line) from the signature block."""
    block = [p.text for p in passages if p.kind == "signature"]
    if not block:
        block = [p.text for p in passages[-8:] if p.kind != "footnote"]
    role = on_behalf = signer = None
    for line in block:
        if regex.match(r"^(?:TM\.|T/M)", line):
            on_behalf = line
        m = ROLE_LINE.search(line)
        if m and not regex.match(r"^(?:KT\.|K/T|TM\.|T/M|Q\.|TL\.|TUQ\.)", line):
            role = m.group("role")
        elif m and role is None:
            role = m.group("role")
    for line in reversed(block):
        clean = regex.sub(r"\s*\(?(?:đã ký|Đã ký|ký)\)?\s*", " ", line).strip()
        if (NAME.match(clean) and clean.split()[0].lower() in surnames()
                and not ROLE_LINE.search(clean) and not regex.search(ROLE, clean.upper())):
            signer = clean if not clean.isupper() else " ".join(w.capitalize() for w in clean.lower().split())
            break
    return signer, (_title_case_role(role) if role else None), on_behalf


def extract_identity(text: str, passages: list[Passage]) -> Identity:
    """Identity of a document from its cleaned text and segmented passages.

    >>> from extractors.structure import segment
    >>> t = "Số: 187 /KH-UBND\\nTuyên Quang, ngày 03 tháng 10 năm 2022\\nKẾ HOẠCH\\nNâng cao chỉ số chuyển đổi số"
    >>> extract_identity(t, segment(t)).id
    '187/KH-UBND'
    """
    ident = Identity()
    header = [p for p in passages if p.kind == "header"]
    header_lines = [p.text for p in header]
    head_text = "\n".join(header_lines)
    head_offset = header[0].start if header else 0

    # số / ký hiệu
    m = NUMBER_LINE.search(head_text)
    if m:
        symbol = fix_d(regex.sub(r"\s+", "", m.group("symbol"))).rstrip(".").replace("TƯ", "TW")
        ident.symbol = symbol
        number = m.group("number")
        year = regex.sub(r"\D", "", m.group("year") or "")
        if number:
            ident.number = number
            ident.id = f"{number}/{year}/{symbol}" if year else f"{number}{m.group('sep')}{symbol}"
            ident.spans["id"] = (head_offset + m.start(), head_offset + m.end())
        else:
            ident.notes["id"] = "the header leaves the number blank (Số: /" + symbol + ")"
    else:
        ident.notes["id"] = "no 'Số:' line in the header" if header else "header not found in the text"

    # địa danh, ngày
    # the issue date is the one after the place ("Lạng Sơn, ngày …") or a worded one
    # alone on its line; dates inside the trích yếu belong to other documents
    dates = []
    for line in header_lines:
        pm = PLACE_DATE.search(line)
        if not pm and not regex.match(r"^\s*ngày\s", line, regex.I):
            continue
        line_at = head_text.find(line)
        dates = [d for d in find_dates(head_text, line_at, line_at + len(line))][:1]
        if pm:
            place = pm.group("place").strip()
            place = regex.sub(r"^.*?/\s*\S+\s+", "", place) if "/" in place else place
            ident.place = _province_in(place) or place
        break
    if dates:
        ident.date = dates[0].iso
        ident.spans["date"] = (head_offset + dates[0].start, head_offset + dates[0].end)
        if len(ident.date) == 7:
            ident.notes["date"] = "the header leaves the day blank"
    else:
        ident.notes["date"] = "no date in the header" if header else "header not found in the text"
        # a law or a Quốc hội resolution is dated where it is passed: "… thông qua ngày 10 tháng 12 năm 2025"
        for p in reversed([p for p in passages if p.kind != "footnote"][-15:]):
            passed = regex.search(r"thông\s+qua\s+ngày", p.text)
            found = list(find_dates(text, p.start + passed.start(), p.end)) if passed else []
            if found:
                ident.date = found[0].iso
                ident.spans["date"] = (found[0].start, found[0].end)
                ident.notes["date"] = "the date it was passed (thông qua ngày …), stated at the end"
                break

    # loại văn bản
    for line in header_lines:
        ident.type = type_line(line) or ident.type
        if ident.type:
            break
    if not ident.type and ident.symbol:
        first = regex.split(r"[-/]", ident.symbol)[0].upper()
        ident.type = type_by_abbreviation().get(first)
        if not ident.type and regex.search(r"^V/v|\nV/v", head_text):
            ident.type = "Công văn"
    if not ident.type:
        closing = [regex.search(r"(?:Trên đây là|^)\s*(?P<type>\p{Lu}\p{Ll}*\s+\p{Ll}+)\s+(?:này|.*?\./\.)", p.text)
                   for p in passages[-40:] if p.kind in ("paragraph", "heading", "item")]
        names = {t.name for t in doc_types()}
        for cm in closing:
            if cm and cm.group("type") in names:
                ident.type = cm.group("type")
                ident.notes["type"] = "inferred from the closing sentence (no type line in the text)"

    # trích yếu: header lines after the type line
    if header:
        after = False
        title_parts = []
        for line in header_lines:
            if after:
                title_parts.append(regex.sub(r"^(?:V/v|Về việc)\s*[:.]?\s*", "", line))
            elif type_line(line):
                after = True
        if not after:
            title_parts = [regex.sub(r"^(?:V/v|Về việc)\s*[:.]?\s*", "", l) for l in header_lines if regex.match(r"^(?:V/v|Về việc)", l)]
        ident.title = " ".join(title_parts).strip() or None

    if not ident.title:
        for p in passages[-40:]:
            tm = regex.search(r"Trên đây là\s+(?P<type>\p{Lu}\p{Ll}*\s+\p{Ll}+)\s+(?P<title>[^;.]{10,300}?)\s*(?:[;.]|, đề nghị)", p.text)
            if tm:
                ident.title = tm.group("title")
                ident.notes["title"] = "from the closing sentence (Trên đây là …)"
                break

    # cơ quan ban hành, tỉnh
    issuer = _issuer_from_header(header_lines) if header else None
    province = _province_in(issuer) if issuer else None
    province = province or (ident.place if ident.place in provinces() else None) or _dominant_province(text)
    if not issuer:
        issuer = _issuer_from_symbol(ident.symbol, province)
    if not issuer:
        for p in passages[:30]:
            om = OPENING_ISSUER.match(p.text)
            if om:
                issuer = om.group("agency").strip()
                if province and not _province_in(issuer):
                    issuer += f" tỉnh {province}"
                ident.notes["issuer"] = "stated in the opening paragraph (no header in the text)"
                break
    signer, role, on_behalf = _signature(passages)
    if not issuer and on_behalf:
        name = _caps_to_name(regex.sub(r"^(?:TM\.|T/M)\s*", "", on_behalf))
        issuer = f"{name} tỉnh {province}" if province and not _province_in(name) else name
        ident.notes["issuer"] = "from the signature block (TM. …)"
    if issuer and issuer.startswith("UBND"):
        issuer = "Ủy ban nhân dân" + issuer[4:]
    ident.issuer = issuer
    ident.province = province or _province_in(issuer or "")
    ident.signer, ident.signer_title = signer, role
    if not signer:
        ident.notes["signer"] = "no signer name in the signature block"
    return ident
