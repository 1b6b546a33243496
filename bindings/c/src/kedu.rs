//! e-ZLA documents: the model from JSON or XML, validation, the ORYGINAŁ/KOPIA XML.

use std::ffi::{CString, c_char};

use ezla_core::Error;
use ezla_core::kedu::azla::Azla;
use ezla_core::kedu::{self, Severity, Validation, Wariant, WriteOptions, Zla};
use time::Date;

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_opt_str, arg_ref, arg_str, out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};

/// Which document of an e-ZLA pair.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_wariant {
    /// ORYGINAŁ: the full certificate, for ZUS; carries the ICD-10 code.
    Oryginal = 0,
    /// KOPIA: the payer's copy, without the ICD-10 code.
    Kopia = 1,
}

fn wariant_from_c(n: u32) -> FfiResult<Wariant> {
    match n {
        0 => Ok(Wariant::Oryginal),
        1 => Ok(Wariant::Kopia),
        n => Err(Failure::Invalid(format!("{n} is not an ezla_wariant"))),
    }
}

fn wariant_to_c(w: Wariant) -> ezla_wariant {
    match w {
        Wariant::Oryginal => ezla_wariant::Oryginal,
        Wariant::Kopia => ezla_wariant::Kopia,
    }
}

/// A static, NUL-terminated UTF-8 name of a document of the pair, as written in `I/p2`:
/// `"ORYGINAŁ"` or `"KOPIA"`; `"unknown"` for other numbers. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wariant_name(wariant: u32) -> *const c_char {
    match wariant {
        0 => c"ORYGINA\u{141}".as_ptr(),
        1 => c"KOPIA".as_ptr(),
        _ => c"unknown".as_ptr(),
    }
}

/// The calendar day in Poland at an instant (`EZLA_NOW` or Unix seconds).
fn arg_date(t: i64, name: &'static str) -> FfiResult<Date> {
    Ok(ezla_core::pl::czas::date_at(boundary::arg_time(t, name)?))
}

// ---------------------------------------------------------------------------------------------
// The model

/// An e-ZLA certificate (*zaświadczenie lekarskie*): one model from which both documents of
/// the pair are written, the ORYGINAŁ and the KOPIA.
///
/// Thread safety: immutable; may be used from several threads at once.
pub struct ezla_zla {
    pub(crate) inner: Zla,
}

/// Reads the model from its JSON form (`json`: NUL-terminated UTF-8; the fields are those
/// of the Rust `ezla::kedu::Zla`, documented in `docs/kedu.md`). Unknown fields are
/// refused. Reading does not validate: call `ezla_zla_validate` for the list of problems.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_JSON_MALFORMED` (the message names the field, line and column).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_from_json(
    json: *const c_char,
    zla_out: *mut *mut ezla_zla,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let json = arg_str(json, "json")?;
        let out = out_ptr(zla_out, "zla_out")?;
        let zla = Zla::from_json(json)?;
        write_box(out, ezla_zla { inner: zla });
        Ok(())
    })
}

/// Reads the model from a KEDU ZLA XML document (signed or not; `len` bytes) and says which
/// document of the pair it is in `*wariant_out` (an `ezla_wariant`; pass NULL if not
/// needed). A KOPIA's model has no ICD-10 code.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_DOCUMENT_MALFORMED` (not a KEDU ZLA
/// document of a known shape), `EZLA_RESULT_XML_MALFORMED`, `EZLA_RESULT_XML_DTD_FORBIDDEN`,
/// `EZLA_RESULT_XML_LIMIT_EXCEEDED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_from_xml(
    xml: *const u8,
    len: usize,
    zla_out: *mut *mut ezla_zla,
    wariant_out: *mut ezla_wariant,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let xml = arg_bytes(xml, len, "xml")?;
        let out = out_ptr(zla_out, "zla_out")?;
        let (zla, wariant) = Zla::from_xml(xml)?;
        if !wariant_out.is_null() {
            write(wariant_out, wariant_to_c(wariant));
        }
        write_box(out, ezla_zla { inner: zla });
        Ok(())
    })
}

/// The model's JSON form (pretty-printed UTF-8, not NUL-terminated) in `*json_out` (free
/// with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_to_json(
    zla: *const ezla_zla,
    json_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let zla = arg_ref(zla, "zla")?;
        let out = out_ptr(json_out, "json_out")?;
        write(out, ezla_buffer::from_vec(zla.inner.to_json().into_bytes()));
        Ok(())
    })
}

