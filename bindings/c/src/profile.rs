//! The XAdES-BES profiles (`ezla_profile`) and their names.

use std::ffi::c_char;

use ezla_core::xades::Profile;

use crate::boundary::{Failure, FfiResult};

/// The XAdES-BES profiles.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_profile {
    /// ZUS's sample shape with SHA-256 (RSA or P-256): the default.
    Zus = 0,
    /// ZUS's 2015–2018 sample shape with SHA-1 (RSA only).
    ZusLegacy = 1,
    /// Generic enveloped XAdES-BES with SHA-256 and exclusive C14N.
    XadesBes = 2,
}

pub(crate) fn profile_from_c(n: u32) -> FfiResult<Profile> {
    Ok(match n {
        0 => Profile::Zus,
        1 => Profile::ZusLegacy,
        2 => Profile::XadesBes,
        n => return Err(Failure::Invalid(format!("{n} is not an ezla_profile"))),
    })
}

pub(crate) fn profile_to_c(p: Profile) -> ezla_profile {
    match p {
        Profile::ZusLegacy => ezla_profile::ZusLegacy,
        Profile::XadesBes => ezla_profile::XadesBes,
        _ => ezla_profile::Zus,
    }
}

/// A static, NUL-terminated profile name: `"zus"`, `"zus-legacy"`, `"xades-bes"`;
/// `"unknown"` for other numbers. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_profile_name(profile: u32) -> *const c_char {
    match profile {
        0 => c"zus".as_ptr(),
        1 => c"zus-legacy".as_ptr(),
        2 => c"xades-bes".as_ptr(),
        _ => c"unknown".as_ptr(),
    }
}
