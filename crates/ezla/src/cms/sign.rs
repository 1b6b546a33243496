//! Writing a CAdES-BES `SignedData` (RFC 5652 §5, ETSI EN 319 122-1 baseline B-B): the
//! structure is assembled with the DER writers of [`crate::pki::encode`], so its layout reads
//! like the ASN.1 it encodes.

use std::io::Read;

use const_oid::db::{rfc5911, rfc5912};
use time::OffsetDateTime;

use crate::crypto::{DigestAlgorithm, KeyKind, SignatureAlgorithm, Signer, ecdsa_fixed_to_der};
use crate::error::{Error, KeyError, Result};
use crate::pki::Certificate;
use crate::pki::encode::{octets, oid, seq, set_of, tlv, uint};
use crate::pki::ess;

/// How [`sign`] writes the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignOptions {
    /// The digest of the content and of the signed attributes: SHA-256 (default), SHA-384 or
    /// SHA-512.
    pub digest: DigestAlgorithm,
    /// Leave the content out (a detached signature, `.p7s` beside the file); default: in.
    pub detached: bool,
    /// Put the chain given to [`sign`] into `certificates` besides the signer's own;
    /// default: the signer's certificate only.
    pub include_chain: bool,
    /// The signing time written in the signed attributes; `None` (default): now.
    pub signing_time: Option<OffsetDateTime>,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            digest: DigestAlgorithm::Sha256,
            detached: false,
            include_chain: false,
            signing_time: None,
        }
    }
}

impl SignOptions {
    /// A detached signature (the content is not carried).
    pub fn detached() -> Self {
        SignOptions {
            detached: true,
            ..SignOptions::default()
        }
    }
}

/// Signs `content` with `signer`, whose certificate is `cert`: a DER `ContentInfo` holding
/// a CAdES-BES `SignedData` with the signed attributes content-type, signing-time,
/// message-digest and signing-certificate-v2. `chain` (intermediate certificates) is
/// carried when [`SignOptions::include_chain`] is set.
///
/// Errors: [`crate::ErrorCode::Unsupported`] for a digest other than SHA-256/384/512, [`crate::ErrorCode::KeyCertificateMismatch`] when `cert` is not
/// the signer's, and the signer's own errors.
pub fn sign(
    content: &[u8],
    signer: &dyn Signer,
    cert: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<Vec<u8>> {
    let digest = options.digest.digest(content);
    let econtent = (!options.detached).then_some(content);
    let shape = Shape {
        content_type: rfc5911::ID_DATA,
        certificates: true,
    };
    assemble(&digest, econtent, &shape, signer, cert, chain, options)
}

/// What differs between a CAdES signature and a time-stamp token.
pub(crate) struct Shape {
    /// `eContentType` and the content-type attribute (`id-data`, `id-ct-TSTInfo`).
    pub(crate) content_type: const_oid::ObjectIdentifier,
    /// Whether the certificates are carried (a TSA leaves them out unless `certReq`).
    pub(crate) certificates: bool,
}

/// Signs `content` of type `shape.content_type`, attached: time-stamp tokens (RFC 3161
/// §2.4.2), whose `TSTInfo` is the content.
pub(crate) fn sign_typed(
    content: &[u8],
    shape: &Shape,
    signer: &dyn Signer,
    cert: &Certificate,
    options: &SignOptions,
) -> Result<Vec<u8>> {
    let digest = options.digest.digest(content);
    assemble(&digest, Some(content), shape, signer, cert, &[], options)
}

/// Signs the content read from `reader` as a detached signature, in bounded memory (the
/// content is hashed as it is read, never held): for large files. `options.detached` is
/// implied.
///
/// Errors: as [`sign`], and [`crate::ErrorCode::Io`] when reading fails.
pub fn sign_detached_reader(
    mut reader: impl Read,
    signer: &dyn Signer,
    cert: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<Vec<u8>> {
    let mut hasher = options.digest.hasher();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Error::Io {
                    path: None,
                    source: e,
                });
            }
        };
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finish();
    let shape = Shape {
        content_type: rfc5911::ID_DATA,
        certificates: true,
    };
    assemble(&digest, None, &shape, signer, cert, chain, options)
}

