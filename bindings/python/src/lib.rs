//! `ezla._ezla`: the private native module of the `ezla` Python package.
//!
//! Glue only: argument conversion, the GIL released around cryptography and parsing, and one
//! conversion point from `ezla::Error` to the exceptions defined in `ezla/exceptions.py`.

use pyo3::prelude::*;

mod cms;
mod convert;
mod datetime;
mod dsig;
mod errors;
mod kedu;
mod monitor;
mod pki;
mod problem;
mod revocation;
mod signer;
mod tsp;
mod wk;
mod xades;
mod zus;
mod zus_problem;
mod zus_types;

/// mimalloc for the Rust side of the module (Python's own objects keep Python's allocator).
/// roxmltree sizes a parse's node array by the document and shrinks it when done, so for a
/// document of 40 KB or more the array sits above glibc's mmap threshold at every parse and
/// glibc's adaptive threshold never catches up: each parse mapped, faulted in and unmapped
/// about 200 KB, 14 % of verifying a 40 KB document. mimalloc keeps such blocks for reuse.
/// (The C library keeps the host's malloc: it is the host's to choose, and valgrind's leak
/// checks of the C suite see only malloc.)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The native module.
#[pymodule]
fn _ezla(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_PFX_ITERATIONS", pki::DEFAULT_ITERATIONS)?;
    m.add_function(wrap_pyfunction!(errors::_error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_error_families, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_raise_for_code, m)?)?;
    m.add_class::<pki::PyCertificate>()?;
    m.add_class::<pki::PyCertificateStatus>()?;
    m.add_class::<pki::PyPrivateKey>()?;
    m.add_class::<pki::PyCertificateRequest>()?;
    m.add_class::<pki::PyIdentity>()?;
    m.add_class::<pki::PyTrustStore>()?;
    m.add_class::<signer::PyExternalSigner>()?;
    m.add_class::<signer::PyPkcs11Signer>()?;
    m.add_class::<pki::PyTestCa>()?;
    m.add_function(wrap_pyfunction!(cms::sign_cms, m)?)?;
    m.add_function(wrap_pyfunction!(cms::verify_cms, m)?)?;
    m.add_class::<cms::CmsReport>()?;
    m.add_class::<revocation::PyRevocationChecker>()?;
    m.add_class::<revocation::RevocationInfo>()?;
    m.add_class::<tsp::PyTsaClient>()?;
    m.add_class::<tsp::PyTimeStamp>()?;
    m.add_function(wrap_pyfunction!(tsp::verify_timestamp, m)?)?;
    m.add_function(wrap_pyfunction!(tsp::add_xades_timestamp, m)?)?;
    m.add_function(wrap_pyfunction!(tsp::add_cms_timestamp, m)?)?;
    m.add_function(wrap_pyfunction!(xades::sign_xades, m)?)?;
    m.add_function(wrap_pyfunction!(xades::verify_xades, m)?)?;
    m.add_function(wrap_pyfunction!(xades::verify_xades_all, m)?)?;
    m.add_function(wrap_pyfunction!(pki::inspect_pfx, m)?)?;
    m.add_class::<pki::PfxInfo>()?;
    m.add_function(wrap_pyfunction!(monitor::check_certificates, m)?)?;
    m.add_class::<monitor::PyCertificateSummary>()?;
    m.add_class::<monitor::PyCertificateSummaryRow>()?;
    m.add_class::<xades::VerificationReport>()?;
    m.add_class::<xades::SignerInfo>()?;
    m.add_class::<xades::ReferenceInfo>()?;
    m.add_function(wrap_pyfunction!(dsig::sign_xmldsig, m)?)?;
    m.add_function(wrap_pyfunction!(dsig::verify_xmldsig, m)?)?;
    m.add_class::<dsig::XmlDsigReport>()?;
    m.add_class::<kedu::PyZla>()?;
    m.add_class::<problem::PyProblem>()?;
    m.add_function(wrap_pyfunction!(kedu::check_zla, m)?)?;
    m.add_class::<kedu::PyAzla>()?;
    m.add_function(wrap_pyfunction!(kedu::split_period, m)?)?;
    m.add_function(wrap_pyfunction!(kedu::plan_zla, m)?)?;
    // ezla.zus, re-exported there under their own names (`ezla.zus.Client`, ...).
    m.add("ZusClient", m.py().get_type::<zus::PyZusClient>())?;
    m.add_class::<zus_problem::PyBladWalidacji>()?;
    m.add_class::<zus_types::PyReceipted>()?;
    m.add_class::<zus_types::PyIssuedCertificate>()?;
    m.add_class::<zus_types::PyIssueReport>()?;
    // ezla.wk, re-exported there under their own names (`ezla.wk.ServiceProvider`, ...).
    m.add("WkConfig", m.py().get_type::<wk::PyConfig>())?;
    m.add("WkLogin", m.py().get_type::<wk::PyLogin>())?;
    m.add("WkIdentity", m.py().get_type::<wk::PyWkIdentity>())?;
    m.add(
        "WkServiceProvider",
        m.py().get_type::<wk::PyServiceProvider>(),
    )?;
    m.add("wk_authn_request", wrap_pyfunction!(wk::authn_request, m)?)?;
    m.add(
        "wk_process_artifact_response",
        wrap_pyfunction!(wk::process_artifact_response, m)?,
    )?;
    m.add_function(wrap_pyfunction!(wk::_wk_artifact_response, m)?)?;
    m.add_function(wrap_pyfunction!(wk::_wk_logout_response, m)?)?;
    Ok(())
}
