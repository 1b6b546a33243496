//! Tests of the e-ZLA model against the ZUS-validated samples and rule by rule.

use time::Date;
use time::macros::date;

use super::codes::{
    KodLiterowy, KodPokrewienstwa, KodUbezpieczenia, RodzajIdentyfikatora, Wskazanie,
};
use super::*;
use crate::error::DocumentError;
use crate::xml::Document;
use crate::xml::c14n::{Canonicalizer, Method};
use crate::{Error, ErrorCode};

const TODAY: Date = date!(2026 - 12 - 01);

/// A complete, valid certificate (made-up test data: test PESEL and NIP with valid check
/// digits, the NIL example licence number).
pub(super) fn przyklad() -> Zla {
    Zla {
        id_dokumentu: IdDokumentu {
            oryginal: Some("1001".into()),
            kopia: Some("1002".into()),
        },
        seria_numer: Some(SeriaNumer {
            seria: "ZW".into(),
            numer: "1234567".into(),
        }),
        ubezpieczony: Some(Ubezpieczony {
            pesel: Some("44051401359".into()),
            imie: "Jan".into(),
            nazwisko: "Kowalski".into(),
            kod_ubezpieczenia: Some(KodUbezpieczenia::Zus),
            paszport: None,
            data_urodzenia: Some(date!(1944 - 05 - 14)),
        }),
        adres: Some(Adres {
            kod_pocztowy: "00950".into(),
            miejscowosc: "Warszawa".into(),
            ulica: Some("Długa".into()),
            nr_domu: "5".into(),
            nr_lokalu: Some("12".into()),
        }),
        niezdolnosc: Some(Niezdolnosc {
            okres: Some(Okres::new(date!(2026 - 11 - 28), date!(2026 - 12 - 10))),
            pobyt_w_szpitalu: Some(Okres::new(date!(2026 - 11 - 28), date!(2026 - 11 - 30))),
            wskazanie: Some(Wskazanie::PowinienLezec),
            kody_literowe: vec![KodLiterowy::A, KodLiterowy::D],
            kod_choroby: Some("J18".into()),
            opieka: None,
        }),
        platnik: Some(Platnik::nip("1234563218")),
        placowka: Some(Placowka {
            nazwa: "Przychodnia \"Zdrowie\" & Syn <Sp. z o.o.>".into(),
            kod_pocztowy: "00950".into(),
            miejscowosc: "Warszawa".into(),
            ulica: Some("Marszałkowska".into()),
            nr_domu: "100".into(),
            nr_lokalu: None,
        }),
        lekarz: Some(Lekarz {
            npwz: "5425740".into(),
            imie: "Anna".into(),
            nazwisko: "Nowak".into(),
        }),
        wystawienie: Some(Wystawienie {
            data_wystawienia: Some(date!(2026 - 12 - 01)),
            data_elektronizacji: None,
            uzasadnienie_wsteczne: None,
            anulowane_zla: None,
            powiazane_zla: None,
            pobyt_stacjonarny_zoz: false,
            ukryte_dla_platnika: false,
            nip_placowki: Some("5260250274".into()),
        }),
    }
}

fn samples() -> Option<[(Vec<u8>, Wariant); 2]> {
    let dir = crate::test_support::vectors_dir()?.join("ezla");
    let read = |name: &str| match std::fs::read(dir.join(name)) {
        Ok(b) => Some(b),
        Err(_) => {
            println!("NOTICE: {name} not found; skipping");
            None
        }
    };
    Some([
        (
            read("ked_zla_unsigned_oryginal_medfile.xml")?,
            Wariant::Oryginal,
        ),
        (read("ked_zla_unsigned_kopia_medfile.xml")?, Wariant::Kopia),
    ])
}

fn c14n(xml: &[u8]) -> Vec<u8> {
    let doc = Document::parse_bytes(xml).expect("well-formed");
    Canonicalizer::new(Method::Inclusive10)
        .document(&doc)
        .expect("canonical form")
}

fn medfile() -> WriteOptions {
    WriteOptions::default()
        .with_program(Program {
            producent: "Medfile".into(),
            symbol: "eZLA".into(),
            wersja: "1.0".into(),
        })
        .with_today(date!(2020 - 11 - 26))
}

fn has(v: &Validation, path: &str, rule: &str, severity: Severity) -> bool {
    v.problems
        .iter()
        .any(|p| p.path == path && p.rule == rule && p.severity == severity)
}

fn errors_at(v: &Validation) -> Vec<(String, &'static str)> {
    v.errors()
        .iter()
        .map(|p| (p.path.clone(), p.rule))
        .collect()
}

