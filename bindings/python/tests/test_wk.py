"""ezla.wk: the login.gov.pl service provider, over responses made by the core's emulator
(``ezla.testing.make_wk_artifact_response``) through a fake login.gov.pl transport, and over
the 2018 simulator capture with its published key."""

from __future__ import annotations

import base64
import datetime
import re
from typing import Dict, List, Optional, Tuple

import pytest

import ezla
import ezla.wk
from conftest import VECTORS
from ezla.testing import make_test_doctor, make_wk_artifact_response, make_wk_logout_response

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ENTITY = "https://sp.example/wk"
ACS = "https://sp.example/wk/acs"
SIM = VECTORS / "wk" / "symulator-2018"


@pytest.fixture(scope="module")
def keys(ca) -> Dict[str, ezla.Identity]:
    """P-256 keys with certificates: our signing and encryption keys, login.gov.pl's, and
    another party's."""
    return {
        name: make_test_doctor(ca, surname=name, key_type="p256")
        for name in ("sig", "enc", "wk", "other")
    }


def make_config(keys, *, wk: str = "wk", **options) -> ezla.wk.Config:
    return ezla.wk.Config(
        "integration", ENTITY, ACS,
        signing_key=keys["sig"].private_key, signing_certificate=keys["sig"].certificate,
        encryption_key=keys["enc"].private_key,
        encryption_certificate=keys["enc"].certificate,
        wk_certificates=[keys[wk].certificate],
        provider_name="sp_example", **options,
    )


@pytest.fixture(scope="module")
def config(keys) -> ezla.wk.Config:
    return make_config(keys)


class FakeWk:
    """login.gov.pl's SOAP back channel: answers an ArtifactResolve for a known artifact
    with the emulator's ArtifactResponse, and a LogoutRequest with a signed Success."""

    def __init__(self, config: ezla.wk.Config, key: ezla.Identity) -> None:
        self.config = config
        self.key = key
        self.artifacts: Dict[str, str] = {}  # artifact -> AuthnRequest ID
        self.calls: List[Tuple[str, bytes, Dict[str, str]]] = []
        self.response_options: Dict[str, object] = {}

    def issue(self, login: ezla.wk.Login) -> str:
        artifact = base64.b64encode(login.request_id.encode()[:20].ljust(20, b"x")).decode()
        self.artifacts[artifact] = login.request_id
        return artifact

    def __call__(self, url: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, bytes]:
        self.calls.append((url, body, headers))
        assert headers["SOAPAction"] == '""'
        assert headers["Content-Type"].startswith("text/xml")
        request_id = re.search(rb' ID="([^"]+)"', body)
        assert request_id, body
        rid = request_id.group(1).decode()
        if url == self.config.artifact_resolution_url:
            artifact = re.search(rb"<saml2p:Artifact>([^<]+)</saml2p:Artifact>", body)
            assert artifact, body
            authn = self.artifacts[artifact.group(1).decode()]
            return 200, make_wk_artifact_response(
                self.config, self.key.private_key, self.key.certificate, authn, rid,
                now=NOW, **self.response_options,  # type: ignore[arg-type]
            )
        assert url == self.config.single_logout_url, url
        return 200, make_wk_logout_response(
            self.config, self.key.private_key, self.key.certificate, rid, now=NOW)


