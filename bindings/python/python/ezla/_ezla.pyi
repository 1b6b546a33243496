"""Type stubs of the native module ``ezla._ezla`` (hand-written; checked by mypy.stubtest)."""

import datetime
import os
from typing import Any, Callable, Dict, Iterable, List, Literal, Optional, Sequence, Tuple, Union, final

__all__ = [
    "__version__",
    "DEFAULT_PFX_ITERATIONS",
    "_error_codes",
    "_error_families",
    "_raise_for_code",
    "Certificate",
    "CertificateStatus",
    "PrivateKey",
    "CertificateRequest",
    "Identity",
    "ExternalSigner",
    "Pkcs11Signer",
    "TrustStore",
    "TestCa",
    "sign_xades",
    "verify_xades",
    "sign_cms",
    "verify_cms",
    "CmsReport",
    "RevocationChecker",
    "RevocationInfo",
    "TsaClient",
    "TimeStamp",
    "verify_timestamp",
    "add_xades_timestamp",
    "add_cms_timestamp",
    "VerificationReport",
    "SignerInfo",
    "ReferenceInfo",
    "sign_xmldsig",
    "verify_xmldsig",
    "XmlDsigReport",
    "verify_xades_all",
    "inspect_pfx",
    "PfxInfo",
    "check_certificates",
    "CertificateSummary",
    "CertificateSummaryRow",
    "Zla",
    "Problem",
    "check_zla",
    "Azla",
    "split_period",
    "plan_zla",
    "ZusClient",
    "BladWalidacji",
    "Receipted",
    "IssuedCertificate",
    "IssueReport",
    "WkConfig",
    "WkLogin",
    "WkIdentity",
    "WkServiceProvider",
    "wk_authn_request",
    "wk_process_artifact_response",
    "_wk_artifact_response",
    "_wk_logout_response",
]

__version__: str
DEFAULT_PFX_ITERATIONS: int

_CertificateLike = Union["Certificate", bytes]
_Trust = Union["TrustStore", Iterable[_CertificateLike]]
_Signer = Union["Identity", "ExternalSigner", "Pkcs11Signer"]
#: The XAdES profiles `sign_xades` accepts and `VerificationReport.profile` names.
_Profile = Literal["zus", "zus-legacy", "xades-bes"]
#: The SigningCertificate versions `sign_xades` writes.
_SigningCertificateVersion = Literal["v1", "v2"]
#: The key types ezla generates.
_KeyType = Literal["rsa2048", "rsa3072", "rsa4096", "p256"]

def _error_codes() -> List[Tuple[int, str, str]]: ...
def _error_families() -> List[str]: ...
def _raise_for_code(code: int) -> None: ...

@final
class Certificate:
    """An X.509 certificate (read-only view)."""

    @staticmethod
    def from_pem(data: bytes) -> Certificate: ...
    @staticmethod
    def from_der(data: bytes) -> Certificate: ...
    @staticmethod
    def list_from_pem(data: bytes) -> List[Certificate]: ...
    @property
    def subject(self) -> str: ...
    @property
    def issuer(self) -> str: ...
    @property
    def common_name(self) -> Optional[str]: ...
    @property
    def given_name(self) -> Optional[str]: ...
    @property
    def surname(self) -> Optional[str]: ...
    @property
    def subject_serial_number(self) -> Optional[str]: ...
    @property
    def organization(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def pesel(self) -> Optional[str]: ...
    @property
    def serial_number(self) -> int: ...
    @property
    def serial_hex(self) -> str: ...
    @property
    def not_before(self) -> datetime.datetime: ...
    @property
    def not_after(self) -> datetime.datetime: ...
    @property
    def key_type(self) -> str: ...
    @property
    def key_size(self) -> int: ...
    @property
    def public_key_der(self) -> bytes: ...
    @property
    def signature_algorithm(self) -> str: ...
    @property
    def key_usage(self) -> List[str]: ...
    @property
    def extended_key_usage(self) -> List[str]: ...
    @property
    def is_ca(self) -> bool: ...
    @property
    def is_self_issued(self) -> bool: ...
    @property
    def email_addresses(self) -> List[str]: ...
    @property
    def crl_distribution_points(self) -> List[str]: ...
    @property
    def ocsp_urls(self) -> List[str]: ...
    def fingerprint(self, algorithm: str = ...) -> bytes: ...
    def status(
        self,
        at: Optional[datetime.datetime] = None,
        *,
        renewal_window_days: Optional[int] = None,
        warning_days: Optional[int] = None,
    ) -> CertificateStatus: ...
    def check_valid(self, at: Optional[datetime.datetime] = None) -> None: ...
    def verify_chain(
        self,
        *,
        trust: _Trust,
        intermediates: Optional[Iterable[_CertificateLike]] = None,
        at: Optional[datetime.datetime] = None,
    ) -> List[Certificate]: ...
    def to_der(self) -> bytes: ...
    def to_pem(self) -> bytes: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]: ...

