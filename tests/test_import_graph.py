"""The import graph and the names in the code, read with `ast`: the core imports no plugin
and no CLI, no plugin imports another plugin or the CLI, and neither the core nor the CLI
names an engine (engines are found through the registry, never by name)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "stylekit"
CLI = ROOT / "cli" / "stylekit_cli"
PLUGIN_ROOTS = sorted(p for p in (ROOT / "plugins").glob("stylekit_*") if p.is_dir())
PLUGIN_ROOTS.append(ROOT / "examples" / "stylekit-duotone" / "stylekit_duotone")


def _sources(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _imported(path: Path) -> set[str]:
    """Top-level package of every module `path` imports (relative imports excluded)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                names.add(node.args[0].value.split(".")[0])
    return names


def _plugin_packages() -> set[str]:
    return {p.name for p in PLUGIN_ROOTS}


def test_the_tree_has_what_this_test_reads():
    assert len(_sources(CORE)) > 10 and len(_sources(CLI)) > 5
    assert {"stylekit_classic", "stylekit_gan", "stylekit_seq2seq", "stylekit_edits", "stylekit_duotone"} <= _plugin_packages()


@pytest.mark.parametrize("folder", [CORE, CLI], ids=["core", "cli"])
def test_core_and_cli_import_no_plugin(folder):
    offenders = {f"{p.relative_to(ROOT)} imports {name}" for p in _sources(folder)
                 for name in _imported(p) & _plugin_packages()}
    assert not offenders, sorted(offenders)


def test_core_does_not_import_the_cli():
    offenders = [str(p.relative_to(ROOT)) for p in _sources(CORE) if "stylekit_cli" in _imported(p)]
    assert not offenders


@pytest.mark.parametrize("plugin", PLUGIN_ROOTS, ids=lambda p: p.name)
def test_a_plugin_imports_no_other_plugin_and_not_the_cli(plugin):
    others = (_plugin_packages() - {plugin.name}) | {"stylekit_cli"}
    offenders = {f"{p.relative_to(ROOT)} imports {name}" for p in _sources(plugin) for name in _imported(p) & others}
    assert not offenders, sorted(offenders)


def _engine_names() -> set[str]:
    """Every engine that registers, built-in and the example third-party one."""
    from stylekit.engines import get_engines

    from .contract.conftest import register_example_plugin

    register_example_plugin()
    return set(get_engines())


def _strings(path: Path) -> list[tuple[int, str]]:
    """String constants in code, docstrings excluded (prose may name what it describes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("folder", [CORE, CLI], ids=["core", "cli"])
def test_core_and_cli_name_no_engine(folder):
    names = _engine_names()
    assert {"classic", "gan", "seq2seq", "duotone"} <= names
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    offenders = [f"{p.relative_to(ROOT)}:{line}: {text!r}" for p in _sources(folder)
                 for line, text in _strings(p) if pattern.search(text)]
    assert not offenders, offenders
