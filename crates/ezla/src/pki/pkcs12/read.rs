//! Reading PKCS#12 files; see the [module documentation](super) for the rules.

use der::asn1::{AnyRef, OctetStringRef};
use der::{Decode, ErrorKind};
use hmac::{KeyInit, Mac};
use zeroize::Zeroizing;

use super::asn1::{
    self, BagAttributes, CertBag, ContentInfo, EncryptedData, EncryptedPrivateKeyInfo, MacData,
    Pfx, SafeBag,
};
use super::ber;
use super::{
    CertificateEntry, EncryptionInfo, KeyEntry, MacInfo, Pkcs12, Pkcs12Info, Pkcs12Options,
    SkippedBag,
};
use crate::crypto::{DigestAlgorithm, PrivateKey, oid_with_name};
use crate::error::{FormatError, KeyError};
use crate::pki::Certificate;
use crate::pki::pbe::kdf::{self, Purpose};
use crate::pki::pbe::scheme::{DecryptFailure, Scheme, count};
use crate::pki::pbe::{Candidate, candidates};
use crate::{Error, Result};

/// How deep `safeContentsBag`s may nest.
const MAX_NESTING: usize = 4;

fn corrupt(detail: impl Into<String>) -> Error {
    Error::Key(KeyError::Pkcs12Corrupt {
        detail: detail.into(),
    })
}

/// A `der` error in `context`, worded for people (truncation is the common case).
fn corrupt_der(context: &str, e: der::Error) -> Error {
    match e.kind() {
        ErrorKind::Incomplete { .. } => corrupt(format!("{context}: the data is truncated ({e})")),
        _ => corrupt(format!("{context}: {e}")),
    }
}

fn corrupt_ber(context: &str, e: ber::BerError) -> Error {
    corrupt(format!("{context}: {e}"))
}

/// Tracks the iteration budget of one file.
struct Budget<'o> {
    options: &'o Pkcs12Options,
    spent: u64,
}

impl Budget<'_> {
    /// Refuses a derivation above the per-derivation cap, before any work.
    fn check(&self, what: &'static str, iterations: u64) -> Result<()> {
        if iterations > self.options.max_iterations {
            return Err(Error::Key(KeyError::IterationLimitExceeded {
                what,
                iterations,
                limit: self.options.max_iterations,
            }));
        }
        Ok(())
    }

    /// Accounts for a derivation about to run.
    fn charge(&mut self, iterations: u64) -> Result<()> {
        self.spent = self.spent.saturating_add(iterations);
        if self.spent > self.options.max_total_iterations {
            return Err(Error::Key(KeyError::IterationLimitExceeded {
                what: "the file as a whole (all derivations together)",
                iterations: self.spent,
                limit: self.options.max_total_iterations,
            }));
        }
        Ok(())
    }
}

/// A bag, read but not yet decrypted.
enum Bag {
    Key {
        pkcs8: Zeroizing<Vec<u8>>,
        attributes: BagAttributes,
    },
    Shrouded {
        scheme: Scheme,
        data: Vec<u8>,
        attributes: BagAttributes,
    },
    Cert {
        der: Vec<u8>,
        attributes: BagAttributes,
    },
    Skipped(SkippedBag),
}

/// A top-level `ContentInfo` of the authenticated safe.
enum Container {
    Plain(Vec<Bag>),
    Encrypted {
        scheme: Scheme,
        ciphertext: Vec<u8>,
        /// Decrypted SafeContents, once known.
        plaintext: Option<Zeroizing<Vec<u8>>>,
    },
}

