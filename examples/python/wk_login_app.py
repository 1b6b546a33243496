"""A web application with a "Zaloguj przez login.gov.pl" button (Flask): log a person in
through login.gov.pl (Profil Zaufany, e-dowód, bank) and show their name, PESEL and level of
assurance.

Against the simulator (``ezla-sim serve --state sim``, register the keys first)::

    ezla wk keygen --out keys --entity-id http://sp.localhost:5000/wk --password-env WK_KEY_PASSWORD
    ezla-sim sp add --state sim --entity-id http://sp.localhost:5000/wk \\
        --cert keys/sig.crt.pem --enc-cert keys/enc.crt.pem --acs http://sp.localhost:5000/acs
    WK_KEY_PASSWORD=... python wk_login_app.py --keys keys --environment simulator \\
        --wk-url "$(cat sim/url)" --wk-cert sim/wk/idp.crt --browser-wk-url http://wk.localhost:8080

and open http://sp.localhost:5000/ (a browser maps every ``*.localhost`` name to this
machine). Against login.gov.pl: ``--environment integration`` (or ``production``), the
certificate login.gov.pl signs with as ``--wk-cert``, the ProviderName you were given as
``--provider-name``, and ``--public-url`` the address the browser reaches this application
at (HTTPS).

How the state survives login.gov.pl's cross-site POST to the ACS: that POST comes from
another site, so the browser does not send cookies marked ``SameSite=Lax`` (the default of
modern browsers) with it. Nothing the ACS needs is in a cookie: the pending request is found
through ``RelayState`` in the service provider's store (``--store``, a SQLite file shared by
every worker process), and the session cookie is set only in the ACS's answer. Each ACS
request is logged with its ``Sec-Fetch-Site`` header and whether the login page's cookie
came, so the cross-site behaviour can be seen (and is checked by the browser test).
"""

from __future__ import annotations

import argparse
import datetime
import html
import logging
import os
import secrets
import sys
import threading
from typing import Dict, Optional

from flask import Flask, Response, make_response, redirect, request
from werkzeug.wrappers import Response as HttpResponse

import ezla
import ezla.wk

log = logging.getLogger("wk_login_app")

SESSION_COOKIE = "sid"
#: Set on the page that starts a login; it is *not* needed at the ACS (see the module text).
PROBE_COOKIE = "login_started"
SESSION_LIFETIME = datetime.timedelta(hours=1)


