"""Style packs: a directory with `stylepack.toml` and one folder per modality.

The manifest records who the style is, who consented to its use, its licence, a summary
of the training data (counts and hashes, never the data), the engine of each modality,
and the sha256 of every file in the pack, checked on load. Weights are safetensors only;
nothing in a pack is unpickled or executed.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import tomli_w

from .engines import MODALITIES
from .errors import PackError

FORMAT_VERSION = 1
MANIFEST = "stylepack.toml"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Plain data only: anything a loader could execute or unpickle (.pt, .bin, .pkl, ...) is refused.
ALLOWED_SUFFIXES = {".toml", ".json", ".safetensors", ".png", ".jpg", ".cube", ".model", ".vocab", ".txt", ".md"}


MAX_MANIFEST_BYTES = 1 << 20  # a manifest is a few KB; anything larger is not one
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def check_name(name: str) -> str:
    """Return `name` if it is a valid pack name, else raise `PackError` saying what is allowed.

    A valid name is also a safe single path component: no separators, no `..`, never absolute.
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise PackError(
            f"Invalid influencer name '{name}'; use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit."
        )
    return name


def check_member(rel: str) -> str:
    """Return `rel` if it is a safe file path inside a pack (relative, POSIX, no `..`, an
    allowed suffix), else raise `PackError` naming it."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel or rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        raise PackError(f"file '{rel}' has an absolute or non-portable path")
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise PackError(f"file '{rel}' points outside the pack")
    if rel == MANIFEST:
        raise PackError(f"'{MANIFEST}' cannot list itself")
    if Path(rel).suffix.lower() not in ALLOWED_SUFFIXES:
        raise PackError(f"'{rel}' is not an allowed pack file (weights must be .safetensors)")
    return rel


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class StylePack:
    """A style pack on disk, as described by its manifest."""

    path: Path
    name: str
    display_name: str = ""
    description: str = ""
    created: str = ""
    stylekit_version: str = ""
    licence: str = ""
    consent: dict[str, str] | None = None
    training_data: dict[str, Any] = field(default_factory=dict)
    modalities: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    bundled: bool = False
    problem: str = ""  # why a listed pack cannot be used (damaged); "" for a readable pack

    def engine_for(self, modality: str) -> str:
        """The engine that made this pack's style of `modality`; `PackError` if it has none."""
        if modality not in self.modalities:
            has = ", ".join(self.modalities) or "nothing"
            raise PackError(
                f"Influencer '{self.name}' has no {modality} style (it has: {has}); "
                f"train one with `stylekit train {modality} --influencer {self.name} ...`."
            )
        return self.modalities[modality]["engine"]

    def modality_dir(self, modality: str) -> Path:
        """The folder holding this pack's style of `modality`."""
        return self.path / modality

    def report_lines(self, modality: str) -> list[str]:
        """What the engine said it learned for `modality`, as lines for a person (the look in
        words and its confidence, the voice's markers, openers and word choice, warnings
        last, each "warning: ..."); empty when the engine reports nothing."""
        import json

        try:
            metrics = json.loads((self.modality_dir(modality) / "metrics.json").read_text(encoding="utf-8"))
            report = metrics.get("report") or {}
        except (OSError, ValueError, AttributeError):
            return []
        lines = [f"look: {', '.join(report['look'])}"] if report.get("look") else []
        if "confidence" in report:
            spread = (f" (bootstrap spread {report['bootstrap_spread_cie76']} of a look of "
                      f"{report.get('look_size_cie76')} CIE76)" if "bootstrap_spread_cie76" in report else "")
            lines.append(f"confidence: {report['confidence']}{spread}")
        lines += [f"voice {line}" for line in report.get("voice", [])]
        return lines + [f"warning: {w}" for w in report.get("warnings", [])]

    def to_manifest(self) -> dict[str, Any]:
        """The manifest as a TOML-ready dict."""
        data: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "display_name": self.display_name or self.name,
            "description": self.description,
            "created": self.created,
            "stylekit_version": self.stylekit_version,
            "licence": self.licence,
        }
        if self.consent:
            data["consent"] = dict(self.consent)
        data["training_data"] = self.training_data
        data["modalities"] = self.modalities
        data["files"] = dict(sorted(self.files.items()))
        return data

    def summary(self) -> dict[str, Any]:
        """A JSON-ready description for `stylekit styles list/show`."""
        data = self.to_manifest()
        data["path"] = str(self.path)
        data["bundled"] = self.bundled
        if self.problem:
            data["problem"] = self.problem
        return data


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def read_manifest(pack_dir: Path, bundled: bool = False) -> StylePack:
    """Parse and validate `stylepack.toml`; `PackError` names the file and the problem.

    Every field is type-checked and every listed file must be a safe path inside the pack,
    so a hostile manifest can neither crash a command nor point outside its folder.
    """
    path = pack_dir / MANIFEST
    if not path.is_file():
        raise PackError(f"{pack_dir}: not a style pack (no {MANIFEST})")
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise PackError(f"{path}: larger than {MAX_MANIFEST_BYTES:,} bytes, not a stylekit manifest")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: invalid TOML ({exc})")
    except RecursionError:
        raise PackError(f"{path}: invalid TOML (nested too deeply)")
    except OSError as exc:
        raise PackError(f"{path}: cannot read ({exc.strerror or exc}); re-import the pack")
    if data.get("format_version") != FORMAT_VERSION:
        raise PackError(
            f"{path}: format_version {data.get('format_version')!r} is not supported "
            f"(this stylekit reads {FORMAT_VERSION}); upgrade stylekit or re-export the pack."
        )
    for key in ("name", "modalities", "files"):
        if key not in data:
            raise PackError(f"{path}: missing required field '{key}'")
    if not isinstance(data["name"], str):
        raise PackError(f"{path}: 'name' must be a string")
    try:
        check_name(data["name"])
    except PackError as exc:
        raise PackError(f"{path}: {exc}")
    for key in ("display_name", "description", "created", "stylekit_version", "licence"):
        if not isinstance(data.get(key, ""), str):
            raise PackError(f"{path}: '{key}' must be a string")
    modalities = data["modalities"]
    if not isinstance(modalities, dict) or not modalities:
        raise PackError(f"{path}: 'modalities' must name at least one of {', '.join(MODALITIES)}")
    for modality, section in modalities.items():
        if modality not in MODALITIES or not isinstance(section, dict) or not isinstance(section.get("engine"), str):
            raise PackError(f"{path}: modality '{modality}' must be one of {', '.join(MODALITIES)} with an 'engine' name")
    files = data["files"]
    if not isinstance(files, dict) or not all(isinstance(v, str) and _SHA256.match(v) for v in files.values()):
        raise PackError(f"{path}: 'files' must map each file to its sha256")
    for rel in files:
        try:
            check_member(rel)
        except PackError as exc:
            raise PackError(f"{path}: {exc}")
    training_data = data.get("training_data", {})
    if not isinstance(training_data, dict):
        raise PackError(f"{path}: 'training_data' must be a table")
    consent = data.get("consent")
    if consent is not None and (not isinstance(consent, dict) or not all(isinstance(v, str) for v in consent.values())):
        raise PackError(f"{path}: 'consent' must be a table of text (granted_by, date, statement)")
    return StylePack(
        path=pack_dir,
        name=data["name"],
        display_name=data.get("display_name", ""),
        description=data.get("description", ""),
        created=data.get("created", ""),
        stylekit_version=data.get("stylekit_version", ""),
        licence=data.get("licence", ""),
        consent=consent,
        training_data=dict(training_data),
        modalities={k: dict(v) for k, v in modalities.items()},
        files=dict(files),
        bundled=bundled,
    )


