//! Tests of hostile input: text hygiene (limits, refused characters, spaces, mixed scripts),
//! the date window, short messages for huge values, and deep nesting — through the
//! validator, the XML reader and the JSON form.

use time::macros::date;
use time::{Date, Duration};

use super::codes::{KodLiterowy, RodzajIdentyfikatora};
use super::tests::przyklad;
use super::*;
use crate::error::XmlError;
use crate::{Error, ErrorCode};

const TODAY: Date = date!(2026 - 12 - 01);

/// 10 MiB of one character.
fn huge() -> String {
    "x".repeat(10 * 1024 * 1024)
}

/// A huge value that XML can still carry: the parser refuses a text node or attribute value
/// over 8 MiB (`xml::ParseOptions::max_text_len`) before the KEDU reader sees it.
fn huge_in_xml() -> String {
    "x".repeat(4 * 1024 * 1024)
}

fn at<'v>(v: &'v Validation, path: &str) -> Vec<&'v Problem> {
    v.problems.iter().filter(|p| p.path == path).collect()
}

fn rules_at(v: &Validation, path: &str) -> Vec<(&'static str, Severity)> {
    at(v, path).iter().map(|p| (p.rule, p.severity)).collect()
}

fn others(v: &Validation, path: &str) -> Vec<String> {
    v.problems
        .iter()
        .filter(|p| p.path != path)
        .map(|p| p.to_string())
        .collect()
}

type Set = fn(&mut Zla, String);

/// Every free-text field with its own limit: path, limit, setter.
const LIMITS: &[(&str, usize, Set)] = &[
    ("ubezpieczony.imie", 60, |z, s| {
        if let Some(u) = z.ubezpieczony.as_mut() {
            u.imie = s
        }
    }),
    ("ubezpieczony.nazwisko", 80, |z, s| {
        if let Some(u) = z.ubezpieczony.as_mut() {
            u.nazwisko = s
        }
    }),
    ("ubezpieczony.paszport", 20, |z, s| {
        if let Some(u) = z.ubezpieczony.as_mut() {
            u.pesel = None;
            u.paszport = Some(s);
        }
    }),
    ("adres.miejscowosc", 100, |z, s| {
        if let Some(a) = z.adres.as_mut() {
            a.miejscowosc = s
        }
    }),
    ("adres.ulica", 100, |z, s| {
        if let Some(a) = z.adres.as_mut() {
            a.ulica = Some(s)
        }
    }),
    ("adres.nr_domu", 20, |z, s| {
        if let Some(a) = z.adres.as_mut() {
            a.nr_domu = s
        }
    }),
    ("adres.nr_lokalu", 20, |z, s| {
        if let Some(a) = z.adres.as_mut() {
            a.nr_lokalu = Some(s)
        }
    }),
    ("placowka.nazwa", 500, |z, s| {
        if let Some(p) = z.placowka.as_mut() {
            p.nazwa = s
        }
    }),
    ("placowka.miejscowosc", 100, |z, s| {
        if let Some(p) = z.placowka.as_mut() {
            p.miejscowosc = s
        }
    }),
    ("placowka.ulica", 100, |z, s| {
        if let Some(p) = z.placowka.as_mut() {
            p.ulica = Some(s)
        }
    }),
    ("placowka.nr_domu", 20, |z, s| {
        if let Some(p) = z.placowka.as_mut() {
            p.nr_domu = s
        }
    }),
    ("placowka.nr_lokalu", 20, |z, s| {
        if let Some(p) = z.placowka.as_mut() {
            p.nr_lokalu = Some(s)
        }
    }),
    ("platnik.identyfikator", 20, |z, s| {
        z.platnik = Some(Platnik {
            rodzaj: Some(RodzajIdentyfikatora::Paszport),
            identyfikator: s,
        })
    }),
    ("lekarz.imie", 60, |z, s| {
        if let Some(l) = z.lekarz.as_mut() {
            l.imie = s
        }
    }),
    ("lekarz.nazwisko", 80, |z, s| {
        if let Some(l) = z.lekarz.as_mut() {
            l.nazwisko = s
        }
    }),
    ("id_dokumentu.oryginal", 40, |z, s| {
        z.id_dokumentu.oryginal = Some(s)
    }),
    ("id_dokumentu.kopia", 40, |z, s| {
        z.id_dokumentu.kopia = Some(s)
    }),
    (
        "wystawienie.uzasadnienie_wsteczne",
        MAX_UZASADNIENIE,
        |z, s| {
            if let Some(n) = z.niezdolnosc.as_mut() {
                n.okres = Some(Okres::new(date!(2026 - 11 - 20), date!(2026 - 12 - 10)));
                n.pobyt_w_szpitalu = None;
            }
            if let Some(w) = z.wystawienie.as_mut() {
                w.uzasadnienie_wsteczne = Some(s)
            }
        },
    ),
];

