"""Typed candidate answer spans of a sentence (numbers, dates, names of people, organizations and places,
quoted titles, named things) from regexes and LAC's tags (`qa.text.lac`), in offsets of the normalized
sentence, which map back to the sentence as written."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ..text import lac
from ..text.normalize import to_simplified
from .asking import QuestionType
from .cues import CUE_OF, CUES, LATIN_UNIT, UNIT

Tagged = tuple[str, str, int, int]  # (word, part-of-speech tag, start, end) in a normalized sentence

_CN = "零〇一二两三四五六七八九十百千万亿"
ARABIC = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
_CNNUM = rf"[{_CN}][{_CN}几]*|数[十百千万亿]+|几[十百千万亿]+"
_NUM = rf"(?:{ARABIC}|{_CNNUM})(?:多|余|来)?[十百千万亿]*(?:多|余)?"
_RANGE = r"\s?[-~～至到—–]\s?"
_NUMBER_RE = re.compile(
    rf"百分之(?:{_CNNUM}|{ARABIC})(?:点[{_CN}]+)?(?:{_RANGE}(?:百分之)?(?:{_CNNUM}|{ARABIC}))?"
    rf"|(?:{_CNNUM}|{ARABIC})分之(?:{_CNNUM}|{ARABIC})"
    rf"|第(?:{_NUM}){UNIT}?"
    rf"|{_NUM}(?:{_RANGE}{_NUM})*(?:\s(?:million|billion|trillion|thousand|hundred)(?![a-z]))?"
    rf"(?:\s?{LATIN_UNIT}(?![a-z])|\s(?:percent|per cent)(?![a-z])|{UNIT})?"
)
_ERA_TAIL = r"(?:初年|初期|中期|中叶|末年|末期|上半叶|下半叶|前期|后期|年间|时期|时代|以前|之前|以后|之后|初|中|末|间)"
_DYNASTY = (
    r"(?:[东西南北前后]?(?:汉|晋|宋|齐|梁|陈|魏|周|唐|秦|隋|元|明|清|辽|金|夏|商|蜀|吴|楚|燕|赵|韩|殷)(?:朝|代)"
    r"|[东西南北前后](?:汉|晋|宋|齐|梁|魏|周|唐|秦|辽|蜀|吴|燕|赵)|春秋|战国|三国|五代十国|五代|南北朝|民国|中华民国"
    r"|唐宋|明清|秦汉|魏晋)"
)
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december|" \
          r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
# A year is written in full (1994年, 民国4年); two digits or fewer before 年 alone count years (历时4年).
_DURATION_RE = re.compile(r"\d{1,2}年")
_ERA_BEFORE_RE = re.compile(r"(?:民国|光绪|宣统|同治|咸丰|道光|嘉庆|乾隆|雍正|康熙|顺治|崇祯|万历|嘉靖|洪武|永乐|明治|大正|昭和|平成|令和"
                            r"|贞观|开元|天宝|[元前])$")
_DATE_TAIL = r"(?:以前|之前|以后|之后|以来|前后|左右|期间|间|前|后|起)"
_DATE_RE = re.compile(
    rf"(?:公元前?|西元前?|前)?(?:{_NUM}|元)(?:{_RANGE}{_NUM})?(?:年代|年)(?:[春夏秋冬](?:季|天)?)?"
    rf"(?:{_NUM}月(?:份)?)?(?:{_NUM}[日号])?(?:[上中下]旬|初|底|末|中)?{_DATE_TAIL}?"
    rf"|(?:{_NUM})(?:{_RANGE}{_NUM})?月(?:份)?(?:{_NUM}[日号])?(?:[上中下]旬|初|底|末|中)?{_DATE_TAIL}?"
    rf"|(?:{_NUM})[日号](?![a-z本]){_DATE_TAIL}?"
    rf"|(?:公元前?|西元前?)?{_NUM}世纪(?:{_NUM}年代)?{_ERA_TAIL}?"
    rf"|(?:凌晨|早上|上午|中午|下午|晚上|傍晚|深夜|午夜)?(?:\d{{1,2}}:\d{{2}}|{_NUM}[时点](?:{_NUM}分)?(?:{_NUM}秒)?)"
    rf"|{_DYNASTY}{_ERA_TAIL}?"
    rf"|(?:{_MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s\d{{4}})?|\d{{1,2}}\s(?:{_MONTHS})\.?(?:,?\s\d{{4}})?"
    rf"|(?:(?<=in )|(?<=since )|(?<=by )|(?<=until )|(?<=of ))\d{{4}}s?\b"
)
_QUOTED_RE = re.compile(
    r"《[^《》]{1,40}》|“[^“”]{1,30}”|「[^「」]{1,30}」|『[^『』]{1,30}』|\"[^\"]{1,30}\"|'[^']{1,30}'|〈[^〈〉]{1,30}〉"
)
_CALLED_RE = re.compile(
    r"(" + "|".join(CUES) + r")"
    r"[为作是:]?\s?([^,，、;；:：。\s]{1,20})"
)
_LOCATIVE_RE = re.compile(
    r"(?:位于|坐落于|座落于|坐落在|座落在|坐落|座落|地处|处于|生于|出生于|出生在|出生地为|发源于|起源于|源于|分布于|分布在|"
    r"迁至|迁往|迁到|移居|移居到|前往|来到|到达|抵达|效力于|效力|加盟|就读于|就读|毕业于|任职于|送到|送往|转会至|转会到|"
    r"位在|设在|设于|建于|葬于|葬在|卒于|死于|逝于|流入|注入|隶属于|隶属|属于|来自于|来自)"
    r"([^,，。;；:：()（）\s的]{2,30})"
)
_ADDRESS_RE = re.compile(rf"[\u4e00-\u9fff]{{0,8}}?(?:路|街|大道|大街|巷|弄|道|里)(?:\d+|[{_CN}]+)(?:号|弄)(?:楼)?")
_LATIN_NAME_RE = re.compile(r"[A-Z][A-Za-z0-9'.-]*(?:\s[A-Z][A-Za-z0-9'.-]*)*")
_ORG_SUFFIXES = (
    "公司 集团 大学 学院 学校 中学 小学 研究院 研究所 研究中心 实验室 银行 协会 学会 委员会 基金会 俱乐部 球队 联盟 "
    "联合会 政府 出版社 交易所 法院 检察院 议会 国会 内阁 教会 乐团 乐队 合唱团 剧团 商会 工会 报社 杂志社 通讯社 "
    "新闻社 电视台 电台 工作室 事务所 总部 分局 机构 医院 博物馆 图书馆 美术馆 证券 航空 部 局 厅 署 院 所 社 队 党 "
    "军 团 会 厂 馆 中心 组织 系 处 办 台"
).split()
_PLACE_SUFFIXES = (
    "省 市 县 区 州 镇 乡 村 岛 山 河 湖 海 江 洋 湾 国 洲 街 路 港 峡 半岛 盆地 平原 高原 沙漠 群岛 公园 广场 地区 城 "
    "郡 山脉 街道 社区 机场 车站 站 大道 大桥 桥 宫 寺 府 岭 峰 谷 滩 岸 帝国 王国 共和国 流域"
).split()
_PROPER = {"nr", "nrt", "nrfg", "ns", "nt", "nz"}
_NOUNISH = {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "l", "vn", "eng", "b", "ng", "an", "nl", "ng"}
_GENERIC_TIME = set("当时 目前 现在 此时 此后 之后 以后 以前 之前 同时 其间 期间 后来 随后 最初 当初 最后 最终 如今 今后 "
                    "过去 将来 未来 近年来 近年 多年 长期 当年 当代 古代 现代 近代 时 时期 时间 时候 年 月 日 天".split())

_CJK_RE = re.compile(r"[\u3400-\u9fff]+")
_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff]")
_NAME_STOPS = set("的 和 与 及 是 在 由 被 把 将 了 为 对 向 从 等 或 并 其 之 以 于 人 中 所 曾 也 都 又 就 还 即 乃".split())
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤伍柳庞岳欧阳司"
)
_PERSON_ROLE = tuple("者 人 员 家 师 帝 王 后 督 君 主 官 相 将 长 手".split())
_DOTS = "·・•‧"


@dataclass(frozen=True, slots=True)
class Span:
    """A candidate answer span, in offsets of the normalized sentence."""

    start: int
    end: int
    tier: int = 0
    cue: str = ""  # the naming cue group right before it (alias, former, english …)


def _mapped(text: str) -> tuple[str, list[int]]:
    """`normalize(text)` (spaces kept) and, for each of its characters, the index of the source character."""
    whole = _UNPRINTABLE_RE.sub(" ", unicodedata.normalize("NFKC", text)).lower()
    if len(whole) == len(text):  # the usual case: one character for one
        simplified = to_simplified(whole)
        if len(simplified) == len(whole):
            return simplified, list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            piece = ch.lower() if ch.isprintable() or ch == " " else " "
        else:
            piece = unicodedata.normalize("NFKC", ch).lower()
            if not piece.isprintable():
                piece = " "
        chars.extend(piece)
        origin.extend([i] * len(piece))
    joined = "".join(chars)
    simplified = to_simplified(joined)
    if len(simplified) != len(joined):  # a phrase conversion changed the length: convert one by one
        simplified = "".join(c if len(s := to_simplified(c)) != 1 else s for c in joined)
    return simplified, origin


@lru_cache(maxsize=16384)
def read_sentence(sentence: str) -> tuple[str, tuple[int, ...], tuple[Tagged, ...]]:
    """A sentence normalized, the source index of each of its characters, and its tagged words: the
    same corpus sentences come back question after question, so they are read once."""
    norm, origin = _mapped(sentence)
    return norm, tuple(origin), tuple(_tokens(norm))


def _tokens(norm: str) -> list[Tagged]:
    """(word, tag, start, end) of the normalized sentence; unknown CJK words (tag x) are tagged "xn"."""
    out = []
    at = 0
    for word, flag in lac.tag(norm):
        if flag == "x" and len(word) > 1 and _CJK_RE.fullmatch(word):
            flag = "xn"
        found = norm.find(word, at)  # == at unless the segmenter dropped a character
        at = found if found >= 0 else at
        out.append((word, flag, at, at + len(word)))
        at += len(word)
    return out


def _runs(tokens: Sequence[Tagged], tags: set[str], tier: int = 0) -> list[Span]:
    """Maximal runs of adjacent tokens whose tag is in `tags` (middle dots allowed between them)."""
    spans: list[Span] = []
    start = end = None
    for word, flag, s, e in tokens:
        if flag in tags and word.strip():
            start = s if start is None else start
            end = e
        elif start is not None and word in _DOTS:
            continue
        elif start is not None:
            spans.append(Span(start, end, tier))
            start = None
    if start is not None:
        spans.append(Span(start, end, tier))
    return spans


def _dotted(tokens: Sequence[Tagged]) -> list[Span]:
    """Transliterated names joined by middle dots (斯坦福·莱佛士), each part at most 8 characters."""
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        if tokens[i][0] not in _DOTS:
            i += 1
            continue
        j = i
        while j > 0 and _name_part(tokens[j - 1]) and tokens[i][2] - tokens[j - 1][2] <= 8:
            j -= 1
        k = i
        while k + 1 < len(tokens) and (_name_part(tokens[k + 1]) or tokens[k + 1][0] in _DOTS):
            if tokens[k + 1][0] not in _DOTS and tokens[k + 1][3] - tokens[k][3] > 8:
                break
            k += 1
        if j < i < k and tokens[k][0] not in _DOTS:
            spans.append(Span(tokens[j][2], tokens[k][3], 0))
        i = k + 1
    return spans


def _surnamed(tokens: Sequence[Tagged]) -> list[Span]:
    """A one-character surname cut off from its given name: 宋 + 建成, 伍 + 宗德."""
    spans: list[Span] = []
    for i in range(len(tokens) - 1):
        word, flag, s, _ = tokens[i]
        nxt, nflag, _, e = tokens[i + 1]
        if word in _SURNAMES and flag in ("nr", "nrfg", "nrt") and 1 <= len(nxt) <= 2 and _CJK_RE.fullmatch(nxt) \
                and nxt not in _NAME_STOPS and nflag[0] not in "pcurdmq":
            spans.append(Span(s, e, 0))
    return spans


def _name_part(token: tuple[str, str, int, int]) -> bool:
    """A piece of a transliterated name: a proper or unknown word, or a lone character that is no particle."""
    word, flag = token[0], token[1]
    if not _CJK_RE.fullmatch(word) or word in _NAME_STOPS:
        return False
    if len(word) == 1:
        return flag[0] in "nxab" or flag in ("rg", "ag", "ng", "vg", "m", "q", "v")
    return flag in _PROPER or flag in ("xn", "j", "x")


def _suffixed(tokens: Sequence[Tagged], suffixes: list[str], proper_tier: int, plain_tier: int,
              limit: int = 24) -> list[Span]:
    """Noun phrases ending in a token that ends with one of `suffixes` (清华大学 金融 科技 研究院)."""
    spans: list[Span] = []
    for i, (word, flag, s, e) in enumerate(tokens):
        if not word.endswith(tuple(suffixes)) or flag not in _NOUNISH or len(word) < 1:
            continue
        j = i
        while j > 0 and tokens[j - 1][1] in _NOUNISH and e - tokens[j - 1][2] <= limit:
            j -= 1
        if j == i and len(word) < 2:
            continue
        proper = any(tokens[k][1] in _PROPER or tokens[k][1] == "j" for k in range(j, i + 1))
        spans.append(Span(tokens[j][2], e, proper_tier if proper else plain_tier))
    return spans


def candidates(asked: QuestionType, norm: str, original: str, origin: Sequence[int],
               tokens: Sequence[Tagged], q_after: str = "") -> list[Span]:
    """Typed candidate spans of the sentence; `q_after` is the question's text right after its question word."""
    kind = asked.kind
    starts = {t[2] for t in tokens}
    spans: list[Span] = []
    if kind == "number":
        for m in _NUMBER_RE.finditer(norm):
            s, e = m.span()
            text = m.group()
            if _in_latin_name(norm, s) and not text.startswith(("第", "百")):
                continue  # g60, mp3, sars-cov-2
            if not re.search(r"\d", text):
                if not (s in starts or text.startswith("第")):
                    continue
                core = re.match(rf"[{_CN}几数]+", text.removeprefix("第").removeprefix("百分之"))
                if core is None or (core.group() in ("一", "两") and not text.startswith("第")):
                    if not (core and e - s > len(core.group())):
                        continue
                    spans.append(Span(s, e, 1))
                    continue
            spans.append(Span(s, e, 0))
        spans = [_extend_number(span, tokens, q_after) for span in spans]
    elif kind == "date":
        for m in _DATE_RE.finditer(norm):
            s, e = m.span()
            text = m.group()
            if _counts_years(norm, s, e):
                continue
            if not re.search(r"\d", text):
                if s not in starts and not text.startswith(("公元", "西元")):
                    continue
                if re.fullmatch(rf"[{_CN}]{{1,3}}年", text):  # 三年 — a duration more likely than a date
                    spans.append(Span(s, e, 1))
                    continue
            spans.append(Span(s, e, 0))
        spans = [_extend_date(norm, tokens, span) for span in spans]
        spans += [Span(s, e, 2) for w, f, s, e in tokens
                  if f == "t" and w not in _GENERIC_TIME and len(w) > 1 and not _counts_years(norm, s, e)]
    elif kind == "person":
        after_place = {e for w, f, s, e in tokens if f == "ns"}  # 杭州萧山: a district tagged as a name
        spans += [replace(span, tier=2) if span.start in after_place else span
                  for span in _runs(tokens, {"nr", "nrt", "nrfg"})]
        spans += _dotted(tokens)
        spans += _surnamed(tokens)
        spans += [replace(span, tier=2) if span.start in after_place else span
                  for span in _runs(tokens, {"nr", "nrt", "nrfg", "xn"}, 1)]
        spans += _latin(original, origin, 2)
        spans += [Span(s, e, 2) for w, f, s, e in tokens
                  if (f in ("nz", "j") or (f == "n" and w.endswith(_PERSON_ROLE))) and len(w) > 1]
    elif kind == "organization":
        spans += _suffixed(tokens, _ORG_SUFFIXES, 0, 1)
        spans += [Span(s, e, 0) for w, f, s, e in tokens if f == "nt"]
        spans += _latin(original, origin, 2)
        spans += [Span(s, e, 2) for w, f, s, e in tokens if f in ("nz", "j", "xn") and len(w) > 1]
    elif kind == "place":
        spans += _runs(tokens, {"ns"})
        spans += _suffixed(tokens, _PLACE_SUFFIXES, 0, 1, limit=16)
        spans += [Span(*m.span(1), 0, "locative") for m in _LOCATIVE_RE.finditer(norm)]
        spans = [_extend_address(norm, span) for span in spans]
        spans += _latin(original, origin, 2)
        spans += [Span(s, e, 2) for w, f, s, e in tokens if f in ("nz", "nt", "j", "xn") and len(w) > 1]
    elif kind == "name":
        spans += [Span(*m.span(), 0) for m in _QUOTED_RE.finditer(norm)]
        spans += _called(norm)
        spans += _latin(original, origin, 1 if asked.cue == "english" else 2)
        spans += _runs(tokens, _PROPER | {"j", "xn"}, 1)
        spans += [Span(s, e, 2) for w, f, s, e in tokens if f in ("n", "eng") and len(w) > 1]
    return spans


