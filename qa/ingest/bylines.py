"""Who wrote a news article, for whom and when, as Chinese news pages say it: bylines (`记者 张三`,
`文/李四`, `某某晚报记者 王五`, `【赵六、钱七／台北报导】`, a `（孙八）` or `（编译/周九）` closing the last
paragraph), datelines (`新华社北京9月1日电（记者 吴十）`, `本报讯`, `某某网讯`), source and
original-title notes, and dates with their times. Pure functions over lines of text; traditional
characters are read as their simplified forms, and what is returned is as the article writes it."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..text.normalize import ends_sentence, to_simplified

# A line that starts with a byline label (the readers' meta lines are told by it; kept as it was).
BYLINE_RE = re.compile(r"^[■●◆▲□\s]*(本报记者|记者|通讯员|实习生|文/|图/|编辑|责任编辑|来源)[\s:/]*")
_DAY = r"(?<!\d)(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})"
DATE_RE = re.compile(_DAY)
FIRST_YEAR = 1900  # no news page is dated earlier; a later bound is the year after today's
BULLETS = "■●◆▲□ "
META_LINE_MAX_CHARS = 60

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_RUN = f"[{_CJK}]"
_REPORTER = rf"(?:本报|本台|本网|本刊|本站)?(?:特约|见习|首席|实习|驻{_CJK_RUN}{{1,4}})?记者"
_WRITER = rf"{_REPORTER}|通讯员|实习生|特约撰稿人?|撰稿人?|撰文|作者|编译|翻译|整理|口述|图文"
_EDITOR = r"责任编辑|值班编辑|编辑|责编|主编|编审|审核|审校|校对|监制|统筹"
_PHOTO = r"摄影|摄像|视频|图片"
_ROLE_LONG = rf"{_WRITER}|{_EDITOR}|{_PHOTO}"
_ROLE_SHORT = r"文|图|摄|译"  # only with a slash or colon after: 文/张三, 图：李四
_SEP = r"[\s:：/／|丨]"
_ROLE = rf"(?:(?:{_ROLE_LONG}){_SEP}*|(?:{_ROLE_SHORT})\s*[/／:：|丨]\s*)"
# A person: 2–4 characters (a ·-joined transliteration longer), or one Latin word; never a role.
_NAME = (
    rf"(?!(?:{_ROLE_LONG})|(?:{_ROLE_SHORT})\s*[/／:：|丨])"
    rf"(?:{_CJK_RUN}{{2,4}}(?:[·•]{_CJK_RUN}{{1,8}})*|[A-Za-z][A-Za-z'.\-]{{1,30}})"
)
_NAMES = rf"{_NAME}(?:\s*[、，,]\s*{_NAME}|\s+{_NAME})*"
_END_OF_NAMES = rf"(?=$|[\s，,;；]|(?:{_ROLE_LONG})|(?:{_ROLE_SHORT})\s*[/／:：|丨]|报道|报导|摄)"
_GROUP = rf"(?P<role>{_ROLE_LONG}|{_ROLE_SHORT}){_SEP}*(?P<names>{_NAMES}){_END_OF_NAMES}"
_GROUP_RE = re.compile(_GROUP)
_OUTLET = rf"[{_CJK}A-Za-z0-9·•\-－—]{{2,16}}?"
# A byline line: labelled names, several groups maybe, an outlet before a reporter, 报道 or 摄 after.
_CREDIT_RE = re.compile(
    rf"^(?P<outlet>{_OUTLET}(?={_REPORTER}))?(?:{_ROLE}{_NAMES}{_END_OF_NAMES}[\s，,;；]*)+(?:报道|报导|摄)?$"
)
# 文/某某市交通运输局: one writer that is an organization (a government body, an institute, a company;
# an outlet named as the writer is the source, not an author).
_ORG_CREDIT_RE = re.compile(
    rf"^(?P<role>作者|撰文|撰稿|文)\s*[:：/／|丨]\s*(?P<names>[{_CJK}A-Za-z0-9·]{{1,20}}"
    r"(?:局|部|厅|委|办|院|所|会|馆|处|中心|集团|公司|协会|学会|研究院|大学|学校|医院|法院|检察院|政府|办公室|委员会))$"
)
_BRACKET_RE = re.compile(
    rf"^[【\[〔]\s*(?:{_REPORTER}\s*)?(?P<names>{_NAMES})\s*[／/]\s*{_CJK_RUN}{{0,10}}?(?:报道|报导|专电|电|讯)\s*[】\]〕]"
)
_BARE_NAMES_RE = re.compile(rf"^{_NAMES}$")
_LATIN_NAME_RE = re.compile(r"[A-Za-z][A-Za-z'.\-]*(?: [A-Za-z][A-Za-z'.\-]*){0,5}")
# Latin words a page's template writes where a name would be; in a page's author field, outlets and
# other words for nobody in particular too.
_LATIN_FILLERS = ("admin", "administrator", "anonymous", "unknown", "guest", "editor", "root", "user", "null", "none",
                  "n/a")
_NOT_A_LATIN_NAME = frozenset(_LATIN_FILLERS) | frozenset(
    "editors webmaster system staff wordpress news agency press reuters xinhua afp ap team desk newsroom reporter "
    "correspondent".split()
)
_TRAILING_NOTE_RE = re.compile(r"[（(]\s*([^（()）]{1,60}?)\s*[）)]\s*$")
# Words after a byline label that are no names: a column (记者手记, 作者简介), an organisation, a
# picture, "the end", a place (three characters or more: 李会 and 王照 are names). A name may end in 国
# (王建国, 张国, 王国) but a country (美国) or 全国 is none.
# A filler where a page's template wants a name (佚名, 小编, 网友投稿, 来源网络, admin) is none either.
_NOT_A_NAME_RE = re.compile(
    r"^.{2,}(?:社|网|报|台|站|刊|局|部|厅|委|办|院|所|会|馆|处|中心|集团|公司|新闻|客户端|图|照|摄|完|待续|续|省|市|县|区)$"
    r"|^(?:新闻|组图|多图|图片|全市|全省|全区|全县|本市|待续|未完)$"
    r"|^[中美英法德俄日韩朝泰越印意澳加荷瑞挪丹芬比葡希土埃伊蒙缅老柬菲新全我各本外两多该他出回祖大强小帝邻友异]国$"
    r"|^(?:完|未完|待续|资料|下转|上接|注|编者|手记|观察|调查|推荐|简介|随笔|札记|视点|点评|感言|述评|快评|评论|提示|说明|声明"
    r"|连线|探访|直击|亲历|体验|走访|来信|留言|寄语|心语|的话"
    r"|佚名|匿名|未知|不详|无名氏?|综合|转载|原创|管理员|据了解|据悉|网络)$"
    r"|网友|网民|小编|投稿|转自|来源|整理|编辑部|点击|浏览|阅读|评论数"
    r"|^本(?:报|网|站|台|刊|社)"
    rf"|(?i:^(?:{'|'.join(map(re.escape, _LATIN_FILLERS))}|na)$)"  # a whole name NA is n/a; Li Na is a name
)
# An organization credited as the writer is none when it is the page itself or a filler (本刊编辑部).
_NOT_AN_ORG_RE = re.compile(r"^本|编辑部|网友|小编|投稿|网络")
_DATELINE_RE = re.compile(
    rf"^[■●◆▲□\s]*(?P<cited>据)?(?P<outlet>[{_CJK}A-Za-z0-9·\-－—]{{2,24}}?)\s*(?P<date>\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)?"
    rf"(?P<kind>讯|电|消息|报道)(?=[\s　:：，,（(【]|$)\s*(?:[（(](?P<credit>[^（()）]{{2,40}})[）)])?"
)
_NOT_AN_OUTLET = ("快", "简", "喜", "资", "通", "音", "短", "传", "死", "闻", "问", "审", "视", "电", "新")
_THIS_PAPER = frozenset({"本报", "本台", "本网", "本刊", "本站", "本社"})
_OUTLET_PLACE_RE = re.compile(rf"^(.+?(?:社|网|台|报|客户端|新闻))({_CJK_RUN}{{2,4}})$")
_SOURCE_RE = re.compile(
    r"(?:(?:本文|文章|稿件)?(?:来源|稿源|出处|转自|转载自)\s*(?:于|自)?\s*[:：]|(?:本文|文章|稿件)(?:来自|转自|转载自|源自|来源于))"
    r"\s*(?P<source>[^\s,，。;；:：|)）】\]]{2,24})"
)
_ORIGINAL_TITLE_RE = re.compile(r"(?:原标题|原题|原文标题)\s*(?:为|是)?\s*[:：]?\s*")
_TIME = r"(?:\s*|T)(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?)"
_DATE_TIME_RE = re.compile(rf"(?:{_DAY})(?:{_TIME})?")
_PUBLISHED = r"发布|发表|发稿|刊发|出版"
_LABELLED_DATE_RE = re.compile(rf"(?:{_PUBLISHED}|更新)?(?:时间|日期)\s*[:：]\s*(?P<date>(?:{_DAY})(?:{_TIME})?)")
_PUBLISHED_DATE_RE = re.compile(rf"(?:{_PUBLISHED})(?:时间|日期)?\s*[:：]?\s*(?P<date>{_DAY})")
_CREDIT_LABELS = r"来源|稿源|作者|记者|编辑|责编"
_CREDIT_LABEL_RE = re.compile(rf"(?:{_CREDIT_LABELS})\s*[:：]")
META_LABEL_RE = re.compile(rf"(?:{_CREDIT_LABELS}|发布时间|发表时间|时间|日期)\s*[:：]")
_OTHER_TIME_RE = re.compile(r"更新|修改|开放|报名|截止|活动|北京时间|当地时间")  # times that are not publication
_EDITORS = frozenset(re.findall(r"[^|]+", _EDITOR))
_PHOTOGRAPHERS = frozenset(re.findall(r"[^|]+", _PHOTO)) | {"图", "摄"}


@dataclass(frozen=True)
class Credit:
    """One role and the names under it, as the article writes them: (记者, (张三, 李四))."""

    role: str
    names: tuple[str, ...]

    @property
    def kind(self) -> str:
        """writer, editor or photo."""
        if self.role in _EDITORS:
            return "editor"
        return "photo" if self.role in _PHOTOGRAPHERS else "writer"

    @property
    def label(self) -> str:
        """The role as a byline writes it before the names (记者, 文/, 编译, …)."""
        if self.role.endswith("记者"):
            return "记者 "
        if self.role in ("文", "作者", "撰文", "撰稿", "撰稿人"):
            return "文/"
        return f"{self.role} "


@dataclass(frozen=True)
class Byline:
    """Who an article names as its writers (and its editors), and the outlet written before them."""

    writers: tuple[Credit, ...]
    editors: tuple[Credit, ...] = ()
    outlet: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every writer's name, in order, once."""
        return tuple(dict.fromkeys(name for credit in self.writers for name in credit.names))

    @property
    def line(self) -> str:
        """The byline as one line: `记者 张三 李四`, `文/王五`, `编译 赵六`, or the bare names."""
        return " ".join(f"{c.label}{' '.join(c.names)}" if c.role else "、".join(c.names) for c in self.writers)

    @property
    def shown(self) -> str:
        """The line with its outlet: `某某晚报记者 张三`."""
        return f"{self.outlet}{self.line}" if self.outlet and self.line.startswith("记者") else self.line

    @property
    def said(self) -> str:
        """As a sentence names the writers: `shown`, with a bare writing label left out (文/王五 is 王五)."""
        if all(c.label == "文/" for c in self.writers):
            return "、".join(self.names)
        return self.shown