/// The signature algorithm for `signer`'s key with `digest`, refusing what CMS here does not
/// write.
fn algorithm(signer: &dyn Signer, digest: DigestAlgorithm) -> Result<SignatureAlgorithm> {
    if !matches!(
        digest,
        DigestAlgorithm::Sha256 | DigestAlgorithm::Sha384 | DigestAlgorithm::Sha512
    ) {
        return Err(Error::unsupported(
            "CMS digest",
            format!("{} (SHA-256, SHA-384 or SHA-512 expected)", digest.name()),
        ));
    }
    Ok(match signer.key_kind() {
        KeyKind::Rsa { .. } => SignatureAlgorithm::RsaPkcs1v15(digest),
        KeyKind::EcP256 | KeyKind::EcP384 => SignatureAlgorithm::Ecdsa(digest),
    })
}

/// `AlgorithmIdentifier` of a digest, parameters absent (RFC 5754 §2).
pub(crate) fn digest_algorithm_id(digest: DigestAlgorithm) -> Vec<u8> {
    seq(&[&oid(&digest.oid())])
}

/// `AlgorithmIdentifier` of the signature: `rsaEncryption` with NULL parameters (as RFC 5754
/// §3.2 and openssl write it) or `ecdsa-with-SHA*` without parameters.
fn signature_algorithm_id(algorithm: SignatureAlgorithm) -> Vec<u8> {
    const NULL: [u8; 2] = [0x05, 0x00];
    match algorithm {
        SignatureAlgorithm::RsaPkcs1v15(_) => seq(&[&oid(&rfc5912::RSA_ENCRYPTION), &NULL]),
        SignatureAlgorithm::Ecdsa(d) => {
            let id = match d {
                DigestAlgorithm::Sha384 => rfc5912::ECDSA_WITH_SHA_384,
                DigestAlgorithm::Sha512 => rfc5912::ECDSA_WITH_SHA_512,
                _ => rfc5912::ECDSA_WITH_SHA_256,
            };
            seq(&[&oid(&id)])
        }
    }
}

/// `Attribute ::= SEQUENCE { attrType, attrValues SET OF }` with one value.
fn attribute(kind: &const_oid::ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    seq(&[&oid(kind), &set_of(&[value])])
}

/// `Time`: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5652 §11.3).
pub(crate) fn time_der(t: OffsetDateTime) -> Vec<u8> {
    let t = t.to_offset(time::UtcOffset::UTC);
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    if (1950..2050).contains(&t.year()) {
        tlv(
            0x17,
            format!("{:02}{rest}", t.year().rem_euclid(100)).as_bytes(),
        )
    } else {
        tlv(0x18, format!("{:04}{rest}", t.year()).as_bytes())
    }
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }` naming `cert`:
/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial }`
/// (RFC 5035 §3), the hash algorithm left out when it is the default.
pub(crate) fn signing_certificate_v2(cert: &Certificate, digest: DigestAlgorithm) -> Vec<u8> {
    let hash = octets(&cert.fingerprint(digest));
    let issuer_serial = ess::issuer_serial(cert);
    let id = if digest == DigestAlgorithm::Sha256 {
        seq(&[&hash, &issuer_serial])
    } else {
        seq(&[&digest_algorithm_id(digest), &hash, &issuer_serial])
    };
    seq(&[&seq(&[&id])])
}