@final
class CertificateStatus:
    """Where a certificate stands under the ZUS renewal rules at an instant."""

    @property
    def name(self) -> str: ...
    @property
    def days_left(self) -> int: ...
    @property
    def renewal_opens(self) -> datetime.datetime: ...
    @property
    def not_after(self) -> datetime.datetime: ...
    @property
    def is_usable(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class PrivateKey:
    """A private key (RSA or EC P-256)."""

    @staticmethod
    def generate(key_type: _KeyType = "rsa2048") -> PrivateKey: ...
    @staticmethod
    def load(
        data: bytes, password: Optional[str] = None, *, max_iterations: Optional[int] = None
    ) -> PrivateKey: ...
    def to_encrypted_pem(self, password: str, *, iterations: int = ...) -> bytes: ...
    def sign(self, message: bytes, algorithm: Optional[str] = None) -> bytes: ...
    def matches(self, certificate: Certificate) -> bool: ...
    @property
    def key_type(self) -> str: ...
    @property
    def public_key_der(self) -> bytes: ...

@final
class CertificateRequest:
    """A PKCS#10 certificate request."""

    @staticmethod
    def create(
        key: PrivateKey,
        *,
        common_name: Optional[str] = None,
        given_name: Optional[str] = None,
        surname: Optional[str] = None,
        pesel: Optional[str] = None,
        serial_number: Optional[str] = None,
        organization: Optional[str] = None,
        organizational_unit: Optional[str] = None,
        locality: Optional[str] = None,
        country: Optional[str] = ...,
        email: Optional[str] = None,
    ) -> CertificateRequest: ...
    @staticmethod
    def from_pem(data: bytes) -> CertificateRequest: ...
    @staticmethod
    def from_der(data: bytes) -> CertificateRequest: ...
    @property
    def subject(self) -> str: ...
    @property
    def email_addresses(self) -> List[str]: ...
    @property
    def public_key_der(self) -> bytes: ...
    def verify_signature(self) -> None: ...
    def to_der(self) -> bytes: ...
    def to_pem(self) -> bytes: ...
    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]: ...

@final
class Identity:
    """A signing identity: a private key with its certificate and chain."""

    @classmethod
    def from_pfx(
        cls,
        data: bytes,
        password: Optional[str],
        *,
        max_iterations: Optional[int] = None,
        allow_unprotected: bool = False,
    ) -> Identity: ...
    @classmethod
    def from_file(
        cls,
        path: Union[str, "os.PathLike[str]"],
        password: Optional[str],
        *,
        max_iterations: Optional[int] = None,
        allow_unprotected: bool = False,
    ) -> Identity: ...
    @classmethod
    def from_key(
        cls,
        key: PrivateKey,
        certificate: Certificate,
        chain: Optional[Iterable[_CertificateLike]] = None,
    ) -> Identity: ...
    @property
    def certificate(self) -> Certificate: ...
    @property
    def chain(self) -> List[Certificate]: ...
    @property
    def private_key(self) -> PrivateKey: ...
    @property
    def friendly_name(self) -> Optional[str]: ...
    def to_pfx(
        self, password: str, *, iterations: int = ..., friendly_name: Optional[str] = None
    ) -> bytes: ...

@final
class ExternalSigner:
    """A signer whose private key lives outside ezla (smart card, HSM, KMS)."""

    def __new__(
        cls,
        certificate: Certificate,
        sign: Callable[[str, bytes], bytes],
        *,
        chain: Optional[Iterable[_CertificateLike]] = None,
    ) -> ExternalSigner: ...
    @property
    def certificate(self) -> Certificate: ...
    @property
    def chain(self) -> List[Certificate]: ...

@final
class Pkcs11Signer:
    """A signer whose private key is on a PKCS#11 token (smart card, HSM, SoftHSM)."""

    def __new__(
        cls,
        module: Union[str, "os.PathLike[str]"],
        *,
        token: str,
        key: str,
        pin: Optional[str] = None,
        pin_env: Optional[str] = None,
        certificate: Optional[Certificate] = None,
    ) -> Pkcs11Signer: ...
    @property
    def certificate(self) -> Certificate: ...
    @property
    def key_label(self) -> str: ...
    @property
    def token_label(self) -> str: ...
    @property
    def always_authenticate(self) -> bool: ...

