"""The stylekit web app (`stylekit serve`): a local Gradio page over the public API.

Tabs: Apply (photos in a look, tuned and personalised, downloaded at full resolution
with provenance), Write (a text in a voice, post cards), Learn (a new influencer from
photos, a video and/or posts, trained in the background; pack import and export), Which
influencer is like me, and Video where stylekit can style videos. Gradio is an optional
dependency (`pip install "stylekit[web]"`); nothing here imports it until `serve` or
`build` runs.
"""

from __future__ import annotations

from .server import build, serve

__all__ = ["build", "serve"]