#[test]
fn every_text_field_has_a_limit() {
    for &(path, max, set) in LIMITS {
        // Letters and digits fit every field, patterns included (passport, identifiers).
        let value = |n: usize| "A1".repeat(n).chars().take(n).collect::<String>();
        let mut zla = przyklad();
        set(&mut zla, value(max));
        let v = zla.validate(TODAY);
        assert!(at(&v, path).is_empty(), "{path} at {max}: {:?}", v.problems);
        assert!(v.is_valid(), "{path} at {max}: {:?}", v.errors());

        let mut zla = przyklad();
        set(&mut zla, value(max + 1));
        let v = zla.validate(TODAY);
        assert_eq!(
            rules_at(&v, path),
            [("dlugosc", Severity::Error)],
            "{path} at {}",
            max + 1
        );
        assert!(
            others(&v, path).is_empty(),
            "{path}: {:?}",
            others(&v, path)
        );
        let p = at(&v, path)[0];
        assert!(
            p.message
                .starts_with(&format!("{} characters, at most {max}", max + 1)),
            "{}",
            p.message
        );
        // The WSDL gives the justification's limit; the others are ours.
        assert_eq!(
            p.inferred,
            path != "wystawienie.uzasadnienie_wsteczne",
            "{path}"
        );
    }
}

#[test]
fn fixed_shape_fields_are_limited_by_their_pattern() {
    type Edit = fn(&mut Zla);
    let cases: &[(&str, &str, Edit)] = &[
        ("ubezpieczony.pesel", "wzorzec", |z| {
            if let Some(u) = z.ubezpieczony.as_mut() {
                u.pesel = Some("440514013590".into())
            }
        }),
        ("adres.kod_pocztowy", "kod_pocztowy", |z| {
            if let Some(a) = z.adres.as_mut() {
                a.kod_pocztowy = "009500".into()
            }
        }),
        ("niezdolnosc.kod_choroby", "icd10", |z| {
            if let Some(n) = z.niezdolnosc.as_mut() {
                n.kod_choroby = Some("J180".into())
            }
        }),
        ("platnik.identyfikator", "wzorzec", |z| {
            z.platnik = Some(Platnik::nip("12345632180"))
        }),
        ("lekarz.npwz", "npwz", |z| {
            if let Some(l) = z.lekarz.as_mut() {
                l.npwz = "54257400".into()
            }
        }),
        ("seria_numer.seria", "wzorzec", |z| {
            if let Some(sn) = z.seria_numer.as_mut() {
                sn.seria = "ZWX".into()
            }
        }),
        ("seria_numer.numer", "wzorzec", |z| {
            if let Some(sn) = z.seria_numer.as_mut() {
                sn.numer = "12345678".into()
            }
        }),
        ("wystawienie.nip_placowki", "wzorzec", |z| {
            if let Some(w) = z.wystawienie.as_mut() {
                w.nip_placowki = Some("52602502740".into())
            }
        }),
    ];
    for (path, rule, edit) in cases {
        let mut zla = przyklad();
        edit(&mut zla);
        let v = zla.validate(TODAY);
        assert_eq!(rules_at(&v, path), [(*rule, Severity::Error)], "{path}");
    }
}

