"""The optional invisible watermark: a clear error without its library, a round trip with it."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import stylekit
from stylekit.errors import UsageError

FACE = Path(__file__).resolve().parents[1] / "examples" / "photos" / "astronaut.jpg"


def test_missing_library_is_a_clear_error_before_any_work(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "imwatermark", None)  # import fails as if not installed
    with pytest.raises(UsageError, match="pip install PyWavelets && pip install --no-deps invisible-watermark"):
        stylekit.stylize_images([FACE], "sunset", out=tmp_path / "o.jpg", watermark=True)
    assert not (tmp_path / "o.jpg").exists()


def test_watermark_round_trip_survives_jpeg(tmp_path):
    pytest.importorskip("imwatermark", reason="optional library not installed")
    result = stylekit.stylize_images([FACE], "sunset", out=tmp_path / "o.jpg", watermark=True)
    assert result.ok, result.failed
    info = stylekit.inspect_image(tmp_path / "o.jpg", watermark=True)
    assert info["watermark"] is True and "invisible-watermark" in info["stylekit"]["watermark"]
    assert stylekit.inspect_image(FACE, watermark=True)["watermark"] is False
    from stylekit.watermark import embed

    with pytest.raises(UsageError, match="smaller than 256"):
        embed(np.zeros((100, 100, 3), np.float32))
