#!/usr/bin/env python3
"""ezla vs python-xmlsec (libxmlsec1 + OpenSSL) vs signxml (lxml + cryptography), in one
Python process, same document, same RSA-2048 key, same machine, one thread.

    python -m venv /tmp/bench && /tmp/bench/bin/pip install -r benches/compare/requirements-bench.txt
    /tmp/bench/bin/maturin build --release --locked -m bindings/python/Cargo.toml -o /tmp/wheels
    /tmp/bench/bin/pip install --force-reinstall --no-deps /tmp/wheels/ezla-*.whl
    /tmp/bench/bin/python benches/compare/python_bench.py [--seconds 2] [--json out.json]

(Install the release wheel rather than `maturin develop --release`: `maturin develop` puts
the native module into the source tree, where the next debug `scripts/test-python.sh` build
replaces it.)

Every case is bytes in, bytes out (or bytes in, verdict out), as an application sees it:
parsing and serialisation are included for every library. Cases:

* enveloped XML-DSig (RSA-SHA256, exclusive C14N, the certificate in X509Data): ezla's
  `sign_xmldsig` / `verify_xmldsig`, python-xmlsec, signxml;
* XAdES-BES: ezla (`zus` profile and generic `xades-bes`), signxml's `XAdESSigner` /
  `XAdESVerifier`, and python-xmlsec with a hand-built XAdES template (xmlsec has no XAdES
  support of its own; the template carries the same SigningTime and SigningCertificate);
* verification uses the signer's certificate as the key (ezla: `signer_certificate`, pinned;
  xmlsec: the certificate as key; signxml: `x509_cert`);
* PKCS#12 opening: ezla vs `cryptography` vs python-xmlsec, for files written by
  `openssl pkcs12 -export` (2048 iterations): modern (PBES2 AES-256, HMAC-SHA-256),
  legacy with 3DES throughout, and classic legacy (`-legacy`: RC2-40 certificates, 3DES key,
  SHA-1 MAC), the shape of many `.pfx` files issued in the past.

* PKCS#11 (``--pkcs11``, needs SoftHSM2, pkcs11-tool and PyKCS11): XAdES (`zus`) of the
  e-ZLA sample with the software key and with an RSA-2048 key on SoftHSM
  (``ezla.Pkcs11Signer``), beside the bare RSA-2048 signature of each: ``cryptography``'s for
  the software key, and SoftHSM's own ``C_Sign`` through PyKCS11 (an independent PKCS#11
  binding: ``CKM_RSA_PKCS`` over a ready DigestInfo, one logged-in session). The tokens come
  from ``tests/tools/softhsm-tokens.sh`` in a temporary directory.

Documents: the e-ZLA sample (`../shared/vectors/ezla/ked_zla_unsigned_oryginal_medfile.xml`
from the repo root) and a 40 KB KEDU-namespaced document (`gen_doc.namespaced_document`,
byte for byte the document of the Rust benches).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Callable, Dict, List, Optional, Tuple

import ezla
from ezla.testing import make_test_ca, make_test_doctor

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
from gen_doc import namespaced_document  # noqa: E402

SAMPLE = REPO.parent / "shared" / "vectors" / "ezla" / "ked_zla_unsigned_oryginal_medfile.xml"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
SP_TYPE = "http://uri.etsi.org/01903#SignedProperties"


def _slice(fn: Callable[[], object], seconds: float) -> float:
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def rates(fns: List[Callable[[], object]], seconds: float, rounds: int = 5) -> List[float]:
    """Calls per second of each function: the best of `rounds` slices of seconds/rounds
    each. The functions take turns slice by slice, so that a change in machine load
    (a shared machine) affects all of them alike and the ratios stay fair."""
    for fn in fns:
        fn()
    best = [0.0] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            best[i] = max(best[i], _slice(fn, seconds / rounds))
    return best


def rate(fn: Callable[[], object], seconds: float) -> float:
    return rates([fn], seconds)[0]


# ---------------------------------------------------------------------------------------------
# Fixtures


class Fixture:
    def __init__(self) -> None:
        from cryptography.hazmat.primitives import serialization

        self.ca = make_test_ca("bench CA")
        self.identity = make_test_doctor(self.ca)
        self.cert = self.identity.certificate
        self.cert_pem = self.cert.to_pem()
        enc = self.identity.private_key.to_encrypted_pem("x", iterations=1000)
        self.crypto_key = serialization.load_pem_private_key(enc, b"x")
        self.key_pem = self.crypto_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.pfx: Dict[str, bytes] = {}
        with tempfile.TemporaryDirectory() as tmp:
            t = pathlib.Path(tmp)
            (t / "k.pem").write_bytes(self.key_pem)
            (t / "c.pem").write_bytes(self.cert_pem)
            (t / "ca.pem").write_bytes(self.ca.certificate.to_pem())
            for name, extra in (
                ("modern", []),
                ("legacy-3des", ["-legacy", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES"]),
                ("legacy-rc2", ["-legacy"]),  # RC2-40 certificates, 3DES key: the classic
            ):
                out = t / f"{name}.pfx"
                subprocess.run(
                    ["openssl", "pkcs12", "-export", *extra, "-inkey", str(t / "k.pem"),
                     "-in", str(t / "c.pem"), "-certfile", str(t / "ca.pem"),
                     "-passout", "pass:bench", "-out", str(out)],
                    check=True, capture_output=True,
                )
                self.pfx[name] = out.read_bytes()


# ---------------------------------------------------------------------------------------------
# python-xmlsec


class XmlsecCase:
    def __init__(self, fx: Fixture) -> None:
        import xmlsec
        from lxml import etree

        self.xmlsec = xmlsec
        self.etree = etree
        self.key = xmlsec.Key.from_memory(fx.key_pem, xmlsec.constants.KeyDataFormatPem)
        self.key.load_cert_from_memory(fx.cert_pem, xmlsec.constants.KeyDataFormatCertPem)
        self.cert_key = xmlsec.Key.from_memory(fx.cert_pem, xmlsec.constants.KeyDataFormatCertPem)
        self.cert_digest = base64.b64encode(hashlib.sha256(fx.cert.to_der()).digest()).decode()
        self.issuer = fx.cert.issuer
        self.serial = str(fx.cert.serial_number)

    def _template(self, root, xades: bool):
        xs, c = self.xmlsec, self.xmlsec.constants
        sig = xs.template.create(root, c.TransformExclC14N, c.TransformRsaSha256, ns="ds")
        root.append(sig)
        ref = xs.template.add_reference(sig, c.TransformSha256, uri="")
        xs.template.add_transform(ref, c.TransformEnveloped)
        xs.template.add_transform(ref, c.TransformExclC14N)
        ki = xs.template.ensure_key_info(sig)
        xs.template.add_x509_data(ki)
        if xades:
            sig_id = "S-" + uuid.uuid4().hex
            sp_id = sig_id + "-SP"
            sig.set("Id", sig_id)
            sp_ref = xs.template.add_reference(sig, c.TransformSha256, uri="#" + sp_id, type=SP_TYPE)
            xs.template.add_transform(sp_ref, c.TransformExclC14N)
            E = self.etree.SubElement
            obj = E(sig, f"{{{DS}}}Object")
            qp = E(obj, f"{{{XADES}}}QualifyingProperties", nsmap={"xades": XADES},
                   Target="#" + sig_id)
            sp = E(qp, f"{{{XADES}}}SignedProperties", Id=sp_id)
            ssp = E(sp, f"{{{XADES}}}SignedSignatureProperties")
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            E(ssp, f"{{{XADES}}}SigningTime").text = now
            scert = E(E(ssp, f"{{{XADES}}}SigningCertificate"), f"{{{XADES}}}Cert")
            cd = E(scert, f"{{{XADES}}}CertDigest")
            E(cd, f"{{{DS}}}DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
            E(cd, f"{{{DS}}}DigestValue").text = self.cert_digest
            iss = E(scert, f"{{{XADES}}}IssuerSerial")
            E(iss, f"{{{DS}}}X509IssuerName").text = self.issuer
            E(iss, f"{{{DS}}}X509SerialNumber").text = self.serial
            return sig, sp
        return sig, None

    def sign(self, data: bytes, xades: bool) -> bytes:
        root = self.etree.fromstring(data)
        sig, sp = self._template(root, xades)
        ctx = self.xmlsec.SignatureContext()
        if sp is not None:
            ctx.register_id(sp, "Id")
        ctx.key = self.key
        ctx.sign(sig)
        return self.etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def verify(self, data: bytes) -> bool:
        root = self.etree.fromstring(data)
        sig = root.find(f"{{{DS}}}Signature")
        ctx = self.xmlsec.SignatureContext()
        for sp in root.iter(f"{{{XADES}}}SignedProperties"):
            ctx.register_id(sp, "Id")
        ctx.key = self.cert_key
        ctx.verify(sig)  # raises xmlsec.VerificationError
        return True


# ---------------------------------------------------------------------------------------------
# signxml


class SignxmlCase:
    def __init__(self, fx: Fixture) -> None:
        import signxml
        from lxml import etree
        from signxml import xades

        self.signxml, self.xades, self.etree = signxml, xades, etree
        # The key object, not its PEM: signxml would otherwise re-parse (and re-validate)
        # the RSA key on every call, which costs more than the signature itself.
        self.key = fx.crypto_key
        self.cert_pem = fx.cert_pem.decode()
        common = dict(signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                      c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")
        self.signer = signxml.XMLSigner(method=signxml.methods.enveloped, **common)
        self.xades_signer = xades.XAdESSigner(**common)
        self.config1 = signxml.SignatureConfiguration(expect_references=1)
        self.config2 = signxml.SignatureConfiguration(expect_references=2)

    def sign(self, data: bytes, xades: bool) -> bytes:
        signer = self.xades_signer if xades else self.signer
        root = signer.sign(self.etree.fromstring(data), key=self.key, cert=self.cert_pem)
        return self.etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def verify(self, data: bytes, xades: bool) -> bool:
        if xades:
            self.xades.XAdESVerifier().verify(data, x509_cert=self.cert_pem,
                                              expect_config=self.config2)
        else:
            self.signxml.XMLVerifier().verify(data, x509_cert=self.cert_pem,
                                              expect_config=self.config1)
        return True


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="time per case (default 2)")
    ap.add_argument("--json", type=pathlib.Path, help="also write the results as JSON")
    ap.add_argument("--pkcs11", action="store_true",
                    help="only the PKCS#11 cases: ezla on SoftHSM2 against PyKCS11's C_Sign")
    args = ap.parse_args()
    if args.pkcs11:
        return pkcs11_main(args.seconds)

    fx = Fixture()
    xs = XmlsecCase(fx)
    sx = SignxmlCase(fx)
    docs: List[Tuple[str, bytes]] = []
    if SAMPLE.exists():
        docs.append(("e-ZLA sample", SAMPLE.read_bytes()))
    else:
        print(f"note: {SAMPLE} is absent; only the 40 KB document is measured", file=sys.stderr)
    docs.append(("40 KB document", namespaced_document(40_000).encode()))

    results: List[Dict[str, object]] = []

    pending: List[Tuple[str, str, str, str, Callable[[], object]]] = []

    def measure(doc: str, op: str, shape: str, lib: str, fn: Callable[[], object]) -> None:
        pending.append((doc, op, shape, lib, fn))

    def flush() -> None:
        """Runs the pending cases (one document and operation) interleaved."""
        got = rates([case[4] for case in pending], args.seconds)
        for (doc, op, shape, lib, _), r in zip(pending, got):
            results.append({"document": doc, "operation": op, "shape": shape, "library": lib,
                            "ops_per_s": round(r, 1)})
            print(f"  {doc:15} {op:6} {shape:9} {lib:22} {r:10.1f}/s", file=sys.stderr)
        pending.clear()

    signer_cert = fx.cert
    for doc_name, doc in docs:
        size = len(doc)
        print(f"{doc_name}: {size} bytes", file=sys.stderr)
        # Cross-checks (not timed): ezla's xades-bes output verifies with both peers, and
        # ezla verifies python-xmlsec's XAdES. signxml's XAdESSigner output does not verify
        # even with signxml itself here: its SignedProperties reference has no transform
        # (inclusive C14N), and the digest is taken before the signature is placed under an
        # element with a default namespace. So the XAdES verification rows all verify the
        # same document: ezla's xades-bes signature, which all three accept.
        z = ezla.sign_xades(doc, fx.identity, profile="xades-bes")
        sx.verify(z, xades=True)
        xs.verify(z)
        assert ezla.verify_xades(xs.sign(doc, xades=True), signer_certificate=signer_cert).trusted
        zd = ezla.sign_xmldsig(doc, fx.identity)
        sx.verify(zd, xades=False)
        xs.verify(zd)
        assert ezla.verify_xmldsig(xs.sign(doc, False), signer_certificate=signer_cert).trusted
        assert ezla.verify_xmldsig(sx.sign(doc, False), signer_certificate=signer_cert).trusted

        for profile in ("zus", "xades-bes"):
            measure(doc_name, "sign", "XAdES-BES", f"ezla ({profile})",
                    lambda p=profile: ezla.sign_xades(doc, fx.identity, profile=p))
        measure(doc_name, "sign", "XAdES-BES", "python-xmlsec", lambda: xs.sign(doc, True))
        measure(doc_name, "sign", "XAdES-BES", "signxml", lambda: sx.sign(doc, True))
        measure(doc_name, "sign", "XML-DSig", "ezla", lambda: ezla.sign_xmldsig(doc, fx.identity))
        measure(doc_name, "sign", "XML-DSig", "python-xmlsec", lambda: xs.sign(doc, False))
        measure(doc_name, "sign", "XML-DSig", "signxml", lambda: sx.sign(doc, False))
        flush()

        zus = ezla.sign_xades(doc, fx.identity, profile="zus")
        measure(doc_name, "verify", "XAdES-BES", "ezla (zus)",
                lambda: ezla.verify_xades(zus, signer_certificate=signer_cert))
        measure(doc_name, "verify", "XAdES-BES", "ezla (xades-bes)",
                lambda: ezla.verify_xades(z, signer_certificate=signer_cert))
        measure(doc_name, "verify", "XAdES-BES", "python-xmlsec", lambda: xs.verify(z))
        measure(doc_name, "verify", "XAdES-BES", "signxml", lambda: sx.verify(z, True))
        # Plain enveloped XML-DSig: ezla's signature, verified by all three.
        measure(doc_name, "verify", "XML-DSig", "ezla",
                lambda: ezla.verify_xmldsig(zd, signer_certificate=signer_cert))
        measure(doc_name, "verify", "XML-DSig", "python-xmlsec", lambda: xs.verify(zd))
        measure(doc_name, "verify", "XML-DSig", "signxml", lambda: sx.verify(zd, False))
        flush()

    from cryptography.hazmat.primitives.serialization import pkcs12
    import xmlsec

    for kind in ("modern", "legacy-3des", "legacy-rc2"):
        data = fx.pfx[kind]
        label = f"{kind} .pfx"
        measure(label, "open", "PKCS#12", "ezla", lambda d=data: ezla.Identity.from_pfx(d, "bench"))
        measure(label, "open", "PKCS#12", "cryptography",
                lambda d=data: pkcs12.load_key_and_certificates(d, b"bench"))
        try:
            xmlsec.Key.from_memory(data, xmlsec.constants.KeyDataFormatPkcs12, "bench")
        except Exception as e:  # noqa: BLE001 - report the failure in the table
            results.append({"document": label, "operation": "open", "shape": "PKCS#12",
                            "library": "python-xmlsec", "ops_per_s": None,
                            "error": f"{type(e).__name__}: {e}"})
            print(f"  {label:15} open   PKCS#12   python-xmlsec          fails: {e}",
                  file=sys.stderr)
        else:
            measure(label, "open", "PKCS#12", "python-xmlsec",
                    lambda d=data: xmlsec.Key.from_memory(
                        d, xmlsec.constants.KeyDataFormatPkcs12, "bench"))
        flush()

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    raw = rate(lambda: fx.crypto_key.sign(b"x" * 32, padding.PKCS1v15(), hashes.SHA256()),
               args.seconds)

    print_table(results, raw)
    if args.json:
        args.json.write_text(json.dumps({
            "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
            "xmlsec": xmlsec.__version__, "rsa2048_sign_ms": round(1000 / raw, 3),
            "results": results}, indent=1))
    return 0


SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
# DigestInfo prefix of SHA-256 (RFC 8017 §9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def pkcs11_main(seconds: float) -> int:
    """The PKCS#11 cases (issue 15): ezla's XAdES on SoftHSM against the software key, and
    the bare signature of each, SoftHSM's through PyKCS11, interleaved in one process."""
    module = os.environ.get("SOFTHSM2_MODULE", SOFTHSM_MODULE)
    try:
        import PyKCS11  # type: ignore[import-untyped]
    except ImportError:
        print("PyKCS11 is needed: pip install PyKCS11", file=sys.stderr)
        return 2
    if not pathlib.Path(module).exists():
        print(f"{module} is absent (apt-get install softhsm2 opensc)", file=sys.stderr)
        return 2
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="ezla-pkcs11-bench-"))
    subprocess.run(["bash", str(REPO / "tests" / "tools" / "softhsm-tokens.sh"), str(tmp)],
                   check=True, stdout=subprocess.DEVNULL)
    # SoftHSM reads its configuration when the module is first initialised in the process.
    os.environ["SOFTHSM2_CONF"] = str(tmp / "softhsm2.conf")
    pin = "1234"

    token = ezla.Pkcs11Signer(module, token="ezla-test", key="rsa", pin=pin)
    ca = make_test_ca()
    doctor = make_test_doctor(ca, key_type="rsa2048")
    doc = SAMPLE.read_bytes() if SAMPLE.exists() else namespaced_document(1_200).encode()

    lib = PyKCS11.PyKCS11Lib()
    lib.load(module)
    slot = next(s for s in lib.getSlotList(tokenPresent=True)
                if lib.getTokenInfo(s).label.strip() == "ezla-test")
    session = lib.openSession(slot)
    try:
        session.login(pin)
    except PyKCS11.PyKCS11Error as e:  # the token is logged in already for this application
        if e.value != PyKCS11.CKR_USER_ALREADY_LOGGED_IN:
            raise
    key = session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY),
                               (PyKCS11.CKA_LABEL, "rsa")])[0]
    signed_info = b"x" * 1200  # about a canonical XAdES SignedInfo
    digest_info = SHA256_DIGEST_INFO + hashlib.sha256(signed_info).digest()
    mech = PyKCS11.Mechanism(PyKCS11.CKM_RSA_PKCS, None)
    software = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    # Cross-checks (not timed): both signed documents verify, the token's key is the
    # certificate's, and PyKCS11's raw signature verifies under the token's certificate.
    on_token = ezla.sign_xades(doc, token, profile="zus")
    assert ezla.verify_xades(on_token, signer_certificate=token.certificate).trusted
    assert ezla.verify_xades(ezla.sign_xades(doc, doctor, profile="zus"),
                             signer_certificate=doctor.certificate).trusted
    from cryptography import x509
    pub = x509.load_der_x509_certificate(token.certificate.to_der()).public_key()
    raw = bytes(session.sign(key, digest_info, mech))
    pub.verify(raw, signed_info, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr]

    ezla_key = ezla.PrivateKey.generate("rsa2048")  # the doctor's kind of key, same backend
    names = [
        "XAdES sign, software key (ezla)",
        "XAdES sign, SoftHSM (ezla.Pkcs11Signer)",
        "bare RSA-2048, software key (ezla)",
        "bare RSA-2048, software key (cryptography)",
        "bare RSA-2048, SoftHSM C_Sign (PyKCS11)",
    ]
    fns: List[Callable[[], object]] = [
        lambda: ezla.sign_xades(doc, doctor, profile="zus"),
        lambda: ezla.sign_xades(doc, token, profile="zus"),
        lambda: ezla_key.sign(signed_info),
        lambda: software.sign(signed_info, padding.PKCS1v15(), hashes.SHA256()),
        lambda: session.sign(key, digest_info, mech),
    ]
    got = rates(fns, seconds * len(fns))
    us = {n: 1e6 / r for n, r in zip(names, got)}
    for n in names:
        print(f"  {n:45} {us[n]:9.1f} µs", file=sys.stderr)
    session.logout()
    session.closeSession()

    xades_sw, xades_hsm, bare_ezla, bare_crypto, bare_hsm = (us[n] for n in names)
    # The XML work of a signature is XAdES with the software key minus that key's bare
    # signature; what signing on the token costs ezla is the rest of the SoftHSM XAdES. The
    # target (issue 15): at most 110 % of SoftHSM's own C_Sign, timed by PyKCS11.
    xml_work = xades_sw - bare_ezla
    token_path = xades_hsm - xml_work
    print(f"e-ZLA sample, {len(doc)} bytes, `zus` profile, SoftHSM {module}")
    print()
    print("| what | software key | SoftHSM |")
    print("|---|---:|---:|")
    print(f"| XAdES sign (ezla) | {xades_sw:,.0f} µs | {xades_hsm:,.0f} µs |")
    print(f"| bare RSA-2048 signature | {bare_ezla:,.0f} µs (ezla), {bare_crypto:,.0f} µs "
          f"(cryptography) | {bare_hsm:,.0f} µs (PyKCS11 `C_Sign`) |")
    print()
    print(f"XML work of a signature (XAdES minus the bare software signature): {xml_work:,.0f} µs; "
          f"the token's part of the SoftHSM XAdES: {token_path:,.0f} µs = "
          f"{token_path / bare_hsm:.0%} of SoftHSM's own C_Sign (target ≤ 110 %)")
    return 0


