"""**For tests and demos only**: a throw-away certificate authority issuing certificates that
look like a doctor's ZUS certificate.

Nothing issued here is trusted by anyone; real certificates come from ZUS. Use it to make
fixtures at test time instead of committing keys::

    from ezla.testing import make_test_ca, make_test_doctor

    ca = make_test_ca()
    doctor = make_test_doctor(ca, given_name="Anna", surname="Nowak", pesel="02070803628")
    signed = ezla.sign_xades(document, doctor)
    ezla.verify_xades(signed, trust=[ca.certificate])
"""

from __future__ import annotations

import datetime
from typing import Literal, Optional, Tuple

from ezla._ezla import Certificate, Identity, PrivateKey, TestCa, WkConfig
from ezla._ezla import _wk_artifact_response, _wk_logout_response

__all__ = [
    "TestCa",
    "make_test_ca",
    "make_test_doctor",
    "make_wk_artifact_response",
    "make_wk_logout_response",
]

#: The default PESEL of test doctors (a valid, well-known test number).
TEST_PESEL = "44051401359"


def make_test_ca(
    common_name: str = "ezla TEST CA - not for real documents",
    *,
    days: int = 3650,
    not_before: Optional[datetime.datetime] = None,
) -> TestCa:
    """A new test CA (RSA-2048, self-signed), valid for ``days`` from ``not_before`` (now).

    Options:

    - common_name (str, default "ezla TEST CA - not for real documents"): the CA's CN.
    - days (int, default 3650): how long the CA certificate is valid.
    - not_before (timezone-aware datetime.datetime, default None): start of validity; None: now.
    """
    return TestCa.generate(common_name, days=days, not_before=not_before)


def make_test_doctor(
    ca: Optional[TestCa] = None,
    *,
    given_name: str = "Jan",
    surname: str = "Kowalski",
    pesel: str = TEST_PESEL,
    key_type: Literal["rsa2048", "rsa3072", "rsa4096", "p256"] = "rsa2048",
    email: Optional[str] = None,
    not_before: Optional[datetime.datetime] = None,
    days: Optional[int] = None,
) -> Identity:
    """A doctor's signing identity issued by ``ca`` (``serialNumber=PNOPL-<PESEL>``, the CA
    certificate as its chain).

    Options:

    - ca (TestCa, default None): the issuing test CA; None: a new one (then nothing else
      trusts the doctor: keep the CA to verify with).
    - given_name (str, default "Jan"): the doctor's given name.
    - surname (str, default "Kowalski"): the doctor's surname.
    - pesel (str, default "44051401359"): the doctor's PESEL (checked); ``TEST_PESEL``.
    - key_type (str, default "rsa2048"): "rsa2048", "rsa3072", "rsa4096" or "p256".
    - email (str, default None): an e-mail subject alternative name.
    - not_before (timezone-aware datetime.datetime, default None): start of validity; None: now.
    - days (int, default None): how long the certificate is valid; None: five years.
    """
    if ca is None:
        ca = make_test_ca()
    return ca.issue_doctor(
        given_name,
        surname,
        pesel,
        key_type=key_type,
        email=email,
        not_before=not_before,
        days=days,
    )


def make_wk_artifact_response(
    config: WkConfig,
    wk_key: PrivateKey,
    wk_certificate: Certificate,
    authn_request_id: str,
    artifact_resolve_id: str,
    *,
    now: Optional[datetime.datetime] = None,
    pesel: Optional[str] = None,
    loa: Optional[str] = None,
    audience: Optional[str] = None,
    recipient: Optional[str] = None,
    status: Optional[Tuple[str, Optional[str], Optional[str]]] = None,
    cek_len: int = 32,
) -> bytes:
    """An ArtifactResponse as login.gov.pl writes it, in its SOAP envelope, from the core's
    emulator: both layers signed with ``wk_key`` in login.gov.pl's profile, the assertion
    (the 2018 simulator's test person, Roch Apitz, valid 30 minutes) encrypted to the
    configuration's encryption certificate the way login.gov.pl does.

    Options:

    - now (timezone-aware datetime.datetime, default None): the issue instant; None: now.
    - pesel (str, default None): the PersonIdentifier written, verbatim; None: 87022243734.
    - loa (str, default None): the level written: "low", "substantial", "high" or a URI;
      None: substantial.
    - audience (str, default None): the Audience written; None: the configuration's entity ID.
    - recipient (str, default None): the Recipient written; None: the configuration's ACS URL.
    - status (tuple, default None): the inner Response's status as (top-level code,
      second-level code or None, message or None), without an assertion; None: Success.
    - cek_len (int, default 32): the AES-GCM key's size in bytes (16, 24 or 32).
    """
    return _wk_artifact_response(
        config, wk_key, wk_certificate, authn_request_id, artifact_resolve_id,
        now=now, pesel=pesel, loa=loa, audience=audience, recipient=recipient,
        status=status, cek_len=cek_len,
    )


def make_wk_logout_response(
    config: WkConfig,
    wk_key: PrivateKey,
    wk_certificate: Certificate,
    in_response_to: str,
    *,
    now: Optional[datetime.datetime] = None,
) -> bytes:
    """A signed Success LogoutResponse in its SOAP envelope, answering ``in_response_to``
    (the LogoutRequest's ID).

    Options:

    - now (timezone-aware datetime.datetime, default None): the issue instant; None: now.
    """
    return _wk_logout_response(config, wk_key, wk_certificate, in_response_to, now=now)