fn assemble(
    digest: &[u8],
    econtent: Option<&[u8]>,
    shape: &Shape,
    signer: &dyn Signer,
    cert: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<Vec<u8>> {
    if signer.public_key() != cert.public_key() {
        return Err(Error::Key(KeyError::CertificateMismatch {
            subject: cert.subject().to_rfc4514(),
        }));
    }
    let algorithm = algorithm(signer, options.digest)?;
    let at = options.signing_time.unwrap_or_else(OffsetDateTime::now_utc);
    let attrs = [
        attribute(&rfc5911::ID_CONTENT_TYPE, &oid(&shape.content_type)),
        attribute(&rfc5911::ID_SIGNING_TIME, &time_der(at)),
        attribute(&rfc5911::ID_MESSAGE_DIGEST, &octets(digest)),
        attribute(
            &rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
            &signing_certificate_v2(cert, options.digest),
        ),
    ];
    let parts: Vec<&[u8]> = attrs.iter().map(Vec::as_slice).collect();
    // What is signed is the DER of the SET OF (RFC 5652 §5.4); the SignerInfo carries the
    // same octets under the [0] IMPLICIT tag.
    let signed_attrs = set_of(&parts);
    let mut signature = signer.sign(algorithm, &signed_attrs)?;
    if matches!(algorithm, SignatureAlgorithm::Ecdsa(_)) {
        signature = ecdsa_fixed_to_der(&signature)?;
    }
    let mut implicit_attrs = signed_attrs;
    implicit_attrs[0] = 0xa0;

    let sid = seq(&[cert.issuer().to_der(), &tlv(0x02, cert.serial_bytes())]);
    let signer_info = seq(&[
        &uint(1),
        &sid,
        &digest_algorithm_id(options.digest),
        &implicit_attrs,
        &signature_algorithm_id(algorithm),
        &octets(&signature),
    ]);
    let mut certs: Vec<&[u8]> = vec![cert.to_der()];
    if options.include_chain {
        certs.extend(chain.iter().map(Certificate::to_der));
    }
    // certificates [0] IMPLICIT CertificateSet (a SET OF: sorted for DER).
    certs.sort();
    // SignedData version 3 when the content is not id-data (RFC 5652 §5.1).
    let version = if shape.content_type == rfc5911::ID_DATA {
        1
    } else {
        3
    };
    let before = [
        uint(version),
        set_of(&[&digest_algorithm_id(options.digest)]),
    ];
    let mut after = Vec::with_capacity(2);
    if shape.certificates {
        after.push(tlv(0xa0, &certs.concat()));
    }
    after.push(set_of(&[&signer_info]));
    // The content may be large (a scanned PDF): the structure around it is measured first
    // and the content copied once, into the output, rather than at each nesting level.
    //   ContentInfo SEQ { OID, [0] { SignedData SEQ { before, encap SEQ { OID, [0] {
    //   OCTET STRING content } }, after } } }
    let data_oid = oid(&shape.content_type);
    let content_len = econtent.map_or(0, <[u8]>::len);
    let octets_len = econtent.map_or(0, |_| header_len(content_len) + content_len);
    let econtent_len = econtent.map_or(0, |_| header_len(octets_len) + octets_len);
    let encap_body = data_oid.len() + econtent_len;
    let encap_len = header_len(encap_body) + encap_body;
    let sd_body: usize = before.iter().chain(&after).map(Vec::len).sum::<usize>() + encap_len;
    let sd_len = header_len(sd_body) + sd_body;
    let signed_data_oid = oid(&rfc5911::ID_SIGNED_DATA);
    let info_body = signed_data_oid.len() + header_len(sd_len) + sd_len;
    let mut out = Vec::with_capacity(header_len(info_body) + info_body);
    push_header(&mut out, 0x30, info_body);
    out.extend_from_slice(&signed_data_oid);
    push_header(&mut out, 0xa0, sd_len);
    push_header(&mut out, 0x30, sd_body);
    for part in &before {
        out.extend_from_slice(part);
    }
    push_header(&mut out, 0x30, encap_body);
    out.extend_from_slice(&data_oid);
    if let Some(c) = econtent {
        push_header(&mut out, 0xa0, octets_len);
        push_header(&mut out, 0x04, content_len);
        out.extend_from_slice(c);
    }
    for part in &after {
        out.extend_from_slice(part);
    }
    Ok(out)
}

/// The length of a DER tag-and-length header for `len` content bytes (one-byte tag).
fn header_len(len: usize) -> usize {
    let mut v = Vec::new();
    crate::pki::encode::push_len(&mut v, len);
    1 + v.len()
}

/// Appends a one-byte tag and a DER length.
fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    crate::pki::encode::push_len(out, len);
}

/// PEM (`-----BEGIN CMS-----`, as `openssl cms -outform PEM` writes) of a DER signature.
pub fn to_pem(der: &[u8]) -> String {
    crate::pki::pem::encode("CMS", der)
}

/// A signature as read from a file: PEM (`CMS` or `PKCS7` block, as openssl writes them)
/// decoded to DER, or DER returned as it is.
///
/// Errors: [`crate::ErrorCode::PemMalformed`] for broken PEM or PEM without such a block.
pub fn from_pem_or_der(input: &[u8]) -> Result<Vec<u8>> {
    if !crate::pki::pem::is_pem(input) {
        return Ok(input.to_vec());
    }
    crate::pki::pem::decode_all(input, "CMS signature")?
        .into_iter()
        .find(|b| b.label == "CMS" || b.label == "PKCS7")
        .map(|b| b.der.to_vec())
        .ok_or_else(|| {
            Error::malformed(
                crate::error::Format::Pem,
                "CMS signature",
                "no CMS or PKCS7 block",
            )
        })
}