pub(super) fn parse(
    data: &[u8],
    password: Option<&str>,
    options: &Pkcs12Options,
) -> Result<Pkcs12> {
    if data.len() > options.max_size {
        return Err(corrupt(format!(
            "the file has {} bytes, more than the limit of {}",
            data.len(),
            options.max_size
        )));
    }
    // 1. Structure.
    let outer = ber::to_der(data).map_err(|e| corrupt_ber("not a PKCS#12 (DER/BER) file", e))?;
    let pfx = Pfx::from_der(&outer).map_err(|e| corrupt_der("PFX structure", e))?;
    let version = count(pfx.version);
    if version != 3 {
        return Err(Error::Format(FormatError::Unsupported {
            what: "PKCS#12 version",
            name: version.to_string(),
        }));
    }
    if pfx.auth_safe.content_type == asn1::ID_SIGNED_DATA {
        return Err(Error::Format(FormatError::Unsupported {
            what: "PKCS#12 integrity mode",
            name: "public-key integrity (signedData)".into(),
        }));
    }
    if pfx.auth_safe.content_type != asn1::ID_DATA {
        return Err(corrupt(format!(
            "authSafe has content type {}",
            oid_with_name(&pfx.auth_safe.content_type)
        )));
    }
    let auth_octets = pfx
        .auth_safe
        .content
        .ok_or_else(|| corrupt("authSafe has no content"))?
        .decode_as::<&OctetStringRef>()
        .map_err(|e| corrupt_der("authSafe content", e))?
        .as_bytes();
    let auth_der = ber::to_der(auth_octets).map_err(|e| corrupt_ber("authenticated safe", e))?;
    let auth_any = AnyRef::from_der(&auth_der).map_err(|e| corrupt_der("authenticated safe", e))?;
    let infos: Vec<ContentInfo<'_>> =
        asn1::sequence_of(auth_any).map_err(|e| corrupt_der("authenticated safe", e))?;
    let mut containers = Vec::with_capacity(infos.len());
    for info in &infos {
        containers.push(read_container(info)?);
    }

    // 2. Algorithms and iteration counts, before any derivation.
    let mut budget = Budget { options, spent: 0 };
    let mac = pfx.mac_data.as_ref().map(read_mac).transpose()?;
    if let Some(m) = &mac {
        budget.check("MAC", m.iterations)?;
    }
    let mut encryptions = Vec::new();
    for c in &containers {
        match c {
            Container::Encrypted { scheme, .. } => {
                budget.check("encrypted container", scheme.iterations())?;
                encryptions.push(encryption_info("encrypted container", scheme));
            }
            Container::Plain(bags) => check_bags(bags, &budget, &mut encryptions)?,
        }
    }

    // 3. Integrity and the password form. Without a MAC there is no integrity to check, and
    // (when nothing is encrypted) no password either: refused unless the caller accepts it.
    if mac.is_none() && !options.allow_unprotected {
        return Err(unprotected(&containers));
    }
    let cands = candidates(password);
    let chosen = match &mac {
        Some(m) => {
            let mut chosen = None;
            for (i, cand) in cands.iter().enumerate() {
                budget.charge(m.iterations)?;
                if m.verify(cand, auth_octets) {
                    chosen = Some(i);
                    break;
                }
            }
            match chosen {
                Some(i) => i,
                None => {
                    // Wrong password or altered file? Decrypt something with the password.
                    if probe(&mut containers, &cands, &mut budget)?.is_some() {
                        return Err(Error::Key(KeyError::MacMismatch));
                    }
                    return Err(Error::Key(KeyError::BadPassword {
                        what: "the PKCS#12 file",
                    }));
                }
            }
        }
        None => {
            if has_encryption(&containers) {
                probe(&mut containers, &cands, &mut budget)?.ok_or(Error::Key(
                    KeyError::BadPassword {
                        what: "the PKCS#12 file",
                    },
                ))?
            } else {
                0
            }
        }
    };
    // The chosen form first, then the others.
    let mut order: Vec<&Candidate> = vec![&cands[chosen]];
    order.extend(
        cands
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != chosen)
            .map(|(_, c)| c),
    );

    // 4. Decrypt and collect.
    let mut out = Pkcs12 {
        keys: Vec::new(),
        certificates: Vec::new(),
        skipped: Vec::new(),
        info: Pkcs12Info {
            mac: mac.map(|m| MacInfo {
                digest: m.digest,
                iterations: m.iterations,
            }),
            encryptions,
            password_form: cands[chosen].form,
        },
    };
    for container in containers {
        let bags = match container {
            Container::Plain(bags) => bags,
            Container::Encrypted {
                scheme,
                ciphertext,
                plaintext,
            } => {
                let plaintext = match plaintext {
                    Some(p) => p,
                    None => decrypt(
                        &scheme,
                        &ciphertext,
                        &order,
                        &mut budget,
                        "an encrypted container of the PKCS#12 file",
                        is_safe_contents,
                    )?,
                };
                let bags = read_safe_contents(&plaintext, 0)?;
                check_bags(&bags, &budget, &mut out.info.encryptions)?;
                bags
            }
        };
        collect(bags, &order, &mut budget, &mut out)?;
    }
    Ok(out)
}

