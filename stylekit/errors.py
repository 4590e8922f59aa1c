"""One exception hierarchy for stylekit; every message tells the user what to do next."""

from __future__ import annotations


class StylekitError(Exception):
    """Base class of every error stylekit raises on purpose; the CLI prints it as one line."""


class UsageError(StylekitError):
    """The arguments given cannot work together (the CLI exits 2 for these)."""


class UnknownEngineError(StylekitError):
    """An engine name that no loaded plugin registers."""


class UnknownInfluencerError(StylekitError):
    """An influencer (style pack) name that is not in the store or bundled."""


class UnknownEditError(StylekitError):
    """An edit name that no loaded plugin registers."""


class PackError(StylekitError):
    """A style pack that is missing, invalid, tampered with, or read-only."""


class ImportRefusedError(PackError):
    """A style pack archive that was refused on import; nothing was written."""


class ImageReadError(StylekitError):
    """An input image that cannot be read safely (corrupt, truncated, too large, not allowed)."""


class VideoReadError(StylekitError):
    """An input video that cannot be read: corrupt, an unsupported codec, or no video stream."""


class OutputError(StylekitError):
    """An output that cannot be written: a folder, under a file, an input, read-only, disk full."""


class OutputExistsError(OutputError):
    """An output file that already exists and would be overwritten without `overwrite`."""


class TrainingError(StylekitError):
    """Training data that cannot be learned from, or a run that cannot continue."""


class BusyError(StylekitError):
    """Another stylekit process holds the lock on what this one needs (e.g. training the same influencer)."""


class MixNotSupportedError(StylekitError):
    """Styles that cannot be mixed (different engines, or an engine without mixing)."""


class ConsentWarning(UserWarning):
    """A style pack that records no consent from the person whose style it holds."""


class LutExportWarning(UserWarning):
    """A `.cube` export that holds only part of a look (the colour), not its vignette or local tone."""
