"""Build the English synonym table the `seq2seq` engine learns a voice's word choice from.

Source: Princeton WordNet 3.0 (the files Debian's `wordnet-base` package installs under
/usr/share/wordnet; licence in plugins/stylekit_seq2seq/data/LEXICON.md). Only everyday words
and their main senses are kept, so a pair means the same in most sentences:

- both words are single lower-case words that everyday English uses (wordfreq Zipf >= 3.0),
  about as often as each other (Zipf within MAX_ZIPF_GAP: "mobile" is not "wandering");
- the shared synset is the first sense of both words (WordNet orders a word's senses by
  how often they occur in its tagged corpora), in the part of speech both words mostly
  have (at least MIN_POS_SHARE of their tagged uses: "buy" is a verb, so "start" is not
  paired with "kickoff");
- no word that is also an inflected form of another ("found" of find, "left" of leave),
  adverbs only where one of the two ends in -ly and neither is among the most frequent
  words ("shortly" and "soon"; "just", "only", "but" are function words, not word choice),
  and no pair of words that start alike (a clipping: "fig" for "figure");
- nouns, adjectives and adverbs only (see PAIRED); nouns are paired in the plural too
  (irregular plurals from WordNet's exception list, regular ones kept only where wordfreq
  knows the form).

Run: `apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wordnet-base &&
python scripts/build_lexicon.py wordnet-base/usr/share/wordnet`
Writes plugins/stylekit_seq2seq/data/synonyms_en.tsv (word TAB synonyms, comma-separated).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from wordfreq import zipf_frequency

OUT = Path(__file__).resolve().parents[1] / "plugins" / "stylekit_seq2seq" / "data" / "synonyms_en.tsv"
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
# Parts of speech paired: verbs are left out, since synonymous verbs take their objects
# differently ("let us go", "allow us to go") and one cannot stand in for the other.
PAIRED = ("n", "a", "r")
MAX_SENSE = 1  # the shared sense is the first of both words
SS_POS = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
MIN_POS_SHARE = 0.6
MIN_ZIPF = 3.0
MIN_FORM_ZIPF = 2.0
MAX_ZIPF_GAP = 1.0  # words interchangeable in everyday text are used about as often
WORD = re.compile(r"^[a-z]{3,}$")
# Words whose everyday meaning has moved away from their first WordNet sense ("gay" is
# first "bright and pleasant" there): never paired.
MOVED = frozenset({"gay", "queer", "wicked", "sick"})


def read_index(folder: Path, pos: str) -> dict[str, list[str]]:
    """lemma -> synset offsets, most frequent sense first."""
    senses = {}
    for line in (folder / f"index.{POS_FILES[pos]}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue  # the licence header
        parts = line.split()
        n_synsets, n_pointers = int(parts[2]), int(parts[3])
        senses[parts[0]] = parts[4 + n_pointers + 2:4 + n_pointers + 2 + n_synsets]
    return senses


def read_synsets(folder: Path, pos: str) -> dict[str, list[str]]:
    """synset offset -> its lemmas."""
    synsets = {}
    for line in (folder / f"data.{POS_FILES[pos]}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        count = int(parts[3], 16)
        synsets[parts[0]] = [re.sub(r"\(.*\)$", "", parts[4 + 2 * i]).lower() for i in range(count)]
    return synsets


def dominant_pos(folder: Path) -> dict[str, str]:
    """lemma -> the part of speech of at least MIN_POS_SHARE of its tagged uses (cntlist.rev)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in (folder / "cntlist.rev").read_text(encoding="latin-1").splitlines():
        key, _number, tagged = line.split()
        lemma, rest = key.split("%", 1)
        counts[lemma.lower()][SS_POS[rest[0]]] += int(tagged)
    out = {}
    for lemma, by_pos in counts.items():
        pos, n = max(by_pos.items(), key=lambda kv: kv[1])
        if n >= MIN_POS_SHARE * sum(by_pos.values()):
            out[lemma] = pos
    return out


def read_exceptions(folder: Path, pos: str) -> dict[str, list[str]]:
    """lemma -> its irregular forms (children for child, went for go)."""
    forms = defaultdict(list)
    for line in (folder / f"{POS_FILES[pos]}.exc").read_text(encoding="latin-1").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            for lemma in parts[1:]:
                forms[lemma].append(parts[0])
    return forms


def _regular(word: str, kind: str) -> str:
    if kind in ("plural", "third"):
        if re.search(r"(s|x|z|ch|sh)$", word):
            return word + "es"
        if re.search(r"[^aeiou]y$", word):
            return word[:-1] + "ies"
        return word + "s"
    if kind == "past":
        if word.endswith("e"):
            return word + "d"
        if re.search(r"[^aeiou]y$", word):
            return word[:-1] + "ied"
        return word + "ed"
    if word.endswith("e") and not word.endswith("ee"):
        return word[:-1] + "ing"
    return word + "ing"


def inflections(word: str, pos: str, exceptions: dict[str, list[str]]) -> dict[str, str]:
    """Form name -> form of `word` (base included); irregular forms from WordNet."""
    kinds = {"n": ["plural"], "v": ["third", "past", "ing"]}.get(pos, [])
    forms = {"base": word}
    irregular = exceptions.get(word, [])
    for kind in kinds:
        if kind == "past" and irregular:
            forms[kind] = irregular[0]
        elif kind == "plural" and irregular:
            forms[kind] = irregular[0]
        else:
            form = _regular(word, kind)
            if zipf_frequency(form, "en") >= MIN_FORM_ZIPF:
                forms[kind] = form
    return forms


def main(folder: Path) -> None:
    table: dict[str, set[str]] = defaultdict(set)
    main_pos = dominant_pos(folder)
    inflected = {form for pos in POS_FILES for forms in read_exceptions(folder, pos).values() for form in forms}
    for pos in PAIRED:
        index, synsets = read_index(folder, pos), read_synsets(folder, pos)
        exceptions = read_exceptions(folder, pos)
        common = {w for w in index if WORD.match(w) and main_pos.get(w) == pos and w not in inflected and w not in MOVED
                  and zipf_frequency(w, "en") >= MIN_ZIPF}
        for word in sorted(common):
            for offset in index[word][:1]:
                for other in synsets.get(offset, []):
                    if other == word or other not in common or offset not in index[other][:MAX_SENSE]:
                        continue
                    if pos == "r" and (not (word.endswith("ly") or other.endswith("ly"))
                                       or max(zipf_frequency(word, "en"), zipf_frequency(other, "en")) >= 6.0):
                        continue
                    if abs(zipf_frequency(word, "en") - zipf_frequency(other, "en")) > MAX_ZIPF_GAP:
                        continue  # "mobile" (phones) is no everyday stand-in for "wandering"
                    if word[:3] == other[:3]:
                        continue  # a clipping or a spelling ("fig"/"figure"), not another word
                    mine, theirs = inflections(word, pos, exceptions), inflections(other, pos, exceptions)
                    for kind, form in mine.items():
                        if kind in theirs and theirs[kind] != form:
                            table[form].add(theirs[kind])
    lines = [f"{w}\t{','.join(sorted(s))}" for w, s in sorted(table.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(lines)} words)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"))
