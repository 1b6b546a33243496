//! Judging ZUS channel responses: every operation's success shape, in both body namespaces,
//! with unqualified and with qualified inner elements; Faults, refused results, refused
//! logins and validations, the daily limit; and envelopes that must be refused, each with
//! its error code. Samples of the special shapes are in `tests/data/zus/`.

use std::fmt::Debug;

use ezla::error::{RodzajBledu, ZusError};
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
use ezla::{Error, ErrorCode};
use time::macros::date;

const ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const OK: &str = "<Rezultat><KodBledu>0</KodBledu><OpisBledu>OK</OpisBledu></Rezultat>";

/// The response envelope of `op` with `inner` (written unqualified) in namespace `ns`;
/// `qualified` puts every inner element into `ns` through a default namespace declaration.
fn envelope(ns: &str, qualified: bool, op: &str, inner: &str) -> String {
    let body = if qualified {
        format!("<{op}Response xmlns=\"{ns}\">{inner}</{op}Response>")
    } else {
        format!("<z:{op}Response xmlns:z=\"{ns}\">{inner}</z:{op}Response>")
    };
    format!(
        "<soapenv:Envelope xmlns:soapenv=\"{ENV}\"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}

/// Parses `inner` as the response of `O` in all eight combinations (configured namespace,
/// namespace of the response, qualified or not); all must agree.
fn parse_all<O: Operation>(inner: &str) -> O::Response
where
    O::Response: PartialEq + Debug,
{
    let mut first: Option<O::Response> = None;
    for configured in BodyNamespace::ALL {
        for sent in BodyNamespace::ALL {
            for qualified in [false, true] {
                let xml = envelope(sent.uri(), qualified, O::NAME, inner);
                let r = O::parse(xml.as_bytes(), configured).unwrap_or_else(|e| {
                    panic!("{} ({sent:?}, qualified {qualified}): {e}", O::NAME)
                });
                match &first {
                    None => first = Some(r),
                    Some(f) => assert_eq!(f, &r, "{}", O::NAME),
                }
            }
        }
    }
    first.expect("parsed")
}

/// Parses `inner` as the response of `O` in all combinations; all must fail alike.
fn error_all<O: Operation>(inner: &str) -> Error
where
    O::Response: Debug,
{
    let mut first: Option<Error> = None;
    for sent in BodyNamespace::ALL {
        for qualified in [false, true] {
            let xml = envelope(sent.uri(), qualified, O::NAME, inner);
            let e = O::parse(xml.as_bytes(), BodyNamespace::ZusPl).expect_err(O::NAME);
            if let Some(f) = &first {
                assert_eq!(f.to_string(), e.to_string());
            }
            first = Some(e);
        }
    }
    first.expect("failed")
}

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/zus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A data file parsed as it is and in the zus.gov.pl namespace; both must agree.
fn parse_data<O: Operation>(name: &str) -> ezla::Result<O::Response>
where
    O::Response: Debug,
{
    let text = data(name);
    let gov = text.replace(BodyNamespace::ZusPl.uri(), BodyNamespace::ZusGovPl.uri());
    let a = O::parse(text.as_bytes(), BodyNamespace::ZusPl);
    let b = O::parse(gov.as_bytes(), BodyNamespace::ZusPl);
    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name}");
    a
}

#[test]
fn session_responses() {
    let statement = "<Oswiadczenie><Tresc>Logowanie Lekarza przez system zewnętrzny</Tresc>\
                     <Data>2026-12-01</Data><Czas>09:00:00</Czas>\
                     <Token>CK-12345678-1234-1234-1234-123456789012</Token></Oswiadczenie>";
    let escaped = statement.replace('<', "&lt;").replace('>', "&gt;");
    let got = parse_all::<PobierzOswiadczenie>(&format!("<Oswiadczenie>{escaped}</Oswiadczenie>"));
    assert_eq!(got, statement);
    let id = parse_data::<ZalogujPodpisem>("zalogujPodpisem-ok.xml").expect("login");
    assert_eq!(id.as_str(), "A1b2C3d4E5f6");
    parse_all::<UsunSesje>(OK);
}

#[test]
fn doctor_responses() {
    let inner = format!(
        "<DaneLekarza><Imie>ANNA</Imie><Nazwisko>NOWAK</Nazwisko><Pesel>44051401359</Pesel>\
         <NumerPrawaWykonywaniaZawodu>5425740</NumerPrawaWykonywaniaZawodu>\
         <NazwaOkregowejIzbyLekarskiej>Okręgowa Izba Lekarska w Warszawie</NazwaOkregowejIzbyLekarskiej>\
         <StatusLekarza><DataWydaniaDecyzji>2001-01-01</DataWydaniaDecyzji><Status>AKTYWNY</Status></StatusLekarza>\
         <PosiadanaSpecjalizacja><KodSpecjalizacji>0714</KodSpecjalizacji><NazwaSpecjalizacji>choroby wewnętrzne</NazwaSpecjalizacji><StopienSpecjalizacji>II</StopienSpecjalizacji></PosiadanaSpecjalizacja>\
         <Adres><Ulica>DŁUGA</Ulica><NrDomu>5</NrDomu><KodPocztowy>00950</KodPocztowy><Miejscowosc>WARSZAWA</Miejscowosc></Adres>\
         <MiejsceWykonywaniaZawodu><Nazwa>PRZYCHODNIA \"ZDROWIE\" SP. Z O.O.</Nazwa><NIP>1234563218</NIP><IdMiejsca>77</IdMiejsca></MiejsceWykonywaniaZawodu>\
         <MiejsceWykonywaniaZawodu><Nazwa>GABINET</Nazwa></MiejsceWykonywaniaZawodu>\
         </DaneLekarza>{OK}"
    );
    let d = parse_all::<PobierzDaneLekarza>(&inner).expect("data");
    assert_eq!(d.numer_prawa_wykonywania_zawodu.as_deref(), Some("5425740"));
    assert_eq!(
        d.status_lekarza.and_then(|s| s.status).as_deref(),
        Some("AKTYWNY")
    );
    assert_eq!(d.posiadana_specjalizacja.len(), 1);
    assert_eq!(d.miejsce_wykonywania_zawodu.len(), 2);
    assert_eq!(
        d.miejsce_wykonywania_zawodu[0].nazwa.as_deref(),
        Some("PRZYCHODNIA \"ZDROWIE\" SP. Z O.O.")
    );
    assert_eq!(
        d.miejsce_wykonywania_zawodu[0].id_miejsca.as_deref(),
        Some("77")
    );
    assert_eq!(parse_all::<PobierzDaneLekarza>(OK), None);

    let places = parse_all::<PobierzMiejsceWykonywaniaZawodu>(&format!(
        "{OK}<MiejsceWykonywaniaZawodu><Nazwa>A</Nazwa><KodPocztowy>00950</KodPocztowy></MiejsceWykonywaniaZawodu>"
    ));
    assert_eq!(places[0].kod_pocztowy.as_deref(), Some("00950"));
    let may = parse_all::<PobierzUprawnieniaNaDzien>(&format!(
        "{OK}<MozliwoscWystawianiaZaswiadczenia>true</MozliwoscWystawianiaZaswiadczenia>"
    ));
    assert_eq!(may, Some(true));
}

#[test]
fn patient_and_payer_responses() {
    let p = parse_data::<PobierzDaneUbezpieczonego>("pobierzDaneUbezpieczonego-ok.xml")
        .expect("patient")
        .expect("data");
    assert_eq!(p.nazwisko, "KOWALSKI-ŻÓŁW");
    assert_eq!(p.data_urodzenia.as_deref(), Some("1944-05-14"));
    assert_eq!(p.adres.len(), 2);
    assert_eq!(p.adres[1].nr_lokalu.as_deref(), Some("2"));

    let family = parse_all::<PobierzCzlonkowRodzinyUbezpieczonego>(&format!(
        "{OK}<CzlonekRodzinyUbezpieczonego><Imie>OLA</Imie><Nazwisko>KOWALSKA</Nazwisko>\
         <DataUrodzenia>2020-02-29</DataUrodzenia></CzlonekRodzinyUbezpieczonego>"
    ));
    assert_eq!(family[0].data_urodzenia, date!(2020 - 02 - 29));

    let payers = parse_all::<PobierzPlatnikowUbezpieczonego>(&format!(
        "{OK}<Platnik><PlatnikIstnieje>true</PlatnikIstnieje><Nazwa>FIRMA SP. Z O.O.</Nazwa>\
         <NIP>1234563218</NIP><ProfilPUE>true</ProfilPUE></Platnik>\
         <Platnik><Imie>JAN</Imie><Nazwisko>NOWAK</Nazwisko><Pesel>44051401359</Pesel><ProfilPUE>0</ProfilPUE></Platnik>"
    ));
    assert_eq!(payers.len(), 2);
    assert!(payers[0].profil_pue && !payers[1].profil_pue);
    assert_eq!(payers[1].pesel.as_deref(), Some("44051401359"));

    let payer = parse_all::<PobierzDanePlatnika>(&format!(
        "<DanePlatnika><PlatnikIstnieje>true</PlatnikIstnieje><Nazwa>FIRMA</Nazwa></DanePlatnika>{OK}"
    ));
    assert_eq!(payer.and_then(|p| p.nazwa).as_deref(), Some("FIRMA"));

    let addresses = parse_all::<PobierzAdresyPlacowek>(&format!(
        "<NazwaPlatnika>FIRMA</NazwaPlatnika><AdresyPlacowek><KodPocztowy>00950</KodPocztowy>\
         <Miejscowosc>WARSZAWA</Miejscowosc><NumerDomu>1</NumerDomu></AdresyPlacowek>{OK}"
    ));
    assert_eq!(addresses.adresy[0].numer_domu.as_deref(), Some("1"));
}

#[test]
fn numbering_responses() {
    let packs = parse_data::<PobierzSeriaNumerZla>("pobierzSeriaNumerZla-ok.xml").expect("numbers");
    assert_eq!(packs.len(), 1);
    assert_eq!(packs[0].seria_numer.seria, "ZY");
    assert_eq!(packs[0].seria_numer.numer, "1234567");
    assert_eq!(packs[0].id_dokumentu.oryginal.as_deref(), Some("155565"));
    assert_eq!(packs[0].id_dokumentu.kopia.as_deref(), Some("155566"));
    // The pair also as Seria/Numer children, directly in the response.
    let direct = parse_all::<PobierzSeriaNumerZla>(&format!(
        "{OK}<KolekcjaPaczekDokumentowZla><Oryginal><idDokumentu>1</idDokumentu></Oryginal>\
         <SeriaNumer><Seria>ZW</Seria><Numer>7654321</Numer></SeriaNumer></KolekcjaPaczekDokumentowZla>"
    ));
    assert_eq!(direct[0].seria_numer.seria, "ZW");
    assert_eq!(direct[0].id_dokumentu.kopia, None);
    let e = error_all::<PobierzSeriaNumerZla>(OK);
    assert_eq!(e.code(), ErrorCode::ZusResponseMalformed);

    let ids = parse_all::<PobierzIdentyfikatorDokumentu>(&format!(
        "<IdDokumentu>155565</IdDokumentu><IdDokumentu>155566</IdDokumentu>{OK}"
    ));
    assert_eq!(ids, ["155565", "155566"]);
    let reserved = parse_all::<RezerwujSeriaNumerZla>(&format!(
        "{OK}<SeriaNumerZla><Seria>ZA</Seria><Numer>0000001</Numer></SeriaNumerZla>\
         <SeriaNumerZla><Seria>ZA</Seria><Numer>0000002</Numer></SeriaNumerZla>"
    ));
    assert_eq!(reserved[1].numer, "0000002");
    let numbered = parse_all::<NadajSeriaNumerZla>(&format!(
        "<ParaDokumentow NrRef=\"p-1\"><Oryginal NrRef=\"o-1\"><KEDU><KEDU>&lt;KEDU/&gt;</KEDU></KEDU></Oryginal>\
         <Kopia><KEDU><KEDU>&lt;KEDU/&gt;</KEDU></KEDU></Kopia></ParaDokumentow>{OK}"
    ));
    assert_eq!(numbered.pary[0].nr_ref.as_deref(), Some("p-1"));
    assert_eq!(numbered.pary[0].oryginal.kedu, "<KEDU/>");
}

#[test]
fn document_responses() {
    let ok = parse_all::<WalidujDokumenty>(&format!(
        "{OK}<RezultatWalidacji><Rezultat>POZYTYWNY</Rezultat></RezultatWalidacji>"
    ));
    assert_eq!(ok.map(|r| r.wynik), Some(WynikWalidacji::Pozytywny));

    // Warnings only: accepted, every finding kept.
    let warned = parse_data::<WalidujDokumenty>("walidujDokumenty-ostrzezenie.xml")
        .expect("warnings are not errors")
        .expect("a result");
    assert_eq!(warned.wynik, WynikWalidacji::Ostrzezenie);
    assert_eq!(warned.bledy.len(), 2);
    assert_eq!(warned.bledy[0].kod_bledu, "W145");
    assert_eq!(
        warned.bledy[1].lokalizacja.as_deref(),
        Some("/KEDU/ZUSZLA[@id_dokumentu]")
    );

    // NEGATYWNY: an error with every finding verbatim.
    let e = parse_data::<WalidujDokumenty>("walidujDokumenty-negatywny.xml").expect_err("refused");
    assert_eq!(e.code(), ErrorCode::ZusValidationRefused);
    let Error::Zus(ZusError::ValidationRefused { operation, bledy }) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*operation, "walidujDokumenty");
    assert_eq!(bledy.len(), 3);
    assert_eq!(bledy[0].nr_ref, ["o-1", "k-1"]);
    assert_eq!(bledy[0].rodzaj, RodzajBledu::Ostrzezenie);
    assert_eq!(
        bledy[0].opis_bledu,
        "Wymagane pole: Seria i numer zaświadczenia."
    );
    assert_eq!(
        bledy[0].lokalizacja.as_deref(),
        Some("KEDU/ZUSZLA/I/p1/p1 KEDU/ZUSZLA/I/p1/p2")
    );
    assert_eq!(bledy[1].rodzaj, RodzajBledu::Blad);
    assert_eq!(bledy[1].kod_bledu, "185");
    assert!(bledy[2].nr_ref.is_empty() && bledy[2].lokalizacja.is_none());
    let text = e.to_string();
    assert!(
        text.contains("2 error(s), 1 warning(s)") && text.contains("E001"),
        "{text}"
    );

    // Sending: receipts are never lost, even beside a refused package.
    let sent = parse_data::<WyslijDokumenty>("wyslijDokumenty-upp.xml").expect("sent");
    assert_eq!(sent.rezultat_wysylki.len(), 2);
    assert_eq!(
        sent.rezultat_wysylki[0].utworzone_upp,
        [
            "<UPP><NrRef>o-1</NrRef></UPP>",
            "<UPP><NrRef>k-1</NrRef></UPP>"
        ]
    );
    assert_eq!(sent.rezultat_wysylki[1].wynik, WynikWalidacji::Negatywny);
    assert_eq!(
        sent.rezultat_wysylki[1]
            .blad
            .as_ref()
            .map(|b| b.kod_bledu.as_str()),
        Some("17")
    );
    let with_receipt_despite_error = "<Rezultat><KodBledu>5</KodBledu><OpisBledu>częściowo</OpisBledu></Rezultat>\
         <RezultatWysylki><NrRef>o-1</NrRef><Wynik>POZYTYWNY</Wynik><UtworzoneUPP><UPP>u</UPP></UtworzoneUPP></RezultatWysylki>";
    let kept = parse_all::<WyslijDokumenty>(with_receipt_despite_error);
    assert_eq!(kept.rezultat.kod_bledu, "5");
    // Without a receipt, a non-success Rezultat or a NEGATYWNY validation is an error.
    let refused = error_all::<WyslijDokumenty>(
        "<Rezultat><KodBledu>5</KodBledu><OpisBledu>nie</OpisBledu></Rezultat>",
    );
    assert_eq!(refused.code(), ErrorCode::ZusRejected);
    let invalid = error_all::<WyslijDokumenty>(&format!(
        "{OK}<RezultatWalidacji><Rezultat>NEGATYWNY</Rezultat><BladWalidacji><Rodzaj>BLAD</Rodzaj>\
         <KodBledu>1</KodBledu><OpisBledu>x</OpisBledu></BladWalidacji></RezultatWalidacji>"
    ));
    assert_eq!(invalid.code(), ErrorCode::ZusValidationRefused);
}

