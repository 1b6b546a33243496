//! Creating XAdES-BES signatures.

use time::OffsetDateTime;

use super::XADES_NS;
use super::profile::Profile;
use crate::crypto::{DigestAlgorithm, Signer, hex};
use crate::dsig::{self, KeyInfoSpec, ObjectSpec, SignOptions as DsigOptions, digest_uri};
use crate::error::KeyError;
use crate::pki::{Certificate, Identity, ess};
use crate::xml::{Writer, base64, datetime};
use crate::{Error, Result};

/// Which `SigningCertificate` property to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SigningCertificateVersion {
    /// XAdES 1.3.2 `SigningCertificate` with `IssuerSerial` (ZUS's samples).
    #[default]
    V1,
    /// EN 319 132-1 `SigningCertificateV2` with `IssuerSerialV2` (baseline B-B).
    V2,
}

/// How the signature's `Id` attributes are chosen.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum IdMode {
    /// Fresh random Ids (`ID-` and 32 hex digits).
    #[default]
    Random,
    /// Fixed Ids built from a prefix (`<prefix>-Signature`, `<prefix>-SignedProperties`,
    /// ...): with a fixed signing time, output is byte-for-byte reproducible (golden files).
    Deterministic(String),
}

/// Options for [`sign`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SignOptions {
    /// The profile. Default: [`Profile::Zus`].
    pub profile: Profile,
    /// `SigningCertificate` (default) or `SigningCertificateV2`.
    pub signing_certificate: SigningCertificateVersion,
    /// The signing time to write; `None` = now.
    pub signing_time: Option<OffsetDateTime>,
    /// How `Id`s are chosen.
    pub ids: IdMode,
    /// Also put the chain certificates in `KeyInfo`.
    pub include_chain: bool,
    /// Sign a document that already carries a signature (co-signing).
    pub allow_cosigning: bool,
    /// Sign with a certificate that is expired (or not yet valid) at the signing time.
    /// Refused by default.
    pub allow_invalid_certificate: bool,
}

impl SignOptions {
    /// Options with the given profile and defaults otherwise.
    pub fn profile(profile: Profile) -> Self {
        SignOptions {
            profile,
            ..Self::default()
        }
    }

    /// A reproducible signature: fixed signing time and Ids.
    pub fn deterministic(
        mut self,
        signing_time: OffsetDateTime,
        id_prefix: impl Into<String>,
    ) -> Self {
        self.signing_time = Some(signing_time);
        self.ids = IdMode::Deterministic(id_prefix.into());
        self
    }
}

struct Ids {
    signature: String,
    signed_properties: String,
    signature_value: String,
}

fn ids(mode: &IdMode) -> Result<Ids> {
    let base = match mode {
        IdMode::Deterministic(prefix) => {
            let ok = prefix
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !ok {
                return Err(Error::invalid_argument(
                    "ids",
                    format!("`{prefix}` is not usable as an XML Id prefix"),
                ));
            }
            prefix.clone()
        }
        IdMode::Random => {
            let mut bytes = [0u8; 16];
            crate::crypto::random_bytes(&mut bytes)?;
            format!("ID-{}", hex::lower(&bytes))
        }
    };
    Ok(Ids {
        signature: format!("{base}-Signature"),
        signed_properties: format!("{base}-SignedProperties"),
        signature_value: format!("{base}-SignatureValue"),
    })
}

