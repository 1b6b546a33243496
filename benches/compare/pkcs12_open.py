#!/usr/bin/env python3
"""Time OpenSSL opening the same .pfx files as the criterion benchmark
`benches/pkcs12_open.rs`, three ways:

* in process, libcrypto's `d2i_PKCS12` + `PKCS12_parse` called through ctypes (the fair
  comparison: MAC check, decryption of every bag, key and certificate parsing);
* Python `cryptography`'s `pkcs12.load_key_and_certificates` (its own bundled OpenSSL;
  note that it also runs a full RSA private-key validation, which costs far more than
  the PKCS#12 work for an RSA-2048 key, and cannot be switched off for PKCS#12);
* the `openssl pkcs12 -nodes` command, net of process start (`openssl version`).

Run `cargo bench -p ezla-benches --bench pkcs12_open` first: it writes the fixtures to
target/bench-fixtures/pkcs12/. Then, with `cryptography` installed:

    .venv/bin/python benches/compare/pkcs12_open.py [FIXTURES_DIR]   # venv from scripts/setup-debian.sh
"""

import ctypes
import ctypes.util
import pathlib
import subprocess
import sys
import time


def per_call(fn, min_seconds=2.0):
    """Median over 5 rounds of the time per call, each round lasting min_seconds / 5."""
    rounds = []
    for _ in range(5):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds / 5:
                break
        rounds.append(elapsed / n)
    rounds.sort()
    return rounds[2]


def libcrypto_opener(password):
    """A function opening a PKCS#12 file with the system libcrypto, or None."""
    name = ctypes.util.find_library("crypto")
    if not name:
        return None, "libcrypto not found"
    lib = ctypes.CDLL(name)
    lib.OpenSSL_version.restype = ctypes.c_char_p
    lib.OpenSSL_version.argtypes = [ctypes.c_int]
    version = lib.OpenSSL_version(0).decode()
    lib.OSSL_PROVIDER_load.restype = ctypes.c_void_p
    lib.OSSL_PROVIDER_load.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    for provider in (b"legacy", b"default"):  # RC2-40 needs the legacy provider
        lib.OSSL_PROVIDER_load(None, provider)
    lib.d2i_PKCS12.restype = ctypes.c_void_p
    lib.d2i_PKCS12.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long]
    lib.PKCS12_parse.restype = ctypes.c_int
    lib.PKCS12_parse.argtypes = [ctypes.c_void_p, ctypes.c_char_p] + [ctypes.POINTER(ctypes.c_void_p)] * 3
    for f in ("PKCS12_free", "EVP_PKEY_free", "X509_free"):
        getattr(lib, f).argtypes = [ctypes.c_void_p]
    lib.OPENSSL_sk_pop_free.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    x509_free = ctypes.cast(lib.X509_free, ctypes.c_void_p)

    def open_once(data):
        buf = ctypes.c_char_p(data)
        p12 = lib.d2i_PKCS12(None, ctypes.byref(buf), len(data))
        if not p12:
            raise RuntimeError("d2i_PKCS12 failed")
        pkey, cert, ca = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
        ok = lib.PKCS12_parse(p12, password, ctypes.byref(pkey), ctypes.byref(cert), ctypes.byref(ca))
        lib.EVP_PKEY_free(pkey)
        lib.X509_free(cert)
        lib.OPENSSL_sk_pop_free(ca, x509_free)
        lib.PKCS12_free(p12)
        if ok != 1:
            raise RuntimeError("PKCS12_parse failed")

    return open_once, version


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    fixtures = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "target/bench-fixtures/pkcs12"
    password = (fixtures / "password.txt").read_bytes()
    open_once, version = libcrypto_opener(password)
    try:
        from cryptography import __version__ as cryptography_version
        from cryptography.hazmat.primitives.serialization import pkcs12
    except ImportError:
        pkcs12 = None
    for name in ["legacy", "modern"]:
        path = fixtures / f"{name}.pfx"
        if not path.exists():
            print(f"{name}: {path} missing (run the criterion bench first)")
            continue
        data = path.read_bytes()
        if open_once:
            t = per_call(lambda: open_once(data))
            print(f"{name}: libcrypto PKCS12_parse in process ({version}): {t * 1e3:.3f} ms")
        else:
            print(f"{name}: libcrypto not measured ({version})")
        if pkcs12:
            t = per_call(lambda: pkcs12.load_key_and_certificates(data, password))
            print(f"{name}: cryptography {cryptography_version} load_key_and_certificates: {t * 1e3:.3f} ms (includes RSA key validation)")
        flags = ["-legacy"] if name == "legacy" else []
        cmd = ["openssl", "pkcs12", *flags, "-in", str(path), "-nodes",
               "-passin", f"file:{fixtures / 'password.txt'}", "-out", "/dev/null"]
        try:
            full = per_call(lambda: subprocess.run(cmd, check=True, capture_output=True), 3.0)
            base = per_call(lambda: subprocess.run(["openssl", "version"], check=True, capture_output=True), 3.0)
            print(f"{name}: openssl pkcs12 -nodes: {full * 1e3:.3f} ms, {(full - base) * 1e3:.3f} ms net of process start")
        except (OSError, subprocess.CalledProcessError) as e:
            print(f"{name}: openssl command not measured ({e})")


if __name__ == "__main__":
    main()