#[test]
fn read_responses() {
    let doc = parse_all::<PobierzDokument>(&format!(
        "<WersjaKedu>1.1</WersjaKedu><Dokument><KEDU>&lt;KEDU&gt;\t&#xD;&lt;/KEDU&gt;</KEDU></Dokument>{OK}"
    ));
    assert_eq!(doc.wersja_kedu.as_deref(), Some("1.1"));
    assert_eq!(doc.kedu.as_deref(), Some("<KEDU>\t\r</KEDU>"));
    let upp =
        parse_all::<PobierzUppDlaDokumentu>(&format!("{OK}<UPP><UPP>&lt;UPP/&gt;</UPP></UPP>"));
    assert_eq!(upp.as_deref(), Some("<UPP/>"));

    let row = "<ZaswiadczenieLekarskie><PeselUbezpieczonego>44051401359</PeselUbezpieczonego>\
               <NiezdolnoscDoPracyOd>2026-11-30</NiezdolnoscDoPracyOd><LiczbaDniPobytuWSzpitalu>0</LiczbaDniPobytuWSzpitalu>\
               <KodPokrewienstwa>1</KodPokrewienstwa><StatusZla>PRZYJETE</StatusZla><SeriaZla>ZY</SeriaZla>\
               <NumerZla>1234567</NumerZla></ZaswiadczenieLekarskie>";
    let list = format!("{OK}<LiczbaWszystkichRekordow>1</LiczbaWszystkichRekordow>{row}");
    for l in [
        parse_all::<PobierzListeBiezacychZlaLekarza>(&list),
        parse_all::<PobierzListePrzetworzonychZlaLekarza>(&list),
        parse_all::<PobierzListeZlaUbezpieczonego>(&list),
    ] {
        assert_eq!(l.liczba_wszystkich_rekordow, Some(1));
        assert_eq!(
            l.zaswiadczenia[0].kod_pokrewienstwa,
            Some(KodPokrewienstwa::Kod1)
        );
        assert_eq!(l.zaswiadczenia[0].liczba_dni_pobytu_w_szpitalu, Some(0));
        assert_eq!(l.zaswiadczenia[0].numer_zla.as_deref(), Some("1234567"));
    }

    let full = "<MiejsceUbezpieczenia>1</MiejsceUbezpieczenia><ImieUbezpieczonego>JAN</ImieUbezpieczonego>\
                <NazwiskoUbezpieczonego>KOWALSKI</NazwiskoUbezpieczonego><NiezdolnoscDoPracyOd>2026-11-30</NiezdolnoscDoPracyOd>\
                <NiezdolnoscDoPracyDo>2026-12-06+01:00</NiezdolnoscDoPracyDo><PobytStacjonarnyZoz>false</PobytStacjonarnyZoz>\
                <NpwzLekarza>5425740</NpwzLekarza><NazwiskoLekarza>NOWAK</NazwiskoLekarza><ImieLekarza>ANNA</ImieLekarza>\
                <StatusZla>ANULOWANE</StatusZla><DataWystawieniaZla>2026-12-01Z</DataWystawieniaZla><SeriaZla>ZY</SeriaZla>\
                <NumerZla>1234567</NumerZla><UkryteDlaPlatnika>true</UkryteDlaPlatnika><KodPrzyczynyAnulowania>U</KodPrzyczynyAnulowania>";
    let current = parse_all::<PobierzSzczegolyZlaBiezace>(&format!(
        "{OK}<ZaswiadczenieBiezaceSzczegoly>{full}</ZaswiadczenieBiezaceSzczegoly>"
    ))
    .expect("details");
    assert_eq!(current.niezdolnosc_do_pracy_do, date!(2026 - 12 - 06));
    assert_eq!(current.data_wystawienia_zla, date!(2026 - 12 - 01));
    assert_eq!(current.kod_przyczyny_anulowania.as_deref(), Some("U"));
    assert_eq!(current.ukryte_dla_platnika, Some(true));
    let processed = parse_all::<PobierzSzczegolyZlaPrzetworzone>(&format!(
        "{OK}<ZaswiadczeniePrzetworzoneSzczegoly>{full}</ZaswiadczeniePrzetworzoneSzczegoly>\
         <ZaswiadczenieLekarskieKorygujace><TypIdentyfikatoraUbezpieczonego>PESEL</TypIdentyfikatoraUbezpieczonego>\
         <SeriaNumerZla>ZY7654321</SeriaNumerZla></ZaswiadczenieLekarskieKorygujace>"
    ));
    assert!(processed.szczegoly.is_some());
    let k = processed.korygujace.expect("correcting");
    assert_eq!(
        k.typ_identyfikatora_ubezpieczonego,
        Some(TypIdUbezpieczonego::Pesel)
    );

    let related = parse_all::<PobierzListePowiazanychZla>(&format!(
        "{OK}<PowiazaneZla><Seria>ZY</Seria><Numer>7654321</Numer><StatusPrzetwarzania>P</StatusPrzetwarzania>\
         <DataWystawienia>2026-12-01</DataWystawienia><IdentyfikatorPlatnika>1234563218</IdentyfikatorPlatnika>\
         <TypIdentyfikatoraPlatnika>NIP</TypIdentyfikatoraPlatnika></PowiazaneZla><LiczbaPowiazanychZla>1</LiczbaPowiazanychZla>"
    ));
    assert_eq!((related.powiazane.len(), related.liczba), (1, Some(1)));
    let pr4 = parse_all::<PobierzListePr4Ubezpieczonego>(&format!(
        "{OK}<WniosekPr4><DataWystawienia>2026-01-02</DataWystawienia><NumerStatystycznyChoroby>M54</NumerStatystycznyChoroby>\
         <NpwzLekarza>5425740</NpwzLekarza><ImieLekarza>ANNA</ImieLekarza><NazwiskoLekarza>NOWAK</NazwiskoLekarza></WniosekPr4>"
    ));
    assert_eq!(pr4.wnioski[0].numer_statystyczny_choroby, "M54");
    let prints = parse_all::<PobierzStatusyDrukowZla>(&format!(
        "{OK}<StatusDruku><SeriaNumer>ZA0000001</SeriaNumer><Status>WYDRUKOWANY</Status></StatusDruku>\
         <LiczbaWszystkichRekordow>1</LiczbaWszystkichRekordow>"
    ));
    assert_eq!(prints.statusy[0].status, StatusDruku::Wydrukowany);
}