def _in_latin_name(norm: str, start: int) -> bool:
    """Whether the number at `start` ends a Latin name (g60, mp3, sars-cov-2, dc-9-32): part of it, no count."""
    at = start
    while at > 0 and norm[at - 1] in "-_–":  # over joined parts back to the letters
        at -= 1
        while at > 0 and norm[at - 1].isdigit() and norm[at - 1].isascii():
            at -= 1
    before = norm[at - 1:at]
    return before.isascii() and before.isalpha()


def _extend_number(span: Span, tokens: Sequence[Tagged], q_after: str) -> Span:
    """Take in the measure word after a number (2 + 股, 第三 + 区) and the counted noun the question names
    (多少名观众 → 6,476名 + 观众)."""
    for word, flag, s, e in tokens:
        if s < span.end:
            continue
        if s > span.end:
            break
        if s == span.end and (flag == "q" or (len(word) <= 2 and q_after.startswith(word))
                              or (len(word) == 1 and word in q_after[:2])):
            span = replace(span, end=e)
        else:
            break
    return span


def _called(norm: str) -> list[Span]:
    """What follows a naming cue: 原名X, 艺名X, 简称X, 字X (a one-character cue only after punctuation)."""
    spans = []
    for m in _CALLED_RE.finditer(norm):
        cue = m.group(1)
        if len(cue) == 1 and m.start(1) > 0 and not re.match(r"[\W\d]", norm[m.start(1) - 1]):
            continue
        text = m.group(2)
        depth_ok = text.count("(") == text.count(")")
        end = m.end(2) if depth_ok else m.start(2) + len(re.split(r"[()]", text)[0])
        if end > m.start(2):
            spans.append(Span(m.start(2), end, 0, CUE_OF[cue]))
    return spans


