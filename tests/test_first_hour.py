"""Small things a new user meets in the first hour: `styles show` reads as text (no Python
dict reprs), the `edits` table's columns line up, messages say "an image style"."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from stylekit.errors import OutputExistsError
from stylekit_cli.app import build_app


def run(*args: str):
    return CliRunner().invoke(build_app(), list(args))


def test_styles_show_reads_as_text():
    out = run("styles", "show", "sunset")
    assert out.exit_code == 0, out.output
    assert "{" not in out.output and "'" not in out.output.replace("stylekit's", "")
    lines = out.output.splitlines()
    assert any(re.fullmatch(r"consent: granted by .+ on \d{4}-\d\d-\d\d", line) for line in lines)
    assert "image: engine classic" in lines and "  lut: sunset.cube" in lines


def test_edits_table_columns_line_up():
    from stylekit.edits import describe_edits

    out = run("edits")
    assert out.exit_code == 0, out.output
    header, *rows = [line for line in out.output.splitlines() if line.startswith("    ")]
    neutral_at, description_at = header.index("neutral"), header.index("description")
    params = [p for row in describe_edits() for p in row["params"]]
    assert len(rows) == len(params)
    fitting = 0
    for row, param in zip(rows, params):
        if len(param["range"]) <= 32 and len(repr(param["neutral"])) <= 32:  # longer ones push their own row
            fitting += 1
            assert row[neutral_at:].startswith(repr(param["neutral"])), row
            assert row[description_at:] == param["description"], row
    assert fitting >= 0.8 * len(rows)


def test_retraining_message_says_an_image_style(photo_dir):
    import stylekit

    stylekit.train("image", "twice", engine="classic", photos=photo_dir)
    with pytest.raises(OutputExistsError, match="already has an image style"):
        stylekit.train("image", "twice", engine="classic", photos=photo_dir)
