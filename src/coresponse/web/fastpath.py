"""The lean path for ``POST /api/triage``: a WSGI dispatcher in front of Django.

A triage call through Django costs its middleware stack and django-ninja's per-request
machinery, more CPU than the decision itself; under load that is what sets the latency
(docs/benchmarks.md). This dispatcher sends ``POST /api/triage`` straight to
``api_triage.answer_triage``, the function the documented ninja route calls too, and
everything else (pages, static files, login, the rest of the API) to Django unchanged.

What Django would do to such a request is done here as well: the ``Host`` is checked
against ``ALLOWED_HOSTS`` and the body against ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (anything
doubtful goes to Django, which answers it as it always did), and the answer carries the
headers the security and clickjacking middleware add (``X-Content-Type-Options``,
``Referrer-Policy``, ``Cross-Origin-Opener-Policy``, ``X-Frame-Options``). A deployment
that needs more of the middleware for this request (HTTPS redirect, HSTS, a proxy's
forwarded host or scheme, refused user agents, ``PREPEND_WWW``) gets no lean path at all:
every request goes to Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from coresponse.web.api_triage import JSON_CONTENT_TYPE, ProtocolChoice, answer_triage

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

TRIAGE_PATH = "/api/triage"
DEFAULT_PROTOCOL: str = ProtocolChoice.model_fields["protocol"].default

# Settings under which Django's middleware does more to this request than the lean path does.
SETTINGS_THAT_NEED_DJANGO = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "USE_X_FORWARDED_HOST",
    "USE_X_FORWARDED_PORT",
    "DISALLOWED_USER_AGENTS",
    "PREPEND_WWW",
)


class TriageFastPath:
    """A WSGI application: ``POST /api/triage`` answered by ``answer_triage`` directly,
    every other request passed to ``django_application``."""

    def __init__(self, django_application: WSGIApplication) -> None:
        self.django_application = django_application
        self.enabled = not any(getattr(settings, name, None) for name in SETTINGS_THAT_NEED_DJANGO)
        self.allowed_hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not self.allowed_hosts:  # as django.http.HttpRequest.get_host
            self.allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
        self.max_body_bytes: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        self.security_headers = _security_headers()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not (
            self.enabled
            and environ.get("PATH_INFO") == TRIAGE_PATH
            and environ.get("REQUEST_METHOD") == "POST"
            and self._host_allowed(environ)
        ):
            return self.django_application(environ, start_response)
        length = _content_length(environ)
        if length is None or (self.max_body_bytes is not None and length > self.max_body_bytes):
            return self.django_application(environ, start_response)
        body = environ["wsgi.input"].read(length) if length else b""
        answer = answer_triage(body, _protocol_name(environ.get("QUERY_STRING", "")))
        status = HTTPStatus(answer.status)
        start_response(
            f"{status.value} {status.phrase}",
            [
                ("Content-Type", JSON_CONTENT_TYPE),
                ("Content-Length", str(len(answer.body))),
                *self.security_headers,
            ],
        )
        return [answer.body]

    def _host_allowed(self, environ: WSGIEnvironment) -> bool:
        host = environ.get("HTTP_HOST")
        if not host:
            return False
        domain, _port = split_domain_port(host)
        return bool(domain) and validate_host(domain, self.allowed_hosts)


def _content_length(environ: WSGIEnvironment) -> int | None:
    """The body's length in bytes, 0 when not given (as Django reads it); None when it is
    not a number, for Django to deal with."""
    text = environ.get("CONTENT_LENGTH") or "0"
    try:
        length = int(text)
    except ValueError:
        return None
    return length if length >= 0 else None


def _protocol_name(query: str) -> str:
    """``?protocol=``, the last one if given more than once (as Django's ``QueryDict``)."""
    name = DEFAULT_PROTOCOL
    for key, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace"):
        if key == "protocol":
            name = value
    return name


def _security_headers() -> list[tuple[str, str]]:
    """The headers Django's SecurityMiddleware and XFrameOptionsMiddleware add to a JSON
    answer, from the same settings."""
    headers = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    referrer_policy = settings.SECURE_REFERRER_POLICY
    if referrer_policy:
        if not isinstance(referrer_policy, str):
            referrer_policy = ",".join(referrer_policy)
        headers.append(("Referrer-Policy", referrer_policy))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    return headers


def application_with_fast_path() -> TriageFastPath:
    """Django's WSGI application behind the lean triage path (Django must be set up)."""
    from django.core.wsgi import get_wsgi_application

    return TriageFastPath(get_wsgi_application())
