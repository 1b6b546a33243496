"""Issue an e-ZLA to ZUS (or to the simulator) and keep ZUS's receipts.

    EZLA_ZUS_ENDPOINT=https://... EZLA_PFX_PASSWORD=... \\
        python zus_issue.py ZLA.json DOCTOR.pfx [--ca CA.pem] [--journal journal.sqlite] \\
        [--today YYYY-MM-DD] [--out DIR]

Against the simulator (``ezla-sim serve --state DIR --tls`` prints its URL): pass
``--ca DIR/tls-ca.pem`` and a doctor from ``ezla-sim doctor add``. Prints one line per
document sent (kind, series/number, receipt size) and writes each receipt to
``DIR/<SERIA-NUMER>-<KIND>.upp.xml``.

The view function ``issue_view`` is what a Django or FastAPI handler does: one client per
process (it is thread-safe; the GIL is released while it talks to ZUS and signs), the
template from the request, and a JSON-able answer; ZUS's refusals become 422 with ZUS's
own words, an unreachable ZUS 502.
"""

from __future__ import annotations

import argparse
import datetime
import os
import pathlib
import sys
from typing import Any, Dict, Optional, Tuple

import ezla
import ezla.zus


def issue_view(zus: ezla.zus.Client, doctor: ezla.Identity, zla_json: str,
               today: Optional[datetime.date] = None) -> Tuple[int, Dict[str, Any]]:
    """(HTTP status, JSON body) for one issue request."""
    try:
        report = zus.issue(ezla.Zla.from_json(zla_json), doctor, today=today)
    except ezla.ZusError as e:
        return 422, {"code": e.code, "name": e.name, "zus_code": e.zus_code,
                     "zus_text": e.zus_text, "problems": [p.to_dict() for p in e.problems]}
    except ezla.TransportError as e:
        return 502, {"code": e.code, "name": e.name, "message": e.message}
    except (ezla.ParseError, ezla.ValidationError) as e:
        return 400, {"code": e.code, "name": e.name, "message": e.message}
    return 200, {
        "certificates": [c.seria_numer for c in report.certificates],
        "documents": [{"kind": d.kind, "seria_numer": d.seria_numer, "upp_bytes": len(d.upp)}
                      for d in report.documents],
        "warnings": [w.to_dict() for w in report.warnings],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("zla", type=pathlib.Path)
    parser.add_argument("pfx", type=pathlib.Path)
    parser.add_argument("--endpoint", default=os.environ.get("EZLA_ZUS_ENDPOINT"))
    parser.add_argument("--ca", type=pathlib.Path)
    parser.add_argument("--journal", type=pathlib.Path)
    parser.add_argument("--today", type=datetime.date.fromisoformat)
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("."))
    args = parser.parse_args()
    if not args.endpoint:
        parser.error("give --endpoint URL or set EZLA_ZUS_ENDPOINT")
    doctor = ezla.Identity.from_file(args.pfx, os.environ.get("EZLA_PFX_PASSWORD"))
    ca = args.ca.read_bytes() if args.ca else None
    with ezla.zus.Client(args.endpoint, ca_pem=ca, journal=args.journal) as zus:
        status, body = issue_view(zus, doctor, args.zla.read_text(encoding="utf-8"),
                                  today=args.today)
        if status != 200:
            print(f"refused ({status}): {body}", file=sys.stderr)
            return 1
        args.out.mkdir(parents=True, exist_ok=True)
        for d in body["documents"]:
            upp = zus.receipt(d["kind"], d["seria_numer"])
            if upp is None:
                print(f"no receipt for {d['kind']} {d['seria_numer']}", file=sys.stderr)
                return 1
            (args.out / f"{d['seria_numer']}-{d['kind']}.upp.xml").write_bytes(upp)
            print(f"{d['kind']} {d['seria_numer']}: UPP {len(upp)} bytes")
    print(f"zus_issue: {len(body['certificates'])} certificate(s) issued, "
          f"{len(body['warnings'])} warning(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
