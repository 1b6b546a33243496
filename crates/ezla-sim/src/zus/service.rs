//! The ZUS channel's operations as the simulator answers them.
//!
//! [`ZusService::handle`] takes a request (its `SOAPAction` and body) and returns the reply
//! (HTTP status and body). It reads requests with the simulator's own SOAP code
//! ([`crate::soap`]) and writes answers in the shapes of the 2018 WSDL, in the body namespace
//! the request used (`zus.pl` or `zus.gov.pl`). Refusals use ZUS's own channels: an empty
//! `IdSesji` and a `Rezultat` for a refused login, `Rezultat` codes for lookups,
//! `RezultatWalidacji` entries for documents, and a SOAP Fault `Brak sesji` for a session ZUS
//! does not know. The codes the simulator gives are listed in `docs/zus.md`; where ZUS's own
//! are not public they are the simulator's and marked so there.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use ezla::kedu::{Severity, Wariant, Zla, azla::Azla};
use ezla::xades::{self, Profile, SignOptions, VerifyOptions};
use ezla::xml::{Element, Writer};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use super::ca::SimCa;
use super::state::{LoginRefusal, Patient, SessionError, State, StoreError};
use crate::schema::Schema;
use crate::soap::{self, Fault, child_text};

/// The body namespace of the WSDL.
pub const NS_ZUS_PL: &str = "http://zus.pl/b2b/zus/channel/gabinetowe";
/// The body namespace of ZUS's own examples.
pub const NS_ZUS_GOV_PL: &str = "http://zus.gov.pl/b2b/zus/channel/gabinetowe";
/// The prefix of every SOAPAction.
pub const SOAP_ACTION_PREFIX: &str = "zus_channel_zla_Binder_";

/// The reply to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status: 200, or 500 with a Fault.
    pub status: u16,
    /// The SOAP envelope.
    pub body: Vec<u8>,
    /// Whether the request changed what ZUS stores (a send that was accepted): the
    /// "stored, but the response is lost" fault applies to these.
    pub stored: bool,
}

impl Reply {
    fn ok(body: Vec<u8>) -> Self {
        Reply {
            status: 200,
            body,
            stored: false,
        }
    }

    fn fault(f: &Fault) -> Self {
        Reply {
            status: 500,
            body: f.to_xml(),
            stored: false,
        }
    }
}

/// `KodBledu` and `OpisBledu`.
struct Rezultat {
    kod: &'static str,
    opis: String,
}

impl Rezultat {
    fn ok() -> Self {
        Rezultat {
            kod: "0",
            opis: "OK".into(),
        }
    }

    fn err(kod: &'static str, opis: impl Into<String>) -> Self {
        Rezultat {
            kod,
            opis: opis.into(),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.open("Rezultat");
        w.leaf("KodBledu", self.kod);
        w.leaf("OpisBledu", &self.opis);
        w.end();
    }
}

/// One entry of `RezultatWalidacji`.
#[derive(Clone, Debug)]
struct Blad {
    nr_ref: Option<String>,
    blad: bool,
    kod: String,
    opis: String,
    lokalizacja: Option<String>,
}

/// A document of a `walidujDokumenty` / `wyslijDokumenty` request, as checked.
struct Checked {
    nr_ref: Option<String>,
    bytes: Vec<u8>,
    /// Series/number and kind, when the document could be read.
    key: Option<(String, &'static str)>,
    problems: Vec<Blad>,
}

/// The simulated ZUS channel.
#[derive(Debug)]
pub struct ZusService {
    state: State,
    ca: SimCa,
    /// The contract every request is checked against, when the simulator has the WSDL.
    schema: Option<Schema>,
}

impl ZusService {
    /// Opens the service on the state directory (creating the CA and the state the first
    /// time).
    pub fn open(dir: &Path) -> Result<Self, String> {
        let state = State::open(dir).map_err(|e| e.to_string())?;
        let ca = SimCa::open(dir).map_err(|e| e.to_string())?;
        Ok(ZusService {
            state,
            ca,
            schema: None,
        })
    }

    /// Checks every request against `schema` (the WSDL's, with any supplement for the
    /// operations newer than it) and answers a non-conforming one with a Fault naming each
    /// problem.
    pub fn with_schema(mut self, schema: Schema) -> Self {
        self.schema = Some(schema);
        self
    }

    /// Whether requests are checked against a schema.
    pub fn checks_contract(&self) -> bool {
        self.schema.is_some()
    }

    /// What ZUS knows.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The CA of doctors' certificates and receipts.
    pub fn ca(&self) -> &SimCa {
        &self.ca
    }

    /// Ends the session a request names (its `IdSesji`), if any: the `expire_session`
    /// fault, a session ZUS times out mid-flow.
    pub fn expire_session_of(&self, body: &[u8]) {
        let Ok(doc) = soap::parse(body) else { return };
        let Ok(op) = soap::operation(&doc) else {
            return;
        };
        if let Some(id) = child_text(&op, "IdSesji") {
            let _ = self.state.end_session(&id);
        }
    }

    /// Answers one request.
    pub fn handle(&self, soap_action: Option<&str>, body: &[u8]) -> Reply {
        match self.dispatch(soap_action, body) {
            Ok(reply) => reply,
            Err(fault) => Reply::fault(&fault),
        }
    }

