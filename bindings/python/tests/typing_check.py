"""Type-checked with `mypy --strict` by scripts/test-python.sh (not a pytest module): the
stubs describe the public API precisely enough for strictly typed callers."""

from __future__ import annotations

import datetime
from typing import List, Optional

import ezla
from ezla.testing import TestCa, make_test_ca, make_test_doctor


def strictly_typed_use(document: bytes) -> List[str]:
    ca: TestCa = make_test_ca(days=30)
    doctor: ezla.Identity = make_test_doctor(ca, key_type="p256")
    pfx: bytes = doctor.to_pfx("pw", iterations=2048)
    opened = ezla.Identity.from_pfx(pfx, "pw", max_iterations=10_000)
    cert: ezla.Certificate = opened.certificate
    not_after: datetime.datetime = cert.not_after
    status: ezla.CertificateStatus = cert.status(not_after, renewal_window_days=30)
    days: int = status.days_left
    pesel: Optional[str] = cert.pesel
    summary = ezla.check_certificates(["certs", ("the doctor", cert), cert], warning_days=30)
    row: ezla.CertificateSummaryRow = summary.rows[0]
    left: Optional[int] = row.days_left
    exit_code: int = summary.exit_code
    metrics: str = summary.to_prometheus()
    signed: bytes = ezla.sign_xades(document, opened, profile="xades-bes", include_chain=True)
    external = ezla.ExternalSigner(cert, lambda algorithm, message: b"", chain=[ca.certificate])
    ezla.sign_xmldsig(document, external)
    report: ezla.VerificationReport = ezla.verify_xades(signed, trust=[ca.certificate, b"..."])
    store = ezla.TrustStore.from_file("ca.pem")
    ezla.verify_xmldsig(signed, trust=store)
    when: Optional[datetime.datetime] = report.signing_time
    # The profile a report names is one sign_xades accepts (Literal types in the stubs).
    again = ezla.sign_xades(document, opened, profile=report.profile, signing_certificate="v2")
    try:
        ezla.sign_xades(again, external, allow_cosigning=True)
    except ezla.SigningFailed as e:
        return [e.name]
    except ezla.InvalidDigest as e:  # a former name: an alias of DigestMismatch
        return [e.name]
    key = ezla.PrivateKey.generate()
    csr = ezla.CertificateRequest.create(key, given_name="A", surname="B", pesel=pesel)
    issued: ezla.Certificate = ca.issue_for_request(csr, days=days)
    try:
        ezla.Identity.from_file("x.pfx", None)
    except ezla.BadPassword as e:
        code: int = e.code
        return [str(code)]
    except ezla.CertificateExpired as e:
        expired_at: Optional[datetime.datetime] = e.not_after
        return [str(expired_at)]
    zla = ezla.Zla.from_dict({"ubezpieczony": {"pesel": pesel}})
    problems: List[ezla.Problem] = zla.validate(datetime.date(2026, 12, 1))
    errors = [p.path for p in problems if p.severity == "error"]
    oryginal: bytes = zla.oryginal_xml(today=datetime.date(2026, 12, 1))
    back, wariant = ezla.Zla.from_xml(oryginal)
    try:
        back.kopia_xml()
    except ezla.ValidationError as e:
        errors += [p.rule for p in e.errors]
    return [report.signer.subject, str(when), issued.subject, wariant, *report.chain, *errors]


def strictly_typed_zus(url: str, ca_pem: bytes, doctor: ezla.Identity, zla: ezla.Zla) -> List[str]:
    import ezla.zus

    with ezla.zus.Client(url, ca_pem=ca_pem, journal="journal.sqlite",
                         namespace="zus.gov.pl", response_timeout=30.0) as zus:
        session: str = zus.login(doctor)
        try:
            report: ezla.zus.IssueReport = zus.issue(zla, doctor, today=datetime.date(2026, 12, 1))
        except ezla.ZusError as e:
            findings: List[ezla.zus.BladWalidacji] = e.problems
            return [f"{p.kod} {p.opis} {p.lokalizacja}" for p in findings] + [str(e.zus_code)]
        sent: List[ezla.zus.Receipted] = zus.send(
            [("ORYGINAL", d.seria_numer, d.signed) for d in report.documents])
        upp: Optional[bytes] = zus.receipt("KOPIA_ZLA", report.certificates[0].seria_numer)
        settled = zus.reconcile()
        return [session, *(d.kind for d in sent), str(upp), *map(str, settled["found"])]
