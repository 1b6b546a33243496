"""An independent XAdES-BES signer for the simulator's login test: signxml (lxml + cryptography).

Usage: python signxml_sign.py KEY.pem CERT.pem IN.xml OUT.xml
Signs IN.xml's document element with an enveloped XAdES-BES signature (signxml's own
XAdESSigner defaults: RSA-SHA256, SHA-256, SigningCertificateV2) and writes OUT.xml.
"""
import sys

from lxml import etree
from signxml.xades import XAdESSigner


def main() -> int:
    key_path, cert_path, in_path, out_path = sys.argv[1:5]
    root = etree.fromstring(open(in_path, "rb").read())
    signed = XAdESSigner().sign(
        root, key=open(key_path, "rb").read(), cert=open(cert_path).read()
    )
    with open(out_path, "wb") as out:
        out.write(etree.tostring(signed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