    fn dispatch(&self, soap_action: Option<&str>, body: &[u8]) -> Result<Reply, Fault> {
        let doc = soap::parse(body)?;
        let op = soap::operation(&doc)?;
        let ns = match op.namespace() {
            Some(ns @ (NS_ZUS_PL | NS_ZUS_GOV_PL)) => ns,
            other => {
                return Err(Fault::client(format!(
                    "the operation element {} is in namespace {:?}; the channel's is {NS_ZUS_PL} \
                     (or {NS_ZUS_GOV_PL})",
                    op.local_name(),
                    other.unwrap_or("")
                )));
            }
        };
        let name = op.local_name();
        if let Some(schema) = &self.schema {
            check_contract(schema, body)?;
        }
        let action = soap_action
            .map(|a| a.trim().trim_matches('"'))
            .ok_or_else(|| Fault::client("no SOAPAction header"))?;
        if action != format!("{SOAP_ACTION_PREFIX}{name}") {
            return Err(Fault::client(format!(
                "SOAPAction {action:?} does not match the operation {name} \
                 (expected {SOAP_ACTION_PREFIX}{name})"
            )));
        }
        let state = |e: super::state::StateError| Fault::server(e.to_string());
        let body = match name {
            "pobierzOswiadczenie" => self.pobierz_oswiadczenie(ns).map_err(state)?,
            "zalogujPodpisem" => self.zaloguj(ns, &op).map_err(state)?,
            "usunSesje" => {
                let (_, id) = self.session(&op)?;
                self.state.end_session(&id).map_err(state)?;
                soap::response(ns, name, |w| Rezultat::ok().write(w))
            }
            "pobierzDaneLekarza" => self.dane_lekarza(ns, &op)?,
            "pobierzMiejsceWykonywaniaZawodu" => self.miejsca(ns, &op)?,
            "pobierzUprawnieniaNaDzien" => {
                self.session(&op)?;
                soap::response(ns, name, |w| {
                    Rezultat::ok().write(w);
                    w.leaf("MozliwoscWystawianiaZaswiadczenia", "true");
                })
            }
            "pobierzDaneUbezpieczonego" => self.dane_ubezpieczonego(ns, &op)?,
            "pobierzPlatnikowUbezpieczonego" => self.platnicy(ns, &op)?,
            "pobierzSeriaNumerZla" => self.seria_numer(ns, &op)?,
            "pobierzCzlonkowRodzinyUbezpieczonego" => self.rodzina(ns, &op)?,
            "pobierzSlownikPrzyczynAnulowania"
            | "pobierzSlownikPrzyczynUniewaznienia"
            | "pobierzSlownikKodowPokrewienstwa" => {
                self.session(&op)?;
                slownik(ns, name)
            }
            "pobierzLiterowyKodChoroby" => self.literowy_kod(ns, &op)?,
            "pobierzListeBiezacychZlaLekarza" => self.lista(ns, &op, name, true)?,
            "pobierzListePrzetworzonychZlaLekarza" => self.lista(ns, &op, name, false)?,
            "walidujDokumenty" => self.documents(ns, &op, false)?.body,
            "wyslijDokumenty" => return self.documents(ns, &op, true),
            "pobierzDokument" => self.dokument(ns, &op, false)?,
            "pobierzUppDlaDokumentu" => self.dokument(ns, &op, true)?,
            "sprawdzMozliwoscAnulowania" => self.mozliwosc_anulowania(ns, &op)?,
            other => {
                return Err(Fault::server(format!(
                    "the simulator does not answer {other} yet"
                )));
            }
        };
        Ok(Reply::ok(body))
    }

    // ---- session ----------------------------------------------------------------------

    fn id_sesji(&self, op: &Element<'_, '_>) -> Result<String, Fault> {
        child_text(op, "IdSesji").ok_or_else(|| Fault::client("IdSesji is missing"))
    }

    /// The session's doctor PESEL, or the Fault ZUS gives for a session it does not know.
    fn session(&self, op: &Element<'_, '_>) -> Result<(String, String), Fault> {
        let id = self.id_sesji(op)?;
        match self
            .state
            .session(&id)
            .map_err(|e| Fault::server(e.to_string()))?
        {
            Ok(pesel) => Ok((pesel, id)),
            Err(SessionError::NoSession) => Err(Fault::client("Brak sesji").with_detail(format!(
                "sesja {id:?} nie istnieje, wygasła lub została zakończona"
            ))),
        }
    }

    fn pobierz_oswiadczenie(&self, ns: &str) -> Result<Vec<u8>, super::state::StateError> {
        let token = self.state.new_token()?;
        // The statement's date and time are Polish civil time, as ZUS writes them.
        let now = ezla::pl::czas::in_poland(self.state.now());
        let data = now
            .format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default();
        let czas = now
            .format(format_description!("[hour]:[minute]:[second]"))
            .unwrap_or_default();
        let mut w = Writer::compact();
        w.open("Oswiadczenie");
        w.leaf(
            "Tresc",
            "Logowanie Lekarza przez system zewnętrzny (symulator ezla-sim)",
        );
        w.leaf("Data", &data);
        w.leaf("Czas", &czas);
        w.leaf("Token", &token);
        let statement = w.finish();
        Ok(soap::response(ns, "pobierzOswiadczenie", |w| {
            w.leaf("Oswiadczenie", &statement);
        }))
    }