class Sessions:
    """Logged-in people by session ID, in memory (one process; a real application keeps
    them in its own session store). The ID is random; the PESEL never goes into a cookie."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: Dict[str, tuple[ezla.wk.Identity, datetime.datetime]] = {}

    def open(self, person: ezla.wk.Identity) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._by_id[sid] = (person, datetime.datetime.now(datetime.timezone.utc))
        return sid

    def get(self, sid: Optional[str]) -> Optional[ezla.wk.Identity]:
        if not sid:
            return None
        with self._lock:
            entry = self._by_id.get(sid)
            if entry is None:
                return None
            person, opened = entry
            if datetime.datetime.now(datetime.timezone.utc) - opened > SESSION_LIFETIME:
                del self._by_id[sid]
                return None
            return person

    def close(self, sid: Optional[str]) -> Optional[ezla.wk.Identity]:
        with self._lock:
            entry = self._by_id.pop(sid or "", None)
        return entry[0] if entry else None


def page(title: str, body: str, status: int = 200) -> Response:
    text = (
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return Response(text, status=status, mimetype="text/html")


def make_app(sp: ezla.wk.ServiceProvider, *, secure_cookies: bool) -> Flask:
    app = Flask(__name__)
    sessions = Sessions()

    def set_cookie(response: HttpResponse, name: str, value: str, max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax",
                            secure=secure_cookies)

    @app.get("/")
    def index() -> HttpResponse:
        person = sessions.get(request.cookies.get(SESSION_COOKIE))
        if person is None:
            return page("Przychodnia — logowanie", (
                "<form method=\"post\" action=\"/login\">"
                "<button id=\"login\" type=\"submit\">Zaloguj przez login.gov.pl</button>"
                "</form>"
            ))
        rows = [
            ("name", "Imię i nazwisko", f"{person.given_name} {person.family_name}"),
            ("pesel", "PESEL", person.pesel),
            ("birth-date", "Data urodzenia", person.birth_date.isoformat()),
            ("loa", "Poziom bezpieczeństwa (LoA)", person.loa),
            ("means", "Środek identyfikacji", person.means or "—"),
        ]
        table = "".join(
            f"<tr><th>{html.escape(label)}</th><td id=\"{key}\">{html.escape(value)}</td></tr>"
            for key, label, value in rows
        )
        return page("Zalogowano", (
            f"<table id=\"identity\">{table}</table>"
            "<form method=\"post\" action=\"/logout\">"
            "<button id=\"logout\" type=\"submit\">Wyloguj</button></form>"
        ))

    @app.post("/login")
    def login() -> HttpResponse:
        started = sp.login()
        # The auto-submitting form POSTs the signed AuthnRequest to login.gov.pl.
        response = make_response(started.html_form)
        response.headers["Content-Type"] = "text/html; charset=utf-8"
        response.headers["Cache-Control"] = "no-store"
        set_cookie(response, PROBE_COOKIE, "1", max_age=900)
        return response

    @app.post("/acs")
    def acs() -> HttpResponse:
        log.info("acs: Sec-Fetch-Site=%s, login page cookie %s",
                 request.headers.get("Sec-Fetch-Site", "(none)"),
                 "sent" if PROBE_COOKIE in request.cookies else "not sent")
        artifact = request.form.get("SAMLart")
        relay_state = request.form.get("RelayState")
        if not artifact or not relay_state:
            return page("Błąd logowania", "<p id=\"error\">Brak SAMLart lub RelayState.</p>", 400)
        try:
            person = sp.handle_artifact(artifact, relay_state)
        except ezla.SamlError as e:
            # The details go to the log; the person sees what failed, not how.
            log.warning("acs: login refused: %s (%s, check %s)", e, e.name, e.check)
            return page("Błąd logowania", (
                f"<p id=\"error\">Logowanie nie powiodło się ({html.escape(e.name)}).</p>"
                "<p><a href=\"/\">Spróbuj ponownie</a></p>"
            ), 403)
        except ezla.SignatureError as e:
            log.warning("acs: login.gov.pl's answer does not verify: %s", e)
            return page("Błąd logowania",
                        "<p id=\"error\">Odpowiedź login.gov.pl nie jest prawidłowo "
                        "podpisana.</p>", 403)
        except ezla.TransportError as e:
            log.warning("acs: login.gov.pl cannot be reached: %s", e)
            return page("Błąd logowania",
                        "<p id=\"error\">login.gov.pl jest niedostępny.</p>", 502)
        log.info("acs: logged in (LoA %s, %s)", person.loa, person.means)
        response = redirect("/", code=303)
        set_cookie(response, SESSION_COOKIE, sessions.open(person),
                   max_age=int(SESSION_LIFETIME.total_seconds()))
        response.delete_cookie(PROBE_COOKIE)
        return response

    @app.post("/logout")
    def logout() -> HttpResponse:
        person = sessions.close(request.cookies.get(SESSION_COOKIE))
        if person is not None:
            try:
                sp.logout(person)
            except (ezla.EzlaError, OSError) as e:
                # The local session is closed either way; say that login.gov.pl's is not.
                log.warning("logout: login.gov.pl's session was not ended: %s", e)
        response = redirect("/", code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/metadata")
    def metadata() -> HttpResponse:
        return Response(sp.metadata(), mimetype="application/samlmetadata+xml")

    return app


def load_key(path: str, password: Optional[str]) -> ezla.PrivateKey:
    with open(path, "rb") as f:
        return ezla.PrivateKey.load(f.read(), password)


def load_certificate(path: str) -> ezla.Certificate:
    with open(path, "rb") as f:
        return ezla.Certificate.from_pem(f.read())


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", required=True,
                        help="the directory of `ezla wk keygen` (sig/enc .key.pem, .crt.pem)")
    parser.add_argument("--key-password-env", default="WK_KEY_PASSWORD",
                        help="the variable holding the keys' password (default %(default)s)")
    parser.add_argument("--wk-cert", action="append", required=True,
                        help="login.gov.pl's signing certificate (PEM); repeat in a rollover")
    parser.add_argument("--environment", default="simulator",
                        choices=["production", "production-private", "integration",
                                 "integration-private", "simulator"])
    parser.add_argument("--wk-url", help="login.gov.pl's address for this server (the "
                        "SOAP back channel), e.g. the simulator's http://127.0.0.1:8080")
    parser.add_argument("--browser-wk-url", help="login.gov.pl's address for the browser, "
                        "when it differs from --wk-url (e.g. http://wk.localhost:8080)")
    parser.add_argument("--provider-name", help="the ProviderName login.gov.pl gave you")
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default %(default)s)")
    parser.add_argument("--port", type=int, default=5000,
                        help="listen port (default %(default)s; 0: any free port)")
    parser.add_argument("--public-url", help="this application's address in the browser "
                        "(default http://sp.localhost:PORT)")
    parser.add_argument("--store", default="wk.sqlite",
                        help="the SQLite file of pending logins and used artifacts "
                        "(default %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stdout)

    password = os.environ.get(args.key_password_env)
    if password is None:
        parser.error(f"${args.key_password_env} is not set: it holds the keys' password")
    try:
        keys = {
            name: (load_key(os.path.join(args.keys, f"{name}.key.pem"), password),
                   load_certificate(os.path.join(args.keys, f"{name}.crt.pem")))
            for name in ("sig", "enc")
        }
        wk_certificates = [load_certificate(p) for p in args.wk_cert]
    except (OSError, ezla.EzlaError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 3

    from werkzeug.serving import make_server

    # Bind first, so that --port 0 knows its port before the configuration names it.
    holder: Dict[str, Flask] = {}
    server = make_server(args.host, args.port, lambda env, start: holder["app"](env, start),
                         threaded=True)
    public = (args.public_url or f"http://sp.localhost:{server.server_port}").rstrip("/")
    sso_url = None
    if args.browser_wk_url:
        sso_url = args.browser_wk_url.rstrip("/") + "/login/SingleSignOnService"
    try:
        config = ezla.wk.Config(
            args.environment, f"{public}/wk", f"{public}/acs",
            signing_key=keys["sig"][0], signing_certificate=keys["sig"][1],
            encryption_key=keys["enc"][0], encryption_certificate=keys["enc"][1],
            wk_certificates=wk_certificates, provider_name=args.provider_name,
            base_url=args.wk_url, sso_url=sso_url,
        )
        sp = ezla.wk.ServiceProvider(config, store=args.store)
    except ezla.EzlaError as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    holder["app"] = make_app(sp, secure_cookies=public.startswith("https://"))
    print(f"listening on {public}/ (entity ID {config.entity_id}, ACS {config.acs_url}, "
          f"login.gov.pl {config.sso_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
