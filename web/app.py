"""`ggzy serve`: a read-only web view of the ledger for auditors (Starlette + Jinja2, server-rendered, no
scripts, everything served from the package).

Read-only twice: the application answers GET only (anything else is 405 before any handler runs), and the
ledger engine it is given cannot write (ledger/store.py make_readonly_engine). Pages call the same library
functions as the CLI (rules/, reports/); every list has stable links, filters in the query string and
CSV/xlsx downloads of what it shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ggzy.errors import GgzyError
from ggzy.reports.labels import LABELS
from ggzy.web import views
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

HERE = Path(__file__).resolve().parent


class GetOnly:
    """Refuse every method but GET (and HEAD, which is GET without the body: `curl -I`, link checkers) with 405,
    before routing: nothing can reach a handler that might write."""

    def __init__(self, app: ASGIApp, lang: str) -> None:
        self.app, self.lang = app, lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            response = PlainTextResponse(LABELS[self.lang]["method_not_allowed"], status_code=405,
                                         headers={"Allow": "GET, HEAD"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(engine: Engine, lang: str = "zh") -> Starlette:
    """The web application over ``engine`` (give it a read-only one)."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    site = views.Site(engine, lang)

    def page(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                result = await _run(handler, site, request)
            except views.NotFound as missing:
                return templates.TemplateResponse(request, "page.html", site.context(
                    LABELS[lang]["not_found"], [views.Section(text=str(missing))]), status_code=404)
            except GgzyError as exc:  # a bad filter in the query string: one sentence, 400
                return templates.TemplateResponse(request, "page.html", site.context(
                    LABELS[lang]["not_found"], [views.Section(text=str(exc))]), status_code=400)
            if isinstance(result, Response):
                return result
            return templates.TemplateResponse(request, "page.html", result)
        return endpoint

    routes = [
        Route("/", page(views.home)),
        Route("/rates", page(views.rates)),
        Route("/runs", page(views.runs)),
        Route("/runs/{run_id:int}", page(views.run)),
        Route("/runs/{run_id:int}/figures/{figure:int}/{measure}", page(views.figure)),
        Route("/records", page(views.records)),
        Route("/records/{record_id:int}", page(views.record)),
        Route("/batches/{batch_id:int}", page(views.batch)),
        Route("/batches/{batch_id:int}/source", page(views.batch_source)),
        Route("/quarantine", page(views.quarantine)),
        Route("/conflicts", page(views.conflicts)),
        Route("/checks", page(views.checks)),
        Route("/checks/{expectation}", page(views.check)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(GetOnly, lang=lang)])


async def _run(handler: Any, site: views.Site, request: Request) -> Any:
    """Handlers are plain functions (database calls block): run them in Starlette's thread pool."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(handler, site, request)