/// One representative of each refused class, in a name (where nothing but letters and
/// single spaces belongs) and in the justification (where line feeds are allowed).
const REFUSED: &[(char, &str)] = &[
    ('\t', "a tab"),
    ('\n', "a line break"),
    ('\r', "a carriage return"),
    ('\u{85}', "a C1 control character"),
    ('\u{2028}', "a line separator"),
    ('\u{2029}', "a paragraph separator"),
    ('\u{AD}', "a soft hyphen (invisible)"),
    ('\u{200B}', "a zero-width character"),
    ('\u{200C}', "a zero-width character"),
    ('\u{200D}', "a zero-width character"),
    ('\u{2060}', "a zero-width character"),
    ('\u{FEFF}', "a zero-width character"),
    ('\u{200E}', "a bidirectional control"),
    ('\u{200F}', "a bidirectional control"),
    ('\u{202A}', "a bidirectional control"),
    ('\u{202E}', "a bidirectional control"),
    ('\u{2066}', "a bidirectional control"),
    ('\u{2069}', "a bidirectional control"),
    ('\u{2062}', "an invisible format character"),
    ('\u{E0041}', "an invisible format character"),
    ('\u{FE0F}', "an invisible character"),
    ('\u{A0}', "whitespace other than the ordinary space"),
    ('\u{2009}', "whitespace other than the ordinary space"),
    ('\u{3000}', "whitespace other than the ordinary space"),
    ('\u{FDD0}', "a noncharacter"),
    ('\u{1FFFE}', "a noncharacter"),
    ('\u{E000}', "a private-use character"),
];

#[test]
fn names_refuse_controls_separators_and_invisible_characters() {
    for &(c, why) in REFUSED {
        for path in [
            "ubezpieczony.nazwisko",
            "lekarz.imie",
            "placowka.nazwa",
            "adres.ulica",
        ] {
            let mut zla = przyklad();
            let value = format!("Kow{c}alski");
            match path {
                "ubezpieczony.nazwisko" => {
                    if let Some(u) = zla.ubezpieczony.as_mut() {
                        u.nazwisko = value
                    }
                }
                "lekarz.imie" => {
                    if let Some(l) = zla.lekarz.as_mut() {
                        l.imie = value
                    }
                }
                "placowka.nazwa" => {
                    if let Some(p) = zla.placowka.as_mut() {
                        p.nazwa = value
                    }
                }
                _ => {
                    if let Some(a) = zla.adres.as_mut() {
                        a.ulica = Some(value)
                    }
                }
            }
            let v = zla.validate(TODAY);
            let u = u32::from(c);
            assert_eq!(
                rules_at(&v, path),
                [("znaki", Severity::Error)],
                "{path} U+{u:04X}"
            );
            assert!(others(&v, path).is_empty(), "{path} U+{u:04X}");
            let m = &at(&v, path)[0].message;
            assert!(
                m.starts_with(&format!("character 4 is U+{u:04X}, {why},")),
                "{m}"
            );
            // The message names the character; it does not carry it.
            assert!(!m.contains(c), "{m:?}");
            assert!(m.contains(&format!("`Kow\\u{{{u:04X}}}alski`")), "{m}");
        }
    }
}

#[test]
fn a_justification_may_break_lines_but_nothing_else() {
    let backdated = |text: &str| {
        let mut zla = przyklad();
        if let Some(n) = zla.niezdolnosc.as_mut() {
            n.okres = Some(Okres::new(date!(2026 - 11 - 20), date!(2026 - 12 - 10)));
            n.pobyt_w_szpitalu = None;
        }
        if let Some(w) = zla.wystawienie.as_mut() {
            w.uzasadnienie_wsteczne = Some(text.to_owned())
        }
        zla.validate(TODAY)
    };
    let path = "wystawienie.uzasadnienie_wsteczne";
    let v = backdated("Pacjent nieprzytomny.\nOpinia psychiatry z 20.11.");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    for &(c, why) in REFUSED.iter().filter(|(c, _)| *c != '\n') {
        let v = backdated(&format!("Pacjent{c}nieprzytomny"));
        assert_eq!(rules_at(&v, path), [("znaki", Severity::Error)], "{why}");
        // A justification that breaks a text rule is still a justification.
        assert!(!at(&v, path).iter().any(|p| p.rule == "data_wsteczna"));
    }
}

