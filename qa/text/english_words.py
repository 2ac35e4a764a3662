"""The English side of a question: stopwords, words that only count in a phrase, and base forms."""

from __future__ import annotations

__all__ = ["IRREGULAR", "STOPWORDS", "WEAK", "lemmas"]


STOPWORDS = frozenset(
    """a an the of to in on at for by with from about as into onto than then that this these those there
    here it its it's is are was were be been being am do does did done doing have has had having
    what when where which who whom whose why how whether if or and but not no nor so such also any
    some all each every either neither other's own same very just only too more most much many
    can could will would shall should may might must i me my we our us you your he him his she her
    they them their one ones up out over under after before during through between among against
    please tell say said know let called call named name kind sort type does didn't don't doesn't
    s t ever still yet else""".split()
)

# Words that only count inside a phrase ("per capita"), never alone.
WEAK = frozenset("per via like amp".split())

# Irregular forms the suffix rules cannot undo (only those a news question is likely to use).
IRREGULAR = dict(
    pair.split(":")
    for pair in """
    wrote:write written:write felt:feel did:do done:do made:make built:build held:hold took:take
    taken:take began:begin begun:begin won:win got:get saw:see seen:see gave:give given:give found:find
    led:lead brought:bring became:become grew:grow grown:grow rose:rise risen:rise sold:sell spent:spend
    bought:buy thought:think told:tell kept:keep left:leave met:meet ran:run paid:pay sent:send
    chose:choose chosen:choose drove:drive driven:drive knew:know known:know fell:fall fallen:fall
    went:go gone:go came:come stood:stand lost:lose heard:hear meant:mean drew:draw drawn:draw flew:fly
    flown:fly children:child people:person men:man women:woman better:good best:good
    """.split()
)


def lemmas(word: str) -> list[str]:
    """`word` (lower case) and the base forms it may come from, most likely first."""
    out = [word]
    if word in IRREGULAR:
        out.append(IRREGULAR[word])
    n = len(word)
    if n > 3 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if n > 3 and word.endswith("es") and word[-3] in "sxzho":  # boxes, matches, goes
        out.append(word[:-2])
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        out.append(word[:-1])
    if n > 4 and word.endswith("ied"):
        out.append(word[:-3] + "y")
    if n > 3 and word.endswith("ed"):
        out += [word[:-1], word[:-2]]
        if n > 4 and word[-3] == word[-4]:
            out.append(word[:-3])
    if n > 5 and word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e"]
        if word[-4] == word[-5]:
            out.append(word[:-4])
    if n > 5 and word.endswith(("est", "er")):  # largest, larger (harmless when not a comparative)
        stem = word[:-3] if word.endswith("est") else word[:-2]
        out += [stem, stem + "e"] + ([stem[:-1]] if stem[-1] == stem[-2] else [])
    # Derivations, tried last: integration → integrate, development → develop, national → nation.
    for rule in "ation:ate ation: ment: ally:al ly: ional:ion ial:y al: ity: ness: ic:y".split():
        suffix, repl = rule.split(":")
        if n > len(suffix) + 3 and word.endswith(suffix):
            out.append(word[: -len(suffix)] + repl)
    return list(dict.fromkeys(out))
