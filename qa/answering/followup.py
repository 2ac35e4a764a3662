"""Give a follow-up question the subject of an earlier one when it lacks its own."""

from __future__ import annotations

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


def resolve(question: str, history: list[str] | None) -> str:
    """The question, completed with the latest earlier subject when it lacks one."""
    if not history or not lacks_subject(question):
        return question
    for earlier in reversed(history):
        subject = subject_of(earlier) or "".join(proper_nouns(earlier))
        if subject:
            stripped = question.strip()
            for pronoun in PRONOUNS:
                if stripped.startswith(pronoun):
                    return subject + stripped[len(pronoun) :]
            return subject + stripped
    return question
