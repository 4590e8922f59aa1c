"""The ordinary-photo reference: many photographed scenes, split by source photo.

`data/reference/index.json` (built by `scripts/build_reference_photos.py`, described
in `data/reference/DATA_CARD.md`) lists small thumbnails of ordinary photos with their
source and licence. Each *source photo* is assigned once, by a hash of its id, to
one of two splits:

- ``prior``: trains the look prior and serves as the engine's ordinary photos;
- ``protocol``: only ever used by the held-out look protocol (feed, content and test
  photos of `benchmarks/bench_look_protocol.py`), never for training or tuning.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

REFERENCE_DIR = Path(__file__).parent / "data" / "reference"
PROTOCOL_SHARE = 0.25  # of source photos, kept for the protocol only


def split_of(source_id: str) -> str:
    """'prior' or 'protocol' for a source photo, fixed by a hash of its id."""
    h = int(hashlib.sha256(source_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "protocol" if h < PROTOCOL_SHARE else "prior"


@lru_cache(maxsize=1)
def reference_index(folder: Path = REFERENCE_DIR) -> tuple[dict, ...]:
    """Entries of the reference index (file, source_id, licence, ...), with their split."""
    path = folder / "index.json"
    if not path.is_file():
        return ()
    data = json.loads(path.read_text())
    entries = data["photos"] if isinstance(data, dict) else data
    out = []
    for e in entries:
        e = dict(e)
        sid = str(e.get("source_id") or e["file"])
        e["source_id"] = sid
        e["split"] = split_of(sid)
        e["path"] = str(folder / e["file"])
        out.append(e)
    return tuple(out)


def reference_paths(split: str | None = "prior", folder: Path = REFERENCE_DIR) -> list[Path]:
    """Thumbnail paths of one split ('prior', 'protocol', or None for all)."""
    return [Path(e["path"]) for e in reference_index(folder) if split is None or e["split"] == split]


def reference_sources(split: str | None = "prior", folder: Path = REFERENCE_DIR) -> dict[str, list[Path]]:
    """Thumbnail paths grouped by source photo."""
    groups: dict[str, list[Path]] = {}
    for e in reference_index(folder):
        if split is None or e["split"] == split:
            groups.setdefault(e["source_id"], []).append(Path(e["path"]))
    return groups


def load_rgb(path: Path) -> np.ndarray:
    """A reference thumbnail as float32 sRGB (H, W, 3) in [0, 1]."""
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.float32) / 255.0
