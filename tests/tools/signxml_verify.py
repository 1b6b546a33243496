"""Independent verifier for the interop tests: signxml (lxml + cryptography).

Usage: python signxml_verify.py [--xades] CERT.pem FILE...
Verifies each file's signature with the given certificate (as `x509_cert`), expecting the
number of references given by --refs (default 1). Prints "OK FILE" or "FAIL FILE: reason";
exits non-zero if any failed. With --xades, uses signxml.xades.XAdESVerifier, which also
checks the XAdES signed properties (SigningCertificate digest and issuer/serial).
"""
import sys

from signxml import SignatureConfiguration, XMLVerifier, SignatureMethod, DigestAlgorithm
from signxml.xades import XAdESVerifier


def main() -> int:
    args = sys.argv[1:]
    xades = "--xades" in args
    args = [a for a in args if a != "--xades"]
    refs = 1
    if args and args[0].startswith("--refs="):
        refs = int(args.pop(0).split("=", 1)[1])
    cert = open(args[0]).read()
    failed = 0
    for path in args[1:]:
        data = open(path, "rb").read()
        try:
            config = SignatureConfiguration(
                expect_references=refs,
                signature_methods=frozenset(SignatureMethod),
                digest_algorithms=frozenset(DigestAlgorithm),
            )
            if xades:
                results = XAdESVerifier().verify(data, x509_cert=cert, expect_config=config)
            else:
                results = XMLVerifier().verify(data, x509_cert=cert, expect_config=config)
            if not isinstance(results, list):
                results = [results]
            if len(results) != refs:
                raise Exception(f"{len(results)} references verified, expected {refs}")
            print(f"OK {path}")
        except Exception as e:  # noqa: BLE001 - report every failure
            failed += 1
            print(f"FAIL {path}: {type(e).__name__}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
