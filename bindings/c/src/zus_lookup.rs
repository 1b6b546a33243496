//! The ZUS client's look-ups, validation, the journaled send and the documents ZUS keeps,
//! for C: each mirrors a method of `ezla::zus::Client` and returns `ezla_zus_records`.

use std::ffi::c_char;

use ezla_core::pl::Pesel;
use ezla_core::store::{DocumentKind, JournalKey};
use ezla_core::zus::documents::Dokument;
use ezla_core::zus::{KontekstDostepu, RodzajDokumentu, SeriaNumer, WireEnum};

use crate::boundary::{
    Failure, FfiResult, arg_bytes, arg_opt_str, arg_ref, arg_str, call, out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{ezla_error, ezla_result};
use crate::records::{self, Record, ezla_zus_records};
use crate::zus::{ezla_zus_client, parse_date};

/// A signed document handed to `ezla_zus_client_validate` or `ezla_zus_client_send`.
/// ezla copies what it keeps: everything may be freed after the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_zus_document {
    /// The signed KEDU XML, exactly as signed (UTF-8, `len` bytes). Required.
    pub data: *const u8,
    /// The length of `data`.
    pub len: usize,
    /// For validation: the caller's reference that ZUS echoes in its findings (*NrRef*);
    /// NULL: `"1"`, `"2"`, ... in order. Ignored by a send.
    pub nr_ref: *const c_char,
    /// For a send: `"ORYGINAL"`, `"KOPIA"` or `"AZLA"`. Ignored by validation.
    pub kind: *const c_char,
    /// For a send: the series and number, `"ZY1234567"`. Ignored by validation.
    pub seria_numer: *const c_char,
}

fn documents<'a>(
    documents: *const ezla_zus_document,
    count: usize,
) -> FfiResult<&'a [ezla_zus_document]> {
    if count == 0 {
        return Err(Failure::Invalid("`count` is 0: no documents".into()));
    }
    if documents.is_null() {
        return Err(Failure::Null("documents"));
    }
    // SAFETY: non-NULL, and the caller guarantees `count` readable elements.
    Ok(unsafe { std::slice::from_raw_parts(documents, count) })
}

fn kedu(d: &ezla_zus_document) -> FfiResult<String> {
    let bytes = arg_bytes(d.data, d.len, "documents[].data")?;
    if bytes.is_empty() {
        return Err(Failure::Invalid("`documents[].data` is empty".into()));
    }
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| Failure::Utf8("documents[].data"))
}

fn pesel(text: *const c_char) -> FfiResult<Pesel> {
    Pesel::parse(arg_str(text, "pesel")?).map_err(|e| Failure::Invalid(format!("`pesel`: {e}")))
}

fn context(text: *const c_char) -> FfiResult<KontekstDostepu> {
    match arg_opt_str(text, "context")? {
        None => Ok(KontekstDostepu::WystawienieZla),
        Some(name) => KontekstDostepu::from_wire(name).ok_or_else(|| {
            Failure::Invalid(format!(
                "`context` {name:?} is not a KontekstDostepu (e.g. \"WystawienieZla\")"
            ))
        }),
    }
}

fn seria_numer(text: *const c_char, name: &'static str) -> FfiResult<SeriaNumer> {
    let text = arg_str(text, name)?;
    SeriaNumer::from_compact(text).ok_or_else(|| {
        Failure::Invalid(format!(
            "`{name}` {text:?} is not two capital letters and seven digits (ZY0000001)"
        ))
    })
}

fn rodzaj(text: *const c_char) -> FfiResult<RodzajDokumentu> {
    match arg_str(text, "kind")? {
        "ORYGINAL" => Ok(RodzajDokumentu::Zla),
        "KOPIA" => Ok(RodzajDokumentu::KopiaZla),
        other => RodzajDokumentu::from_wire(other).ok_or_else(|| {
            Failure::Invalid(format!(
                "`kind` {other:?}: \"ORYGINAL\", \"KOPIA\", \"AZLA\" or \"UZLA\" expected"
            ))
        }),
    }
}

