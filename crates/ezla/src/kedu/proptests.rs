//! Property tests: every valid model serialises and parses back to itself (both documents,
//! the pair, and the JSON form), and every single-field corruption that breaks a rule is
//! reported at that field.

use proptest::prelude::*;
use proptest::string::string_regex;
use time::macros::date;
use time::{Date, Duration};

use super::codes::{
    KodLiterowy, KodPokrewienstwa, KodUbezpieczenia, RodzajIdentyfikatora, Wskazanie,
};
use super::*;
use crate::Error;
use crate::error::DocumentError;
use crate::pl::Pesel;

const TODAY: Date = date!(2026 - 12 - 01);

fn re(pattern: &str) -> BoxedStrategy<String> {
    match string_regex(pattern) {
        Ok(s) => s.boxed(),
        Err(e) => panic!("bad test regex {pattern}: {e}"),
    }
}

/// Free text with Polish letters and the characters XML must escape; never blank.
fn tekst() -> BoxedStrategy<String> {
    re("[A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż][A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż0-9 &<>\"'.,/-]{0,24}")
}

/// A person's name: one or two words of Polish letters (and the characters XML must escape),
/// single spaces between them and none around (rule `spacje`).
fn imie() -> BoxedStrategy<String> {
    let word = "[A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż][A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż&<>\"'.-]{0,11}";
    re(&format!("{word}( {word})?"))
}

