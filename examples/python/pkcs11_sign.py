"""Sign an e-ZLA with a key on a PKCS#11 token (a smart card, an HSM, SoftHSM) and check it.

    EZLA_PIN=... python pkcs11_sign.py MODULE.so TOKEN KEY DOCUMENT.xml SIGNED.xml

MODULE.so is the token's PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so), TOKEN its
label, KEY the key's label (or ``id:HEX``); the PIN comes from EZLA_PIN, never from the
command line. The certificate is read from the token. Exit status: 0 signed and verified,
1 the token refused (wrong PIN, no such token or key), 2 anything else.
"""

from __future__ import annotations

import pathlib
import sys

import ezla


def main() -> int:
    if len(sys.argv) != 6:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    module, token, key, source, target = sys.argv[1:]
    try:
        signer = ezla.Pkcs11Signer(module, token=token, key=key, pin_env="EZLA_PIN")
    except ezla.KeyStoreError as e:
        print(f"token: {e.name} ({e.code}): {e}", file=sys.stderr)
        return 1
    except ezla.EzlaError as e:
        print(f"token: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    cert = signer.certificate
    print(f"key {signer.key_label!r} on token {signer.token_label!r}: {cert.subject}")
    signed = ezla.sign_xades(pathlib.Path(source).read_bytes(), signer)
    pathlib.Path(target).write_bytes(signed)
    report = ezla.verify_xades(signed, signer_certificate=cert)
    print(f"signed {target}: {report.signature_algorithm}, trust {report.trust}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
