"""What a question asks for (a number, date, person, organization, place or name — or none of these):
its kind, the unit or head noun its answer likely carries, where its question word is, and the naming cue
a name question uses. Pure functions, no model."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import rjieba

from ..text.normalize import normalize
from .cues import CUE_OF, CUES, UNIT_AT

KINDS = ("number", "date", "person", "organization", "place", "name")

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
        (r"第几|多少|(?<![哪前这那近过头好十])几(?!乎|内亚|何|率|近)|多[大长高重远久深宽厚快老粗]", "number"),
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
class QuestionType:
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
      "营收", "利润", "身价", "转会费", "预算", "钱", "花费"), ("元", "美元", "欧元", "英镑", "日元", "港元", "币", "镑")),
    (("温度", "气温", "熔点", "沸点"), ("度", "°")),
    (("年龄", "岁数", "寿命", "享年", "多大"), ("岁",)),
    (("时速", "速度", "航速", "车速"), ("公里", "千米", "节", "km", "马赫")),
    (("收视率", "比例", "比率", "占比", "增长率", "得票率", "率"), ("%", "百分之", "成")),
]


@lru_cache(maxsize=4096)
def parse_question(question: str) -> QuestionType | None:
    """The `QuestionType` of a question (kind, hints, where the question word is), or None for why/how/yes-no
    and description questions."""
    q = re.sub(r"[\s?!。.,;:]+$", "", normalize(question))
    return _with_cue(_parse(q), q)


def _parse(q: str) -> QuestionType | None:
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
                return QuestionType(kind, hints, start=m.start(), end=m.end() + length)
            if found is None and m.group().startswith("哪") and m.group()[1:] in ("部", "本", "首", "一部", "一本", "一首"):
                return QuestionType("name", start=m.start(), end=m.end())
    if best is None:
        return None
    start, _, kind, m = best
    word, hints = m.group(), ()
    if kind == "number":
        unit = UNIT_AT.match(q[m.end():m.end() + 4])
        hints = (unit.group(),) if unit else _NUMBER_HINTS.get(word, ())
        if not unit:
            around = q[max(0, m.start() - 6):m.start()] + " " + q[m.end():m.end() + 4]  # 成本多少, 多少奖金
            hints = next((units for nouns, units in _MEASURED if any(n in around for n in nouns)), hints)
        if word.startswith(("百分", "比例")) or word == "占比":
            hints = ("%", "百分之", "成")
    elif kind == "date":
        hints = next(((hint,) for key, hint in (("年", "年"), ("月", "月"), ("日", "日"), ("号", "号"), ("天", "日"),
                      ("点", "点"), ("朝", "朝"), ("世纪", "世纪"), ("季节", "季")) if key in word), ())
    return QuestionType(kind, hints, ordinal=word == "第几", start=m.start(), end=m.end())


def _with_cue(asked: QuestionType | None, q: str) -> QuestionType | None:
    """Add the naming cue a name question uses (的艺名是什么 → stage)."""
    if asked is not None and asked.kind == "place" and not asked.hints:  # 在哪里, 位于哪儿: a location phrase
        return replace(asked, cue="locative")
    if asked is None or asked.kind != "name":
        return asked
    found = next((cue for cue in CUES if len(cue) > 1 and cue in q), None)
    if found is None:
        m = re.search(r"(?:的|^)([字号])(?:是|为|叫)", q)
        found = m.group(1) if m else None
    if found is None:
        return asked
    return replace(asked, cue=CUE_OF[found])


def asked_type(question: str) -> str | None:
    """What the question asks for: number, date, person, organization, place, name — or None."""
    asked = parse_question(question)
    return asked.kind if asked else None
