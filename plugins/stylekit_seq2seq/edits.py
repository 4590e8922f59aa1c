"""Edit scripts over source tokens: how a neutral sentence becomes the voiced one.

Every source token gets two tags: a transform (keep, delete, lower, upper, title, or
replace with a string) and an insertion (nothing, or a string to add after it); one more
insertion slot sits before the first token. Untouched tokens are copied byte for byte, so
the model cannot lose content by failing to copy it: copying is structural.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from .textops import SENTENCE_END_MARKS, Token, is_chinese, needs_space, word_key

KEEP, DELETE, LOWER, UPPER, TITLE = "<keep>", "<delete>", "<lower>", "<upper>", "<title>"
NO_INSERT = ""
BASE_TRANSFORMS = [KEEP, DELETE, LOWER, UPPER, TITLE]


@dataclass
class EditScript:
    """Tags for one source: `transforms[i]` and `inserts[i + 1]` per token, `inserts[0]` first."""

    transforms: list[str]
    inserts: list[str]


def _transform_for(src: str, tgt: str) -> str:
    if src == tgt:
        return KEEP
    if tgt == src.lower():
        return LOWER
    if tgt == src.upper():
        return UPPER
    if tgt == src[:1].upper() + src[1:].lower():
        return TITLE
    return "=" + tgt


def _span(tokens: list[Token]) -> str:
    """Text of consecutive target tokens, keeping the whitespace before the first one."""
    return "".join(t.space + t.text for t in tokens)


def align(source: list[Token], target: list[Token], equivalents: dict[str, str] | None = None) -> EditScript:
    """The edit script turning `source` tokens into `target` tokens (case/stretch-aware).

    `equivalents` maps a target word to the source word it stands for (the voice's word
    choice, "children" for "kids"): such a pair lines up as one word replaced, whatever is
    inserted or removed around it."""
    transforms = [KEEP] * len(source)
    inserts = [NO_INSERT] * (len(source) + 1)
    equivalents = equivalents or {}
    target_keys = [equivalents.get(k, k) for k in (word_key(t) for t in target)]
    matcher = SequenceMatcher(None, [word_key(t) for t in source], target_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                transforms[i] = _transform_for(source[i].text, target[j].text)
        elif op == "delete":
            for i in range(i1, i2):
                transforms[i] = DELETE
        elif op == "insert":
            inserts[i1] += _span(target[j1:j2])
        else:  # replace of unequal lengths: pair what lines up, then insert or delete the rest
            n = min(i2 - i1, j2 - j1)
            for k in range(n):
                transforms[i1 + k] = _transform_for(source[i1 + k].text, target[j1 + k].text)
            for i in range(i1 + n, i2):
                transforms[i] = DELETE
            if j2 - j1 > n:
                inserts[i1 + n] += _span(target[j1 + n:j2])
    return EditScript(transforms, inserts)


def apply_script(source: list[Token], script: EditScript) -> str:
    """Rewrite `source` by `script`: the inverse of `align` for every tag it produced."""
    out: list[str] = [script.inserts[0].lstrip()] if script.inserts[0] else []
    for i, tok in enumerate(source):
        tag = script.transforms[i]
        if tag != DELETE:
            text = _transformed(tok.text, tag)
            # The first source token has no whitespace of its own; after an opening insertion
            # it needs one ("quiet." + "one" -> "quiet. one"), unless either side is Chinese.
            space = tok.space or (" " if i == 0 and out and needs_space(out[-1], text) else "")
            out.append(space + text)
        insert = script.inserts[i + 1]
        if insert:
            # An opener learned at the start has no space of its own; never glue it to a
            # word (Chinese is written without spaces, so there it is glued).
            glue = not insert[0].isalnum() or not out or not needs_space(out[-1], insert)
            out.append(insert if glue else " " + insert)
    return "".join(out).strip()


def _transformed(text: str, tag: str) -> str:
    if tag == KEEP:
        return text
    if tag == LOWER:
        return text.lower()
    if tag == UPPER:
        return text.upper()
    if tag == TITLE:
        return text[:1].upper() + text[1:].lower()
    return tag[1:]  # "=replacement"


START, END, SENTENCE, BOUNDARY, MID = "start", "end", "sentence", "boundary", "mid"
_WORDLIKE = ("word", "number")
# Version of the slot classes an edit vocabulary was built with: 2 tells the start of a
# later sentence ("sentence") from other clause boundaries; voices built before it (1) saw
# both as "boundary".
SLOT_CLASSES = 2


def slot_class(tokens: list[Token], slot: int) -> str:
    """Where insertion slot `slot` sits (0: before the first token, i + 1: after token i):
    the start or end of the text, the start of a later sentence (after . ! ? 。！？), another
    clause boundary (next to punctuation, emoji, tags), or mid-phrase between two words."""
    if slot == 0:
        return START
    if slot >= len(tokens):
        return END
    if tokens[slot - 1].kind in _WORDLIKE and tokens[slot].kind in _WORDLIKE:
        return MID
    if tokens[slot - 1].kind == "punct" and tokens[slot - 1].text[-1] in SENTENCE_END_MARKS and tokens[slot].kind in _WORDLIKE:
        return SENTENCE
    return BOUNDARY


def _script_of(text: str) -> str | None:
    """"zh" for text with Chinese characters, "en" for text with Latin letters, else None."""
    if is_chinese(text):
        return "zh"
    if any(c.isalpha() for c in text):
        return "en"
    return None


class EditVocabulary:
    """The transform and insertion tags a voice uses, each mapped to a class index.

    Replacement tags and the delete tag also remember which source words they applied to in
    training, so "=!" may turn a full stop into "!", and only words the voice dropped get
    dropped: the user's content words are never deleted by a guess. Insertion tags remember
    where the posts put them (start, end, start of a later sentence, other clause boundary,
    mid-phrase, and for mid-phrase which word followed), so an insertion only lands where
    the voice itself places it: "And" opens sentences, never follows a comma.
    """

    def __init__(self, transforms: list[str], inserts: list[str], sources: dict[str, list[str]] | None = None,
                 places: dict[str, list[str]] | None = None, slot_classes: int = SLOT_CLASSES):
        self.transforms = transforms
        self.inserts = inserts
        self.sources = {tag: set(keys) for tag, keys in (sources or {}).items()}
        # None: a voice saved before insertion places were learned (every place allowed).
        self.places = None if places is None else {tag: set(v) for tag, v in places.items()}
        self.slot_classes = slot_classes
        self._t = {t: i for i, t in enumerate(transforms)}
        self._n = {t: i for i, t in enumerate(inserts)}
        self._masks: tuple | None = None

    @classmethod
    def build(cls, pairs: list[tuple[list[Token], EditScript]], max_replace: int = 300,
              max_insert: int = 500, min_count: int = 2) -> "EditVocabulary":
        """The base transforms plus replacements and insertions seen at least `min_count` times."""
        t_counts = Counter(t for _, s in pairs for t in s.transforms if t not in BASE_TRANSFORMS)
        n_counts = Counter(t for _, s in pairs for t in s.inserts if t != NO_INSERT)
        replaces = [t for t, c in t_counts.most_common(max_replace) if c >= min_count]
        inserts = [t for t, c in n_counts.most_common(max_insert) if c >= min_count]
        sources: dict[str, set[str]] = {t: set() for t in [DELETE, *replaces]}
        places: dict[str, set[str]] = {t: set() for t in inserts}
        for tokens, script in pairs:
            for tok, tag in zip(tokens, script.transforms):
                if tag in sources:
                    sources[tag].add(word_key(tok))
            for slot, tag in enumerate(script.inserts):
                if tag in places:
                    where = slot_class(tokens, slot)
                    places[tag].add(where)
                    if where == MID:
                        places[tag].add(MID + ":" + word_key(tokens[slot]))
        return cls(BASE_TRANSFORMS + replaces, [NO_INSERT] + inserts,
                   {t: sorted(k) for t, k in sources.items()}, {t: sorted(v) for t, v in places.items()})

    def allowed_transforms(self, token: Token) -> list[int]:
        """Indices of the transforms that may apply to `token` (replace/delete only where seen)."""
        key = word_key(token)
        return [i for i, t in enumerate(self.transforms)
                if t not in self.sources or key in self.sources[t]]

    def insert_mask(self, tokens: list[Token], lang: str) -> "object":
        """A bool array [slots, insertion tags]: which tags may go in each insertion slot of
        `tokens`. Only where the posts placed them (mid-phrase only before a word they
        preceded there) and only in the script of the text (no Chinese catchphrase inside
        English, nor the reverse); "insert nothing" is always allowed."""
        import numpy as np

        if self._masks is None:
            n = len(self.inserts)
            scripts = [_script_of(tag) for tag in self.inserts]
            by_lang = {lg: np.array([s is None or s == lg for s in scripts], dtype=bool) for lg in ("en", "zh")}
            by_place = {w: np.ones(n, dtype=bool) for w in (START, END, SENTENCE, BOUNDARY, MID)}
            follow: dict[str, list[int]] = {}
            if self.places is not None:
                for w in by_place:
                    seen_as = BOUNDARY if w == SENTENCE and self.slot_classes < 2 else w
                    by_place[w] = np.array([i == 0 or seen_as in self.places.get(t, ()) for i, t in enumerate(self.inserts)],
                                           dtype=bool)
                for i, tag in enumerate(self.inserts):
                    for place in self.places.get(tag, ()):
                        if place.startswith(MID + ":"):
                            follow.setdefault(place[len(MID) + 1:], []).append(i)
            self._masks = (by_lang, by_place, follow)
        by_lang, by_place, follow = self._masks
        script_ok = by_lang.get(lang, by_lang["en"])
        rows = []
        for slot in range(len(tokens) + 1):
            where = slot_class(tokens, slot)
            row = by_place[where]
            if where == MID and self.places is not None:
                row = np.zeros(len(self.inserts), dtype=bool)
                row[[0, *follow.get(word_key(tokens[slot]), [])]] = True
            rows.append(row & script_ok)
        mask = np.stack(rows) if rows else np.zeros((0, len(self.inserts)), dtype=bool)
        mask[:, 0] = True
        return mask

    def encode(self, script: EditScript) -> tuple[list[int], list[int]]:
        """Class indices of a script; tags outside the vocabulary fall back to keep / nothing."""
        return ([self._t.get(t, 0) for t in script.transforms], [self._n.get(t, 0) for t in script.inserts])

    def decode(self, transform_ids: list[int], insert_ids: list[int]) -> EditScript:
        """The script of class indices (inverse of `encode`)."""
        return EditScript([self.transforms[i] for i in transform_ids], [self.inserts[i] for i in insert_ids])

    def to_json(self) -> dict:
        """JSON-ready form, saved as `edits.json` in the style folder."""
        data = {"transforms": self.transforms, "inserts": self.inserts,
                "sources": {t: sorted(k) for t, k in self.sources.items()}}
        if self.places is not None:
            data["places"] = {t: sorted(v) for t, v in self.places.items()}
        data["slot_classes"] = self.slot_classes
        return data

    @classmethod
    def from_json(cls, data: dict) -> "EditVocabulary":
        """Inverse of `to_json`."""
        return cls(list(data["transforms"]), list(data["inserts"]), dict(data.get("sources", {})),
                   data.get("places"), int(data.get("slot_classes", 1)))
