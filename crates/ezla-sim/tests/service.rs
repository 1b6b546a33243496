//! The simulated ZUS channel answered in-process (no HTTP): a whole e-ZLA issued through it,
//! with requests written here by hand from the WSDL, and the refusals ZUS gives.

use std::path::PathBuf;

use ezla::kedu::{Wariant, WriteOptions, Zla};
use ezla::pki::Identity;
use ezla::xades::{self, Profile, SignOptions};
use ezla::xml::escape;
use ezla_sim::zus::{NS_ZUS_GOV_PL, NS_ZUS_PL, ZusService};
use time::{Duration, OffsetDateTime};

const DOCTOR_PESEL: &str = "02271409867";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ezla-sim-service-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The service, checking every request against the 2018 WSDL when the vectors are present
/// (the requests newer than the WSDL are allowed by a supplement written here from the
/// third-party shapes: pobierzSeriaNumerZla with IdSesji).
fn open(dir: &std::path::Path) -> ZusService {
    let service = ZusService::open(dir).expect("open");
    let wsdl = ezla_vectors::vectors_dir()
        .map(|d| d.join("ezla/zus_channel_gabinetowe_zla_2018.wsdl"))
        .filter(|p| p.exists());
    match wsdl {
        Some(path) => {
            let schema = ezla_sim::schema::Schema::from_wsdl(&std::fs::read(path).expect("wsdl"))
                .expect("schema")
                .with_supplement(LATER.as_bytes())
                .expect("supplement");
            service.with_schema(schema)
        }
        None => {
            assert!(
                std::env::var_os("EZLA_REQUIRE_TOOLS").is_none(),
                "the ZUS WSDL vector is required (EZLA_REQUIRE_TOOLS is set)"
            );
            eprintln!("note: ../shared/vectors absent; requests are not checked against the WSDL");
            service
        }
    }
}

const LATER: &str = r#"<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="http://zus.pl/b2b/zus/channel/gabinetowe"
    targetNamespace="http://zus.pl/b2b/zus/channel/gabinetowe">
  <xsd:element name="pobierzSeriaNumerZla" type="tns:pobierzSeriaNumerZla"/>
  <xsd:complexType name="pobierzSeriaNumerZla">
    <xsd:sequence><xsd:element name="IdSesji" type="tns:ID"/></xsd:sequence>
  </xsd:complexType>
</xsd:schema>"#;

fn envelope(ns: &str, op: &str, inner: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:g=\"{ns}\">\
         <soapenv:Header/><soapenv:Body><g:{op}>{inner}</g:{op}></soapenv:Body></soapenv:Envelope>"
    )
    .into_bytes()
}

struct Sim {
    service: ZusService,
    ns: &'static str,
}

/// The contract, to check the simulator's own answers against (when the WSDL is present).
fn contract() -> Option<ezla_sim::schema::Schema> {
    let path = ezla_vectors::vectors_dir()?.join("ezla/zus_channel_gabinetowe_zla_2018.wsdl");
    let bytes = std::fs::read(path).ok()?;
    let schema = ezla_sim::schema::Schema::from_wsdl(&bytes).expect("schema");
    Some(
        schema
            .with_supplement(LATER.as_bytes())
            .expect("supplement"),
    )
}