/// Validates the model as a whole (both documents are written from it) and writes every
/// problem, errors and warnings, to `*validation_out` (free with `ezla_validation_free`).
/// `today` (Unix seconds or `EZLA_NOW`; its calendar day in Poland is used) is the day dates are judged
/// against. An invalid model is not a failure of this call: it returns `EZLA_RESULT_OK`
/// and `ezla_validation_is_valid` says false.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (`today` out of
/// range).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_validate(
    zla: *const ezla_zla,
    today: i64,
    validation_out: *mut *mut ezla_validation,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let zla = arg_ref(zla, "zla")?;
        let today = arg_date(today, "today")?;
        let out = out_ptr(validation_out, "validation_out")?;
        let v = zla.inner.validate(today);
        write_box(out, ezla_validation::new(v)?);
        Ok(())
    })
}

/// Options for `ezla_zla_to_xml`. Start from `ezla_write_options_default()`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_write_options {
    /// `naglowek.KEDU/program/producent`, NUL-terminated UTF-8; NULL (default): `"ezla"`.
    /// Set it to your product's producer.
    pub producent: *const c_char,
    /// `naglowek.KEDU/program/symbol`; NULL (default): `"eZLA"`.
    pub symbol: *const c_char,
    /// `naglowek.KEDU/program/wersja`; NULL (default): `"1.0"`.
    pub wersja: *const c_char,
    /// The day the model is validated against, Unix seconds (its calendar day in Poland) or `EZLA_NOW`
    /// (default).
    pub today: i64,
}

/// The default write options.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_write_options_default() -> ezla_write_options {
    ezla_write_options {
        producent: std::ptr::null(),
        symbol: std::ptr::null(),
        wersja: std::ptr::null(),
        today: crate::instant::EZLA_NOW,
    }
}

fn write_options(o: Option<&ezla_write_options>) -> FfiResult<WriteOptions> {
    let d = ezla_write_options_default();
    let o = o.unwrap_or(&d);
    let mut w = WriteOptions::default();
    if let Some(v) = arg_opt_str(o.producent, "options.producent")? {
        w.producent = v.to_owned();
    }
    if let Some(v) = arg_opt_str(o.symbol, "options.symbol")? {
        w.symbol = v.to_owned();
    }
    if let Some(v) = arg_opt_str(o.wersja, "options.wersja")? {
        w.wersja = v.to_owned();
    }
    Ok(w.with_today(arg_date(o.today, "options.today")?))
}

/// Writes the ORYGINAŁ or the KOPIA (`wariant`, an `ezla_wariant`; the KOPIA leaves out the
/// ICD-10 code) as the exact XML ZUS expects, in `*xml_out` (free with `ezla_buffer_free`),
/// ready for `ezla_xades_sign_with_identity`. `options` may be NULL for the defaults.
///
/// The model is validated first: a model with errors is refused with
/// `EZLA_RESULT_DOCUMENT_INVALID`, and the error message lists every problem (use
/// `ezla_zla_validate` for them one by one). Warnings do not block writing.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (unknown `wariant`, empty or control characters in the
/// program header), `EZLA_RESULT_DOCUMENT_INVALID`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_to_xml(
    zla: *const ezla_zla,
    wariant: u32,
    options: *const ezla_write_options,
    xml_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let zla = arg_ref(zla, "zla")?;
        let wariant = wariant_from_c(wariant)?;
        let options = write_options(boundary::opt_ref(options))?;
        let out = out_ptr(xml_out, "xml_out")?;
        let xml = zla.inner.to_xml(wariant, &options)?;
        write(out, ezla_buffer::from_vec(xml));
        Ok(())
    })
}

/// Reads both documents of a pair (the ORYGINAŁ and the KOPIA, signed or not) into one
/// model: the ICD-10 code from the ORYGINAŁ, both document identifiers.
///
/// Errors: as `ezla_zla_from_xml`; `EZLA_RESULT_DOCUMENT_MALFORMED` also when the two are
/// not an ORYGINAŁ and a KOPIA of the same certificate (or the KOPIA carries the code).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_from_pair(
    oryginal: *const u8,
    oryginal_len: usize,
    kopia: *const u8,
    kopia_len: usize,
    zla_out: *mut *mut ezla_zla,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let oryginal = arg_bytes(oryginal, oryginal_len, "oryginal")?;
        let kopia = arg_bytes(kopia, kopia_len, "kopia")?;
        let out = out_ptr(zla_out, "zla_out")?;
        let zla = Zla::from_pair(oryginal, kopia)?;
        write_box(out, ezla_zla { inner: zla });
        Ok(())
    })
}

