//! Issuing in one call, the journaled send, and reconciliation after an unknown outcome.

use time::Date;

use super::client::{Client, LoginKey};
use super::documents::{Dokument, RezultatWysylki};
use super::{BladWalidacji, KontekstDostepu, RodzajDokumentu, SeriaNumer, WynikWalidacji};
use crate::error::{Error, Result, ZusError};
use crate::kedu::codes::RodzajIdentyfikatora;
use crate::kedu::plan::{self, Rodzaj};
use crate::kedu::{Platnik, WriteOptions, Zla};
use crate::pl::Pesel;
use crate::store::{DocumentKind, JournalEntry, JournalKey, SendState, Settlement};

/// A document handed to ZUS and receipted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Receipted {
    /// The series and number.
    pub seria_numer: SeriaNumer,
    /// ORYGINAŁ, KOPIA or AZLA.
    pub kind: DocumentKind,
    /// The document exactly as signed and sent.
    pub signed: Vec<u8>,
    /// ZUS's receipt (UPP), as ZUS returned it.
    pub upp: String,
}

/// One certificate issued: its pair, both receipted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IssuedCertificate {
    /// Current or retroactive.
    pub rodzaj: Rodzaj,
    /// The payer it is for.
    pub platnik: Platnik,
    /// The ORYGINAŁ.
    pub oryginal: Receipted,
    /// The KOPIA.
    pub kopia: Receipted,
}

/// What [`Client::issue`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IssueReport {
    /// Every certificate, in the plan's order (retroactive first, then by payer).
    pub certificates: Vec<IssuedCertificate>,
    /// The warnings ZUS's validation gave (errors stop the issue before anything is sent).
    pub warnings: Vec<BladWalidacji>,
}

/// What [`Client::reconcile`] settled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReconcileReport {
    /// Documents ZUS turned out to have: now `Sent` with their receipt.
    pub found: Vec<JournalKey>,
    /// Documents ZUS did not have: sent (once) now, and receipted.
    pub resent: Vec<JournalKey>,
    /// Documents ZUS refused when they were sent now.
    pub refused: Vec<JournalKey>,
}

fn rodzaj_dokumentu(kind: DocumentKind) -> RodzajDokumentu {
    match kind {
        DocumentKind::Kopia => RodzajDokumentu::KopiaZla,
        DocumentKind::Azla => RodzajDokumentu::Azla,
        _ => RodzajDokumentu::Zla,
    }
}

/// `ZY1234567` into its parts.
fn split(seria_numer: &str) -> Result<SeriaNumer> {
    match (seria_numer.get(..2), seria_numer.get(2..)) {
        (Some(seria), Some(numer)) if seria_numer.len() == 9 => Ok(SeriaNumer {
            seria: seria.to_owned(),
            numer: numer.to_owned(),
        }),
        _ => Err(Error::journal(
            None,
            format!("{seria_numer:?} is not a series and number"),
        )),
    }
}

/// The `NrRef` a journaled document is sent under: its kind and series/number.
fn nr_ref(key: &JournalKey) -> String {
    format!("{}-{}", key.kind, key.seria_numer)
}

fn utf8(signed: &[u8]) -> Result<String> {
    String::from_utf8(signed.to_vec()).map_err(|_| Error::InvalidUtf8 {
        what: "a signed document",
    })
}

impl Client {
    /// Sends documents under the journal: each is recorded with its signed bytes before the
    /// request leaves, marked `Sending` in one step, and settled from ZUS's answer — `Sent`
    /// with its UPP, or `Refused` with ZUS's words. When no answer comes (a time-out, a
    /// reset, the process killed), the documents stay `Sending` and the error is returned:
    /// [`Client::reconcile`] settles them by asking ZUS, and sends what ZUS does not have,
    /// once. Documents already `Sent` are not sent again: their receipt is returned.
    pub fn send_journaled(&self, documents: &[(JournalKey, Vec<u8>)]) -> Result<Vec<Receipted>> {
        let journal = self.journal();
        let mut to_send = Vec::new();
        // One step: a pair is recorded whole or not at all.
        for entry in journal.record_all(documents)? {
            let key = &entry.key;
            match entry.state {
                SendState::Sent => {}
                SendState::Refused => {
                    return Err(Error::journal(
                        None,
                        format!(
                            "{key} was refused by ZUS ({}); correct the document and sign it \
                             again before sending",
                            entry.detail.as_deref().unwrap_or("no detail")
                        ),
                    ));
                }
                SendState::Sending => {
                    return Err(Error::journal(
                        None,
                        format!(
                            "{key} was sent and its outcome is unknown; run reconcile before \
                             sending it again"
                        ),
                    ));
                }
                _ => to_send.push(key.clone()),
            }
        }
        if !to_send.is_empty() {
            self.send_recorded(&to_send)?;
        }
        documents
            .iter()
            .map(|(key, _)| receipted(journal.get(key)?.as_ref(), key))
            .collect()
    }

