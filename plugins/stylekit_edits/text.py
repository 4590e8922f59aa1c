"""Caption text: per-glyph font fallback, line wrapping and rendering to an RGBA tile.

Fonts are tried in order for each character: the user's font (if any), DejaVu Sans
(Latin, Greek, Cyrillic, symbols), Droid Sans Fallback (Chinese, Japanese, Korean),
and Noto Color Emoji for emoji. Emoji are drawn in colour from the emoji font's 109 px
bitmaps, scaled to the text size. A character no font has (e.g. Thai, Devanagari,
Ethiopic) is drawn as the first font's "missing glyph" box, so the gap is visible.
"""

from __future__ import annotations

from bisect import bisect_right
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
    sources: list[Path | str] = []
    pieces: list[list[str]] = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        if pieces and (cp in _JOINERS or (0x300 <= cp < 0x370)):
            pieces[-1].append(ch)
            continue
        next_cp = ord(text[i + 1]) if i + 1 < len(text) else None
        if _is_emoji(cp, next_cp):
            source: Path | str = _EMOJI
        elif ch == " " and sources:
            source = sources[-1] if sources[-1] != _EMOJI else chain[0]
        else:
            source = next((p for p in chain if cp in _cmap(p)), chain[0])
        if sources and sources[-1] == source:
            pieces[-1].append(ch)
        else:
            sources.append(source)
            pieces.append([ch])
    return [(source, "".join(chars)) for source, chars in zip(sources, pieces)]


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


MAX_CAPTION_CHARS = 20_000  # a caption is a few lines; this bounds layout work on hostile input


@lru_cache(maxsize=1 << 16)
def _advance(source: Path | str, ch: str, size: int) -> float:
    return _run_width(source, ch, size)


def _cumulative_widths(paragraph: str, size: int, chain: tuple[Path, ...]) -> list[float]:
    """cum[k] = summed advance widths of paragraph[:k] (per glyph; kerning is checked later)."""
    cum = [0.0]
    for source, run in split_runs(paragraph, chain):
        for ch in run:
            cum.append(cum[-1] + _advance(source, ch, size))
    return cum


def _attached(text: str, i: int) -> bool:
    """Whether text[i] belongs to the character before it (joiner, selector, combining mark)."""
    return i < len(text) and (ord(text[i]) in _JOINERS or 0x300 <= ord(text[i]) < 0x370)


def wrap(text: str, size: int, max_width: float, chain: tuple[Path, ...]) -> list[str]:
    """Greedy line breaking of `text` (explicit newlines kept) into lines no wider than
    `max_width` pixels; a single word wider than that is broken between characters.

    Each line is found by binary search over cumulative glyph widths, then measured once
    as a whole (kerning and shaping can only make a few lines a word shorter), so layout
    is O(n log n) in the caption's length: 3,000 characters without a space wrap at once.
    """
    if len(text) > MAX_CAPTION_CHARS:
        raise UsageError(f"Caption is {len(text):,} characters; the limit is {MAX_CAPTION_CHARS:,}. Shorten it.")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        units = _break_units(paragraph)
        if not units:
            lines.append("")
            continue
        cum = _cumulative_widths(paragraph, size, chain)
        starts, ends = [], []  # each unit's first offset, and its end without trailing spaces
        offset = 0
        for unit in units:
            starts.append(offset)
            ends.append(offset + len(unit.rstrip()))
            offset += len(unit)
        unit_ends = [cum[e] for e in ends]
        p, i = 0, 0  # the line starts at offset p, inside unit i
        while i < len(units):
            limit = cum[p] + max_width
            j = bisect_right(unit_ends, limit, lo=i) - 1  # last unit that ends within the line
            if j >= i:
                while j > i and text_width(paragraph[p : ends[j]], size, chain) > max_width:
                    j -= 1  # the summed advances were a little optimistic
            if j >= i and (j > i or text_width(paragraph[p : ends[j]], size, chain) <= max_width):
                lines.append(paragraph[p : ends[j]])
                i = j + 1
                p = starts[i] if i < len(units) else len(paragraph)
                continue
            # One word wider than a line: break it between characters (never before a mark).
            cut = max(p + 1, bisect_right(cum, limit, lo=p) - 1)
            while cut > p + 1 and text_width(paragraph[p:cut], size, chain) > max_width:
                cut -= 1
            while cut > p + 1 and _attached(paragraph, cut):
                cut -= 1
            while _attached(paragraph, cut):
                cut += 1
            if cut >= ends[i]:
                lines.append(paragraph[p : ends[i]])
                i += 1
                p = starts[i] if i < len(units) else len(paragraph)
            else:
                lines.append(paragraph[p:cut])
                p = cut
    return lines


@dataclass
class TextStyle:
    """How caption text looks: fill colour, outline (pixels, colour)."""

    color: str = "white"
    outline: int = 0
    outline_color: str = "black"


def tile_height(count: int, size: int, style: TextStyle) -> int:
    """Height in pixels of the tile `render_lines` draws for `count` lines."""
    return round(size * LINE_SPACING) * count + 2 * (style.outline + 1)


def render_lines(lines: list[str], size: int, chain: tuple[Path, ...], style: TextStyle,
                 align: str = "center") -> Image.Image:
    """Lines of text drawn on a transparent RGBA tile just big enough for them."""
    ascent, _ = _font(chain[0], size).getmetrics()
    line_h = round(size * LINE_SPACING)
    pad = style.outline + 1
    widths = [text_width(line, size, chain) for line in lines]
    tile = Image.new("RGBA", (round(max(widths, default=0)) + 2 * pad, tile_height(len(lines), size, style)), (0, 0, 0, 0))
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


@lru_cache(maxsize=256)
def _emoji_glyphs(run: str, size: int) -> tuple[Image.Image, float, float] | None:
    """A run of colour emoji drawn at the font's native 109 px and scaled to `size`, with
    its offset from the pen position (cached: captions repeat their emoji)."""
    font = _font(EMOJI_FONT, EMOJI_PX)
    left, top, right, bottom = font.getbbox(run, anchor="ls")
    if right <= left or bottom <= top:
        return None
    glyphs = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(glyphs).text((-left, -top), run, font=font, anchor="ls", embedded_color=True)
    scale = size / EMOJI_PX
    scaled = glyphs.resize((max(1, round(glyphs.width * scale)), max(1, round(glyphs.height * scale))),
                           Image.Resampling.LANCZOS)
    return scaled, left * scale, top * scale


def _draw_emoji(tile: Image.Image, run: str, size: int, x: float, baseline: float) -> None:
    """Colour emoji: drawn at the font's native 109 px, scaled to `size`, pasted on the baseline."""
    drawn = _emoji_glyphs(run, size)
    if drawn is None:
        return
    scaled, left, top = drawn
    dx, dy = round(x + left), round(baseline + top)
    sx, sy = max(0, -dx), max(0, -dy)
    if sx < scaled.width and sy < scaled.height:  # composite only the glyphs' own box
        tile.alpha_composite(scaled, dest=(max(0, dx), max(0, dy)), source=(sx, sy))
