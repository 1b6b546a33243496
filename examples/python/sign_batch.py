"""Sign a batch of e-ZLA documents on several threads: ezla releases the GIL while it signs,
so a thread pool (as in a Django or FastAPI back-end) uses every core.

    python sign_batch.py [DOCUMENT.xml] [--count N] [--threads T]

Signs N copies of the document (default: a small built-in one) with a throw-away test
doctor (ezla.testing), first on one thread and then on T threads (default: the number of
cores), verifies every result, and prints the throughput of both runs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import pathlib
import sys
import time

import ezla
from ezla.testing import make_test_ca, make_test_doctor

DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1">'
    "<ZUSZLA><II><p2>Jan</p2><p3>Kowalski</p3></II></ZUSZLA></KEDU>\n"
).encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("document", nargs="?", type=pathlib.Path)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    document = args.document.read_bytes() if args.document else DOCUMENT

    ca = make_test_ca()
    doctor = make_test_doctor(ca)
    trust = [ca.certificate]

    def job(_: int) -> str:
        signed = ezla.sign_xades(document, doctor)
        return ezla.verify_xades(signed, trust=trust).signature_id

    for threads in sorted({1, args.threads}):
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
            ids = list(pool.map(job, range(args.count)))
        elapsed = time.perf_counter() - start
        assert len(set(ids)) == args.count  # every signature has its own Id
        print(f"{threads} thread(s): {args.count} documents signed and verified in "
              f"{elapsed:.2f} s ({args.count / elapsed:.0f}/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
