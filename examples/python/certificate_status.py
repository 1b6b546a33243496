"""Report where doctors' ZUS certificates stand: valid, renewal window, expiring, expired.

    EZLA_PFX_PASSWORD=... python certificate_status.py DOCTOR.pfx [MORE.pfx ...]

Exit status 1 if any certificate is unusable or cannot be opened — handy in a cron job that
reminds the clinic to renew certificates before ZUS rejects e-ZLA documents.
"""

from __future__ import annotations

import os
import sys
from typing import List

import ezla


def main(paths: List[str]) -> int:
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    password = os.environ.get("EZLA_PFX_PASSWORD")
    failed = 0
    for path in paths:
        try:
            cert = ezla.Identity.from_file(path, password).certificate
        except ezla.BadPassword:
            print(f"{path}: wrong password")
            failed += 1
            continue
        except ezla.EzlaError as e:
            print(f"{path}: cannot open ({e.name}, code {e.code}): {e}")
            failed += 1
            continue
        status = cert.status()
        print(f"{path}: {cert.common_name} PESEL {cert.pesel}: {status.name}, "
              f"{status.days_left} days left, renew from {status.renewal_opens:%Y-%m-%d}")
        failed += not status.is_usable
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