#[test]
fn names_have_single_spaces_between_words() {
    let path = "ubezpieczony.imie";
    for bad in [" Jan", "Jan ", "Jan  Maria"] {
        let mut zla = przyklad();
        if let Some(u) = zla.ubezpieczony.as_mut() {
            u.imie = bad.into()
        }
        let v = zla.validate(TODAY);
        assert_eq!(rules_at(&v, path), [("spacje", Severity::Error)], "{bad:?}");
    }
    let mut zla = przyklad();
    if let Some(u) = zla.ubezpieczony.as_mut() {
        u.imie = "Jan Maria".into()
    }
    if let Some(l) = zla.lekarz.as_mut() {
        l.nazwisko = "Nowak-Kowalska".into()
    }
    // Place names keep ZUS's spelling verbatim, double spaces included.
    if let Some(p) = zla.placowka.as_mut() {
        p.nazwa = "NZOZ  Przychodnia ".into()
    }
    assert!(zla.validate(TODAY).problems.is_empty());
}

#[test]
fn mixed_scripts_in_a_name_are_a_warning() {
    let cases: &[(&str, Set, &str)] = &[
        (
            "ubezpieczony.nazwisko",
            |z, s| {
                if let Some(u) = z.ubezpieczony.as_mut() {
                    u.nazwisko = s
                }
            },
            "Kowalsk\u{456}", // Cyrillic і
        ),
        (
            "lekarz.imie",
            |z, s| {
                if let Some(l) = z.lekarz.as_mut() {
                    l.imie = s
                }
            },
            "\u{410}nna", // Cyrillic А
        ),
        (
            "adres.miejscowosc",
            |z, s| {
                if let Some(a) = z.adres.as_mut() {
                    a.miejscowosc = s
                }
            },
            "Warsz\u{3B1}wa", // Greek α
        ),
    ];
    for &(path, set, value) in cases {
        let mut zla = przyklad();
        set(&mut zla, value.into());
        let v = zla.validate(TODAY);
        assert!(v.is_valid(), "{path}: {:?}", v.errors());
        assert_eq!(rules_at(&v, path), [("pismo_mieszane", Severity::Warning)]);
        let m = &at(&v, path)[0].message;
        let script = if value.chars().any(|c| ('\u{370}'..='\u{3FF}').contains(&c)) {
            "Greek"
        } else {
            "Cyrillic"
        };
        assert!(
            m.starts_with(&format!("mixes Latin and {script} letters")),
            "{m}"
        );
        // Warnings do not block writing.
        assert!(
            zla.to_xml(
                Wariant::Oryginal,
                &WriteOptions::default().with_today(TODAY)
            )
            .is_ok(),
            "{path}"
        );
    }
    // One script throughout is no warning, whichever it is.
    let mut zla = przyklad();
    if let Some(u) = zla.ubezpieczony.as_mut() {
        u.imie = "Олена".into();
        u.nazwisko = "Παπαδοπούλου".into();
    }
    assert!(zla.validate(TODAY).problems.is_empty());
}

/// `przyklad` with the period `od`–`do_` and no hospital stay.
fn period(od: Date, do_: Date, codes: Vec<KodLiterowy>) -> Zla {
    let mut zla = przyklad();
    if let Some(n) = zla.niezdolnosc.as_mut() {
        n.okres = Some(Okres::new(od, do_));
        n.pobyt_w_szpitalu = None;
        n.kody_literowe = codes;
    }
    if od < TODAY - Duration::days(DNI_WSTECZ)
        && let Some(w) = zla.wystawienie.as_mut()
    {
        w.uzasadnienie_wsteczne = Some("opinia psychiatry".into());
    }
    zla
}

