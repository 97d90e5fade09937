"""The render context of a site, for tests that call one output at a time."""

from __future__ import annotations

import datetime

from generator import pipeline
from generator.cache import BuildCache
from generator.content.model import Site
from generator.outputs.context import RenderContext, prepare


def context(
    site: Site, cache: BuildCache | None = None, stamp: datetime.datetime | None = None
) -> RenderContext:
    """The render context of `site`, with a fresh memory cache unless one is given."""
    return prepare(site, cache or BuildCache(), stamp or pipeline.build_time(site, None))