#[test]
fn samples_round_trip_to_the_same_canonical_form() {
    let Some(samples) = samples() else { return };
    for (xml, wariant) in &samples {
        let (zla, read_as) = Zla::from_xml(xml).expect("sample parses");
        assert_eq!(read_as, *wariant);
        let ours = zla.to_xml(*wariant, &medfile()).expect("sample writes");
        assert_eq!(
            String::from_utf8_lossy(&c14n(&ours)),
            String::from_utf8_lossy(&c14n(xml)),
            "{wariant}"
        );
        let (again, _) = Zla::from_xml(&ours).expect("ours parses");
        assert_eq!(again, zla);
    }
}

#[test]
fn samples_read_as_the_field_map_says() {
    let Some([(o, _), (k, _)]) = samples() else {
        return;
    };
    let d = Zla::read_xml(&o).expect("ORYGINAŁ");
    assert_eq!(d.program.producent, "Medfile");
    assert_eq!(d.kolejnosc.as_deref(), Some("0"));
    assert!(!d.podpisany);
    let zla = d.zla;
    assert_eq!(zla.id_dokumentu.oryginal.as_deref(), Some("155565"));
    assert_eq!(zla.seria_numer, None);
    let u = zla.ubezpieczony.as_ref().expect("II");
    assert_eq!(u.pesel.as_deref(), Some("68071892605"));
    assert_eq!(u.kod_ubezpieczenia, Some(KodUbezpieczenia::Zus));
    let n = zla.niezdolnosc.as_ref().expect("IV");
    assert_eq!(
        n.okres,
        Some(Okres::new(date!(2020 - 11 - 27), date!(2020 - 11 - 27)))
    );
    assert_eq!(n.wskazanie, Some(Wskazanie::MozeChodzic));
    assert_eq!(n.kod_choroby.as_deref(), Some("K02"));
    assert_eq!(zla.platnik, Some(Platnik::nip("6707035254")));
    let w = zla.wystawienie.as_ref().expect("VIII");
    assert_eq!(w.nip_placowki.as_deref(), Some("3962382940"));
    assert_eq!(w.data_elektronizacji, Some(date!(2020 - 11 - 26)));

    let (kopia, _) = Zla::from_xml(&k).expect("KOPIA");
    assert_eq!(
        kopia
            .niezdolnosc
            .as_ref()
            .and_then(|n| n.kod_choroby.clone()),
        None
    );
    let pair = Zla::from_pair(&o, &k).expect("the samples are one pair");
    assert_eq!(pair.id_dokumentu.kopia.as_deref(), Some("155566"));
    assert_eq!(
        pair.niezdolnosc
            .as_ref()
            .and_then(|n| n.kod_choroby.as_deref()),
        Some("K02")
    );
    // From the merged model both documents come back as the samples.
    for (xml, wariant) in [(&o, Wariant::Oryginal), (&k, Wariant::Kopia)] {
        let ours = pair.to_xml(wariant, &medfile()).expect("write");
        assert_eq!(c14n(&ours), c14n(xml), "{wariant}");
    }
    assert_eq!(
        Zla::from_pair(&k, &o).expect_err("swapped").code(),
        ErrorCode::DocumentMalformed
    );
    let other = String::from_utf8_lossy(&k).replace("Jakubowski", "Jakubowska");
    let e = Zla::from_pair(&o, other.as_bytes()).expect_err("different");
    assert!(e.to_string().contains("different certificates"), "{e}");
    let with_icd = String::from_utf8_lossy(&k).replace("<p3>2</p3>", "<p3>2</p3><p8>K02</p8>");
    let e = Zla::from_pair(&o, with_icd.as_bytes()).expect_err("ICD in KOPIA");
    assert!(
        e.to_string().contains("KOPIA carries the ICD-10 code"),
        "{e}"
    );
}

