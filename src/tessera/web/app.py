"""The analyst's workbench: a Starlette app over one knowledge base, opened read-only.

Every page has a JSON twin (``/entity/<id>`` and ``/entity/<id>.json``) rendered from the same
dict (``views.py``). The knowledge base is opened read-only for each request, on the thread that
serves it (sqlite connections stay on their thread), so the app can never write it.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import NotFoundError, TesseraError
from ..kb import KnowledgeBase
from . import views

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


MAX_PAGE = 1_000_000  # a page number past this one is read as this one (an offset SQLite can hold)


def _page_number(request: Request) -> int:
    """``?page=N`` (1 to ``MAX_PAGE``), else 1."""
    try:
        return min(MAX_PAGE, max(1, int(request.query_params.get("page", "1"))))
    except ValueError:
        return 1


def _per_page(request: Request, default: int) -> int:
    """``?per_page=N`` (1 to 500), else the page's default."""
    try:
        return min(500, max(1, int(request.query_params.get("per_page", default))))
    except ValueError:
        return default


def _number(request: Request, name: str, default: int) -> int:
    """``?name=N`` as a whole number, else ``default`` (the view keeps it in range)."""
    try:
        return int(request.query_params.get(name, default))
    except ValueError:
        return default


def _span(value: str | None) -> tuple[int, int] | None:
    """``?hl=120-190``: the characters to highlight in a document."""
    try:
        start, end = (int(x) for x in (value or "").split("-", 1))
    except ValueError:
        return None
    return (start, end) if 0 <= start < end else None


# Each page: (path, template, build(kb, request) -> dict). The path gets an HTML and a .json route.
def _pages() -> list[tuple[str, str, Callable[[KnowledgeBase, Request], dict]]]:
    q = lambda request, name: request.query_params.get(name) or None  # noqa: E731
    return [
        ("/", "home.html", lambda kb, r: views.home(kb)),
        ("/entities", "entities.html", lambda kb, r: views.entities(kb, q(r, "type"), _page_number(r),
                                                                        _per_page(r, views.ENTITIES_PER_PAGE))),
        ("/entity/{id}", "entity.html", lambda kb, r: views.entity(kb, r.path_params["id"], _page_number(r),
                                                                    _per_page(r, views.PROFILE_FACTS))),
        ("/relation/{id}", "relation.html", lambda kb, r: views.relation(kb, r.path_params["id"])),
        ("/document/{id}", "document.html", lambda kb, r: views.document(kb, r.path_params["id"], _span(q(r, "hl")))),
        ("/conflicts", "conflicts.html", lambda kb, r: views.conflicts(kb, _page_number(r), _per_page(r, views.CONFLICTS_PER_PAGE))),
        ("/search", "search.html", lambda kb, r: views.search(kb, r.query_params.get("q", ""), _page_number(r),
                                                                  _per_page(r, views.HITS_PER_PAGE))),
        ("/network", "network.html", lambda kb, r: views.network(
            kb, r.query_params.getlist("type") or None, r.query_params.getlist("predicate") or None,
            q(r, "since"), q(r, "until"), r.query_params.get("undated", "1") != "0",
            _number(r, "top", views.NETWORK_NODES))),
        ("/timeline", "timeline.html", lambda kb, r: views.timeline(kb, q(r, "entity"), _page_number(r),
                                                                    _per_page(r, views.TIMELINE_ITEMS))),
    ]


def create_app(kb_path: str | Path) -> Starlette:
    """The web app over the knowledge base at ``kb_path`` (checked now: a missing or foreign file fails here)."""
    path = str(kb_path)
    KnowledgeBase.open(path, readonly=True).close()

    def endpoint(template: str, build, as_json: bool):
        def handle(request: Request) -> Response:
            with KnowledgeBase.open(path, readonly=True) as kb:
                data = build(kb, request)
            if as_json:
                return JSONResponse(data)
            return templates.TemplateResponse(request, template, {"data": data, "kb_name": Path(path).name})
        return handle

    routes = []
    for route_path, template, build in _pages():
        json_path = "/index.json" if route_path == "/" else route_path + ".json"
        # the .json twin first: "/entity/{id}" would also match "ent-1.json"
        routes.append(Route(json_path, endpoint(template, build, True)))
        routes.append(Route(route_path, endpoint(template, build, False)))
    routes.append(Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"))

    def error(request: Request, status: int, message: str) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                                  "kb_name": Path(path).name}, status_code=status)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(request, 404, " ".join(str(exc).split()) if isinstance(exc, NotFoundError)
                     else f"no page at {request.url.path}")

    async def bad_request(request: Request, exc: Exception) -> Response:
        return error(request, 400, " ".join(str(exc).split()))

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error(request, exc.status_code, exc.detail if exc.status_code != 404 else f"no page at {request.url.path}")

    return Starlette(routes=routes, exception_handlers={
        NotFoundError: not_found, TesseraError: bad_request, HTTPException: http_error,
    })


def serve(kb_path: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the workbench with uvicorn until interrupted."""
    import uvicorn

    app = create_app(kb_path)
    print(f"tessera: serving {kb_path} (read-only) on http://{host}:{port}/ ; Ctrl-C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning")