#[test]
fn the_period_lies_within_a_benefit_period_of_the_issue_date() {
    let window = Duration::days(OKRES_ZASILKOWY_DLUGI);
    let day = Duration::days(1);
    let ok = |z: Zla| {
        let v = z.validate(TODAY);
        assert!(v.problems.is_empty(), "{:?}", v.problems);
    };
    let refused = |z: Zla, path: &str, rule: &str| {
        let v = z.validate(TODAY);
        assert!(
            at(&v, path)
                .iter()
                .any(|p| p.rule == rule && p.severity == Severity::Error),
            "{path} {rule}: {:?}",
            v.problems
        );
    };
    // The end: up to 270 days after the issue date (the period then has 270 days).
    let b = vec![KodLiterowy::B];
    ok(period(TODAY + day * 1, TODAY + window, b.clone()));
    refused(
        period(TODAY + day * 2, TODAY + window + day, b.clone()),
        "niezdolnosc.okres.do",
        "okno_dat",
    );
    // The start: up to 270 days before it (backdated, with a justification).
    ok(period(TODAY - window, TODAY - window + day * 10, vec![]));
    refused(
        period(TODAY - window - day, TODAY - window + day * 10, vec![]),
        "niezdolnosc.okres.od",
        "okno_dat",
    );
    // The year 9999, at either end.
    refused(
        period(TODAY, date!(9999 - 12 - 31), vec![]),
        "niezdolnosc.okres.do",
        "okno_dat",
    );
    refused(
        period(date!(9999 - 12 - 01), date!(9999 - 12 - 31), vec![]),
        "niezdolnosc.okres.od",
        "okno_dat",
    );
    // A hospital stay too.
    let mut zla = period(TODAY, TODAY + day * 5, vec![]);
    if let Some(n) = zla.niezdolnosc.as_mut() {
        n.pobyt_w_szpitalu = Some(Okres::new(TODAY, date!(9999 - 01 - 01)));
    }
    refused(zla, "niezdolnosc.pobyt_w_szpitalu.do", "okno_dat");
    // Without an issue date, today is the reference.
    let mut zla = period(TODAY, date!(9999 - 12 - 31), vec![]);
    if let Some(w) = zla.wystawienie.as_mut() {
        w.data_wystawienia = None;
    }
    let v = zla.validate(TODAY);
    let m = at(&v, "niezdolnosc.okres.do")
        .into_iter()
        .find(|p| p.rule == "okno_dat")
        .map(|p| p.message.clone())
        .unwrap_or_default();
    assert!(m.contains("after today (2026-12-01)"), "{m}");
}

#[test]
fn a_period_is_at_most_one_benefit_period_long() {
    let day = Duration::days(1);
    let path = "niezdolnosc.okres.do";
    let od = TODAY - day * 2;
    // 182 days: no remark; 183: a warning without letter code B or D, none with either.
    let v = period(od, od + day * 181, vec![]).validate(TODAY);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let v = period(od, od + day * 182, vec![KodLiterowy::A]).validate(TODAY);
    assert_eq!(rules_at(&v, path), [("okres_dlugosc", Severity::Warning)]);
    assert!(v.is_valid());
    for code in [KodLiterowy::B, KodLiterowy::D] {
        let v = period(od, od + day * 182, vec![code]).validate(TODAY);
        assert!(v.problems.is_empty(), "{code}: {:?}", v.problems);
    }
    // 270 days with B: fine; 271: an error whatever the codes.
    let v = period(od, od + day * 269, vec![KodLiterowy::B]).validate(TODAY);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let v = period(od, od + day * 270, vec![KodLiterowy::B]).validate(TODAY);
    assert_eq!(rules_at(&v, path), [("okres_dlugosc", Severity::Error)]);
}

#[test]
fn issue_and_electronisation_dates_lie_between_e_zla_and_today() {
    let issued = |d: Date| {
        let mut zla = przyklad();
        if let Some(n) = zla.niezdolnosc.as_mut() {
            n.okres = Some(Okres::new(d, d));
            n.pobyt_w_szpitalu = None;
        }
        if let Some(w) = zla.wystawienie.as_mut() {
            w.data_wystawienia = Some(d);
        }
        zla.validate(d.max(TODAY))
    };
    let path = "wystawienie.data_wystawienia";
    assert!(issued(E_ZLA_OD).problems.is_empty());
    let v = issued(E_ZLA_OD - Duration::days(1));
    assert_eq!(rules_at(&v, path), [("okno_dat", Severity::Error)]);
    // Electronisation (of a paper certificate) is not in the future either.
    let mut zla = przyklad();
    if let Some(w) = zla.wystawienie.as_mut() {
        w.data_elektronizacji = Some(TODAY);
    }
    assert!(zla.validate(TODAY).problems.is_empty());
    if let Some(w) = zla.wystawienie.as_mut() {
        w.data_elektronizacji = Some(TODAY + Duration::days(1));
    }
    let v = zla.validate(TODAY);
    assert_eq!(
        rules_at(&v, "wystawienie.data_elektronizacji"),
        [("data_przyszla", Severity::Error)]
    );
    // A cancellation is dated like a certificate.
    let zla = przyklad();
    let lekarz = zla.lekarz.clone().unwrap_or_default();
    let a = azla::Azla::dla(
        &zla,
        codes::PrzyczynaAnulowania::DanePlatnika,
        lekarz,
        date!(2015 - 06 - 01),
    );
    let v = a
        .map(|a| a.validate(TODAY))
        .expect("has a series and number");
    assert_eq!(rules_at(&v, "data"), [("okno_dat", Severity::Error)]);
}

