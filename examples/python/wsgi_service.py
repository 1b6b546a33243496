"""A small e-ZLA signing service as a WSGI application (standard library only; the same
view code fits a Flask or FastAPI handler).

    EZLA_PFX=doctor.pfx EZLA_PFX_PASSWORD=... python wsgi_service.py [--port 8000]

Without EZLA_PFX a throw-away test doctor signs (ezla.testing). Endpoints:

* ``POST /zla`` with the e-ZLA JSON form: 200 and the signed ORYGINAŁ (``?kopia=1``: the
  KOPIA) as ``application/xml``; 422 and every problem as JSON when the data is invalid;
* ``POST /verify`` with a signed document: 200 and the verification report as JSON; 422 and
  ``{code, name, message}`` when it does not verify.

ezla releases the GIL while it signs and verifies, so a threaded server (``wsgiref`` here,
gunicorn with threads, uvicorn's thread pool) serves requests in parallel.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable, Dict, Iterable, List, Tuple
from urllib.parse import parse_qs

import ezla

StartResponse = Callable[[str, List[Tuple[str, str]]], Any]
MAX_BODY = 1 << 20


def load_doctor() -> ezla.Identity:
    path = os.environ.get("EZLA_PFX")
    if path:
        return ezla.Identity.from_file(path, os.environ.get("EZLA_PFX_PASSWORD"))
    from ezla.testing import make_test_doctor

    return make_test_doctor()


def make_app(doctor: ezla.Identity, trust: List[bytes]) -> Callable[[Dict[str, Any], StartResponse], Iterable[bytes]]:
    def respond(start: StartResponse, status: str, body: bytes, kind: str) -> List[bytes]:
        start(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    def as_json(start: StartResponse, status: str, data: Any) -> List[bytes]:
        return respond(start, status, json.dumps(data, ensure_ascii=False).encode(),
                       "application/json; charset=utf-8")

    def app(environ: Dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return as_json(start, "405 Method Not Allowed", {"error": "POST only"})
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return as_json(start, "413 Payload Too Large", {"error": "body too large"})
        body = environ["wsgi.input"].read(length)
        path = environ.get("PATH_INFO", "")
        try:
            if path == "/zla":
                kopia = parse_qs(environ.get("QUERY_STRING", "")).get("kopia") == ["1"]
                zla = ezla.Zla.from_json(body.decode("utf-8"))
                signed = ezla.sign_xades(zla.to_xml(kopia=kopia), doctor)
                return respond(start, "200 OK", signed, "application/xml")
            if path == "/verify":
                report = ezla.verify_xades(body, trust=trust or None)
                return as_json(start, "200 OK", report.to_dict())
        except ezla.ValidationError as e:
            return as_json(start, "422 Unprocessable Entity",
                           {"code": e.code, "problems": [p.to_dict() for p in e.problems]})
        except (ezla.ParseError, ezla.SignatureError, ezla.CertificateError) as e:
            return as_json(start, "422 Unprocessable Entity",
                           {"code": e.code, "name": e.name, "message": e.message})
        except UnicodeDecodeError:
            return as_json(start, "400 Bad Request", {"error": "the body is not UTF-8"})
        return as_json(start, "404 Not Found", {"error": f"no endpoint {path}"})

    return app


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args()
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIServer, make_server

    class ThreadingServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    doctor = load_doctor()
    trust = [c.to_pem() for c in doctor.chain]
    with make_server("127.0.0.1", args.port, make_app(doctor, trust),
                     server_class=ThreadingServer) as server:
        print(f"serving on http://127.0.0.1:{args.port} as {doctor.certificate.subject}")
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
