"""Words that mark what kind of phrase a text holds, shared by question typing and candidate spans: the
units a number is measured in (多少米 → 米) and the naming cues a name follows (原名, 艺名, 简称 …)."""

from __future__ import annotations

import re

_UNITS = sorted(set((
    "平方公里 平方千米 平方米 平方英里 立方米 公里 千米 厘米 毫米 微米 纳米 米 英里 英尺 英寸 公尺 公分 海里 公顷 亩 光年 "
    "公斤 千克 毫克 克 吨 磅 元 美元 欧元 英镑 日元 港元 港币 台币 新台币 人民币 卢布 法郎 马克 块 "
    "秒 分钟 小时 个小时 天 日 周 星期 个星期 个月 月 年 世纪 岁 周岁 倍 次 届 位 名 人 个 家 所 座 项 件 种 条 只 头 部 本 "
    "首 张 台 辆 架 艘 场 局 集 章 卷 册 层 楼 号 度 摄氏度 华氏度 成 折 票 份 支 队 枚 颗 株 户 间 套 篇 句 字 款 代 期 "
    "季 轮 圈 球 分 码 千瓦 瓦 伏 赫兹 升 毫升 卡 焦耳 人次 万人次 例 宗 起 级 阶 等 列 行 点 节 门 所 册 吨位 马力 类 大类 子女 孩子 票"
).split()), key=len, reverse=True)
UNIT = "(?:" + "|".join(map(re.escape, _UNITS)) + ")"
LATIN_UNIT = (r"(?:km²|km2|km|m²|m2|m³|m3|cm|mm|nm|kg|mg|g|t|mb|gb|tb|kb|ghz|mhz|hz|kwh|kw|mw|w|v|ml|l|%|°c|°f|°|′|″"
               r"|ft|mi|lb)")
UNIT_AT = re.compile(UNIT + "|" + LATIN_UNIT)
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
CUE_OF = {cue: group for group, cues in _CUE_GROUPS.items() for cue in cues.split()}
CUES = sorted(CUE_OF, key=len, reverse=True)