    /// Sends entries that may be sent (recorded, or not received) in one `wyslijDokumenty`.
    fn send_recorded(&self, keys: &[JournalKey]) -> Result<()> {
        self.send_recorded_once(keys, true)
    }

    fn send_recorded_once(&self, keys: &[JournalKey], renew: bool) -> Result<()> {
        let journal = self.journal();
        let mut dokumenty = Vec::with_capacity(keys.len());
        for key in keys {
            let entry = journal
                .get(key)?
                .ok_or_else(|| Error::journal(None, format!("{key} vanished from the journal")))?;
            dokumenty.push(Dokument::new(nr_ref(key), utf8(&entry.signed)?));
        }
        journal.begin_send(keys)?;
        let settle_each = |outcome: &dyn Fn(&JournalKey) -> Settlement| {
            let all: Vec<_> = keys.iter().map(|k| (k.clone(), outcome(k))).collect();
            journal.settle_all(&all)
        };
        let answer = match self.send_raw(&dokumenty) {
            Ok(answer) => answer,
            // ZUS answered and stored nothing: its validation refused, or its result is an
            // error. The documents are refused, with ZUS's words.
            Err(Error::Zus(z))
                if matches!(
                    z,
                    ZusError::ValidationRefused { .. } | ZusError::Rejected { .. }
                ) =>
            {
                settle_each(&|key| Settlement::Refused(refusal_for(&z, &nr_ref(key))))?;
                return Err(Error::Zus(z));
            }
            // ZUS did not know the session: nothing was processed. Renew it and send once
            // more when the client can; otherwise the documents may be sent later.
            Err(e) if e.code() == crate::ErrorCode::ZusSessionExpired => {
                settle_each(&|_| Settlement::NotReceived)?;
                if !renew || !self.renew_session()? {
                    return Err(e);
                }
                return self.send_recorded_once(keys, false);
            }
            Err(e) => {
                // Nothing about the outcome is known; keep the entries `Sending`.
                let words = e.to_string();
                settle_each(&|_| Settlement::Unknown(words.clone()))?;
                return Err(e);
            }
        };
        // Every outcome of the answer in one durable step.
        let mut refused = Vec::new();
        let mut outcomes = Vec::with_capacity(keys.len());
        for key in keys {
            let r = answer
                .rezultat_wysylki
                .iter()
                .find(|r| r.nr_ref.iter().any(|n| *n == nr_ref(key)));
            let outcome = match r {
                Some(RezultatWysylki {
                    wynik: WynikWalidacji::Pozytywny | WynikWalidacji::Ostrzezenie,
                    utworzone_upp,
                    ..
                }) if !utworzone_upp.is_empty() => {
                    Settlement::Sent(utworzone_upp[0].as_bytes().to_vec())
                }
                Some(r) => {
                    let words = r
                        .blad
                        .as_ref()
                        .map(|b| format!("{} {}", b.kod_bledu, b.opis_bledu))
                        .unwrap_or_else(|| format!("{:?} without a receipt", r.wynik));
                    refused.push((key.clone(), words.clone()));
                    Settlement::Refused(words)
                }
                None => {
                    refused.push((key.clone(), "not in ZUS's answer".into()));
                    Settlement::Unknown("ZUS's answer did not mention this document".into())
                }
            };
            outcomes.push((key.clone(), outcome));
        }
        journal.settle_all(&outcomes)?;
        if refused.is_empty() {
            Ok(())
        } else {
            Err(Error::Zus(ZusError::SendRefused {
                documents: refused
                    .into_iter()
                    .map(|(k, w)| format!("{k}: {w}"))
                    .collect(),
                bledy: answer
                    .rezultat_walidacji
                    .map(|r| r.bledy)
                    .unwrap_or_default(),
            }))
        }
    }