def iso_day(written: str) -> str | None:
    """'YYYY-MM-DD' of a date as `DATE_RE` finds it (2024年5月6日, 2024-5-6, 2024/05/06), or None when no
    such day exists or it lies before 1900 or after next year."""
    year, month, day = (int(n) for n in re.findall(r"\d+", written)[:3])
    if not FIRST_YEAR <= year <= datetime.date.today().year + 1:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


# ---------- reading a line ----------
def _key(text: str) -> str:
    """`text` in simplified characters, one for one, so that offsets into it are offsets into `text`."""
    simple = to_simplified(text)
    if len(simple) == len(text):
        return simple
    return "".join(one if len(one := to_simplified(c)) == 1 else c for c in text)


def _names(text: str) -> tuple[str, ...] | None:
    """The names in `text` (split at 、 , and spaces; 张三等 is 张三), or None when one of them is no name."""
    names = tuple(n for n in re.split(r"\s*[、，,]\s*|\s+", text.strip()) if n)
    names = tuple(n[:-1] if n.endswith("等") and len(n) > 2 else n for n in names)
    return names if names and not any(_NOT_A_NAME_RE.search(_key(name)) for name in names) else None


def author_names(text: str | None) -> tuple[str, ...] | None:
    """The people a page's author field names (`张三`, `张三 李四`, `John Smith`), or None when it names
    none: a filler (佚名, admin, 小编), an outlet (新华社) or a clause."""
    text = _TRAILING_NOTE_RE.sub("", re.sub(r"\s*[;；]\s*", "、", (text or "").strip()))  # 张三（实习生）
    credit = credit_line(text) if text and not text.isascii() else None  # 新华社记者 张三, 记者：张三 通讯员：李四
    if credit and credit.writers:
        return credit.names
    if text.isascii():  # John Smith, Jane Doe: a Latin name has spaces of its own
        names = tuple(n.strip() for n in re.split(r"[、,]", text) if n.strip())
        fit = names and all(
            _LATIN_NAME_RE.fullmatch(n) and not _NOT_A_LATIN_NAME.intersection(n.lower().split()) for n in names
        )
        return names if fit else None
    if not _BARE_NAMES_RE.match(_key(text)):
        return None
    return _names(text)


