//! Sign an e-ZLA with the doctor's `.pfx` and verify it against the ZUS CA. The
//! `sign_and_check` function is the one shown in the README (a test keeps them equal).
//!
//! ```sh
//! EZLA_PFX_PASSWORD=… cargo run -p ezla --example sign_and_verify -- doctor.pfx zus-ca.pem zla.xml
//! cargo run -p ezla --example sign_and_verify      # a test CA, doctor and e-ZLA
//! ```

use ezla::kedu::{Wariant, WriteOptions, Zla};
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::pki::{Identity, Pkcs12Options, TrustAnchors};
use ezla::xades::{self, Profile, SignOptions, VerifyOptions};
use std::sync::Arc;

fn sign_and_check(
    document: &[u8],
    pfx: &[u8],
    password: &str,
    zus_ca_pem: &[u8],
) -> ezla::Result<Vec<u8>> {
    // The doctor's key, certificate and chain, out of the .pfx.
    let id = Identity::from_pkcs12(pfx, Some(password), &Pkcs12Options::default())?;

    // Enveloped XAdES-BES appended as the last child of <KEDU>; every other byte is kept.
    let options = SignOptions::profile(Profile::Zus);
    let signed = xades::sign(document, &id.key, &id.certificate, &id.chain, &options)?;

    // Strict verification against the trust anchors: one signature covering the whole
    // document, signed properties naming the certificate that verified, a signing time
    // inside its validity, and a chain to one of the anchors.
    let anchors = TrustAnchors::from_pem_bundle(zus_ca_pem)?;
    let report = xades::verify(
        &signed,
        &VerifyOptions::default().with_trust(Arc::new(anchors)),
    )?;
    println!(
        "{} (PESEL {:?}) signed at {:?}; trust: {}",
        report.signer.subject, report.signer.pesel, report.signing_time, report.trust
    );
    Ok(signed)
}

fn main() -> ezla::Result<()> {
    run(std::env::args().skip(1).collect())
}

fn run(args: Vec<String>) -> ezla::Result<()> {
    let read = |path: &str| std::fs::read(path).map_err(|e| ezla::Error::io(path, e));
    if let [pfx, ca, document] = args.as_slice() {
        let password = std::env::var("EZLA_PFX_PASSWORD").unwrap_or_default();
        let signed = sign_and_check(&read(document)?, &read(pfx)?, &password, &read(ca)?)?;
        println!("{} bytes signed", signed.len());
        return Ok(());
    }
    // A throw-away test CA, doctor and e-ZLA (real .pfx files come from ZUS).
    use ezla::time::OffsetDateTime; // the API's time types, without a `time` dependency
    let now = OffsetDateTime::now_utc();
    let ca = TestCa::generate("ezla example CA", now, 3650)?;
    let doctor = ca.issue_doctor(&DoctorSpec::new("Jan", "Kowalski", "44051401359".parse()?))?;
    let json = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ezla-cli/examples/zla.json"
    ))?;
    let json =
        String::from_utf8(json).map_err(|_| ezla::Error::InvalidUtf8 { what: "zla.json" })?;
    let zla = Zla::from_json(&json)?;
    let document = zla.to_xml(Wariant::Oryginal, &WriteOptions::default())?;
    let pfx = doctor.to_pkcs12("hasło", 2048)?;
    let signed = sign_and_check(
        &document,
        &pfx,
        "hasło",
        ca.certificate().to_pem().as_bytes(),
    )?;
    println!("{} bytes signed", signed.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn signs_and_verifies_against_a_test_ca() {
        super::run(Vec::new()).expect("the README's signing example");
    }
}
