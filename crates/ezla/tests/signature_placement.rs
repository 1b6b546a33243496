//! Where an e-ZLA's signature sits: `kedu::check_signature_placement` applies the KEDU
//! reader's rule (signatures after `ZUSZLA`), which XAdES verification alone does not, with
//! the same error as `kedu::check`.

use ezla::ErrorCode;
use ezla::kedu::{self, Wariant, WriteOptions, Zla};
use ezla::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use ezla::xades::{self, SignOptions, VerifyOptions};
use time::macros::{date, datetime};

const ZLA: &str = r#"{
  "ubezpieczony": { "pesel": "44051401359", "imie": "Jan", "nazwisko": "Kowalski",
                    "kod_ubezpieczenia": "zus" },
  "adres": { "kod_pocztowy": "00950", "miejscowosc": "Warszawa", "ulica": "Długa",
             "nr_domu": "5" },
  "niezdolnosc": { "okres": { "od": "2026-11-30", "do": "2026-12-06" },
                   "wskazanie": "moze_chodzic", "kod_choroby": "J06" },
  "platnik": { "rodzaj": "nip", "identyfikator": "1234563218" },
  "placowka": { "nazwa": "Przychodnia", "kod_pocztowy": "00950",
                "miejscowosc": "Warszawa", "nr_domu": "1" },
  "lekarz": { "npwz": "5425740", "imie": "Anna", "nazwisko": "Nowak" },
  "wystawienie": { "data_wystawienia": "2026-12-01" }
}"#;

#[test]
fn a_signature_before_zuszla_verifies_but_is_misplaced() {
    let today = date!(2026 - 12 - 01);
    let at = datetime!(2026-12-01 09:00 UTC);
    let zla = Zla::from_json(ZLA).expect("model");
    let document = zla
        .to_xml(
            Wariant::Oryginal,
            &WriteOptions::default().with_today(today),
        )
        .expect("xml");
    let ca = TestCa::generate("placement CA", datetime!(2025-01-01 00:00 UTC), 3650).expect("ca");
    let mut spec = DoctorSpec::new("Anna", "Nowak", "44051401359".parse().expect("pesel"));
    spec.options = IssueOptions::doctor(datetime!(2026-01-01 00:00 UTC));
    let doctor = ca.issue_doctor(&spec).expect("doctor");
    let signed = xades::sign_with_identity(
        &document,
        &doctor,
        &SignOptions::default().deterministic(at, "zla"),
    )
    .expect("sign");
    assert_eq!(kedu::check_signature_placement(&signed).ok(), Some(true));
    assert!(kedu::check(&signed, today).expect("check").is_valid());

    // Move the signature before ZUSZLA.
    let text = String::from_utf8(signed).expect("utf8");
    let start = text.find("<ds:Signature").expect("signature");
    let end = text.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
    let rest = format!("{}{}", &text[..start], &text[end..]);
    let body = rest.find("<ZUSZLA").expect("body");
    let moved = format!("{}{}{}", &rest[..body], &text[start..end], &rest[body..]);

    // The signature itself still verifies: its reference excludes signatures.
    xades::verify(moved.as_bytes(), &VerifyOptions::default().at(at)).expect("still verifies");
    let placement = kedu::check_signature_placement(moved.as_bytes()).expect_err("misplaced");
    let check = kedu::check(moved.as_bytes(), today).expect_err("kedu check refuses it");
    assert_eq!(placement.code(), ErrorCode::DocumentMalformed);
    assert_eq!(placement.to_string(), check.to_string());
    assert!(
        placement.to_string().contains("/KEDU/Signature")
            && placement.to_string().contains("after ZUSZLA"),
        "{placement}"
    );

    // Other documents are not KEDU documents: the rule does not apply.
    assert_eq!(
        kedu::check_signature_placement(b"<Oswiadczenie/>").ok(),
        Some(false)
    );
}