def test_full_flow_login_artifact_identity_logout(config, keys):
    wk = FakeWk(config, keys["wk"])
    sp = ezla.wk.ServiceProvider(config, post=wk)
    login = sp.login(now=NOW)
    assert login.sso_url == config.sso_url == "https://int.login.gov.pl/login/SingleSignOnService"
    assert login.xml.startswith(b"<saml2p:AuthnRequest")
    assert f'ID="{login.request_id}"'.encode() in login.xml
    assert base64.b64decode(login.saml_request) == login.xml
    form = login.html_form
    assert f'action="{login.sso_url}"' in form
    assert f'name="SAMLRequest" value="{login.saml_request}"' in form
    assert f'name="RelayState" value="{login.relay_state}"' in form
    assert login.expires - login.issued == datetime.timedelta(minutes=15)

    person = sp.handle_artifact(wk.issue(login), login.relay_state, now=NOW)
    assert isinstance(person, ezla.wk.Identity)
    assert person.pesel == "87022243734"
    assert (person.given_name, person.family_name) == ("Roch", "Apitz")
    assert person.birth_date == datetime.date(1987, 2, 22)
    assert person.loa == "substantial"
    assert person.loa_uri == "http://eidas.europa.eu/LoA/substantial"
    assert person.means == "pz.gov.pl"
    assert person.authenticating_authorities == ["pz.gov.pl"]
    assert person.name_id == "87022243734"
    assert person.session_index
    assert person.not_on_or_after == NOW + datetime.timedelta(minutes=30)
    assert "87022243734" not in repr(person)
    (url, body, _), = wk.calls
    assert url == config.artifact_resolution_url
    assert b"<saml2p:ArtifactResolve" in body and b"<ds:Signature" in body

    sp.logout(person, now=NOW)
    url, body, _ = wk.calls[-1]
    assert url == config.single_logout_url
    assert b"<saml2p:LogoutRequest" in body and person.session_index.encode() in body


def test_pending_request_is_used_once_and_unknown_relay_state_refused(config, keys):
    wk = FakeWk(config, keys["wk"])
    sp = ezla.wk.ServiceProvider(config, post=wk)
    login = sp.login(now=NOW)
    artifact = wk.issue(login)
    sp.handle_artifact(artifact, login.relay_state, now=NOW)
    with pytest.raises(ezla.SamlError) as e:
        sp.handle_artifact(artifact, login.relay_state, now=NOW)
    assert e.value.check == "pending_request" and e.value.name == "SamlUnknownRequest"
    with pytest.raises(ezla.SamlError) as e:
        sp.handle_artifact(artifact, "never-issued", now=NOW)
    assert e.value.check == "pending_request"
    # An expired pending request.
    late = sp.login(now=NOW)
    with pytest.raises(ezla.SamlError) as e:
        sp.handle_artifact(wk.issue(late), late.relay_state,
                           now=NOW + datetime.timedelta(hours=1))
    assert e.value.check in ("pending_request", "validity")


def test_replay_refused_across_two_providers_sharing_a_sqlite_store(config, keys, tmp_path):
    store = tmp_path / "wk.sqlite"
    wk = FakeWk(config, keys["wk"])
    worker1 = ezla.wk.ServiceProvider(config, store=store, post=wk)
    worker2 = ezla.wk.ServiceProvider(config, store=str(store), post=wk)
    # A login started by one worker is finished by the other.
    first = worker1.login(now=NOW)
    artifact = wk.issue(first)
    assert worker2.handle_artifact(artifact, first.relay_state, now=NOW).pesel == "87022243734"
    # The same artifact again, with another pending request, at the first worker: a replay.
    second = worker1.login(now=NOW)
    with pytest.raises(ezla.SamlError) as e:
        worker1.handle_artifact(artifact, second.relay_state, now=NOW)
    assert e.value.check == "replay" and e.value.name == "SamlReplay"
    assert e.value.code == 712
    # A memory store does not see the other worker's records: that is what store= is for.
    alone = ezla.wk.ServiceProvider(config, post=wk)
    third = alone.login(now=NOW)
    wk.artifacts[artifact] = third.request_id
    assert alone.handle_artifact(artifact, third.relay_state, now=NOW).pesel == "87022243734"


def response(config, keys, authn: str = "ID-authn", resolve: str = "ID-resolve",
             **options) -> bytes:
    return make_wk_artifact_response(
        config, keys["wk"].private_key, keys["wk"].certificate, authn, resolve,
        now=NOW, **options)


def process(config, data: bytes, authn: str = "ID-authn", resolve: Optional[str] = "ID-resolve",
            now: datetime.datetime = NOW) -> ezla.wk.Identity:
    return ezla.wk.process_artifact_response(
        config, data, authn, artifact_resolve_id=resolve, now=now)


def test_process_artifact_response_sans_io(config, keys):
    person = process(config, response(config, keys))
    assert person.pesel == "87022243734"
    # Without the ArtifactResolve ID (not checked); every key size of AES-GCM.
    for cek_len in (16, 32):
        assert process(config, response(config, keys, cek_len=cek_len), resolve=None).loa == \
            "substantial"
    # authn_request builds and signs without storing.
    login = ezla.wk.authn_request(config, now=NOW)
    assert login.request_id and login.relay_state and b"<ds:Signature" in login.xml