/// Signs `document` (UTF-8 XML) with an enveloped XAdES-BES signature appended as the last
/// child of the document element, and returns the input with the signature spliced in.
///
/// `certificate` is the signer's certificate and must match the signer's key; `chain` lists
/// further certificates for `KeyInfo` when [`SignOptions::include_chain`] is set. The
/// certificate must be valid at the signing time unless
/// [`SignOptions::allow_invalid_certificate`] is set. `signer` may be a software key, a token
/// or a caller's callback.
pub fn sign(
    document: &[u8],
    signer: &dyn Signer,
    certificate: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<Vec<u8>> {
    let cert = certificate;
    if cert.public_key() != signer.public_key() {
        return Err(Error::Key(KeyError::CertificateMismatch {
            subject: cert.subject().to_rfc4514(),
        }));
    }
    let signing_time = options
        .signing_time
        .unwrap_or_else(OffsetDateTime::now_utc)
        .to_offset(time::UtcOffset::UTC);
    if !options.allow_invalid_certificate {
        cert.check_valid_at(signing_time)?;
    }
    let ids = ids(&options.ids)?;
    let mut spec = options
        .profile
        .spec(signer.key_kind(), &ids.signed_properties)?;
    spec.id = Some(ids.signature.clone());
    spec.signature_value_id = Some(ids.signature_value.clone());
    let mut certificates = vec![cert.to_der().to_vec()];
    if options.include_chain {
        certificates.extend(chain.iter().map(|c| c.to_der().to_vec()));
    }
    spec.key_info = KeyInfoSpec {
        certificates,
        key_value: false,
        id: None,
    };
    spec.objects = vec![ObjectSpec {
        id: None,
        content: qualifying_properties(cert, &ids, signing_time, options)?,
    }];
    dsig::sign_enveloped(
        document,
        &spec,
        signer,
        &DsigOptions {
            allow_existing_signatures: options.allow_cosigning,
            ..DsigOptions::default()
        },
    )
}

/// [`sign`] with a signing identity opened from a `.pfx` (its key, certificate and chain).
pub fn sign_with_identity(
    document: &[u8],
    identity: &Identity,
    options: &SignOptions,
) -> Result<Vec<u8>> {
    sign(
        document,
        &identity.key,
        &identity.certificate,
        &identity.chain,
        options,
    )
}

fn qualifying_properties(
    cert: &Certificate,
    ids: &Ids,
    signing_time: OffsetDateTime,
    options: &SignOptions,
) -> Result<String> {
    let digest: DigestAlgorithm = options.profile.digest();
    let mut w = Writer::compact();
    w.start("xades:QualifyingProperties")
        .ns("xades", XADES_NS)
        .attr("Target", &format!("#{}", ids.signature))
        .open();
    w.start("xades:SignedProperties")
        .attr("Id", &ids.signed_properties)
        .open();
    w.open("xades:SignedSignatureProperties");
    w.leaf("xades:SigningTime", &datetime::format(signing_time));
    let cert_digest = |w: &mut Writer| {
        w.open("xades:CertDigest");
        w.start("ds:DigestMethod")
            .attr("Algorithm", digest_uri(digest))
            .empty();
        w.leaf("ds:DigestValue", &base64::encode(&cert.fingerprint(digest)));
        w.end();
    };
    match options.signing_certificate {
        SigningCertificateVersion::V1 => {
            w.open("xades:SigningCertificate");
            w.open("xades:Cert");
            cert_digest(&mut w);
            w.open("xades:IssuerSerial");
            w.leaf("ds:X509IssuerName", &cert.issuer().to_rfc4514());
            w.leaf("ds:X509SerialNumber", &cert.serial_decimal());
            w.end();
        }
        SigningCertificateVersion::V2 => {
            w.open("xades:SigningCertificateV2");
            w.open("xades:Cert");
            cert_digest(&mut w);
            w.leaf(
                "xades:IssuerSerialV2",
                &base64::encode(&issuer_serial_v2(cert)?),
            );
        }
    }
    Ok(w.finish())
}

/// DER of RFC 5035 `IssuerSerial` for the certificate (the content of `IssuerSerialV2`);
/// the encoder lives in [`crate::pki::ess`], shared with CAdES's `ESSCertIDv2`.
pub(crate) fn issuer_serial_v2(cert: &Certificate) -> Result<Vec<u8>> {
    Ok(ess::issuer_serial(cert))
}