def _credits(text: str, key: str) -> list[Credit] | None:
    """The (role, names) groups of a credit already known to have its shape; None if a name is none."""
    credits = []
    for match in _GROUP_RE.finditer(key):
        names = _names(text[match.start("names") : match.end("names")])
        if names is None:
            return None
        credits.append(Credit(to_simplified(match.group("role")), names))
    return credits


def _byline_of(credits: list[Credit] | None, outlet: str | None = None) -> Byline | None:
    writers = tuple(c for c in credits or () if c.kind == "writer")
    editors = tuple(c for c in credits or () if c.kind == "editor")
    return Byline(writers, editors, outlet) if writers or editors else None


def credit_line(line: str) -> Byline | None:
    """The byline a whole line is (`■ 记者 张三`, `某某日报记者 李四 通讯员 王五`, `文/某某局`,
    `责任编辑：赵六`), or None: a sentence or anything else than labels and names is not one."""
    text = line.strip().strip(BULLETS).strip()
    if not text or len(text) > META_LINE_MAX_CHARS or ends_sentence(text):
        return None
    key = _key(text)
    match = _ORG_CREDIT_RE.match(key)
    if match and not _NOT_AN_ORG_RE.search(match.group("names")):
        return Byline((Credit(match.group("role"), (text[match.start("names") :],)),))
    match = _CREDIT_RE.match(key)
    if not match:
        return None
    start = match.end("outlet") if match.group("outlet") else 0
    outlet = text[:start] if start and key[:start] not in _THIS_PAPER else None
    return _byline_of(_credits(text[start:], key[start:]), outlet)


