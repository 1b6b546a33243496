"""Sign an e-ZLA document with a doctor's .pfx and verify the signature.

    python sign_and_verify.py DOCUMENT.xml [DOCTOR.pfx CA.pem]

The .pfx password is read from the EZLA_PFX_PASSWORD environment variable. Without a .pfx
the example makes a throw-away test CA and doctor (ezla.testing: never for real documents).
Writes DOCUMENT.signed.xml next to the input.
"""

from __future__ import annotations

import os
import pathlib
import sys
from typing import List

import ezla


def main(argv: List[str]) -> int:
    if len(argv) not in (2, 4):
        print(__doc__, file=sys.stderr)
        return 2
    document = pathlib.Path(argv[1])
    if len(argv) == 4:
        doctor = ezla.Identity.from_file(argv[2], os.environ.get("EZLA_PFX_PASSWORD"))
        trust = [pathlib.Path(argv[3]).read_bytes()]
    else:
        from ezla.testing import make_test_ca, make_test_doctor

        ca = make_test_ca()
        doctor = make_test_doctor(ca)
        trust = [ca.certificate.to_pem()]

    status = doctor.certificate.status()
    print(f"certificate: {doctor.certificate.subject} ({status})")
    if not status.is_usable:
        print("the certificate cannot sign", file=sys.stderr)
        return 1

    signed = ezla.sign_xades(document.read_bytes(), doctor)  # profile="zus"
    out = document.with_suffix(".signed.xml")
    out.write_bytes(signed)

    try:
        report = ezla.verify_xades(signed, trust=trust)
    except ezla.InvalidSignature as e:
        print(f"signature does not verify: {e} (code {e.code})", file=sys.stderr)
        return 1
    print(f"signed by {report.signer.subject} (PESEL {report.signer.pesel})")
    print(f"at {report.signing_time:%Y-%m-%d %H:%M:%S %Z}, profile {report.profile}, trust {report.trust}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
