"""Sign any file (the PDF printout of an e-ZLA, an attachment) as a detached CAdES signature,
optionally time-stamped by an RFC 3161 TSA (CAdES-T), and verify it.

    python cms_sign.py FILE [--pfx DOCTOR.pfx --ca CA.pem] [--tsa URL --tsa-ca TSA_CA.pem [--tls-ca TLS_CA.pem]]

Writes FILE.p7s next to the input; ``openssl cms -verify -binary -inform DER -in FILE.p7s
-content FILE -CAfile CA.pem`` accepts it. The .pfx password is read from the
EZLA_PFX_PASSWORD environment variable. Without a .pfx the example makes a throw-away test CA
and doctor (ezla.testing: never for real documents). With ``--tsa``, the TSA's certificate
must chain to ``--tsa-ca``; its time then is the instant the doctor's certificate is judged
at, so the signature still verifies after the certificate has expired. ``--tls-ca`` is for
an https TSA whose server certificate is not from the web PKI (the simulator's).

Exit status: 0 signed and verified, 1 a signature or a time-stamp refused, 2 otherwise.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
from typing import List, Optional

import ezla


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=pathlib.Path)
    parser.add_argument("--pfx", type=pathlib.Path, help="the doctor's .pfx")
    parser.add_argument("--ca", type=pathlib.Path, help="the CA the doctor's certificate chains to")
    parser.add_argument("--tsa", help="the URL of an RFC 3161 time-stamping authority")
    parser.add_argument("--tsa-ca", type=pathlib.Path, help="the TSA's trust anchors (PEM)")
    parser.add_argument("--tls-ca", type=pathlib.Path, help="the CA of an https TSA's server")
    args = parser.parse_args(argv)
    if (args.pfx is None) != (args.ca is None):
        parser.error("--pfx and --ca go together")
    if args.tsa and args.tsa_ca is None:
        parser.error("--tsa needs --tsa-ca: a time-stamp is worth only what its TSA is trusted for")

    try:
        if args.pfx is not None:
            doctor = ezla.Identity.from_file(args.pfx, os.environ.get("EZLA_PFX_PASSWORD"))
            trust = [args.ca.read_bytes()]
        else:
            from ezla.testing import make_test_ca, make_test_doctor

            ca = make_test_ca()
            doctor = make_test_doctor(ca)
            trust = [ca.certificate.to_pem()]
        data = args.file.read_bytes()
        tsa_trust = [args.tsa_ca.read_bytes()] if args.tsa_ca else None

        # CAdES-BES, SHA-256, detached: the file stays as it is.
        signature = ezla.sign_cms(data, doctor, detached=True)
        if args.tsa:
            tsa = ezla.TsaClient(args.tsa, trust=tsa_trust,
                                 ca=args.tls_ca.read_bytes() if args.tls_ca else None)
            # An unsigned attribute: no signed byte changes.
            signature = ezla.add_cms_timestamp(signature, tsa)
        report = ezla.verify_cms(signature, content=data, trust=trust, tsa_trust=tsa_trust)
    except ezla.BadPassword as e:
        print(f"error: {e} (code {e.code})", file=sys.stderr)
        return 2
    except (ezla.SignatureError, ezla.CertificateError) as e:
        print(f"refused: {e} ({e.name}, code {e.code})", file=sys.stderr)
        return 1
    except (ezla.EzlaError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    print(f"signed {len(data)} bytes by PESEL {report.pesel}, {report.signature_algorithm}, "
          f"claiming {report.signing_time}; trust: {report.trust}")
    for stamp in report.timestamps:
        print(f"time-stamp: {stamp.time} by {stamp.tsa.subject}, serial {stamp.serial} "
              f"(trust: {stamp.trust})")
    for reason in report.invalid_timestamps:
        print(f"time-stamp that does not verify: {reason}")
    if args.tsa and not any(s.trusted for s in report.timestamps):
        print("no trusted time-stamp", file=sys.stderr)
        return 1
    out = args.file.with_name(args.file.name + ".p7s")
    out.write_bytes(signature)
    print(f"wrote {out} ({len(signature)} bytes); the certificate judged at {report.judged_at}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
