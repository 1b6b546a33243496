//! The C API of ezla (`libezla.a`, `libezla.so`, `include/ezla.h`).
//!
//! All logic lives in the `ezla` crate; this crate converts arguments, catches panics at the
//! boundary and maps errors to the stable `ezla_result` codes. Conventions follow rustls-ffi:
//! opaque handles, `ezla_<noun>_<verb>` functions, outputs written only on success, a NULL
//! check for every pointer, and no global state. The ownership rules are at the top of
//! `include/ezla.h`.
#![allow(unsafe_code)] // the C boundary: every unsafe block states why it is sound
#![deny(clippy::undocumented_unsafe_blocks)]
// extern "C" functions take raw pointers by design; each dereference is NULL-checked and
// documented, as in rustls-ffi.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

// cbindgen writes the header's items module by module in the order declared here. The
// groups keep include/ezla.h in the order it had before xades.rs was split (rustfmt sorts
// only within a group): signer, trust, profile and report came out of xades, csr out of pki.
mod boundary;
mod buffer;
mod error;
mod instant;
mod kedu;
mod pki;

mod cms;
mod csr;
mod testca;
mod version;

mod signer;
mod trust;

mod profile;
mod xades;

mod report;

mod records;
mod text;
mod zus;
mod zus_lookup;
mod zus_records;

mod wk;

mod tsp;

mod monitor;

mod revocation;

pub use buffer::{ezla_buffer, ezla_buffer_free};
pub use cms::*;
pub use csr::*;
pub use error::{
    ezla_error, ezla_error_code, ezla_error_free, ezla_error_message, ezla_error_zus_code,
    ezla_error_zus_findings, ezla_error_zus_text, ezla_result, ezla_result_description,
    ezla_result_is_certificate_error, ezla_result_is_document_error,
    ezla_result_is_signature_error, ezla_result_name,
};
pub use instant::EZLA_NOW;
pub use kedu::*;
pub use monitor::*;
pub use pki::*;
pub use profile::*;
pub use records::ezla_zus_records;
pub use report::*;
pub use revocation::*;
pub use signer::*;
pub use testca::*;
pub use trust::*;
pub use tsp::*;
pub use version::ezla_version;
pub use wk::*;
pub use xades::*;
pub use zus::*;
pub use zus_lookup::*;
pub use zus_records::*;