@final
class TrustStore:
    """Trusted CA certificates, parsed once and shared (immutable, thread-safe)."""

    def __new__(cls, certificates: Iterable[_CertificateLike]) -> TrustStore: ...
    @staticmethod
    def from_pem(data: bytes) -> TrustStore: ...
    @staticmethod
    def from_file(path: Union[str, "os.PathLike[str]"]) -> TrustStore: ...
    @property
    def certificates(self) -> List[Certificate]: ...
    def __len__(self) -> int: ...

@final
class TestCa:
    """Tests and demos only: a throw-away CA issuing ZUS-like doctor certificates."""

    @staticmethod
    def generate(
        common_name: str = ..., *, days: int = 3650, not_before: Optional[datetime.datetime] = None
    ) -> TestCa: ...
    @property
    def certificate(self) -> Certificate: ...
    def issue_doctor(
        self,
        given_name: str = ...,
        surname: str = ...,
        pesel: str = ...,
        *,
        key_type: _KeyType = "rsa2048",
        email: Optional[str] = None,
        not_before: Optional[datetime.datetime] = None,
        days: Optional[int] = None,
        crl_url: Optional[str] = None,
    ) -> Identity: ...
    def issue_for_request(
        self,
        request: CertificateRequest,
        *,
        not_before: Optional[datetime.datetime] = None,
        days: Optional[int] = None,
    ) -> Certificate: ...
    def issue_crl(
        self,
        revoked: Optional[Sequence[Tuple[Certificate, datetime.datetime, Optional[str]]]] = None,
        *,
        this_update: Optional[datetime.datetime] = None,
        next_update: Optional[datetime.datetime] = None,
        number: int = 1,
    ) -> bytes: ...

def sign_xades(
    xml: bytes,
    identity: _Signer,
    *,
    profile: _Profile = "zus",
    signing_time: Optional[datetime.datetime] = None,
    signing_certificate: _SigningCertificateVersion = "v1",
    include_chain: bool = False,
    allow_cosigning: bool = False,
    allow_invalid_certificate: bool = False,
    id_prefix: Optional[str] = None,
) -> bytes: ...
def sign_cms(
    data: bytes,
    identity: _Signer,
    *,
    detached: bool = False,
    digest: Literal["sha256", "sha384", "sha512"] = "sha256",
    include_chain: bool = False,
    signing_time: Optional[datetime.datetime] = None,
    pem: bool = False,
) -> bytes: ...
def verify_cms(
    signature: bytes,
    *,
    content: Optional[bytes] = None,
    trust: Optional[_Trust] = None,
    at: Optional[datetime.datetime] = None,
    tsa_trust: Optional[_Trust] = None,
    revocation: Optional[RevocationChecker] = None,
) -> CmsReport: ...
@final
class CmsReport:
    """What a valid CMS signature says: who signed, when they claim, with what, and the content."""

    @property
    def signer(self) -> Certificate: ...
    @property
    def pesel(self) -> Optional[str]: ...
    @property
    def signing_time(self) -> Optional[datetime.datetime]: ...
    @property
    def digest(self) -> str: ...
    @property
    def signature_algorithm(self) -> str: ...
    @property
    def attached(self) -> bool: ...
    @property
    def content(self) -> bytes: ...
    @property
    def trust(self) -> str: ...
    @property
    def ess_binding(self) -> bool: ...
    @property
    def timestamps(self) -> List[TimeStamp]: ...
    @property
    def invalid_timestamps(self) -> List[str]: ...
    @property
    def judged_at(self) -> datetime.datetime: ...
    @property
    def revocation(self) -> Optional[RevocationInfo]: ...

def verify_xades(
    xml: bytes,
    *,
    trust: Optional[_Trust] = None,
    signer_certificate: Optional[_CertificateLike] = None,
    at: Optional[datetime.datetime] = None,
    max_clock_skew: Optional[datetime.timedelta] = None,
    accept_legacy: bool = True,
    allow_cosignatures: bool = False,
    allow_legacy_algorithms: bool = False,
    tsa_trust: Optional[_Trust] = None,
    revocation: Optional[RevocationChecker] = None,
) -> VerificationReport: ...

