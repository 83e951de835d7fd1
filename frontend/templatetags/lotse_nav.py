"""The provider menu's helpers: a menu entry shows only when its page exists."""

from django import template
from django.urls import Resolver404, resolve

register = template.Library()


@register.filter
def is_page(path: str) -> bool:
    """True when `path` is served by one of the project's URL patterns.

    Pages built in parallel (families, attendance) join the menu once their URLs exist,
    without the menu naming URL names that may not be there yet.
    """
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