/// ZUS answered the samples with warnings only (W145: no series and number; 185: id not
/// reserved). We find no error either, and warn about the series and number where ZUS did.
#[test]
fn samples_validate_like_zus_did() {
    let Some(samples) = samples() else { return };
    let dir = crate::test_support::vectors_dir()
        .expect("present")
        .join("ezla");
    let observed = std::fs::read_to_string(dir.join("dictionaries_medfile.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    for (xml, wariant) in &samples {
        let v = check(xml, date!(2020 - 11 - 26)).expect("check");
        assert!(v.is_valid(), "{wariant}: {:?}", v.errors());
        let w145 = v
            .warnings()
            .into_iter()
            .find(|p| p.rule == "seria_numer")
            .cloned()
            .expect("W145");
        if let Some(obs) = &observed {
            let loc = obs["walidujDokumenty_observed_warnings"][0]["Lokalizacja"]
                .as_str()
                .unwrap_or_default();
            assert!(
                loc.starts_with(&w145.element),
                "{} is not where ZUS located W145 ({loc})",
                w145.element
            );
        }
    }
}

#[test]
fn the_example_is_valid_and_both_documents_round_trip() {
    let zla = przyklad();
    let v = zla.validate(TODAY);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let options = WriteOptions::default().with_today(TODAY);
    let o = zla.to_xml(Wariant::Oryginal, &options).expect("ORYGINAŁ");
    let k = zla.to_xml(Wariant::Kopia, &options).expect("KOPIA");
    let (zo, wo) = Zla::from_xml(&o).expect("parse ORYGINAŁ");
    let (zk, wk) = Zla::from_xml(&k).expect("parse KOPIA");
    assert_eq!((wo, wk), (Wariant::Oryginal, Wariant::Kopia));
    let mut expected = zla.clone();
    expected.id_dokumentu.kopia = None;
    assert_eq!(zo, expected);
    let mut expected = zla.clone();
    expected.id_dokumentu.oryginal = None;
    if let Some(n) = expected.niezdolnosc.as_mut() {
        n.kod_choroby = None;
    }
    assert_eq!(zk, expected);
    assert_eq!(Zla::from_pair(&o, &k).expect("pair"), zla);
    assert_eq!(
        zla.to_xml_pair(&options).expect("pair"),
        (o.clone(), k.clone())
    );

    let text = String::from_utf8(o).expect("UTF-8");
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""));
    assert!(text.contains("<ZUSZLA id_dokumentu=\"1001\" kolejnosc=\"0\">"));
    assert!(text.contains("<p2>ORYGINAŁ</p2>"));
    assert!(text.contains("Przychodnia \"Zdrowie\" &amp; Syn &lt;Sp. z o.o.&gt;"));
    assert!(text.contains("<p4>A</p4>\n      <p5>D</p5>\n      <p8>J18</p8>"));
    let text = String::from_utf8(k).expect("UTF-8");
    assert!(text.contains("<ZUSZLA id_dokumentu=\"1002\" kolejnosc=\"1\">"));
    assert!(
        !text.contains("<p8>J18"),
        "the KOPIA carries no ICD-10 code"
    );
    assert!(
        check(text.as_bytes(), TODAY)
            .expect("check")
            .problems
            .is_empty()
    );
}