/// Runs a look-up that makes records and writes them to `*out`.
fn records(
    client: *const ezla_zus_client,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
    body: impl FnOnce(&ezla_zus_client) -> FfiResult<Vec<Record>>,
) -> ezla_result {
    call(err_out, || {
        let client = arg_ref(client, "client")?;
        let out = out_ptr(records_out, "records_out")?;
        let made = body(client)?;
        write_box(out, ezla_zus_records::new(made));
        Ok(())
    })
}

/// The logged-in doctor as ZUS has them (`pobierzDaneLekarza`): one record with `imie`,
/// `nazwisko`, `pesel`, `numer_prawa_wykonywania_zawodu`, `nazwa_okregowej_izby_lekarskiej`,
/// `status`, `data_wydania_decyzji`, `specjalizacje` (names joined by `"; "`), or none
/// when ZUS returns no doctor. In `*records_out` (free with `ezla_zus_records_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (not logged in),
/// the ZUS errors (600–608), the transport errors (810–841).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_doctor(
    client: *const ezla_zus_client,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        Ok(c.inner.doctor()?.iter().map(records::doctor).collect())
    })
}

/// The doctor's places of work (`pobierzMiejsceWykonywaniaZawodu`): records with `nazwa`,
/// `nip`, `id_miejsca`, `adres_email`, `numer_telefonu`, `numer_faksu`, `ulica`,
/// `nr_domu`, `nr_lokalu`, `kod_pocztowy`, `miejscowosc`. In `*records_out` (free with
/// `ezla_zus_records_free`).
///
/// Errors: as `ezla_zus_client_doctor`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_places_of_work(
    client: *const ezla_zus_client,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        Ok(c.inner
            .places_of_work()?
            .iter()
            .map(records::place)
            .collect())
    })
}

/// Whether the doctor may issue certificates on `day` (`pobierzUprawnieniaNaDzien`;
/// `"YYYY-MM-DD"`, or NULL for today at ZUS): `*may_out` is 1 (yes), 0 (no) or -1 (ZUS
/// does not say).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (a malformed day,
/// not logged in), the ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_may_issue_on(
    client: *const ezla_zus_client,
    day: *const c_char,
    may_out: *mut i32,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    call(err_out, || {
        let client = arg_ref(client, "client")?;
        let day = arg_opt_str(day, "day")?
            .map(|d| parse_date(d, "day"))
            .transpose()?;
        let out = out_ptr(may_out, "may_out")?;
        let may = client.inner.may_issue_on(day)?;
        write(out, may.map_or(-1, i32::from));
        Ok(())
    })
}

/// A patient by PESEL (`pobierzDaneUbezpieczonego`; it counts against ZUS's daily limit):
/// one record with `imie`, `nazwisko`, `data_urodzenia`, `data_zgonu` and the first
/// address's `kod_pocztowy`, `miejscowosc`, `ulica`, `nr_domu`, `nr_lokalu`; none when
/// ZUS does not know the patient. `context` is why they are looked up (*KontekstDostepu*,
/// e.g. `"WystawienieZla"`, the default for NULL). In `*records_out` (free with
/// `ezla_zus_records_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (a malformed PESEL
/// or context, not logged in), `EZLA_RESULT_ZUS_DAILY_LIMIT_EXCEEDED`, the other ZUS
/// errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_patient(
    client: *const ezla_zus_client,
    pesel: *const c_char,
    context: *const c_char,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        let (p, k) = (self::pesel(pesel)?, self::context(context)?);
        Ok(c.inner
            .patient(&p, k)?
            .iter()
            .map(records::patient)
            .collect())
    })
}

/// A patient's payers (`pobierzPlatnikowUbezpieczonego`): records with `nazwa`, `imie`,
/// `nazwisko`, `nip`, `pesel`, `seria_numer_paszportu`, `platnik_istnieje`, `profil_pue`.
/// In `*records_out` (free with `ezla_zus_records_free`).
///
/// Errors: as `ezla_zus_client_patient`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_payers(
    client: *const ezla_zus_client,
    pesel: *const c_char,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        let p = self::pesel(pesel)?;
        Ok(c.inner.payers(&p)?.iter().map(records::payer).collect())
    })
}