/// Frees a model. `ezla_zla_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_free(zla: *mut ezla_zla) {
    boundary::getter((), || boundary::free_box(zla))
}

/// Reads a KEDU ZLA XML document and validates it as the document of the pair it is (a
/// KOPIA must not carry an ICD-10 code), writing the problems to `*validation_out`. For
/// checking documents from elsewhere before signing or sending them. `today` as in
/// `ezla_zla_validate`.
///
/// Errors: as `ezla_zla_from_xml`, plus `EZLA_RESULT_INVALID_ARGUMENT` (`today`).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_kedu_check(
    xml: *const u8,
    len: usize,
    today: i64,
    validation_out: *mut *mut ezla_validation,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let xml = arg_bytes(xml, len, "xml")?;
        let today = arg_date(today, "today")?;
        let out = out_ptr(validation_out, "validation_out")?;
        let v = kedu::check(xml, today)?;
        write_box(out, ezla_validation::new(v)?);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Planning

/// The certificates planned for one request (from `ezla_zla_plan_new`): for each part of
/// the period (the retroactive part first, then the current one), one certificate per
/// payer.
///
/// Thread safety: immutable; may be read from several threads at once.
pub struct ezla_zla_plan {
    parts: Vec<(bool, ezla_zla)>,
}

/// Plans the certificates for a request. `template` is the certificate as requested (its
/// incapacity period and issue date must be set). `payers_json` is NULL (the template's own
/// payer) or a NUL-terminated JSON array of payers in the model's form
/// (`[{"rodzaj": "nip", "identyfikator": "..."}, ...]`). A period reaching back more than 3
/// days before the issue date is split into a retroactive certificate (which needs the
/// template's justification) and a current one. The planned certificates have no series,
/// number or identifiers: ZUS reserves those per certificate.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_JSON_MALFORMED` (`payers_json`), `EZLA_RESULT_INVALID_ARGUMENT` (no period,
/// no issue date, no payer, a period that ends before it starts).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_plan_new(
    template: *const ezla_zla,
    payers_json: *const c_char,
    plan_out: *mut *mut ezla_zla_plan,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let template = arg_ref(template, "template")?;
        let payers = match arg_opt_str(payers_json, "payers_json")? {
            None => Vec::new(),
            Some(json) => serde_json::from_str::<Vec<kedu::Platnik>>(json).map_err(|e| {
                Error::malformed(ezla_core::error::Format::Json, "payers JSON", e.to_string())
            })?,
        };
        let out = out_ptr(plan_out, "plan_out")?;
        let parts = kedu::plan::zaplanuj(&template.inner, &payers)?
            .into_iter()
            .map(|z| {
                (
                    z.rodzaj == kedu::plan::Rodzaj::Wsteczne,
                    ezla_zla { inner: z.zla },
                )
            })
            .collect();
        write_box(out, ezla_zla_plan { parts });
        Ok(())
    })
}

/// The number of planned certificates; 0 when `plan` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_plan_len(plan: *const ezla_zla_plan) -> usize {
    boundary::getter(0, || boundary::opt_ref(plan).map_or(0, |p| p.parts.len()))
}

/// Planned certificate number `index`, borrowed: valid until `ezla_zla_plan_free`, and not
/// to be freed with `ezla_zla_free`. NULL when out of range or when `plan` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_plan_get(plan: *const ezla_zla_plan, index: usize) -> *const ezla_zla {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(plan)
            .and_then(|p| p.parts.get(index))
            .map_or(std::ptr::null(), |(_, z)| z as *const ezla_zla)
    })
}

/// Whether planned certificate number `index` is retroactive (*wsteczne*: it needs a
/// justification) rather than current (*bieżące*); false when out of range or when `plan`
/// is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_plan_is_retroactive(plan: *const ezla_zla_plan, index: usize) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(plan)
            .and_then(|p| p.parts.get(index))
            .is_some_and(|(w, _)| *w)
    })
}

