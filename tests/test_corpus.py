"""Reading post corpora and their errors."""

from __future__ import annotations

import json

import pytest

from stylekit.corpus import read_posts
from stylekit.errors import TrainingError


def test_txt_jsonl_csv(tmp_path):
    (tmp_path / "p.txt").write_text("one ✨\n\n  two  \nthree\n", encoding="utf-8")
    assert read_posts(tmp_path / "p.txt", minimum=1) == ["one ✨", "two", "three"]
    (tmp_path / "p.jsonl").write_text("\n".join(json.dumps({"text": t}) for t in ["a", "b"]), encoding="utf-8")
    assert read_posts(tmp_path / "p.jsonl", minimum=2) == ["a", "b"]
    (tmp_path / "p.csv").write_text('id,text\n1,"hello, world"\n2,bye\n', encoding="utf-8")
    assert read_posts(tmp_path / "p.csv", minimum=2) == ["hello, world", "bye"]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bad.txt", b"caf\xe9\n", "not valid UTF-8"),
        ("empty.txt", b"\n\n", "the corpus is empty"),
        ("few.txt", b"a\nb\n", "only 2 posts; at least 50"),
        ("bad.jsonl", b'{"text": "a"}\nnope\n', "line 2 is not valid JSON"),
        ("nofield.jsonl", b'{"body": "a"}\n', "no string 'text' field"),
        ("nocol.csv", b"body\nx\n", "no 'text' column"),
        ("posts.docx", b"x", "unsupported corpus type"),
    ],
)
def test_bad_corpora(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(TrainingError, match=message):
        read_posts(tmp_path / name, minimum=50)
