"""Plain-text helpers shared by the neutraliser, the edit tagger and generation.

Text is split into tokens that each remember the whitespace before them, so that
`detokenize(tokenize(s)) == s.strip()` for any input: the edit tagger rewrites tokens and
copies everything it leaves alone byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Emoji: pictographs plus their modifiers (variation selector, skin tone, ZWJ sequences).
_EMO = "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u2190-\u21FF\u3030\u303D]"
EMOJI_RE = rf"[\U0001F1E6-\U0001F1FF]{{2}}|{_EMO}(?:\uFE0F|[\U0001F3FB-\U0001F3FF]|\u200D{_EMO}\uFE0F?)*"
URL_RE = r"(?:https?://|www\.)\S+[^\s.,!?;:)\]]"
MENTION_RE = r"@\w+"
HASHTAG_RE = r"#\w+"
NUMBER_RE = r"\d+(?:[.,:/]\d+)*%?"
WORD_RE = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
PUNCT_RE = r"([.!?…])\1*[.!?…]*|[^\s\w]"

_TOKEN_RE = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in [
            ("url", URL_RE), ("mention", MENTION_RE), ("hashtag", HASHTAG_RE),
            ("emoji", EMOJI_RE), ("number", NUMBER_RE), ("word", WORD_RE),
            ("punct", PUNCT_RE), ("other", r"\S"),
        ]
    )
)
# Kinds whose tokens the user wrote and generation must never change or drop.
PROTECTED_KINDS = frozenset({"url", "mention", "number", "emoji", "hashtag"})


@dataclass(frozen=True)
class Token:
    """One token of a text: its characters, the whitespace before it, and its kind."""

    text: str
    space: str
    kind: str


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens (urls, mentions, hashtags, emoji, numbers, words, punctuation)."""
    tokens: list[Token] = []
    last = 0
    for m in _TOKEN_RE.finditer(text):
        tokens.append(Token(m.group(), text[last:m.start()], m.lastgroup or "other"))
        last = m.end()
    return tokens


def detokenize(tokens: list[Token]) -> str:
    """Join tokens back with their own whitespace (leading whitespace of the text dropped)."""
    return "".join(t.space + t.text for t in tokens).strip()


def collapse_elongation(word: str) -> str:
    """Shorten runs of 3+ identical letters to one: soooo -> so, yesss -> yes."""
    return re.sub(r"(\w)\1{2,}", r"\1", word)


def word_key(token: Token) -> str:
    """The form two tokens must share to count as the same word (case and stretching ignored)."""
    if token.kind == "word":
        return collapse_elongation(token.text.lower())
    return token.text


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def split_sentences(text: str) -> list[tuple[str, str]]:
    """Split `text` into (sentence, whitespace-after) pairs that rejoin to the original text."""
    parts: list[tuple[str, str]] = []
    last = 0
    for m in _SENTENCE_END.finditer(text):
        parts.append((text[last:m.start()], m.group()))
        last = m.end()
    parts.append((text[last:], ""))
    return [(s, w) for s, w in parts if s or w]


CONTENT_STOPWORDS = frozenset(
    "a an the and or but so to of in on at for with from by is are was were be been am i me my "
    "we our you your he she it its they them their this that these those there here as if then "
    "than not no do did does have has had will would can could should just very really too "
    "up down out over into about after before again all some any what when where who how".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased, de-stretched words of `text` that carry content (stopwords left out)."""
    return {
        word_key(t) for t in tokenize(text)
        if t.kind in ("word", "number") and word_key(t) not in CONTENT_STOPWORDS
    }
