"""Templates (api/page/templates, Jinja2 with autoescaping) and the page's answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.page.catalogue import Words, page_language
from api.page.security import CSRF_FIELD, csrf_token, finish

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def words_for(request: Request) -> Words:
    return Words(page_language(request))


def _shown_path(path: str) -> str:
    """The path the language form returns to: never a private link, whose secret stays out of pages."""
    return "/" if path.startswith("/r/") else path


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """The template in the person's language, with the CSRF token every form carries."""
    words = words_for(request)
    html = _env.get_template(template).render(
        t=words, lang=words.language, csrf_field=CSRF_FIELD, csrf=csrf_token(request),
        path=_shown_path(request.url.path), **context)
    return finish(request, HTMLResponse(html, status_code=status))


def redirect(request: Request, to: str) -> Response:
    """After a form: back to a page with GET (303), so a reload never sends the form again."""
    return finish(request, RedirectResponse(to, status_code=303))


def problem(request: Request, message_key: str, status: int) -> Response:
    """A calm error page in the person's language."""
    return render(request, "error.html", status=status, message=words_for(request)(message_key))
