"""Panels of the item page that the apps above content register (issue 13, item 4).

The item page belongs to content, but the review and publishing parts of it belong to those apps.
Each registers a panel in its AppConfig.ready(): a function giving the panel's template context and
the template the page includes, so content asks them without importing them (layers point down).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Item


@dataclass(frozen=True)
class Panel:
    name: str
    context: Callable[[HttpRequest, Item], dict]
    order: int
    template: str | None = None  # None: the panel only adds context for the page's own markup


_panels: dict[str, Panel] = {}


def register(name: str, context_fn: Callable[[HttpRequest, Item], dict], *, order: int,
             template: str | None = None) -> None:
    """Add (or, registered again under the same name, replace) a panel; pages show them by `order`."""
    _panels[name] = Panel(name, context_fn, order, template)


def registered() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.name))


def context_for(request: HttpRequest, item: Item) -> dict:
    """Every panel's context, in page order (a later panel's key wins), plus the list the template includes."""
    context: dict = {}
    shown = registered()
    for panel in shown:
        context.update(panel.context(request, item))
    context["item_panels"] = [p for p in shown if p.template]
    return context
