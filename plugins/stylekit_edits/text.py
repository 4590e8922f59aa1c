"""Caption text: per-glyph font fallback, line wrapping and rendering to an RGBA tile.

Fonts are tried in order for each character: the user's font (if any), DejaVu Sans
(Latin, Greek, Cyrillic, symbols), Droid Sans Fallback (Chinese, Japanese, Korean),
and Noto Color Emoji for emoji. Emoji are drawn in colour from the emoji font's 109 px
bitmaps, scaled to the text size. A character no font has (e.g. Thai, Devanagari,
Ethiopic) is drawn as the first font's "missing glyph" box, so the gap is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from stylekit.errors import UsageError

FONT_DIR = Path(__file__).parent / "fonts"
TEXT_FONTS = (FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DroidSansFallback.ttf")
EMOJI_FONT = FONT_DIR / "NotoColorEmoji.ttf"
EMOJI_PX = 109  # the only size Noto Color Emoji's bitmap strikes come in
LINE_SPACING = 1.25
# Characters that attach to the previous glyph: joiners, variation selectors, skin tones,
# tag characters (subdivision flags), the keycap mark and combining marks.
_JOINERS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0020, 0xE0080))
_EMOJI = "emoji"


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    """The code points a font file maps to glyphs (read once with fontTools)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=64)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def font_chain(font: str = "") -> tuple[Path, ...]:
    """The text fonts to try, in order: `font` (a .ttf/.otf path) first when given."""
    if not font:
        return TEXT_FONTS
    path = Path(font).expanduser()
    if not path.is_file():
        raise UsageError(f"Font file '{font}' not found; pass a .ttf or .otf file, or leave it empty for the bundled fonts.")
    try:
        _cmap(path)
    except Exception as exc:  # fontTools raises several types for non-font files
        raise UsageError(f"Cannot read font '{font}' ({type(exc).__name__}); pass a .ttf or .otf file.") from None
    return (path, *TEXT_FONTS)


