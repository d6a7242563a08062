"""Lines of a widget as its page (the VerticalScroll it sits in) holds them, and scrolling the
page to them. The debrief's tables and trees are as tall as their content and scroll only
themselves: a cursor moved in one would otherwise leave the page where it was, and a row taller
than the page could never be read to its end."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widget import Widget


def in_page(widget: Widget, line: int, height: int) -> tuple[VerticalScroll | None, Region]:
    """The page around `widget`, and where these lines of it are in the page's scrolled area."""
    region = widget.virtual_region
    region = Region(region.x, region.y + line, region.width, height)
    node = widget.parent
    while isinstance(node, Widget) and not isinstance(node, VerticalScroll):
        region = region.translate(node.virtual_region.offset).translate(node.styles.border.spacing.top_left)
        node = node.parent
    return (node if isinstance(node, VerticalScroll) else None), region


def window(page: VerticalScroll) -> Region:
    """The part of the page's scrolled area in view."""
    return Region(0, round(page.scroll_y), page.scrollable_content_region.width, page.scrollable_content_region.height)


def reveal(widget: Widget, line: int, height: int) -> None:
    """Scroll the page so these lines are in view; their top, if they are taller than the page
    (unless some of them are in view already: then the reader is reading them)."""
    page, region = in_page(widget, line, height)
    if page is None:
        return
    taller = height > window(page).height
    if not (taller and region.overlaps(window(page))):
        page.scroll_to_region(region, animate=False, top=taller, immediate=True)


def turn_page(widget: Widget, pages: int) -> int | None:
    """Scroll the page by whole pages (down for pages > 0); the line of `widget` then at the
    top of the view (clamped to the widget), or None outside a page."""
    page, region = in_page(widget, 0, 1)
    if page is None:
        return None
    shown = window(page)
    page.scroll_to(y=max(0, shown.y + pages * shown.height), animate=False, immediate=True)
    return round(page.scroll_y) - region.y


def read_on(widget: Widget, line: int, height: int, step: int) -> bool:
    """Scroll the page a line down (step 1) or up (-1) if these lines go on past its edge that
    way; whether it did. Down/up read a tall row to its end before the cursor leaves it."""
    page, region = in_page(widget, line, height)
    if page is None:
        return False
    shown = window(page)
    if (region.bottom > shown.bottom) if step > 0 else (region.y < shown.y):
        page.scroll_to(y=shown.y + step, animate=False, immediate=True)
        return True
    return False
