"""ezla.zus.Client against the simulator (``ezla-sim serve --tls``) in a temporary directory.

The simulator binary is ``$EZLA_SIM``, or ``ezla-sim`` in ``$CARGO_TARGET_DIR/debug`` or
``target/debug`` (``scripts/test-python.sh`` builds it). Without it these tests skip with a
notice, unless ``EZLA_REQUIRE_TOOLS=1``.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import sqlite3
import subprocess
import threading
import time
from typing import Iterator, List

import pytest

import ezla
import ezla.zus
from conftest import REPO, VECTORS

DOCTOR_PESEL = "02271409867"
PATIENT_PESEL = "44051401359"
PFX_PASSWORD = "sim-hasło"
TODAY = datetime.date(2026, 12, 1)
EXAMPLE = REPO / "crates" / "ezla-cli" / "examples" / "zla.json"
WSDL = VECTORS / "ezla" / "zus_channel_gabinetowe_zla_2018.wsdl"


def simulator_binary() -> pathlib.Path:
    candidates = []
    if os.environ.get("EZLA_SIM"):
        candidates.append(pathlib.Path(os.environ["EZLA_SIM"]))
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(pathlib.Path(os.environ["CARGO_TARGET_DIR"]) / "debug" / "ezla-sim")
    candidates.append(REPO / "target" / "debug" / "ezla-sim")
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    message = f"the simulator is not built (looked for {', '.join(map(str, candidates))})"
    if os.environ.get("EZLA_REQUIRE_TOOLS") == "1":
        pytest.fail(message + "; EZLA_REQUIRE_TOOLS=1")
    print(f"note: {message}; skipping the ezla.zus tests")
    pytest.skip(message)


class Simulator:
    def __init__(self, binary: pathlib.Path, state: pathlib.Path) -> None:
        self.state = state
        args = [str(binary), "serve", "--state", str(state), "--tls"]
        if WSDL.exists():
            args += ["--wsdl", str(WSDL)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise RuntimeError(f"ezla-sim did not start: {line!r} {self.process.stderr!r}")
        self.url = line.split("listening on", 1)[1].strip()
        assert (state / "url").read_text().strip() == self.url
        self.ca_pem = (state / "tls-ca.pem").read_bytes()
        pfx = state / "anna.pfx"
        added = subprocess.run(
            [str(binary), "doctor", "add", "--state", str(state), "--pesel", DOCTOR_PESEL,
             "--given-name", "Anna", "--surname", "Nowak", "--npwz", "5425740", "-o", str(pfx),
             "--password-env", "EZLA_PFX_PASSWORD"],
            env=dict(os.environ, EZLA_PFX_PASSWORD=PFX_PASSWORD), capture_output=True,
            text=True, timeout=60)
        assert added.returncode == 0, added.stderr
        self.doctor = ezla.Identity.from_file(pfx, PFX_PASSWORD)
        #: The simulator's document CA (it signs the receipts).
        self.document_ca = ezla.Certificate.from_pem((state / "ca" / "ca.crt").read_bytes())

    def client(self, **kwargs) -> ezla.zus.Client:
        return ezla.zus.Client(self.url, ca_pem=self.ca_pem, **kwargs)

    def faults(self, faults: List[dict]) -> None:
        (self.state / "faults.json").write_text(json.dumps({"faults": faults}))
        time.sleep(0.05)  # the simulator notices the file by its modification time

    def session_closed(self, session_id: str) -> bool:
        with sqlite3.connect(self.state / "zus.sqlite") as db:
            row = db.execute("SELECT closed FROM sessions WHERE id = ?", (session_id,)).fetchone()
        assert row is not None, "the simulator has no such session"
        return bool(row[0])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Iterator[Simulator]:
    s = Simulator(simulator_binary(), tmp_path_factory.mktemp("ezla-sim"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def template() -> ezla.Zla:
    return ezla.Zla.from_json(EXAMPLE.read_text(encoding="utf-8"))


def test_the_example_is_issued_and_receipted(sim, template, tmp_path):
    journal = tmp_path / "journal.sqlite"
    with sim.client(journal=journal) as zus:
        report = zus.issue(template, sim.doctor, today=TODAY)
        assert zus.session_id is not None, "issue logs in"
        assert len(report) == 1 and len(report.certificates) == 1
        cert = report.certificates[0]
        assert cert.rodzaj == "biezace"
        assert cert.platnik == {"rodzaj": "nip", "identyfikator": "1234563218"}
        assert [d.kind for d in report.documents] == ["ORYGINAL", "KOPIA"]
        assert cert.oryginal.seria_numer == cert.kopia.seria_numer == cert.seria_numer
        # ZUS's numbering replaced the template's ZX0000001.
        assert cert.seria_numer != "ZX0000001" and len(cert.seria_numer) == 9
        for doc in report.documents:
            # The receipt is signed by the simulated ZUS and names the document.
            upp = ezla.verify_xades(doc.upp, trust=[sim.document_ca])
            assert "UPP" in upp.signer.subject
            assert f"<SeriaNumer>{doc.seria_numer}</SeriaNumer>".encode() in doc.upp
            # The signed document is the doctor's, and reads back as the template's patient.
            signed = ezla.verify_xades(doc.signed, trust=[sim.document_ca])
            assert signed.signer.pesel == DOCTOR_PESEL
            model, wariant = ezla.Zla.from_xml(doc.signed)
            assert wariant == doc.kind.lower()
            assert model.to_dict()["ubezpieczony"]["pesel"] == PATIENT_PESEL
        # Read back from ZUS: the same bytes and receipts.
        assert zus.document("ZLA", cert.seria_numer) == cert.oryginal.signed
        assert zus.receipt("KOPIA_ZLA", cert.seria_numer) == cert.kopia.upp
        assert zus.receipt("KOPIA", cert.seria_numer) == cert.kopia.upp
        # Sending again is answered from the journal: the same receipt, nothing sent twice.
        again = zus.send([("ORYGINAL", cert.seria_numer, cert.oryginal.signed)])
        assert [r.upp for r in again] == [cert.oryginal.upp]
        assert zus.reconcile() == {"found": [], "resent": [], "refused": []}
    # The journal file holds both documents.
    with sqlite3.connect(journal) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert tables, "the journal has its tables"
    reopened = sim.client(journal=journal)
    reopened.login(sim.doctor)
    assert [r.upp for r in reopened.send([("KOPIA", cert.seria_numer, cert.kopia.signed)])] \
        == [cert.kopia.upp]
    reopened.logout()


def test_a_certificate_is_cancelled_once(sim, template, tmp_path):
    with sim.client(journal=tmp_path / "journal.sqlite") as zus:
        cert = zus.issue(template, sim.doctor, today=TODAY).certificates[0]
        azla = zus.cancel(cert.seria_numer, "U", sim.doctor, today=datetime.date(2026, 12, 2))
        assert azla.kind == "AZLA" and azla.seria_numer == cert.seria_numer
        assert b"<RodzajDokumentu>AZLA</RodzajDokumentu>" in azla.upp
        ezla.verify_xades(azla.upp, trust=[sim.document_ca])
        with pytest.raises(ezla.ZusError) as refused:
            zus.cancel(cert.seria_numer, "U", sim.doctor)
        assert refused.value.name == "ZusNotAllowed"
        with pytest.raises(ezla.EzlaError):
            zus.cancel(cert.seria_numer, "Q", sim.doctor)


def test_look_ups_dictionaries_and_resume(sim):
    with sim.client() as zus:
        zus.login(sim.doctor)
        assert zus.may_issue_on(datetime.date(2026, 12, 1)) is True
        assert zus.letter_codes(PATIENT_PESEL, datetime.date(2026, 11, 28), "A15") == {
            "A": False,
            "D": True,
        }
        reasons = dict(zus.dictionary("cancellation"))
        assert len(reasons) == 9 and "U" in reasons
        assert ("1", "dziecko") in zus.dictionary("kinship")
        with pytest.raises(ezla.EzlaError):
            zus.dictionary("nothing")  # type: ignore[arg-type]
        session = zus.session_id
        assert session is not None
        other = sim.client()
        other.resume(session)
        assert other.doctor() is not None, "a resumed session is the same session"


def test_a_send_whose_answer_is_lost_is_settled_by_reconcile(sim, template, tmp_path):
    journal = tmp_path / "journal.sqlite"
    sim.faults([{"kind": "drop_response",
                 "soap_action": "zus_channel_zla_Binder_wyslijDokumenty", "count": 1}])
    try:
        with sim.client(journal=journal) as zus:
            with pytest.raises(ezla.TransportError) as caught:
                zus.issue(template, sim.doctor, today=TODAY)
            assert isinstance(caught.value, OSError)
    finally:
        sim.faults([])
    # Another process, the same journal: ZUS has both documents, nothing is sent again.
    with sim.client(journal=journal) as zus:
        zus.login(sim.doctor)
        settled = zus.reconcile()
        assert sorted(kind for kind, _ in settled["found"]) == ["KOPIA", "ORYGINAL"]
        assert settled["resent"] == [] and settled["refused"] == []
        (_, seria_numer), _ = settled["found"]
        assert zus.receipt("ZLA", seria_numer) is not None
        assert zus.reconcile() == {"found": [], "resent": [], "refused": []}


def test_look_ups(sim):
    with sim.client() as zus:
        session = zus.login(sim.doctor)
        assert session == zus.session_id
        doctor = zus.doctor()
        assert doctor is not None
        assert (doctor["imie"], doctor["nazwisko"]) == ("Anna", "Nowak")
        assert doctor["numer_prawa_wykonywania_zawodu"] == "5425740"
        places = zus.places_of_work()
        assert places and all(isinstance(p["nip"], (str, type(None))) for p in places)
        patient = zus.patient(PATIENT_PESEL)
        assert patient is not None and patient["nazwisko"] == "Kowalski"
        payers = zus.payers(PATIENT_PESEL)
        assert "1234563218" in [p["nip"] for p in payers]
        family = zus.family(PATIENT_PESEL)
        assert all(isinstance(m["data_urodzenia"], datetime.date) for m in family)
        first, second = zus.reserve_number(), zus.reserve_number()
        assert first["seria_numer"] != second["seria_numer"]
        assert first["seria_numer"] == first["seria"] + first["numer"]
        assert first["id_oryginal"] and first["id_kopia"]
        statement = zus.statement()
        assert statement.startswith(b"<") and b"Oswiadczenie" in statement
        with pytest.raises(ezla.InvalidInput):
            zus.patient("12345678901")
        with pytest.raises(ezla.InvalidInput):
            zus.document("ZLA", "zy1")


def test_a_validation_refusal_carries_every_finding(sim, template):
    # The template's ZX0000001 was never reserved for this doctor: ZUS refuses it.
    signed = ezla.sign_xades(template.to_xml(today=TODAY), sim.doctor)
    with sim.client() as zus:
        zus.login(sim.doctor)
        with pytest.raises(ezla.ZusError) as caught:
            zus.validate([("o1", signed)])
    e = caught.value
    assert (e.code, e.name) == (604, "ZusValidationRefused")
    assert e.problems and e.errors == e.problems
    p = e.problems[0]
    assert isinstance(p, ezla.zus.BladWalidacji)
    assert (p.rodzaj, p.nr_ref, p.is_error) == ("BLAD", ["o1"], True)
    assert p.kod == "186" and "ZX0000001" in p.opis
    assert p.lokalizacja == "/KEDU/ZUSZLA/I/p1"
    assert p.to_dict() == {"nr_ref": ["o1"], "rodzaj": "BLAD", "kod": "186", "opis": p.opis,
                           "lokalizacja": "/KEDU/ZUSZLA/I/p1"}
    assert p.opis in str(e)


def test_a_certificate_from_another_ca_is_refused_with_zus_words(sim, other_ca):
    stranger = ezla.testing.make_test_doctor(other_ca, given_name="Anna", surname="Nowak",
                                             pesel=DOCTOR_PESEL)
    zus = sim.client()
    with pytest.raises(ezla.ZusError) as caught:
        zus.login(stranger)
    e = caught.value
    assert e.name in ("ZusLoginRefused", "ZusFault"), e
    assert e.zus_code, "ZUS's own code is kept"
    assert e.zus_text and e.zus_text in str(e)
    assert zus.session_id is None


def test_a_server_certificate_from_another_ca_is_a_transport_error(sim, other_ca):
    zus = ezla.zus.Client(sim.url, ca_pem=other_ca.certificate.to_pem())
    with pytest.raises(ezla.TransportError) as caught:
        zus.login(sim.doctor)
    assert isinstance(caught.value, OSError)
    assert caught.value.name == "TlsCertificateUntrusted"
    assert caught.value.code == 821


def test_the_context_manager_logs_out(sim):
    with sim.client() as zus:
        session = zus.login(sim.doctor)
        assert not sim.session_closed(session)
    assert zus.session_id is None
    assert sim.session_closed(session)
    with pytest.raises(ezla.InvalidInput, match="not logged in"):
        zus.doctor()
    # Also when the block raises: the exception propagates, the session ends.
    with pytest.raises(KeyError):
        with sim.client() as zus:
            session = zus.login(sim.doctor)
            raise KeyError("boom")
    assert sim.session_closed(session)


def test_a_client_collected_while_logged_in_logs_out(sim):
    import gc

    zus = sim.client()
    session = zus.login(sim.doctor)
    del zus
    gc.collect()
    assert sim.session_closed(session)


def test_an_external_signer_logs_in_and_its_exception_propagates(sim):
    key = sim.doctor.private_key
    calls = []

    def sign(algorithm: str, message: bytes) -> bytes:
        calls.append(algorithm)
        return key.sign(message, algorithm)

    signer = ezla.ExternalSigner(sim.doctor.certificate, sign)
    with sim.client() as zus:
        zus.login(signer)
        assert calls == ["RSA-SHA256"]
        assert zus.doctor() is not None

    class TokenRemoved(Exception):
        pass

    def broken(algorithm: str, message: bytes) -> bytes:
        raise TokenRemoved("the card was pulled out")

    with pytest.raises(TokenRemoved):
        sim.client().login(ezla.ExternalSigner(sim.doctor.certificate, broken))


def test_login_with_a_statement_signed_elsewhere(sim):
    with sim.client() as zus:
        statement = zus.statement()
        signed = ezla.sign_xades(statement, sim.doctor)
        session = zus.login_signed(signed)
        assert zus.session_id == session
        assert zus.doctor() is not None
        with pytest.raises(ezla.InvalidInput):
            zus.login_signed(signed, method="sms")  # type: ignore[arg-type]


def test_two_threads_use_two_clients_at_once_without_holding_the_gil(sim):
    # Every pobierzDaneLekarza takes 1.5 s at the simulator: two clients doing one each in
    # two threads finish in about 1.5 s (not 3 s), and meanwhile this thread keeps running.
    delay = 1.5
    clients = [sim.client(), sim.client()]
    for c in clients:
        c.login(sim.doctor)
    sim.faults([{"kind": "latency", "ms": int(delay * 1000),
                 "soap_action": "zus_channel_zla_Binder_pobierzDaneLekarza"}])
    try:
        results: dict = {}
        barrier = threading.Barrier(3)

        def work(i: int) -> None:
            barrier.wait()
            t0 = time.perf_counter()
            results[i] = (clients[i].doctor(), time.perf_counter() - t0)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        barrier.wait()
        start = last = time.perf_counter()
        stall = 0.0
        while any(t.is_alive() for t in threads):
            time.sleep(0.001)
            now = time.perf_counter()
            stall, last = max(stall, now - last), now
        elapsed = time.perf_counter() - start
        for t in threads:
            t.join()
    finally:
        sim.faults([])
    assert sorted(results) == [0, 1]
    for doctor, took in results.values():
        assert doctor is not None and doctor["nazwisko"] == "Nowak"
        assert took >= delay * 0.9
    assert elapsed < delay * 1.8, f"the two calls ran one after the other ({elapsed:.2f} s)"
    assert stall < delay / 3, f"this thread was stalled {stall:.2f} s: the GIL was held"
    for c in clients:
        c.logout()


def test_options_are_checked(sim):
    with pytest.raises(ezla.InvalidInput):
        ezla.zus.Client(sim.url, namespace="zus.example")  # type: ignore[arg-type]
    with pytest.raises(ezla.InvalidInput):
        ezla.zus.Client(sim.url, connect_timeout=0)
    gov = ezla.zus.Client(sim.url, ca_pem=sim.ca_pem, namespace="zus.gov.pl",
                          connect_timeout=2.5, response_timeout=5)
    assert gov.endpoint == sim.url and gov.session_id is None
    assert "logged_in=False" in repr(gov)


def test_retry_attempts_are_what_the_option_says(tmp_path):
    # A server that answers every request with HTTP 503: look-ups are retried on it (ZUS
    # could not answer), so it sees exactly `retry_attempts` requests per look-up.
    import http.server
    import threading

    seen: list[str] = []

    class Unavailable(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            length = int(self.headers.get("Content-Length", "0"))
            self.rfile.read(length)
            seen.append(self.headers.get("SOAPAction", ""))
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/ws"
    try:
        for attempts, want in ((1, 1), (3, 3)):
            seen.clear()
            client = ezla.zus.Client(url, retry_attempts=attempts, retry_base_delay=0)
            client.resume("0123456789abcdef")
            with pytest.raises(ezla.TransportError):
                client.payers("44051401359")
            assert len(seen) == want, (attempts, seen)
            assert all("pobierzPlatnikowUbezpieczonego" in a for a in seen)
            del client
        with pytest.raises(ezla.InvalidInput):
            ezla.zus.Client(url, retry_attempts=0)
        with pytest.raises(ezla.InvalidInput):
            ezla.zus.Client(url, retry_base_delay=-1.0)
    finally:
        server.shutdown()
        server.server_close()