#[test]
fn lifecycle_dictionary_and_request_responses() {
    let item = |list: &str| {
        format!(
            "{OK}<{list}><SeriaNumerZla><Seria>ZY</Seria><Numer>1234567</Numer></SeriaNumerZla>\
             <DopuszczalnaAkcja>true</DopuszczalnaAkcja></{list}>"
        )
    };
    assert!(parse_all::<SprawdzMozliwoscAnulowania>(&item("MozliwoscAnulowania"))[0].dopuszczalna);
    assert!(
        parse_all::<SprawdzMozliwoscElektronizacji>(&item("MozliwoscElektronizacji"))[0]
            .dopuszczalna
    );
    assert!(
        parse_all::<SprawdzMozliwoscUniewaznienia>(&item("MozliwoscUniewaznienia"))[0].dopuszczalna
    );
    let n = parse_all::<NotyfikujAnulowanieZla>(&format!(
        "{OK}<UbezpieczonyStatusWysylki>WYSLANO</UbezpieczonyStatusWysylki>\
         <PlatnikStatusWysylki><PlatnikStatusWysylki>WYSLANO</PlatnikStatusWysylki><Nip>1234563218</Nip></PlatnikStatusWysylki>"
    ));
    assert_eq!(n.platnicy[0].nip.as_deref(), Some("1234563218"));

    let codes = parse_all::<PobierzKodChoroby>(&format!(
        "{OK}<LiczbaWszystkichRekordow>2</LiczbaWszystkichRekordow>\
         <NumerStatystycznyChoroby><StatystycznyKodChoroby>J06</StatystycznyKodChoroby><Nazwa>Ostre zakażenia</Nazwa></NumerStatystycznyChoroby>\
         <NumerStatystycznyChoroby><StatystycznyKodChoroby>J10</StatystycznyKodChoroby><Nazwa>Grypa</Nazwa><Opis>wirus</Opis></NumerStatystycznyChoroby>"
    ));
    assert_eq!(codes.kody[1].opis.as_deref(), Some("wirus"));
    let opis = parse_all::<PobierzOpisChoroby>(&format!("{OK}<NazwaChoroby>Grypa</NazwaChoroby>"));
    assert_eq!((opis.nazwa.as_deref(), opis.opis), (Some("Grypa"), None));
    let letters =
        parse_all::<PobierzLiterowyKodChoroby>(&format!("{OK}<KodA>false</KodA><KodD>1</KodD>"));
    assert_eq!((letters.kod_a, letters.kod_d), (Some(false), Some(true)));

    // The dictionaries as Medfile observed them (shared vectors), when present.
    let kinship = parse_all::<PobierzSlownikKodowPokrewienstwa>(&format!(
        "<KodPokrewienstwa><Kod>1</Kod><Opis>dziecko</Opis></KodPokrewienstwa>\
         <KodPokrewienstwa><Kod>3</Kod><Opis>inne osoby</Opis></KodPokrewienstwa>{OK}"
    ));
    assert_eq!(kinship[1].opis, "inne osoby");
    let reasons = |pairs: &[(&str, &str)]| -> String {
        pairs
            .iter()
            .map(|(k, n)| format!("<Przyczyna><Kod>{k}</Kod><Nazwa>{n}</Nazwa><Opis/></Przyczyna>"))
            .collect::<String>()
            + OK
    };
    let cancel = parse_all::<PobierzSlownikPrzyczynAnulowania>(&reasons(&[
        ("U", "błąd w danych identyfikacyjnych ubezpieczonego"),
        (
            "X",
            "błędna data wystawienia (elektronizacja błędnie wypełnionego ZLA)",
        ),
    ]));
    assert_eq!(cancel[1].kod, "X");
    let invalid =
        parse_all::<PobierzSlownikPrzyczynUniewaznienia>(&reasons(&[("Z", "zaginięcie")]));
    assert_eq!(invalid[0].nazwa, "zaginięcie");
    let profile = parse_all::<SprawdzProfilRehabilitacji>(&format!(
        "{OK}<ProfilRehabilitacji>narząd ruchu</ProfilRehabilitacji>"
    ));
    assert_eq!(profile.as_deref(), Some("narząd ruchu"));

    let v = parse_all::<WalidujWniosek>(OK);
    assert_eq!(v, None);
    let w = parse_all::<WyslijWniosek>(&format!(
        "{OK}<WynikWyslania>PRZYJETY</WynikWyslania><UtworzoneUPP><UPP>u</UPP></UtworzoneUPP>"
    ));
    assert_eq!(
        (w.wynik_wyslania.as_deref(), w.utworzone_upp.as_deref()),
        (Some("PRZYJETY"), Some("u"))
    );
}