/// Every successful answer conforms to the WSDL's response element (the Body's child).
fn check_answer(body: &str) {
    let Some(schema) = contract() else { return };
    let doc = roxmltree::Document::parse(body).expect("XML");
    let op = doc
        .root_element()
        .children()
        .filter(|n| n.is_element())
        .flat_map(|b| b.children().filter(roxmltree::Node::is_element))
        .next()
        .expect("Body child");
    if !schema.declares(op.tag_name().name()) {
        // pobierzSeriaNumerZlaResponse: its shape is inferred, not in the WSDL.
        return;
    }
    if let Err(v) = schema.validate(op, &[NS_ZUS_PL, NS_ZUS_GOV_PL]) {
        panic!(
            "the answer does not conform to the WSDL: {}\n{body}",
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

impl Sim {
    fn call(&self, op: &str, inner: &str) -> (u16, String) {
        let reply = self.service.handle(
            Some(&format!("\"zus_channel_zla_Binder_{op}\"")),
            &envelope(self.ns, op, inner),
        );
        (reply.status, String::from_utf8(reply.body).expect("UTF-8"))
    }

    fn ok(&self, op: &str, inner: &str) -> String {
        let (status, body) = self.call(op, inner);
        assert_eq!(status, 200, "{op}: {body}");
        assert!(
            body.contains(&format!("Response xmlns:ns=\"{}\"", self.ns)),
            "{body}"
        );
        check_answer(&body);
        body
    }
}

/// The text of the first `<name>…</name>` in `xml`, unescaped.
fn between(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(unescape(&xml[start..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

fn doctor(sim: &Sim, days_ago: i64, days: u32) -> Identity {
    let pesel = ezla::pl::Pesel::parse(DOCTOR_PESEL).expect("pesel");
    sim.service
        .state()
        .add_doctor(DOCTOR_PESEL, "Anna", "Nowak", "5425740")
        .expect("add doctor");
    sim.service
        .ca()
        .issue_doctor(
            pesel,
            "Anna",
            "Nowak",
            OffsetDateTime::now_utc() - Duration::days(days_ago),
            days,
        )
        .expect("issue")
}

fn login(sim: &Sim, who: &Identity) -> Result<String, String> {
    let body = sim.ok("pobierzOswiadczenie", "");
    let statement = between(&body, "Oswiadczenie").expect("statement");
    assert!(statement.contains("<Token>CK-"), "{statement}");
    // The simulator judges the certificate: the signer is told to sign even an expired one.
    let mut options = SignOptions::profile(Profile::Zus);
    options.allow_invalid_certificate = true;
    let signed =
        xades::sign_with_identity(statement.as_bytes(), who, &options).expect("sign the statement");
    let signed = String::from_utf8(signed).expect("utf-8");
    let body = sim.ok(
        "zalogujPodpisem",
        &format!(
            "<PodpisaneOswiadczenie>{}</PodpisaneOswiadczenie><MetodaWeryfikacji>certyfikat</MetodaWeryfikacji>",
            escape::text(&signed)
        ),
    );
    let id = between(&body, "IdSesji").unwrap_or_default();
    if id.is_empty() {
        assert!(body.contains("<IdSesji/>"), "{body}");
        Err(between(&body, "KodBledu").unwrap_or_default())
    } else {
        Ok(id)
    }
}

fn issue_pair(sim: &Sim, who: &Identity, session: &str) -> (String, Vec<u8>, Vec<u8>) {
    let body = sim.ok(
        "pobierzSeriaNumerZla",
        &format!("<IdSesji>{session}</IdSesji>"),
    );
    let seria = between(&body, "Seria").expect("Seria");
    let numer = between(&body, "Numer").expect("Numer");
    let ids: Vec<String> = body
        .match_indices("<idDokumentu>")
        .map(|(i, _)| between(&body[i..], "idDokumentu").expect("id"))
        .collect();
    assert_eq!(ids.len(), 2, "{body}");
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ezla-cli/examples/zla.json"
    ))
    .expect("zla.json");
    let mut zla = Zla::from_json(&json).expect("json");
    zla.seria_numer = Some(ezla::kedu::SeriaNumer {
        seria: seria.clone(),
        numer: numer.clone(),
    });
    zla.id_dokumentu.oryginal = Some(ids[0].clone());
    zla.id_dokumentu.kopia = Some(ids[1].clone());
    let today = time::macros::date!(2026 - 12 - 01);
    let (o, k) = zla
        .to_xml_pair(&WriteOptions::default().with_today(today))
        .expect("pair");
    let sign = |x: &[u8]| {
        xades::sign_with_identity(x, who, &SignOptions::profile(Profile::Zus)).expect("sign")
    };
    (format!("{seria}{numer}"), sign(&o), sign(&k))
}

fn dokument(nr: &str, xml: &[u8]) -> String {
    format!(
        "<Dokument NrRef=\"{nr}\"><KEDU><KEDU>{}</KEDU></KEDU></Dokument>",
        escape::text(std::str::from_utf8(xml).expect("utf-8"))
    )
}

#[test]
fn an_ezla_is_issued_received_once_and_receipted() {
    for ns in [NS_ZUS_PL, NS_ZUS_GOV_PL] {
        let dir = scratch(if ns == NS_ZUS_PL { "pl" } else { "gov" });
        let sim = Sim {
            service: open(&dir),
            ns,
        };
        let anna = doctor(&sim, 1, 1825);
        let session = login(&sim, &anna).expect("login");
        let s = format!("<IdSesji>{session}</IdSesji>");
        let lekarz = sim.ok("pobierzDaneLekarza", &s);
        assert!(
            lekarz.contains("<NumerPrawaWykonywaniaZawodu>5425740<"),
            "{lekarz}"
        );
        assert!(lekarz.contains("<NIP>5260250274</NIP>"), "{lekarz}");
        let patient = sim.ok(
            "pobierzDaneUbezpieczonego",
            &format!("{s}<Ubezpieczony><Pesel>44051401359</Pesel></Ubezpieczony><KontekstDostepu>WystawienieZla</KontekstDostepu>"),
        );
        assert!(
            patient.contains("<Nazwisko>Kowalski</Nazwisko>"),
            "{patient}"
        );
        let payers = sim.ok(
            "pobierzPlatnikowUbezpieczonego",
            &format!("{s}<Ubezpieczony><Pesel>44051401359</Pesel></Ubezpieczony>"),
        );
        assert!(payers.contains("<NIP>1234563218</NIP>"), "{payers}");
        let family = sim.ok(
            "pobierzCzlonkowRodzinyUbezpieczonego",
            &format!("{s}<Ubezpieczony><Pesel>44051401359</Pesel></Ubezpieczony><KontekstDostepu>WystawienieZla</KontekstDostepu>"),
        );
        assert!(family.contains("<Imie>Zofia</Imie>"), "{family}");
        let reasons = sim.ok("pobierzSlownikPrzyczynAnulowania", &s);
        assert_eq!(reasons.matches("<Przyczyna>").count(), 9, "{reasons}");
        let kinship = sim.ok("pobierzSlownikKodowPokrewienstwa", &s);
        assert!(
            kinship.contains("<Kod>1</Kod><Opis>dziecko</Opis>"),
            "{kinship}"
        );
        let letters = sim.ok(
            "pobierzLiterowyKodChoroby",
            &format!("{s}<DataPoczatkuNiezdolnosci>2026-11-28</DataPoczatkuNiezdolnosci><StatystycznyKodChoroby>A15</StatystycznyKodChoroby><Ubezpieczony><Pesel>44051401359</Pesel></Ubezpieczony>"),
        );
        assert!(
            letters.contains("<KodA>false</KodA><KodD>true</KodD>"),
            "{letters}"
        );

        let (sn, o, k) = issue_pair(&sim, &anna, &session);
        let docs = format!("{}{}", dokument("o", &o), dokument("k", &k));
        let valid = sim.ok(
            "walidujDokumenty",
            &format!("{s}<Tryb>Biezacy</Tryb><ListaDokumentow>{docs}</ListaDokumentow>"),
        );
        assert!(valid.contains("<Rezultat>POZYTYWNY</Rezultat>"), "{valid}");
        let sent = sim.ok("wyslijDokumenty", &format!("{s}<Tryb>Biezacy</Tryb>{docs}"));
        assert!(sent.contains("<Wynik>POZYTYWNY</Wynik>"), "{sent}");
        assert_eq!(sent.matches("<UtworzoneUPP>").count(), 2, "{sent}");
        let upp = between(&sent, "UPP").expect("UPP");
        // The receipt verifies against the simulator's CA, with an independent check below.
        let report = xades::verify(
            upp.as_bytes(),
            &xades::VerifyOptions::default()
                .with_trust(std::sync::Arc::new(sim.service.ca().anchors())),
        )
        .expect("the UPP verifies");
        assert!(
            report.signer.subject.contains("UPP"),
            "{}",
            report.signer.subject
        );
        assert!(
            upp.contains(&format!("<SeriaNumer>{sn}</SeriaNumer>")),
            "{upp}"
        );

        // The same documents again: refused, nothing stored twice.
        let again = sim.ok("wyslijDokumenty", &format!("{s}<Tryb>Biezacy</Tryb>{docs}"));
        assert!(again.contains("<Wynik>NEGATYWNY</Wynik>"), "{again}");
        assert!(again.contains("<KodBledu>301</KodBledu>"), "{again}");
        assert_eq!(sim.service.state().documents().expect("docs").len(), 2);

        let (seria, numer) = sn.split_at(2);
        let snz =
            format!("<SeriaNumerZla><Seria>{seria}</Seria><Numer>{numer}</Numer></SeriaNumerZla>");
        let got = sim.ok(
            "pobierzDokument",
            &format!("{s}<RodzajDokumentu>ZLA</RodzajDokumentu>{snz}<KontekstDostepu>WyszukanieZla</KontekstDostepu>"),
        );
        assert_eq!(
            between(&got, "KEDU").expect("KEDU").as_bytes(),
            &o[..],
            "the ORYGINAŁ as sent"
        );
        let upp_again = sim.ok(
            "pobierzUppDlaDokumentu",
            &format!("{s}<RodzajDokumentu>KOPIA_ZLA</RodzajDokumentu>{snz}"),
        );
        assert!(
            upp_again.contains("RodzajDokumentu&gt;KOPIA&lt;"),
            "{upp_again}"
        );
        let cancel = sim.ok("sprawdzMozliwoscAnulowania", &format!("{s}{snz}"));
        assert!(
            cancel.contains("<DopuszczalnaAkcja>true</DopuszczalnaAkcja>"),
            "{cancel}"
        );

        sim.ok("usunSesje", &s);
        let (status, body) = sim.call("pobierzDaneLekarza", &s);
        assert_eq!(status, 500, "{body}");
        assert!(
            body.contains("<faultstring>Brak sesji</faultstring>"),
            "{body}"
        );
    }
}

#[test]
fn refusals_have_their_own_codes() {
    let dir = scratch("refusals");
    let sim = Sim {
        service: open(&dir),
        ns: NS_ZUS_PL,
    };
    // An expired certificate, a certificate from another CA, an unknown doctor.
    let expired = doctor(&sim, 2000, 1825);
    assert_eq!(login(&sim, &expired), Err("102".into()));
    let other_ca = ezla::pki::testca::TestCa::generate(
        "other",
        OffsetDateTime::now_utc() - Duration::days(1),
        30,
    )
    .expect("ca");
    let stranger = other_ca
        .issue_doctor(&ezla::pki::testca::DoctorSpec::new(
            "Anna",
            "Nowak",
            ezla::pl::Pesel::parse(DOCTOR_PESEL).expect("pesel"),
        ))
        .expect("issue");
    assert_eq!(login(&sim, &stranger), Err("103".into()));
    let unknown = sim
        .service
        .ca()
        .issue_doctor(
            ezla::pl::Pesel::parse("44051401359").expect("pesel"),
            "Jan",
            "Kowalski",
            OffsetDateTime::now_utc() - Duration::days(1),
            100,
        )
        .expect("issue");
    assert_eq!(login(&sim, &unknown), Err("108".into()));
    // A replayed statement: the token is spent.
    let anna = doctor(&sim, 1, 1825);
    let body = sim.ok("pobierzOswiadczenie", "");
    let statement = between(&body, "Oswiadczenie").expect("statement");
    let signed = xades::sign_with_identity(
        statement.as_bytes(),
        &anna,
        &SignOptions::profile(Profile::Zus),
    )
    .expect("sign");
    let inner = format!(
        "<PodpisaneOswiadczenie>{}</PodpisaneOswiadczenie><MetodaWeryfikacji>certyfikat</MetodaWeryfikacji>",
        escape::text(std::str::from_utf8(&signed).expect("utf-8"))
    );
    let first = sim.ok("zalogujPodpisem", &inner);
    assert!(
        !between(&first, "IdSesji").unwrap_or_default().is_empty(),
        "{first}"
    );
    let replay = sim.ok("zalogujPodpisem", &inner);
    assert!(
        replay.contains("<IdSesji/>") && replay.contains("<KodBledu>106</KodBledu>"),
        "{replay}"
    );
    // A tampered statement.
    let tampered = inner.replacen("Logowanie", "Wylogowanie", 1);
    let t = sim.ok("zalogujPodpisem", &tampered);
    assert!(t.contains("<KodBledu>101</KodBledu>"), "{t}");

    // Contract errors are Faults naming the problem.
    let (status, body) = sim.call("nieistniejacaOperacja", "");
    assert_eq!(status, 500);
    assert!(body.contains("nieistniejacaOperacja"), "{body}");
    let reply = sim.service.handle(
        Some("zus_channel_zla_Binder_usunSesje"),
        &envelope(NS_ZUS_PL, "pobierzOswiadczenie", ""),
    );
    assert_eq!(reply.status, 500);
    assert!(String::from_utf8_lossy(&reply.body).contains("does not match"));
    let reply = sim.service.handle(
        Some("zus_channel_zla_Binder_pobierzOswiadczenie"),
        &envelope("urn:other", "pobierzOswiadczenie", ""),
    );
    assert_eq!(reply.status, 500);
    let reply = sim
        .service
        .handle(Some("x"), b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>");
    assert_eq!(reply.status, 500);
    if sim.service.checks_contract() {
        // A request the WSDL does not allow: the method missing, an element it does not know.
        let (status, body) = sim.call(
            "zalogujPodpisem",
            "<PodpisaneOswiadczenie>x</PodpisaneOswiadczenie><Dodatkowe/>",
        );
        assert_eq!(status, 500, "{body}");
        assert!(body.contains("does not conform to the WSDL"), "{body}");
        assert!(body.contains("Dodatkowe"), "{body}");
    } else {
        eprintln!("note: the contract check is not exercised without the WSDL");
    }

    // A document with a number not reserved, an unknown patient, a payer not the patient's.
    let session = login(&sim, &anna).expect("login");
    let s = format!("<IdSesji>{session}</IdSesji>");
    let (_, o, _) = issue_pair(&sim, &anna, &session);
    let text = String::from_utf8(o).expect("utf-8");
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ezla-cli/examples/zla.json"
    ))
    .expect("json");
    let mut zla = Zla::from_json(&json).expect("zla");
    zla.seria_numer = Some(ezla::kedu::SeriaNumer {
        seria: "ZY".into(),
        numer: "9999999".into(),
    });
    zla.ubezpieczony.as_mut().expect("u").pesel = Some("85031205121".into());
    zla.platnik.as_mut().expect("p").identyfikator = "5250000009".into();
    let bad = zla
        .to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(time::macros::date!(2026 - 12 - 01)),
        )
        .expect("xml");
    let bad =
        xades::sign_with_identity(&bad, &anna, &SignOptions::profile(Profile::Zus)).expect("sign");
    let v = sim.ok(
        "walidujDokumenty",
        &format!("{s}<Tryb>Biezacy</Tryb>{}", dokument("x", &bad)),
    );
    assert!(v.contains("<Rezultat>NEGATYWNY</Rezultat>"), "{v}");
    assert!(v.contains("<KodBledu>186</KodBledu>"), "{v}");
    assert!(v.contains("<KodBledu>188</KodBledu>"), "{v}");
    assert!(v.contains("<NrRef>x</NrRef>"), "{v}");
    assert!(text.contains("ZUSZLA"));
}

#[test]
fn a_certificate_is_cancelled_with_a_signed_azla() {
    let dir = scratch("azla");
    let sim = Sim {
        service: open(&dir),
        ns: NS_ZUS_PL,
    };
    let anna = doctor(&sim, 1, 1825);
    let session = login(&sim, &anna).expect("login");
    let s = format!("<IdSesji>{session}</IdSesji>");
    let (sn, o, k) = issue_pair(&sim, &anna, &session);
    let docs = format!("{}{}", dokument("o", &o), dokument("k", &k));
    let sent = sim.ok("wyslijDokumenty", &format!("{s}<Tryb>Biezacy</Tryb>{docs}"));
    assert!(sent.contains("<Wynik>POZYTYWNY</Wynik>"), "{sent}");
    let (zla, _) = Zla::from_xml(&o).expect("zla");
    let today = time::macros::date!(2026 - 12 - 02);
    let azla = ezla::kedu::azla::Azla::dla(
        &zla,
        ezla::kedu::codes::PrzyczynaAnulowania::DaneUbezpieczonego,
        zla.lekarz.clone().expect("lekarz"),
        today,
    )
    .expect("azla");
    let xml = azla
        .to_xml(&WriteOptions::default().with_today(today))
        .expect("xml");
    let signed =
        xades::sign_with_identity(&xml, &anna, &SignOptions::profile(Profile::Zus)).expect("sign");
    ezla::kedu::azla::Azla::read(&signed).expect("the signed AZLA reads back");
    let cancel = sim.ok(
        "wyslijDokumenty",
        &format!("{s}<Tryb>Biezacy</Tryb>{}", dokument("a", &signed)),
    );
    assert!(cancel.contains("<Wynik>POZYTYWNY</Wynik>"), "{cancel}");
    let (seria, numer) = sn.split_at(2);
    let snz =
        format!("<SeriaNumerZla><Seria>{seria}</Seria><Numer>{numer}</Numer></SeriaNumerZla>");
    let after = sim.ok("sprawdzMozliwoscAnulowania", &format!("{s}{snz}"));
    assert!(
        after.contains("<DopuszczalnaAkcja>false</DopuszczalnaAkcja>"),
        "{after}"
    );
}

#[test]
fn the_answer_check_can_fail() {
    if contract().is_none() {
        eprintln!("note: no WSDL; the answer check is not exercised");
        return;
    }
    // Rezultat before DaneLekarza is out of the WSDL's order.
    let wrong = format!(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>\
         <ns:pobierzDaneLekarzaResponse xmlns:ns=\"{NS_ZUS_PL}\"><Rezultat><KodBledu>0</KodBledu>\
         <OpisBledu>OK</OpisBledu></Rezultat><DaneLekarza/></ns:pobierzDaneLekarzaResponse>\
         </s:Body></s:Envelope>"
    );
    let caught = std::panic::catch_unwind(|| check_answer(&wrong));
    assert!(caught.is_err(), "a wrong answer passed the check");
}

/// The captured exchange (vectors/ezla: Medfile's unsigned pair sent to ZUS's
/// walidujDokumenty, answered with the warnings W145 and 185 only): with the pair's patient,
/// payer and doctor in the seed, the simulator answers the same.
#[test]
fn the_captured_validation_is_answered_as_zus_did() {
    let Some(vectors) = ezla_vectors::vectors_dir() else {
        assert!(
            std::env::var_os("EZLA_REQUIRE_TOOLS").is_none(),
            "vectors required"
        );
        eprintln!("note: ../shared/vectors absent; skipped");
        return;
    };
    let dir = scratch("captured");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("seed.json"),
        r#"{
  "lekarze": [ { "npwz": "1063324", "imie": "THEO", "nazwisko": "KANIA", "miejsca": ["3962382940"] } ],
  "miejsca": [ { "nip": "3962382940", "nazwa": "PRZYCHODNIA TARCZÓWKOWATYMI", "kod_pocztowy": "16423",
                 "miejscowosc": "Zdręby", "ulica": "Zdręby", "nr_domu": "16423" } ],
  "ubezpieczeni": [ { "pesel": "68071892605", "imie": "Filip", "nazwisko": "Jakubowski",
                      "data_urodzenia": "1968-07-18",
                      "adres": { "kod_pocztowy": "25624", "miejscowosc": "Kielce", "ulica": "Mieszka I", "nr_domu": "1" },
                      "platnicy": [ { "nip": "6707035254", "nazwa": "Płatnik", "ubezpieczyciel": "ZUS" } ] } ]
}"#,
    )
    .expect("seed");
    let sim = Sim {
        service: open(&dir),
        ns: NS_ZUS_GOV_PL,
    };
    let theo = {
        sim.service
            .state()
            .add_doctor("44051401359", "THEO", "KANIA", "1063324")
            .expect("doctor");
        sim.service
            .ca()
            .issue_doctor(
                ezla::pl::Pesel::parse("44051401359").expect("pesel"),
                "THEO",
                "KANIA",
                OffsetDateTime::now_utc() - Duration::days(1),
                100,
            )
            .expect("issue")
    };
    let session = login(&sim, &theo).expect("login");
    let read = |name: &str| std::fs::read(vectors.join("ezla").join(name)).expect("vector");
    let docs = format!(
        "{}{}",
        dokument("0", &read("ked_zla_unsigned_oryginal_medfile.xml")),
        dokument("1", &read("ked_zla_unsigned_kopia_medfile.xml"))
    );
    let v = sim.ok(
        "walidujDokumenty",
        &format!("<IdSesji>{session}</IdSesji><Tryb>Biezacy</Tryb><ListaDokumentow>{docs}</ListaDokumentow>"),
    );
    assert!(v.contains("<Rezultat>OSTRZEZENIE</Rezultat>"), "{v}");
    let codes: Vec<String> = v
        .match_indices("<KodBledu>")
        .map(|(i, _)| between(&v[i..], "KodBledu").expect("code"))
        .filter(|c| c != "0")
        .collect();
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct, ["185", "W145"], "{v}");
    assert!(!v.contains("<Rodzaj>BLAD</Rodzaj>"), "{v}");
}
