"""The short phrase that answers a factoid question (a number, date, person, organization, place or
name) inside the answer sentence: typed candidate spans from regexes and jieba tags, the one nearest
to the question's own words wins. Pure functions, no model."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import rjieba

from .text import normalize, to_simplified
from .tokens import QUESTION_WORDS, tokenize

Tagged = tuple[str, str, int, int]  # (word, part-of-speech tag, start, end) in a normalized sentence

KINDS = ("number", "date", "person", "organization", "place", "name")

# ---------------------------------------------------------------------------------------------
# Question types
# ---------------------------------------------------------------------------------------------

_PERSON_HEADS = (
    "人物 人 作家 画家 演员 歌手 导演 作者 作曲家 作词人 诗人 词人 科学家 哲学家 思想家 皇帝 国王 君主 总统 首相 "
    "总理 主席 球员 选手 教练 学生 老师 教授 父亲 母亲 妻子 丈夫 儿子 女儿 兄弟 哥哥 弟弟 姐姐 妹妹 创始人 创办人 "
    "发明者 发明人 设计者 设计师 建筑师 领导人 领袖 将军 主持人 编剧 制片人 成员 队员 记者 负责人 官员 大臣 王后 "
    "皇后 王子 公主 妃子 祖父 祖母 学者 医生 律师 运动员 得主 继任者 继承人 前任 后任 部长 市长 校长 董事长 "
    "主编 主演 男主角 女主角 配音员 声优 君王 帝王 天皇 宰相 丞相 太子 长子 次子 师傅 徒弟 弟子 对手"
).split()
_ORG_HEADS = (
    "公司 企业 机构 组织 大学 学校 学院 高校 中学 小学 球队 俱乐部 队伍 团体 乐队 乐团 组合 政党 党派 银行 "
    "集团 部门 单位 医院 报社 媒体 电视台 电台 出版社 出版商 研究院 研究所 研究中心 协会 联盟 联合会 委员会 "
    "基金会 厂商 工厂 厂 政府 机关 军队 部队 航空公司 唱片公司 经纪公司 品牌 门派 教派 院校 队"
).split()
_PLACE_HEADS = (
    "国家 国 城市 城镇 城 市 省份 省 州 地方 地区 地点 位置 国度 岛屿 岛 山脉 山 河流 河 湖泊 湖 海域 海 洋 "
    "大洲 洲 大陆 县 区域 区 镇 乡 村 街道 街 路 港口 港 机场 车站 首都 都城 国都 首府 省会 流域 海峡 半岛 盆地 "
    "平原 高原 沙漠 场馆 球场 体育场 城堡 宫殿 寺庙 景点 郡 星球 行星 道路 干线 线路 铁路 公路 国籍"
).split()
_DATE_HEADS = "年份 年代 年 月份 月 日子 日 天 时候 时间 时期 时代 朝代 朝 世纪 季节 时刻 节日".split()
_NAME_HEADS = (
    "作品 书籍 书 小说 著作 电影 影片 片子 歌曲 歌 单曲 专辑 唱片 节目 电视剧 连续剧 剧集 戏剧 游戏 名字 名称 称号 "
    "奖项 奖 荣誉 称谓 绰号 别名 外号 昵称 学名 产品 型号 杂志 刊物 报纸 期刊 诗歌 诗 画作 论文 软件 动画 漫画 "
    "系列 专著 文集 词 曲 字 号 谥号 年号 庙号 封号 爵位 赛事 比赛 战役 战争 事件 会议 条约 综艺 综艺节目 "
    "方案 规划 条例 法律 法案 法规 协议 口号 宣言 文件 标语"
).split()
_HEADS = sorted(
    [(h, "person") for h in _PERSON_HEADS] + [(h, "organization") for h in _ORG_HEADS]
    + [(h, "place") for h in _PLACE_HEADS] + [(h, "date") for h in _DATE_HEADS]
    + [(h, "name") for h in _NAME_HEADS],
    key=lambda pair: -len(pair[0]),
)
_MEASURE = r"[一两二三四五六七八九十几]?(?:个|位|家|所|部|本|首|种|座|支|只|条|项|款|张|名|间|些|类|场|届|次|段)|一"

# (pattern, kind) — the earliest match in the question wins; at equal positions, the first pattern.
_ZH_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), kind) for p, kind in [
        (r"百分之几|百分之多少|百分比|占比|比例(?:是|为)?多少", "number"),
        (r"几月|几号|几日|几点|几时|哪年|哪一年|何年|哪一天|哪天|何日|何时|什么时候|什么时间|哪个月|哪月|哪一月|"
         r"哪(?:个|一)?朝代|什么朝代|哪朝|哪(?:个|一)?年代|什么年代|哪(?:个|一)?世纪|哪(?:个|一|段)?时期|什么时期|"
         r"什么日子|哪(?:个)?季节|什么季节|什么年份|哪个年份|何时期|何朝|的(?:时间|日期|年份|年代|时候)(?:是|为)(?:什么|何时)?$",
         "date"),
        (r"第几|多少|(?<!哪)几(?!乎|内亚|何|率|近)|多[大长高重远久深宽厚快老粗]", "number"),
        (r"谁|何人|哪(?:一)?位|什么人(?!物)|什么人物|哪个人|哪些人|哪(?:一)?名", "person"),
        (r"哪里|哪儿|何处|何地|何方|哪(?:个|些)?地方|什么地方|哪(?:个|些)?地区|哪国|何国|"
         r"(?:(?<=在)|(?<=去)|(?<=到)|(?<=自)|(?<=于))哪", "place"),
        (r"叫什么|叫做什么|什么名字|名字是|名字叫|名称是|什么名称|名为什么|称为什么|称作什么|被称为什么|被誉为什么|"
         r"简称是|简称为|全称是|原名是|原名叫|别名是|本名是|什么称号|哪(?:一)?部|哪(?:一)?本|哪(?:一)?首|"
         r"什么绰号|什么外号|什么别名|什么昵称|称之为什么|又称什么|又叫什么|也叫什么|是什么的简称|是什么的缩写|"
         r"的(?:字|号|名字|别名|别称|简称|全称|原名|前称|旧称|英文名|学名|剧名|书名|片名|艺名|笔名|谥号|庙号|年号|称号|昵称|"
         r"外号|绰号|曾用名|本名|译名|俗称|名称)(?:是|为|叫)(?:什么|啥|何)?$", "name"),
    ]
]
_HEAD_HINT = {"年份": "年", "年代": "年", "年": "年", "月份": "月", "月": "月", "日子": "日", "日": "日", "天": "日",
              "朝代": "朝", "朝": "朝", "世纪": "世纪", "季节": "季", "国家": "国", "城市": "市",
              "省份": "省", "球队": "队", "综艺节目": "节目", "奖项": "奖", "歌曲": "》", "电影": "》", "作品": "》",
              "小说": "》", "书": "》", "专辑": "》", "电视剧": "》", "连续剧": "》", "歌": "》", "书籍": "》",
              "著作": "》", "影片": "》", "单曲": "》", "唱片": "》", "节目": "》", "剧集": "》", "戏剧": "》",
              "游戏": "》", "杂志": "》", "刊物": "》", "报纸": "》", "期刊": "》", "诗": "》", "诗歌": "》",
              "论文": "》", "专著": "》", "文集": "》", "漫画": "》", "动画": "》", "方案": "》", "条例": "》",
              "法律": "》", "法案": "》", "协议": "》"}
_NOT_FACTOID = re.compile(
    r"为什么|为何|怎么|怎样|如何|(?:体现|表现|区别|差别|差异|不同|优势|优点|缺点|特点|意义|原因|问题|关键|难点|好处|作用|"
    r"特色|价值|贡献)(?:主要)?(?:体现)?(?:在|于)哪"
)
_HEAD_RE = re.compile(rf"(?:哪|什么|何)(?:{_MEASURE})?")

_EN_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), kind) for p, kind in [
        (r"\bhow (?:many|much|long|old|far|big|large|tall|high|often|heavy|deep|wide|fast)\b|"
         r"\bwhat (?:percentage|percent|number|amount|proportion|rank)\b|\bwhich (?:rank|place)\b", "number"),
        (r"\bwhen\b|\b(?:what|which) (?:year|date|time|day|month|century|decade|period|dynasty|era|season)\b",
         "date"),
        (r"\bwho\b|\bwhom\b|\bwhose\b|\b(?:what|which) (?:person|people|player|actor|actress|singer|writer|author|"
         r"king|queen|president|emperor|director|artist|scientist)\b", "person"),
        (r"\b(?:what|which) (?:company|companies|organi[sz]ation|university|college|school|team|club|party|"
         r"agency|institution|institute|firm|bank|band|group|publisher|newspaper|network)\b", "organization"),
        (r"\bwhere\b|\b(?:what|which) (?:country|countries|city|cities|place|state|province|region|continent|"
         r"town|island|river|mountain|county|district)\b", "place"),
        (r"\bwhat(?:'s| is| was| are| were) (?:the |its |his |her |their )?(?:name|title)\b|\bcalled what\b|"
         r"\bwhat (?:is|was|are|were) \w+(?: \w+)* called\b|\b(?:what|which) (?:book|film|movie|song|album|title|"
         r"novel|game|show|work|name|play|poem|magazine)\b", "name"),
    ]
]


@dataclass(frozen=True, slots=True)
class Asked:
    """What a question asks for and the words its answer likely ends with (a unit, a head noun)."""

    kind: str
    hints: tuple[str, ...] = ()
    ordinal: bool = False
    start: int = 0  # where the question word is in the normalized question
    end: int = 0
    cue: str = ""  # for names: the kind of name asked (alias, former, english …)


def _head_kind(after: str) -> tuple[str, str, int] | None:
    """The kind named by the noun right after 哪/什么 (哪所大学 → organization), its head noun and length."""
    tagged = rjieba.tag(after[:12])
    if not tagged:
        return None
    first = tagged[0][0]
    for head, kind in _HEADS:  # the first word names the kind: 哪个国家的运动员 asks for a country
        if first == head:
            return kind, head, len(head)
    phrase = ""
    for word, flag in tagged:  # else the noun phrase's last word: 什么著名的战役, 什么综艺节目
        if flag[0] in "nj" or flag in ("l", "vn", "b", "eng"):
            phrase += word
        elif flag in ("a", "uj", "d") and len(phrase) < 3:
            phrase += word
        else:
            break
    for head, kind in _HEADS:
        if phrase.endswith(head):
            return kind, head, len(phrase)
    for head, kind in _HEADS:
        if after.startswith(head):
            return kind, head, len(head)
    return None


_NUMBER_HINTS = {
    "多高": ("米", "厘米", "公尺", "英尺", "m"), "多长": ("米", "公里", "千米", "年", "天", "小时", "分钟", "英里", "km", "m"),
    "多远": ("公里", "千米", "米", "英里", "km"), "多重": ("吨", "公斤", "千克", "克", "磅", "kg"),
    "多久": ("年", "个月", "天", "小时", "分钟", "秒", "周"), "多深": ("米", "m"), "多宽": ("米", "公里", "m"),
    "多大": ("岁", "平方公里", "平方米", "公顷", "km2"), "多老": ("岁",),
}
_LENGTH = ("米", "厘米", "公分", "毫米", "公里", "千米", "英尺", "英里", "英寸", "公尺", "m", "cm", "km", "mm")
_MEASURED = [  # what the question measures → units its answer likely carries
    (("体重", "重量", "质量", "多重", "载重", "排水量"), ("吨", "公斤", "千克", "克", "磅", "kg", "g", "t")),
    (("面积", "占地"), ("平方", "公顷", "亩", "坪", "km2", "m2")),
    (("长度", "全长", "身长", "体长", "高度", "身高", "海拔", "深度", "水深", "距离", "宽度", "直径", "半径", "周长", "射程",
      "翼展", "株高", "口径", "长约", "高约"), _LENGTH),
    (("人口", "人数", "观众", "居民"), ("人", "万")),
    (("价格", "价值", "成本", "票房", "收入", "资产", "市值", "费用", "造价", "售价", "薪水", "年薪", "奖金", "金额", "投资",
      "营收", "利润", "身价", "转会费", "预算"), ("元", "美元", "欧元", "英镑", "日元", "港元", "币", "镑")),
    (("温度", "气温", "熔点", "沸点"), ("度", "°")),
    (("年龄", "岁数", "寿命", "享年", "多大"), ("岁",)),
    (("时速", "速度", "航速", "车速"), ("公里", "千米", "节", "km", "马赫")),
    (("收视率", "比例", "比率", "占比", "增长率", "得票率", "率"), ("%", "百分之", "成")),
]


@lru_cache(maxsize=4096)
def parse_question(question: str) -> Asked | None:
    """The `Asked` of a question (kind, hints, where the question word is), or None for why/how/yes-no
    and description questions."""
    q = re.sub(r"[\s?!。.,;:]+$", "", normalize(question))
    return _with_cue(_parse(q), q)


def _parse(q: str) -> Asked | None:
    """`parse_question` of a normalized question without its final punctuation."""
    if not q or _NOT_FACTOID.search(q):
        return None
    best: tuple[int, int, str, re.Match[str]] | None = None
    patterns = _EN_PATTERNS if re.search(r"[a-z]{2}", q) and not re.search(r"[\u4e00-\u9fff]", q) else _ZH_PATTERNS
    for order, (pattern, kind) in enumerate(patterns):
        m = pattern.search(q)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, kind, m)
    if patterns is _ZH_PATTERNS:
        for m in _HEAD_RE.finditer(q):
            found = _head_kind(q[m.end():])
            if found and (best is None or m.start() < best[0] or (m.start() == best[0] and len(m.group()) > 1)):
                kind, head, length = found
                hints = (_HEAD_HINT.get(head, head),)
                if kind == "person" or (kind in ("place", "date", "name") and head not in _HEAD_HINT):
                    hints = ()
                return Asked(kind, hints, start=m.start(), end=m.end() + length)
            if found is None and m.group().startswith("哪") and m.group()[1:] in ("部", "本", "首", "一部", "一本", "一首"):
                return Asked("name", start=m.start(), end=m.end())
    if best is None:
        return None
    start, _, kind, m = best
    word, hints = m.group(), ()
    if kind == "number":
        unit = _UNIT_AT.match(q[m.end():m.end() + 4])
        hints = (unit.group(),) if unit else _NUMBER_HINTS.get(word, ())
        if not unit:
            before = q[max(0, m.start() - 6):m.start()]
            hints = next((units for nouns, units in _MEASURED if any(n in before for n in nouns)), hints)
        if word.startswith(("百分", "比例")) or word == "占比":
            hints = ("%", "百分之", "成")
    elif kind == "date":
        hints = next(((hint,) for key, hint in (("年", "年"), ("月", "月"), ("日", "日"), ("号", "号"), ("天", "日"),
                      ("点", "点"), ("朝", "朝"), ("世纪", "世纪"), ("季节", "季")) if key in word), ())
    return Asked(kind, hints, ordinal=word == "第几", start=m.start(), end=m.end())


def _with_cue(asked: Asked | None, q: str) -> Asked | None:
    """Add the naming cue a name question uses (的艺名是什么 → stage)."""
    if asked is not None and asked.kind == "place" and not asked.hints:  # 在哪里, 位于哪儿: a location phrase
        return replace(asked, cue="locative")
    if asked is None or asked.kind != "name":
        return asked
    found = next((cue for cue in _CUES if len(cue) > 1 and cue in q), None)
    if found is None:
        m = re.search(r"(?:的|^)([字号])(?:是|为|叫)", q)
        found = m.group(1) if m else None
    if found is None:
        return asked
    return replace(asked, cue=_CUE_OF[found])


def asked_type(question: str) -> str | None:
    """What the question asks for: number, date, person, organization, place, name — or None."""
    asked = parse_question(question)
    return asked.kind if asked else None


# ---------------------------------------------------------------------------------------------
# Candidate spans
# ---------------------------------------------------------------------------------------------

_CN = "零〇一二两三四五六七八九十百千万亿"
_UNITS = sorted(set((
    "平方公里 平方千米 平方米 平方英里 立方米 公里 千米 厘米 毫米 微米 纳米 米 英里 英尺 英寸 公尺 公分 海里 公顷 亩 光年 "
    "公斤 千克 毫克 克 吨 磅 元 美元 欧元 英镑 日元 港元 港币 台币 新台币 人民币 卢布 法郎 马克 块 "
    "秒 分钟 小时 个小时 天 日 周 星期 个星期 个月 月 年 世纪 岁 周岁 倍 次 届 位 名 人 个 家 所 座 项 件 种 条 只 头 部 本 "
    "首 张 台 辆 架 艘 场 局 集 章 卷 册 层 楼 号 度 摄氏度 华氏度 成 折 票 份 支 队 枚 颗 株 户 间 套 篇 句 字 款 代 期 "
    "季 轮 圈 球 分 码 千瓦 瓦 伏 赫兹 升 毫升 卡 焦耳 人次 万人次 例 宗 起 级 阶 等 列 行 点 节 门 所 册 吨位 马力 类 大类 子女 孩子 票"
).split()), key=len, reverse=True)
_UNIT = "(?:" + "|".join(map(re.escape, _UNITS)) + ")"
_LATIN_UNIT = (r"(?:km²|km2|km|m²|m2|m³|m3|cm|mm|nm|kg|mg|g|t|mb|gb|tb|kb|ghz|mhz|hz|kwh|kw|mw|w|v|ml|l|%|°c|°f|°|′|″"
               r"|ft|mi|lb)")
_UNIT_AT = re.compile(_UNIT + "|" + _LATIN_UNIT)
_ARABIC = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
_CNNUM = rf"[{_CN}][{_CN}几]*|数[十百千万亿]+|几[十百千万亿]+"
_NUM = rf"(?:{_ARABIC}|{_CNNUM})(?:多|余|来)?[十百千万亿]*(?:多|余)?"
_RANGE = r"\s?[-~～至到—–]\s?"
_NUMBER_RE = re.compile(
    rf"百分之(?:{_CNNUM}|{_ARABIC})(?:点[{_CN}]+)?(?:{_RANGE}(?:百分之)?(?:{_CNNUM}|{_ARABIC}))?"
    rf"|(?:{_CNNUM}|{_ARABIC})分之(?:{_CNNUM}|{_ARABIC})"
    rf"|第(?:{_NUM}){_UNIT}?"
    rf"|{_NUM}(?:{_RANGE}{_NUM})*(?:\s(?:million|billion|trillion|thousand|hundred)(?![a-z]))?"
    rf"(?:\s?{_LATIN_UNIT}(?![a-z])|\s(?:percent|per cent)(?![a-z])|{_UNIT})?"
)
_ERA_TAIL = r"(?:初年|初期|中期|中叶|末年|末期|上半叶|下半叶|前期|后期|年间|时期|时代|以前|之前|以后|之后|初|中|末|间)"
_DYNASTY = (
    r"(?:[东西南北前后]?(?:汉|晋|宋|齐|梁|陈|魏|周|唐|秦|隋|元|明|清|辽|金|夏|商|蜀|吴|楚|燕|赵|韩|殷)(?:朝|代)"
    r"|[东西南北前后](?:汉|晋|宋|齐|梁|魏|周|唐|秦|辽|蜀|吴|燕|赵)|春秋|战国|三国|五代十国|五代|南北朝|民国|中华民国"
    r"|唐宋|明清|秦汉|魏晋)"
)
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december|" \
          r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
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
_CUE_GROUPS = {
    "alias": "又名 又称 又叫 也叫 也称 亦称 或称 别名 别称 俗称 通称 一般称 简称为 也被称为 被称为 称为 称作 称之为 叫做 叫作 名为",
    "former": "原名 本名 旧称 前称 旧名 曾用名 原称 初名 改名为 更名为 改称 易名为 后改名",
    "short": "简称 缩写 略称",
    "full": "全称 全名",
    "english": "英文名 英文全称 英文名称 英文简称 英语 英文 外文名 原文",
    "stage": "艺名 笔名 化名 外号 绰号 昵称 花名 号称",
    "posthumous": "谥号",
    "temple": "庙号",
    "honorific": "尊号 徽号 封号",
    "era": "年号",
    "style": "字 号",
    "given": "名",
    "scientific": "学名 拉丁名 种加词",
    "honor": "被誉为 誉为 称誉为 美誉",
}
_CUE_OF = {cue: group for group, cues in _CUE_GROUPS.items() for cue in cues.split()}
_CUES = sorted(_CUE_OF, key=len, reverse=True)
_CALLED_RE = re.compile(
    r"(" + "|".join(_CUES) + r")"
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
_WORDY_RE = re.compile(r"[^\W_]")
_NAME_STOPS = set("的 和 与 及 是 在 由 被 把 将 了 为 对 向 从 等 或 并 其 之 以 于 人 中 所 曾 也 都 又 就 还 即 乃".split())
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤伍柳庞岳欧阳司"
)
_PERSON_ROLE = tuple("者 人 员 家 师 帝 王 后 督 君 主 官 相 将 长 手".split())
_DOTS = "·・•‧"

# Scoring, in characters of distance (fitted on CMRC 2018 trial only)
_TIER = (0.0, 8.0, 20.0)  # penalty per candidate source: sure, likely, fallback
_FAR = 40.0  # cap on a gap
_SATURATE = 10.0  # gaps count less and less, up to this many characters: far matches are weak evidence
_NEAR = 4.0  # extra weight of question words next to the question word ...
_TAU = 3.0  # ... decaying over this many characters of the question
_WRONG_SIDE = 6.0  # a question word before 谁 found after the candidate in the sentence (or vice versa)
_ADJACENT = 1  # question words this close to the question word belong to it: no side (多少运动员)
_INSIDE = 5.0  # a question word found inside the candidate itself
_HINT = 6.0  # bonus: the candidate carries the asked unit or head noun (多少人 → 人, 哪所大学 → 大学)
_PAREN = 8.0  # penalty: the candidate sits inside parentheses (a gloss)


@dataclass(frozen=True, slots=True)
class Span:
    """A candidate answer span, in offsets of the normalized sentence."""

    start: int
    end: int
    tier: int = 0
    cue: str = ""  # the naming cue group right before it (alias, former, english …)


@dataclass(frozen=True, slots=True)
class Phrase:
    """The chosen phrase: its text as written in the sentence, its offsets there, its kind, and its cost
    (how far it sits from the question's words, how sure its source is, less a bonus for the asked unit
    or head noun: lower is a better fit)."""

    text: str
    start: int
    end: int
    kind: str
    cost: float = 0.0


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
def _read(sentence: str) -> tuple[str, tuple[int, ...], tuple[Tagged, ...]]:
    """A sentence normalized, the source index of each of its characters, and its tagged words: the
    same corpus sentences come back question after question, so they are read once."""
    norm, origin = _mapped(sentence)
    return norm, tuple(origin), tuple(_tokens(norm))


def _tokens(norm: str) -> list[Tagged]:
    """(word, tag, start, end) of the normalized sentence; unknown CJK words (tag x) are tagged "xn"."""
    out = []
    at = 0
    for word, flag in rjieba.tag(norm):
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


def _candidates(asked: Asked, norm: str, original: str, origin: Sequence[int],
                tokens: Sequence[Tagged], q_after: str = "") -> list[Span]:
    """Typed candidate spans of the sentence; `q_after` is the question's text right after its question word."""
    kind = asked.kind
    starts = {t[2] for t in tokens}
    spans: list[Span] = []
    if kind == "number":
        for m in _NUMBER_RE.finditer(norm):
            s, e = m.span()
            text = m.group()
            if s > 0 and norm[s - 1].isascii() and norm[s - 1].isalpha() and not text.startswith(("第", "百")):
                continue  # g60, mp3
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
            if not re.search(r"\d", text):
                if s not in starts and not text.startswith(("公元", "西元")):
                    continue
                if re.fullmatch(rf"[{_CN}]{{1,3}}年", text):  # 三年 — a duration more likely than a date
                    spans.append(Span(s, e, 1))
                    continue
            spans.append(Span(s, e, 0))
        spans = [_extend_date(norm, tokens, span) for span in spans]
        spans += [Span(s, e, 2) for w, f, s, e in tokens if f == "t" and w not in _GENERIC_TIME and len(w) > 1]
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
            spans.append(Span(m.start(2), end, 0, _CUE_OF[cue]))
    return spans