#[test]
fn observed_dictionaries_parse() {
    let Some(dir) = ezla_vectors::vectors_dir() else {
        return;
    };
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ezla/dictionaries_medfile.json")).expect("read"),
    )
    .expect("json");
    let mut inner = String::new();
    let entries = json["pobierzSlownikPrzyczynAnulowania"]
        .as_array()
        .expect("list");
    for e in entries {
        inner += &format!(
            "<Przyczyna><Kod>{}</Kod><Nazwa>{}</Nazwa><Opis/></Przyczyna>",
            e["Kod"].as_str().expect("Kod"),
            e["Nazwa"].as_str().expect("Nazwa")
        );
    }
    inner += OK;
    let got = parse_all::<PobierzSlownikPrzyczynAnulowania>(&inner);
    let kody: String = got.iter().map(|p| p.kod.as_str()).collect();
    assert_eq!(kody, "UPNMIBAEX");
}

#[test]
fn faults_results_logins_and_limits_are_typed_errors() {
    let f = parse_data::<PobierzDaneLekarza>("fault-server.xml").expect_err("fault");
    assert_eq!(f.code(), ErrorCode::ZusFault);
    let Error::Zus(ZusError::Fault { operation, fault }) = &f else {
        panic!("{f:?}")
    };
    assert_eq!(*operation, "pobierzDaneLekarza");
    assert_eq!(fault.code, "soapenv:Server");
    assert!(fault.string.starts_with("[ISS.0088.9134]"));
    assert!(
        fault
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("<webM:message>Błąd &amp; wyjątek</webM:message>"))
    );

    let gone = parse_data::<UsunSesje>("fault-brak-sesji.xml").expect_err("gone");
    assert_eq!(gone.code(), ErrorCode::ZusSessionExpired);
    assert!(
        gone.to_string()
            .contains("Brak sesji o podanym identyfikatorze")
    );
    let gone_in_result = error_all::<PobierzDaneLekarza>(
        "<Rezultat><KodBledu>-5</KodBledu><OpisBledu>Sesja wygasła</OpisBledu></Rezultat>",
    );
    assert_eq!(gone_in_result.code(), ErrorCode::ZusSessionExpired);

    let r = parse_data::<PobierzDaneLekarza>("rezultat-blad.xml").expect_err("rejected");
    assert_eq!(r.code(), ErrorCode::ZusRejected);
    let Error::Zus(z) = &r else { panic!() };
    assert_eq!(
        z.zus_code_and_text(),
        Some((
            "100",
            "Brak uprawnień lekarza <FZLA> do wystawiania zaświadczeń"
        ))
    );
    // An empty KodBledu is not success.
    let empty = error_all::<UsunSesje>("<Rezultat><KodBledu/><OpisBledu/></Rezultat>");
    assert_eq!(empty.code(), ErrorCode::ZusRejected);
    // Whitespace around the 0 is.
    parse_all::<UsunSesje>(
        "<Rezultat><KodBledu> 0 </KodBledu><OpisBledu>OK</OpisBledu></Rezultat>",
    );

    let login = parse_data::<ZalogujPodpisem>("zalogujPodpisem-odmowa.xml").expect_err("refused");
    assert_eq!(login.code(), ErrorCode::ZusLoginRefused);
    let Error::Zus(ZusError::LoginRefused { rezultat }) = &login else {
        panic!()
    };
    assert_eq!(rezultat.opis_bledu, "Niepoprawny podpis oświadczenia");
    let bad_id = error_all::<ZalogujPodpisem>(&format!("<IdSesji>ab-c</IdSesji>{OK}"));
    assert_eq!(bad_id.code(), ErrorCode::ZusResponseMalformed);

    let limit = parse_data::<PobierzDaneUbezpieczonego>("pobierzDaneUbezpieczonego-limit.xml")
        .expect_err("limit");
    assert_eq!(limit.code(), ErrorCode::ZusDailyLimitExceeded);
    assert!(limit.to_string().contains("Przekroczono dzienny limit"));
}