def print_table(results: List[Dict[str, object]], raw_sign_per_s: float) -> None:
    def get(doc: str, op: str, shape: str, lib: str) -> Optional[float]:
        for r in results:
            if (r["document"], r["operation"], r["shape"], r["library"]) == (doc, op, shape, lib):
                return r["ops_per_s"]  # type: ignore[return-value]
        return None

    print("| document | operation | shape | ezla | python-xmlsec | signxml | "
          "ezla ÷ python-xmlsec | ezla ÷ signxml |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    docs = []
    for r in results:
        if r["shape"] != "PKCS#12" and r["document"] not in docs:
            docs.append(r["document"])
    for doc in docs:
        for op in ("sign", "verify"):
            for shape, ezla_lib in (("XML-DSig", "ezla"), ("XAdES-BES", "ezla (xades-bes)")):
                ez = get(doc, op, shape, ezla_lib)
                xx = get(doc, op, shape, "python-xmlsec")
                sx = get(doc, op, shape, "signxml")
                cell = f"{ez:,.0f}/s"
                if shape == "XAdES-BES":
                    cell += f" (`zus`: {get(doc, op, shape, 'ezla (zus)'):,.0f}/s)"
                print(f"| {doc} | {op} | {shape} | {cell} | {xx:,.0f}/s | {sx:,.0f}/s | "
                      f"{ez / xx:.1f}× | {ez / sx:.1f}× |")
    print()
    print("| PKCS#12 file | ezla | cryptography | python-xmlsec |")
    print("|---|---:|---:|---:|")
    for kind in ("modern .pfx", "legacy-3des .pfx", "legacy-rc2 .pfx"):
        row = [get(kind, "open", "PKCS#12", lib) for lib in ("ezla", "cryptography", "python-xmlsec")]
        cells = [f"{v:,.0f}/s" if v else "cannot open" for v in row]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    print()
    print(f"raw RSA-2048 PKCS#1 v1.5 signature (cryptography): {1000 / raw_sign_per_s:.3f} ms")


if __name__ == "__main__":
    sys.exit(main())