/// Frees a plan and the certificates in it. `ezla_zla_plan_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zla_plan_free(plan: *mut ezla_zla_plan) {
    boundary::getter((), || boundary::free_box(plan))
}

// ---------------------------------------------------------------------------------------------
// Cancellations (AZLA)

/// A cancellation (AZLA) of a certificate, named by its series and number.
///
/// **Provisional**: ZUS's AZLA schema is not public, so the XML layout (namespace, body,
/// sections) is ezla's inference modelled on the KED ZLA layout; check such documents
/// against ZUS's schema before sending them.
///
/// Thread safety: immutable; may be used from several threads at once.
pub struct ezla_azla {
    inner: Azla,
}

/// Reads a cancellation from its JSON form (NUL-terminated UTF-8; the fields of the Rust
/// `ezla::kedu::azla::Azla`: `anulowane_zla` {`seria`, `numer`}, `przyczyna` (a reason from
/// ZUS's dictionary, by name or code), `uzasadnienie`, `lekarz`, `data`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_JSON_MALFORMED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_azla_from_json(
    json: *const c_char,
    azla_out: *mut *mut ezla_azla,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let json = arg_str(json, "json")?;
        let out = out_ptr(azla_out, "azla_out")?;
        let azla = Azla::from_json(json)?;
        write_box(out, ezla_azla { inner: azla });
        Ok(())
    })
}

/// Reads a cancellation from its (provisional) XML.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_DOCUMENT_MALFORMED`,
/// `EZLA_RESULT_XML_MALFORMED`, `EZLA_RESULT_XML_DTD_FORBIDDEN`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_azla_from_xml(
    xml: *const u8,
    len: usize,
    azla_out: *mut *mut ezla_azla,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let xml = arg_bytes(xml, len, "xml")?;
        let out = out_ptr(azla_out, "azla_out")?;
        let azla = Azla::from_xml(xml)?;
        write_box(out, ezla_azla { inner: azla });
        Ok(())
    })
}

/// The cancellation's JSON form (pretty-printed, not NUL-terminated) in `*json_out`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_azla_to_json(
    azla: *const ezla_azla,
    json_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let azla = arg_ref(azla, "azla")?;
        let out = out_ptr(json_out, "json_out")?;
        write(
            out,
            ezla_buffer::from_vec(azla.inner.to_json().into_bytes()),
        );
        Ok(())
    })
}

/// Every problem of the cancellation, in `*validation_out`; `today` as in
/// `ezla_zla_validate`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (`today`).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_azla_validate(
    azla: *const ezla_azla,
    today: i64,
    validation_out: *mut *mut ezla_validation,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let azla = arg_ref(azla, "azla")?;
        let today = arg_date(today, "today")?;
        let out = out_ptr(validation_out, "validation_out")?;
        write_box(out, ezla_validation::new(azla.inner.validate(today))?);
        Ok(())
    })
}

/// Writes the (provisional) AZLA XML in `*xml_out`, ready to sign; a cancellation with
/// errors is refused with `EZLA_RESULT_DOCUMENT_INVALID`, whose message lists every
/// problem. `options` may be NULL for the defaults.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT`, `EZLA_RESULT_DOCUMENT_INVALID`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_azla_to_xml(
    azla: *const ezla_azla,
    options: *const ezla_write_options,
    xml_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let azla = arg_ref(azla, "azla")?;
        let options = write_options(boundary::opt_ref(options))?;
        let out = out_ptr(xml_out, "xml_out")?;
        write(out, ezla_buffer::from_vec(azla.inner.to_xml(&options)?));
        Ok(())
    })
}

/// Frees a cancellation. `ezla_azla_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_azla_free(azla: *mut ezla_azla) {
    boundary::getter((), || boundary::free_box(azla))
}

// ---------------------------------------------------------------------------------------------
// Validation results

/// How serious a problem is, as ZUS distinguishes them.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_severity {
    /// ZUS refuses the document (*błąd*).
    Error = 0,
    /// ZUS accepts the document and reports the warning (*ostrzeżenie*).
    Warning = 1,
}

struct CProblem {
    path: CString,
    element: CString,
    message: CString,
    rule: CString,
    severity: ezla_severity,
    inferred: bool,
}