# Characters below U+1F000 that Unicode shows as emoji by default (Emoji_Presentation=Yes
# in emoji-data.txt), e.g. ☕ ⚡ ✨ ⭐; others (☺ ❤ ✈) are text unless followed by U+FE0F.
_BMP_EMOJI_PRESENTATION = frozenset().union(*(range(a, b + 1) for a, b in (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
    (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
    (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
    (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
    (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55))))


def _is_emoji(cp: int, next_cp: int | None) -> bool:
    """Whether a character is drawn from the colour emoji font."""
    if cp not in _cmap(EMOJI_FONT):
        return False
    if cp < 0x80:  # digits, '#' and '*' only as keycaps
        return next_cp in (0xFE0F, 0x20E3)
    if next_cp == 0xFE0E:  # text presentation explicitly asked for
        return False
    return cp >= 0x1F000 or next_cp == 0xFE0F or cp in _BMP_EMOJI_PRESENTATION


def split_runs(text: str, chain: tuple[Path, ...]) -> list[tuple[Path | str, str]]:
    """Split `text` into (font path or "emoji", substring) runs, choosing per character."""
    runs: list[tuple[Path | str, str]] = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        if runs and (cp in _JOINERS or (0x300 <= cp < 0x370)):
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            continue
        next_cp = ord(text[i + 1]) if i + 1 < len(text) else None
        if _is_emoji(cp, next_cp):
            source: Path | str = _EMOJI
        elif ch == " " and runs:
            source = runs[-1][0] if runs[-1][0] != _EMOJI else chain[0]
        else:
            source = next((p for p in chain if cp in _cmap(p)), chain[0])
        if runs and runs[-1][0] == source:
            runs[-1] = (source, runs[-1][1] + ch)
        else:
            runs.append((source, ch))
    return runs


def _run_width(source: Path | str, run: str, size: int) -> float:
    if source == _EMOJI:
        return _font(EMOJI_FONT, EMOJI_PX).getlength(run) * size / EMOJI_PX
    return _font(source, size).getlength(run)


def text_width(text: str, size: int, chain: tuple[Path, ...]) -> float:
    """Rendered width of one line in pixels."""
    return sum(_run_width(s, r, size) for s, r in split_runs(text, chain))


def _break_units(paragraph: str) -> list[str]:
    """Pieces a line may break between: words with their trailing spaces, and single
    CJK characters or emoji (which need no spaces to break)."""
    units: list[str] = []
    for ch in paragraph:
        cp = ord(ch)
        if not units:
            units.append(ch)
        elif cp in _JOINERS or 0x300 <= cp < 0x370 or ch == " ":
            units[-1] += ch  # marks attach; spaces trail the word before them
        elif cp >= 0x2E80 or units[-1].endswith(" ") or _is_wide(units[-1]):
            units.append(ch)
        else:
            units[-1] += ch
    return units


def _is_wide(unit: str) -> bool:
    return ord(unit[0]) >= 0x2E80


def wrap(text: str, size: int, max_width: float, chain: tuple[Path, ...]) -> list[str]:
    """Greedy line breaking of `text` (explicit newlines kept) into lines no wider than
    `max_width` pixels; a single word wider than that is broken between characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _break_units(paragraph):
            if text_width((line + unit).rstrip(), size, chain) <= max_width or not line:
                line += unit
            else:
                lines.append(line.rstrip())
                line = unit
            while len(line) > 1 and text_width(line.rstrip(), size, chain) > max_width:
                cut = len(line) - 1
                while cut > 1 and text_width(line[:cut], size, chain) > max_width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


@dataclass
class TextStyle:
    """How caption text looks: fill colour, outline (pixels, colour)."""

    color: str = "white"
    outline: int = 0
    outline_color: str = "black"


def render_lines(lines: list[str], size: int, chain: tuple[Path, ...], style: TextStyle,
                 align: str = "center") -> Image.Image:
    """Lines of text drawn on a transparent RGBA tile just big enough for them."""
    ascent, _ = _font(chain[0], size).getmetrics()
    line_h = round(size * LINE_SPACING)
    pad = style.outline + 1
    widths = [text_width(line, size, chain) for line in lines]
    tile = Image.new("RGBA", (round(max(widths, default=0)) + 2 * pad, line_h * len(lines) + 2 * pad), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    for row, (line, width) in enumerate(zip(lines, widths)):
        x = pad + {"left": 0.0, "center": (tile.width - 2 * pad - width) / 2, "right": tile.width - 2 * pad - width}[align]
        baseline = pad + row * line_h + ascent + (line_h - size) // 2
        for source, run in split_runs(line, chain):
            if source == _EMOJI:
                _draw_emoji(tile, run, size, x, baseline)
            else:
                draw.text((x, baseline), run, font=_font(source, size), fill=style.color, anchor="ls",
                          stroke_width=style.outline, stroke_fill=style.outline_color)
            x += _run_width(source, run, size)
    return tile


def _draw_emoji(tile: Image.Image, run: str, size: int, x: float, baseline: float) -> None:
    """Colour emoji: drawn at the font's native 109 px, scaled to `size`, pasted on the baseline."""
    font = _font(EMOJI_FONT, EMOJI_PX)
    left, top, right, bottom = font.getbbox(run, anchor="ls")
    if right <= left or bottom <= top:
        return
    glyphs = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(glyphs).text((-left, -top), run, font=font, anchor="ls", embedded_color=True)
    scale = size / EMOJI_PX
    scaled = glyphs.resize((max(1, round(glyphs.width * scale)), max(1, round(glyphs.height * scale))),
                           Image.Resampling.LANCZOS)
    layer = Image.new("RGBA", tile.size, (0, 0, 0, 0))
    layer.paste(scaled, (round(x + left * scale), round(baseline + top * scale)))
    tile.alpha_composite(layer)
