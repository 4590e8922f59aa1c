"""The one pack-file convention: versioned config.json, safetensors weights, metrics.json."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stylekit.errors import PackError
from stylekit.packfiles import read_config, read_weights, write_config, write_metrics, write_weights


def test_config_round_trip_records_engine_and_version(tmp_path):
    write_config(tmp_path, "gan", 2, lut_size=33, settings={"steps": np.int64(5)})
    assert json.loads((tmp_path / "config.json").read_text()) == {
        "engine": "gan", "format_version": 2, "lut_size": 33, "settings": {"steps": 5}}
    assert read_config(tmp_path, "gan", supported=2)["lut_size"] == 33
    assert [p.name for p in tmp_path.iterdir()] == ["config.json"]  # no temporary file left behind


def test_config_without_a_version_reads_as_version_0(tmp_path):
    (tmp_path / "config.json").write_text('{"engine": "classic", "method": "lut"}')
    assert read_config(tmp_path, "classic", supported=1) == {"engine": "classic", "method": "lut", "format_version": 0}


def test_older_format_key_is_read_as_the_version(tmp_path):
    (tmp_path / "engine.json").write_text('{"engine": "seq2seq", "mode": "tagger", "format": 1}')
    assert read_config(tmp_path, "seq2seq", supported=1, name="engine.json")["format_version"] == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"engine": "gan", "format_version": 3}', "format_version 3; this stylekit reads up to 2, upgrade stylekit"),
        ('{"engine": "classic", "format_version": 1}', "written by engine 'classic', not 'gan'"),
        ('{"engine": "gan", "format_version": "one"}', "is not a version number"),
        ("[1, 2]", "expected a JSON object"),
        ("{not json", "unreadable"),
    ],
)
def test_bad_configs_are_one_line_errors_naming_the_file(tmp_path, text, message):
    (tmp_path / "config.json").write_text(text)
    with pytest.raises(PackError, match=message) as info:
        read_config(tmp_path, "gan", supported=2)
    assert str(tmp_path / "config.json") in str(info.value) and "\n" not in str(info.value)


def test_missing_config_names_the_file(tmp_path):
    with pytest.raises(PackError, match="config.json: missing"):
        read_config(tmp_path, "gan", supported=1)


def test_weights_round_trip_and_non_finite_values_are_refused(tmp_path):
    lut = np.random.default_rng(0).random((3, 3, 3, 3)).astype(np.float32)
    write_weights(tmp_path, {"lut": lut, "steps": np.array([4], np.int64)})
    back = read_weights(tmp_path)
    np.testing.assert_array_equal(back["lut"], lut)
    with pytest.raises(PackError, match="non-finite"):
        write_weights(tmp_path / "bad", {"lut": np.array([np.nan], np.float32)})
    assert not (tmp_path / "bad" / "model.safetensors").exists()


def test_damaged_weights_name_the_file(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    with pytest.raises(PackError, match="model.safetensors: unreadable"):
        read_weights(tmp_path)
    with pytest.raises(PackError, match="other.safetensors: missing"):
        read_weights(tmp_path, "other.safetensors")


def test_metrics_are_written_as_json(tmp_path):
    write_metrics(tmp_path, {"loss": np.float32(0.5), "seconds": 2})
    assert json.loads((tmp_path / "metrics.json").read_text()) == {"loss": 0.5, "seconds": 2}


def test_a_classic_style_written_before_versions_still_loads(tmp_path):
    from safetensors.numpy import save_file

    from stylekit.lut import identity_lut
    from stylekit_classic.engine import ClassicEngine

    lut = np.clip(identity_lut(5) * 0.8 + 0.1, 0, 1).astype(np.float32)
    (tmp_path / "config.json").write_text('{"engine": "classic", "method": "lut"}')  # no format_version
    save_file({"lut": lut}, str(tmp_path / "model.safetensors"))
    (tmp_path / "look.cube").write_text("LUT_3D_SIZE 2\n")  # the old second copy is ignored
    style = ClassicEngine().load(tmp_path)
    np.testing.assert_allclose(style.apply(np.full((2, 2, 3), 0.5, np.float32)), 0.5, atol=1e-6)
