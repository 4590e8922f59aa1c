"""The edit registry and parameter checking (stylekit/edits.py), with a fake plugin."""

from __future__ import annotations

import numpy as np
import pytest

from stylekit import plugins
from stylekit.edits import (Edit, Param, apply_edits, describe_edits, format_edit, get_edit, get_edits,
                            parse_edit)
from stylekit.errors import UnknownEditError, UsageError
from stylekit.hookspecs import hookimpl


def _offset(image, amount=0.0, label=""):
    return image + np.float32(amount)


def _scale(image, factor=1.0, clip=True):
    out = image * np.float32(factor)
    return np.clip(out, 0, 1) if clip else out


class FakeEdits:
    """A plugin defined in the test, registering two edits through the real hook."""

    @hookimpl
    def register_edits(self, register):
        register(Edit("offset", _offset, (Param("amount", "float", 0.0, "added", -1.0, 1.0),
                                           Param("label", "text", "", "ignored")), "Add a constant."))
        register(Edit("scale", _scale, (Param("factor", "float", 1.0, "multiplier", 0.0, 4.0),
                                         Param("clip", "bool", True, "clip to [0, 1]")), "Multiply."))


@pytest.fixture
def fake_plugin(monkeypatch):
    """Only the fake plugin is loaded: no installed entry point can leak into these tests."""
    monkeypatch.setenv("STYLEKIT_LOAD_PLUGINS", "")
    plugins.reset_plugin_manager()
    plugin = FakeEdits()
    pm = plugins.get_plugin_manager()
    pm.register(plugin)
    try:
        yield plugin
    finally:
        pm.unregister(plugin)
        plugins.reset_plugin_manager()


def test_get_edits_collects_from_the_hook(fake_plugin):
    edits = get_edits()
    assert list(edits) == ["offset", "scale"]
    assert edits["scale"].description == "Multiply."


def test_get_edit_unknown_lists_installed(fake_plugin):
    with pytest.raises(UnknownEditError, match=r"Unknown edit 'sepia'; installed: offset, scale"):
        get_edit("sepia")


def test_get_edit_accepts_dashes_and_case(fake_plugin):
    edits = {"hue_shift": Edit("hue_shift", _offset, (), "x")}
    assert get_edit("Hue-Shift", edits).name == "hue_shift"


def test_edit_call_fills_neutral_values_and_checks(fake_plugin):
    image = np.full((2, 2, 3), 0.25, np.float32)
    edit = get_edit("scale")
    assert np.array_equal(edit(image), image)
    assert np.allclose(edit(image, factor=2), 0.5)
    with pytest.raises(UsageError, match=r"scale\.factor=5 is out of range; allowed: 0 to 4"):
        edit(image, factor=5)
    with pytest.raises(UsageError, match=r"'scale' has no parameter 'gain'; its parameters: factor, clip"):
        edit(image, gain=2)


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        (Param("n", "float", 0.0, "", -1.0, 1.0), "0.5", 0.5),
        (Param("n", "int", 0, "", 0, 10), "7", 7),
        (Param("n", "int", 0, "", 0, 10), 3.0, 3),
        (Param("b", "bool", False, ""), "yes", True),
        (Param("b", "bool", True, ""), "off", False),
        (Param("c", "choice", "a", "", choices=("top", "bottom")), "BOTTOM", "bottom"),
        (Param("k", "color", "white", ""), "#ff880080", "#ff880080"),
        (Param("t", "text", "", ""), "周末 🎉", "周末 🎉"),
    ],
)
def test_param_coerce_accepts(param, value, expected):
    got = param.coerce(value, "e")
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        (Param("n", "float", 0.0, "", -1.0, 1.0), 1.5, r"e\.n=1\.5 is out of range; allowed: -1 to 1"),
        (Param("n", "float", 0.0, "", -1.0, 1.0), "abc", r"expected a number"),
        (Param("n", "float", 0.0, "", None, None), "nan", r"out of range"),
        (Param("n", "int", 0, "", 0, 10), 2.5, r"expected a whole number"),
        (Param("n", "int", 0, "", 0, 10), True, r"expected a number"),
        (Param("b", "bool", False, ""), "maybe", r"allowed: true or false"),
        (Param("c", "choice", "top", "", choices=("top", "bottom")), "left", r"one of: top, bottom"),
        (Param("k", "color", "white", ""), "not-a-colour", r"a colour such as"),
        (Param("n", "int", 0, "", choices=(0, 128, 256)), 100, r"one of: 0, 128, 256"),
    ],
)
def test_param_coerce_rejects_with_name_value_and_range(param, value, message):
    with pytest.raises(UsageError, match=message):
        param.coerce(value, "e")


def test_param_and_edit_reject_unknown_kinds():
    with pytest.raises(ValueError):
        Param("x", "complex", 0, "")
    with pytest.raises(ValueError):
        Edit("x", _offset, (), "", kind="filter")


def test_parse_edit_forms(fake_plugin):
    assert parse_edit("scale") == ("scale", {})
    assert parse_edit("scale=1.5") == ("scale", {"factor": 1.5})
    assert parse_edit(" scale:factor=2, clip=false ") == ("scale", {"factor": 2.0, "clip": False})
    assert parse_edit("offset:label=a=b") == ("offset", {"label": "a=b"})
    with pytest.raises(UsageError, match="PARAM=VALUE"):
        parse_edit("scale:factor")
    with pytest.raises(UsageError, match="out of range"):
        parse_edit("scale=9")
    with pytest.raises(UsageError, match="Empty edit"):
        parse_edit("  ")
    with pytest.raises(UnknownEditError):
        parse_edit("sepia=1")


def test_format_edit_round_trips_through_parse(fake_plugin):
    text = format_edit("scale", {"factor": 2.0, "clip": False})
    assert text == "scale:factor=2,clip=false"
    assert parse_edit(text) == ("scale", {"factor": 2.0, "clip": False})


def test_apply_edits_in_order_and_checks_all_first(fake_plugin):
    image = np.full((1, 1, 3), 0.5, np.float32)
    out = apply_edits(image, [("offset", {"amount": 0.25}), ("scale", {"factor": 2, "clip": False})])
    assert np.allclose(out, 1.5)  # (0.5 + 0.25) * 2; the other order would give 1.25
    calls = []
    edits = {**get_edits(), "spy": Edit("spy", lambda im: calls.append(1) or im, (), "records calls")}
    with pytest.raises(UsageError):
        apply_edits(image, [("spy", {}), ("scale", {"factor": 99})], edits)
    assert calls == []  # the bad second step was caught before the first ran


def test_describe_edits_lists_params_and_ranges(fake_plugin):
    listing = {e["name"]: e for e in describe_edits()}
    factor = listing["scale"]["params"][0]
    assert factor == {"name": "factor", "kind": "float", "neutral": 1.0, "range": "0 to 4",
                      "description": "multiplier"}
    assert listing["offset"]["kind"] == "adjust"


def test_register_rejects_non_edits(monkeypatch):
    class Bad:
        @hookimpl
        def register_edits(self, register):
            register("not an edit")

    monkeypatch.setenv("STYLEKIT_LOAD_PLUGINS", "")
    plugins.reset_plugin_manager()
    bad = Bad()
    plugins.get_plugin_manager().register(bad)
    try:
        with pytest.raises(TypeError, match="expected an Edit"):
            get_edits()
    finally:
        plugins.reset_plugin_manager()