#[test]
fn program_header_and_issue_date_options() {
    let zla = przyklad();
    let options = WriteOptions::default()
        .with_today(TODAY)
        .with_data_wystawienia(date!(2026 - 11 - 30))
        .with_program(Program {
            producent: "Klinika & Co".into(),
            symbol: "eZLA".into(),
            wersja: "2.5".into(),
        });
    let xml = zla.to_xml(Wariant::Oryginal, &options).expect("write");
    let d = Zla::read_xml(&xml).expect("read");
    assert_eq!(d.program.producent, "Klinika & Co");
    assert_eq!(d.program.wersja, "2.5");
    assert_eq!(
        d.zla.wystawienie.and_then(|w| w.data_wystawienia),
        Some(date!(2026 - 11 - 30))
    );
    let mut bad = WriteOptions::default().with_today(TODAY);
    bad.producent = String::new();
    assert_eq!(
        zla.to_xml(Wariant::Oryginal, &bad)
            .expect_err("empty")
            .code(),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn json_round_trip_and_errors() {
    let zla = przyklad();
    let json = zla.to_json();
    assert!(json.contains("\"kod_ubezpieczenia\": \"zus\""), "{json}");
    assert!(json.contains("\"do\": \"2026-12-10\""), "{json}");
    assert_eq!(Zla::from_json(&json).expect("back"), zla);
    // Codes are accepted by ZUS code as well as by name.
    let by_code = json.replace("\"powinien_lezec\"", "\"1\"");
    assert_eq!(Zla::from_json(&by_code).expect("code"), zla);

    let e = Zla::from_json("{\n  \"ubezpieczony\": { \"pessel\": \"1\" }\n}").expect_err("typo");
    assert_eq!(e.code(), ErrorCode::JsonMalformed);
    let msg = e.to_string();
    assert!(msg.contains("pessel") && msg.contains("line 2"), "{msg}");
    let e = Zla::from_json("{\"wystawienie\": {\"data_wystawienia\": \"2026-13-01\"}}")
        .expect_err("date");
    assert!(e.to_string().contains("2026-13-01"), "{e}");
    let e = Zla::from_json("{\n  \"lekarz\": {\n    \"imie\": 5\n  }\n}").expect_err("type");
    let msg = e.to_string();
    assert!(
        msg.contains("line 3") && msg.contains("`\"imie\": 5`"),
        "{msg}"
    );
    let e = Zla::from_json("{\"niezdolnosc\": {\"wskazanie\": \"3\"}}").expect_err("code");
    assert!(e.to_string().contains("unknown indication `3`"), "{e}");
    // Only an object is the JSON form (serde would read `[]` as an empty model).
    for not_object in ["[]", " [\"900001\"]", "\"zla\"", "", "  \n"] {
        let e = Zla::from_json(not_object).expect_err("not an object");
        assert_eq!(e.code(), ErrorCode::JsonMalformed, "{not_object:?}: {e}");
        let e = azla::Azla::from_json(not_object).expect_err("not an object");
        assert_eq!(e.code(), ErrorCode::JsonMalformed, "{not_object:?}: {e}");
    }
    // Nor is any section an array: serde would fill its fields by position. The doctor
    // below would otherwise read as NPWZ "Jan", first name "Kowalski", surname "5425740".
    let positional = r#"{"lekarz": ["Jan", "Kowalski", "5425740"]}"#;
    let serde_alone: std::result::Result<Zla, _> = serde_json::from_str(positional);
    assert_eq!(
        serde_alone.ok().and_then(|z| z.lekarz).map(|l| l.npwz),
        Some("Jan".to_string()),
        "serde reads a struct from an array by position (what the check guards against)"
    );
    for (json, at) in [
        (positional, "`lekarz`"),
        (
            r#"{"niezdolnosc": {"okres": ["2026-12-01", "2026-12-05"]}}"#,
            "`niezdolnosc.okres`",
        ),
        (
            r#"{"platnik": {"nip": "5261040828"}, "adres": []}"#,
            "`adres`",
        ),
    ] {
        let e = Zla::from_json(json).expect_err("positional section");
        assert_eq!(e.code(), ErrorCode::JsonMalformed, "{json}: {e}");
        assert!(e.to_string().contains(at), "{json}: {e}");
    }
    let e = azla::Azla::from_json(r#"{"lekarz": ["5425740", "Jan", "Kowalski"]}"#)
        .expect_err("positional section");
    assert!(e.to_string().contains("`lekarz`"), "{e}");
    // The one list of the form is an array.
    let listed =
        Zla::from_json(r#"{"niezdolnosc": {"kody_literowe": ["A", "B"]}}"#).expect("letter codes");
    assert_eq!(
        listed.niezdolnosc.map(|n| n.kody_literowe),
        Some(vec![KodLiterowy::A, KodLiterowy::B])
    );
    // An empty object is a model with every section missing: a validation matter.
    let empty = Zla::from_json("{}").expect("empty model");
    let v = empty.validate(TODAY);
    for section in [
        "ubezpieczony",
        "adres",
        "niezdolnosc",
        "platnik",
        "placowka",
        "lekarz",
        "wystawienie",
    ] {
        assert!(
            has(&v, section, "sekcja_wymagana", Severity::Error),
            "{section}"
        );
    }
}

#[test]
fn to_xml_refuses_an_invalid_model_listing_every_problem() {
    let mut zla = przyklad();
    if let Some(u) = zla.ubezpieczony.as_mut() {
        u.pesel = Some("44051401358".into());
    }
    zla.platnik = Some(Platnik::nip("1234563219"));
    let e = zla
        .to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(TODAY),
        )
        .expect_err("invalid");
    assert_eq!(e.code(), ErrorCode::DocumentInvalid);
    let Error::Document(DocumentError::Invalid { problems }) = &e else {
        panic!("{e:?}");
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["ubezpieczony.pesel", "platnik.identyfikator"]);
    let text = e.to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("\n  error: ubezpieczony.pesel (KEDU/ZUSZLA/II/p1): "),
        "{text}"
    );
    assert!(
        text.contains("\n  error: platnik.identyfikator (KEDU/ZUSZLA/V/p2): "),
        "{text}"
    );
}

/// One corruption per rule, each reported at its path (and only there).
#[test]
fn each_rule_reports_at_its_path() {
    type Edit = fn(&mut Zla);
    let cases: &[(&str, &str, Severity, Edit)] = &[
        ("seria_numer.seria", "wzorzec", Severity::Error, |z| {
            z.seria_numer = Some(SeriaNumer {
                seria: "zw".into(),
                numer: "1234567".into(),
            })
        }),
        ("seria_numer.numer", "wzorzec", Severity::Error, |z| {
            z.seria_numer = Some(SeriaNumer {
                seria: "ZW".into(),
                numer: "123456".into(),
            })
        }),
        ("seria_numer", "seria_numer", Severity::Warning, |z| {
            z.seria_numer = None
        }),
        ("id_dokumentu.kopia", "id_dokumentu", Severity::Error, |z| {
            z.id_dokumentu.kopia = Some("12-3".into())
        }),
        ("ubezpieczony.pesel", "pesel", Severity::Error, |z| {
            if let Some(u) = z.ubezpieczony.as_mut() {
                u.pesel = Some("44051401358".into())
            }
        }),
        ("ubezpieczony.pesel", "wzorzec", Severity::Error, |z| {
            if let Some(u) = z.ubezpieczony.as_mut() {
                u.pesel = Some("4405140135".into())
            }
        }),
        (
            "ubezpieczony.data_urodzenia",
            "pesel_data_urodzenia",
            Severity::Error,
            |z| {
                if let Some(u) = z.ubezpieczony.as_mut() {
                    u.data_urodzenia = Some(date!(1944 - 05 - 15))
                }
            },
        ),
        (
            "ubezpieczony.pesel",
            "identyfikator_ubezpieczonego",
            Severity::Error,
            |z| {
                if let Some(u) = z.ubezpieczony.as_mut() {
                    u.pesel = None
                }
            },
        ),
        ("ubezpieczony.imie", "wymagane", Severity::Error, |z| {
            if let Some(u) = z.ubezpieczony.as_mut() {
                u.imie = "  ".into()
            }
        }),
        ("ubezpieczony.nazwisko", "znaki_xml", Severity::Error, |z| {
            if let Some(u) = z.ubezpieczony.as_mut() {
                u.nazwisko = "Kow\u{1}alski".into()
            }
        }),
        (
            "ubezpieczony.kod_ubezpieczenia",
            "wymagane",
            Severity::Error,
            |z| {
                if let Some(u) = z.ubezpieczony.as_mut() {
                    u.kod_ubezpieczenia = None
                }
            },
        ),
        ("adres.kod_pocztowy", "kod_pocztowy", Severity::Error, |z| {
            if let Some(a) = z.adres.as_mut() {
                a.kod_pocztowy = "00-950".into()
            }
        }),
        ("adres.ulica", "puste", Severity::Error, |z| {
            if let Some(a) = z.adres.as_mut() {
                a.ulica = Some(String::new())
            }
        }),
        ("adres", "sekcja_wymagana", Severity::Error, |z| {
            z.adres = None
        }),
        (
            "niezdolnosc.okres.do",
            "kolejnosc_dat",
            Severity::Error,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.okres = Some(Okres::new(date!(2026 - 11 - 28), date!(2026 - 11 - 27)));
                    n.pobyt_w_szpitalu = None;
                }
            },
        ),
        ("niezdolnosc.okres.od", "wymagane", Severity::Error, |z| {
            if let Some(n) = z.niezdolnosc.as_mut() {
                n.okres = Some(Okres {
                    od: None,
                    do_: Some(date!(2026 - 12 - 10)),
                })
            }
        }),
        (
            "niezdolnosc.pobyt_w_szpitalu",
            "pobyt_w_okresie",
            Severity::Warning,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.pobyt_w_szpitalu =
                        Some(Okres::new(date!(2026 - 11 - 27), date!(2026 - 11 - 30)))
                }
            },
        ),
        ("niezdolnosc.wskazanie", "wymagane", Severity::Error, |z| {
            if let Some(n) = z.niezdolnosc.as_mut() {
                n.wskazanie = None
            }
        }),
        (
            "niezdolnosc.kody_literowe[2]",
            "kody_literowe",
            Severity::Error,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.kody_literowe.push(KodLiterowy::A)
                }
            },
        ),
        ("niezdolnosc.kod_choroby", "icd10", Severity::Error, |z| {
            if let Some(n) = z.niezdolnosc.as_mut() {
                n.kod_choroby = Some("J18.9".into())
            }
        }),
        (
            "niezdolnosc.kod_choroby",
            "wymagane",
            Severity::Error,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.kod_choroby = None
                }
            },
        ),
        (
            "niezdolnosc.opieka.kod_pokrewienstwa",
            "opieka",
            Severity::Error,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.opieka = Some(Opieka {
                        kod_pokrewienstwa: None,
                        data_urodzenia: Some(date!(2020 - 01 - 01)),
                    })
                }
            },
        ),
        (
            "niezdolnosc.opieka.data_urodzenia",
            "opieka",
            Severity::Error,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.opieka = Some(Opieka {
                        kod_pokrewienstwa: Some(KodPokrewienstwa::Dziecko),
                        data_urodzenia: None,
                    })
                }
            },
        ),
        ("platnik.identyfikator", "nip", Severity::Error, |z| {
            z.platnik = Some(Platnik::nip("1234563219"))
        }),
        ("platnik.identyfikator", "pesel", Severity::Error, |z| {
            z.platnik = Some(Platnik {
                rodzaj: Some(RodzajIdentyfikatora::Pesel),
                identyfikator: "44051401358".into(),
            })
        }),
        ("platnik.rodzaj", "wymagane", Severity::Error, |z| {
            if let Some(p) = z.platnik.as_mut() {
                p.rodzaj = None
            }
        }),
        (
            "placowka.kod_pocztowy",
            "kod_pocztowy",
            Severity::Error,
            |z| {
                if let Some(p) = z.placowka.as_mut() {
                    p.kod_pocztowy = "0095O".into()
                }
            },
        ),
        ("lekarz.npwz", "npwz", Severity::Error, |z| {
            if let Some(l) = z.lekarz.as_mut() {
                l.npwz = "54257".into()
            }
        }),
        ("lekarz.npwz", "npwz", Severity::Warning, |z| {
            if let Some(l) = z.lekarz.as_mut() {
                l.npwz = "6425740".into()
            }
        }),
        (
            "wystawienie.data_wystawienia",
            "data_przyszla",
            Severity::Error,
            |z| {
                if let Some(w) = z.wystawienie.as_mut() {
                    w.data_wystawienia = Some(date!(2026 - 12 - 02))
                }
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.okres = Some(Okres::new(date!(2026 - 11 - 30), date!(2026 - 12 - 10)));
                    n.pobyt_w_szpitalu = None;
                }
            },
        ),
        (
            "wystawienie.uzasadnienie_wsteczne",
            "data_wsteczna",
            Severity::Error,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.okres = Some(Okres::new(date!(2026 - 11 - 27), date!(2026 - 12 - 10)));
                    n.pobyt_w_szpitalu = None;
                }
            },
        ),
        (
            "wystawienie.uzasadnienie_wsteczne",
            "data_wsteczna",
            Severity::Warning,
            |z| {
                if let Some(w) = z.wystawienie.as_mut() {
                    w.uzasadnienie_wsteczne = Some("bo tak".into())
                }
            },
        ),
        (
            "wystawienie.uzasadnienie_wsteczne",
            "dlugosc",
            Severity::Error,
            |z| {
                if let Some(n) = z.niezdolnosc.as_mut() {
                    n.okres = Some(Okres::new(date!(2026 - 11 - 20), date!(2026 - 12 - 10)));
                    n.pobyt_w_szpitalu = None;
                }
                if let Some(w) = z.wystawienie.as_mut() {
                    w.uzasadnienie_wsteczne = Some("ż".repeat(3001))
                }
            },
        ),
        (
            "wystawienie.data_elektronizacji",
            "kolejnosc_dat",
            Severity::Error,
            |z| {
                if let Some(w) = z.wystawienie.as_mut() {
                    w.data_elektronizacji = Some(date!(2026 - 11 - 30))
                }
            },
        ),
        (
            "wystawienie.nip_placowki",
            "wzorzec",
            Severity::Error,
            |z| {
                if let Some(w) = z.wystawienie.as_mut() {
                    w.nip_placowki = Some("526-025-02-74".into())
                }
            },
        ),
        (
            "wystawienie.anulowane_zla.numer",
            "wzorzec",
            Severity::Error,
            |z| {
                if let Some(w) = z.wystawienie.as_mut() {
                    w.anulowane_zla = Some(SeriaNumer {
                        seria: "ZW".into(),
                        numer: "12345678".into(),
                    })
                }
            },
        ),
    ];
    for (path, rule, severity, edit) in cases {
        let mut zla = przyklad();
        edit(&mut zla);
        let v = zla.validate(TODAY);
        assert!(
            has(&v, path, rule, *severity),
            "{path} {rule}: {:?}",
            v.problems
        );
        let others: Vec<_> = v.problems.iter().filter(|p| p.path != *path).collect();
        assert!(others.is_empty(), "{path} {rule}: also {others:?}");
        assert_eq!(
            v.is_valid(),
            *severity == Severity::Warning,
            "{path} {rule}"
        );
    }
}