/// Whatever the value, a message stays short.
const SHORT: usize = 300;

#[test]
fn messages_quote_a_short_prefix_of_a_huge_value() {
    let big = huge();
    type Edit = fn(&mut Zla, String);
    let cases: &[(&str, &str, Edit)] = &[
        ("ubezpieczony.nazwisko", "dlugosc", |z, s| {
            if let Some(u) = z.ubezpieczony.as_mut() {
                u.nazwisko = s
            }
        }),
        ("ubezpieczony.pesel", "wzorzec", |z, s| {
            if let Some(u) = z.ubezpieczony.as_mut() {
                u.pesel = Some(s)
            }
        }),
        ("adres.kod_pocztowy", "kod_pocztowy", |z, s| {
            if let Some(a) = z.adres.as_mut() {
                a.kod_pocztowy = s
            }
        }),
        ("niezdolnosc.kod_choroby", "icd10", |z, s| {
            if let Some(n) = z.niezdolnosc.as_mut() {
                n.kod_choroby = Some(s)
            }
        }),
        ("platnik.identyfikator", "dlugosc", |z, s| {
            z.platnik = Some(Platnik::nip(s))
        }),
        ("lekarz.npwz", "npwz", |z, s| {
            if let Some(l) = z.lekarz.as_mut() {
                l.npwz = s
            }
        }),
        ("seria_numer.seria", "wzorzec", |z, s| {
            if let Some(sn) = z.seria_numer.as_mut() {
                sn.seria = s
            }
        }),
        ("wystawienie.nip_placowki", "wzorzec", |z, s| {
            if let Some(w) = z.wystawienie.as_mut() {
                w.nip_placowki = Some(s)
            }
        }),
        ("id_dokumentu.oryginal", "dlugosc", |z, s| {
            z.id_dokumentu.oryginal = Some(s)
        }),
    ];
    for (path, rule, edit) in cases {
        let mut zla = przyklad();
        edit(&mut zla, big.clone());
        let v = zla.validate(TODAY);
        let p = at(&v, path);
        assert_eq!(p.len(), 1, "{path}: {p:?}");
        assert_eq!(p[0].rule, *rule, "{path}");
        let m = &p[0].message;
        assert!(m.len() < SHORT, "{path}: {} bytes", m.len());
        assert!(m.contains("xxxx…` (10485760 characters)"), "{path}: {m}");
        // So does the error that refuses to write it.
        let e = zla
            .to_xml(
                Wariant::Oryginal,
                &WriteOptions::default().with_today(TODAY),
            )
            .expect_err("invalid");
        assert!(
            e.to_string().len() < SHORT * 4,
            "{path}: {}",
            e.to_string().len()
        );
    }
}

#[test]
fn json_errors_quote_a_short_prefix_of_a_huge_value() {
    let big = huge();
    for json in [
        // A huge unknown key, a huge value of the wrong type, a huge date and code.
        format!("{{\"{big}\": 1}}"),
        format!("{{\"ubezpieczony\": {{\"{big}\": 1}}}}"),
        format!("{{\"niezdolnosc\": {{\"okres\": \"{big}\"}}}}"),
        format!("{{\"wystawienie\": {{\"data_wystawienia\": \"{big}\"}}}}"),
        format!("{{\"niezdolnosc\": {{\"wskazanie\": \"{big}\"}}}}"),
        format!("{{\"lekarz\": {{\"imie\": [\"{big}\"]}}}}"),
        format!("{{\"adres\": {{\"{big}\": []}}}}"),
        format!("{{\"lekarz\": {{\"imie\": 1{big}}}}}"),
    ] {
        let e = Zla::from_json(&json).expect_err("malformed");
        assert_eq!(e.code(), ErrorCode::JsonMalformed);
        let m = e.to_string();
        assert!(
            m.len() < SHORT * 2,
            "{} bytes: {}",
            m.len(),
            &m[..SHORT * 2]
        );
    }
    let e = azla::Azla::from_json(&format!("{{\"{big}\": 1}}")).expect_err("malformed");
    assert!(e.to_string().len() < SHORT * 2);
    // A huge name within the limits of JSON is a validation matter, with a short message.
    let zla = Zla::from_json(&format!("{{\"lekarz\": {{\"imie\": \"{big}\"}}}}")).expect("JSON");
    let v = zla.validate(TODAY);
    let p = at(&v, "lekarz.imie");
    assert_eq!(p.len(), 1);
    assert!(p[0].message.len() < SHORT, "{}", p[0].message);
}