/// The refusal of a file without a MAC, saying why it matters for this file.
fn unprotected(containers: &[Container]) -> Error {
    let password = if has_encryption(containers) {
        "the password was checked only by decrypting, not against a MAC"
    } else {
        "nothing in it is encrypted either, so any password at all would open it"
    };
    Error::Key(KeyError::Pkcs12Unprotected {
        detail: format!(
            "the file has no MAC, so it could have been altered (a key or certificate \
             swapped) without anyone noticing, and {password}; pass --allow-unprotected-pfx \
             (API: allow_unprotected) to accept it anyway"
        ),
    })
}

fn encryption_info(protects: &'static str, scheme: &Scheme) -> EncryptionInfo {
    EncryptionInfo {
        protects,
        algorithm: scheme.name(),
        iterations: scheme.iterations(),
        legacy: scheme.is_legacy(),
    }
}

fn check_bags(
    bags: &[Bag],
    budget: &Budget<'_>,
    encryptions: &mut Vec<EncryptionInfo>,
) -> Result<()> {
    for bag in bags {
        if let Bag::Shrouded { scheme, .. } = bag {
            budget.check("private key bag", scheme.iterations())?;
            encryptions.push(encryption_info("private key", scheme));
        }
    }
    Ok(())
}

fn has_encryption(containers: &[Container]) -> bool {
    containers.iter().any(|c| match c {
        Container::Encrypted { .. } => true,
        Container::Plain(bags) => bags.iter().any(|b| matches!(b, Bag::Shrouded { .. })),
    })
}

/// The parsed MAC parameters.
struct MacParams<'a> {
    digest: DigestAlgorithm,
    iterations: u64,
    salt: &'a [u8],
    value: &'a [u8],
}

fn read_mac<'a>(m: &MacData<'a>) -> Result<MacParams<'a>> {
    let oid = m.mac.algorithm.oid;
    let digest = DigestAlgorithm::from_oid(&oid).ok_or_else(|| {
        Error::Format(FormatError::Unsupported {
            what: "PKCS#12 MAC algorithm",
            name: if oid.to_string() == "1.2.840.113549.1.5.14" {
                format!("{oid} (PBMAC1)")
            } else {
                oid_with_name(&oid)
            },
        })
    })?;
    let value = m.mac.digest.as_bytes();
    if value.len() != digest.output_len() {
        return Err(corrupt(format!(
            "a {}-byte {} MAC",
            value.len(),
            digest.name()
        )));
    }
    let iterations = m.iterations.map(count).unwrap_or(1);
    if iterations == 0 {
        return Err(corrupt("a MAC iteration count of 0"));
    }
    Ok(MacParams {
        digest,
        iterations,
        salt: m.mac_salt.as_bytes(),
        value,
    })
}