def _extend_address(norm: str, span: Span) -> Span:
    """Carry a place on to its street number: 合肥市 + 黄山路599号."""
    m = _ADDRESS_RE.match(norm, span.end)
    return replace(span, end=m.end()) if m else span


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


def _prune(spans: list[Span], norm: str, question: str) -> list[Span]:
    """Drop question words, spans the question already contains, and spans inside a better one."""
    kept: dict[tuple[int, int], Span] = {}
    for span in spans:
        raw = norm[span.start:span.end]
        start, end = span.start + len(raw) - len(raw.lstrip()), span.end - len(raw) + len(raw.rstrip())
        bare = norm[start:end].strip("《》“”「」『』〈〉\"' ")
        if not bare or bare in QUESTION_WORDS or bare in question or not _WORDY_RE.search(bare):
            continue
        span = replace(span, start=start, end=end)
        old = kept.get((start, end))
        if old is None or (span.tier, not span.cue) < (old.tier, not old.cue):
            kept[(start, end)] = span
    spans = list(kept.values())
    return [s for s in spans if not any(o is not s and o.tier <= s.tier and o.start <= s.start and s.end <= o.end
                                        for o in spans)]


def _anchors(question: str, asked: Asked, norm: str) -> list[tuple[float, int, list[tuple[int, int]]]]:
    """The question's content words found in the sentence: (weight, side, occurrences as (start, end)).

    side is -1 for a word before the question word in the question, +1 after it, 0 inside it.
    """
    q = normalize(question)
    found = []
    for word in dict.fromkeys(tokenize(question)):
        at, spots = norm.find(word), []
        while at >= 0:
            spots.append((at, at + len(word)))
            at = norm.find(word, at + 1)
        if not spots:
            continue
        where = q.find(word)
        if where < 0:
            side, gap = 0, _FAR
        elif where + len(word) <= asked.start:
            gap = asked.start - where - len(word)
            side = -1 if gap > _ADJACENT else 0
        elif where >= asked.end:
            gap = where - asked.end
            side = 1 if gap > _ADJACENT else 0
        else:
            side, gap = 0, 0
        found.append((len(word) * (1.0 + _NEAR * math.exp(-gap / _TAU)), side, spots))
    return found