/// `przyklad`'s ORYGINAŁ with `from` replaced by `to`.
fn written(from: &str, to: &str) -> Vec<u8> {
    let xml = przyklad()
        .to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(TODAY),
        )
        .expect("write");
    let text = String::from_utf8(xml).expect("UTF-8");
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn documents_read_from_xml_are_held_to_the_same_rules() {
    // Characters given as references are the same characters.
    let cases = [
        (
            "<p3>Kowalski</p3>",
            "<p3>Kow&#x200B;alski</p3>",
            "ubezpieczony.nazwisko",
            "znaki",
        ),
        (
            "<p3>Kowalski</p3>",
            "<p3>Kowalski&#10;</p3>",
            "ubezpieczony.nazwisko",
            "znaki",
        ),
        (
            "<p2>Anna</p2>",
            "<p2>&#x202E;annA</p2>",
            "lekarz.imie",
            "znaki",
        ),
        (
            "<p3>Kowalski</p3>",
            "<p3>Kowalsk&#x456;</p3>",
            "ubezpieczony.nazwisko",
            "pismo_mieszane",
        ),
        (
            "<p2>2026-12-10</p2>",
            "<p2>9999-12-31</p2>",
            "niezdolnosc.okres.do",
            "okno_dat",
        ),
        (
            "<p3>Kowalski</p3>",
            "<p3>Jan  Kowalski</p3>",
            "ubezpieczony.nazwisko",
            "spacje",
        ),
    ];
    for (from, to, path, rule) in cases {
        let v = check(&written(from, to), TODAY).expect("reads");
        assert!(
            at(&v, path).iter().any(|p| p.rule == rule),
            "{to}: {:?}",
            v.problems
        );
    }
    // A huge value: read, refused by length, quoted short.
    let big = huge_in_xml();
    let v = check(
        &written("<p3>Kowalski</p3>", &format!("<p3>{big}</p3>")),
        TODAY,
    )
    .expect("reads");
    let p = at(&v, "ubezpieczony.nazwisko");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].rule, "dlugosc");
    assert!(p[0].message.len() < SHORT);
    // The program header too.
    let v = check(
        &written(
            "<producent>ezla</producent>",
            "<producent>ez&#xFEFF;la</producent>",
        ),
        TODAY,
    )
    .expect("reads");
    assert_eq!(
        rules_at(&v, "program.producent"),
        [("znaki", Severity::Error)]
    );
    assert_eq!(
        at(&v, "program.producent")[0].element,
        "KEDU/naglowek.KEDU/program/producent"
    );
}

