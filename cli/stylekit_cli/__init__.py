"""The stylekit command line: a thin Typer layer over the `stylekit` Python API."""

from __future__ import annotations


def main() -> None:
    """Console-script entry point."""
    from .app import build_app

    build_app()(prog_name="stylekit")
