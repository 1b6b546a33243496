//! The simulated ZUS's certificate authority: it issues doctors' `.pfx` files (as ZUS issues
//! "certyfikat z ZUS") and the certificate ZUS signs its receipts (UPP) with.
//!
//! Kept in `DIR/ca/`: `ca.crt` and `ca.key` (the CA), `upp.crt` and `upp.key` (the receipt
//! signer), `tsa.crt` and `tsa.key` (the time-stamping authority of `/tsa`). The keys are unencrypted: this CA is for tests and nobody trusts it.

use std::path::{Path, PathBuf};

use ezla::crypto::{KeySpec, PrivateKey, Signer};
use ezla::pki::crl::{Crl, RevokedCertificate};
use ezla::pki::testca::{CrlSpec, DoctorSpec, IssueOptions, TestCa};
use ezla::pki::{Certificate, Identity, Name, PbeLimits, TrustAnchors, keyfile, pem};
use ezla::pl::Pesel;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

/// The CA and the receipt signer.
pub struct SimCa {
    dir: PathBuf,
    ca: TestCa,
    upp: Identity,
    tsa: Identity,
}

impl std::fmt::Debug for SimCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimCa")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SimCa {
    /// Opens the CA in `DIR/ca/`, creating it the first time.
    pub fn open(dir: &Path) -> ezla::Result<Self> {
        let dir = dir.join("ca");
        std::fs::create_dir_all(&dir).map_err(|e| ezla::Error::io(&dir, e))?;
        let ca = if dir.join("ca.crt").exists() {
            TestCa::new(
                read_key(&dir.join("ca.key"))?,
                read_cert(&dir.join("ca.crt"))?,
            )?
        } else {
            let ca = TestCa::generate(
                "ezla-sim ZUS CA (TEST ONLY)",
                OffsetDateTime::now_utc() - Duration::days(1),
                3650,
            )?;
            write_key(&dir.join("ca.key"), ca.key())?;
            write(&dir.join("ca.crt"), ca.certificate().to_pem().as_bytes())?;
            ca
        };
        let upp = if dir.join("upp.crt").exists() {
            Identity::new(
                read_key(&dir.join("upp.key"))?,
                read_cert(&dir.join("upp.crt"))?,
                vec![ca.certificate().clone()],
            )?
        } else {
            let key = PrivateKey::generate(KeySpec::Rsa2048)?;
            let subject = Name::builder()
                .country("PL")
                .organization("ezla-sim (TEST ONLY, not ZUS)")
                .common_name("ZUS e-ZLA simulator: UPP")
                .build()?;
            let options = IssueOptions::doctor(OffsetDateTime::now_utc() - Duration::days(1));
            let cert = ca.issue(&subject, key.public_key(), &options)?;
            write_key(&dir.join("upp.key"), &key)?;
            write(&dir.join("upp.crt"), cert.to_pem().as_bytes())?;
            Identity::new(key, cert, vec![ca.certificate().clone()])?
        };
        let tsa = if dir.join("tsa.crt").exists() {
            Identity::new(
                read_key(&dir.join("tsa.key"))?,
                read_cert(&dir.join("tsa.crt"))?,
                vec![ca.certificate().clone()],
            )?
        } else {
            let tsa = ca.issue_time_stamping("ezla-sim TSA (TEST ONLY)", KeySpec::EcP256, 3650)?;
            write_key(&dir.join("tsa.key"), &tsa.key)?;
            write(&dir.join("tsa.crt"), tsa.certificate.to_pem().as_bytes())?;
            tsa
        };
        Ok(SimCa { dir, ca, upp, tsa })
    }

    /// The CA certificate (what a client trusts to verify doctors and receipts).
    pub fn certificate(&self) -> &Certificate {
        self.ca.certificate()
    }

    /// The CA as trust anchors.
    pub fn anchors(&self) -> TrustAnchors {
        TrustAnchors::new([self.ca.certificate().clone()])
    }

    /// The receipt signer.
    pub fn upp_signer(&self) -> &Identity {
        &self.upp
    }

    /// The time-stamping authority's identity (its certificate has the one critical
    /// extended key usage `timeStamping`).
    pub fn tsa_signer(&self) -> &Identity {
        &self.tsa
    }

    /// Issues a doctor's certificate, shaped like ZUS's, valid for `days` from `not_before`.
    pub fn issue_doctor(
        &self,
        pesel: Pesel,
        given_name: &str,
        surname: &str,
        not_before: OffsetDateTime,
        days: u32,
    ) -> ezla::Result<Identity> {
        let mut spec = DoctorSpec::new(given_name, surname, pesel);
        spec.options = IssueOptions::doctor(not_before);
        spec.options.not_after = not_before + Duration::days(i64::from(days));
        self.ca.issue_doctor(&spec)
    }

    /// Issues a doctor's certificate as PUE does: five years from `not_before`
    /// ([`IssueOptions::doctor`]: an RSA-2048 key generated here, key usage
    /// `digitalSignature` and `nonRepudiation`, the PESEL in the subject), with `crl_url` as
    /// its CRL distribution point (the simulator's own `/pue/crl`; `None` writes the test
    /// CA's placeholder URL).
    pub fn issue_doctor_with(
        &self,
        pesel: Pesel,
        given_name: &str,
        surname: &str,
        not_before: OffsetDateTime,
        crl_url: Option<&str>,
    ) -> ezla::Result<Identity> {
        let mut spec = DoctorSpec::new(given_name, surname, pesel);
        spec.options = IssueOptions::doctor(not_before);
        spec.options.crl_url = crl_url.map(str::to_owned);
        self.ca.issue_doctor(&spec)
    }

    /// A CRL signed by the CA: issued at `this_update`, next due at `next_update`, numbered
    /// `number`, listing `revoked`.
    pub fn issue_crl(
        &self,
        this_update: OffsetDateTime,
        next_update: OffsetDateTime,
        number: u64,
        revoked: Vec<RevokedCertificate>,
    ) -> ezla::Result<Crl> {
        let mut spec = CrlSpec::new(this_update, next_update, number);
        spec.revoked = revoked;
        self.ca.issue_crl(&spec)
    }

    /// The directory the CA lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn read_key(path: &Path) -> ezla::Result<PrivateKey> {
    let bytes = std::fs::read(path).map_err(|e| ezla::Error::io(path, e))?;
    keyfile::read_private_key(&bytes, None, &PbeLimits::default())
}

fn read_cert(path: &Path) -> ezla::Result<Certificate> {
    let bytes = std::fs::read(path).map_err(|e| ezla::Error::io(path, e))?;
    Certificate::from_pem(&bytes)
}

fn write_key(path: &Path, key: &PrivateKey) -> ezla::Result<()> {
    let pem = Zeroizing::new(pem::encode("PRIVATE KEY", key.pkcs8_der()));
    write(path, pem.as_bytes())
}

fn write(path: &Path, bytes: &[u8]) -> ezla::Result<()> {
    std::fs::write(path, bytes).map_err(|e| ezla::Error::io(path, e))
}