impl MacParams<'_> {
    fn verify(&self, password: &Candidate, data: &[u8]) -> bool {
        let iterations = u32::try_from(self.iterations).unwrap_or(u32::MAX);
        let key = kdf::derive(
            self.digest,
            &password.bmp,
            self.salt,
            Purpose::Mac,
            iterations,
            self.digest.output_len(),
        );
        match self.digest {
            DigestAlgorithm::Sha1 => hmac_verify::<sha1::Sha1>(&key, data, self.value),
            DigestAlgorithm::Sha224 => hmac_verify::<sha2::Sha224>(&key, data, self.value),
            DigestAlgorithm::Sha256 => hmac_verify::<sha2::Sha256>(&key, data, self.value),
            DigestAlgorithm::Sha384 => hmac_verify::<sha2::Sha384>(&key, data, self.value),
            DigestAlgorithm::Sha512 => hmac_verify::<sha2::Sha512>(&key, data, self.value),
        }
    }
}

/// Constant-time HMAC check.
fn hmac_verify<D: hmac::EagerHash>(key: &[u8], data: &[u8], expected: &[u8]) -> bool
where
    hmac::Hmac<D>: KeyInit + Mac,
{
    match <hmac::Hmac<D> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            Mac::update(&mut mac, data);
            mac.verify_slice(expected).is_ok()
        }
        Err(_) => false,
    }
}

/// Computes an HMAC (for the writer).
pub(super) fn hmac_sign(digest: DigestAlgorithm, key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    fn run<D: hmac::EagerHash>(key: &[u8], data: &[u8]) -> Result<Vec<u8>>
    where
        hmac::Hmac<D>: KeyInit + Mac,
    {
        let mut mac = <hmac::Hmac<D> as KeyInit>::new_from_slice(key)
            .map_err(|e| Error::internal(format!("HMAC key: {e}")))?;
        Mac::update(&mut mac, data);
        Ok(mac.finalize().into_bytes().to_vec())
    }
    match digest {
        DigestAlgorithm::Sha1 => run::<sha1::Sha1>(key, data),
        DigestAlgorithm::Sha224 => run::<sha2::Sha224>(key, data),
        DigestAlgorithm::Sha256 => run::<sha2::Sha256>(key, data),
        DigestAlgorithm::Sha384 => run::<sha2::Sha384>(key, data),
        DigestAlgorithm::Sha512 => run::<sha2::Sha512>(key, data),
    }
}

fn read_container(info: &ContentInfo<'_>) -> Result<Container> {
    let content = info
        .content
        .ok_or_else(|| corrupt("a ContentInfo without content"))?;
    match info.content_type {
        asn1::ID_DATA => {
            let octets = content
                .decode_as::<&OctetStringRef>()
                .map_err(|e| corrupt_der("data container", e))?;
            let der =
                ber::to_der(octets.as_bytes()).map_err(|e| corrupt_ber("data container", e))?;
            Ok(Container::Plain(read_safe_contents(&der, 0)?))
        }
        asn1::ID_ENCRYPTED_DATA => {
            let ed = EncryptedData::parse(content)
                .map_err(|e| corrupt_der("encryptedData container", e))?;
            let scheme = Scheme::parse(&ed.algorithm, &|d| {
                corrupt(format!("encryptedData container: {d}"))
            })?;
            Ok(Container::Encrypted {
                scheme,
                ciphertext: ed.content,
                plaintext: None,
            })
        }
        asn1::ID_ENVELOPED_DATA => Err(Error::Format(FormatError::Unsupported {
            what: "PKCS#12 privacy mode",
            name: "public-key encryption (envelopedData)".into(),
        })),
        other => Err(Error::Format(FormatError::Unsupported {
            what: "PKCS#12 content type",
            name: oid_with_name(&other),
        })),
    }
}

