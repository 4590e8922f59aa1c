"""One contract, every engine: built-in (classic, gan, seq2seq) and third-party (the
example `stylekit-duotone` plugin). Everything goes through the public API the way a user
reaches an engine, so the core's share of the contract (strength and option checks, mixing,
LUT export) is tested together with the engine's.

Each engine trains three tiny styles once per module: A and B (different data, B for
mixing) and C, interrupted half-way and resumed, which must end identical to A.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import stylekit
from stylekit.engines import MODALITIES, TRAIN_INPUTS, Option, ProgressEvent, StyleTransfer, get_engines
from stylekit.errors import MixNotSupportedError, UsageError

from .cases import CASES, Case, distance, samples
from .conftest import EXAMPLE

STRENGTHS = (0.25, 0.5, 1.0, 1.5)


@dataclass
class Trained:
    """The styles one case trained, and what its first training reported."""

    case: Case
    engine: type[StyleTransfer]
    a: Path  # pack folders (usable wherever an influencer name is)
    b: Path
    resumed: Path
    events: list[ProgressEvent] = field(default_factory=list)

    def style_dir(self, pack: Path) -> Path:
        return pack / self.case.modality

    def apply(self, influencer: Path | str, strength: float = 1.0, **options: Any) -> Any:
        """The case's samples in `influencer`'s style through the API."""
        content = samples(self.case)
        if self.case.modality == "text":
            return [c[0] for c in stylekit.stylize_text(content, str(influencer), strength, seed=0, **options)]
        return stylekit.stylize_image(content, str(influencer), strength, **options)


def _train(case: Case, name: str, data_dir: Path, variant: int, progress=None, resume: bool = False) -> Path:
    data = case.make_data(data_dir, variant)
    pack = stylekit.train(case.modality, name, engine=case.engine, seed=1, progress=progress, resume=resume,
                          overwrite=resume, **data, **case.settings)
    return pack.path


@pytest.fixture(scope="module", params=CASES, ids=str)
def trained(request, tmp_path_factory) -> Trained:
    case: Case = request.param
    tag = re.sub(r"[^a-z0-9]+", "-", case.id).strip("-")
    data_dir = tmp_path_factory.mktemp("data")
    events: list[ProgressEvent] = []
    a = _train(case, f"{tag}-a", data_dir / "a", 0, progress=events.append)
    b = _train(case, f"{tag}-b", data_dir / "b", 1)

    # C: the same run as A, interrupted half-way through its last stage, then resumed.
    last = events[-1]
    stop_at = max(1, last.total // 2)

    def interrupt(event: ProgressEvent) -> None:
        if event.stage == last.stage and event.done >= stop_at:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _train(case, f"{tag}-c", data_dir / "a", 0, progress=interrupt)
    resumed = _train(case, f"{tag}-c", data_dir / "a", 0, resume=True)
    return Trained(case, get_engines()[case.engine], a, b, resumed, events)


# --- what an engine declares --------------------------------------------------------------

by_case = pytest.mark.parametrize("case", CASES, ids=str)


@by_case
def test_engine_module_imports_without_torch(case):
    code = f"import sys; import {case.package}; print('torch' in sys.modules, 'transformers' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(EXAMPLE), "PATH": ""})
    assert done.stdout.split() == ["False", "False"], f"importing {case.package} imported torch"


@by_case
def test_declarations_are_complete_and_consistent(case):
    engine = get_engines()[case.engine]
    assert engine.modality in MODALITIES and engine.description
    assert engine.inputs is None or set(engine.inputs) <= set(TRAIN_INPUTS)
    assert isinstance(engine.default_priority, int) and engine.min_photos >= 1 and engine.min_posts >= 1
    for schema in (engine.train_options, engine.apply_options):
        for name, option in schema.items():
            assert isinstance(option, Option) and option.type in (int, float, bool, str) and option.help, name
            assert option.default is None or isinstance(option.default, option.type), name
            assert all(isinstance(c, option.type) for c in option.choices), name
    assert case.exports_lut <= engine.can_export_lut
    listing = {e["name"]: e for e in json.loads(_cli("engines", "--json"))}
    assert listing[engine.name]["can_mix"] == engine.can_mix and listing[engine.name]["modality"] == engine.modality


@by_case
def test_declared_train_options_are_the_settings_the_engine_uses(case):
    if case.real_settings is None:
        pytest.skip("the engine reads its options straight from the schema")
    real, declared = case.real_settings(), get_engines()[case.engine].train_options
    assert set(declared) == set(real)
    for name, option in declared.items():
        assert option.default is None or option.default == real[name], name


def _cli(*args: str) -> str:
    from typer.testing import CliRunner

    from stylekit_cli.app import build_app

    result = CliRunner().invoke(build_app(), list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


# --- strength -----------------------------------------------------------------------------

def test_strength_zero_is_identity(trained):
    content = samples(trained.case)
    out = trained.apply(trained.a, 0.0)
    assert out == content if trained.case.modality == "text" else np.array_equal(out, content)
    # The engine itself agrees, even though the core never calls it at strength 0.
    style = trained.engine().load(trained.style_dir(trained.a), device="cpu")
    direct = style.apply(content if trained.case.modality == "image" else content[0], 0.0)
    if trained.case.modality == "text":
        assert direct[0] == content[0]
    else:
        assert np.array_equal(direct, content)


def test_strength_is_monotone(trained):
    content = samples(trained.case)
    distances = [distance(trained.case, trained.apply(trained.a, s), content) for s in STRENGTHS]
    assert distances[STRENGTHS.index(1.0)] > 0, "the style at strength 1 changes nothing"
    assert all(later >= earlier - 1e-6 for earlier, later in zip(distances, distances[1:])), distances


def test_strength_out_of_range_is_refused_by_the_core(trained):
    for bad in (-0.1, 1.6):
        with pytest.raises(UsageError, match="between 0 and 1.5"):
            trained.apply(trained.a, bad)


# --- files ----------------------------------------------------------------------------------

def test_save_load_is_deterministic(trained, tmp_path):
    first, again = trained.apply(trained.a), trained.apply(trained.a)
    copy = tmp_path / "copy"
    shutil.copytree(trained.a, copy)  # the pack moved elsewhere: the same style
    moved = trained.apply(copy)
    if trained.case.modality == "text":
        assert first == again == moved
    else:
        assert np.array_equal(first, again) and np.array_equal(first, moved)


def test_interrupted_training_resumes_to_the_same_style(trained):
    from safetensors.numpy import load_file

    def weights(pack: Path) -> dict[str, np.ndarray]:
        files = sorted(trained.style_dir(pack).rglob("*.safetensors"))
        assert files, "no safetensors weights in the style"
        return {f"{f.name}:{k}": v for f in files for k, v in load_file(str(f)).items()}

    a, c = weights(trained.a), weights(trained.resumed)
    assert a.keys() == c.keys()
    for key in a:
        assert np.array_equal(a[key], c[key]), key


def test_progress_events_during_training(trained):
    events = trained.events
    assert events, "training reported no progress"
    assert all(0 <= e.done <= e.total and e.total >= 1 for e in events)
    assert all(isinstance(v, float | int) for e in events for v in e.values.values())
    last = events[-1]
    assert last.done == last.total
    stage = [e.done for e in events if e.stage == last.stage]
    assert stage == sorted(stage)


# --- mixing and LUTs --------------------------------------------------------------------------

def test_mixing_where_the_engine_can(trained):
    spec = f"{trained.a}:{{}},{trained.b}:{{}}"
    if not trained.engine.can_mix:
        with pytest.raises(MixNotSupportedError):
            trained.apply(spec.format(0.5, 0.5))
        return
    only_a, only_b, half = (trained.apply(spec.format(*w)) for w in ((1, 0), (0, 1), (0.5, 0.5)))
    a, b = trained.apply(trained.a), trained.apply(trained.b)
    np.testing.assert_allclose(only_a, a, atol=1e-5)
    np.testing.assert_allclose(only_b, b, atol=1e-5)
    assert np.abs(half - a).mean() > 1e-4 and np.abs(half - b).mean() > 1e-4


def test_lut_round_trip_where_the_engine_can(trained, tmp_path):
    from stylekit.lut import read_cube, sample_lut

    if trained.case.modality != "image":
        pytest.skip("LUTs are colour transforms of images")
    out = tmp_path / "look.cube"
    if not trained.case.exports_lut:
        with pytest.raises(UsageError, match="cannot export"):
            stylekit.export_lut(str(trained.a), out)
        return
    stylekit.export_lut(str(trained.a), out)
    lut = read_cube(out)
    assert lut.shape == (33, 33, 33, 3)
    assert "stylekit" in out.read_text().splitlines()[0] and "pack" not in out.read_text().splitlines()[0]
    style = trained.engine().load(trained.style_dir(trained.a), device="cpu")
    np.testing.assert_allclose(lut, style.to_lut(33), atol=1e-5)
    # The LUT is the look's colour: on flat photos, at the centre, where no vignette reaches,
    # it gives the look's colours and moves them as the look does. What the style says a
    # LUT leaves out may differ there too: tone compression also acts on large flat areas.
    left_out = style.lut_leaves_out()
    assert isinstance(left_out, list) and all(isinstance(x, str) and x for x in left_out)
    tol = 0.15 if "tone compression" in left_out else 0.03
    colours = np.random.default_rng(0).uniform(0.05, 0.95, (6, 3)).astype(np.float32)
    for colour in colours:
        flat = np.broadcast_to(colour, (33, 33, 3)).copy()
        styled = stylekit.stylize_image(flat, str(trained.a))[16, 16]
        by_lut = sample_lut(lut, flat[:1, :1])[0, 0]
        assert np.abs(styled - by_lut).max() < tol, (colour, styled, by_lut)
        if np.abs(styled - colour).max() > 0.03:
            assert np.abs(by_lut - colour).max() > np.abs(styled - by_lut).max()


# --- options ----------------------------------------------------------------------------------

def test_unknown_options_are_refused_with_the_known_ones(trained, tmp_path):
    engine = trained.engine
    with pytest.raises(UsageError, match="no train option 'no_such_option'") as info:
        stylekit.train(trained.case.modality, "contract-refused", engine=engine.name, options={"no_such_option": 1},
                       **trained.case.make_data(tmp_path, 0))
    for known in engine.train_options:
        assert known in str(info.value)
    with pytest.raises(UsageError, match="no apply option 'no_such_option'"):
        trained.apply(trained.a, 1.0, no_such_option=1)
