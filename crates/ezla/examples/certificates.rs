//! Open a doctor's `.pfx`, read the certificate, and check it against the ZUS expiry policy.
//! The `check` function is the one shown in the README.
//!
//! ```sh
//! EZLA_PFX_PASSWORD=… cargo run -p ezla --example certificates -- doctor.pfx
//! cargo run -p ezla --example certificates      # makes a test .pfx first
//! ```

use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::pki::{ExpiryPolicy, ExpiryStatus, Identity, Pkcs12Options};
use ezla::time::OffsetDateTime;

fn check(pfx: &[u8], password: &str) -> ezla::Result<()> {
    // Legacy (RC2/3DES) and modern (AES) files alike; the errors say what went wrong:
    // BadPassword, MacMismatch, Pkcs12Corrupt, Unsupported (naming the OID), IterationLimitExceeded.
    let id = Identity::from_pkcs12(pfx, Some(password), &Pkcs12Options::default())?;
    let cert = &id.certificate;
    println!(
        "{} (PESEL {:?})",
        cert.subject(),
        cert.pesel().map(|p| p.to_string())
    );
    match cert.status_at(OffsetDateTime::now_utc(), &ExpiryPolicy::default()) {
        ExpiryStatus::RenewalWindow { days_left, .. }
        | ExpiryStatus::Expiring { days_left, .. } => {
            println!("renew now: {days_left} days left")
        }
        status => println!("{status}"),
    }
    Ok(())
}

fn main() -> ezla::Result<()> {
    run(std::env::args().skip(1).collect())
}

fn run(args: Vec<String>) -> ezla::Result<()> {
    match args.into_iter().next() {
        Some(path) => {
            let pfx = std::fs::read(&path).map_err(|e| ezla::Error::io(path, e))?;
            check(
                &pfx,
                &std::env::var("EZLA_PFX_PASSWORD").unwrap_or_default(),
            )
        }
        None => {
            // A throw-away test CA and doctor (real .pfx files come from ZUS).
            let now = OffsetDateTime::now_utc();
            let ca = TestCa::generate("ezla example CA", now, 3650)?;
            let doctor =
                ca.issue_doctor(&DoctorSpec::new("Jan", "Kowalski", "44051401359".parse()?))?;
            check(&doctor.to_pkcs12("hasło", 2048)?, "hasło")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_on_a_test_doctor() {
        super::run(Vec::new()).expect("the README's certificate check");
    }
}