    /// Settles every document whose send has an unknown outcome by asking ZUS for its
    /// receipt (`pobierzUppDlaDokumentu`): one ZUS has becomes `Sent` with it, one ZUS does
    /// not have becomes `NotReceived` — and then every document that may be sent
    /// (`Recorded` or `NotReceived`) is sent, once.
    pub fn reconcile(&self) -> Result<ReconcileReport> {
        let journal = self.journal();
        let mut report = ReconcileReport::default();
        for entry in journal.open_entries()? {
            if entry.state != SendState::Sending {
                continue;
            }
            let sn = split(&entry.key.seria_numer)?;
            match self.receipt(rodzaj_dokumentu(entry.key.kind), &sn) {
                Ok(Some(upp)) => {
                    journal.mark_sent(&entry.key, upp.as_bytes())?;
                    report.found.push(entry.key.clone());
                }
                Ok(None) | Err(Error::Zus(ZusError::Rejected { .. })) => {
                    journal.mark_not_received(&entry.key)?;
                }
                Err(e) => return Err(e),
            }
        }
        // Send what may be sent, grouped by series/number (a pair goes together).
        let mut pending: Vec<JournalEntry> = journal
            .open_entries()?
            .into_iter()
            .filter(|e| e.state.may_send())
            .collect();
        pending.sort_by(|a, b| a.key.cmp(&b.key));
        let mut i = 0;
        while i < pending.len() {
            let sn = pending[i].key.seria_numer.clone();
            let group: Vec<JournalKey> = pending[i..]
                .iter()
                .take_while(|e| e.key.seria_numer == sn)
                .map(|e| e.key.clone())
                .collect();
            i += group.len();
            match self.send_recorded(&group) {
                Ok(()) => report.resent.extend(group),
                Err(Error::Zus(ZusError::SendRefused { .. })) => {
                    for key in group {
                        match journal.get(&key)?.map(|e| e.state) {
                            Some(SendState::Sent) => report.resent.push(key),
                            _ => report.refused.push(key),
                        }
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// Issues an e-ZLA from `wzor` in one call, as clinic software does it:
    ///
    /// 1. the doctor and the place of work as ZUS spells them (the place is the one whose
    ///    NIP is `wystawienie.nip_placowki`), and the permission for the issue date;
    /// 2. the patient as ZUS has them, and the payers: the template's payer (which must be
    ///    one of ZUS's), or every payer ZUS lists when the template names none;
    /// 3. the plan: the 3-day rule, one certificate per payer ([`plan::zaplanuj`]);
    /// 4. for each certificate a series/number and its two document ids from ZUS, the
    ///    ORYGINAŁ and the KOPIA built and signed with `key`;
    /// 5. everything validated by ZUS in one call: errors stop the issue before anything is
    ///    sent ([`ZusError::ValidationRefused`], every finding); warnings are reported;
    /// 6. each pair sent under the journal ([`Client::send_journaled`]), with its receipts.
    ///
    /// `today` is the day the documents are judged on (`pl::czas::today()` in Poland, for
    /// real use). Logs in with `key` first if not logged in.
    pub fn issue(&self, wzor: &Zla, key: &LoginKey, today: Date) -> Result<IssueReport> {
        if self.session_id().is_none() {
            self.login(key.clone())?;
        } else {
            // A resumed session is renewed with this key if ZUS has dropped it.
            self.set_login_key(key.clone());
        }
        let mut zla = wzor.clone();
        // 1. Doctor and place of work, in ZUS's words.
        let lekarz = self
            .doctor()?
            .ok_or_else(|| Error::invalid_argument("lekarz", "ZUS returned no doctor data"))?;
        if let Some(l) = zla.lekarz.as_mut() {
            if let Some(imie) = &lekarz.imie {
                l.imie = imie.clone();
            }
            if let Some(nazwisko) = &lekarz.nazwisko {
                l.nazwisko = nazwisko.clone();
            }
            if let Some(npwz) = &lekarz.numer_prawa_wykonywania_zawodu {
                l.npwz = npwz.clone();
            }
        }
        let nip = zla
            .wystawienie
            .as_ref()
            .and_then(|w| w.nip_placowki.clone())
            .ok_or_else(|| {
                Error::invalid_argument(
                    "wystawienie.nip_placowki",
                    "the place of work's NIP is not set",
                )
            })?;
        let miejsca = if lekarz.miejsce_wykonywania_zawodu.is_empty() {
            self.places_of_work()?
        } else {
            lekarz.miejsce_wykonywania_zawodu.clone()
        };
        let miejsce = miejsca
            .iter()
            .find(|m| m.nip.as_deref() == Some(nip.as_str()))
            .ok_or_else(|| {
                let known: Vec<&str> = miejsca.iter().filter_map(|m| m.nip.as_deref()).collect();
                Error::invalid_argument(
                    "wystawienie.nip_placowki",
                    format!(
                        "{nip} is not one of the doctor's places of work at ZUS ({})",
                        known.join(", ")
                    ),
                )
            })?;
        if let Some(p) = zla.placowka.as_mut() {
            if let Some(v) = &miejsce.nazwa {
                p.nazwa = v.clone();
            }
            if let Some(v) = &miejsce.kod_pocztowy {
                p.kod_pocztowy = v.clone();
            }
            if let Some(v) = &miejsce.miejscowosc {
                p.miejscowosc = v.clone();
            }
            if miejsce.ulica.is_some() {
                p.ulica = miejsce.ulica.clone();
            }
            if let Some(v) = &miejsce.nr_domu {
                p.nr_domu = v.clone();
            }
            if miejsce.nr_lokalu.is_some() {
                p.nr_lokalu = miejsce.nr_lokalu.clone();
            }
        }
        let issued = zla.wystawienie.as_ref().and_then(|w| w.data_wystawienia);
        if self.may_issue_on(issued)? == Some(false) {
            return Err(Error::invalid_argument(
                "lekarz",
                "ZUS says the doctor may not issue certificates on the issue date",
            ));
        }
        // 2. Patient and payers.
        let pesel_text = zla
            .ubezpieczony
            .as_ref()
            .and_then(|u| u.pesel.clone())
            .ok_or_else(|| {
                Error::invalid_argument("ubezpieczony.pesel", "the patient's PESEL is not set")
            })?;
        let pesel = Pesel::parse(&pesel_text)
            .map_err(|e| Error::invalid_argument("ubezpieczony.pesel", e.to_string()))?;
        let dane = self
            .patient(&pesel, KontekstDostepu::WystawienieZla)?
            .ok_or_else(|| {
                Error::invalid_argument("ubezpieczony.pesel", format!("ZUS does not know {pesel}"))
            })?;
        if let Some(u) = zla.ubezpieczony.as_mut() {
            u.imie = dane.imie.clone();
            u.nazwisko = dane.nazwisko.clone();
        }
        let zus_payers: Vec<Platnik> = self
            .payers(&pesel)?
            .into_iter()
            .filter_map(|p| match (p.nip, p.pesel) {
                (Some(nip), _) => Some(Platnik {
                    rodzaj: Some(RodzajIdentyfikatora::Nip),
                    identyfikator: nip,
                }),
                (None, Some(pesel)) => Some(Platnik {
                    rodzaj: Some(RodzajIdentyfikatora::Pesel),
                    identyfikator: pesel,
                }),
                _ => None,
            })
            .collect();
        let platnicy = match &wzor.platnik {
            Some(given) => {
                if !zus_payers
                    .iter()
                    .any(|p| p.identyfikator == given.identyfikator)
                {
                    return Err(Error::invalid_argument(
                        "platnik",
                        format!(
                            "{} is not one of the patient's payers at ZUS ({})",
                            given.identyfikator,
                            zus_payers
                                .iter()
                                .map(|p| p.identyfikator.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                vec![given.clone()]
            }
            None => zus_payers,
        };
        // 3. The plan; 4. numbers, documents, signatures.
        let options = WriteOptions::default().with_today(today);
        let mut prepared = Vec::new();
        for planned in plan::zaplanuj(&zla, &platnicy)? {
            let mut zla = planned.zla;
            let paczka = self.reserve_number()?;
            zla.seria_numer = Some(paczka.seria_numer.clone());
            zla.id_dokumentu = paczka.id_dokumentu.clone();
            let (o, k) = zla.to_xml_pair(&options)?;
            let platnik = zla.platnik.clone().unwrap_or_else(|| Platnik {
                rodzaj: None,
                identyfikator: String::new(),
            });
            prepared.push((
                planned.rodzaj,
                platnik,
                paczka.seria_numer,
                key.sign(&o)?,
                key.sign(&k)?,
            ));
        }
        // 5. Validation of everything at once.
        let mut dokumenty = Vec::new();
        for (_, _, sn, o, k) in &prepared {
            let s = sn.compact();
            dokumenty.push(Dokument::new(format!("ORYGINAL-{s}"), utf8(o)?));
            dokumenty.push(Dokument::new(format!("KOPIA-{s}"), utf8(k)?));
        }
        let warnings = self
            .validate(&dokumenty)?
            .map(|r| r.bledy)
            .unwrap_or_default();
        // 6. Send each pair under the journal.
        let mut certificates = Vec::new();
        for (rodzaj, platnik, sn, o, k) in prepared {
            let s = sn.compact();
            let pair = [
                (JournalKey::new(s.clone(), DocumentKind::Oryginal), o),
                (JournalKey::new(s, DocumentKind::Kopia), k),
            ];
            let mut sent = self.send_journaled(&pair)?.into_iter();
            let (Some(oryginal), Some(kopia)) = (sent.next(), sent.next()) else {
                return Err(Error::internal(
                    "a sent pair came back without both receipts",
                ));
            };
            certificates.push(IssuedCertificate {
                rodzaj,
                platnik,
                oryginal,
                kopia,
            });
        }
        Ok(IssueReport {
            certificates,
            warnings,
        })
    }
}

impl Client {
    /// Cancels a certificate (the doctor's statement that it is void, an AZLA): asks ZUS
    /// whether it may be cancelled (`sprawdzMozliwoscAnulowania`; no is
    /// [`ZusError::NotAllowed`]), reads the ORYGINAŁ from ZUS, builds the AZLA with the reason
    /// and the doctor as ZUS has them, signs it with `key`, and sends it under the journal.
    /// Returns the AZLA as sent with its receipt. Logs in with `key` first if not logged in.
    pub fn cancel(
        &self,
        seria_numer: &SeriaNumer,
        przyczyna: crate::kedu::codes::PrzyczynaAnulowania,
        key: &LoginKey,
        today: Date,
    ) -> Result<Receipted> {
        if self.session_id().is_none() {
            self.login(key.clone())?;
        } else {
            self.set_login_key(key.clone());
        }
        let allowed = self.call(|id_sesji| super::lifecycle::SprawdzMozliwoscAnulowania {
            id_sesji,
            seria_numer: vec![seria_numer.clone()],
        })?;
        let sn = seria_numer.compact();
        if !allowed
            .iter()
            .any(|m| m.seria_numer == *seria_numer && m.dopuszczalna)
        {
            return Err(Error::Zus(ZusError::NotAllowed {
                operation: "sprawdzMozliwoscAnulowania",
                seria_numer: sn,
            }));
        }
        let original = self
            .document(RodzajDokumentu::Zla, seria_numer)?
            .kedu
            .ok_or_else(|| {
                Error::Zus(ZusError::ResponseMalformed {
                    operation: "pobierzDokument",
                    path: String::new(),
                    detail: format!("ZUS returned no document for {sn}"),
                })
            })?;
        let (zla, _) = Zla::from_xml(original.as_bytes())?;
        let doctor = self.doctor()?;
        let field = |f: fn(&super::doctor::DaneLekarza) -> Option<String>| {
            doctor.as_ref().and_then(f).unwrap_or_default()
        };
        let lekarz = crate::kedu::Lekarz {
            npwz: field(|d| d.numer_prawa_wykonywania_zawodu.clone()),
            imie: field(|d| d.imie.clone()),
            nazwisko: field(|d| d.nazwisko.clone()),
        };
        let azla = crate::kedu::azla::Azla::dla(&zla, przyczyna, lekarz, today)?;
        let signed = key.sign(&azla.to_xml(&WriteOptions::default().with_today(today))?)?;
        let mut sent = self.send_journaled(&[(JournalKey::new(sn, DocumentKind::Azla), signed)])?;
        sent.pop()
            .ok_or_else(|| Error::internal("a sent AZLA came back without its receipt"))
    }
}

fn receipted(entry: Option<&JournalEntry>, key: &JournalKey) -> Result<Receipted> {
    let entry =
        entry.ok_or_else(|| Error::journal(None, format!("{key} vanished from the journal")))?;
    match (&entry.state, &entry.upp) {
        (SendState::Sent, Some(upp)) => Ok(Receipted {
            seria_numer: split(&key.seria_numer)?,
            kind: key.kind,
            signed: entry.signed.clone(),
            upp: String::from_utf8_lossy(upp).into_owned(),
        }),
        (state, _) => Err(Error::journal(None, format!("{key} is {state}, not sent"))),
    }
}

/// The words a refused document is journaled with: the findings ZUS gave for it (by its
/// `NrRef`), else all of them, else ZUS's result.
fn refusal_for(z: &ZusError, nr_ref: &str) -> String {
    match z {
        ZusError::ValidationRefused { bledy, .. } => {
            let own: Vec<String> = bledy
                .iter()
                .filter(|b| b.nr_ref.is_empty() || b.nr_ref.iter().any(|n| n == nr_ref))
                .map(ToString::to_string)
                .collect();
            if own.is_empty() {
                z.to_string()
            } else {
                own.join("; ")
            }
        }
        other => other.to_string(),
    }
}