@final
class VerificationReport:
    """The outcome of a successful verification: who signed what, when and how."""

    @property
    def profile(self) -> _Profile: ...
    @property
    def signature_algorithm(self) -> str: ...
    @property
    def canonicalization(self) -> str: ...
    @property
    def signing_time(self) -> Optional[datetime.datetime]: ...
    @property
    def signing_certificate(self) -> Literal["v1", "v2", "keyinfo"]: ...
    @property
    def signer(self) -> SignerInfo: ...
    @property
    def trust(self) -> str: ...
    @property
    def trusted(self) -> bool: ...
    @property
    def chain(self) -> List[str]: ...
    @property
    def signature_id(self) -> str: ...
    @property
    def document_element(self) -> str: ...
    @property
    def references(self) -> List[ReferenceInfo]: ...
    @property
    def signature_policy(self) -> Optional[str]: ...
    @property
    def timestamps(self) -> List[TimeStamp]: ...
    @property
    def invalid_timestamps(self) -> List[str]: ...
    @property
    def judged_at(self) -> datetime.datetime: ...
    @property
    def revocation(self) -> Optional[RevocationInfo]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class RevocationChecker:
    """CRLs to check signers' certificates against (given, or fetched from distribution points)."""

    def __new__(
        cls,
        crls: Optional[Sequence[Union[bytes, str, os.PathLike[str]]]] = None,
        *,
        fetch: bool = False,
        ca: Optional[bytes] = None,
        timeout: float = 30.0,
    ) -> RevocationChecker: ...
    @property
    def fetches(self) -> bool: ...
    def check(
        self,
        certificate: _CertificateLike,
        issuer: _CertificateLike,
        *,
        at: Optional[datetime.datetime] = None,
    ) -> RevocationInfo: ...

@final
class RevocationInfo:
    """What a CRL said of a certificate that passed: which CRL, issued when, the instant judged."""

    @property
    def status(self) -> Literal["good", "revoked_later"]: ...
    @property
    def revoked_at(self) -> Optional[datetime.datetime]: ...
    @property
    def reason(self) -> Optional[str]: ...
    @property
    def source_kind(self) -> Literal["given", "fetched", "cached"]: ...
    @property
    def source(self) -> str: ...
    @property
    def crl_issuer(self) -> str: ...
    @property
    def crl_this_update(self) -> datetime.datetime: ...
    @property
    def crl_next_update(self) -> Optional[datetime.datetime]: ...
    @property
    def crl_number(self) -> Optional[str]: ...
    @property
    def judged_at(self) -> datetime.datetime: ...
    @property
    def judged_by(self) -> Literal["time_stamp", "requested", "verification_time"]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class TsaClient:
    """A client of an RFC 3161 time-stamping authority (TSA) over HTTP or HTTPS."""

    def __new__(
        cls,
        url: str,
        *,
        trust: Optional[_Trust] = None,
        policy: Optional[str] = None,
        digest: Literal["sha256", "sha384", "sha512"] = "sha256",
        ca: Optional[bytes] = None,
        timeout: float = 60.0,
    ) -> TsaClient: ...
    @property
    def url(self) -> str: ...
    def stamp(self, data: bytes) -> Tuple[bytes, TimeStamp]: ...