    fn zaloguj(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, super::state::StateError> {
        let outcome = self.check_login(op)?;
        Ok(soap::response(ns, "zalogujPodpisem", |w| match &outcome {
            Ok(id) => {
                w.leaf("IdSesji", id);
                Rezultat::ok().write(w);
            }
            Err(r) => {
                w.empty("IdSesji");
                r.write(w);
            }
        }))
    }

    fn check_login(
        &self,
        op: &Element<'_, '_>,
    ) -> Result<Result<String, Rezultat>, super::state::StateError> {
        let Some(signed) = child_text(op, "PodpisaneOswiadczenie") else {
            return Ok(Err(Rezultat::err("100", "brak podpisanego oświadczenia")));
        };
        let metoda = child_text(op, "MetodaWeryfikacji").unwrap_or_default();
        if metoda != "certyfikat" && metoda != "ePuap" {
            return Ok(Err(Rezultat::err(
                "100",
                format!("nieznana metoda weryfikacji {metoda:?}"),
            )));
        }
        let options = VerifyOptions::default()
            .with_trust(Arc::new(self.ca.anchors()))
            .at(self.state.now());
        let report = match xades::verify(signed.as_bytes(), &options) {
            Ok(report) => report,
            Err(e) => return Ok(Err(login_signature_refusal(&e))),
        };
        if let Some(revoked) = self.revocation_of(&report.signer.serial)? {
            return Ok(Err(Rezultat::err("110", revoked)));
        }
        // The statement as signed: the verified document element, read from the bytes
        // that verified.
        let Ok(doc) = ezla::xml::Document::parse(&signed) else {
            return Ok(Err(Rezultat::err("101", "oświadczenie nie jest XML")));
        };
        let root = doc.root();
        if root.local_name() != "Oswiadczenie" || root.namespace().is_some() {
            return Ok(Err(Rezultat::err(
                "101",
                format!(
                    "podpisany dokument to {}, nie Oswiadczenie",
                    root.local_name()
                ),
            )));
        }
        let Some(token) = child_text(&root, "Token") else {
            return Ok(Err(Rezultat::err("105", "oświadczenie nie zawiera tokenu")));
        };
        let Some(pesel) = report.signer.pesel.clone() else {
            return Ok(Err(Rezultat::err(
                "104",
                "certyfikat nie zawiera numeru PESEL lekarza",
            )));
        };
        let session = match self.state.login(&token, &pesel)? {
            Ok(id) => id,
            Err(refusal) => {
                let kod = match refusal {
                    LoginRefusal::UnknownToken => "105",
                    LoginRefusal::TokenReused => "106",
                    LoginRefusal::TokenExpired => "107",
                    LoginRefusal::UnknownDoctor(_) => "108",
                };
                return Ok(Err(Rezultat::err(kod, refusal.to_string())));
            }
        };
        if let Some(npwz) = child_text(op, "NumerPrawaWykonywaniaZawodu").filter(|n| !n.is_empty())
        {
            let doctor = self.state.doctor(&pesel)?;
            if doctor.is_some_and(|d| d.npwz != npwz) {
                self.state.end_session(&session)?;
                return Ok(Err(Rezultat::err(
                    "109",
                    format!("numer prawa wykonywania zawodu {npwz} nie należy do lekarza"),
                )));
            }
        }
        Ok(Ok(session))
    }

    /// Whether the certificate with this serial (decimal, as the signature report gives
    /// it) was cancelled at or before the simulated now: the refusal's words, naming the
    /// revocation time and reason.
    fn revocation_of(
        &self,
        serial_decimal: &str,
    ) -> Result<Option<String>, super::state::StateError> {
        let now = self.state.now();
        let Some(certificate) = self.state.issued_certificate_by_decimal(serial_decimal)? else {
            return Ok(None);
        };
        Ok(certificate.revocation.filter(|r| r.at <= now).map(|r| {
            let reason = ezla::pki::crl::RevocationReason::from_code(r.reason)
                .map(|r| r.name())
                .unwrap_or("unspecified");
            format!(
                "certyfikat lekarza nr {} został unieważniony {} (powód: {reason})",
                certificate.serial,
                r.at.format(&Rfc3339).unwrap_or_default()
            )
        }))
    }

    // ---- doctor and patients ----------------------------------------------------------

    fn dane_lekarza(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        let (pesel, _) = self.session(op)?;
        let server = |e: super::state::StateError| Fault::server(e.to_string());
        let doctor = self.state.doctor(&pesel).map_err(server)?;
        let seed = self.state.seed().map_err(server)?;
        Ok(soap::response(ns, "pobierzDaneLekarza", |w| {
            if let Some(d) = &doctor {
                w.open("DaneLekarza");
                w.leaf("Imie", &d.imie);
                w.leaf("Nazwisko", &d.nazwisko);
                w.leaf("Pesel", &d.pesel);
                w.leaf("NumerPrawaWykonywaniaZawodu", &d.npwz);
                w.open("StatusLekarza");
                w.leaf("Status", "AKTYWNY");
                w.end();
                for m in seed.miejsca.iter().filter(|m| d.miejsca.contains(&m.nip)) {
                    write_miejsce(w, m);
                }
                w.end();
            }
            Rezultat::ok().write(w);
        }))
    }

    fn miejsca(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        let (pesel, _) = self.session(op)?;
        let server = |e: super::state::StateError| Fault::server(e.to_string());
        let doctor = self.state.doctor(&pesel).map_err(server)?;
        let seed = self.state.seed().map_err(server)?;
        let nips = doctor.map(|d| d.miejsca).unwrap_or_default();
        Ok(soap::response(ns, "pobierzMiejsceWykonywaniaZawodu", |w| {
            Rezultat::ok().write(w);
            for m in seed.miejsca.iter().filter(|m| nips.contains(&m.nip)) {
                write_miejsce(w, m);
            }
        }))
    }

    fn patient_pesel(op: &Element<'_, '_>) -> Result<String, Fault> {
        op.child("", "Ubezpieczony")
            .and_then(|u| child_text(&u, "Pesel"))
            .ok_or_else(|| Fault::client("Ubezpieczony/Pesel is missing"))
    }

    fn dane_ubezpieczonego(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        let (doctor, _) = self.session(op)?;
        let pesel = Self::patient_pesel(op)?;
        let found = self
            .state
            .lookup_patient(&doctor, &pesel)
            .map_err(|e| Fault::server(e.to_string()))?;
        Ok(soap::response(
            ns,
            "pobierzDaneUbezpieczonego",
            |w| match &found {
                Ok(Some(p)) => {
                    write_patient(w, p);
                    Rezultat::ok().write(w);
                }
                Ok(None) => Rezultat::err(
                    "121",
                    format!("nie znaleziono ubezpieczonego o numerze PESEL {pesel}"),
                )
                .write(w),
                Err(()) => {
                    Rezultat::err("120", "przekroczono dzienny limit dostępów do danych").write(w);
                    w.leaf("PrzekroczonyDziennyLimitDostepow", "true");
                }
            },
        ))
    }

    fn platnicy(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        self.session(op)?;
        let pesel = Self::patient_pesel(op)?;
        let patient = self
            .state
            .patient(&pesel)
            .map_err(|e| Fault::server(e.to_string()))?;
        Ok(soap::response(ns, "pobierzPlatnikowUbezpieczonego", |w| {
            let Some(p) = &patient else {
                Rezultat::err(
                    "121",
                    format!("nie znaleziono ubezpieczonego o numerze PESEL {pesel}"),
                )
                .write(w);
                return;
            };
            Rezultat::ok().write(w);
            for payer in &p.platnicy {
                w.open("Platnik");
                w.leaf("PlatnikIstnieje", "true");
                w.leaf("Nazwa", &payer.nazwa);
                if let Some(nip) = &payer.nip {
                    w.leaf("NIP", nip);
                }
                if let Some(pesel) = &payer.pesel {
                    w.leaf("Pesel", pesel);
                }
                w.leaf("ProfilPUE", "false");
                w.end();
            }
        }))
    }

    fn rodzina(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        self.session(op)?;
        let pesel = Self::patient_pesel(op)?;
        let seed = self
            .state
            .seed()
            .map_err(|e| Fault::server(e.to_string()))?;
        let patient = seed.ubezpieczeni.into_iter().find(|u| u.pesel == pesel);
        Ok(soap::response(
            ns,
            "pobierzCzlonkowRodzinyUbezpieczonego",
            |w| {
                let Some(p) = &patient else {
                    Rezultat::err(
                        "121",
                        format!("nie znaleziono ubezpieczonego o numerze PESEL {pesel}"),
                    )
                    .write(w);
                    return;
                };
                Rezultat::ok().write(w);
                for r in &p.rodzina {
                    w.open("CzlonekRodzinyUbezpieczonego");
                    w.leaf("Imie", &r.imie);
                    w.leaf("Nazwisko", &r.nazwisko);
                    w.leaf("DataUrodzenia", &r.data_urodzenia);
                    w.end();
                }
            },
        ))
    }

    /// The letter codes ZUS derives (inferred rules): A, the same disease (ICD-10 root)
    /// in a certificate of this patient that ended less than 60 days before; D,
    /// tuberculosis (A15–A19).
    fn literowy_kod(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        self.session(op)?;
        let pesel = Self::patient_pesel(op)?;
        let kod = child_text(op, "StatystycznyKodChoroby").unwrap_or_default();
        let od = child_text(op, "DataPoczatkuNiezdolnosci")
            .and_then(|d| time::Date::parse(&d, format_description!("[year]-[month]-[day]")).ok())
            .ok_or_else(|| Fault::client("DataPoczatkuNiezdolnosci is not a date"))?;
        let docs = self
            .state
            .documents()
            .map_err(|e| Fault::server(e.to_string()))?;
        let kod_a = docs.iter().filter(|d| d.kind == "ORYGINAL").any(|d| {
            Zla::from_xml(&d.bytes).is_ok_and(|(z, _)| {
                let same_patient =
                    z.ubezpieczony.as_ref().and_then(|u| u.pesel.as_deref()) == Some(&pesel);
                let n = z.niezdolnosc.as_ref();
                let same_disease = n
                    .and_then(|n| n.kod_choroby.as_deref())
                    .is_some_and(|k| k.get(..3) == kod.get(..3));
                let ended = n.and_then(|n| n.okres.as_ref()).and_then(|o| o.do_);
                same_patient
                    && same_disease
                    && ended.is_some_and(|e| e < od && od - e <= time::Duration::days(60))
            })
        });
        let kod_d = matches!(kod.get(..3), Some("A15" | "A16" | "A17" | "A18" | "A19"));
        Ok(soap::response(ns, "pobierzLiterowyKodChoroby", |w| {
            Rezultat::ok().write(w);
            w.leaf("KodA", if kod_a { "true" } else { "false" });
            w.leaf("KodD", if kod_d { "true" } else { "false" });
        }))
    }

    /// The doctor's certificates: current (not cancelled) or processed (all), paged by
    /// `RekordyOd` (from 1) and `LiczbaRekordow`, newest last; sorting and filtering are not
    /// simulated (the simulator's order is the order received).
    fn lista(
        &self,
        ns: &str,
        op: &Element<'_, '_>,
        operation: &str,
        current: bool,
    ) -> Result<Vec<u8>, Fault> {
        let (doctor, _) = self.session(op)?;
        let paging = op.child("", "Stronicowanie");
        let number = |name: &str| {
            paging
                .as_ref()
                .and_then(|p| child_text(p, name))
                .and_then(|t| t.trim().parse::<usize>().ok())
        };
        let from = number("RekordyOd").unwrap_or(1).max(1);
        let count = number("LiczbaRekordow").unwrap_or(100);
        let server = |e: super::state::StateError| Fault::server(e.to_string());
        let docs = self.state.documents().map_err(server)?;
        let mut rows = Vec::new();
        for d in docs
            .iter()
            .filter(|d| d.kind == "ORYGINAL" && d.lekarz == doctor)
        {
            let cancelled = docs
                .iter()
                .any(|a| a.kind == "AZLA" && a.seria_numer == d.seria_numer);
            if current && cancelled {
                continue;
            }
            if let Ok((zla, _)) = Zla::from_xml(&d.bytes) {
                rows.push((zla, d.seria_numer.clone(), cancelled));
            }
        }
        let total = rows.len();
        Ok(soap::response(ns, operation, |w| {
            Rezultat::ok().write(w);
            w.leaf("LiczbaWszystkichRekordow", &total.to_string());
            for (zla, sn, cancelled) in rows.iter().skip(from - 1).take(count) {
                w.open("ZaswiadczenieLekarskie");
                if let Some(u) = &zla.ubezpieczony {
                    if let Some(p) = &u.pesel {
                        w.leaf("PeselUbezpieczonego", p);
                    }
                    w.leaf("ImieUbezpieczonego", &u.imie);
                    w.leaf("NazwiskoUbezpieczonego", &u.nazwisko);
                }
                if let Some(o) = zla.niezdolnosc.as_ref().and_then(|n| n.okres) {
                    if let Some(od) = o.od {
                        w.leaf("NiezdolnoscDoPracyOd", &od.to_string());
                    }
                    if let Some(d) = o.do_ {
                        w.leaf("NiezdolnoscDoPracyDo", &d.to_string());
                    }
                }
                if let Some(p) = &zla.platnik {
                    w.leaf("IdentyfikatorPlatnika", &p.identyfikator);
                    if let Some(r) = p.rodzaj {
                        w.leaf("TypIdentyfikatoraPlatnika", r.kod());
                    }
                }
                if let Some(l) = &zla.lekarz {
                    w.leaf("NpwzLekarza", &l.npwz);
                    w.leaf("ImieLekarza", &l.imie);
                    w.leaf("NazwiskoLekarza", &l.nazwisko);
                }
                // The status names are the simulator's (ZUS's are not public).
                w.leaf(
                    "StatusZla",
                    if *cancelled {
                        "ANULOWANE"
                    } else {
                        "WYSTAWIONE"
                    },
                );
                if let Some(d) = zla.wystawienie.as_ref().and_then(|w| w.data_wystawienia) {
                    w.leaf("DataWystawieniaZla", &d.to_string());
                }
                w.leaf("SeriaZla", sn.get(..2).unwrap_or_default());
                w.leaf("NumerZla", sn.get(2..).unwrap_or_default());
                w.end();
            }
        }))
    }

    // ---- numbering ----------------------------------------------------------------------

    fn seria_numer(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        let (doctor, _) = self.session(op)?;
        let r = self
            .state
            .reserve(&doctor)
            .map_err(|e| Fault::server(e.to_string()))?;
        Ok(soap::response(ns, "pobierzSeriaNumerZla", |w| {
            w.open("out");
            w.open("KolekcjaPaczekDokumentowZla");
            w.open("Oryginal");
            w.leaf("idDokumentu", &r.id_oryginal);
            w.end();
            w.open("Kopia");
            w.leaf("idDokumentu", &r.id_kopia);
            w.end();
            w.open("SeriaNumer");
            w.leaf("Seria", &r.seria);
            w.leaf("Numer", &r.numer);
            w.end();
            w.end();
            w.end();
            // Inferred: the typings show `out`; Rezultat is taken to sit beside it, as in
            // every other response.
            Rezultat::ok().write(w);
        }))
    }

    // ---- documents ------------------------------------------------------------------------

    fn documents(&self, ns: &str, op: &Element<'_, '_>, send: bool) -> Result<Reply, Fault> {
        let (doctor, _) = self.session(op)?;
        let tryb = child_text(op, "Tryb").unwrap_or_default();
        if tryb != "Biezacy" && tryb != "Alternatywny" {
            return Err(Fault::client(format!(
                "Tryb {tryb:?} is neither Biezacy nor Alternatywny"
            )));
        }
        let mut elements: Vec<Element<'_, '_>> = Vec::new();
        if let Some(lista) = op.child("", "ListaDokumentow") {
            elements.extend(lista.children().filter(|c| c.is("", "Dokument")));
        }
        elements.extend(op.children().filter(|c| c.is("", "Dokument")));
        if elements.is_empty() {
            return Err(Fault::client("no Dokument in the request"));
        }
        let mut checked = Vec::with_capacity(elements.len());
        for el in &elements {
            let nr_ref = el.attribute("NrRef").map(str::to_owned);
            let text = el
                .child("", "KEDU")
                .and_then(|k| k.child("", "KEDU"))
                .map(|k| k.text())
                .ok_or_else(|| Fault::client("Dokument/KEDU/KEDU is missing"))?;
            checked.push(
                self.check(&doctor, nr_ref, text.into_bytes(), send)
                    .map_err(|e| Fault::server(e.to_string()))?,
            );
        }
        // Two documents of one send under the same series/number and kind.
        for i in 0..checked.len() {
            let dup = checked[..i]
                .iter()
                .any(|c| c.key.is_some() && c.key == checked[i].key);
            if dup {
                let c = &mut checked[i];
                c.problems.push(Blad {
                    nr_ref: c.nr_ref.clone(),
                    blad: true,
                    kod: "189".into(),
                    opis: "dokument o tej serii, numerze i rodzaju występuje w żądaniu dwukrotnie"
                        .into(),
                    lokalizacja: None,
                });
            }
        }
        let problems: Vec<Blad> = checked.iter().flat_map(|c| c.problems.clone()).collect();
        let negative = problems.iter().any(|p| p.blad);
        let wynik = if negative {
            "NEGATYWNY"
        } else if problems.is_empty() {
            "POZYTYWNY"
        } else {
            "OSTRZEZENIE"
        };
        let operation = if send {
            "wyslijDokumenty"
        } else {
            "walidujDokumenty"
        };
        if !send {
            let body = soap::response(ns, operation, |w| {
                Rezultat::ok().write(w);
                write_rezultat_walidacji(w, wynik, &problems);
            });
            return Ok(Reply::ok(body));
        }
        // Send: all documents or none.
        let mut outcome: Result<Vec<Vec<u8>>, String> = Err("błędy walidacji".into());
        if !negative {
            let docs: Vec<(String, String, Vec<u8>)> = checked
                .iter()
                .filter_map(|c| {
                    c.key
                        .as_ref()
                        .map(|(sn, kind)| (sn.clone(), (*kind).to_owned(), c.bytes.clone()))
                })
                .collect();
            let upp = |sn: &str, kind: &str, bytes: &[u8], at: time::OffsetDateTime| {
                self.upp(&doctor, sn, kind, bytes, at)
            };
            outcome = match self
                .state
                .store(&doctor, &docs, upp)
                .map_err(|e| Fault::server(e.to_string()))?
            {
                Ok(receipts) => Ok(receipts),
                Err(StoreError::Duplicate { seria_numer, kind }) => Err(format!(
                    "dokument {kind} o serii i numerze {seria_numer} został już przyjęty"
                )),
            };
        }
        let stored = outcome.is_ok();
        let body = soap::response(ns, operation, |w| {
            Rezultat::ok().write(w);
            write_rezultat_walidacji(w, if stored { wynik } else { "NEGATYWNY" }, &problems);
            for (i, c) in checked.iter().enumerate() {
                w.open("RezultatWysylki");
                w.leaf("NrRef", c.nr_ref.as_deref().unwrap_or(""));
                match &outcome {
                    Ok(receipts) => {
                        w.leaf("Wynik", wynik);
                        if let Some(upp) = receipts.get(i) {
                            w.open("UtworzoneUPP");
                            w.leaf("UPP", &String::from_utf8_lossy(upp));
                            w.end();
                        }
                    }
                    Err(why) => {
                        w.leaf("Wynik", "NEGATYWNY");
                        w.open("Blad");
                        w.leaf("KodBledu", if negative { "300" } else { "301" });
                        w.leaf("OpisBledu", why);
                        w.end();
                    }
                }
                w.end();
            }
        });
        Ok(Reply {
            status: 200,
            body,
            stored,
        })
    }

    /// Everything ZUS checks about one document.
    fn check(
        &self,
        doctor: &str,
        nr_ref: Option<String>,
        bytes: Vec<u8>,
        send: bool,
    ) -> Result<Checked, super::state::StateError> {
        let mut c = Checked {
            nr_ref: nr_ref.clone(),
            bytes,
            key: None,
            problems: Vec::new(),
        };
        let mut problem = |blad: bool, kod: &str, opis: String, lokalizacja: Option<String>| Blad {
            nr_ref: nr_ref.clone(),
            blad,
            kod: kod.to_owned(),
            opis,
            lokalizacja,
        };
        // The signature: the session's doctor, a certificate from ZUS's CA. ZUS validates
        // unsigned documents too (the captured Medfile exchange: an unsigned pair got only
        // W145 and 185), so only a send requires one.
        let options = VerifyOptions::default()
            .with_trust(Arc::new(self.ca.anchors()))
            .at(self.state.now());
        let signed = ezla::xml::Document::parse_bytes(&c.bytes).is_ok_and(|d| {
            d.root()
                .children()
                .any(|e| e.is("http://www.w3.org/2000/09/xmldsig#", "Signature"))
        });
        let verified = xades::verify(&c.bytes, &options);
        let revoked = match &verified {
            Ok(report) if signed => self.revocation_of(&report.signer.serial)?,
            _ => None,
        };
        match verified {
            _ if !signed && !send => {}
            Ok(_) if revoked.is_some() => c.problems.push(problem(
                true,
                "212",
                format!(
                    "dokument podpisano unieważnionym certyfikatem: {}",
                    revoked.unwrap_or_default()
                ),
                Some("/KEDU/Signature".into()),
            )),
            Ok(report) if report.signer.pesel.as_deref() == Some(doctor) => {}
            Ok(report) => c.problems.push(problem(
                true,
                "211",
                format!(
                    "dokument podpisał {} zamiast zalogowanego lekarza",
                    report.signer.subject
                ),
                None,
            )),
            Err(e) => c.problems.push(problem(
                true,
                "210",
                format!("podpis dokumentu jest nieprawidłowy: {e}"),
                Some("/KEDU/Signature".into()),
            )),
        }
        let today = self.state.today();
        if let Ok(d) = Zla::read_xml(&c.bytes) {
            let kind = match d.wariant {
                Wariant::Oryginal => "ORYGINAL",
                Wariant::Kopia => "KOPIA",
            };
            // ezla's own rules, with ezla's rule names as codes; its `seria_numer` warning is
            // ZUS's W145, which the simulator gives in ZUS's words below.
            for p in d.zla.validate_as(d.wariant, today).problems {
                if p.rule == "seria_numer" {
                    continue;
                }
                c.problems.push(problem(
                    p.severity == Severity::Error,
                    p.rule,
                    p.message.clone(),
                    Some(lokalizacja(&p.element)),
                ));
            }
            self.zus_rules(doctor, &d.zla, d.wariant, kind, send, &mut c, &mut problem)?;
        } else if let Ok((azla, _)) = Azla::read(&c.bytes) {
            let sn = azla.anulowane_zla.compact();
            for p in azla.validate(today).problems {
                c.problems.push(problem(
                    p.severity == Severity::Error,
                    p.rule,
                    p.message.clone(),
                    Some(lokalizacja(&p.element)),
                ));
            }
            if self.state.document(&sn, "ORYGINAL")?.is_none() {
                c.problems.push(problem(
                    true,
                    "190",
                    format!("nie ma zaświadczenia {sn} do anulowania"),
                    None,
                ));
            }
            c.key = Some((sn, "AZLA"));
        } else {
            let why = Zla::read_xml(&c.bytes)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            c.problems.push(problem(
                true,
                "200",
                format!("dokument nie jest dokumentem KED ZLA: {why}"),
                None,
            ));
        }
        Ok(c)
    }

    /// The rules only ZUS can apply: reservations, known patients, their payers.
    #[allow(clippy::too_many_arguments)]
    fn zus_rules(
        &self,
        doctor: &str,
        zla: &Zla,
        wariant: Wariant,
        kind: &'static str,
        send: bool,
        c: &mut Checked,
        problem: &mut impl FnMut(bool, &str, String, Option<String>) -> Blad,
    ) -> Result<(), super::state::StateError> {
        match &zla.seria_numer {
            None => {
                // ZUS also reports the document id as not reserved (there is no number to
                // reserve it for), as in the captured exchange.
                let id = match wariant {
                    Wariant::Oryginal => zla.id_dokumentu.oryginal.as_ref(),
                    Wariant::Kopia => zla.id_dokumentu.kopia.as_ref(),
                };
                if id.is_some() {
                    c.problems.push(problem(
                        false,
                        "185",
                        "Identyfikator KEDU nie został zarezerwowany dla podanej serii i numeru ZLA"
                            .into(),
                        Some("/KEDU/ZUSZLA[@id_dokumentu]".into()),
                    ));
                }
                c.problems.push(problem(
                    send,
                    "W145",
                    // ZUS's words and location, as observed (vectors/ezla/dictionaries_medfile.json).
                    "Wymagane pole: Seria i numer zaświadczenia.".into(),
                    Some("KEDU/ZUSZLA/I/p1/p1 KEDU/ZUSZLA/I/p1/p2".into()),
                ));
            }
            Some(sn) => {
                let key = sn.compact();
                match self.state.reservation(&key)? {
                    Some(r) if r.lekarz == doctor => {
                        let reserved = match wariant {
                            Wariant::Oryginal => &r.id_oryginal,
                            Wariant::Kopia => &r.id_kopia,
                        };
                        let given = match wariant {
                            Wariant::Oryginal => zla.id_dokumentu.oryginal.as_ref(),
                            Wariant::Kopia => zla.id_dokumentu.kopia.as_ref(),
                        };
                        if given != Some(reserved) {
                            c.problems.push(problem(
                                false,
                                "185",
                                // ZUS's words and location, as observed.
                                "Identyfikator KEDU nie został zarezerwowany dla podanej serii i \
                                 numeru ZLA"
                                    .into(),
                                Some("/KEDU/ZUSZLA[@id_dokumentu]".into()),
                            ));
                        }
                    }
                    _ => c.problems.push(problem(
                        true,
                        "186",
                        format!("seria i numer {key} nie zostały zarezerwowane dla lekarza"),
                        Some("/KEDU/ZUSZLA/I/p1".into()),
                    )),
                }
                c.key = Some((key, kind));
            }
        }
        let patient: Option<Patient> =
            match zla.ubezpieczony.as_ref().and_then(|u| u.pesel.as_ref()) {
                Some(pesel) => {
                    let p = self.state.patient(pesel)?;
                    if p.is_none() {
                        c.problems.push(problem(
                            true,
                            "187",
                            format!("nieznany ubezpieczony o numerze PESEL {pesel}"),
                            Some("/KEDU/ZUSZLA/II/p1".into()),
                        ));
                    }
                    p
                }
                None => None,
            };
        if let (Some(p), Some(platnik)) = (&patient, &zla.platnik) {
            let known = p.platnicy.iter().any(|x| {
                x.nip.as_deref() == Some(platnik.identyfikator.as_str())
                    || x.pesel.as_deref() == Some(platnik.identyfikator.as_str())
            });
            if !known {
                c.problems.push(problem(
                    true,
                    "188",
                    format!(
                        "{} nie jest płatnikiem składek ubezpieczonego",
                        platnik.identyfikator
                    ),
                    Some("/KEDU/ZUSZLA/III/p1".into()),
                ));
            }
        }
        Ok(())
    }

    /// The receipt for a stored document: a small XML document signed by the simulator's
    /// receipt certificate (XAdES-BES, profile `zus`). Its shape is the simulator's own:
    /// ZUS's UPP format is not public.
    fn upp(
        &self,
        doctor: &str,
        sn: &str,
        kind: &str,
        bytes: &[u8],
        at: time::OffsetDateTime,
    ) -> Vec<u8> {
        let digest = Sha256::digest(bytes);
        let mut hex = String::with_capacity(64);
        for b in digest {
            let _ = write!(hex, "{b:02x}");
        }
        let mut w = Writer::compact();
        w.start("UPP").attr("xmlns", UPP_NS).open();
        w.leaf("SeriaNumer", sn);
        w.leaf("RodzajDokumentu", kind);
        w.leaf("Lekarz", doctor);
        let at = at.replace_nanosecond(0).unwrap_or(at);
        w.leaf("DataPrzyjecia", &at.format(&Rfc3339).unwrap_or_default());
        w.start("SkrotDokumentu")
            .attr("algorytm", "SHA-256")
            .leaf(&hex);
        let xml = w.finish();
        let options = SignOptions::profile(Profile::Zus);
        // Signing our own receipt cannot fail for input reasons; should it fail, the receipt
        // says so rather than being lost.
        xades::sign_with_identity(xml.as_bytes(), self.ca.upp_signer(), &options).unwrap_or_else(
            |e| format!("<UPP xmlns=\"{UPP_NS}\"><Blad>{e}</Blad></UPP>").into_bytes(),
        )
    }

    fn dokument(&self, ns: &str, op: &Element<'_, '_>, upp: bool) -> Result<Vec<u8>, Fault> {
        self.session(op)?;
        let rodzaj = child_text(op, "RodzajDokumentu").unwrap_or_default();
        let kind = match rodzaj.as_str() {
            "ZLA" => "ORYGINAL",
            "KOPIA_ZLA" => "KOPIA",
            "AZLA" => "AZLA",
            "UZLA" => "UZLA",
            other => {
                return Err(Fault::client(format!(
                    "RodzajDokumentu {other:?} is unknown"
                )));
            }
        };
        let sn = seria_numer(op)?;
        let doc = self
            .state
            .document(&sn, kind)
            .map_err(|e| Fault::server(e.to_string()))?;
        let operation = if upp {
            "pobierzUppDlaDokumentu"
        } else {
            "pobierzDokument"
        };
        Ok(soap::response(ns, operation, |w| {
            let Some(d) = &doc else {
                Rezultat::err("130", format!("nie znaleziono dokumentu {rodzaj} {sn}")).write(w);
                return;
            };
            if upp {
                Rezultat::ok().write(w);
                w.open("UPP");
                w.leaf("UPP", &String::from_utf8_lossy(&d.upp));
                w.end();
            } else {
                w.leaf("WersjaKedu", "KED_ZLA_1");
                w.open("Dokument");
                w.leaf("KEDU", &String::from_utf8_lossy(&d.bytes));
                w.end();
                Rezultat::ok().write(w);
            }
        }))
    }

    fn mozliwosc_anulowania(&self, ns: &str, op: &Element<'_, '_>) -> Result<Vec<u8>, Fault> {
        self.session(op)?;
        let mut answers = Vec::new();
        for el in op.children().filter(|c| c.is("", "SeriaNumerZla")) {
            let seria = child_text(&el, "Seria").unwrap_or_default();
            let numer = child_text(&el, "Numer").unwrap_or_default();
            let sn = format!("{seria}{numer}");
            let server = |e: super::state::StateError| Fault::server(e.to_string());
            let issued = self
                .state
                .document(&sn, "ORYGINAL")
                .map_err(server)?
                .is_some();
            let cancelled = self.state.document(&sn, "AZLA").map_err(server)?.is_some();
            answers.push((seria, numer, issued && !cancelled));
        }
        Ok(soap::response(ns, "sprawdzMozliwoscAnulowania", |w| {
            Rezultat::ok().write(w);
            for (seria, numer, ok) in &answers {
                w.open("MozliwoscAnulowania");
                w.open("SeriaNumerZla");
                w.leaf("Seria", seria);
                w.leaf("Numer", numer);
                w.end();
                w.leaf("DopuszczalnaAkcja", if *ok { "true" } else { "false" });
                w.end();
            }
        }))
    }
}

/// Validates the operation element of `body` (already read by the core's parser, under its
/// limits) against the contract.
fn check_contract(schema: &Schema, body: &[u8]) -> Result<(), Fault> {
    let text = std::str::from_utf8(body).map_err(|_| Fault::client("the request is not UTF-8"))?;
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| Fault::client(format!("the request is not well-formed: {e}")))?;
    let op = doc
        .root_element()
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Body")
        .flat_map(|b| b.children().filter(roxmltree::Node::is_element))
        .next()
        .ok_or_else(|| Fault::client("soapenv:Body is empty"))?;
    schema
        .validate(op, &[NS_ZUS_PL, NS_ZUS_GOV_PL])
        .map_err(|violations| {
            let all: Vec<String> = violations.iter().map(ToString::to_string).collect();
            Fault::client(format!(
                "the request does not conform to the WSDL: {}",
                all.first().map(String::as_str).unwrap_or("")
            ))
            .with_detail(all.join("\n"))
        })
}

/// A problem's element (`KEDU/ZUSZLA/II/p1`) as a ZUS-style location (`/KEDU/ZUSZLA/II/p1`).
fn lokalizacja(element: &str) -> String {
    format!("/{}", element.trim_start_matches('/'))
}

/// The namespace of the simulator's receipts.
pub const UPP_NS: &str = "urn:ezla-sim:upp:1";

fn seria_numer(op: &Element<'_, '_>) -> Result<String, Fault> {
    let el = op
        .child("", "SeriaNumerZla")
        .ok_or_else(|| Fault::client("SeriaNumerZla is missing"))?;
    Ok(format!(
        "{}{}",
        child_text(&el, "Seria").unwrap_or_default(),
        child_text(&el, "Numer").unwrap_or_default()
    ))
}

/// ZUS's dictionaries, as ZUS returned them (`vectors/ezla/dictionaries_medfile.json`,
/// descriptions as quoted there).
fn slownik(ns: &str, operation: &str) -> Vec<u8> {
    const ANULOWANIE: &[(&str, &str)] = &[
        ("U", "błąd w danych identyfikacyjnych ubezpieczonego"),
        ("P", "błąd w danych płatnika składek"),
        ("N", "błąd w danych dotyczących niezdolności do pracy"),
        (
            "M",
            "błąd w danych miejsca udzielania świadczeń zdrowotnych",
        ),
        ("I", "inny powód"),
        ("B", "błąd systemu"),
        ("A", "błąd w danych adresowych ubezpieczonego"),
        ("E", "błędne dane (elektronizacja błędnie wypełnionego ZLA)"),
        (
            "X",
            "błędna data wystawienia (elektronizacja błędnie wypełnionego ZLA)",
        ),
    ];
    const UNIEWAZNIENIE: &[(&str, &str)] = &[
        ("A", "anulowanie"),
        ("S", "zniszczenie"),
        ("Z", "zaginięcie"),
        ("K", "kradzież"),
    ];
    const POKREWIENSTWO: &[(&str, &str)] = &[
        ("1", "dziecko"),
        (
            "2",
            "małżonek, rodzice, ojczym, macocha, teściowie, dziadkowie, wnuki, rodzeństwo",
        ),
        ("3", "inne osoby"),
    ];
    soap::response(ns, operation, |w| {
        match operation {
            "pobierzSlownikKodowPokrewienstwa" => {
                for (kod, opis) in POKREWIENSTWO {
                    w.open("KodPokrewienstwa");
                    w.leaf("Kod", kod);
                    w.leaf("Opis", opis);
                    w.end();
                }
            }
            _ => {
                let list = if operation == "pobierzSlownikPrzyczynAnulowania" {
                    ANULOWANIE
                } else {
                    UNIEWAZNIENIE
                };
                for (kod, nazwa) in list {
                    w.open("Przyczyna");
                    w.leaf("Kod", kod);
                    w.leaf("Nazwa", nazwa);
                    w.leaf("Opis", nazwa);
                    w.end();
                }
            }
        }
        Rezultat::ok().write(w);
    })
}

fn login_signature_refusal(e: &ezla::Error) -> Rezultat {
    use ezla::ErrorCode as C;
    match e.code() {
        C::CertificateExpired | C::CertificateNotYetValid => {
            Rezultat::err("102", format!("certyfikat lekarza jest nieważny: {e}"))
        }
        C::CertificateUntrusted | C::CertificateChainInvalid => Rezultat::err(
            "103",
            format!("certyfikat lekarza nie został wydany przez ZUS: {e}"),
        ),
        _ => Rezultat::err(
            "101",
            format!("podpis oświadczenia jest nieprawidłowy: {e}"),
        ),
    }
}

fn write_miejsce(w: &mut Writer, m: &super::seed::SeedMiejsce) {
    w.open("MiejsceWykonywaniaZawodu");
    w.leaf("Nazwa", &m.nazwa);
    w.leaf("NIP", &m.nip);
    if let Some(u) = &m.ulica {
        w.leaf("Ulica", u);
    }
    w.leaf("NrDomu", &m.nr_domu);
    if let Some(l) = &m.nr_lokalu {
        w.leaf("NrLokalu", l);
    }
    w.leaf("KodPocztowy", &m.kod_pocztowy);
    w.leaf("Miejscowosc", &m.miejscowosc);
    w.end();
}

fn write_patient(w: &mut Writer, p: &Patient) {
    w.open("DaneUbezpieczonego");
    w.leaf("Imie", &p.imie);
    w.leaf("Nazwisko", &p.nazwisko);
    w.leaf("DataUrodzenia", &p.data_urodzenia);
    w.open("Adres");
    w.leaf("KodPocztowy", &p.adres.kod_pocztowy);
    w.leaf("Miejscowosc", &p.adres.miejscowosc);
    if let Some(u) = &p.adres.ulica {
        w.leaf("Ulica", u);
    }
    w.leaf("NrDomu", &p.adres.nr_domu);
    if let Some(l) = &p.adres.nr_lokalu {
        w.leaf("NrLokalu", l);
    }
    w.end();
    w.end();
}

fn write_rezultat_walidacji(w: &mut Writer, wynik: &str, problems: &[Blad]) {
    w.open("RezultatWalidacji");
    w.leaf("Rezultat", wynik);
    for p in problems {
        w.open("BladWalidacji");
        if let Some(r) = &p.nr_ref {
            w.leaf("NrRef", r);
        }
        w.leaf("Rodzaj", if p.blad { "BLAD" } else { "OSTRZEZENIE" });
        w.leaf("KodBledu", &p.kod);
        w.leaf("OpisBledu", &p.opis);
        if let Some(l) = &p.lokalizacja {
            w.leaf("Lokalizacja", l);
        }
        w.end();
    }
    w.end();
}