/// The problems found in an e-ZLA model or document, errors and warnings, in document
/// order.
///
/// Thread safety: immutable; may be read from several threads at once. Strings from its
/// getters live until `ezla_validation_free`.
pub struct ezla_validation {
    valid: bool,
    problems: Vec<CProblem>,
    json: Vec<u8>,
}

impl ezla_validation {
    fn new(v: Validation) -> FfiResult<Self> {
        let json = serde_json::to_vec(&v)
            .map_err(|e| Error::internal(format!("validation to JSON: {e}")))?;
        Ok(ezla_validation {
            valid: v.is_valid(),
            problems: v
                .problems
                .iter()
                .map(|p| CProblem {
                    path: c_string(&p.path),
                    element: c_string(&p.element),
                    message: c_string(&p.message),
                    rule: c_string(p.rule),
                    severity: match p.severity {
                        Severity::Error => ezla_severity::Error,
                        Severity::Warning => ezla_severity::Warning,
                    },
                    inferred: p.inferred,
                })
                .collect(),
            json,
        })
    }

    fn problem<'a>(v: *const ezla_validation, index: usize) -> Option<&'a CProblem> {
        boundary::opt_ref(v).and_then(|v| v.problems.get(index))
    }
}

/// Whether there is no error (warnings allowed): ZUS would accept the document. False when
/// `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_is_valid(validation: *const ezla_validation) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(validation).is_some_and(|v| v.valid)
    })
}

/// The number of problems (errors and warnings); 0 when `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_problem_count(validation: *const ezla_validation) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(validation).map_or(0, |v| v.problems.len())
    })
}

/// The number of errors among the problems; 0 when `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_error_count(validation: *const ezla_validation) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(validation).map_or(0, |v| {
            v.problems
                .iter()
                .filter(|p| p.severity == ezla_severity::Error)
                .count()
        })
    })
}

/// The severity of problem `index` (an `ezla_severity`); `EZLA_SEVERITY_ERROR` when out of
/// range or when `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_problem_severity(
    validation: *const ezla_validation,
    index: usize,
) -> ezla_severity {
    boundary::getter(ezla_severity::Error, || {
        ezla_validation::problem(validation, index).map_or(ezla_severity::Error, |p| p.severity)
    })
}

/// The field path of problem `index` in the model / JSON form, e.g. `"ubezpieczony.pesel"`;
/// NULL when out of range or when `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_problem_path(
    validation: *const ezla_validation,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        ezla_validation::problem(validation, index).map_or(std::ptr::null(), |p| p.path.as_ptr())
    })
}

/// The XML element of problem `index`, as ZUS's `Lokalizacja` names it (e.g.
/// `"KEDU/ZUSZLA/II/p1"`); NULL when out of range or when `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_problem_element(
    validation: *const ezla_validation,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        ezla_validation::problem(validation, index).map_or(std::ptr::null(), |p| p.element.as_ptr())
    })
}

/// What is wrong with problem `index` (English); NULL when out of range or when
/// `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_problem_message(
    validation: *const ezla_validation,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        ezla_validation::problem(validation, index).map_or(std::ptr::null(), |p| p.message.as_ptr())
    })
}

/// The stable identifier of the rule problem `index` breaks (listed in `docs/kedu.md`);
/// NULL when out of range or when `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_problem_rule(
    validation: *const ezla_validation,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        ezla_validation::problem(validation, index).map_or(std::ptr::null(), |p| p.rule.as_ptr())
    })
}

/// Whether the rule of problem `index` is ezla's inference rather than taken from a ZUS
/// source; false when out of range or when `validation` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_problem_inferred(
    validation: *const ezla_validation,
    index: usize,
) -> bool {
    boundary::getter(false, || {
        ezla_validation::problem(validation, index).is_some_and(|p| p.inferred)
    })
}

/// Every problem as JSON (`{"problems":[{"path":…,"element":…,"message":…,"severity":
/// "error"|"warning","rule":…,"inferred":…},…]}`, UTF-8, not NUL-terminated) in `*json_out`
/// (free with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_to_json(
    validation: *const ezla_validation,
    json_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let v = arg_ref(validation, "validation")?;
        let out = out_ptr(json_out, "json_out")?;
        write(out, ezla_buffer::from_vec(v.json.clone()));
        Ok(())
    })
}

/// Frees a validation result. `ezla_validation_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_validation_free(validation: *mut ezla_validation) {
    boundary::getter((), || boundary::free_box(validation))
}
