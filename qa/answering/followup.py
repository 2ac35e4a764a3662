"""Read a follow-up question against the earlier ones: give it the subject of an earlier one when it
lacks its own, put its topic in the place of the last question's ("那X呢?"), or give a relation it
names the earlier subject (协议期限是多久? after a question about an agreement)."""

from __future__ import annotations

import re

from ..text.tokens import NOUN_TAGS, QUESTION_WORDS, proper_nouns, tag

PRONOUNS = ("它们", "他们", "她们", "这里", "那里", "该地", "它", "他", "她", "其", "该", "这个", "那个", "此")
SUBJECT_TAGS = NOUN_TAGS | {"l"}  # idioms and set phrases can open a subject too
SUBJECTLESS_START = {"v", "vd", "vg", "d", "p", "r", "c", "u", "uj", "ul", "y", "m", "q", "a", "ad", "t", "f"}


def subject_of(question: str) -> str:
    """The noun phrase a question opens with (e.g. 合杭梦想小镇 in 合杭梦想小镇是什么时候开园的?)."""
    words: list[str] = []
    for word, flag in tag(question):
        if flag in SUBJECT_TAGS and word not in QUESTION_WORDS:
            words.append(word)
        elif words or flag != "x":
            break
    return "".join(words)


def lacks_subject(question: str) -> bool:
    """A question that names nothing and opens with a verb, pronoun or question word, or refers back."""
    stripped = question.strip()
    if any(stripped.startswith(p) for p in PRONOUNS):
        return True
    if proper_nouns(question):
        return False
    words = [(w, f) for w, f in tag(question) if f != "x"]
    return not words or words[0][1] in SUBJECTLESS_START or words[0][0] in QUESTION_WORDS


def completed(question: str, subject: str) -> str:
    """The question with `subject` in place of the pronoun it opens with, or before it."""
    stripped = question.strip()
    for pronoun in PRONOUNS:
        if stripped.startswith(pronoun):
            return subject + stripped[len(pronoun) :]
    return subject + stripped


# "那X呢?", "X呢?": only a topic, the rest of the question is the last one's.
_TOPIC_ONLY_RE = re.compile(r"^(?:那么|那)?\s*(?P<topic>[^?？!！。,，]{1,30}?)\s*呢\s*[?？!！。…]*$")


def earlier_subject(history: list[str]) -> str:
    """The subject of the latest earlier question that has one ('' when none has)."""
    for earlier in reversed(history):
        subject = subject_of(earlier) or "".join(proper_nouns(earlier))
        if subject:
            return subject
    return ""


def readings(question: str, history: list[str] | None) -> list[str]:
    """The ways to read a question after the earlier ones, without repeats: its topic in the place of
    the last question's subject ("那X呢?"), completed with an earlier subject (`completed`), the earlier
    subject put before a question that names no name of its own (a relation of it: 协议期限), and the
    question as asked unless it has no subject at all.
    Each is answered and the surest answer kept, so a reading that does not fit costs only a try."""
    if not history:
        return [question]
    found = []
    stripped = question.strip()
    only = _TOPIC_ONLY_RE.match(stripped)
    last_subject = subject_of(history[-1])
    if only and last_subject and only.group("topic") not in history[-1]:
        found.append(history[-1].replace(last_subject, only.group("topic"), 1))
    subject = earlier_subject(history)
    if subject and lacks_subject(question):
        found.append(completed(question, subject))
        if stripped.startswith(PRONOUNS):  # 其中法人事项…: a part, maybe unnamed before
            found.append(question)  # a question with no subject at all is never read without one
    else:
        found.append(question)
        names_none = not only and not proper_nouns(question)  # 协议期限是多久?, not 包河区有多少人口?
        if subject and names_none and subject.lower() not in question.lower():
            found.append(subject + stripped)
    return list(dict.fromkeys(found))
