"""Optional invisible watermark: marks generated images as made with stylekit, readable
back by `stylekit inspect --watermark` even after the metadata is stripped.

Uses the maintained `invisible-watermark` library (DWT-DCT-SVD, which survives JPEG
re-encoding at usual qualities). It is optional: install it with
`pip install PyWavelets && pip install --no-deps invisible-watermark`, because its declared
`opencv-python` requirement would replace the `opencv-python-headless<5` build whose Haar
cascades stylekit's avatars use.
"""

from __future__ import annotations

import numpy as np

from .errors import UsageError

PAYLOAD = b"stylekit"  # 64 bits
METHOD = "dwtDctSvd"
MIN_SIDE = 256
INSTALL = "pip install PyWavelets && pip install --no-deps invisible-watermark"


def _library():
    try:
        from imwatermark import WatermarkDecoder, WatermarkEncoder
    except ImportError:
        raise UsageError(f"The invisible watermark needs the optional invisible-watermark library; install it with: {INSTALL}")
    return WatermarkEncoder, WatermarkDecoder


def _bgr(rgb: np.ndarray) -> np.ndarray:
    from .imageio import to_uint8

    return np.ascontiguousarray(to_uint8(rgb)[..., ::-1])


def embed(rgb: np.ndarray) -> np.ndarray:
    """`rgb` (float, [0, 1]) carrying the invisible 'stylekit' mark."""
    encoder_class, _ = _library()
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise UsageError(f"Images smaller than {MIN_SIDE}x{MIN_SIDE} cannot carry the invisible watermark ({w}x{h})")
    encoder = encoder_class()
    encoder.set_watermark("bytes", PAYLOAD)
    marked = encoder.encode(_bgr(rgb), METHOD)
    return np.ascontiguousarray(marked[..., ::-1]).astype(np.float32) / 255.0


def detect(rgb: np.ndarray) -> bool:
    """True when `rgb` carries the 'stylekit' mark."""
    _, decoder_class = _library()
    if min(rgb.shape[:2]) < MIN_SIDE:
        return False
    decoder = decoder_class("bytes", len(PAYLOAD) * 8)
    return decoder.decode(_bgr(rgb), METHOD) == PAYLOAD