/// A patient's family members (`pobierzCzlonkowRodzinyUbezpieczonego`): records with
/// `imie`, `nazwisko`, `data_urodzenia`. `context` as for `ezla_zus_client_patient`. In
/// `*records_out` (free with `ezla_zus_records_free`).
///
/// Errors: as `ezla_zus_client_patient`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_family(
    client: *const ezla_zus_client,
    pesel: *const c_char,
    context: *const c_char,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        let (p, k) = (self::pesel(pesel)?, self::context(context)?);
        Ok(c.inner
            .family(&p, k)?
            .iter()
            .map(records::family_member)
            .collect())
    })
}

/// The letter codes ZUS derives for a disease (`pobierzLiterowyKodChoroby`) for the patient
/// `pesel`, the first day of incapacity `start` (`"YYYY-MM-DD"`) and the ICD-10 code
/// `icd10` (`"J06"`): one record with `A` and `D`, each `"true"` or `"false"`, absent when
/// ZUS does not say. In `*records_out` (free with `ezla_zus_records_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (a malformed PESEL
/// or date, not logged in), the ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_letter_codes(
    client: *const ezla_zus_client,
    pesel: *const c_char,
    start: *const c_char,
    icd10: *const c_char,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        let p = self::pesel(pesel)?;
        let start = parse_date(arg_str(start, "start")?, "start")?;
        let icd10 = arg_str(icd10, "icd10")?;
        let codes = c.inner.letter_codes(&p, start, icd10)?;
        Ok(vec![
            Record::default()
                .with_bool(c"A", codes.kod_a)
                .with_bool(c"D", codes.kod_d),
        ])
    })
}

/// A dictionary of ZUS: `name` `"cancellation"` (`pobierzSlownikPrzyczynAnulowania`),
/// `"invalidation"` (`pobierzSlownikPrzyczynUniewaznienia`) or `"kinship"`
/// (`pobierzSlownikKodowPokrewienstwa`). Records with `kod` and `opis` (and `nazwa` for the
/// two lists of reasons). In `*records_out` (free with `ezla_zus_records_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (an unknown name,
/// not logged in), the ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_dictionary(
    client: *const ezla_zus_client,
    name: *const c_char,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        let reason = |p: ezla_core::zus::dictionary::Przyczyna| {
            Record::default()
                .with(c"kod", Some(&p.kod))
                .with(c"nazwa", Some(&p.nazwa))
                .with(c"opis", Some(&p.opis))
        };
        Ok(match arg_str(name, "name")? {
            "cancellation" => c
                .inner
                .cancellation_reasons()?
                .into_iter()
                .map(reason)
                .collect(),
            "invalidation" => c
                .inner
                .invalidation_reasons()?
                .into_iter()
                .map(reason)
                .collect(),
            "kinship" => c
                .inner
                .kinship_codes()?
                .into_iter()
                .map(|p| {
                    Record::default()
                        .with(c"kod", Some(&p.kod))
                        .with(c"opis", Some(&p.opis))
                })
                .collect(),
            other => {
                return Err(Failure::Invalid(format!(
                    "`name` {other:?} is not a dictionary (cancellation, invalidation, kinship)"
                )));
            }
        })
    })
}

/// Reserves a series/number with the identifiers of its ORYGINAŁ and KOPIA
/// (`pobierzSeriaNumerZla`): one record with `seria_numer`, `seria`, `numer`,
/// `id_oryginal`, `id_kopia`. In `*records_out` (free with `ezla_zus_records_free`).
///
/// Errors: as `ezla_zus_client_doctor`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_reserve_number(
    client: *const ezla_zus_client,
    records_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, records_out, err_out, |c| {
        Ok(vec![records::number(&c.inner.reserve_number()?)])
    })
}