#[test]
fn xml_reader_errors_quote_a_short_prefix_of_a_huge_value() {
    let big = huge_in_xml();
    for (from, to) in [
        ("<p1>2026-12-01</p1>", format!("<p1>{big}</p1>")),
        ("<p3>1</p3>", format!("<p3>{big}</p3>")),
        ("<p6>false</p6>", format!("<p6>{big}</p6>")),
        ("<p2>ORYGINAŁ</p2>", format!("<p2>{big}</p2>")),
        (
            "<p3>Kowalski</p3>",
            format!("<p3>Kowalski</p3><p9 xmlns=\"{big}\"/>"),
        ),
        (
            "wersja_schematu=\"1\"",
            format!("wersja_schematu=\"{big}\""),
        ),
    ] {
        let e = Zla::from_xml(&written(from, &to)).expect_err("malformed");
        assert_eq!(e.code(), ErrorCode::DocumentMalformed, "{from}");
        let m = e.to_string();
        assert!(m.len() < SHORT, "{from}: {} bytes", m.len());
    }
    // Element names are limited by the parser (1 KiB), so a name just under the limit.
    let name = "x".repeat(1000);
    let e = Zla::from_xml(&written(
        "<p3>Kowalski</p3>",
        &format!("<p3>Kowalski</p3><{name}/>"),
    ))
    .expect_err("malformed");
    assert_eq!(e.code(), ErrorCode::DocumentMalformed);
    assert!(e.to_string().len() < SHORT, "{} bytes", e.to_string().len());
    let e = Zla::from_xml(format!("<{name}/>").as_bytes()).expect_err("not KEDU");
    assert!(e.to_string().len() < SHORT, "{}", e.to_string().len());
    let e = azla::Azla::from_xml(format!("<{name}/>").as_bytes()).expect_err("not AZLA");
    assert!(e.to_string().len() < SHORT, "{}", e.to_string().len());
    // A huge name or value is refused by the parser with a message that quotes nothing.
    for xml in [format!("<{big}/>"), format!("<a b=\"{}\"/>", huge())] {
        let e = Zla::from_xml(xml.as_bytes()).expect_err("limit");
        assert_eq!(e.code(), ErrorCode::XmlLimitExceeded);
        assert!(e.to_string().len() < SHORT, "{}", e.to_string().len());
    }
}

/// Nesting deep enough to overflow a recursive reader's stack.
const DEPTH: usize = 100_000;

#[test]
fn deeply_nested_json_is_refused_cleanly() {
    // serde_json's recursion limit (128) is on: the `unbounded_depth` feature is not.
    let deep = "[".repeat(DEPTH);
    let e = serde_json::from_str::<serde_json::Value>(&deep).expect_err("too deep");
    assert!(e.to_string().contains("recursion limit"), "{e}");
    let objects = "{\"a\":".repeat(DEPTH);
    for json in [
        format!("{{\"niezdolnosc\": {{\"kody_literowe\": {deep}"),
        format!("{{\"x\": {deep}"),
        format!("{{\"x\": {objects}"),
        format!("{{\"lekarz\": {{\"imie\": {objects}"),
        format!("{{\"lekarz\": {objects}"),
        format!("{objects}1{}", "}".repeat(DEPTH)),
    ] {
        let e = Zla::from_json(&json).expect_err("too deep");
        assert_eq!(e.code(), ErrorCode::JsonMalformed);
        assert!(e.to_string().len() < SHORT * 2, "{}", e.to_string().len());
        let e = azla::Azla::from_json(&json).expect_err("too deep");
        assert_eq!(e.code(), ErrorCode::JsonMalformed);
    }
}

#[test]
fn deeply_nested_xml_is_refused_cleanly() {
    let deep = format!("{}{}", "<p1>".repeat(DEPTH), "</p1>".repeat(DEPTH));
    for xml in [
        written("<p3>Kowalski</p3>", &format!("<p3>{deep}</p3>")),
        written("<p1>2026-12-01</p1>", &deep),
        written("</ZUSZLA>", &format!("{deep}</ZUSZLA>")),
    ] {
        let e = Zla::from_xml(&xml).expect_err("too deep");
        assert!(
            matches!(
                e,
                Error::Xml(XmlError::LimitExceeded { limit: "depth", .. })
            ),
            "{e}"
        );
        assert!(check(&xml, TODAY).is_err());
        assert!(e.to_string().len() < SHORT);
    }
    let e =
        azla::Azla::from_xml(format!("<KEDU xmlns=\"{}\">{deep}</KEDU>", azla::AZLA_NS).as_bytes())
            .expect_err("too deep");
    assert!(e.to_string().len() < SHORT, "{e}");
}

#[test]
fn the_program_header_refuses_invisible_characters_and_huge_values() {
    let zla = przyklad();
    let write = |p: Program| {
        zla.to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(TODAY).with_program(p),
        )
    };
    let program = |producent: String| Program {
        producent,
        ..Program::default()
    };
    assert!(write(program("p".repeat(100))).is_ok());
    for bad in [
        "p".repeat(101),
        "ez\u{200B}la".into(),
        "ez\nla".into(),
        huge(),
    ] {
        let e = write(program(bad)).expect_err("refused");
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        assert!(e.to_string().len() < SHORT, "{}", e.to_string().len());
    }
}
