"""Which POST forms the pages have, and which of them the journeys really submitted.

- `post_forms()` reads every template of the project's own apps and finds each
  `<form method="post">` with the URL name in its `action="{% url 'name' ... %}"`.
  A shared form template (an include such as `provider/_edit_form.html`) may post to
  `action="{{ action }}"`: each template that includes it then names the URL with
  `{% url 'name' ... as action %}`, and every such name counts as one form there.
  A POST form without either is reported too: it must get one, so that the check can
  tell which view it posts to.
- `PostLog` listens to every browser context of the journeys and records each POST
  the browser sent to the live server, by URL name, with the answer's status.
  A form counts as covered when a journey's POST to its URL was accepted (status
  below 400): a form that answers 403 (say, a broken CSRF check) is not covered.

`tests/journeys/test_post_forms.py` compares the two at the end of the journeys.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.urls import Resolver404, resolve
from playwright.sync_api import BrowserContext, Response

FORM_TAG = re.compile(r"<form\b[^>]*>", re.IGNORECASE | re.DOTALL)
POST_METHOD = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
# action="{% url 'name' … %}", with either kind of quotes inside or outside.
ACTION_URL = re.compile(r"""\baction\s*=\s*["']?\s*\{%\s*url\s+["']([^"']+)["']""", re.IGNORECASE)
# action="{{ name }}": the including templates set `name` (see the module docstring).
ACTION_VARIABLE = re.compile(r"""\baction\s*=\s*["']?\s*\{\{\s*(\w+)\s*\}\}""", re.IGNORECASE)
INCLUDE = re.compile(r"""\{%\s*include\s+["']([^"']+)["']""")
URL_AS = r"""\{%\s*url\s+["']([^"']+)["'][^%]*?\bas\s+VARIABLE\s*%\}"""


@dataclass(frozen=True)
class PostForm:
    """A POST form in a template: the URL name it posts to (None: not a `{% url %}`)."""

    url_name: str | None
    template: str
    line: int

    def where(self) -> str:
        return f"{self.template}:{self.line}"


def project_template_dirs() -> list[Path]:
    """The template folders of our own apps (not Django's admin or other installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    installed = Path(sys.prefix).resolve()  # the virtualenv may live inside the project

    def ours(folder: Path) -> bool:
        return folder.is_relative_to(base) and not folder.is_relative_to(installed)

    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    return sorted({d.resolve() for d in dirs if d.is_dir() and ours(d.resolve())})


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def forms_in(text: str, template: str) -> list[PostForm]:
    found = []
    for tag in FORM_TAG.finditer(text):
        if not POST_METHOD.search(tag.group()):
            continue
        name = ACTION_URL.search(tag.group())
        found.append(PostForm(name.group(1) if name else None, template, _line(text, tag.start())))
    return found


def shared_form_variables(text: str) -> list[str]:
    """The variables a shared form template posts to (`action="{{ action }}"`)."""
    return [
        variable.group(1)
        for tag in FORM_TAG.finditer(text)
        if POST_METHOD.search(tag.group()) and (variable := ACTION_VARIABLE.search(tag.group()))
    ]


def forms_through_includes(
    text: str, template: str, shared: dict[str, list[str]]
) -> list[PostForm]:
    """The forms a template gets from the shared form templates it includes."""
    found = []
    for include in INCLUDE.finditer(text):
        for variable in shared.get(include.group(1), []):
            pattern = re.compile(URL_AS.replace("VARIABLE", re.escape(variable)))
            found += [
                PostForm(url.group(1), template, _line(text, url.start()))
                for url in pattern.finditer(text)
            ]
    return found


def post_forms(dirs: list[Path] | None = None) -> list[PostForm]:
    """Every POST form in the given (by default: the project's) template folders."""
    base = Path(settings.BASE_DIR).resolve()
    texts: dict[str, tuple[str, str]] = {}  # template name → (shown path, text)
    for folder in dirs if dirs is not None else project_template_dirs():
        for path in sorted(folder.rglob("*.html")):
            shown = path.relative_to(base) if path.is_relative_to(base) else path
            texts[path.relative_to(folder).as_posix()] = (str(shown), path.read_text("utf-8"))
    included = {m.group(1) for _s, text in texts.values() for m in INCLUDE.finditer(text)}
    shared = {
        name: shared_form_variables(text) for name, (_s, text) in texts.items() if name in included
    }
    found = []
    for name, (shown, text) in texts.items():
        direct = forms_in(text, shown)
        if shared.get(name):  # a shared form template: its forms count where it is included
            direct = [form for form in direct if form.url_name is not None]
        found += direct + forms_through_includes(text, shown, shared)
    return found


def url_name(path: str) -> str:
    """`planning-run-publish` for /planung/laeufe/3/veroeffentlichen/; '?' + path if unknown."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return f"?{path}"


@dataclass(frozen=True)
class Post:
    url_name: str
    path: str
    status: int
    test: str


@dataclass
class PostLog:
    """Every POST the journeys' browsers sent to the live server, for the whole run."""

    posts: list[Post] = field(default_factory=list)

    def watch(self, context: BrowserContext, base_url: str, test: str) -> None:
        def on_response(response: Response) -> None:
            if response.request.method != "POST" or not response.url.startswith(base_url):
                return
            path = urlsplit(response.url).path
            self.posts.append(Post(url_name(path), path, response.status, test))

        context.on("response", on_response)

    def accepted(self) -> set[str]:
        return {post.url_name for post in self.posts if post.status < 400}

    def refused(self, name: str) -> list[Post]:
        return [post for post in self.posts if post.url_name == name and post.status >= 400]