#[test]
fn wrong_shapes_are_refused_with_their_codes() {
    let ns = BodyNamespace::ZusPl;
    let ok = envelope(ns.uri(), false, "usunSesje", OK);
    assert!(UsunSesje::parse(ok.as_bytes(), ns).is_ok());

    let cases: Vec<(String, ErrorCode, &str)> = vec![
        // A third namespace, or none.
        (
            envelope("http://example.com/zus", false, "usunSesje", OK),
            ErrorCode::ZusResponseMalformed,
            "neither ZUS namespace",
        ),
        (
            format!(
                "<soapenv:Envelope xmlns:soapenv=\"{ENV}\"><soapenv:Body><usunSesjeResponse>{OK}</usunSesjeResponse></soapenv:Body></soapenv:Envelope>"
            ),
            ErrorCode::ZusResponseMalformed,
            "neither ZUS namespace",
        ),
        // Inner elements in a foreign namespace, or in the other ZUS namespace.
        (
            envelope(
                ns.uri(),
                false,
                "usunSesje",
                "<o:Rezultat xmlns:o=\"urn:other\"><KodBledu>0</KodBledu><OpisBledu/></o:Rezultat>",
            ),
            ErrorCode::ZusResponseMalformed,
            "urn:other",
        ),
        (
            envelope(
                ns.uri(),
                false,
                "usunSesje",
                &format!(
                    "<g:Rezultat xmlns:g=\"{}\"><KodBledu>0</KodBledu><OpisBledu/></g:Rezultat>",
                    BodyNamespace::ZusGovPl.uri()
                ),
            ),
            ErrorCode::ZusResponseMalformed,
            "only unqualified",
        ),
        // The answer to another operation.
        (
            envelope(ns.uri(), false, "pobierzDaneLekarza", OK),
            ErrorCode::ZusResponseMalformed,
            "usunSesjeResponse expected",
        ),
        // Envelope structure.
        ("<a><b></a>".into(), ErrorCode::XmlMalformed, ""),
        (
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>".into(),
            ErrorCode::XmlDtdForbidden,
            "",
        ),
        (
            format!("<soapenv:Envelope xmlns:soapenv=\"{ENV}\"/>"),
            ErrorCode::ZusResponseMalformed,
            "no Body",
        ),
        (
            format!(
                "<soapenv:Envelope xmlns:soapenv=\"{ENV}\"><soapenv:Header/></soapenv:Envelope>"
            ),
            ErrorCode::ZusResponseMalformed,
            "no Body",
        ),
        (
            ok.replace("</soapenv:Body>", "<second/></soapenv:Body>"),
            ErrorCode::ZusResponseMalformed,
            "Body holds 2 elements",
        ),
        // Missing, repeated and ill-typed content.
        (
            envelope(ns.uri(), false, "usunSesje", ""),
            ErrorCode::ZusResponseMalformed,
            "Rezultat missing",
        ),
        (
            envelope(ns.uri(), false, "usunSesje", &format!("{OK}{OK}")),
            ErrorCode::ZusResponseMalformed,
            "Rezultat repeated",
        ),
        (
            envelope(
                ns.uri(),
                false,
                "usunSesje",
                "<Rezultat><KodBledu>0</KodBledu></Rezultat>",
            ),
            ErrorCode::ZusResponseMalformed,
            "OpisBledu missing",
        ),
        (
            envelope(
                ns.uri(),
                false,
                "usunSesje",
                "<Rezultat><KodBledu><x/></KodBledu><OpisBledu/></Rezultat>",
            ),
            ErrorCode::ZusResponseMalformed,
            "text expected",
        ),
    ];
    for (xml, code, detail) in cases {
        let e = UsunSesje::parse(xml.as_bytes(), ns).expect_err(&xml);
        assert_eq!(e.code(), code, "{xml}: {e}");
        assert!(e.to_string().contains(detail), "{xml}: {e}");
    }

    let typed: Vec<(String, &str)> = vec![
        (
            format!(
                "{OK}<MozliwoscWystawianiaZaswiadczenia>tak</MozliwoscWystawianiaZaswiadczenia>"
            ),
            "xsd:boolean",
        ),
        (
            format!("{OK}<RezultatWalidacji><Rezultat>DOBRY</Rezultat></RezultatWalidacji>"),
            "RezultatWalidacjiEnumeracja",
        ),
    ];
    let e = UsunSesje::parse(
        envelope(ns.uri(), false, "usunSesje", &typed[0].0).as_bytes(),
        ns,
    );
    assert!(e.is_ok(), "unknown elements are ignored");
    let e = PobierzUprawnieniaNaDzien::parse(
        envelope(ns.uri(), false, "pobierzUprawnieniaNaDzien", &typed[0].0).as_bytes(),
        ns,
    )
    .expect_err("boolean");
    assert!(
        e.to_string().contains(typed[0].1)
            && e.to_string().contains(
                "/Envelope/Body/pobierzUprawnieniaNaDzienResponse/MozliwoscWystawianiaZaswiadczenia"
            ),
        "{e}"
    );
    let e = WalidujDokumenty::parse(
        envelope(ns.uri(), false, "walidujDokumenty", &typed[1].0).as_bytes(),
        ns,
    )
    .expect_err("enum");
    assert!(e.to_string().contains(typed[1].1), "{e}");
    let e = PobierzCzlonkowRodzinyUbezpieczonego::parse(
        envelope(ns.uri(), false, "pobierzCzlonkowRodzinyUbezpieczonego", &format!(
            "{OK}<CzlonekRodzinyUbezpieczonego><Imie>A</Imie><Nazwisko>B</Nazwisko><DataUrodzenia>2026-02-30</DataUrodzenia></CzlonekRodzinyUbezpieczonego>"
        )).as_bytes(),
        ns,
    )
    .expect_err("date");
    assert!(e.to_string().contains("xsd:date"), "{e}");
}
