"""Small things a new user meets in the first hour: every command's `--help` ends with
examples, `styles show` reads as text (no Python dict reprs), the `edits` table's columns line
up, messages say "an image style", unreadable training photos are skipped with a count,
recommend says when influencers tie, post cards say when a layout crops, training samples
are labelled."""

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


def test_unreadable_training_photos_are_skipped_with_a_count(photo_dir, tmp_path):
    import stylekit
    from stylekit.errors import TrainingError

    good = sorted(photo_dir.iterdir())
    (photo_dir / "broken.jpg").write_bytes(good[0].read_bytes()[:300])
    (photo_dir / "notes.jpg").write_text("not a photo")
    with pytest.warns(UserWarning) as caught:
        pack = stylekit.train("image", "skips", engine="classic", photos=photo_dir)
    messages = [str(w.message) for w in caught]
    assert any(m.startswith("skipped ") and "broken.jpg" in m for m in messages)
    assert any(m.startswith("skipped ") and "notes.jpg" in m for m in messages)
    assert f"skipped 2 of {len(good) + 2} images for --photos that cannot be read; training on {len(good)}" in messages
    assert pack.summary()["training_data"]["image"]["photos"] == len(good)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "notes.jpg").write_text("not a photo")
    with pytest.warns(UserWarning), pytest.raises(TrainingError, match="None of the 1 images for --photos can be read"):
        stylekit.train("image", "none", engine="classic", photos=bad)


def test_recommend_warns_when_influencers_tie(photo_dir):
    import stylekit

    for name in ("twin-a", "twin-b"):
        stylekit.train("image", name, engine="classic", photos=photo_dir)
    ranking = stylekit.recommend(photos=photo_dir)
    assert {m.name for m in ranking.matches[:2]} == {"twin-a", "twin-b"} and ranking.margin == 0
    assert any(w.startswith("2 influencers tie for first (twin-a, twin-b") or w.startswith("2 influencers tie for first (twin-b, twin-a")
               for w in ranking.warnings), ranking.warnings


def test_post_cards_say_when_a_layout_crops_the_photo():
    import warnings

    import numpy as np

    import stylekit
    from stylekit.post import cropped_share

    wide = np.full((60, 120, 3), 0.5, np.float32)
    with pytest.warns(UserWarning, match=r"the story layout crops the photo: it keeps the middle \d+% of its width"):
        stylekit.make_post(wide, "sunset", "", layout="story")
    assert cropped_share(wide.shape, "story")[0] == "width"
    fits = np.full((842, 1080, 3), 0.5, np.float32)  # the square card's photo box
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stylekit.make_post(fits, "sunset", "", layout="square")


def test_training_samples_are_labelled_before_and_after():
    import numpy as np

    from stylekit_gan.artifacts import SAMPLE_CELL, before_after_grid, label_rows

    photos = [np.full((30, 40, 3), v, np.float32) for v in (0.2, 0.5, 0.8)]
    grid = before_after_grid(photos, photos, cell=SAMPLE_CELL)
    out = label_rows(grid, ("before", "after"))
    assert out.shape == (2 * SAMPLE_CELL, 3 * SAMPLE_CELL + 96, 3) and SAMPLE_CELL >= 256
    assert (out[:, 96:] == grid).all()
    column = out[:, :96].min(axis=-1)
    for rows in (column[:SAMPLE_CELL], column[SAMPLE_CELL:]):  # a word in each row's label
        assert (rows < 100).sum() > 50


def test_every_command_help_ends_with_examples_that_exist():
    import re

    from stylekit_cli.examples import EXAMPLES

    from .test_readme_examples import _command_tree, _flags, split_comment

    root = _command_tree()
    commands = {}
    for name, command in root.commands.items():
        for sub, leaf in getattr(command, "commands", {}).items():
            commands[f"{name} {sub}"] = leaf
        if not hasattr(command, "commands"):
            commands[name] = command
    missing = sorted(set(commands) - set(EXAMPLES))
    assert not missing, f"commands without examples: {missing}"
    for name, lines in EXAMPLES.items():
        assert 2 <= len(lines) <= 4 and name in commands, name
        assert lines[0] in (commands[name].epilog or "")
        for line in lines:
            words = split_comment(line)[0].split("stylekit ", 1)[1].split()
            assert " ".join(words[:len(name.split())]) == name, line
            for flag in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", " ".join(words[len(name.split()):])):
                assert flag in _flags(commands[name]), f"{line}: no {flag}"
    out = run("text", "--help")
    assert "Examples:" in out.output and "stylekit text" in out.output.split("Examples:")[1]


def test_training_refuses_an_unknown_device_or_cuda_without_a_gpu(photo_dir):
    import stylekit
    from stylekit.errors import TrainingError

    with pytest.raises(TrainingError, match="Unknown device 'gpu'"):
        stylekit.train("image", "dev", engine="classic", photos=photo_dir, device="gpu")
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        with pytest.raises(TrainingError, match="CUDA was requested but no GPU is available"):
            stylekit.train("image", "dev", engine="classic", photos=photo_dir, device="cuda")


def test_training_on_fewer_photos_than_a_reliable_look_needs_warns_and_says_how_many(photo_dir):
    import stylekit
    from stylekit.engines import get_engine_class

    needed = get_engine_class("gan").good_photos
    assert len(list(photo_dir.iterdir())) < needed
    with pytest.warns(UserWarning, match=rf"only \d+ photo\(s\) of the influencer: the 'gan' engine needs {needed} "
                                         r"or more, of different scenes, for a reliable look"):
        stylekit.train("image", "few", engine="gan", photos=photo_dir, options={"quick": True})
    # An engine that gives no such advice trains quietly.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        stylekit.train("image", "few-classic", engine="classic", photos=photo_dir)