#[test]
fn backdating_within_three_days_needs_no_justification() {
    let mut zla = przyklad();
    if let Some(n) = zla.niezdolnosc.as_mut() {
        n.okres = Some(Okres::new(date!(2026 - 11 - 28), date!(2026 - 12 - 03)));
    }
    assert!(zla.validate(TODAY).problems.is_empty());
    if let Some(w) = zla.wystawienie.as_mut() {
        w.data_wystawienia = Some(date!(2026 - 12 - 02));
    }
    let v = zla.validate(date!(2026 - 12 - 02));
    assert_eq!(
        errors_at(&v),
        [(
            "wystawienie.uzasadnienie_wsteczne".to_owned(),
            "data_wsteczna"
        )]
    );
    if let Some(w) = zla.wystawienie.as_mut() {
        w.uzasadnienie_wsteczne = Some("pacjent nieprzytomny".into());
    }
    assert!(zla.validate(date!(2026 - 12 - 02)).problems.is_empty());
}

#[test]
fn a_certificate_issued_after_midnight_in_poland_is_not_in_the_future() {
    // 00:30 on 2 December in Warsaw is 23:30 on 1 December in UTC. A certificate dated
    // 2 December is dated today, which the UTC date would call the future.
    let mut zla = przyklad();
    if let Some(w) = zla.wystawienie.as_mut() {
        w.data_wystawienia = Some(date!(2026 - 12 - 02));
    }
    if let Some(n) = zla.niezdolnosc.as_mut() {
        n.okres = Some(Okres::new(date!(2026 - 12 - 02), date!(2026 - 12 - 10)));
        n.pobyt_w_szpitalu = None;
    }
    let instant = time::macros::datetime!(2026-12-01 23:30 UTC);
    assert_eq!(instant.date(), date!(2026 - 12 - 01));
    let today = crate::pl::czas::date_at(instant);
    assert_eq!(today, date!(2026 - 12 - 02));
    let v = zla.validate(today);
    assert!(v.problems.is_empty(), "{:?}", errors_at(&v));
    assert!(
        has(
            &zla.validate(instant.date()),
            "wystawienie.data_wystawienia",
            "data_przyszla",
            Severity::Error
        ),
        "judged by the UTC date, the same certificate would be refused"
    );
}