@pytest.mark.parametrize("options,kwargs,check,name", [
    ({"audience": "https://other.example"}, {}, "audience", "SamlAudienceMismatch"),
    ({"recipient": "https://sp.example/other"}, {}, "recipient", "SamlRecipientMismatch"),
    ({}, {"now": NOW + datetime.timedelta(hours=1)}, "validity", "SamlExpired"),
    ({}, {"now": NOW - datetime.timedelta(hours=1)}, "validity", "SamlExpired"),
    ({}, {"authn": "ID-other"}, "in_response_to", "SamlInResponseToMismatch"),
    ({}, {"resolve": "ID-other"}, "in_response_to", "SamlInResponseToMismatch"),
    ({"loa": "low"}, {}, "loa", "SamlLoaTooLow"),
    ({"pesel": "87022243735"}, {}, "attributes", "SamlAttributeInvalid"),
])
def test_each_refusal_is_typed(config, keys, options, kwargs, check, name):
    data = response(config, keys, **options)
    with pytest.raises(ezla.SamlError) as e:
        process(config, data, **kwargs)
    assert e.value.check == check, e.value
    assert e.value.name == name
    assert 700 <= e.value.code < 800
    assert e.value.status_code is None


def test_non_success_status_carries_the_codes(config, keys):
    status = ("urn:oasis:names:tc:SAML:2.0:status:Responder",
              "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed", "Użytkownik anulował")
    with pytest.raises(ezla.SamlError) as e:
        process(config, response(config, keys, status=status))
    assert e.value.check == "status" and e.value.name == "SamlStatus" and e.value.code == 700
    assert (e.value.status_code, e.value.second_status_code, e.value.status_message) == status


def test_signatures_use_the_pinned_certificate_only(config, keys):
    # Signed by a key that is not pinned (its certificate is still in KeyInfo).
    foreign = make_wk_artifact_response(
        config, keys["other"].private_key, keys["other"].certificate, "ID-authn", "ID-resolve",
        now=NOW)
    with pytest.raises(ezla.InvalidSignature) as e:
        process(config, foreign)
    assert not isinstance(e.value, ezla.SamlError)
    # Pinned in a rollover beside the old one: accepted.
    rollover = ezla.wk.Config(
        "integration", ENTITY, ACS,
        signing_key=keys["sig"].private_key, signing_certificate=keys["sig"].certificate,
        encryption_key=keys["enc"].private_key,
        encryption_certificate=keys["enc"].certificate,
        wk_certificates=[keys["wk"].certificate, keys["other"].certificate])
    assert process(rollover, foreign).pesel == "87022243734"
    # One byte changed in a signed element.
    data = response(config, keys)
    tampered = data.replace(b"10:00:00.000Z", b"10:00:01.000Z", 1)
    assert tampered != data
    with pytest.raises(ezla.DigestMismatch):
        process(config, tampered)


def test_post_callable_exceptions_are_re_raised(config, keys):
    class Down(Exception):
        pass

    def post(url: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, bytes]:
        raise Down(url)

    sp = ezla.wk.ServiceProvider(config, post=post)
    login = sp.login(now=NOW)
    with pytest.raises(Down):
        sp.handle_artifact("AAAA", login.relay_state, now=NOW)
    # An HTTP error status from login.gov.pl: a TransportError (an OSError).
    sp = ezla.wk.ServiceProvider(config, post=lambda url, body, headers: (503, b"busy"))
    login = sp.login(now=NOW)
    with pytest.raises(ezla.TransportError) as e:
        sp.handle_artifact("AAAA", login.relay_state, now=NOW)
    assert isinstance(e.value, OSError)


