//! **For tests and demos only:** a throw-away certificate authority that issues certificates
//! resembling a doctor's ZUS certificate.
//!
//! Real ZUS certificates are issued by ZUS; nothing here is trusted by anyone. The test CA
//! exists so that ezla's own tests, the demo, and the tests of the C and Python bindings can
//! make realistic fixtures: an RSA-2048 key and a certificate for a doctor with a common
//! name, given name, surname and `serialNumber=PNOPL-<PESEL>`, valid for five years, with
//! key usage `digitalSignature` + `nonRepudiation` — the shape described in
//! `docs/ezla-zus.md` §9. Certificates carry CRL and OCSP URLs under `ezla-test-ca.invalid`,
//! a name that can never resolve.

use std::net::IpAddr;

use time::{Duration, OffsetDateTime, UtcOffset};

use super::crl::{Crl, RevokedCertificate};
use super::csr::CertificateRequest;
use super::encode::{TRUE, explicit, octets, oid, seq, tlv, uint, uint_bytes};
use super::extensions::{KeyPurpose, KeyUsage};
use super::identity::Identity;
use super::name::Name;
use super::x509::{Certificate, signature_algorithm_der};
use crate::crypto::{
    DigestAlgorithm, KeySpec, PrivateKey, PublicKey, SignatureAlgorithm, Signer, ecdsa_fixed_to_der,
};
use crate::error::{CertificateError, KeyError};
use crate::pl::Pesel;
use crate::{Error, Result};

/// The base of the URLs written into test certificates.
pub const TEST_URL_BASE: &str = "http://ezla-test-ca.invalid";

const fn o(s: &str) -> const_oid::ObjectIdentifier {
    const_oid::ObjectIdentifier::new_unwrap(s)
}

/// What to put into a certificate the test CA issues.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct IssueOptions {
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// Key usage (marked critical).
    pub key_usage: KeyUsage,
    /// Extended key usage, if any.
    pub extended_key_usage: Vec<KeyPurpose>,
    /// Whether the extended key usage extension is marked critical (as RFC 3161 requires
    /// of a TSA's).
    pub extended_key_usage_critical: bool,
    /// E-mail subject alternative names.
    pub email_addresses: Vec<String>,
    /// DNS-name subject alternative names (for TLS server certificates).
    pub dns_names: Vec<String>,
    /// IP-address subject alternative names (for TLS server certificates).
    pub ip_addresses: Vec<IpAddr>,
    /// Whether to write CRL distribution point and OCSP URLs (default: yes).
    pub revocation_urls: bool,
    /// The CRL distribution point to write (with `revocation_urls`) instead of the test
    /// URL under [`TEST_URL_BASE`], e.g. the simulator's `http://127.0.0.1:PORT/pue/crl`.
    pub crl_url: Option<String>,
    /// Whether the certificate is for a CA (basic constraints `cA`, marked critical). Set
    /// `key_usage` to include `keyCertSign` as well.
    pub ca: bool,
    /// The CA's path length constraint.
    pub path_len: Option<u8>,
}