def bracket_byline(paragraph: str) -> Byline | None:
    """`【张三、李四／台北报导】` (or with [] 〔〕, 记者 before the names) opening a paragraph."""
    key = _key(paragraph.strip())
    match = _BRACKET_RE.match(key)
    if not match:
        return None
    names = _names(paragraph.strip()[match.start("names") : match.end("names")])
    return Byline((Credit("记者", names),)) if names else None


def closing_byline(paragraph: str) -> Byline | None:
    """A credit in the （…） that closes a paragraph: `（张三）`, `（记者 李四）`, `（编译/王五）`."""
    key = _key(paragraph.rstrip())
    match = _TRAILING_NOTE_RE.search(key)
    if not match:
        return None
    inner = paragraph.rstrip()[match.start(1) : match.end(1)]
    found = credit_line(inner)
    if found:
        return found
    names = _names(inner) if _BARE_NAMES_RE.match(match.group(1)) else None
    return Byline((Credit("", names),)) if names else None


@dataclass(frozen=True)
class Dateline:
    """The opening of a dispatch: `新华社北京9月1日电（记者 张三）`, `某某网讯`, `本报讯`, `某站 5月2日报道`."""

    outlet: str | None  # None for 本报 (this paper) and the like
    date: str | None  # as written: 9月1日
    byline: Byline | None


def dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a paragraph, or None."""
    text = paragraph.strip()
    key = _key(text)
    match = _DATELINE_RE.match(key)
    if not match:
        return None
    outlet, kind = match.group("outlet"), match.group("kind")
    if match.group("cited"):  # 据某社报道: another outlet's report, cited
        return None
    if kind in ("电", "报道") and not match.group("date"):
        return None
    if kind == "讯" and not match.group("date") and outlet.endswith(_NOT_AN_OUTLET):
        return None
    if kind == "消息" and not re.search(r"(?:社|网|台|报|新闻|客户端)$", outlet):
        return None
    written = text[match.start("outlet") : match.end("outlet")]
    place = _OUTLET_PLACE_RE.match(outlet)
    if place:
        written = written[: len(place.group(1))]
    credit = match.group("credit")
    byline = None
    if credit:
        inner = text[match.start("credit") : match.end("credit")]
        byline = credit_line(inner) or closing_byline(f"（{inner}）")
    date = text[match.start("date") : match.end("date")] if match.group("date") else None
    return Dateline(None if outlet in _THIS_PAPER else written, date, byline)


def meta_byline(line: str) -> Byline | None:
    """The byline in a page's meta line: `2024-04-23 09:30 来源：某报 作者：张三`."""
    text = line.strip()
    if len(text) > META_LINE_MAX_CHARS * 2 or ends_sentence(text):
        return None
    key = _key(text)
    for match in re.finditer(rf"(?:{_ROLE_LONG})\s*[:：]|(?:{_ROLE_SHORT})\s*[/／:：]", key):
        rest = re.split(r"\s+(?=\S*[:：])|\s{2,}|[|丨]", text[match.start() :])[0]
        found = credit_line(rest)
        if found:
            return found
    return None


def find_byline(lines: list[str]) -> Byline | None:
    """The first byline among header lines: a byline line, a bracketed one or one in a meta line."""
    for line in lines:
        found = credit_line(line) or bracket_byline(line) or meta_byline(line)
        if found and found.writers:
            return found
    return None


def find_editors(lines: list[str]) -> tuple[str, ...]:
    """The editors named in header or footer lines (`责任编辑：张三`)."""
    names: list[str] = []
    for line in lines:
        found = credit_line(line) or meta_byline(line) or closing_byline(line)
        if found:
            names += [name for credit in found.editors for name in credit.names]
    return tuple(dict.fromkeys(names))


def find_date(lines: list[str]) -> str | None:
    """The first date in header lines, with its time when one follows it, as written."""
    for line in lines:
        for match in _DATE_TIME_RE.finditer(line):
            if iso_day(match.group(0)):
                return match.group(0).strip()
    return None


def labelled_date(lines: list[str]) -> str | None:
    """A date a line gives as the time of publication: `发布时间：2024-04-23 09:30`."""
    for line in lines:
        for match in _LABELLED_DATE_RE.finditer(line):
            if iso_day(match.group("date")):
                return match.group("date").strip()
    return None