def pack_files(pack_dir: Path) -> list[str]:
    """Every file in a pack other than its manifest, as sorted POSIX relative paths.

    Links and special files are refused: a pack holds plain files only, so nothing it
    lists can lead outside its folder.
    """
    found = []
    for p in pack_dir.rglob("*"):
        if p.is_symlink() or not (p.is_file() or p.is_dir()):
            raise PackError(f"{pack_dir}: '{p.relative_to(pack_dir).as_posix()}' is a link or special file; packs hold plain files only")
        if p.is_file() and p.relative_to(pack_dir).as_posix() != MANIFEST:
            found.append(p.relative_to(pack_dir).as_posix())
    return sorted(found)


def verify_pack(pack: StylePack) -> None:
    """Check that the files on disk are exactly the manifest's, with matching sha256."""
    present = pack_files(pack.path)
    for rel in present:
        if rel not in pack.files:
            raise PackError(f"{pack.path}: '{rel}' is not listed in {MANIFEST}; the pack was modified, re-import it")
        if Path(rel).suffix.lower() not in ALLOWED_SUFFIXES:
            raise PackError(f"{pack.path}: '{rel}' is not an allowed pack file (weights must be .safetensors)")
    for rel, expected in pack.files.items():
        check_member(rel)
        file = pack.path / rel
        if not file.is_file():
            raise PackError(f"{pack.path}: '{rel}' listed in {MANIFEST} is missing; re-import the pack")
        if sha256_file(file) != expected:
            raise PackError(f"{pack.path}: checksum mismatch for '{rel}'; the pack is damaged or was tampered with")


def write_manifest(pack: StylePack) -> None:
    """Record the sha256 of every file in the pack and write `stylepack.toml`."""
    pack.files = {rel: sha256_file(pack.path / rel) for rel in pack_files(pack.path)}
    for rel in pack.files:
        try:
            check_member(rel)
        except PackError:
            raise PackError(f"{pack.path}: engine wrote '{rel}', which packs may not hold (weights must be .safetensors)")
    (pack.path / MANIFEST).write_text(tomli_w.dumps(pack.to_manifest()), encoding="utf-8")