@final
class TimeStamp:
    """What a verified RFC 3161 time-stamp token proves."""

    @property
    def time(self) -> datetime.datetime: ...
    @property
    def accuracy_seconds(self) -> Optional[float]: ...
    @property
    def policy(self) -> str: ...
    @property
    def serial(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def imprint(self) -> bytes: ...
    @property
    def nonce(self) -> Optional[bytes]: ...
    @property
    def tsa(self) -> Certificate: ...
    @property
    def trust(self) -> str: ...
    @property
    def trusted(self) -> bool: ...

def verify_timestamp(
    token: bytes,
    *,
    data: Optional[bytes] = None,
    hash: Optional[bytes] = None,
    digest: Literal["sha256", "sha384", "sha512"] = "sha256",
    trust: Optional[_Trust] = None,
    policy: Optional[str] = None,
) -> TimeStamp: ...
def add_xades_timestamp(signed: bytes, tsa: TsaClient) -> bytes: ...
def add_cms_timestamp(signature: bytes, tsa: TsaClient) -> bytes: ...

@final
class SignerInfo:
    """The signer of a verified signature."""

    @property
    def subject(self) -> str: ...
    @property
    def issuer(self) -> str: ...
    @property
    def serial_number(self) -> int: ...
    @property
    def pesel(self) -> Optional[str]: ...
    @property
    def not_before(self) -> datetime.datetime: ...
    @property
    def not_after(self) -> datetime.datetime: ...
    @property
    def sha256_fingerprint(self) -> str: ...

@final
class ReferenceInfo:
    """A reference of a verified signature and what it covers."""

    @property
    def uri(self) -> str: ...
    @property
    def type_uri(self) -> Optional[str]: ...
    @property
    def digest(self) -> str: ...
    @property
    def transforms(self) -> List[str]: ...
    @property
    def covers(self) -> str: ...

def sign_xmldsig(
    xml: bytes,
    identity: _Signer,
    *,
    include_chain: bool = False,
    allow_invalid_certificate: bool = False,
) -> bytes: ...
def verify_xmldsig(
    xml: bytes,
    *,
    trust: Optional[_Trust] = None,
    signer_certificate: Optional[_CertificateLike] = None,
    at: Optional[datetime.datetime] = None,
    allow_sha1: bool = False,
) -> XmlDsigReport: ...
@final
class XmlDsigReport:
    """The outcome of a successful XML-DSig verification."""

    @property
    def signature_algorithm(self) -> str: ...
    @property
    def canonicalization(self) -> str: ...
    @property
    def trust(self) -> str: ...
    @property
    def trusted(self) -> bool: ...
    @property
    def signer(self) -> Optional[Certificate]: ...
    @property
    def chain(self) -> List[Certificate]: ...
    @property
    def document_element(self) -> str: ...
    @property
    def references(self) -> List[Dict[str, Any]]: ...
def verify_xades_all(
    xml: bytes,
    *,
    trust: Optional[_Trust] = None,
    signer_certificate: Optional[_CertificateLike] = None,
    at: Optional[datetime.datetime] = None,
    max_clock_skew: Optional[datetime.timedelta] = None,
    accept_legacy: bool = True,
    allow_legacy_algorithms: bool = False,
    tsa_trust: Optional[_Trust] = None,
    revocation: Optional[RevocationChecker] = None,
) -> List[VerificationReport]: ...
def inspect_pfx(
    data: bytes, password: Optional[str], *, max_iterations: Optional[int] = None
) -> PfxInfo: ...
@final
class PfxInfo:
    """What a PKCS#12 file is made of."""

    @property
    def is_legacy(self) -> bool: ...
    @property
    def integrity_protected(self) -> bool: ...
    @property
    def mac_digest(self) -> Optional[str]: ...
    @property
    def mac_iterations(self) -> Optional[int]: ...
    @property
    def encryptions(self) -> List[Dict[str, Any]]: ...
    @property
    def key_count(self) -> int: ...
    @property
    def certificates(self) -> List[Certificate]: ...
    @property
    def skipped(self) -> List[Tuple[str, str]]: ...
def check_certificates(
    sources: Union[
        str,
        os.PathLike[str],
        Certificate,
        Iterable[Union[str, os.PathLike[str], Certificate, Tuple[str, Certificate]]],
    ],
    *,
    password: Optional[str] = None,
    at: Optional[datetime.datetime] = None,
    renewal_window_days: Optional[int] = None,
    warning_days: Optional[int] = None,
    recursive: bool = False,
    revocation: Optional[RevocationChecker] = None,
    issuers: Optional[Sequence[_CertificateLike]] = None,
) -> CertificateSummary: ...
@final
class CertificateSummary:
    """Many certificates judged at one instant: the result of ``check_certificates``."""

    @property
    def rows(self) -> List[CertificateSummaryRow]: ...
    @property
    def worst(self) -> Literal["OK", "WARNING", "CRITICAL", "UNKNOWN"]: ...
    @property
    def exit_code(self) -> Literal[0, 1, 2, 3]: ...
    @property
    def at(self) -> datetime.datetime: ...
    @property
    def renewal_window_days(self) -> int: ...
    @property
    def warning_days(self) -> int: ...
    def to_json(self) -> str: ...
    def to_prometheus(self) -> str: ...
    def to_table(self) -> str: ...
    def __len__(self) -> int: ...

@final
class CertificateSummaryRow:
    """One row of a ``CertificateSummary``: a certificate, or a source that could not be read."""

    @property
    def source(self) -> str: ...
    @property
    def status(
        self,
    ) -> Literal["valid", "renewal-window", "expiring", "expired", "not-yet-valid", "unreadable"]: ...
    @property
    def monitor_status(self) -> Literal["OK", "WARNING", "CRITICAL", "UNKNOWN"]: ...
    @property
    def certificate(self) -> Optional[Certificate]: ...
    @property
    def subject(self) -> Optional[str]: ...
    @property
    def pesel(self) -> Optional[str]: ...
    @property
    def serial_hex(self) -> Optional[str]: ...
    @property
    def not_after(self) -> Optional[datetime.datetime]: ...
    @property
    def days_left(self) -> Optional[int]: ...
    @property
    def integrity_protected(self) -> Optional[bool]: ...
    @property
    def revocation(self) -> Optional[Literal["revoked", "not-revoked", "unknown"]]: ...
    @property
    def revoked_at(self) -> Optional[datetime.datetime]: ...
    @property
    def revocation_detail(self) -> Optional[str]: ...
    @property
    def error_code(self) -> Optional[int]: ...
    @property
    def error_name(self) -> Optional[str]: ...
    @property
    def error_message(self) -> Optional[str]: ...

@final
class Problem:
    """One problem found in an e-ZLA document."""

    @property
    def path(self) -> str: ...
    @property
    def element(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def severity(self) -> Literal["error", "warning"]: ...
    @property
    def is_error(self) -> bool: ...
    @property
    def rule(self) -> str: ...
    @property
    def inferred(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Zla:
    """An e-ZLA certificate: the model both documents of the pair are written from."""

    @staticmethod
    def from_json(text: str) -> Zla: ...
    @staticmethod
    def from_dict(data: Any) -> Zla: ...
    @staticmethod
    def from_xml(xml: bytes) -> Tuple[Zla, Literal["oryginal", "kopia"]]: ...
    @staticmethod
    def from_pair(oryginal: bytes, kopia: bytes) -> Zla: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def validate(self, today: Optional[datetime.date] = None) -> List[Problem]: ...
    def is_valid(self, today: Optional[datetime.date] = None) -> bool: ...
    def to_xml(
        self,
        *,
        kopia: bool = False,
        today: Optional[datetime.date] = None,
        data_wystawienia: Optional[datetime.date] = None,
        producent: Optional[str] = None,
        symbol: Optional[str] = None,
        wersja: Optional[str] = None,
    ) -> bytes: ...
    def to_xml_pair(
        self,
        *,
        today: Optional[datetime.date] = None,
        data_wystawienia: Optional[datetime.date] = None,
        producent: Optional[str] = None,
        symbol: Optional[str] = None,
        wersja: Optional[str] = None,
    ) -> Tuple[bytes, bytes]: ...
    def oryginal_xml(
        self,
        *,
        today: Optional[datetime.date] = None,
        data_wystawienia: Optional[datetime.date] = None,
        producent: Optional[str] = None,
        symbol: Optional[str] = None,
        wersja: Optional[str] = None,
    ) -> bytes: ...
    def kopia_xml(
        self,
        *,
        today: Optional[datetime.date] = None,
        data_wystawienia: Optional[datetime.date] = None,
        producent: Optional[str] = None,
        symbol: Optional[str] = None,
        wersja: Optional[str] = None,
    ) -> bytes: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Tuple[Any, Tuple[str]]: ...

def check_zla(xml: bytes, *, today: Optional[datetime.date] = None) -> List[Problem]: ...

@final
class Azla:
    """A cancellation (AZLA) of an issued certificate (provisional layout)."""

    @staticmethod
    def from_json(text: str) -> Azla: ...
    @staticmethod
    def from_dict(data: Any) -> Azla: ...
    @staticmethod
    def for_zla(
        zla: Zla, *, przyczyna: str, lekarz: Any, data: Optional[datetime.date] = None
    ) -> Azla: ...
    @staticmethod
    def from_xml(xml: bytes) -> Azla: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def validate(self, today: Optional[datetime.date] = None) -> List[Problem]: ...
    def to_xml(
        self,
        *,
        today: Optional[datetime.date] = None,
        producent: Optional[str] = None,
        symbol: Optional[str] = None,
        wersja: Optional[str] = None,
    ) -> bytes: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> Tuple[Any, Tuple[str]]: ...

def split_period(
    start: datetime.date, end: datetime.date, issue_date: datetime.date
) -> List[Tuple[Literal["wsteczne", "biezace"], datetime.date, datetime.date]]: ...
def plan_zla(
    template: Zla, payers: Optional[Iterable[Any]] = None
) -> List[Tuple[Literal["wsteczne", "biezace"], Zla]]: ...

# ---- ezla.zus (re-exported there: ezla.zus.Client is ZusClient) ---------------------------

_DocumentKind = Literal["ORYGINAL", "KOPIA", "AZLA"]
_RodzajDokumentu = Literal["ZLA", "KOPIA_ZLA", "AZLA", "UZLA", "ORYGINAL", "KOPIA"]
_PathLike = Union[str, "os.PathLike[str]"]

@final
class BladWalidacji:
    """One finding of ZUS's validation of a document (*BladWalidacji*), verbatim."""

    @property
    def nr_ref(self) -> List[str]: ...
    @property
    def rodzaj(self) -> Literal["BLAD", "OSTRZEZENIE"]: ...
    @property
    def is_error(self) -> bool: ...
    @property
    def kod(self) -> str: ...
    @property
    def opis(self) -> str: ...
    @property
    def lokalizacja(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Receipted:
    """A document handed to ZUS and receipted."""

    @property
    def seria_numer(self) -> str: ...
    @property
    def kind(self) -> _DocumentKind: ...
    @property
    def signed(self) -> bytes: ...
    @property
    def upp(self) -> bytes: ...

@final
class IssuedCertificate:
    """One certificate issued: its payer and its receipted ORYGINAŁ and KOPIA."""

    @property
    def rodzaj(self) -> Literal["wsteczne", "biezace"]: ...
    @property
    def platnik(self) -> Dict[str, Any]: ...
    @property
    def oryginal(self) -> Receipted: ...
    @property
    def kopia(self) -> Receipted: ...
    @property
    def seria_numer(self) -> str: ...

@final
class IssueReport:
    """What `Client.issue` did."""

    @property
    def certificates(self) -> List[IssuedCertificate]: ...
    @property
    def warnings(self) -> List[BladWalidacji]: ...
    @property
    def documents(self) -> List[Receipted]: ...
    def __len__(self) -> int: ...

@final
class ZusClient:
    """A client of the ZUS channel (exported as `ezla.zus.Client`)."""

    def __new__(
        cls,
        endpoint: str,
        *,
        ca_pem: Optional[bytes] = None,
        server_name: Optional[str] = None,
        user: str = "ezla_ag",
        password: str = "ezla_ag",
        namespace: Literal["zus.pl", "zus.gov.pl"] = "zus.pl",
        connect_timeout: float = 10.0,
        response_timeout: float = 60.0,
        journal: Optional[_PathLike] = None,
        npwz: Optional[str] = None,
        retry_attempts: int = 3,
        retry_base_delay: float = 0.25,
    ) -> ZusClient: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def session_id(self) -> Optional[str]: ...
    def login(self, signer: _Signer) -> str: ...
    def statement(self) -> bytes: ...
    def login_signed(
        self, signed: bytes, method: Literal["certyfikat", "ePuap"] = "certyfikat"
    ) -> str: ...
    def logout(self) -> None: ...
    def doctor(self) -> Optional[Dict[str, Any]]: ...
    def places_of_work(self) -> List[Dict[str, Any]]: ...
    def patient(self, pesel: str, context: str = "WystawienieZla") -> Optional[Dict[str, Any]]: ...
    def payers(self, pesel: str) -> List[Dict[str, Any]]: ...
    def family(self, pesel: str, context: str = "WystawienieZla") -> List[Dict[str, Any]]: ...
    def reserve_number(self) -> Dict[str, Optional[str]]: ...
    def validate(
        self, documents: Iterable[Union[bytes, Tuple[str, bytes]]]
    ) -> List[BladWalidacji]: ...
    def send(self, documents: Iterable[Tuple[_DocumentKind, str, bytes]]) -> List[Receipted]: ...
    def issue(
        self, zla: Zla, signer: _Signer, today: Optional[datetime.date] = None
    ) -> IssueReport: ...
    def resume(self, session_id: str) -> None: ...
    def may_issue_on(self, day: Optional[datetime.date] = None) -> Optional[bool]: ...
    def letter_codes(
        self, pesel: str, start: datetime.date, icd10: str
    ) -> Dict[str, Optional[bool]]: ...
    def dictionary(
        self, name: Literal["cancellation", "invalidation", "kinship"]
    ) -> List[Tuple[str, str]]: ...
    def cancel(
        self,
        seria_numer: str,
        reason: str,
        signer: _Signer,
        today: Optional[datetime.date] = None,
    ) -> Receipted: ...
    def document(self, kind: _RodzajDokumentu, seria_numer: str) -> Optional[bytes]: ...
    def receipt(self, kind: _RodzajDokumentu, seria_numer: str) -> Optional[bytes]: ...
    def reconcile(self) -> Dict[str, List[Tuple[_DocumentKind, str]]]: ...
    def __enter__(self) -> ZusClient: ...
    def __exit__(self, *_args: object) -> None: ...

# ---- ezla.wk (re-exported there: ezla.wk.ServiceProvider is WkServiceProvider) ------------

_Environment = Literal[
    "production", "production-private", "integration", "integration-private", "simulator"
]
_Loa = Literal["low", "substantial", "high"]
_Post = Callable[[str, bytes, Dict[str, str]], Tuple[int, bytes]]

@final
class WkConfig:
    """A login.gov.pl service provider's configuration (exported as `ezla.wk.Config`)."""

    def __new__(
        cls,
        environment: _Environment,
        entity_id: str,
        acs_url: str,
        *,
        signing_key: PrivateKey,
        signing_certificate: Certificate,
        encryption_key: PrivateKey,
        encryption_certificate: Certificate,
        wk_certificates: List[Certificate],
        loa: str = "substantial",
        provider_name: Optional[str] = None,
        sp_type: Optional[Literal["public", "private"]] = None,
        base_url: Optional[str] = None,
        issuer: Optional[str] = None,
        sso_url: Optional[str] = None,
        destination: Optional[str] = None,
        clock_skew: float = 180.0,
        request_lifetime: float = 900.0,
        force_authn: bool = True,
    ) -> WkConfig: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def acs_url(self) -> str: ...
    @property
    def loa(self) -> _Loa: ...
    @property
    def sso_url(self) -> str: ...
    @property
    def artifact_resolution_url(self) -> str: ...
    @property
    def single_logout_url(self) -> str: ...
    @property
    def issuer(self) -> str: ...
    def metadata(self) -> bytes: ...

@final
class WkLogin:
    """A started login: the signed AuthnRequest (exported as `ezla.wk.Login`)."""

    @property
    def request_id(self) -> str: ...
    @property
    def relay_state(self) -> str: ...
    @property
    def xml(self) -> bytes: ...
    @property
    def sso_url(self) -> str: ...
    @property
    def saml_request(self) -> str: ...
    @property
    def html_form(self) -> str: ...
    @property
    def issued(self) -> datetime.datetime: ...
    @property
    def expires(self) -> datetime.datetime: ...

@final
class WkIdentity:
    """The person login.gov.pl vouches for (exported as `ezla.wk.Identity`)."""

    @property
    def pesel(self) -> str: ...
    @property
    def given_name(self) -> str: ...
    @property
    def family_name(self) -> str: ...
    @property
    def birth_date(self) -> datetime.date: ...
    @property
    def loa(self) -> _Loa: ...
    @property
    def loa_uri(self) -> str: ...
    @property
    def authenticating_authorities(self) -> List[str]: ...
    @property
    def means(self) -> Optional[str]: ...
    @property
    def name_id(self) -> str: ...
    @property
    def name_id_format(self) -> Optional[str]: ...
    @property
    def session_index(self) -> Optional[str]: ...
    @property
    def authn_instant(self) -> Optional[datetime.datetime]: ...
    @property
    def assertion_id(self) -> str: ...
    @property
    def not_on_or_after(self) -> datetime.datetime: ...

@final
class WkServiceProvider:
    """A login.gov.pl service provider (exported as `ezla.wk.ServiceProvider`)."""

    def __new__(
        cls,
        config: WkConfig,
        *,
        store: Optional[_PathLike] = None,
        post: Optional[_Post] = None,
        ca_pem: Optional[bytes] = None,
        connect_timeout: float = 10.0,
        response_timeout: float = 30.0,
    ) -> WkServiceProvider: ...
    @property
    def config(self) -> WkConfig: ...
    def login(self, *, now: Optional[datetime.datetime] = None) -> WkLogin: ...
    def handle_artifact(
        self, artifact: str, relay_state: str, *, now: Optional[datetime.datetime] = None
    ) -> WkIdentity: ...
    def logout(
        self, identity: WkIdentity, *, now: Optional[datetime.datetime] = None
    ) -> None: ...
    def metadata(self) -> bytes: ...

def wk_authn_request(
    config: WkConfig, *, now: Optional[datetime.datetime] = None
) -> WkLogin: ...
def wk_process_artifact_response(
    config: WkConfig,
    response: bytes,
    authn_request_id: str,
    *,
    artifact_resolve_id: Optional[str] = None,
    now: Optional[datetime.datetime] = None,
) -> WkIdentity: ...
def _wk_artifact_response(
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
) -> bytes: ...
def _wk_logout_response(
    config: WkConfig,
    wk_key: PrivateKey,
    wk_certificate: Certificate,
    in_response_to: str,
    *,
    now: Optional[datetime.datetime] = None,
) -> bytes: ...