/// Reads a DER `SafeContents` (already normalised).
fn read_safe_contents(der: &[u8], depth: usize) -> Result<Vec<Bag>> {
    if depth > MAX_NESTING {
        return Err(corrupt(format!(
            "safe contents nested deeper than {MAX_NESTING} levels"
        )));
    }
    let any = AnyRef::from_der(der).map_err(|e| corrupt_der("safe contents", e))?;
    let bags: Vec<SafeBag<'_>> =
        asn1::sequence_of(any).map_err(|e| corrupt_der("safe contents", e))?;
    let mut out = Vec::with_capacity(bags.len());
    for bag in bags {
        let attributes =
            asn1::attributes(bag.bag_attributes).map_err(|e| corrupt_der("bag attributes", e))?;
        let value = bag.bag_value;
        match bag.bag_id {
            asn1::KEY_BAG => {
                let pkcs8 = Zeroizing::new(
                    der::Encode::to_der(&value).map_err(|e| corrupt_der("key bag", e))?,
                );
                out.push(Bag::Key { pkcs8, attributes });
            }
            asn1::SHROUDED_KEY_BAG => {
                let epki: EncryptedPrivateKeyInfo<'_> = value
                    .decode_as()
                    .map_err(|e| corrupt_der("shrouded key bag", e))?;
                let scheme = Scheme::parse(&epki.algorithm, &|d| {
                    corrupt(format!("shrouded key bag: {d}"))
                })?;
                out.push(Bag::Shrouded {
                    scheme,
                    data: epki.data.as_bytes().to_vec(),
                    attributes,
                });
            }
            asn1::CERT_BAG => {
                let cert: CertBag<'_> = value
                    .decode_as()
                    .map_err(|e| corrupt_der("certificate bag", e))?;
                if cert.cert_id == asn1::X509_CERTIFICATE {
                    out.push(Bag::Cert {
                        der: cert.cert_value.as_bytes().to_vec(),
                        attributes,
                    });
                } else {
                    out.push(Bag::Skipped(SkippedBag {
                        bag_type: asn1::bag_name(&bag.bag_id),
                        reason: format!(
                            "certificate type {} is not X.509",
                            oid_with_name(&cert.cert_id)
                        ),
                        attributes,
                    }));
                }
            }
            asn1::SAFE_CONTENTS_BAG => {
                let inner = der::Encode::to_der(&value)
                    .map_err(|e| corrupt_der("nested safe contents", e))?;
                out.extend(read_safe_contents(&inner, depth + 1)?);
            }
            other => out.push(Bag::Skipped(SkippedBag {
                bag_type: asn1::bag_name(&other),
                reason: match other {
                    asn1::CRL_BAG => "CRLs are not used".into(),
                    asn1::SECRET_BAG => "secret keys are not used".into(),
                    _ => "unknown bag type".into(),
                },
                attributes,
            })),
        }
    }
    Ok(out)
}

/// Decrypts with each password form in turn until one gives well-formed content; fails with
/// `BadPassword` when none does.
fn decrypt(
    scheme: &Scheme,
    data: &[u8],
    order: &[&Candidate],
    budget: &mut Budget<'_>,
    what: &'static str,
    well_formed: fn(&[u8]) -> bool,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut tried: Vec<&[u8]> = Vec::new();
    for cand in order {
        let bytes = scheme.password_bytes(cand);
        if tried.contains(&bytes) {
            continue;
        }
        tried.push(bytes);
        budget.charge(scheme.iterations())?;
        match scheme.decrypt(cand, data) {
            Ok(p) if well_formed(&p) => return Ok(p),
            Ok(_) | Err(DecryptFailure::Padding) => {}
            Err(DecryptFailure::Length) => {
                return Err(corrupt(format!(
                    "{what}: {} bytes of ciphertext is not a whole number of cipher blocks",
                    data.len()
                )));
            }
        }
    }
    Err(Error::Key(KeyError::BadPassword { what }))
}

/// Whether decrypted bytes are a `SafeContents`.
fn is_safe_contents(p: &[u8]) -> bool {
    ber::to_der(p)
        .ok()
        .is_some_and(|d| read_safe_contents(&d, 0).is_ok())
}