def test_config_refuses_unusable_arguments(keys):
    with pytest.raises(ezla.InvalidInput):
        make_config(keys, loa="medium")
    with pytest.raises(ezla.InvalidInput):
        ezla.wk.Config("staging", ENTITY, ACS,  # type: ignore[arg-type]
                       signing_key=keys["sig"].private_key,
                       signing_certificate=keys["sig"].certificate,
                       encryption_key=keys["enc"].private_key,
                       encryption_certificate=keys["enc"].certificate,
                       wk_certificates=[keys["wk"].certificate])
    # A key that is not its certificate's.
    with pytest.raises(ezla.KeyCertificateMismatch):
        ezla.wk.Config("integration", ENTITY, ACS,
                       signing_key=keys["other"].private_key,
                       signing_certificate=keys["sig"].certificate,
                       encryption_key=keys["enc"].private_key,
                       encryption_certificate=keys["enc"].certificate,
                       wk_certificates=[keys["wk"].certificate])
    with pytest.raises(ezla.InvalidInput):
        make_config(keys, clock_skew=-1.0)
    with pytest.raises(TypeError):
        ezla.wk.ServiceProvider(make_config(keys), post="not callable")  # type: ignore[arg-type]


def test_config_endpoints_and_metadata(keys):
    local = make_config(keys, base_url="http://127.0.0.1:8080/", issuer="wk.localhost",
                        loa="high")
    assert local.sso_url == "http://127.0.0.1:8080/login/SingleSignOnService"
    assert local.artifact_resolution_url == \
        "http://127.0.0.1:8080/login-services/idpArtifactResolutionService"
    assert local.issuer == "wk.localhost" and local.loa == "high"
    md = ezla.wk.ServiceProvider(local).metadata()
    assert md == local.metadata()
    assert f'entityID="{ENTITY}"'.encode() in md and f'Location="{ACS}"'.encode() in md
    for name in ("sig", "enc"):
        der = keys[name].certificate.to_der()
        assert base64.b64encode(der) in md


def test_the_browser_may_reach_login_gov_pl_at_another_address(keys):
    """base_url is the back channel; sso_url is where the browser goes, and the Destination."""
    sso = "http://wk.localhost:8080/login/SingleSignOnService"
    split = make_config(keys, base_url="http://127.0.0.1:8080", sso_url=sso)
    assert split.sso_url == sso
    assert split.artifact_resolution_url == \
        "http://127.0.0.1:8080/login-services/idpArtifactResolutionService"
    assert split.single_logout_url == \
        "http://127.0.0.1:8080/login-services/singleLogoutService"
    login = ezla.wk.authn_request(split, now=NOW)
    assert login.sso_url == sso and f'action="{sso}"' in login.html_form
    assert f'Destination="{sso}"'.encode() in login.xml
    pinned = make_config(keys, base_url="http://127.0.0.1:8080", sso_url=sso,
                         destination="https://login.gov.pl/login/SingleSignOnService")
    xml = ezla.wk.authn_request(pinned, now=NOW).xml
    assert b'Destination="https://login.gov.pl/login/SingleSignOnService"' in xml


@pytest.mark.skipif(not SIM.is_dir(), reason="../shared/vectors absent")
def test_the_2018_simulator_capture(keys):
    """The genuine capture with its published key: valid at its own time, refused now."""
    enc_key = ezla.PrivateKey.load((SIM / "sp-enc-key.du_enc_ec.key.pem").read_bytes())
    enc_cert = ezla.Certificate.from_pem((SIM / "sp-enc-cert.du_enc_ec.pem").read_bytes())
    wk_cert = ezla.Certificate.from_pem((SIM / "wk-sig-cert.pem").read_bytes())
    config = ezla.wk.Config(
        "simulator", "http://localhost.sp.pl", "http://localhost:11080/saml-emulator/context",
        signing_key=keys["sig"].private_key, signing_certificate=keys["sig"].certificate,
        encryption_key=enc_key, encryption_certificate=enc_cert, wk_certificates=[wk_cert])
    data = (SIM / "artifact-response.compact.xml").read_bytes()
    authn = "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc"
    resolve = "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df"
    at = datetime.datetime(2018, 9, 13, 13, 30, tzinfo=UTC)
    person = process(config, data, authn, resolve, now=at)
    assert (person.pesel, person.given_name, person.family_name) == \
        ("87022243734", "Roch", "Apitz")
    with pytest.raises(ezla.SamlError) as e:
        process(config, data, authn, resolve, now=NOW)
    assert e.value.check == "validity"
    with pytest.raises(ezla.InvalidSignature):
        process(config, (SIM / "artifact-response.pretty.xml").read_bytes(), authn, resolve,
                now=at)
