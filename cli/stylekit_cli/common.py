"""Shared pieces of the CLI: error handling, warnings, progress bars, option parsing."""

from __future__ import annotations

import json
import os
import sys
import warnings
from contextlib import contextmanager
from typing import Any, Iterator

import typer
from typer.core import TyperGroup

from stylekit.errors import StylekitError, UsageError


def err(message: str) -> None:
    """Print one line to stderr."""
    typer.echo(message, err=True)


# The API names its parameters in messages; on the command line they are flags.
_API_TO_CLI = {"overwrite=True": "--overwrite", "out_dir=FOLDER": "--out-dir FOLDER", "resume=True": "--resume",
               "photos=PATH": "--photos PATH", "lut=FILE": "--lut FILE",
               "posts=PATH": "--posts PATH", "out=FILE": "-o FILE", "influencer=NAME": "--influencer NAME",
               "num=N": "--num N", "region=/mask=": "--region/--mask"}


def cli_message(message: str) -> str:
    """An API error message in the CLI's words (parameter names become flags)."""
    for api, flag in _API_TO_CLI.items():
        message = message.replace(api, flag)
    return message


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    err(f"Warning: {message}")


class StylekitGroup(TyperGroup):
    """The root command group: stylekit errors become one line on stderr and an exit code."""

    def invoke(self, ctx):  # noqa: D102 - Typer's own hook
        previous = warnings.showwarning
        warnings.showwarning = _show_warning
        try:
            return super().invoke(ctx)
        except StylekitError as exc:
            if os.environ.get("STYLEKIT_DEBUG"):
                raise
            err(f"Error: {cli_message(str(exc))}")
            raise typer.Exit(code=2 if isinstance(exc, UsageError) else 1)
        except KeyboardInterrupt as exc:  # training says where it saved and how to resume
            err(cli_message(str(exc)) if str(exc) else "Interrupted.")
            raise typer.Exit(code=130)
        finally:
            warnings.showwarning = previous


def parse_options(pairs: list[str] | None) -> dict[str, Any]:
    """`KEY=VALUE` strings to a dict; values read as JSON where they parse (numbers, true/false)."""
    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"Invalid --option '{pair}'; use KEY=VALUE")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options


def print_json(data: Any) -> None:
    """Print data as indented JSON on stdout."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@contextmanager
def progress_bar(label: str, enabled: bool = True) -> Iterator[Any]:
    """A rich progress bar on stderr fed by the API's `ProgressEvent` callbacks.

    The bar appears with the first event, so a command that fails before any work
    prints its one-line error alone.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    state: dict[str, Any] = {}

    def update(event) -> None:
        if "bar" not in state:
            columns = [
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[values]}"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            ]
            state["bar"] = Progress(*columns, console=Console(file=sys.stderr))
            state["bar"].start()
            state["task"] = state["bar"].add_task(label, total=None, values="")
        if event.note:  # said once, above the bar (the training estimate)
            state["bar"].console.print(event.note, markup=False, highlight=False)
            return
        values = "  ".join(f"{k} {v:.4g}" for k, v in event.values.items())
        description = f"{label} {event.stage}".strip() if event.stage else label
        state["bar"].update(state["task"], completed=event.done, total=event.total, values=values, description=description)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


_TYPE_NAMES = {"str": "TEXT", "float": "NUMBER", "int": "INTEGER", "path": "PATH", "Path": "PATH", "file": "FILE",
               "directory": "FOLDER", "bool": ""}


def readable_help_types() -> None:
    """Help shows `--strength NUMBER`, `PATH...` and bare flags, not Typer's `<float>`,
    `<list[Path]>` and `--overwrite <bool>`."""
    import typer.core

    parameter = typer.core._TyperParameter
    if getattr(parameter, "_stylekit_types", False):
        return
    original = parameter.display_type

    def display_type(self, ctx):
        if getattr(self, "is_flag", False):
            return None
        label = str(original(self, ctx)).strip("<>")
        if label.startswith("list[") and label.endswith("]"):
            label = label[5:-1]
        if "|" in label:
            return "[" + label + "]"
        return _TYPE_NAMES.get(label, label.upper()) or None

    parameter.display_type = display_type
    parameter._stylekit_types = True
