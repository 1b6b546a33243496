//! The ZUS channel requests against the contract: every request body ezla writes, for
//! every operation of the 2018 WSDL, validates with `xmllint --schema` against the one
//! `xsd:schema` of the WSDL (extracted into a temporary file here; the vectors live outside
//! the repository). The operations newer than the WSDL validate against
//! `tests/data/zus-later.xsd`, a small schema inferred from third-party code [S].
//!
//! What is validated is the **body element alone** (`ns:<operation>` with its namespace
//! declaration, cut from the envelope): the WSDL's schema describes exactly that element,
//! and the SOAP envelope around it is checked separately (it parses, and its Body holds that
//! one element). For `BodyNamespace::ZusGovPl` the schema's target namespace is rewritten to
//! `zus.gov.pl` in the temporary copy.
//!
//! Also here: the signed KEDU and the signed login statement travel as escaped strings and
//! come back byte for byte (CR, tabs, non-ASCII, `&`, `<`, `]]>`), read back both by ezla's
//! parser and by `xmllint`, and the KEDU still verifies.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use ezla::kedu::{Wariant, WriteOptions, Zla};
use ezla::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use ezla::soap::{Body, Envelope};
use ezla::xades::{self, SignOptions, VerifyOptions};
use ezla::zus::dictionary::*;
use ezla::zus::doctor::*;
use ezla::zus::documents::*;
use ezla::zus::lifecycle::*;
use ezla::zus::numbering::*;
use ezla::zus::patient::*;
use ezla::zus::read::*;
use ezla::zus::requests::*;
use ezla::zus::session::*;
use ezla::zus::*;
use ezla::{ErrorCode, pl::Nip};
use time::macros::{date, datetime};

fn id() -> IdSesji {
    IdSesji::new("A1b2C3d4E5f6").expect("test value")
}

fn sn(seria: &str, numer: &str) -> SeriaNumer {
    SeriaNumer {
        seria: seria.into(),
        numer: numer.into(),
    }
}

fn pesel() -> IdentyfikacjaUbezpieczonego {
    IdentyfikacjaUbezpieczonego::Pesel("44051401359".parse().expect("test value"))
}

fn nip() -> Nip {
    "1234563218".parse().expect("test value")
}

const PAGE: Stronicowanie = Stronicowanie {
    rekordy_od: 1,
    liczba_rekordow: 50,
};

const KEDU: &str = "<KEDU xmlns=\"http://www.zus.pl/2015/KED_ZLA_1\" wersja_schematu=\"1\">\r\n\t<ZUSZLA id_dokumentu=\"155565\" kolejnosc=\"0\"/>\r\n</KEDU>";

/// One request of `O`, as (name, in the 2018 WSDL, request).
fn req<O: Operation>(op: O, ns: BodyNamespace) -> (&'static str, bool, SoapRequest) {
    (O::NAME, O::IN_WSDL_2018, op.request(ns).expect(O::NAME))
}

