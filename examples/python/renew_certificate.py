"""Make a key and a certificate request (CSR) for a new ZUS certificate, then bundle the
issued certificate into a .pfx.

    python renew_certificate.py OUT_DIR

Writes OUT_DIR/doctor.key (encrypted PKCS#8) and OUT_DIR/doctor.csr. In real life you send
the CSR to ZUS (PUE) and receive the certificate; here a throw-away test CA issues it so the
example runs end to end, and the result is written as OUT_DIR/doctor.pfx. Passwords come
from EZLA_KEY_PASSWORD (default "change-me").
"""

from __future__ import annotations

import os
import pathlib
import sys
from typing import List

import ezla
from ezla.testing import make_test_ca


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    password = os.environ.get("EZLA_KEY_PASSWORD", "change-me")

    key = ezla.PrivateKey.generate("rsa2048")
    csr = ezla.CertificateRequest.create(
        key, given_name="Jan", surname="Kowalski", pesel="44051401359"
    )
    (out / "doctor.key").write_bytes(key.to_encrypted_pem(password))
    (out / "doctor.csr").write_bytes(csr.to_pem())
    print(f"request for {csr.subject}")

    # --- stand-in for ZUS: a test CA issues the certificate ---
    ca = make_test_ca()
    cert = ca.issue_for_request(csr)

    # Later: read the key back and bundle it with the issued certificate.
    key = ezla.PrivateKey.load((out / "doctor.key").read_bytes(), password)
    identity = ezla.Identity.from_key(key, cert, [ca.certificate])
    (out / "doctor.pfx").write_bytes(identity.to_pfx(password))
    print(f"wrote {out / 'doctor.pfx'}: {cert.subject}, valid until {cert.not_after:%Y-%m-%d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
