"""`stylekit styles`: list, show, import, export and remove style packs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import print_json

app = typer.Typer(help="Manage style packs (influencers).", no_args_is_help=True)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("list")
def list_styles(as_json: AsJson = False) -> None:
    """List installed influencers, bundled and your own."""
    import stylekit

    packs = stylekit.list_packs()
    if as_json:
        print_json([p.summary() for p in packs])
        return
    if not packs:
        typer.echo("no style packs installed; train one with `stylekit train image ...`")
    for pack in packs:
        if pack.problem:
            typer.echo(f"{pack.name:<16} {'damaged':<32} user  {pack.problem}")
            continue
        kinds = ", ".join(f"{m}: {s['engine']}" for m, s in pack.modalities.items())
        origin = "bundled" if pack.bundled else "user"
        typer.echo(f"{pack.name:<16} {kinds:<32} {origin}  {pack.description}")


@app.command("show")
def show(name: Annotated[str, typer.Argument(help="Influencer name.")], as_json: AsJson = False) -> None:
    """Show one pack's manifest: modalities, consent, licence, training data, files."""
    import stylekit

    summary = stylekit.load_pack(name).summary()
    if as_json:
        print_json(summary)
        return
    for key in ("name", "display_name", "description", "created", "stylekit_version", "licence", "path", "bundled"):
        typer.echo(f"{key}: {summary.get(key, '')}")
    consent = summary.get("consent")
    if consent:
        typer.echo(f"consent: granted by {consent.get('granted_by') or 'unnamed'} on {consent.get('date') or 'an unknown date'}")
        if consent.get("statement"):
            typer.echo(f"  statement: {consent['statement']}")
    else:
        typer.echo("consent: none recorded (use only with the creator’s permission)")
    for modality, section in summary["modalities"].items():
        typer.echo(f"{modality}: engine {section['engine']}")
        for key, value in summary["training_data"].get(modality, {}).items():
            typer.echo(f"  {key.replace('_', ' ')}: {value}")
    typer.echo(f"files: {len(summary['files'])} (sha256 verified)")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A pack .zip made by `stylekit styles export`.")],
    name: Annotated[Optional[str], typer.Option("--name", help="Install under another name.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace a pack of the same name.")] = False,
) -> None:
    """Install a pack from a zip, after checking every member and checksum."""
    import stylekit

    pack = stylekit.import_pack(file, name=name, overwrite=overwrite)
    typer.echo(f"imported '{pack.name}' into {pack.path}")


@app.command("export")
def export(
    name: Annotated[str, typer.Argument(help="Influencer name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The .zip file to write.")],
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing file.")] = False,
) -> None:
    """Write a pack as a zip for sharing."""
    import stylekit

    typer.echo(f"wrote {stylekit.export_pack(name, out, overwrite=overwrite)}")


@app.command("export-lut")
def export_lut(
    name: Annotated[str, typer.Argument(help="Influencer name (or a mix like a:0.5,b:0.5).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The .cube file to write.")],
    size: Annotated[int, typer.Option("--size", help="Lattice size per axis.")] = 33,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing file.")] = False,
) -> None:
    """Write the colour part of a look as an Adobe .cube 3D LUT (Photoshop, Premiere, Resolve)."""
    import stylekit

    typer.echo(f"wrote {stylekit.export_lut(name, out, size=size, overwrite=overwrite)}")


@app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="Influencer name.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one of your packs (bundled packs cannot be removed)."""
    import stylekit
    from stylekit.store import PackStore, get_bundled_packs

    path = PackStore().pack_dir(name)  # a name inside the store, never a path from here
    if name in get_bundled_packs() or not path.is_dir():
        stylekit.remove_pack(name)  # raises the read-only or unknown-influencer error
    if not yes and not typer.confirm(f"Delete influencer '{name}' at {path}?"):
        typer.echo("kept")
        raise typer.Exit(code=1)
    typer.echo(f"removed {stylekit.remove_pack(name)}")