/// Every operation with realistic values; some more than once (other variants).
fn all_requests(ns: BodyNamespace) -> Vec<(&'static str, bool, SoapRequest)> {
    let dok = |r: &str| Dokument::new(r, KEDU);
    let filtr_pue = Filtrowanie {
        warunki: vec![WarunekFiltrowania {
            kolumna: KolumnaPue::NiezdolnoscDoPracyOd,
            operator: Operator::LargerThanOrEqualTo,
            wartosc: Some("2026-11-01".into()),
        }],
        zlaczenie: Zlaczenie::And,
    };
    let sort_ksi = Sortowanie {
        warunki: vec![
            (KolumnaKsi::DataWystawieniaZla, Kierunek::Desc),
            (KolumnaKsi::SeriaZla, Kierunek::Asc),
        ],
    };
    let filtr_ksi = Filtrowanie {
        warunki: vec![WarunekFiltrowania {
            kolumna: KolumnaKsi::PeselUbezpieczonego,
            operator: Operator::EqualTo,
            wartosc: Some("44051401359".into()),
        }],
        zlaczenie: Zlaczenie::Or,
    };
    vec![
        // session
        req(PobierzOswiadczenie, ns),
        req(
            ZalogujPodpisem {
                podpisane_oswiadczenie: "<Oswiadczenie><Tresc>Logowanie Lekarza</Tresc><Token>CK-1</Token></Oswiadczenie>".into(),
                metoda_weryfikacji: MetodaWeryfikacji::Certyfikat,
                numer_prawa_wykonywania_zawodu: None,
            },
            ns,
        ),
        req(UsunSesje { id_sesji: id() }, ns),
        // doctor
        req(PobierzDaneLekarza { id_sesji: id() }, ns),
        req(PobierzMiejsceWykonywaniaZawodu { id_sesji: id() }, ns),
        req(PobierzUprawnieniaNaDzien { id_sesji: id(), data: Some(date!(2026 - 12 - 01)) }, ns),
        req(PobierzUprawnieniaNaDzien { id_sesji: id(), data: None }, ns),
        // patient and payers
        req(
            PobierzDaneUbezpieczonego {
                id_sesji: id(),
                ubezpieczony: pesel(),
                kontekst_dostepu: KontekstDostepu::WystawienieZla,
            },
            ns,
        ),
        req(
            PobierzDaneUbezpieczonego {
                id_sesji: id(),
                ubezpieczony: IdentyfikacjaUbezpieczonego::Paszport("AB1234567".into()),
                kontekst_dostepu: KontekstDostepu::SzczegolyNowe,
            },
            ns,
        ),
        req(
            PobierzCzlonkowRodzinyUbezpieczonego {
                id_sesji: id(),
                ubezpieczony: pesel(),
                kontekst_dostepu: KontekstDostepu::WystawienieZla,
            },
            ns,
        ),
        req(PobierzPlatnikowUbezpieczonego { id_sesji: id(), ubezpieczony: pesel() }, ns),
        req(PobierzDanePlatnika { id_sesji: id(), platnik: IdentyfikacjaPlatnika::Nip(nip()) }, ns),
        req(
            PobierzDanePlatnika {
                id_sesji: id(),
                platnik: IdentyfikacjaPlatnika::Pesel("44051401359".parse().expect("test value")),
            },
            ns,
        ),
        req(PobierzAdresyPlacowek { id_sesji: id(), nip: nip() }, ns),
        // numbering
        req(PobierzSeriaNumerZla { id_sesji: id() }, ns),
        req(PobierzIdentyfikatorDokumentu { id_sesji: id(), ilosc_identyfikatorow: 2 }, ns),
        req(RezerwujSeriaNumerZla { id_sesji: id(), liczba: 10 }, ns),
        req(
            NadajSeriaNumerZla {
                id_sesji: id(),
                pary: vec![ParaDokumentow {
                    nr_ref: Some("para-1".into()),
                    oryginal: dok("o-1"),
                    kopia: dok("k-1"),
                }],
            },
            ns,
        ),
        // documents
        req(WalidujDokumenty { id_sesji: id(), tryb: Tryb::Biezacy, dokumenty: vec![dok("o-1")] }, ns),
        req(
            WalidujDokumenty {
                id_sesji: id(),
                tryb: Tryb::Alternatywny,
                dokumenty: vec![dok("o-1"), dok("k-1")],
            },
            ns,
        ),
        req(
            WyslijDokumenty {
                id_sesji: id(),
                tryb: Tryb::Biezacy,
                dokumenty: vec![dok("o-1"), Dokument { nr_ref: None, kedu: KEDU.into() }],
            },
            ns,
        ),
        // read
        req(
            PobierzDokument {
                id_sesji: id(),
                rodzaj_dokumentu: RodzajDokumentu::KopiaZla,
                seria_numer: sn("ZY", "1234567"),
                kontekst_dostepu: KontekstDostepu::WyszukanieZla,
            },
            ns,
        ),
        req(
            PobierzUppDlaDokumentu {
                id_sesji: id(),
                rodzaj_dokumentu: RodzajDokumentu::Zla,
                seria_numer: sn("ZY", "1234567"),
            },
            ns,
        ),
        req(
            PobierzListeBiezacychZlaLekarza {
                id_sesji: id(),
                stronicowanie: PAGE,
                sortowanie: Some(Sortowanie { warunki: vec![(KolumnaPue::Status, Kierunek::Asc)] }),
                filtrowanie: Some(filtr_pue),
                kontekst_dostepu: KontekstDostepu::WyszukanieZla,
                nip_placowki: Some(nip()),
            },
            ns,
        ),
        req(
            PobierzListePrzetworzonychZlaLekarza {
                id_sesji: id(),
                stronicowanie: PAGE,
                sortowanie: Some(sort_ksi.clone()),
                filtrowanie: Some(filtr_ksi.clone()),
                kontekst_dostepu: KontekstDostepu::WyszukanieZla,
                nip_placowki: None,
            },
            ns,
        ),
        req(
            PobierzListeZlaUbezpieczonego {
                id_sesji: id(),
                ubezpieczony: pesel(),
                stronicowanie: PAGE,
                sortowanie: Some(sort_ksi),
                filtrowanie: Some(filtr_ksi),
                kontekst_dostepu: KontekstDostepu::WyszukanieZla,
            },
            ns,
        ),
        req(
            PobierzSzczegolyZlaBiezace {
                id_sesji: id(),
                seria_numer: sn("ZY", "1234567"),
                kontekst_dostepu: KontekstDostepu::SzczegolyAnulowanie,
            },
            ns,
        ),
        req(
            PobierzSzczegolyZlaPrzetworzone {
                id_sesji: id(),
                seria_numer: sn("ZY", "1234567"),
                kontekst_dostepu: KontekstDostepu::SzczegolyPlatnik,
            },
            ns,
        ),
        req(PobierzListePowiazanychZla { id_sesji: id(), zla: sn("ZY", "1234567") }, ns),
        req(
            PobierzListePr4Ubezpieczonego {
                id_sesji: id(),
                stronicowanie: PAGE,
                ubezpieczony: pesel(),
                data_od: Some(date!(2026 - 01 - 01)),
                data_do: Some(date!(2026 - 12 - 31)),
                kontekst_dostepu: KontekstDostepu::WyszukanieZla,
            },
            ns,
        ),
        req(
            PobierzStatusyDrukowZla {
                id_sesji: id(),
                stronicowanie: PAGE,
                sortowanie: Some(Sortowanie { warunki: vec![(KolumnaDruku::SeriaNumer, Kierunek::Asc)] }),
                filtrowanie: Some(Filtrowanie {
                    warunki: vec![WarunekFiltrowania {
                        kolumna: KolumnaDruku::Status,
                        operator: Operator::IsNotEmpty,
                        wartosc: None,
                    }],
                    zlaczenie: Zlaczenie::And,
                }),
                nip_placowki: Some(nip()),
            },
            ns,
        ),
        // lifecycle
        req(
            SprawdzMozliwoscAnulowania {
                id_sesji: id(),
                seria_numer: vec![sn("ZY", "1234567"), sn("ZW", "7654321")],
            },
            ns,
        ),
        req(SprawdzMozliwoscElektronizacji { id_sesji: id(), seria_numer: vec![sn("ZY", "1234567")] }, ns),
        req(SprawdzMozliwoscUniewaznienia { id_sesji: id(), seria_numer: vec![] }, ns),
        req(
            NotyfikujAnulowanieZla {
                id_sesji: id(),
                seria_numer: vec![sn("ZY", "1234567")],
                miejsce_wykonywania_zawodu: "Przychodnia Zdrowie Sp. z o.o.".into(),
                dodatkowe_informacje: None,
            },
            ns,
        ),
        req(
            NotyfikujAnulowanieZla {
                id_sesji: id(),
                seria_numer: vec![sn("ZY", "1234567")],
                miejsce_wykonywania_zawodu: "Przychodnia".into(),
                dodatkowe_informacje: Some("błąd w danych płatnika".into()),
            },
            ns,
        ),
        // dictionaries
        req(
            PobierzKodChoroby {
                id_sesji: id(),
                stronicowanie: PAGE,
                sortowanie: Some(Sortowanie {
                    warunki: vec![(KolumnaKodowChorob::StatystycznyKodChoroby, Kierunek::Asc)],
                }),
                filtrowanie: Some(Filtrowanie {
                    warunki: vec![WarunekFiltrowania {
                        kolumna: KolumnaKodowChorob::NazwaChoroby,
                        operator: Operator::Contains,
                        wartosc: Some("grypa".into()),
                    }],
                    zlaczenie: Zlaczenie::And,
                }),
            },
            ns,
        ),
        req(PobierzOpisChoroby { id_sesji: id(), statystyczny_kod_choroby: "J06".into() }, ns),
        req(
            PobierzLiterowyKodChoroby {
                id_sesji: id(),
                data_poczatku_niezdolnosci: date!(2026 - 11 - 30),
                statystyczny_kod_choroby: "A15".into(),
                ubezpieczony: pesel(),
            },
            ns,
        ),
        req(PobierzSlownikKodowPokrewienstwa { id_sesji: id() }, ns),
        req(PobierzSlownikPrzyczynAnulowania { id_sesji: id() }, ns),
        req(PobierzSlownikPrzyczynUniewaznienia { id_sesji: id() }, ns),
        req(SprawdzProfilRehabilitacji { id_sesji: id(), kod_choroby: "M54".into() }, ns),
        // requests (wnioski)
        req(
            WalidujWniosek {
                id_sesji: id(),
                dokument_xml: "<FZLA>podpisany &amp; wniosek</FZLA>".into(),
                typ_dokumentu: RodzajWniosku::Fzla,
            },
            ns,
        ),
        req(
            WyslijWniosek {
                id_sesji: id(),
                dokument_xml: "<PR4/>".into(),
                typ_dokumentu: RodzajWniosku::Pr4,
            },
            ns,
        ),
    ]
}