/// Validates `count` signed documents (`walidujDokumenty`; each `data`, `len` and
/// optionally `nr_ref`). When ZUS accepts them, its warnings go to `*warnings_out` (free
/// with `ezla_zus_records_free`; possibly none), as records with the fields of
/// `ezla_error_zus_findings`. When ZUS refuses them the call fails with
/// `EZLA_RESULT_ZUS_VALIDATION_REFUSED`, and every finding is in the error
/// (`ezla_error_zus_findings`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (no documents, an empty one, not logged in),
/// `EZLA_RESULT_ZUS_VALIDATION_REFUSED`, the other ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_validate(
    client: *const ezla_zus_client,
    documents: *const ezla_zus_document,
    count: usize,
    warnings_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, warnings_out, err_out, |c| {
        let mut docs = Vec::with_capacity(count);
        for (i, d) in self::documents(documents, count)?.iter().enumerate() {
            let nr_ref = arg_opt_str(d.nr_ref, "documents[].nr_ref")?
                .map_or_else(|| (i + 1).to_string(), str::to_owned);
            docs.push(Dokument::new(nr_ref, kedu(d)?));
        }
        let r = c.inner.validate(&docs)?;
        Ok(r.map(|r| r.bledy.iter().map(records::finding).collect())
            .unwrap_or_default())
    })
}

/// Sends `count` signed documents under the journal (`wyslijDokumenty`; each `data`,
/// `len`, `kind` and `seria_numer`). Each is recorded before the request leaves; a document
/// already sent is not sent again (its receipt is returned). The receipted documents go to
/// `*receipts_out` (free with `ezla_zus_records_free`), in the order given, as records with
/// `kind`, `seria_numer` and `upp` (ZUS's receipt, the signed XML as ZUS returned it). When
/// the outcome is unknown (a time-out, a reset) the call fails with a transport error and
/// `ezla_zus_client_reconcile` settles it; never send again blindly.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (no documents, an unknown kind, a malformed series/number,
/// not logged in), `EZLA_RESULT_ZUS_SEND_REFUSED` (findings in `ezla_error_zus_findings`),
/// the other ZUS errors, the transport errors, `EZLA_RESULT_JOURNAL`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_send(
    client: *const ezla_zus_client,
    documents: *const ezla_zus_document,
    count: usize,
    receipts_out: *mut *mut ezla_zus_records,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    records(client, receipts_out, err_out, |c| {
        let mut docs = Vec::with_capacity(count);
        for d in self::documents(documents, count)? {
            let kind = match arg_str(d.kind, "documents[].kind")? {
                "ORYGINAL" => DocumentKind::Oryginal,
                "KOPIA" => DocumentKind::Kopia,
                "AZLA" => DocumentKind::Azla,
                other => {
                    return Err(Failure::Invalid(format!(
                        "`documents[].kind` {other:?}: \"ORYGINAL\", \"KOPIA\" or \"AZLA\" expected"
                    )));
                }
            };
            let sn = seria_numer(d.seria_numer, "documents[].seria_numer")?;
            docs.push((JournalKey::new(sn.compact(), kind), kedu(d)?.into_bytes()));
        }
        Ok(c.inner
            .send_journaled(&docs)?
            .iter()
            .map(|r| {
                Record::default()
                    .with(c"kind", Some(r.kind.as_str()))
                    .with(c"seria_numer", Some(&r.seria_numer.compact()))
                    .with(c"upp", Some(&r.upp))
            })
            .collect())
    })
}

/// A document ZUS keeps (`pobierzDokument`): `kind` `"ORYGINAL"` (or `"ZLA"`), `"KOPIA"`
/// (or `"KOPIA_ZLA"`), `"AZLA"` or `"UZLA"`, `seria_numer` `"ZY1234567"`. The signed KEDU
/// XML goes to `*document_out` (free with `ezla_buffer_free`); an empty buffer when ZUS has
/// none.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (an unknown kind, a
/// malformed series/number, not logged in), the ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_document(
    client: *const ezla_zus_client,
    kind: *const c_char,
    seria_numer: *const c_char,
    document_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    call(err_out, || {
        let client = arg_ref(client, "client")?;
        let (k, sn) = (
            rodzaj(kind)?,
            self::seria_numer(seria_numer, "seria_numer")?,
        );
        let out = out_ptr(document_out, "document_out")?;
        let d = client.inner.document(k, &sn)?;
        write(
            out,
            ezla_buffer::from_vec(d.kedu.map(String::into_bytes).unwrap_or_default()),
        );
        Ok(())
    })
}

