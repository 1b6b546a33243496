//! Helpers for unit tests: the shared third-party vectors, and a test doctor.

/// `../shared/vectors` beside the repository, or `$EZLA_VECTORS`; `None` (with a printed
/// notice) when absent (the one definition, shared with the integration and interop tests).
pub(crate) use ezla_vectors::vectors_dir;

/// A P-256 test CA (valid from 2025 for ten years) and a doctor it issued, Jan Kowalski
/// with PESEL 44051401359.
pub(crate) fn test_doctor() -> (crate::pki::testca::TestCa, crate::pki::Identity) {
    use crate::pki::testca::{DoctorSpec, TestCa};
    let ca = TestCa::generate_with(
        crate::crypto::KeySpec::EcP256,
        "ezla unit test CA",
        time::macros::datetime!(2025-01-01 0:00 UTC),
        3650,
    )
    .expect("ca");
    let pesel = crate::pl::Pesel::parse("44051401359").expect("pesel");
    let mut spec = DoctorSpec::new("Jan", "Kowalski", pesel);
    spec.key = crate::crypto::KeySpec::EcP256;
    let id = ca.issue_doctor(&spec).expect("doctor");
    (ca, id)
}
