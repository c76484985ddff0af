"""The one PDF pipeline: a template rendered to HTML, then to PDF by WeasyPrint.

WeasyPrint is imported lazily (it is heavy and only a few requests need it). The HTML is
returned beside the bytes so tests can assert on what was rendered. Only the project's own
static files can be fetched: no URL outside the project, no network.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STATIC_PREFIX = "static:"


@dataclass(frozen=True)
class RenderedPdf:
    html: str
    content: bytes


class ForbiddenFetch(ValueError):
    pass


def _static_fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """Serve `static:<path>` from the project's static files; refuse everything else."""
    if not url.startswith(STATIC_PREFIX):
        raise ForbiddenFetch(f"PDF mag geen externe bron ophalen: {url[:80]}")
    relative = url[len(STATIC_PREFIX) :].lstrip("/")
    found = finders.find(relative)
    if not found:
        raise ForbiddenFetch(f"Onbekend statisch bestand: {relative[:80]}")
    path = Path(found)
    mime = "text/css" if path.suffix == ".css" else None
    return {"string": path.read_bytes(), "mime_type": mime, "filename": path.name}


def _url_fetcher():
    """_static_fetcher in the form the pinned WeasyPrint (70) calls: a URLFetcher whose fetch
    returns a URLFetcherResponse. A refused URL becomes a warning, never a request."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            found = _static_fetcher(url)
            mime = {"Content-Type": found["mime_type"]} if found["mime_type"] else {}
            return URLFetcherResponse(url, found["string"], mime)

    return StaticOnlyFetcher()


def render_pdf(template: str, context: dict) -> RenderedPdf:
    from weasyprint import HTML  # lazy: heavy, and only PDFs need it

    html = render_to_string(template, {"static_prefix": STATIC_PREFIX, **context})
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=_url_fetcher())
    return RenderedPdf(html=html, content=document.write_pdf(pdf_variant="pdf/a-3b"))


def pdf_response(rendered: RenderedPdf, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