/// A document's receipt (`pobierzUppDlaDokumentu`; `kind` and `seria_numer` as for
/// `ezla_zus_client_document`): the UPP XML in `*upp_out` (free with `ezla_buffer_free`);
/// an empty buffer when ZUS has none.
///
/// Errors: as `ezla_zus_client_document`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_receipt(
    client: *const ezla_zus_client,
    kind: *const c_char,
    seria_numer: *const c_char,
    upp_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    call(err_out, || {
        let client = arg_ref(client, "client")?;
        let (k, sn) = (
            rodzaj(kind)?,
            self::seria_numer(seria_numer, "seria_numer")?,
        );
        let out = out_ptr(upp_out, "upp_out")?;
        let upp = client.inner.receipt(k, &sn)?;
        write(
            out,
            ezla_buffer::from_vec(upp.map(String::into_bytes).unwrap_or_default()),
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::format_date;
    use crate::zus::{ezla_zus_client_free, ezla_zus_client_new, ezla_zus_config_default};

    fn offline() -> *mut ezla_zus_client {
        let mut config = ezla_zus_config_default();
        config.endpoint = c"https://127.0.0.1:1/ws".as_ptr();
        let mut client: *mut ezla_zus_client = std::ptr::null_mut();
        assert_eq!(
            ezla_zus_client_new(&config, &mut client, std::ptr::null_mut()),
            ezla_result::Ok
        );
        client
    }

    #[test]
    fn arguments_are_checked_before_any_io() {
        let client = offline();
        let mut records: *mut ezla_zus_records = std::ptr::null_mut();
        assert_eq!(
            ezla_zus_client_payers(
                client,
                c"12345678901".as_ptr(),
                &mut records,
                std::ptr::null_mut()
            ),
            ezla_result::InvalidArgument,
            "a PESEL with a wrong check digit"
        );
        assert_eq!(
            ezla_zus_client_patient(
                client,
                c"02271409867".as_ptr(),
                c"Ciekawosc".as_ptr(),
                &mut records,
                std::ptr::null_mut()
            ),
            ezla_result::InvalidArgument,
            "an unknown context"
        );
        assert_eq!(
            ezla_zus_client_dictionary(
                client,
                c"colours".as_ptr(),
                &mut records,
                std::ptr::null_mut()
            ),
            ezla_result::InvalidArgument
        );
        let doc = ezla_zus_document {
            data: c"<KEDU/>".as_ptr().cast(),
            len: 7,
            nr_ref: std::ptr::null(),
            kind: c"ORYGINALNY".as_ptr(),
            seria_numer: c"ZY0000001".as_ptr(),
        };
        assert_eq!(
            ezla_zus_client_send(client, &doc, 1, &mut records, std::ptr::null_mut()),
            ezla_result::InvalidArgument,
            "an unknown kind"
        );
        assert_eq!(
            ezla_zus_client_validate(client, &doc, 0, &mut records, std::ptr::null_mut()),
            ezla_result::InvalidArgument,
            "no documents"
        );
        assert!(records.is_null(), "nothing is written on failure");
        let mut buffer = ezla_buffer::from_vec(Vec::new());
        assert_eq!(
            ezla_zus_client_document(
                client,
                c"ZLA".as_ptr(),
                c"ZY123".as_ptr(),
                &mut buffer,
                std::ptr::null_mut()
            ),
            ezla_result::InvalidArgument
        );
        ezla_zus_client_free(client);
    }

    #[test]
    fn dates_in_records_are_iso() {
        assert_eq!(
            format_date(
                time::Date::from_calendar_date(1987, time::Month::February, 22).expect("a date")
            ),
            "1987-02-22"
        );
    }
}