#[test]
fn extreme_dates_are_reported_not_panicked_on() {
    let mut zla = przyklad();
    if let Some(w) = zla.wystawienie.as_mut() {
        w.data_wystawienia = Some(Date::MIN);
    }
    if let Some(n) = zla.niezdolnosc.as_mut() {
        n.okres = Some(Okres::new(Date::MIN, Date::MAX));
        n.pobyt_w_szpitalu = None;
    }
    let v = zla.validate(TODAY);
    // Date::MAX (9999-12-31) is in range; Date::MIN is not.
    for path in ["wystawienie.data_wystawienia", "niezdolnosc.okres.od"] {
        assert!(
            has(&v, path, "data", Severity::Error),
            "{path}: {:?}",
            v.problems
        );
    }
}

#[test]
fn a_passport_holder_needs_a_birth_date() {
    let mut zla = przyklad();
    if let Some(u) = zla.ubezpieczony.as_mut() {
        u.pesel = None;
        u.paszport = Some("AB1234567".into());
        u.data_urodzenia = None;
    }
    let v = zla.validate(TODAY);
    assert_eq!(
        errors_at(&v),
        [("ubezpieczony.data_urodzenia".to_owned(), "wymagane")]
    );
    if let Some(u) = zla.ubezpieczony.as_mut() {
        u.data_urodzenia = Some(date!(1980 - 02 - 29));
    }
    assert!(zla.validate(TODAY).problems.is_empty());
    let xml = zla
        .to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(TODAY),
        )
        .expect("write");
    let text = String::from_utf8_lossy(&xml);
    assert!(
        text.contains("<p4>1</p4>\n      <p5>AB1234567</p5>\n      <p6>1980-02-29</p6>"),
        "{text}"
    );
}