/// Whether decrypted bytes are a PKCS#8 `PrivateKeyInfo`.
fn is_private_key_info(p: &[u8]) -> bool {
    ber::to_der(p)
        .ok()
        .is_some_and(|d| pkcs8::PrivateKeyInfoRef::from_der(&d).is_ok())
}

/// Finds a password form that decrypts an encrypted item of the file to well-formed
/// content, trying the items in file order until one does (an altered item does not hide
/// the others). `Ok(None)` when no form opens any item.
fn probe(
    containers: &mut [Container],
    cands: &[Candidate],
    budget: &mut Budget<'_>,
) -> Result<Option<usize>> {
    for container in containers.iter_mut() {
        match container {
            Container::Encrypted {
                scheme,
                ciphertext,
                plaintext,
            } => {
                if let Some((i, p)) =
                    try_forms(scheme, ciphertext, cands, budget, is_safe_contents)?
                {
                    *plaintext = Some(p);
                    return Ok(Some(i));
                }
            }
            Container::Plain(bags) => {
                for bag in bags.iter() {
                    if let Bag::Shrouded { scheme, data, .. } = bag
                        && let Some((i, _)) =
                            try_forms(scheme, data, cands, budget, is_private_key_info)?
                    {
                        return Ok(Some(i));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// The first candidate (index and plaintext) that decrypts `data` to well-formed content.
fn try_forms(
    scheme: &Scheme,
    data: &[u8],
    cands: &[Candidate],
    budget: &mut Budget<'_>,
    well_formed: fn(&[u8]) -> bool,
) -> Result<Option<(usize, Zeroizing<Vec<u8>>)>> {
    for (i, cand) in cands.iter().enumerate() {
        budget.charge(scheme.iterations())?;
        match scheme.decrypt(cand, data) {
            Ok(p) if well_formed(&p) => return Ok(Some((i, p))),
            Ok(_) | Err(DecryptFailure::Padding) => {}
            // Impossible ciphertext: this item proves nothing either way.
            Err(DecryptFailure::Length) => return Ok(None),
        }
    }
    Ok(None)
}

/// Turns bags into keys, certificates and skipped entries.
fn collect(
    bags: Vec<Bag>,
    order: &[&Candidate],
    budget: &mut Budget<'_>,
    out: &mut Pkcs12,
) -> Result<()> {
    for bag in bags {
        match bag {
            Bag::Key { pkcs8, attributes } => {
                let der = ber::to_der(&pkcs8).map_err(|e| corrupt_ber("key bag", e))?;
                out.keys.push(KeyEntry {
                    key: PrivateKey::from_pkcs8_der(&der)?,
                    attributes,
                });
            }
            Bag::Shrouded {
                scheme,
                data,
                attributes,
            } => {
                let plain = decrypt(
                    &scheme,
                    &data,
                    order,
                    budget,
                    "a private key in the PKCS#12 file",
                    is_private_key_info,
                )?;
                let der =
                    ber::to_der(&plain).map_err(|e| corrupt_ber("decrypted private key", e))?;
                out.keys.push(KeyEntry {
                    key: PrivateKey::from_pkcs8_der(&der)?,
                    attributes,
                });
            }
            Bag::Cert { der, attributes } => match Certificate::from_der(&der) {
                Ok(certificate) => out.certificates.push(CertificateEntry {
                    certificate,
                    attributes,
                }),
                Err(Error::Format(FormatError::Unsupported { what, name }))
                    if matches!(
                        what,
                        "public key algorithm" | "EC curve" | "EC curve parameters"
                    ) =>
                {
                    out.skipped.push(SkippedBag {
                        bag_type: asn1::bag_name(&asn1::CERT_BAG),
                        reason: format!("unsupported {what}: {name}"),
                        attributes,
                    })
                }
                Err(e) => return Err(e),
            },
            Bag::Skipped(s) => out.skipped.push(s),
        }
    }
    Ok(())
}
