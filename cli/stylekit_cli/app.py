"""Assemble the Typer app: one module per command group, each with its own Typer sub-app,
plus the commands plugins add."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from stylekit import __version__

from .common import StylekitGroup, readable_help_types


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stylekit {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    """The `stylekit` app with every built-in command and those plugins add."""
    from . import edits_cmd, image, inspect_cmd, plugins_cmd, post_cmd, recommend_cmd, serve_cmd, styles, text, train, video_cmd

    readable_help_types()
    app = typer.Typer(
        cls=StylekitGroup,
        help="Learn an influencer's style from their photos and posts; apply it to yours.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    @app.callback()
    def root(
        version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
    ) -> None:
        """stylekit: influencer style transfer for images and text."""

    for module in (image, text, post_cmd, edits_cmd, inspect_cmd, plugins_cmd, recommend_cmd, serve_cmd, video_cmd):
        app.add_typer(module.app)  # no name: the module's commands join the root
    app.add_typer(train.app, name="train")
    app.add_typer(styles.app, name="styles")
    from .examples import add_examples

    add_examples(app)  # `--help` ends with examples

    from stylekit.plugins import get_plugin_manager

    get_plugin_manager().hook.register_commands(app=app)
    return app