#[test]
fn a_read_kopia_must_not_carry_the_icd10_code() {
    let zla = przyklad();
    let o = zla
        .to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(TODAY),
        )
        .expect("write");
    let forged = String::from_utf8_lossy(&o)
        .replace("<p2>ORYGINAŁ</p2>", "<p2>KOPIA</p2>")
        .replace("kolejnosc=\"0\"", "kolejnosc=\"1\"");
    let v = check(forged.as_bytes(), TODAY).expect("check");
    assert_eq!(
        errors_at(&v),
        [("niezdolnosc.kod_choroby".to_owned(), "kopia_bez_icd10")]
    );
    // ... and a wrong kolejnosc is a warning.
    let odd = String::from_utf8_lossy(&o).replace("kolejnosc=\"0\"", "kolejnosc=\"7\"");
    let v = check(odd.as_bytes(), TODAY).expect("check");
    assert!(v.is_valid());
    assert!(has(&v, "kolejnosc", "kolejnosc", Severity::Warning));
}

#[test]
fn reading_is_strict() {
    let good = String::from_utf8(
        przyklad()
            .to_xml(
                Wariant::Oryginal,
                &WriteOptions::default().with_today(TODAY),
            )
            .expect("write"),
    )
    .expect("UTF-8");
    let malformed = [
        (
            good.replace(KED_ZLA_NS, "urn:other"),
            "expected {http://www.zus.pl/2015/KED_ZLA_1}KEDU",
        ),
        (
            good.replace("<p3>Kowalski</p3>", "<p3>Kowalski</p3><p9>x</p9>"),
            "/KEDU/ZUSZLA/II/p9: unknown element",
        ),
        (
            good.replace(
                "<p2>Jan</p2>\n      <p3>Kowalski</p3>",
                "<p3>Kowalski</p3><p2>Jan</p2>",
            ),
            "/KEDU/ZUSZLA/II/p2: element repeated or out of order",
        ),
        (
            good.replace("<p1>2026-12-01</p1>", "<p1>01.12.2026</p1>"),
            "/KEDU/ZUSZLA/VIII/p1: `01.12.2026` is not a date",
        ),
        (
            good.replace("<p3>1</p3>", "<p3>9</p3>"),
            "/KEDU/ZUSZLA/IV/p3: unknown indication `9`",
        ),
        (
            good.replace("<p6>false</p6>", "<p6>nie</p6>"),
            "/KEDU/ZUSZLA/VIII/p6: `nie` is not a boolean",
        ),
        (
            good.replace("<p2>ORYGINAŁ</p2>", "<p2>DUPLIKAT</p2>"),
            "expected ORYGINAŁ or KOPIA",
        ),
        (
            good.replace("<p2>Jan</p2>", "<p2>Jan<b/></p2>"),
            "/KEDU/ZUSZLA/II/p2: expected a value",
        ),
        (
            good.replace("<III>", "<III>tekst"),
            "/KEDU/ZUSZLA/III: unexpected text",
        ),
        (
            good.replace("wersja_schematu=\"1\"", "wersja_schematu=\"2\""),
            "unknown wersja_schematu",
        ),
    ];
    for (xml, expected) in malformed {
        let e = Zla::from_xml(xml.as_bytes()).expect_err(expected);
        assert_eq!(e.code(), ErrorCode::DocumentMalformed, "{expected}: {e}");
        assert!(e.to_string().contains(expected), "{expected}: {e}");
    }
    assert_eq!(
        Zla::from_xml(b"<KEDU><unclosed></KEDU>")
            .expect_err("xml")
            .code(),
        ErrorCode::XmlMalformed
    );
    assert_eq!(
        Zla::from_xml(b"<!DOCTYPE KEDU [<!ENTITY x 'y'>]><KEDU>&x;</KEDU>")
            .expect_err("dtd")
            .code(),
        ErrorCode::XmlDtdForbidden
    );
    // An enveloped signature after ZUSZLA is accepted and noted.
    let signed = good.replace(
        "</ZUSZLA>\n</KEDU>",
        "</ZUSZLA>\n<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></KEDU>",
    );
    let d = Zla::read_xml(signed.as_bytes()).expect("signed");
    assert!(d.podpisany);
    assert_eq!(Zla::from_xml(good.as_bytes()).expect("good").0, d.zla);
}

#[test]
fn a_series_and_number_written_together_is_read_strictly() {
    let sn = SeriaNumer::from_compact("ZY1234567").expect("valid");
    assert_eq!((sn.seria.as_str(), sn.numer.as_str()), ("ZY", "1234567"));
    assert_eq!(sn.compact(), "ZY1234567", "compact() writes it back");
    for bad in [
        "",
        "ZY123456",
        "ZY12345678",
        "zy1234567",
        "Z11234567",
        "ZY123456X",
        "ŻY1234567",
    ] {
        assert_eq!(SeriaNumer::from_compact(bad), None, "{bad:?}");
    }
}