def _distance(span: Span, anchors: list[tuple[float, int, list[tuple[int, int]]]]) -> float:
    """Weighted mean, over the question's words found in the sentence, of the gap to their nearest occurrence
    (plus a penalty when it is on the other side of the candidate than in the question)."""
    total = weights = 0.0
    for weight, side, spots in anchors:
        best = _FAR
        for s, e in spots:
            if s >= span.start and e <= span.end:
                gap = 0.0 if side == 0 else _INSIDE  # 清华大学哪个研究院 → 清华大学金融科技研究院
            elif e <= span.start:
                gap = min(span.start - e, _FAR) + (_WRONG_SIDE if side > 0 else 0.0)
            elif s >= span.end:
                gap = min(s - span.end, _FAR) + (_WRONG_SIDE if side < 0 else 0.0)
            else:
                gap = _INSIDE
            best = min(best, gap)
        total += weight * _SATURATE * (1.0 - math.exp(-best / _SATURATE))
        weights += weight
    return total / weights if weights else 0.0


def _mirrored(q: str, asked: Asked, norm: str) -> list[Span]:
    """The text the question's own context frames in the sentence: 由谁设计 + 由建筑师博罗米尼设计 → 建筑师博罗米尼."""
    spans: list[Span] = []
    left = q[max(0, asked.start - 4):asked.start]
    right = q[asked.end:asked.end + 2]
    for size in (4, 3, 2):
        context = left[-size:]
        for variant in dict.fromkeys((context, context.rstrip("是为的"))):
            if len(variant) < 2:
                continue
            at = norm.find(variant)
            while at >= 0:
                start = at + len(variant)
                stop = _STOP_RE.search(norm, start)
                end = stop.start() if stop else len(norm)
                if len(right) == 2:
                    closing = norm.find(right, start, end)
                    end = closing if closing > start else end
                if 2 <= end - start <= 16:
                    spans.append(Span(start, end, 1))
                at = norm.find(variant, at + 1)
        if spans:
            break
    return spans