/// Later-than-WSDL variants (validated against `zus-later.xsd`).
fn later_requests(ns: BodyNamespace) -> Vec<(&'static str, bool, SoapRequest)> {
    let mut v = vec![req(
        ZalogujPodpisem {
            podpisane_oswiadczenie: "<Oswiadczenie/>".into(),
            metoda_weryfikacji: MetodaWeryfikacji::EPuap,
            numer_prawa_wykonywania_zawodu: Some("5425740".into()),
        },
        ns,
    )];
    v.push(req(PobierzSeriaNumerZla { id_sesji: id() }, ns));
    v
}

/// The body element of an envelope, cut out of it (it declares its own namespace).
fn body_element(envelope: &str) -> &str {
    let start = envelope.find("<soapenv:Body>").expect("Body") + "<soapenv:Body>".len();
    let end = envelope.rfind("</soapenv:Body>").expect("end of Body");
    &envelope[start..end]
}

fn tool_present(program: &str) -> bool {
    match Command::new(program).arg("--version").output() {
        Ok(_) => true,
        Err(_) if std::env::var_os("EZLA_REQUIRE_TOOLS").is_none() => {
            println!("NOTICE: {program} not found; skipping the check it performs");
            false
        }
        Err(e) => panic!("{program} is required (EZLA_REQUIRE_TOOLS is set): {e}"),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ezla-zus-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The WSDL's one `xsd:schema` element as a standalone schema, its target namespace
/// rewritten for `ns`.
fn wsdl_schema(ns: BodyNamespace) -> Option<String> {
    let wsdl = common::vectors_dir()?.join("ezla/zus_channel_gabinetowe_zla_2018.wsdl");
    let text = std::fs::read_to_string(&wsdl).expect("read the WSDL");
    let start = text.find("<xsd:schema").expect("xsd:schema");
    let end = text.find("</xsd:schema>").expect("end of xsd:schema") + "</xsd:schema>".len();
    let schema = &text[start..end];
    assert_eq!(
        text.matches("<xsd:schema").count(),
        1,
        "one schema in the WSDL"
    );
    Some(schema.replace(BodyNamespace::ZusPl.uri(), ns.uri()))
}

fn xmllint_validate(schema: &Path, file: &Path) -> (bool, String) {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(file)
        .output()
        .expect("run xmllint");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The operations and SOAPActions of the WSDL's binding.
fn wsdl_operations() -> Option<Vec<(String, String)>> {
    let wsdl = common::vectors_dir()?.join("ezla/zus_channel_gabinetowe_zla_2018.wsdl");
    let text = std::fs::read_to_string(wsdl).expect("read the WSDL");
    let binding = &text[text.find("<wsdl:binding").expect("binding")..];
    let mut ops = Vec::new();
    for part in binding.split("<wsdl:operation name=\"").skip(1) {
        let name = &part[..part.find('"').expect("quote")];
        let action_at = part.find("soapAction=\"").expect("soapAction") + "soapAction=\"".len();
        let action = &part[action_at..action_at + part[action_at..].find('"').expect("quote")];
        ops.push((name.to_string(), action.to_string()));
    }
    Some(ops)
}

#[test]
fn every_wsdl_operation_has_a_request_with_the_wsdl_soap_action() {
    let Some(ops) = wsdl_operations() else { return };
    assert_eq!(ops.len(), 39, "the 2018 WSDL has 39 operations");
    let ours = all_requests(BodyNamespace::ZusPl);
    for (name, action) in &ops {
        let (_, in_wsdl, r) = ours
            .iter()
            .find(|(n, _, _)| n == name)
            .unwrap_or_else(|| panic!("no request for {name}"));
        assert!(*in_wsdl, "{name} is in the 2018 WSDL");
        assert_eq!(&r.soap_action, action, "{name}");
    }
    for (name, in_wsdl, _) in &ours {
        assert_eq!(*in_wsdl, ops.iter().any(|(n, _)| n == name), "{name}");
    }
}

#[test]
fn every_envelope_parses_with_one_body_element_in_the_namespace() {
    for ns in BodyNamespace::ALL {
        for (name, _, r) in all_requests(ns).into_iter().chain(later_requests(ns)) {
            assert_eq!(r.operation, name);
            let env = Envelope::parse(r.body.as_bytes(), &Default::default()).expect(name);
            match env.body() {
                Ok(Body::Element(e)) => assert!(e.is(ns.uri(), name), "{name}"),
                other => panic!("{name}: {other:?}"),
            }
        }
    }
}

#[test]
fn request_bodies_validate_against_the_wsdl_schema() {
    if !tool_present("xmllint") {
        return;
    }
    for ns in BodyNamespace::ALL {
        let Some(schema) = wsdl_schema(ns) else {
            return;
        };
        let dir = scratch(&format!("wsdl-{ns:?}"));
        let xsd = dir.join("zus-2018.xsd");
        std::fs::write(&xsd, schema).expect("write schema");
        let mut count = 0;
        for (i, (name, in_wsdl, r)) in all_requests(ns).into_iter().enumerate() {
            if !in_wsdl {
                continue;
            }
            let file = dir.join(format!("{i:02}-{name}.xml"));
            std::fs::write(&file, body_element(&r.body)).expect("write body");
            let (ok, stderr) = xmllint_validate(&xsd, &file);
            assert!(
                ok,
                "{name} ({ns:?}) does not validate:\n{stderr}\n{}",
                r.body
            );
            count += 1;
        }
        println!("{ns:?}: {count} request bodies validate against the 2018 WSDL schema");
        assert!(count >= 39);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn later_request_bodies_validate_against_the_supplemental_schema() {
    if !tool_present("xmllint") {
        return;
    }
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/zus-later.xsd");
    let dir = scratch("later");
    for (i, (name, _, r)) in later_requests(BodyNamespace::ZusPl).into_iter().enumerate() {
        let file = dir.join(format!("{i:02}-{name}.xml"));
        std::fs::write(&file, body_element(&r.body)).expect("write body");
        let (ok, stderr) = xmllint_validate(&xsd, &file);
        assert!(ok, "{name} does not validate:\n{stderr}\n{}", r.body);
    }
    // The 2018 WSDL refuses the third login element: the supplemental schema is needed.
    if let Some(schema) = wsdl_schema(BodyNamespace::ZusPl) {
        let old = dir.join("zus-2018.xsd");
        std::fs::write(&old, schema).expect("write schema");
        let (_, _, login) = &later_requests(BodyNamespace::ZusPl)[0];
        let file = dir.join("npwz.xml");
        std::fs::write(&file, body_element(&login.body)).expect("write body");
        assert!(
            !xmllint_validate(&old, &file).0,
            "the 2018 schema has no NPWZ element"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn values_the_wsdl_types_refuse_are_invalid_arguments() {
    let ns = BodyNamespace::ZusPl;
    let bad_series = PobierzUppDlaDokumentu {
        id_sesji: id(),
        rodzaj_dokumentu: RodzajDokumentu::Zla,
        seria_numer: sn("zy", "1234567"),
    };
    let short = PobierzListePowiazanychZla {
        id_sesji: id(),
        zla: sn("ZY", "123456"),
    };
    let code = PobierzOpisChoroby {
        id_sesji: id(),
        statystyczny_kod_choroby: "J06.9".into(),
    };
    let nr_ref = WalidujDokumenty {
        id_sesji: id(),
        tryb: Tryb::Biezacy,
        dokumenty: vec![Dokument::new("a;b", KEDU)],
    };
    let none = WyslijDokumenty {
        id_sesji: id(),
        tryb: Tryb::Biezacy,
        dokumenty: vec![],
    };
    let control = ZalogujPodpisem {
        podpisane_oswiadczenie: "a\u{1}b".into(),
        metoda_weryfikacji: MetodaWeryfikacji::Certyfikat,
        numer_prawa_wykonywania_zawodu: None,
    };
    let passport = PobierzPlatnikowUbezpieczonego {
        id_sesji: id(),
        ubezpieczony: IdentyfikacjaUbezpieczonego::Paszport("AB 123".into()),
    };
    let errors = [
        bad_series.request(ns).expect_err("refused"),
        short.request(ns).expect_err("refused"),
        code.request(ns).expect_err("refused"),
        nr_ref.request(ns).expect_err("refused"),
        none.request(ns).expect_err("refused"),
        control.request(ns).expect_err("refused"),
        passport.request(ns).expect_err("refused"),
    ];
    for e in errors {
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    }
    assert!(IdSesji::new("").is_err());
    assert!(IdSesji::new("ab-1").is_err());
    assert_eq!(format!("{:?}", id()), "IdSesji(<12 characters>)");
}

/// A real signed KEDU, with CRLF line ends, a tab, non-ASCII text and a comment holding
/// `&`, `<` and `]]>`.
fn signed_kedu() -> Vec<u8> {
    const ZLA: &str = r#"{
      "ubezpieczony": { "pesel": "44051401359", "imie": "Zażółć", "nazwisko": "Gęślą-Jaźń",
                        "kod_ubezpieczenia": "zus" },
      "adres": { "kod_pocztowy": "00950", "miejscowosc": "Łódź", "ulica": "Długa & Krótka",
                 "nr_domu": "5" },
      "niezdolnosc": { "okres": { "od": "2026-11-30", "do": "2026-12-06" },
                       "wskazanie": "moze_chodzic", "kod_choroby": "J06" },
      "platnik": { "rodzaj": "nip", "identyfikator": "1234563218" },
      "placowka": { "nazwa": "Przychodnia <Zdrowie>", "kod_pocztowy": "00950",
                    "miejscowosc": "Warszawa", "nr_domu": "1" },
      "lekarz": { "npwz": "5425740", "imie": "Anna", "nazwisko": "Nowak" },
      "wystawienie": { "data_wystawienia": "2026-12-01" }
    }"#;
    let zla = Zla::from_json(ZLA).expect("model");
    let xml = zla
        .to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(date!(2026 - 12 - 01)),
        )
        .expect("xml");
    let text = String::from_utf8(xml).expect("utf8");
    let root_end = text.find("<ZUSZLA").expect("ZUSZLA");
    let text = format!(
        "{}<!-- a ]]> b & c < d -->\n\t{}",
        &text[..root_end],
        &text[root_end..]
    )
    .replace('\n', "\r\n");
    let ca = TestCa::generate("zus CA", datetime!(2025-01-01 00:00 UTC), 3650).expect("ca");
    let mut spec = DoctorSpec::new("Anna", "Nowak", "44051401359".parse().expect("pesel"));
    spec.options = IssueOptions::doctor(datetime!(2026-01-01 00:00 UTC));
    let doctor = ca.issue_doctor(&spec).expect("doctor");
    xades::sign_with_identity(
        text.as_bytes(),
        &doctor,
        &SignOptions::default().deterministic(datetime!(2026-12-01 09:00 UTC), "zla"),
    )
    .expect("sign")
}

/// The text of the innermost `KEDU` (or of `element`) in an envelope, read by ezla.
fn text_by_ezla(envelope: &str, element: &str) -> String {
    let env = Envelope::parse(envelope.as_bytes(), &Default::default()).expect("parse");
    let Ok(Body::Element(op)) = env.body() else {
        panic!("body")
    };
    let mut found = None;
    let mut stack = vec![op];
    while let Some(e) = stack.pop() {
        if e.local_name() == element && e.children().next().is_none() {
            found = Some(e.text());
        }
        stack.extend(e.children());
    }
    found.expect("element")
}

#[test]
fn signed_documents_travel_byte_for_byte() {
    let signed = String::from_utf8(signed_kedu()).expect("utf8");
    for needle in ["\r\n", "\t", "ż", "&amp;", "&lt;", "]]>", "<!--"] {
        assert!(signed.contains(needle), "the sample holds {needle:?}");
    }
    let at = datetime!(2026-12-01 09:00 UTC);
    xades::verify(signed.as_bytes(), &VerifyOptions::default().at(at)).expect("verifies");

    let send = WyslijDokumenty {
        id_sesji: id(),
        tryb: Tryb::Biezacy,
        dokumenty: vec![Dokument::new("o-1", signed.clone())],
    }
    .request(BodyNamespace::ZusPl)
    .expect("request");
    assert!(
        !send.body.contains('\r'),
        "CR travels as a character reference"
    );
    let back = text_by_ezla(&send.body, "KEDU");
    assert!(back == signed, "ezla reads other bytes");
    xades::verify(back.as_bytes(), &VerifyOptions::default().at(at)).expect("still verifies");

    let login = ZalogujPodpisem {
        podpisane_oswiadczenie: signed.clone(),
        metoda_weryfikacji: MetodaWeryfikacji::Certyfikat,
        numer_prawa_wykonywania_zawodu: None,
    }
    .request(BodyNamespace::ZusGovPl)
    .expect("request");
    assert!(text_by_ezla(&login.body, "PodpisaneOswiadczenie") == signed);

    // An independent reader: xmllint's XPath string() of the element.
    if !tool_present("xmllint") {
        return;
    }
    let dir = scratch("roundtrip");
    let file = dir.join("send.xml");
    std::fs::write(&file, &send.body).expect("write");
    let out = Command::new("xmllint")
        .args([
            "--xpath",
            "string(//*[local-name()='KEDU']/*[local-name()='KEDU'])",
        ])
        .arg(&file)
        .output()
        .expect("xmllint");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // xmllint ends its output with a line break of its own.
    let read = out.stdout.strip_suffix(b"\n").unwrap_or(&out.stdout);
    assert!(
        read == signed.as_bytes(),
        "xmllint reads other bytes ({} vs {})",
        read.len(),
        signed.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