impl IssueOptions {
    /// A doctor's certificate valid for five years from `not_before`: key usage
    /// `digitalSignature` and `nonRepudiation`, no extended key usage.
    pub fn doctor(not_before: OffsetDateTime) -> Self {
        IssueOptions {
            not_before,
            not_after: plus_years(not_before, 5),
            key_usage: KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION,
            extended_key_usage: Vec::new(),
            extended_key_usage_critical: false,
            email_addresses: Vec::new(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            revocation_urls: true,
            crl_url: None,
            ca: false,
            path_len: None,
        }
    }

    /// A TLS server certificate valid for `days` from `not_before`, for the given DNS names
    /// and IP addresses (subject alternative names; wildcards like `*.zus.pl` are written as
    /// given): key usage `digitalSignature` and `keyEncipherment`, extended key usage
    /// `serverAuth`, no revocation URLs.
    pub fn tls_server(
        not_before: OffsetDateTime,
        days: u32,
        dns_names: &[&str],
        ip_addresses: &[IpAddr],
    ) -> Self {
        IssueOptions {
            not_before,
            not_after: not_before + Duration::days(i64::from(days)),
            key_usage: KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT,
            extended_key_usage: vec![KeyPurpose::SERVER_AUTH],
            extended_key_usage_critical: false,
            email_addresses: Vec::new(),
            dns_names: dns_names.iter().map(|n| n.to_string()).collect(),
            ip_addresses: ip_addresses.to_vec(),
            revocation_urls: false,
            crl_url: None,
            ca: false,
            path_len: None,
        }
    }

    /// A time-stamping authority's certificate valid for `days` from `not_before` (RFC 3161
    /// §2.3): key usage `digitalSignature` and `nonRepudiation`, the one extended key usage
    /// `timeStamping`, marked critical, no revocation URLs.
    pub fn time_stamping(not_before: OffsetDateTime, days: u32) -> Self {
        IssueOptions {
            not_before,
            not_after: not_before + Duration::days(i64::from(days)),
            key_usage: KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION,
            extended_key_usage: vec![KeyPurpose::TIME_STAMPING],
            extended_key_usage_critical: true,
            email_addresses: Vec::new(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            revocation_urls: false,
            crl_url: None,
            ca: false,
            path_len: None,
        }
    }

    /// An intermediate CA certificate valid for `days` from `not_before`: key usage
    /// `keyCertSign` and `cRLSign`, no path length constraint.
    pub fn intermediate_ca(not_before: OffsetDateTime, days: u32) -> Self {
        IssueOptions {
            not_before,
            not_after: not_before + Duration::days(i64::from(days)),
            key_usage: KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN,
            extended_key_usage: Vec::new(),
            extended_key_usage_critical: false,
            email_addresses: Vec::new(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            revocation_urls: false,
            crl_url: None,
            ca: true,
            path_len: None,
        }
    }
}

/// The person a test doctor certificate is for.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DoctorSpec {
    /// Given name.
    pub given_name: String,
    /// Surname.
    pub surname: String,
    /// PESEL, written as `serialNumber=PNOPL-<PESEL>`.
    pub pesel: Pesel,
    /// An e-mail subject alternative name, if any.
    pub email: Option<String>,
    /// The key to generate (default RSA-2048, like ZUS certificates).
    pub key: KeySpec,
    /// Validity and extensions (default [`IssueOptions::doctor`] from now).
    pub options: IssueOptions,
}

impl DoctorSpec {
    /// A doctor with an RSA-2048 key and a certificate valid for five years from a minute
    /// ago: an instant taken just before the spec was made (whole seconds in the
    /// certificate, key generation in between) still lies within the validity.
    pub fn new(given_name: impl Into<String>, surname: impl Into<String>, pesel: Pesel) -> Self {
        DoctorSpec {
            given_name: given_name.into(),
            surname: surname.into(),
            pesel,
            email: None,
            key: KeySpec::Rsa2048,
            options: IssueOptions::doctor(now() - Duration::minutes(1)),
        }
    }

    /// The subject: `C=PL, sn, givenName, serialNumber=PNOPL-<PESEL>, CN=<given> <surname>`.
    pub fn subject(&self) -> Result<Name> {
        Name::builder()
            .country("PL")
            .surname(self.surname.clone())
            .given_name(self.given_name.clone())
            .serial_number(format!("PNOPL-{}", self.pesel))
            .common_name(format!("{} {}", self.given_name, self.surname))
            .build()
    }
}

/// A test certificate authority (see the [module documentation](self)).
#[derive(Clone, Debug)]
pub struct TestCa {
    pub(crate) key: PrivateKey,
    pub(crate) certificate: Certificate,
}

impl TestCa {
    /// Generates a CA with an RSA-2048 key and a self-signed certificate
    /// `CN=<common_name>, O=ezla test CA (not ZUS), C=PL`, valid for `days` from `not_before`.
    pub fn generate(common_name: &str, not_before: OffsetDateTime, days: u32) -> Result<Self> {
        Self::generate_with(KeySpec::Rsa2048, common_name, not_before, days)
    }

    /// [`TestCa::generate`] with another kind of key (P-256 keys make faster tests).
    pub fn generate_with(
        key: KeySpec,
        common_name: &str,
        not_before: OffsetDateTime,
        days: u32,
    ) -> Result<Self> {
        let key = PrivateKey::generate(key)?;
        let subject = Name::builder()
            .country("PL")
            .organization("ezla test CA (not ZUS)")
            .common_name(common_name)
            .build()?;
        let not_before = truncate(not_before);
        let not_after = not_before + Duration::days(i64::from(days));
        let ski = key_id(key.public_key())?;
        let extensions = vec![
            extension(o("2.5.29.19"), true, &seq(&[&TRUE])),
            extension(
                o("2.5.29.15"),
                true,
                &(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN).to_der(),
            ),
            extension(o("2.5.29.14"), false, &octets(&ski)),
        ];
        let der = sign_tbs(
            &key,
            &subject,
            &subject,
            key.public_key(),
            not_before,
            not_after,
            &extensions,
        )?;
        let certificate = Certificate::from_der(&der)?;
        Ok(TestCa { key, certificate })
    }

    /// A CA from an existing key and certificate (e.g. read back from files).
    ///
    /// Fails with [`KeyError::CertificateMismatch`] when they do not belong together, and
    /// [`CertificateError::KeyUsage`] when the certificate is not a CA certificate.
    pub fn new(key: PrivateKey, certificate: Certificate) -> Result<Self> {
        if !certificate.matches_key(key.public_key()) {
            return Err(Error::Key(KeyError::CertificateMismatch {
                subject: certificate.subject().to_rfc4514(),
            }));
        }
        if !certificate.is_ca() {
            return Err(Error::Certificate(CertificateError::KeyUsage {
                subject: certificate.subject().to_rfc4514(),
                detail: "not a CA certificate (basic constraints cA is not set)".into(),
            }));
        }
        Ok(TestCa { key, certificate })
    }

    /// The CA's certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The CA's private key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// Issues a certificate for `public_key` and `subject`.
    pub fn issue(
        &self,
        subject: &Name,
        public_key: &PublicKey,
        options: &IssueOptions,
    ) -> Result<Certificate> {
        if options.not_after <= options.not_before {
            return Err(Error::invalid_argument(
                "not_after",
                "must be after not_before",
            ));
        }
        let basic_constraints = match (options.ca, options.path_len) {
            (false, _) => extension(o("2.5.29.19"), false, &seq(&[])),
            (true, None) => extension(o("2.5.29.19"), true, &seq(&[&TRUE])),
            (true, Some(n)) => extension(o("2.5.29.19"), true, &seq(&[&TRUE, &uint(u64::from(n))])),
        };
        let mut extensions = vec![
            extension(o("2.5.29.15"), true, &options.key_usage.to_der()),
            basic_constraints,
            extension(o("2.5.29.14"), false, &octets(&key_id(public_key)?)),
        ];
        if let Some(ski) = self.certificate.subject_key_id() {
            extensions.push(extension(o("2.5.29.35"), false, &seq(&[&tlv(0x80, ski)])));
        }
        if !options.extended_key_usage.is_empty() {
            let purposes: Vec<Vec<u8>> = options
                .extended_key_usage
                .iter()
                .map(|p| oid(&p.0))
                .collect();
            let refs: Vec<&[u8]> = purposes.iter().map(Vec::as_slice).collect();
            extensions.push(extension(
                o("2.5.29.37"),
                options.extended_key_usage_critical,
                &seq(&refs),
            ));
        }
        // GeneralName: rfc822Name [1], dNSName [2] (IA5String), iPAddress [7] (4 or 16 octets).
        let mut names: Vec<Vec<u8>> = Vec::new();
        names.extend(
            options
                .email_addresses
                .iter()
                .map(|e| tlv(0x81, e.as_bytes())),
        );
        names.extend(options.dns_names.iter().map(|d| tlv(0x82, d.as_bytes())));
        names.extend(options.ip_addresses.iter().map(|ip| match ip {
            IpAddr::V4(v4) => tlv(0x87, &v4.octets()),
            IpAddr::V6(v6) => tlv(0x87, &v6.octets()),
        }));
        if let Some(bad) = options
            .dns_names
            .iter()
            .chain(&options.email_addresses)
            .find(|n| n.is_empty() || !n.is_ascii())
        {
            return Err(Error::invalid_argument(
                "subject alternative names",
                format!("`{bad}` is not a non-empty ASCII name"),
            ));
        }
        if !names.is_empty() {
            let refs: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
            extensions.push(extension(o("2.5.29.17"), false, &seq(&refs)));
        }
        if options.revocation_urls {
            let crl = options
                .crl_url
                .clone()
                .unwrap_or_else(|| format!("{TEST_URL_BASE}/ezla-test-ca.crl"));
            if !crl.is_ascii() || crl.is_empty() {
                return Err(Error::invalid_argument(
                    "crl_url",
                    format!("`{crl}` is not a non-empty ASCII URL"),
                ));
            }
            let dp = seq(&[&explicit(0, &explicit(0, &tlv(0x86, crl.as_bytes())))]);
            extensions.push(extension(o("2.5.29.31"), false, &seq(&[&dp])));
            let ocsp = format!("{TEST_URL_BASE}/ocsp");
            let issuers = format!("{TEST_URL_BASE}/ezla-test-ca.crt");
            extensions.push(extension(
                o("1.3.6.1.5.5.7.1.1"),
                false,
                &seq(&[
                    &seq(&[&oid(&o("1.3.6.1.5.5.7.48.1")), &tlv(0x86, ocsp.as_bytes())]),
                    &seq(&[
                        &oid(&o("1.3.6.1.5.5.7.48.2")),
                        &tlv(0x86, issuers.as_bytes()),
                    ]),
                ]),
            ));
        }
        let der = sign_tbs(
            &self.key,
            self.certificate.subject(),
            subject,
            public_key,
            truncate(options.not_before),
            truncate(options.not_after),
            &extensions,
        )?;
        Certificate::from_der(&der)
    }

    /// A time-stamping authority's identity: a new `key` and a certificate
    /// ([`IssueOptions::time_stamping`], `CN=common_name`) valid for `days` from a minute
    /// ago, the CA certificate as its chain.
    pub fn issue_time_stamping(
        &self,
        common_name: &str,
        key: KeySpec,
        days: u32,
    ) -> Result<Identity> {
        let key = PrivateKey::generate(key)?;
        let subject = Name::builder()
            .country("PL")
            .organization("ezla test TSA (not a qualified TSA)")
            .common_name(common_name)
            .build()?;
        let options =
            IssueOptions::time_stamping(OffsetDateTime::now_utc() - Duration::minutes(1), days);
        let cert = self.issue(&subject, key.public_key(), &options)?;
        Identity::new(key, cert, vec![self.certificate.clone()])
    }

    /// Issues a doctor's certificate for a request (subject, key and e-mail from the
    /// request, whose signature is checked first).
    pub fn issue_for_request(
        &self,
        request: &CertificateRequest,
        options: &IssueOptions,
    ) -> Result<Certificate> {
        request.verify_signature()?;
        let mut options = options.clone();
        options
            .email_addresses
            .extend(request.email_addresses().iter().cloned());
        self.issue(request.subject(), request.public_key(), &options)
    }

    /// Issues a v2 CRL: the CA's name, the given times (whole seconds), the entries with
    /// their reason codes, a CRL number and the authority key identifier, signed with the
    /// CA's key.
    pub fn issue_crl(&self, spec: &CrlSpec) -> Result<Crl> {
        if spec.next_update <= spec.this_update {
            return Err(Error::invalid_argument(
                "next_update",
                "must be after this_update",
            ));
        }
        let algorithm = SignatureAlgorithm::default_for(self.key.kind());
        let alg_der = signature_algorithm_der(algorithm);
        let mut entries: Vec<Vec<u8>> = Vec::with_capacity(spec.revoked.len());
        for e in &spec.revoked {
            let mut fields = vec![tlv(0x02, &e.serial), time(truncate(e.revoked_at))?];
            if let Some(reason) = e.reason {
                let value = tlv(0x0a, &[reason.code()]);
                fields.push(seq(&[&extension(o("2.5.29.21"), false, &value)]));
            }
            let refs: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
            entries.push(seq(&refs));
        }
        let mut extensions = vec![extension(o("2.5.29.20"), false, &uint(spec.number))];
        if let Some(ski) = self.certificate.subject_key_id() {
            extensions.push(extension(o("2.5.29.35"), false, &seq(&[&tlv(0x80, ski)])));
        }
        let ext_refs: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
        let this_update = time(truncate(spec.this_update))?;
        let next_update = time(truncate(spec.next_update))?;
        let version = uint(1);
        let revoked = if entries.is_empty() {
            Vec::new()
        } else {
            let refs: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
            seq(&refs)
        };
        let extensions = explicit(0, &seq(&ext_refs));
        let tbs = seq(&[
            &version,
            &alg_der,
            self.certificate.subject().to_der(),
            &this_update,
            &next_update,
            &revoked,
            &extensions,
        ]);
        let mut signature = self.key.sign(algorithm, &tbs)?;
        if let SignatureAlgorithm::Ecdsa(_) = algorithm {
            signature = ecdsa_fixed_to_der(&signature)?;
        }
        Crl::from_der(&seq(&[&tbs, &alg_der, &super::encode::bits(&signature)]))
    }

    /// Generates a key and issues a doctor's certificate for it; the identity's chain is the
    /// CA certificate.
    pub fn issue_doctor(&self, spec: &DoctorSpec) -> Result<Identity> {
        let key = PrivateKey::generate(spec.key)?;
        let mut options = spec.options.clone();
        options.email_addresses.extend(spec.email.iter().cloned());
        let subject = spec.subject()?;
        let certificate = self.issue(&subject, key.public_key(), &options)?;
        let mut identity = Identity::new(key, certificate, vec![self.certificate.clone()])?;
        identity.friendly_name = subject.common_name().map(str::to_string);
        Ok(identity)
    }
}

/// What to put into a CRL the test CA issues ([`TestCa::issue_crl`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CrlSpec {
    /// When the CRL is issued.
    pub this_update: OffsetDateTime,
    /// When the next one will be issued at the latest.
    pub next_update: OffsetDateTime,
    /// The CRL number (increasing with every CRL of the CA).
    pub number: u64,
    /// The revoked certificates.
    pub revoked: Vec<RevokedCertificate>,
}

impl CrlSpec {
    /// A CRL issued at `this_update`, next due at `next_update`, numbered `number`, listing
    /// nothing yet.
    pub fn new(this_update: OffsetDateTime, next_update: OffsetDateTime, number: u64) -> Self {
        CrlSpec {
            this_update,
            next_update,
            number,
            revoked: Vec::new(),
        }
    }
}

/// The current instant, whole seconds.
fn now() -> OffsetDateTime {
    truncate(OffsetDateTime::now_utc())
}

/// UTC, whole seconds (certificate times have no fractions).
pub(super) fn truncate(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(UtcOffset::UTC);
    t.replace_nanosecond(0).unwrap_or(t)
}

/// `t` plus `years` calendar years (29 February becomes 28 February).
fn plus_years(t: OffsetDateTime, years: i32) -> OffsetDateTime {
    let year = t.year() + years;
    t.replace_year(year)
        .or_else(|_| t.replace_day(28).and_then(|d| d.replace_year(year)))
        .unwrap_or(t + Duration::days(365 * i64::from(years)))
}

/// RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
pub(super) fn key_id(key: &PublicKey) -> Result<Vec<u8>> {
    use der::Decode;
    let spki = spki::SubjectPublicKeyInfoRef::from_der(key.spki_der())
        .map_err(|e| Error::internal(format!("SPKI: {e}")))?;
    Ok(DigestAlgorithm::Sha1.digest(spki.subject_public_key.raw_bytes()))
}

pub(super) fn extension(id: const_oid::ObjectIdentifier, critical: bool, value: &[u8]) -> Vec<u8> {
    if critical {
        seq(&[&oid(&id), &TRUE, &octets(value)])
    } else {
        seq(&[&oid(&id), &octets(value)])
    }
}

/// `Time`: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
fn time(t: OffsetDateTime) -> Result<Vec<u8>> {
    let (y, mo, d, h, mi, s) = (
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    );
    if (1950..2050).contains(&y) {
        let text = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        Ok(tlv(0x17, text.as_bytes()))
    } else if (0..=9999).contains(&y) {
        let text = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        Ok(tlv(0x18, text.as_bytes()))
    } else {
        Err(Error::invalid_argument(
            "validity",
            format!("year {y} cannot be encoded"),
        ))
    }
}

/// Assembles and signs a v3 `TBSCertificate`.
pub(super) fn sign_tbs(
    issuer_key: &PrivateKey,
    issuer: &Name,
    subject: &Name,
    public_key: &PublicKey,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    extensions: &[Vec<u8>],
) -> Result<Vec<u8>> {
    let algorithm = SignatureAlgorithm::default_for(issuer_key.kind());
    let alg_der = signature_algorithm_der(algorithm);
    let mut serial = [0u8; 16];
    crate::crypto::random_bytes(&mut serial)?;
    serial[0] = (serial[0] & 0x7f) | 0x10; // positive, 16 bytes, never zero
    let refs: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
    let tbs = seq(&[
        &explicit(0, &uint(2)),
        &uint_bytes(&serial),
        &alg_der,
        issuer.to_der(),
        &seq(&[&time(not_before)?, &time(not_after)?]),
        subject.to_der(),
        public_key.spki_der(),
        &explicit(3, &seq(&refs)),
    ]);
    let mut signature = issuer_key.sign(algorithm, &tbs)?;
    if let SignatureAlgorithm::Ecdsa(_) = algorithm {
        signature = ecdsa_fixed_to_der(&signature)?;
    }
    Ok(seq(&[&tbs, &alg_der, &super::encode::bits(&signature)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::pki::{ExpiryPolicy, polish::IdentifierKind};
    use time::macros::datetime;

    #[test]
    fn doctor_certificates_look_like_zus_ones() {
        let start = datetime!(2025-03-01 08:00 UTC);
        let ca = TestCa::generate("ezla test CA", start, 3650).expect("ca");
        assert!(ca.certificate().is_ca());
        assert!(ca.certificate().is_self_issued());
        ca.certificate()
            .verify_signature(ca.certificate().public_key())
            .expect("self-signed");
        let mut spec = DoctorSpec::new(
            "Jan",
            "Kowalski",
            Pesel::parse("44051401359").expect("pesel"),
        );
        spec.options = IssueOptions::doctor(start);
        spec.email = Some("jan.kowalski@example.com".into());
        let id = ca.issue_doctor(&spec).expect("doctor");
        let c = &id.certificate;
        assert_eq!(
            c.subject().to_rfc4514(),
            "CN=Jan Kowalski,serialNumber=PNOPL-44051401359,givenName=Jan,sn=Kowalski,C=PL"
        );
        assert_eq!(c.issuer(), ca.certificate().subject());
        assert_eq!(
            c.public_key().kind(),
            crate::crypto::KeyKind::Rsa { bits: 2048 }
        );
        assert_eq!(c.version(), 3);
        assert_eq!(c.not_before(), start);
        assert_eq!(c.not_after(), datetime!(2030-03-01 08:00 UTC));
        assert_eq!(
            c.key_usage(),
            Some(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION)
        );
        assert!(
            c.extensions()
                .iter()
                .any(|e| e.name == Some("keyUsage") && e.critical)
        );
        assert!(!c.is_ca());
        assert_eq!(
            c.crl_distribution_points(),
            ["http://ezla-test-ca.invalid/ezla-test-ca.crl"]
        );
        assert_eq!(c.ocsp_urls(), ["http://ezla-test-ca.invalid/ocsp"]);
        assert_eq!(
            c.ca_issuers_urls(),
            ["http://ezla-test-ca.invalid/ezla-test-ca.crt"]
        );
        assert_eq!(c.email_addresses(), ["jan.kowalski@example.com"]);
        assert_eq!(c.authority_key_id(), ca.certificate().subject_key_id());
        assert_eq!(c.serial_hex().len(), 32);
        let ids = c.polish_identifiers();
        assert_eq!(ids.len(), 1);
        assert_eq!(ids[0].kind, IdentifierKind::Pesel);
        assert!(ids[0].check.is_valid());
        assert_eq!(
            c.pesel().map(|p| p.to_string()).as_deref(),
            Some("44051401359")
        );
        assert_eq!(id.chain, vec![ca.certificate().clone()]);
        let status = c.status_at(datetime!(2030-02-10 00:00 UTC), &ExpiryPolicy::default());
        assert_eq!(status.name(), "renewal-window");
        assert_eq!(status.days_left(), 19);
        c.check_valid_at(start).expect("valid at start");
    }

    #[test]
    fn tls_server_certificates_carry_server_auth_and_names() {
        let ca = TestCa::generate_with(KeySpec::EcP256, "sim CA", now(), 30).unwrap();
        let key = PrivateKey::generate(KeySpec::EcP256).unwrap();
        let subject = Name::builder().common_name("localhost").build().unwrap();
        let ips: [IpAddr; 2] = ["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
        let options = IssueOptions::tls_server(now(), 30, &["localhost", "*.zus.pl"], &ips);
        let cert = ca.issue(&subject, key.public_key(), &options).unwrap();
        assert_eq!(cert.dns_names(), ["localhost", "*.zus.pl"]);
        assert_eq!(
            cert.extended_key_usage(),
            Some(&[KeyPurpose::SERVER_AUTH][..])
        );
        let usage = cert.key_usage().unwrap();
        assert!(usage.contains(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT));
        assert!(!cert.is_ca());
        assert!(cert.crl_distribution_points().is_empty());
        cert.verify_signature(ca.certificate().public_key())
            .unwrap();
        // The SAN extension, byte for byte: [2] names, then [7] 4 and 16 octets.
        let der = cert.to_der();
        let mut v6 = vec![0x87, 16];
        v6.extend_from_slice(&[0; 15]);
        v6.push(1);
        for needle in [
            &b"\x82\x09localhost"[..],
            &b"\x82\x08*.zus.pl"[..],
            &[0x87, 4, 127, 0, 0, 1][..],
            &v6[..],
        ] {
            assert!(
                der.windows(needle.len()).any(|w| w == needle),
                "{needle:02x?} not in the certificate"
            );
        }
        let bad = IssueOptions::tls_server(now(), 30, &[""], &[]);
        assert!(ca.issue(&subject, key.public_key(), &bad).is_err());
    }

    #[test]
    fn unknown_critical_extensions_are_refused() {
        let ca = TestCa::generate_with(KeySpec::EcP256, "ezla test CA", now(), 10).expect("ca");
        let subject = Name::builder().common_name("x").build().expect("name");
        for (critical, ok) in [(false, true), (true, false)] {
            let der = sign_tbs(
                &ca.key,
                ca.certificate.subject(),
                &subject,
                ca.key.public_key(),
                now(),
                now() + Duration::days(1),
                &[extension(o("1.2.3.4.5"), critical, &[5, 0])],
            )
            .expect("tbs");
            match Certificate::from_der(&der) {
                Ok(c) => {
                    assert!(ok);
                    assert_eq!(c.extensions()[0].name, None);
                }
                Err(e) => {
                    assert!(!ok);
                    assert_eq!(e.code(), ErrorCode::UnknownCriticalExtension);
                    assert!(e.to_string().contains("1.2.3.4.5"), "{e}");
                    assert!(e.to_string().contains("CN=x"), "{e}");
                }
            }
        }
    }

    #[test]
    fn time_encoding() {
        assert_eq!(
            time(datetime!(2026-11-24 10:20:30 UTC)).expect("utc"),
            tlv(0x17, b"261124102030Z")
        );
        assert_eq!(
            time(datetime!(2050-01-01 00:00 UTC)).expect("gen"),
            tlv(0x18, b"20500101000000Z")
        );
        assert_eq!(
            time(datetime!(1949-12-31 23:59:59 UTC)).expect("gen"),
            tlv(0x18, b"19491231235959Z")
        );
        assert_eq!(
            plus_years(datetime!(2024-02-29 12:00 UTC), 5),
            datetime!(2029-02-28 12:00 UTC)
        );
    }
}
