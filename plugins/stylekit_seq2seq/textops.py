"""Plain-text helpers shared by the neutraliser, the edit tagger and generation.

Text is split into tokens that each remember the whitespace before them, so that
`detokenize(tokenize(s)) == s.strip()` for any input: the edit tagger rewrites tokens and
copies everything it leaves alone byte for byte.

English and Chinese (Simplified and Traditional, mixed in one text if need be) are both
first-class: runs of Chinese characters are segmented into words with jieba (on the
dictionary wordfreq ships, loaded without writing any cache file), Traditional characters
are matched to Simplified ones (OpenCC tables) when words are compared, and Chinese
social-media marks are tokens of their own: full-width punctuation runs (！！！, ～～),
kaomoji ((≧∇≦)), bracketed emoji names ([笑]), #话题# topics and @mentions.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass

# Emoji: pictographs plus their modifiers (variation selector, skin tone, ZWJ sequences).
_EMO = "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u2190-\u21FF\u3030\u303D]"
EMOJI_RE = rf"[\U0001F1E6-\U0001F1FF]{{2}}|{_EMO}(?:\uFE0F|[\U0001F3FB-\U0001F3FF]|\u200D{_EMO}\uFE0F?)*"
# Chinese (Han) characters: CJK unified ideographs, extension A, compatibility ideographs, ext. B+
HAN = "\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0002FA1F"
# Full-width and CJK punctuation (sentence ends, commas, quotes, brackets, the wave dash)
ZH_PUNCT = "\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\u2014\u2026\u201C\u201D\u2018\u2019"
# Bracketed emoji names as typed on Chinese platforms: [笑] [哈哈] [doge] [允悲]
EMOJI_NAME_RE = rf"\[(?:[{HAN}]{{1,5}}|[a-z]{{2,8}})\]"
# Kaomoji: a bracketed face of symbols (no letters of a word inside), with optional arms.
_FACE = rf"[^\s()（）\[\]A-Za-z0-9{HAN}，。！？、；：]"
KAOMOJI_RE = (rf"[ヾ٩╮o(（]?[(（]{_FACE}{{1,12}}[)）][ﾉノو۶╭o✧~～*]*"
              r"|\^[_\-o]?\^|[QT]_?[AT]_?[QT]|(?<![A-Za-z])orz(?![A-Za-z])")
URL_RE = r"(?:https?://|www\.)\S+[^\s.,!?;:)\]，。！？]"
MENTION_RE = r"@\w+"
# Weibo-style topics close with a second "#": #周末愉快#; elsewhere a hashtag is #word.
HASHTAG_RE = rf"#[^#\s]{{1,30}}#(?=[^\w]|$|[{HAN}])|#\w+"
NUMBER_RE = r"\d+(?:[.,:/]\d+)*%?"
HAN_RE = rf"[{HAN}]+"
WORD_RE = rf"(?:(?![{HAN}])[^\W\d_])+(?:['’](?:(?![{HAN}])[^\W\d_])+)*"
# A run of sentence-end marks (!!!, ..., ？！, ！！, ～～～) is one token; other punctuation one each.
PUNCT_RE = r"([.!?…。！？～~])\1*[.!?…。！？～~]*|[^\s\w]"

_TOKEN_RE = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in [
            ("url", URL_RE), ("mention", MENTION_RE), ("hashtag", HASHTAG_RE),
            ("emoji", EMOJI_RE), ("emojiname", EMOJI_NAME_RE), ("kaomoji", KAOMOJI_RE),
            ("number", NUMBER_RE), ("han", HAN_RE), ("word", WORD_RE),
            ("punct", PUNCT_RE), ("other", r"\S"),
        ]
    )
)
# Kinds whose tokens the user wrote and generation must never change or drop.
PROTECTED_KINDS = frozenset({"url", "mention", "number", "emoji", "hashtag"})
_HAN_CHAR = re.compile(f"[{HAN}]")
_ZH_CHAR = re.compile(f"[{HAN}{ZH_PUNCT}]")
_LATIN_CHAR = re.compile(r"[A-Za-z\u00C0-\u024F]")


@dataclass(frozen=True)
class Token:
    """One token of a text: its characters, the whitespace before it, and its kind."""

    text: str
    space: str
    kind: str


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens (urls, mentions, hashtags, emoji, numbers, words, punctuation).

    Kaomoji and bracketed emoji names are tokens of kind "emoji"; runs of Chinese
    characters are segmented into words (kind "word", joined without spaces).
    """
    tokens: list[Token] = []
    last = 0
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "other"
        space = text[last:m.start()]
        last = m.end()
        if kind == "han":
            for i, word in enumerate(segment_chinese(m.group())):
                tokens.append(Token(word, space if i == 0 else "", "word"))
            continue
        tokens.append(Token(m.group(), space, "emoji" if kind in ("emojiname", "kaomoji") else kind))
    return tokens


def is_chinese(text: str) -> bool:
    """Whether `text` contains a Chinese character or full-width/CJK punctuation."""
    return bool(_ZH_CHAR.search(text))


