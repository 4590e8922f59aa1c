"""The plugin manager: every plugin, built-ins included, arrives through the `stylekit`
entry-point group. Entry points load one at a time, so one broken plugin is reported
(by `stylekit plugins` and a warning) and never takes the others down.

`STYLEKIT_LOAD_PLUGINS=a,b` limits which entry points load (an empty value loads none);
`STYLEKIT_TRACE_PLUGINS=1` prints every hook call to stderr.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field
from importlib import metadata

import pluggy

from . import hookspecs

ENTRY_POINT_GROUP = "stylekit"


@dataclass
class PluginInfo:
    """What `stylekit plugins` reports about one entry point."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    hooks: list[str] = field(default_factory=list)
    status: str = "loaded"  # loaded | failed | skipped
    error: str | None = None

    def as_dict(self) -> dict:
        """A JSON-ready view of this record."""
        return dict(self.__dict__)


_manager: pluggy.PluginManager | None = None
_infos: dict[str, PluginInfo] = {}
# hook name -> (the registered plugins when it was called, what their hooks registered)
_results: dict[str, tuple[tuple, list]] = {}


def _wanted() -> set[str] | None:
    value = os.environ.get("STYLEKIT_LOAD_PLUGINS")
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    wanted = _wanted()
    seen: set[str] = set()
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in seen:  # the same distribution found twice on sys.path
            continue
        seen.add(ep.name)
        dist = getattr(ep, "dist", None)
        info = PluginInfo(
            name=ep.name,
            module=ep.value,
            distribution=dist.metadata["Name"] if dist else None,
            version=dist.version if dist else None,
        )
        _infos[ep.name] = info
        if wanted is not None and ep.name not in wanted:
            info.status = "skipped"
            continue
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as exc:  # a broken plugin must not take the CLI down
            info.status = "failed"
            info.error = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"stylekit plugin '{ep.name}' failed to load ({info.error}); "
                "run `stylekit plugins` for details.",
                RuntimeWarning,
                stacklevel=2,
            )
            continue
        info.hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager, with every allowed entry point loaded on first use."""
    global _manager
    if _manager is None:
        pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        pm.add_hookspecs(hookspecs)
        _load_entry_points(pm)
        if os.environ.get("STYLEKIT_TRACE_PLUGINS"):
            pm.trace.root.setwriter(lambda msg: print(msg, end="", file=sys.stderr))
            pm.enable_tracing()
        _manager = pm
    return _manager


def get_plugins(include_skipped: bool = False) -> list[PluginInfo]:
    """Every entry-point plugin with its status; plugins registered directly in code too."""
    pm = get_plugin_manager()
    infos = [i for i in _infos.values() if include_skipped or i.status != "skipped"]
    for name, plugin in pm.list_name_plugin():
        if name not in _infos and plugin is not None:  # registered in code (tests, scripts)
            hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
            infos.append(PluginInfo(name=name, module=getattr(plugin, "__name__", repr(plugin)), hooks=hooks))
    return sorted(infos, key=lambda i: i.name)


def hook_results(hook: str) -> list:
    """What the loaded plugins register through the `register_*` hook `hook`, in call order.

    Each hook runs once per process: the result is cached, and recomputed only when the
    set of registered plugins changes (a plugin registered or unregistered in code).
    """
    pm = get_plugin_manager()
    key = tuple((name, id(plugin)) for name, plugin in pm.list_name_plugin())
    cached = _results.get(hook)
    if cached is not None and cached[0] == key:
        return list(cached[1])
    found: list = []
    getattr(pm.hook, hook)(register=found.append)
    _results[hook] = (key, found)
    return list(found)


def reset_plugin_manager() -> None:
    """Forget loaded plugins so the next use reloads entry points (for tests and long-lived hosts)."""
    global _manager
    _manager = None
    _infos.clear()
    _results.clear()