_STOP_RE = re.compile(r"[,，。;；:：()（）!?！？、\s]|的")


def _gloss(norm: str, span: Span, ends: set[int]) -> bool:
    """A parenthesized gloss right after another candidate: 保罗·塞里诺(Paul Sereno)."""
    opened = norm.rfind("(", 0, span.start)
    if opened < 0 or opened not in ends:
        return False
    lead = norm[opened + 1:span.start]
    return not re.sub(r"^(?:英语|英文|法语|德语|日语|拉丁语):", "", lead).strip(" \"'“")


def _in_parentheses(norm: str, span: Span) -> bool:
    opened = norm.rfind("(", 0, span.start)
    return opened >= 0 and norm.rfind(")", opened, span.start) < 0 and norm.find(")", span.end) >= 0


def find_phrase(question: str, sentence: str) -> Phrase | None:
    """The `Phrase` of `sentence` answering `question`, or None (see `answer_phrase`)."""
    asked = parse_question(question)
    if asked is None or not sentence.strip():
        return None
    norm, origin, tokens = _read(sentence)
    q = normalize(question)
    spans = _candidates(asked, norm, sentence, origin, tokens, q[asked.end:asked.end + 6])
    if asked.kind in ("person", "organization", "place", "name"):
        typed = [s for s in spans if s.tier < 2]
        spans += [m if asked.kind == "name" or any(m.start <= s.start and s.end <= m.end for s in typed)
                  else replace(m, tier=2)
                  for m in _mirrored(q, asked, norm)]
    spans = _prune(spans, norm, q)
    ends = {s.end for s in spans}
    spans = [s for s in spans if not _gloss(norm, s, ends)] or spans
    if not spans:
        return None
    anchors = _anchors(question, asked, norm)

    def cost(span: Span) -> tuple[float, int]:
        text = norm[span.start:span.end]
        score = _distance(span, anchors) + _TIER[span.tier]
        if asked.hints and any(h in text for h in asked.hints):
            score -= _HINT
        if asked.cue and span.cue == asked.cue:
            score -= 2 * _HINT
        if asked.ordinal and text.startswith("第"):
            score -= _HINT
        if _in_parentheses(norm, span):
            score += _PAREN
        return score, span.start

    span = min(spans, key=cost)
    start, end = origin[span.start], origin[span.end - 1] + 1
    return Phrase(sentence[start:end], start, end, asked.kind, cost(span)[0])


def answer_phrase(question: str, sentence: str) -> str | None:
    """The shortest span of `sentence` (as written) answering a number/date/person/organization/place/name
    question; None for other questions or when the sentence holds nothing of the asked type."""
    phrase = find_phrase(question, sentence)
    return phrase.text if phrase else None
