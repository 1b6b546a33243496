use super::wire::{format_date, parse_date, says_session_gone};
use super::*;

#[test]
fn namespaces() {
    assert_eq!(BodyNamespace::default(), BodyNamespace::ZusPl);
    for ns in BodyNamespace::ALL {
        assert_eq!(BodyNamespace::from_uri(ns.uri()), Some(ns));
        assert_ne!(ns.other(), ns);
    }
    assert_eq!(
        BodyNamespace::from_uri("http://zus.pl/b2b/zus/channel/gabinetowe/"),
        None
    );
}

#[test]
fn dates() {
    let d = parse_date("2024-02-29").expect("leap day");
    assert_eq!(format_date(d), "2024-02-29");
    for bad in [
        "2023-02-29",
        "2024-2-29",
        "2024-02-29 ",
        "+024-02-29",
        "2024/02/29",
        "",
    ] {
        assert_eq!(parse_date(bad), None, "{bad:?}");
    }
}

#[test]
fn the_session_rule() {
    assert!(says_session_gone("Brak sesji"));
    assert!(says_session_gone("BŁĄD: brak SESJI o id X"));
    assert!(says_session_gone("Sesja wygasła"));
    assert!(says_session_gone("sesja nie istnieje"));
    assert!(!says_session_gone("Brak uprawnień"));
}

#[test]
fn wire_enums_round_trip() {
    for k in KontekstDostepu::ALL {
        assert_eq!(KontekstDostepu::from_wire(k.as_str()), Some(*k));
    }
    assert_eq!(Tryb::from_wire("biezacy"), None);
    assert_eq!(RodzajWniosku::Pr4.to_string(), "PR_4");
    assert_eq!(MetodaWeryfikacji::EPuap.as_wire(), "ePuap");
}