def info_date(lines: list[str]) -> str | None:
    """'YYYY-MM-DD' of the date the lines under a headline give: a labelled one (`发布时间：…`), else one
    in a line of labelled facts or standing alone (never a date in a subtitle)."""
    plain = [line for line in lines if is_meta_line(line) or _DATE_TIME_RE.fullmatch(line.strip())]
    dated = labelled_date(lines) or find_date(plain)
    match = DATE_RE.search(dated or "")
    return iso_day(match.group(0)) if match else None


def published_date(lines: list[str]) -> tuple[bool, str | None]:
    """Whether the lines under a headline show when the article was published, and 'YYYY-MM-DD' of it
    when that day exists: a date labelled so (`发布时间：…`) or one in a line of source and author labels
    (`2024-05-06 09:30 来源：某报 作者：张三`); an update, an opening or a registration time is none."""
    for line in lines:
        key = _key(line)
        match = _PUBLISHED_DATE_RE.search(key)
        if match:
            return True, iso_day(match.group("date"))
        if is_meta_line(line) and _CREDIT_LABEL_RE.search(key) and not _OTHER_TIME_RE.search(key):
            match = DATE_RE.search(key)
            if match:
                return True, iso_day(match.group(0))
    return False, None


def find_source(lines: list[str]) -> str | None:
    """The outlet a line names as the source: `来源：某报`, `（本文来自某某新闻……）`."""
    for line in lines:
        match = _SOURCE_RE.search(_key(line))
        if match:
            return line[match.start("source") : match.end("source")]
    return None


def original_title(lines: list[str]) -> str | None:
    """The headline a note gives as the original one: `（原标题：……）`, `原题为《……》`."""
    for line in lines:
        text = line.strip()
        key = _key(text)
        match = _ORIGINAL_TITLE_RE.search(key)
        if not match:
            continue
        title = text[match.end() :]
        if key[: match.start()].rstrip().endswith(("（", "(")):
            title = re.sub(r"\s*[）)]\s*$", "", title)  # the note's own closing bracket
        title = title.strip()
        if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
            title = title[1:-1]
        if 2 <= len(title) <= 80:
            return title
    return None


def is_meta_line(line: str) -> bool:
    """A short line of labelled facts: `来源：某报 作者：张三`, `发布时间：2024-04-23`."""
    return len(line) <= META_LINE_MAX_CHARS and not ends_sentence(line) and bool(META_LABEL_RE.search(_key(line)))


def is_header_line(line: str, short: int) -> bool:
    """A line before the body that says who wrote the article, when or where: a byline, a date line
    (at most `short` characters), a meta line or an original-title note; never a sentence."""
    text = line.strip()
    if not text or ends_sentence(text):
        return False
    if DATE_RE.search(text) and len(text) <= short:
        return True
    if BYLINE_RE.match(text) and len(text) <= META_LINE_MAX_CHARS:
        return True
    key = _key(text)
    if _ORIGINAL_TITLE_RE.match(key.lstrip("（(")) and len(text) <= META_LINE_MAX_CHARS * 2:
        return True
    if len(text) <= META_LINE_MAX_CHARS and (bracket_byline(text) or is_dateline_alone(text)):
        return True
    return bool(credit_line(text) or is_meta_line(text))


def is_dateline_alone(line: str) -> bool:
    """A line that is a dateline and nothing more: `某某中文站 10月14日报道`, `新华社北京9月1日电`."""
    match = _DATELINE_RE.match(_key(line.strip()))
    return bool(match and match.end() == len(line.strip()) and dateline(line))


def closing_note(paragraph: str) -> str | None:
    """The text of the （…） note closing a paragraph, or None."""
    match = _TRAILING_NOTE_RE.search(paragraph.rstrip())
    return match.group(1) if match else None


def without_closing_note(line: str) -> str:
    """A paragraph without the （…） note that may close it after its last sentence: `……举行。（张三）`."""
    match = _TRAILING_NOTE_RE.search(line.rstrip())
    return line[: match.start()].rstrip() if match else line