def _extend_address(norm: str, span: Span) -> Span:
    """Carry a place on to its street number: 合肥市 + 黄山路599号."""
    m = _ADDRESS_RE.match(norm, span.end)
    return replace(span, end=m.end()) if m else span


def _counts_years(norm: str, start: int, end: int) -> bool:
    """Whether norm[start:end] counts years (历时4年) rather than names one: two digits or fewer before
    年, no era name before them."""
    return bool(_DURATION_RE.fullmatch(norm, start, end)) and not _ERA_BEFORE_RE.search(norm, max(0, start - 4), start)


def _extend_date(norm: str, tokens: Sequence[Tagged], span: Span) -> Span:
    """Take in a reign title before a year (承光 + 元年) and a year in parentheses after it (577年)."""
    start, end = span.start, span.end
    before = next((t for t in tokens if t[3] == start), None)
    if (before and len(before[0]) == 2 and (before[1] in _PROPER or before[1] in ("t", "xn"))
            and re.match(rf"[{_CN}元]", norm[start:end]) and "年" in norm[start:end]):
        start = before[2]
    tail = re.match(r"\s?\(([^()]{1,14})\)", norm[end:])
    if tail and re.search(r"\d", tail.group(1)) and "年" in tail.group(1):
        end += tail.end()
    return Span(start, end, span.tier)


def _latin(original: str, origin: list[int], tier: int) -> list[Span]:
    """Capitalized Latin-script names (Thierry Mugler), mapped to normalized offsets."""
    if not re.search(r"[A-Z]", original):
        return []
    first: dict[int, int] = {}
    for k, i in enumerate(origin):
        first.setdefault(i, k)
    spans = []
    for m in _LATIN_NAME_RE.finditer(original):
        s, e = m.span()
        if len(m.group()) >= 2 and s in first and e - 1 in first:
            spans.append(Span(first[s], first[e - 1] + 1, tier))
    return spans
