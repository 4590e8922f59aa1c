"""The neutraliser: strips an influencer's voice markers from a post, leaving plain text.

Markers are found by salience against the background corpus: words and short phrases far
more frequent in the posts than in everyday text (the background sentences, and for single
words wordfreq's frequencies in everyday English or Chinese at large), sentence openers the
voice favours that can be lifted off the sentence ("And ...", "Well, ..."), punctuation runs
the background never uses (!!!, ～～, ！！), every emoji, kaomoji, [emoji name] and hashtag,
stretched words, the voice's own spellings of everyday words (u for you, 超 for 很), its
word choice among everyday synonyms (children for kids), and
casing (restored from how the background writes each word). Chinese posts come out as plain
Chinese (ending in 。, no spaces added). Pairs (neutral post -> real post) then teach the tagger.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .textops import (SENTENCE_END_MARKS, Token, collapse_elongation, detokenize, is_chinese, language,
                      needs_space, split_sentences, tokenize, word_key)

MAX_NGRAM = 4
DATA_DIR = Path(__file__).resolve().parent / "data"
STANDALONE = "standalone"  # deleted only where it stands between punctuation/emoji/edges
ANYWHERE = "anywhere"  # a filler word, deleted wherever it appears
OPENER = "opener"  # starts sentences ("okay so ..."), deleted where it follows an edge
CLOSER = "closer"  # ends sentences ("... lol."), deleted where an edge follows it
STARTER = "starter"  # opens a sentence and can be lifted off it ("And ...", "Well, ..."),
# deleted only at the start of a sentence


def _keys(text: str) -> list[str]:
    return [word_key(t) for t in tokenize(text) if t.kind in ("word", "punct")]


SENTENCE_MARKS = ".!?…。！？～~"  # punctuation that runs (!!!, ...) and ends sentences
_ENDS = ".!?。！？"


def _canonical_punct(text: str) -> str:
    """One representative of a punctuation run: '!!!' -> '!', '...' -> '.', '?!' -> '?',
    '！！' -> '！', '？！' -> '？', '～～' -> '～'."""
    if "？" in text:
        return "？"
    if "?" in text:
        return "?"
    if text[0] in ".…":
        return "."
    if text[0] == "~":
        return "～"
    return text[0]


def _plain_end(canon: str) -> str:
    """What a salient sentence mark becomes in plain text: a full stop of the same script
    ('!' -> '.', '！' -> '。'), or nothing ('～', commas)."""
    if canon in "!?.":
        return "."
    if canon in "！？。":
        return "。"
    return ""


def _wordfreq_rate(word: str, lang: str) -> float:
    """The frequency of `word` in everyday text of `lang` (wordfreq: Wikipedia, subtitles,
    news, books, web text, Twitter, Reddit), 0 when wordfreq does not know it."""
    try:
        from wordfreq import word_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency; the templates still work
        return 0.0
    return word_frequency(word, lang)


@dataclass
class Neutraliser:
    """Learned marker lists and casing table; `neutralise(post)` returns plain text."""

    markers: dict[tuple[str, ...], str] = field(default_factory=dict)
    salient_punct: set[str] = field(default_factory=set)
    truecase: dict[str, str] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)
    swaps: dict[str, str] = field(default_factory=dict)
    # Whether the voice starts sentences in lower case (most of its posts' sentences do);
    # None for a voice saved before this was recorded.
    lower_starts: bool | None = None

    @classmethod
    def fit(
        cls,
        posts: list[str],
        background: list[str],
        min_doc_freq: float = 0.04,
        min_ratio: float = 10.0,
    ) -> "Neutraliser":
        """Find the markers salient in `posts` against `background`.

        An n-gram (n <= 3) is a marker when it is in at least `min_doc_freq` of the posts and
        at least `min_ratio` times more frequent there (per sentence) than in the background.
        The document-frequency floor keeps topic words (each rare) apart from catchphrases.
        """
        post_df = _doc_freq(posts)
        back_df = _doc_freq(background)
        n_post, n_back = max(len(posts), 1), max(len(background), 1)
        # Words per post, to turn wordfreq's per-word frequencies into per-post rates.
        words_per_post = sum(len(_keys(p)) for p in posts) / n_post
        salient = set()
        for gram, count in post_df.items():
            p_rate = count / n_post
            b_rate = (back_df.get(gram, 0) + 0.5) / n_back
            if len(gram) == 1 and gram[0][:1].isalpha():
                # The bundled background is a few thousand sentences; how often everyday
                # text of the language uses a word comes from wordfreq's large corpora.
                lang = "zh" if is_chinese(gram[0]) else "en"
                b_rate = max(b_rate, _wordfreq_rate(gram[0], lang) * words_per_post)
            if p_rate >= min_doc_freq and p_rate / b_rate >= min_ratio and _is_markable(gram):
                salient.add(gram)
        punct = {g[0] for g in salient if len(g) == 1 and not g[0][0].isalnum()}
        contexts = _contexts(posts, salient - {(p,) for p in punct})
        markers: dict[tuple[str, ...], str] = {}
        post_words, back_words = word_counts(posts), word_counts(background)
        swaps = _find_swaps(posts, background, {g[0] for g in salient if len(g) == 1}, post_words, back_words)
        for gram, (count, alone, opens, closes, lefts, rights, after_heads, before_heads) in contexts.items():
            if len(gram) == 1 and gram[0] in swaps:
                continue
            # Salience alone cannot tell a catchphrase from a topic the background lacks;
            # where it sits can: catchphrases stand alone between punctuation and emoji
            # ("Obsessed!", "quiet..."), fillers land next to any word ("literally").
            if alone >= 0.1 * count:
                markers[gram] = STANDALONE
            elif opens >= 0.9 * count and len(rights) >= max(30, 0.02 * count):
                markers[gram] = OPENER  # always at an edge, yet any sentence may follow
            elif closes >= 0.9 * count and len(lefts) >= max(30, 0.02 * count):
                markers[gram] = CLOSER
            elif (len(gram) == 1 and after_heads < 0.2 * count
                  and (min(len(lefts), len(rights)) >= max(20, 0.1 * count)
                       or (len(rights) >= max(20, 0.02 * count) and len(lefts) >= 2))
                  and before_heads < 0.5 * count and max(opens, closes) < 0.5 * count):
                # A filler ("literally") lands next to any word, or at least before any
                # word ("I really ___", "we really ___"); a noun the voice talks about
                # ("America", "freedom") lands next to as many, but mostly after "the",
                # "of", "our": deleting it would leave "the love of ." behind. Nor is a
                # word that heads a phrase ("near the ...") or mostly starts or ends
                # sentences a filler.
                markers[gram] = ANYWHERE
        # "okay so the" is the opener "okay so" plus ordinary text: keep the shortest.
        for gram, kind in list(markers.items()):
            if kind == OPENER and any(markers.get(gram[:k]) == OPENER for k in range(1, len(gram))):
                del markers[gram]
            elif kind == CLOSER and any(markers.get(gram[k:]) == CLOSER for k in range(1, len(gram))):
                del markers[gram]
        # "so" of the opener "okay so" is no filler of its own: deleting it first would leave
        # "okay" behind, and the opener unlearned.
        in_phrases = {w for gram in markers if len(gram) > 1 for w in gram}
        for gram, kind in list(markers.items()):
            if kind == ANYWHERE and gram[0] in in_phrases:
                del markers[gram]
        for gram in _find_starters(posts, background):
            markers.setdefault(gram, STARTER)
        # Word choice, outside the markers ("okay" of the opener "okay so" stays as it is).
        marker_words = {w for gram in markers for w in gram}
        for voiced, plain in _find_word_choices(post_words, back_words).items():
            if voiced not in marker_words and plain not in marker_words:
                swaps.setdefault(voiced, plain)
        truecase = _truecase_table(background)
        vocab = {k for s in background for k in _keys(s)}
        return cls(markers, punct, truecase, vocab, swaps, _lower_starts(posts))

    def neutralise(self, post: str) -> str:
        """Remove the voice from `post`: markers, emoji, hashtags, stretching, stylised case."""
        tokens = [t for t in tokenize(post) if t.kind not in ("emoji", "hashtag")]
        tokens = [Token(self.swaps[word_key(t)], t.space, t.kind) if t.kind == "word" and word_key(t) in self.swaps
                  else t for t in tokens]
        tokens = self._drop_markers(tokens)
        out: list[Token] = []
        for tok in tokens:
            if tok.kind == "punct":
                canon = _canonical_punct(tok.text) if tok.text[0] in SENTENCE_MARKS else tok.text
                if canon in self.salient_punct:
                    canon = _plain_end(canon)
                if not canon or not out or out[-1].kind == "punct":
                    continue  # orphaned by a removed marker, or doubled
                out.append(Token(canon, "", "punct"))
            elif tok.kind == "word":
                word = self._plain_word(tok.text)
                out.append(Token(word, _space(tok, out, word), "word"))
            else:
                out.append(Token(tok.text, _space(tok, out, tok.text), tok.kind))
        if out and out[-1].kind == "punct" and out[-1].text not in _ENDS:
            out.pop()  # a comma or dash left dangling at the end
        if out and out[-1].kind != "punct":
            out.append(Token("。" if language(post) == "zh" else ".", "", "punct"))
        return _sentence_case(out)

    def _plain_word(self, word: str) -> str:
        key = collapse_elongation(word.lower())
        if key not in self.vocabulary and key != word.lower():
            # "gooood" collapses to "god"; prefer a two-letter reading the background knows.
            known = sorted(v for v in collapse_elongation_variants(word) if v in self.vocabulary)
            key = known[0] if known else key
        if key in self.truecase:
            return self.truecase[key]
        if word.islower() or (word.isupper() and len(word) > 1):
            return key
        return word[:1] + key[1:]  # a capitalised name the background does not know

    def _drop_markers(self, tokens: list[Token]) -> list[Token]:
        for kind in (ANYWHERE, STANDALONE, OPENER, CLOSER, STARTER):
            grams = {g for g, k in self.markers.items() if k == kind}
            keys = [_canon_key(word_key(t)) if t.kind in ("word", "punct") else "\0" for t in tokens]
            bound = [t.kind not in ("word", "number") for t in tokens]
            drop = [False] * len(tokens)
            for n in range(MAX_NGRAM, 0, -1):
                for i in range(len(tokens) - n + 1):
                    if any(drop[i:i + n]) or tuple(keys[i:i + n]) not in grams:
                        continue
                    opens = i == 0 or bound[i - 1]
                    closes = i + n == len(tokens) or bound[i + n]
                    starts = i == 0 or keys[i - 1][:1] in _ENDS
                    if (kind == ANYWHERE or (kind == STANDALONE and opens and closes)
                            or (kind == OPENER and opens) or (kind == CLOSER and closes)
                            or (kind == STARTER and starts and i + n < len(tokens) and not bound[i + n])):
                        drop[i:i + n] = [True] * n
            tokens = [t for t, d in zip(tokens, drop) if not d]
        return tokens

    def to_json(self) -> dict:
        """A JSON-ready form (saved in the style folder, read back by `from_json`)."""
        return {
            "markers": {" ".join(m): k for m, k in sorted(self.markers.items())},
            "salient_punct": sorted(self.salient_punct),
            "truecase": dict(sorted(self.truecase.items())),
            "swaps": dict(sorted(self.swaps.items())),
            "lower_starts": self.lower_starts,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Neutraliser":
        """Inverse of `to_json` (the vocabulary is only needed while fitting)."""
        return cls(
            {tuple(m.split(" ")): k for m, k in data["markers"].items()},
            set(data["salient_punct"]),
            dict(data["truecase"]),
            set(data["truecase"]),
            dict(data.get("swaps", {})),
            data.get("lower_starts"),
        )

    def marker_strings(self) -> list[str]:
        """The word markers as display strings, longest first."""
        return [" ".join(m) for m in sorted(self.markers, key=lambda m: (-len(m), m))]


def _space(tok: Token, out: list[Token], text: str) -> str:
    """A token's own whitespace, or one space where a removed marker left two words glued
    (never between Chinese words)."""
    if tok.space or not out:
        return tok.space
    return " " if needs_space(out[-1].text, text) else ""


def collapse_elongation_variants(word: str) -> set[str]:
    """Every way of shortening each 3+ letter run of `word` to one or two letters."""
    variants = {""}
    pos = 0
    for m in re.finditer(r"(\w)\1{2,}", word.lower()):
        prefix = word.lower()[pos:m.start()]
        variants = {v + prefix + m.group(1) * k for v in variants for k in (1, 2)}
        pos = m.end()
    return {v + word.lower()[pos:] for v in variants}


def _neighbours(texts: list[str], words: set[str] | None) -> dict[str, Counter]:
    """Counts of the words left ("L:") and right ("R:") of each word (of `words`, or all)."""
    out: dict[str, Counter] = {}
    for text in texts:
        keys = [word_key(t) for t in tokenize(text) if t.kind in ("word", "punct")]
        for i, k in enumerate(keys):
            if words is None or k in words:
                c = out.setdefault(k, Counter())
                c["L:" + (keys[i - 1] if i else "<s>")] += 1
                c["R:" + (keys[i + 1] if i + 1 < len(keys) else "</s>")] += 1
    return out


def _cosine(a: Counter, b: Counter) -> float:
    """Context similarity: the lower of the left-neighbour and right-neighbour cosines (one
    shared side, e.g. "the ___", must not be enough)."""
    return min(_plain_cosine(Counter({k: v for k, v in a.items() if k.startswith(side)}),
                             Counter({k: v for k, v in b.items() if k.startswith(side)}))
               for side in ("L:", "R:"))


def _plain_cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


EVERYDAY_RATE = 10 ** (3.5 - 9)  # wordfreq frequency of a word at Zipf 3.5


def word_counts(texts: list[str]) -> Counter:
    """How often each word key occurs in `texts`."""
    return Counter(word_key(t) for text in texts for t in tokenize(text) if t.kind == "word")


def _find_swaps(posts: list[str], background: list[str], salient: set[str], post_counts: Counter,
                back_counts: Counter, min_similarity: float = 0.85) -> dict[str, str]:
    """Voice spellings of everyday words ("u" for "you"): a salient post word that the
    background lacks, matched to a background word the posts under-use, by the similarity
    of the words around them."""
    n_post, n_back = sum(post_counts.values()) or 1, sum(back_counts.values()) or 1
    # A spelling ("u", "ur", "luv") is no everyday word of its own; "trip" is, however alike
    # its neighbours are to those of "city" in a few thousand posts.
    new_words = {w for w in salient if w[:1].isalpha() and back_counts.get(w, 0) == 0 and post_counts[w] >= 10
                 and (is_chinese(w) or len(w) < 3 or _wordfreq_rate(w, "en") < EVERYDAY_RATE)}
    under = {w for w, c in back_counts.items()
             if c >= 10 and post_counts.get(w, 0) / n_post < 0.5 * c / n_back}
    post_ctx = _neighbours(posts, new_words)
    if not new_words or not under:
        return {}
    back_ctx = _neighbours(background, under)
    swaps = {}
    for w in sorted(new_words):
        # The everyday word must be missing from the posts about as often as the voice's
        # spelling appears ("u" stands in for the "you"s the posts lack), and sit among
        # the same neighbours.
        def fits(v: str) -> bool:
            missing = back_counts[v] / n_back * n_post - post_counts.get(v, 0)
            return missing > 0 and 0.5 <= post_counts[w] / missing <= 2.0

        options = [v for v in sorted(under) if fits(v)]
        if not options:
            continue
        best = max(options, key=lambda v: _cosine(post_ctx.get(w, Counter()), back_ctx.get(v, Counter())))
        if _cosine(post_ctx.get(w, Counter()), back_ctx.get(best, Counter())) >= min_similarity:
            swaps[w] = best
    return swaps


def _lower_starts(posts: list[str]) -> bool:
    """Whether most sentences of `posts` that start with a Latin letter start in lower case."""
    starts = [m.group() for p in posts for sentence, _ in split_sentences(p)
              if (m := re.search(r"[A-Za-z]", sentence[:3]))]
    return bool(starts) and sum(c.islower() for c in starts) > 0.5 * len(starts)


_COMMAS = frozenset(",，、;；:：")
DETERMINERS = frozenset("a an the this that these those my our your their his her its 这 那 这个 那个 我的 我们的".split())


def _sentence_keys(texts: list[str]) -> list[list[str]]:
    """The word and punctuation keys of every sentence of `texts` (other tokens as "\0")."""
    out = []
    for text in texts:
        for sentence, _ in split_sentences(text):
            out.append([_canon_key(word_key(t)) if t.kind in ("word", "punct") else "\0" for t in tokenize(sentence)])
    return out


def _find_starters(posts: list[str], background: list[str], min_share: float = 0.01, min_ratio: float = 5.0,
                   max_words: int = 2) -> list[tuple[str, ...]]:
    """The voice's sentence openers that can be lifted off the sentence they open: "And",
    "But", "So" (conjunctions), "Well,", "Now,", "Of course," (an opener closed by a comma).

    A gram of up to `max_words` words (and its comma) is one when at least `min_share` of
    the posts' sentences (and 5) open with it, `min_ratio` times the background's share,
    at least five different words follow it, it is no noun phrase ("The city,"), and either
    it ends in a comma, or it is one word that joins clauses (often after a comma
    inside sentences too, as conjunctions are and prepositions or pronouns are not), what
    follows it usually opens sentences itself (opens at least three of the posts' or the
    background's), and its sentences do not nearly all go on after a comma (as "If ..., ..."
    does). Lifting "With" off "With the aid of ..." would leave a fragment, and "If" or
    "Because" put before a sentence makes one; "And" before "We did." leaves a sentence.
    """
    post_sentences, back_sentences = _sentence_keys(posts), _sentence_keys(background)
    n_post, n_back = max(len(post_sentences), 1), max(len(back_sentences), 1)
    back_starts = Counter(tuple(k[:n]) for k in back_sentences for n in range(1, max_words + 2) if len(k) > n)
    first = Counter(k[0] for k in post_sentences + back_sentences if k)
    openers = {w for w, c in first.items() if c >= 3}
    after_comma, inside = Counter(), Counter()
    for keys in post_sentences + back_sentences:
        for i in range(1, len(keys)):
            inside[keys[i]] += 1
            after_comma[keys[i]] += keys[i - 1] in _COMMAS
    counts, follow, main_clause_after = Counter(), {}, Counter()
    for keys in post_sentences:
        for n in range(1, max_words + 2):
            if len(keys) <= n or "\0" in keys[:n + 1] or not keys[0][:1].isalpha():
                break
            gram = tuple(keys[:n])
            if not (gram[-1][:1].isalpha() or (n > 1 and gram[-1] in _COMMAS)):
                continue
            counts[gram] += 1
            follow.setdefault(gram, Counter())[keys[n]] += 1
            if n == 1 and any(k in _COMMAS for k in keys[2:]):
                main_clause_after[gram] += 1
    starters = []
    for gram, count in counts.items():
        share = count / n_post
        if count < 5 or share < min_share or share / ((back_starts[gram] + 0.5) / n_back) < min_ratio:
            continue
        if len(follow[gram]) < 5 or gram[0] in DETERMINERS:
            continue  # always the same sentence ("City, again."), or a noun phrase ("The city, ...")
        if gram[-1] in _COMMAS:
            if all(w[:1].isalpha() for w in gram[:-1]):
                starters.append(gram)
            continue
        word = gram[0]
        joins = len(gram) == 1 and inside[word] >= 20 and after_comma[word] >= 0.2 * inside[word]
        # "If ..., ..." and "Because ..., ...": a clause that needs a main clause after it
        # (its sentences nearly always go on after a comma); "And ..." stands on its own.
        subordinate = main_clause_after[gram] >= 0.85 * count
        opens_after = sum(c for w, c in follow[gram].items() if w in openers)
        if joins and not subordinate and opens_after >= 0.5 * count:
            starters.append(gram)
    return sorted(starters)


LEXICON_FILES = {"en": "synonyms_en.tsv"}


def load_lexicon(lang: str) -> dict[str, list[str]]:
    """The bundled synonym table of `lang` (word -> words of its main sense, in the same
    form; from WordNet 3.0, see data/LEXICON.md), empty for a language without one."""
    if lang not in LEXICON_FILES:
        return {}
    table = {}
    for line in (DATA_DIR / LEXICON_FILES[lang]).read_text(encoding="utf-8").splitlines():
        word, _, synonyms = line.partition("\t")
        if synonyms:
            table[word] = synonyms.split(",")
    return table


def _find_word_choices(counts: Counter, back: Counter, min_count: int = 5,
                       min_preference: float = 4.0) -> dict[str, str]:
    """The voice's word choice: voice word -> the everyday synonym it takes the place of.

    A synonym pair (see `load_lexicon`) is a choice of the voice when the posts prefer one
    word over the other at least `min_preference` times more than everyday English does
    (wordfreq) and than the background corpus does, with the preferred word used at least
    `min_count` times: a writer who says "children" where others say "kids". (Against the
    background too: a preference the background shares is not this voice's.) Each voice
    word stands for the most everyday of the words it is preferred to. `counts` and `back`
    are the posts' and the background's `word_counts`.
    """
    choices: dict[str, tuple[float, str]] = {}
    for plain, options in load_lexicon("en").items():
        for voiced in options:
            used = counts.get(voiced, 0)
            if used < min_count:
                continue
            f_voiced, f_plain = _wordfreq_rate(voiced, "en"), _wordfreq_rate(plain, "en")
            if not f_voiced or not f_plain:
                continue
            odds = (used + 0.5) / (counts.get(plain, 0) + 0.5)
            back_odds = (back.get(voiced, 0) + 0.5) / (back.get(plain, 0) + 0.5)
            if min(odds / (f_voiced / f_plain), odds / back_odds) < min_preference:
                continue
            if f_plain > choices.get(voiced, (0.0, ""))[0]:
                choices[voiced] = (f_plain, plain)
    return {voiced: plain for voiced, (_, plain) in sorted(choices.items())}


def _is_markable(gram: tuple[str, ...]) -> bool:
    """Markers must start and end on a word, or be a single punctuation run."""
    if len(gram) == 1:
        return True
    return gram[0][:1].isalnum() and gram[-1][:1].isalnum()


# Words that open a noun phrase (articles, possessives, prepositions; 的 在 和 ...): what
# follows them is the phrase's content, never a filler that can be dropped.
PHRASE_HEADS = frozenset(
    "a an the this that these those my our your their his her its of for to in on at with from by into about "
    "upon under over through".split() + "的 在 和 与 把 被 给 对 从 向 这 那 这个 那个 一个 我们 你们 他们".split())


def _contexts(posts: list[str], grams: set[tuple[str, ...]]) -> dict:
    """For each gram: occurrences; how many stand alone, follow an edge, precede an edge;
    the distinct words seen left and right of it; how many follow a PHRASE_HEADS word, how
    many precede one."""
    stats: dict = {}
    for post in posts:
        toks = tokenize(post)
        keys = [_canon_key(word_key(t)) if t.kind in ("word", "punct") else "\0" for t in toks]
        sides = [word_key(t) if t.kind in ("word", "number") else None for t in toks]
        for n in range(1, MAX_NGRAM + 1):
            for i in range(len(toks) - n + 1):
                gram = tuple(keys[i:i + n])
                if gram not in grams:
                    continue
                left = sides[i - 1] if i > 0 else None
                right = sides[i + n] if i + n < len(toks) else None
                entry = stats.setdefault(gram, [0, 0, 0, 0, set(), set(), 0, 0])
                entry[0] += 1
                entry[1] += left is None and right is None
                entry[2] += left is None
                entry[3] += right is None
                entry[4].add(left)
                entry[5].add(right)
                entry[6] += left in PHRASE_HEADS
                entry[7] += right in PHRASE_HEADS
    return stats


def _doc_freq(texts: list[str]) -> Counter:
    df: Counter = Counter()
    for text in texts:
        keys = [_canon_key(k) for k in _keys(text)]
        grams = {tuple(keys[i:i + n]) for n in range(1, MAX_NGRAM + 1) for i in range(len(keys) - n + 1)}
        df.update(grams)
    return df


def _canon_key(key: str) -> str:
    return _canonical_punct(key) if key and key[0] in SENTENCE_MARKS else key


def _truecase_table(background: list[str]) -> dict[str, str]:
    """The usual spelling of each word in the background, ignoring sentence-initial words."""
    forms: dict[str, Counter] = {}
    for text in background:
        prev_end = True
        for tok in tokenize(text):
            if tok.kind == "word" and not prev_end:
                forms.setdefault(tok.text.lower(), Counter())[tok.text] += 1
            prev_end = tok.kind == "punct" and tok.text[0] in SENTENCE_END_MARKS
    table = {}
    for key, counts in forms.items():
        form, n = counts.most_common(1)[0]
        if form != key and n >= 0.6 * sum(counts.values()):
            table[key] = form
    table.setdefault("i", "I")
    for contraction in ("i'm", "i'll", "i've", "i'd"):
        table.setdefault(contraction, "I" + contraction[1:])
    return table


def _sentence_case(tokens: list[Token]) -> str:
    out = []
    start = True
    for tok in tokens:
        text = tok.text
        if tok.kind == "word" and start:
            text = text[:1].upper() + text[1:]
        if tok.kind in ("word", "number", "url", "mention", "other"):
            start = False
        if tok.kind == "punct" and tok.text in _ENDS:
            start = True
        out.append(Token(text, tok.space, tok.kind))
    return detokenize(out)


def salience_scores(posts: list[str], background: list[str]) -> dict[str, float]:
    """Smoothed log-odds of each token key in posts vs background (positive = the voice's)."""
    p = Counter(_canon_key(t.text if t.kind in ("emoji", "hashtag") else word_key(t))
                for s in posts for t in tokenize(s))
    b = Counter(_canon_key(t.text if t.kind in ("emoji", "hashtag") else word_key(t))
                for s in background for t in tokenize(s))
    np_, nb = sum(p.values()) + 1, sum(b.values()) + 1
    return {k: math.log((c + 0.5) / np_) - math.log((b.get(k, 0) + 0.5) / nb) for k, c in p.items()}