def language(text: str) -> str:
    """"zh" when Chinese characters make up at least a third of the letters of `text`, else "en"."""
    han = len(_HAN_CHAR.findall(text))
    latin = len(_LATIN_CHAR.findall(text))
    return "zh" if han and han >= 0.5 * latin else "en"


def needs_space(left: str, right: str) -> bool:
    """Whether text ending in `left` and text starting with `right` need a space between them
    when joined: not where either side is Chinese (Chinese is written without spaces)."""
    if not left or not right:
        return False
    return not (is_chinese(left[-1]) or is_chinese(right[0]))


@functools.lru_cache(maxsize=1)
def _segmenter() -> "object":
    """A jieba tokenizer on wordfreq's Chinese dictionary, built in memory (no cache file)."""
    import importlib.util
    import logging
    import os

    import jieba

    jieba.setLogLevel(logging.WARNING)
    wordfreq = importlib.util.find_spec("wordfreq")  # only its data file: importing it costs 0.2 s
    path = os.path.join(os.path.dirname(wordfreq.origin), "data", "jieba_zh.txt") if wordfreq and wordfreq.origin else ""
    seg = jieba.Tokenizer(path if os.path.isfile(path) else jieba.DEFAULT_DICT)
    seg.FREQ, seg.total = seg.gen_pfdict(seg.get_dict_file())
    seg.initialized = True  # jieba's own initialise() would write a cache file to /tmp
    return seg


_SEG_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _t2s() -> "object":
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """`text` with Traditional Chinese characters mapped to Simplified ones (OpenCC t2s)."""
    if not _HAN_CHAR.search(text):
        return text
    return _t2s().convert(text)


@functools.lru_cache(maxsize=65536)
def segment_chinese(run: str) -> tuple[str, ...]:
    """Words of a run of Chinese characters (jieba), Traditional segmented as its Simplified
    form; runs of one repeated character (哈哈哈哈) stay whole."""
    simple = to_simplified(run)
    with _SEG_LOCK:
        words = _segmenter().lcut(simple if len(simple) == len(run) else run)
    out: list[str] = []
    pos = 0
    for w in words:
        piece = run[pos:pos + len(w)]
        pos += len(w)
        if out and len(set(piece)) == 1 and set(out[-1]) == set(piece):
            out[-1] += piece  # 哈哈哈 + 哈哈 -> one stretched laugh
        else:
            out.append(piece)
    return tuple(out)


def detokenize(tokens: list[Token]) -> str:
    """Join tokens back with their own whitespace (leading whitespace of the text dropped)."""
    return "".join(t.space + t.text for t in tokens).strip()


def collapse_elongation(word: str) -> str:
    """Shorten runs of 3+ identical letters to one: soooo -> so, yesss -> yes, 哈哈哈 -> 哈."""
    return re.sub(r"(\w)\1{2,}", r"\1", word)


def word_key(token: Token) -> str:
    """The form two tokens must share to count as the same word (case, stretching and
    Traditional/Simplified script ignored)."""
    if token.kind == "word":
        return _word_form(token.text)
    return token.text


@functools.lru_cache(maxsize=1 << 16)
def _word_form(text: str) -> str:
    # Training calls this for every word of every post several times: cached.
    return collapse_elongation(to_simplified(text.lower()))


# Marks that end a sentence. A sentence ends after one of them followed by whitespace, or
# after 。！？ (no space needed in Chinese) unless more closing marks follow.
SENTENCE_END_MARKS = ".!?…。！？"
_SENTENCE_END = re.compile(rf"(?<=[{SENTENCE_END_MARKS}])\s+(?=\S)|(?<=[。！？])(?=[^\s。！？～~…”」』）)\]])")


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
    # Chinese function words, pronouns, particles and degree adverbs
    + "的 地 得 了 着 过 和 与 及 跟 同 或 是 在 有 没 没有 不 也 都 就 还 又 再 才 很 太 真 挺 "
      "我 你 您 他 她 它 我们 你们 他们 她们 咱们 这 那 这个 那个 这些 那些 这里 那里 这样 "
      "吗 呢 吧 啊 呀 哦 嘛 啦 哇 把 被 给 让 对 从 向 到 去 来 个 一 一个 些 一些 会 能 要 想 "
      "但 但是 而 而且 所以 因为 如果 就是 可以 已经 非常 特别 比较 好像 其实 然后".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased, de-stretched words of `text` that carry content (stopwords left out)."""
    return {
        word_key(t) for t in tokenize(text)
        if t.kind in ("word", "number") and word_key(t) not in CONTENT_STOPWORDS
    }


_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "{": "}", "「": "」", "『": "』", "“": "”", "‘": "’",
          "《": "》", "〈": "〉"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def brackets_balanced(text: str) -> bool:
    """Whether every bracket and curly quote in `text` closes the one opened before it
    (an apostrophe inside a word is not a quote)."""
    stack: list[str] = []
    for i, ch in enumerate(text):
        if ch == "’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            continue  # don’t
        if ch in _PAIRS:
            stack.append(_PAIRS[ch])
        elif ch in _CLOSERS:
            if not stack or stack.pop() != ch:
                return False
    return not stack