/// A valid PESEL and the birth date it encodes.
fn pesel() -> impl Strategy<Value = (String, Date)> {
    (0i64..(365 * 100), 0u32..10_000).prop_map(|(days, serial)| {
        let born = date!(1920 - 01 - 01) + Duration::days(days);
        let month = u8::from(born.month()) + if born.year() >= 2000 { 20 } else { 0 };
        let base = format!(
            "{:02}{:02}{:02}{:04}",
            born.year() % 100,
            month,
            born.day(),
            serial
        );
        let weights = [1u32, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        let sum: u32 = base
            .bytes()
            .zip(weights)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        (format!("{base}{}", (10 - sum % 10) % 10), born)
    })
}

/// A valid NIP.
fn nip() -> impl Strategy<Value = String> {
    re("[0-9]{9}").prop_filter_map("no check digit", |base| {
        let weights = [6u32, 5, 7, 2, 3, 4, 5, 6, 7];
        let sum: u32 = base
            .bytes()
            .zip(weights)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        (sum % 11 < 10).then(|| format!("{base}{}", sum % 11))
    })
}

/// A doctor's licence number with a valid check digit.
fn npwz() -> impl Strategy<Value = String> {
    re("[0-9]{6}").prop_filter_map("no check digit", |rest| {
        let sum: u32 = rest
            .bytes()
            .zip(1u32..)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        (sum % 11 < 10).then(|| format!("{}{rest}", sum % 11))
    })
}

fn seria_numer() -> impl Strategy<Value = SeriaNumer> {
    (re("[A-Z]{2}"), re("[0-9]{7}")).prop_map(|(seria, numer)| SeriaNumer { seria, numer })
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::of(s).boxed()
}

fn ubezpieczony() -> impl Strategy<Value = Ubezpieczony> {
    (
        pesel(),
        any::<bool>(),
        prop::bool::weighted(0.2),
        re("[A-Z0-9]{5,12}"),
        imie(),
        imie(),
        prop::sample::select(KodUbezpieczenia::ALL),
    )
        .prop_map(
            |((p, born), with_date, by_passport, passport, imie, nazwisko, kod)| Ubezpieczony {
                pesel: (!by_passport).then_some(p),
                imie,
                nazwisko,
                kod_ubezpieczenia: Some(kod),
                paszport: by_passport.then_some(passport),
                data_urodzenia: (with_date || by_passport).then_some(born),
            },
        )
}

fn adres() -> impl Strategy<Value = Adres> {
    (
        re("[0-9]{5}"),
        tekst(),
        opt(tekst()),
        re("[0-9]{1,3}[A-Z]?"),
        opt(re("[0-9]{1,3}")),
    )
        .prop_map(
            |(kod_pocztowy, miejscowosc, ulica, nr_domu, nr_lokalu)| Adres {
                kod_pocztowy,
                miejscowosc,
                ulica,
                nr_domu,
                nr_lokalu,
            },
        )
}

fn placowka() -> impl Strategy<Value = Placowka> {
    (
        tekst(),
        re("[0-9]{5}"),
        tekst(),
        opt(tekst()),
        re("[0-9]{1,3}"),
        opt(re("[0-9]{1,3}")),
    )
        .prop_map(
            |(nazwa, kod_pocztowy, miejscowosc, ulica, nr_domu, nr_lokalu)| Placowka {
                nazwa,
                kod_pocztowy,
                miejscowosc,
                ulica,
                nr_domu,
                nr_lokalu,
            },
        )
}

fn platnik() -> impl Strategy<Value = Platnik> {
    prop_oneof![
        nip().prop_map(Platnik::nip),
        pesel().prop_map(|(p, _)| Platnik {
            rodzaj: Some(RodzajIdentyfikatora::Pesel),
            identyfikator: p,
        }),
        re("[A-Z]{2}[0-9]{7}").prop_map(|p| Platnik {
            rodzaj: Some(RodzajIdentyfikatora::Paszport),
            identyfikator: p,
        }),
    ]
}

prop_compose! {
    /// The dated part of a valid model: issue date, incapacity (backdated beyond 3 days
    /// only with a justification), hospital stay within it, flags.
    fn daty()(
        issued_ago in 0i64..30,
        start in -20i64..6,
        length in 0i64..60,
        hospital in opt((0i64..60, 0i64..60)),
        justification in tekst(),
        electronised in opt(0i64..30),
        letters in prop::collection::vec(any::<bool>(), 5),
        wskazanie in prop::sample::select(Wskazanie::ALL),
        icd in re("[A-Z][0-9]{2}"),
        opieka in opt((prop::sample::select(KodPokrewienstwa::ALL), 0i64..20000)),
        flags in (any::<bool>(), any::<bool>()),
        links in (opt(seria_numer()), opt(seria_numer()), opt(nip())),
    ) -> (Niezdolnosc, Wystawienie) {
        let issued = TODAY - Duration::days(issued_ago);
        let od = issued + Duration::days(start);
        let do_ = od + Duration::days(length);
        let pobyt = hospital.map(|(a, b)| {
            let a = a.min(length);
            let b = b.min(length - a);
            Okres::new(od + Duration::days(a), od + Duration::days(a + b))
        });
        let kody_literowe = KodLiterowy::ALL
            .iter()
            .zip(letters)
            .filter(|(_, on)| *on)
            .map(|(k, _)| *k)
            .take(4)
            .collect();
        let n = Niezdolnosc {
            okres: Some(Okres::new(od, do_)),
            pobyt_w_szpitalu: pobyt,
            wskazanie: Some(wskazanie),
            kody_literowe,
            kod_choroby: Some(icd),
            opieka: opieka.map(|(k, days)| Opieka {
                kod_pokrewienstwa: Some(k),
                data_urodzenia: Some(TODAY - Duration::days(days)),
            }),
        };
        let w = Wystawienie {
            data_wystawienia: Some(issued),
            // Not after today (rule `data_przyszla`).
            data_elektronizacji: electronised.map(|d| issued + Duration::days(d.min(issued_ago))),
            uzasadnienie_wsteczne: (start < -DNI_WSTECZ).then_some(justification),
            anulowane_zla: links.0,
            powiazane_zla: links.1,
            pobyt_stacjonarny_zoz: flags.0,
            ukryte_dla_platnika: flags.1,
            nip_placowki: links.2,
        };
        (n, w)
    }
}

prop_compose! {
    fn zla()(
        ids in (re("[0-9]{1,10}"), re("[0-9A-Za-z]{1,10}")),
        sn in opt(seria_numer()),
        u in ubezpieczony(),
        a in adres(),
        (n, w) in daty(),
        p in platnik(),
        pl in placowka(),
        l in (npwz(), imie(), imie()),
    ) -> Zla {
        Zla {
            id_dokumentu: IdDokumentu { oryginal: Some(ids.0), kopia: Some(ids.1) },
            seria_numer: sn,
            ubezpieczony: Some(u),
            adres: Some(a),
            niezdolnosc: Some(n),
            platnik: Some(p),
            placowka: Some(pl),
            lekarz: Some(Lekarz { npwz: l.0, imie: l.1, nazwisko: l.2 }),
            wystawienie: Some(w),
        }
    }
}

/// Changes the digit at `at` (modulo the length) to another digit.
fn change_digit(s: &str, at: usize, by: u8) -> String {
    let mut b = s.as_bytes().to_vec();
    let i = at % b.len().max(1);
    if let Some(c) = b.get_mut(i) {
        *c = b'0' + (*c - b'0' + 1 + by % 9) % 10;
    }
    String::from_utf8(b).unwrap_or_default()
}

/// Breaks one field of a valid model; returns the path and rule that must be reported, or
/// `None` when this corruption does not apply to the model.
fn corrupt(z: &mut Zla, which: u8, at: usize, by: u8) -> Option<(String, &'static str)> {
    let found = |path: &str, rule: &'static str| Some((path.to_owned(), rule));
    match which % 20 {
        0 => {
            let u = z.ubezpieczony.as_mut()?;
            let p = u.pesel.as_mut()?;
            *p = change_digit(p, at, by);
            found("ubezpieczony.pesel", "pesel")
        }
        1 => {
            let p = z.platnik.as_mut()?;
            (p.rodzaj == Some(RodzajIdentyfikatora::Nip)).then_some(())?;
            p.identyfikator = change_digit(&p.identyfikator, at, by);
            found("platnik.identyfikator", "nip")
        }
        2 => {
            let a = z.adres.as_mut()?;
            let mut s: Vec<char> = a.kod_pocztowy.chars().collect();
            if by.is_multiple_of(2) {
                s.insert(at % 6, '-');
            } else {
                s.remove(at % 5);
            }
            a.kod_pocztowy = s.into_iter().collect();
            found("adres.kod_pocztowy", "kod_pocztowy")
        }
        3 => {
            let n = z.niezdolnosc.as_mut()?;
            let k = n.kod_choroby.as_mut()?;
            *k = if by.is_multiple_of(2) {
                k.to_lowercase()
            } else {
                format!("{k}.{}", by % 10)
            };
            found("niezdolnosc.kod_choroby", "icd10")
        }
        4 => {
            let o = z.niezdolnosc.as_mut()?.okres.as_mut()?;
            o.do_ = Some(o.od? - Duration::days(1 + i64::from(by % 30)));
            found("niezdolnosc.okres.do", "kolejnosc_dat")
        }
        5 => {
            let issued = z.wystawienie.as_ref()?.data_wystawienia?;
            let o = z.niezdolnosc.as_mut()?.okres.as_mut()?;
            o.od = Some(issued - Duration::days(DNI_WSTECZ + 1 + i64::from(by % 60)));
            z.wystawienie.as_mut()?.uzasadnienie_wsteczne = None;
            found("wystawienie.uzasadnienie_wsteczne", "data_wsteczna")
        }
        6 => {
            let n = z.niezdolnosc.as_mut()?;
            let o = n.opieka.get_or_insert(Opieka {
                kod_pokrewienstwa: Some(KodPokrewienstwa::Dziecko),
                data_urodzenia: Some(date!(2020 - 01 - 01)),
            });
            if by.is_multiple_of(2) {
                o.kod_pokrewienstwa = None;
                found("niezdolnosc.opieka.kod_pokrewienstwa", "opieka")
            } else {
                o.data_urodzenia = None;
                found("niezdolnosc.opieka.data_urodzenia", "opieka")
            }
        }
        7 => {
            let section = match by % 7 {
                0 => {
                    z.ubezpieczony = None;
                    "ubezpieczony"
                }
                1 => {
                    z.adres = None;
                    "adres"
                }
                2 => {
                    z.niezdolnosc = None;
                    "niezdolnosc"
                }
                3 => {
                    z.platnik = None;
                    "platnik"
                }
                4 => {
                    z.placowka = None;
                    "placowka"
                }
                5 => {
                    z.lekarz = None;
                    "lekarz"
                }
                _ => {
                    z.wystawienie = None;
                    "wystawienie"
                }
            };
            found(section, "sekcja_wymagana")
        }
        8 => {
            let sn = z.seria_numer.get_or_insert(SeriaNumer {
                seria: "ZW".into(),
                numer: "1234567".into(),
            });
            sn.seria = sn.seria.to_lowercase();
            found("seria_numer.seria", "wzorzec")
        }
        9 => {
            let sn = z.seria_numer.get_or_insert(SeriaNumer {
                seria: "ZW".into(),
                numer: "1234567".into(),
            });
            if by.is_multiple_of(2) {
                sn.numer.pop();
            } else {
                sn.numer.push('0');
            }
            found("seria_numer.numer", "wzorzec")
        }
        10 => {
            let blank = " ".repeat(usize::from(by % 3));
            match at % 5 {
                0 => z.ubezpieczony.as_mut()?.imie = blank,
                1 => z.ubezpieczony.as_mut()?.nazwisko = blank,
                2 => z.adres.as_mut()?.miejscowosc = blank,
                3 => z.lekarz.as_mut()?.nazwisko = blank,
                _ => z.placowka.as_mut()?.nazwa = blank,
            }
            let path = [
                "ubezpieczony.imie",
                "ubezpieczony.nazwisko",
                "adres.miejscowosc",
                "lekarz.nazwisko",
                "placowka.nazwa",
            ][at % 5];
            found(path, "wymagane")
        }
        11 => {
            let w = z.wystawienie.as_mut()?;
            w.uzasadnienie_wsteczne = Some("x".repeat(MAX_UZASADNIENIE + 1 + usize::from(by)));
            found("wystawienie.uzasadnienie_wsteczne", "dlugosc")
        }
        12 => {
            let u = z.ubezpieczony.as_mut()?;
            let born = Pesel::parse(u.pesel.as_deref()?).ok()?.birth_date();
            u.data_urodzenia = Some(born + Duration::days(1 + i64::from(by)));
            found("ubezpieczony.data_urodzenia", "pesel_data_urodzenia")
        }
        13 => {
            let w = z.wystawienie.as_mut()?;
            let n = w.nip_placowki.as_mut()?;
            *n = change_digit(n, at, by);
            found("wystawienie.nip_placowki", "nip")
        }
        14 => {
            let u = z.ubezpieczony.as_mut()?;
            let c = char::from(by % 9); // U+0000–U+0008: not XML characters
            let at = at % (u.nazwisko.chars().count() + 1);
            let mut s: Vec<char> = u.nazwisko.chars().collect();
            s.insert(at, c);
            u.nazwisko = s.into_iter().collect();
            found("ubezpieczony.nazwisko", "znaki_xml")
        }
        15 => {
            let w = z.wystawienie.as_mut()?;
            w.data_wystawienia = Some(TODAY + Duration::days(1 + i64::from(by)));
            found("wystawienie.data_wystawienia", "data_przyszla")
        }
        16 => {
            let u = z.ubezpieczony.as_mut()?;
            // Characters XML can carry but a name may not.
            let refused = [
                '\t',
                '\n',
                '\r',
                '\u{85}',
                '\u{A0}',
                '\u{AD}',
                '\u{200B}',
                '\u{200F}',
                '\u{202E}',
                '\u{2028}',
                '\u{2066}',
                '\u{FEFF}',
                '\u{E000}',
                '\u{FDD0}',
                '\u{E0041}',
            ];
            let c = refused[usize::from(by) % refused.len()];
            let at = at % (u.nazwisko.chars().count() + 1);
            let mut s: Vec<char> = u.nazwisko.chars().collect();
            s.insert(at, c);
            u.nazwisko = s.into_iter().collect();
            found("ubezpieczony.nazwisko", "znaki")
        }
        17 => {
            let extra = 1 + usize::from(by % 5);
            match at % 4 {
                0 => {
                    z.ubezpieczony.as_mut()?.imie = "a".repeat(60 + extra);
                    found("ubezpieczony.imie", "dlugosc")
                }
                1 => {
                    z.adres.as_mut()?.miejscowosc = "ą".repeat(100 + extra);
                    found("adres.miejscowosc", "dlugosc")
                }
                2 => {
                    z.placowka.as_mut()?.nazwa = "P".repeat(500 + extra);
                    found("placowka.nazwa", "dlugosc")
                }
                _ => {
                    z.lekarz.as_mut()?.nazwisko = "ż".repeat(80 + extra);
                    found("lekarz.nazwisko", "dlugosc")
                }
            }
        }
        18 => {
            let issued = z.wystawienie.as_ref()?.data_wystawienia?;
            let o = z.niezdolnosc.as_mut()?.okres.as_mut()?;
            o.do_ = Some(issued + Duration::days(OKRES_ZASILKOWY_DLUGI + 1 + i64::from(by)));
            found("niezdolnosc.okres.do", "okno_dat")
        }
        _ => {
            let id = z.id_dokumentu.oryginal.as_mut()?;
            id.insert(
                at % (id.len() + 1),
                ['-', ' ', 'ł', '_'][usize::from(by % 4)],
            );
            found("id_dokumentu.oryginal", "id_dokumentu")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn valid_models_round_trip(zla in zla()) {
        let v = zla.validate(TODAY);
        prop_assert!(v.is_valid(), "{:?}", v.errors());
        let options = WriteOptions::default().with_today(TODAY);
        let o = zla.to_xml(Wariant::Oryginal, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let k = zla.to_xml(Wariant::Kopia, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;

        let (zo, wo) = Zla::from_xml(&o).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut expected = zla.clone();
        expected.id_dokumentu.kopia = None;
        prop_assert_eq!(wo, Wariant::Oryginal);
        prop_assert_eq!(&zo, &expected);

        let (zk, wk) = Zla::from_xml(&k).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut expected = zla.clone();
        expected.id_dokumentu.oryginal = None;
        if let Some(n) = expected.niezdolnosc.as_mut() {
            n.kod_choroby = None;
        }
        prop_assert_eq!(wk, Wariant::Kopia);
        prop_assert_eq!(&zk, &expected);

        let pair = Zla::from_pair(&o, &k).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&pair, &zla);
        // Each document read back is valid as what it is.
        prop_assert!(check(&o, TODAY).map(|v| v.is_valid()).unwrap_or(false));
        prop_assert!(check(&k, TODAY).map(|v| v.is_valid()).unwrap_or(false));

        let json = zla.to_json();
        prop_assert_eq!(Zla::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?, zla);
    }

    #[test]
    fn single_field_corruptions_are_reported(
        zla in zla(),
        which in any::<u8>(),
        at in any::<usize>(),
        by in any::<u8>(),
    ) {
        let mut broken = zla.clone();
        let expected = corrupt(&mut broken, which, at, by);
        prop_assume!(expected.is_some());
        let (path, rule) = expected.unwrap_or_default();
        let v = broken.validate(TODAY);
        prop_assert!(!v.is_valid());
        prop_assert!(
            v.errors().iter().any(|p| p.path == path && p.rule == rule),
            "{} {} not reported: {:?}", path, rule, v.problems
        );
        // Writing refuses the broken model with the same problem.
        let e = broken.to_xml(Wariant::Oryginal, &WriteOptions::default().with_today(TODAY));
        match e {
            Err(Error::Document(DocumentError::Invalid { problems })) => {
                prop_assert!(problems.iter().any(|p| p.path == path && p.rule == rule));
            }
            other => prop_assert!(false, "to_xml did not refuse: {:?}", other.map(|_| ())),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The split covers the requested period exactly, in order, without overlap; the
    /// current part needs no justification, the retroactive part lies wholly before the limit.
    #[test]
    fn splitting_covers_the_period(start in -400i64..400, length in 0i64..400) {
        let od = TODAY + Duration::days(start);
        let do_ = od + Duration::days(length);
        let parts = plan::podziel_okres(od, do_, TODAY)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!parts.is_empty() && parts.len() <= 2);
        let limit = TODAY - Duration::days(DNI_WSTECZ);
        let mut next = od;
        for p in &parts {
            let (a, b) = (p.okres.od.unwrap_or(Date::MIN), p.okres.do_.unwrap_or(Date::MIN));
            prop_assert_eq!(a, next);
            prop_assert!(a <= b);
            match p.rodzaj {
                plan::Rodzaj::Wsteczne => prop_assert!(b < limit),
                plan::Rodzaj::Biezace => prop_assert!(a >= limit),
            }
            next = b + Duration::days(1);
        }
        prop_assert_eq!(next, do_ + Duration::days(1));
    }

    /// A valid cancellation of a valid certificate round-trips through XML and JSON.
    #[test]
    fn cancellations_round_trip(
        zla in zla(),
        przyczyna in prop::sample::select(codes::PrzyczynaAnulowania::ALL),
        uzasadnienie in opt(tekst()),
        ago in 0i64..100,
    ) {
        let sn = zla.seria_numer.clone().unwrap_or(SeriaNumer { seria: "ZY".into(), numer: "7654321".into() });
        let mut a = azla::Azla {
            anulowane_zla: sn,
            przyczyna: Some(przyczyna),
            uzasadnienie,
            lekarz: zla.lekarz.clone(),
            data: Some(TODAY - Duration::days(ago)),
            ..azla::Azla::default()
        };
        if przyczyna == codes::PrzyczynaAnulowania::InnyPowod && a.uzasadnienie.is_none() {
            a.uzasadnienie = Some("inny".into());
        }
        prop_assert!(a.validate(TODAY).is_valid());
        let xml = a.to_xml(&WriteOptions::default().with_today(TODAY))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&azla::Azla::from_xml(&xml).map_err(|e| TestCaseError::fail(e.to_string()))?, &a);
        prop_assert_eq!(azla::Azla::from_json(&a.to_json()).map_err(|e| TestCaseError::fail(e.to_string()))?, a);
    }
}
