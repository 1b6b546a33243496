//! `ds:KeyInfo`: the certificates and raw keys a signature carries.

use super::algorithms::{DSIG_NS, DSIG11_NS};
use crate::crypto::PublicKey;
use crate::error::Format;
use crate::error::{FormatError, SignatureError};
use crate::xml::Element;
use crate::xml::base64::decode as decode_base64;
use crate::{Error, Result};

/// What a `KeyInfo` element offers.
#[derive(Debug, Default)]
pub(crate) struct KeyInfoContents {
    /// DER certificates from `X509Data/X509Certificate`, in document order.
    pub(crate) certificates: Vec<Vec<u8>>,
    /// Keys from `KeyValue` (RSA, EC) and `DEREncodedKeyValue`.
    pub(crate) keys: Vec<PublicKey>,
    /// Key material present but not usable, with the reason.
    pub(crate) unusable: Vec<Error>,
}

/// The public key of a DER certificate (only the key is decoded; see
/// `pki::x509::public_key_of`).
pub(crate) fn certificate_key(der: &[u8]) -> Result<PublicKey> {
    crate::pki::x509::public_key_of(der).map_err(|e| match e {
        Error::Format(FormatError::Malformed { detail, .. }) => {
            Error::malformed(Format::Der, "X509Certificate", detail)
        }
        other => other,
    })
}

pub(crate) fn parse(key_info: Element<'_, '_>) -> Result<KeyInfoContents> {
    let mut out = KeyInfoContents::default();
    for child in key_info.children() {
        match (child.namespace().unwrap_or(""), child.local_name()) {
            (DSIG_NS, "X509Data") => {
                for item in child.children() {
                    match (item.namespace().unwrap_or(""), item.local_name()) {
                        (DSIG_NS, "X509Certificate") => out
                            .certificates
                            .push(decode_base64("X509Certificate", &item.text())?),
                        (_, name) => out.unusable.push(Error::Format(FormatError::Unsupported {
                            what: "KeyInfo",
                            name: format!(
                                "X509Data/{name} (a reference to a certificate outside the document; ezla resolves no key store)"
                            ),
                        })),
                    }
                }
            }
            (DSIG_NS, "KeyValue") => {
                for value in child.children() {
                    match key_value(value) {
                        Ok(key) => out.keys.push(key),
                        Err(e) => out.unusable.push(e),
                    }
                }
            }
            (DSIG11_NS, "DEREncodedKeyValue") => {
                let der = decode_base64("DEREncodedKeyValue", &child.text())?;
                match PublicKey::from_spki_der(&der) {
                    Ok(key) => out.keys.push(key),
                    Err(e) => out.unusable.push(e),
                }
            }
            (_, name) => out.unusable.push(Error::Format(FormatError::Unsupported {
                what: "KeyInfo",
                name: format!("{name} (ezla resolves no key names or retrieval methods)"),
            })),
        }
    }
    Ok(out)
}

fn key_value(value: Element<'_, '_>) -> Result<PublicKey> {
    match (value.namespace().unwrap_or(""), value.local_name()) {
        (DSIG_NS, "RSAKeyValue") => {
            let part = |name: &str| -> Result<Vec<u8>> {
                let el = value.child(DSIG_NS, name).ok_or_else(|| {
                    Error::Signature(SignatureError::Malformed {
                        detail: format!("RSAKeyValue without {name}"),
                    })
                })?;
                decode_base64(name, &el.text())
            };
            PublicKey::from_rsa_components(&part("Modulus")?, &part("Exponent")?)
        }
        (DSIG11_NS, "ECKeyValue") => {
            let curve = value
                .child(DSIG11_NS, "NamedCurve")
                .and_then(|c| c.attribute("URI"))
                .ok_or_else(|| {
                    Error::Format(FormatError::Unsupported {
                        what: "ECKeyValue",
                        name: "explicit curve parameters (only NamedCurve is supported)".into(),
                    })
                })?;
            let oid = curve.strip_prefix("urn:oid:").unwrap_or(curve);
            let oid = const_oid::ObjectIdentifier::new(oid).map_err(|_| {
                Error::Signature(SignatureError::Malformed {
                    detail: format!("ECKeyValue NamedCurve `{curve}` is not an OID URN"),
                })
            })?;
            let point = value.child(DSIG11_NS, "PublicKey").ok_or_else(|| {
                Error::Signature(SignatureError::Malformed {
                    detail: "ECKeyValue without PublicKey".into(),
                })
            })?;
            PublicKey::from_ec_point(oid, &decode_base64("ECKeyValue/PublicKey", &point.text())?)
        }
        (ns, name) => Err(Error::Format(FormatError::Unsupported {
            what: "KeyValue",
            name: format!("{name} ({ns})"),
        })),
    }
}

impl KeyInfoContents {
    /// The error when no key could be used: an unsupported construct if that is why,
    /// otherwise "no key".
    pub(crate) fn no_key_error(self, what: &str) -> Error {
        let mut unusable = self.unusable;
        if let Some(i) = unusable
            .iter()
            .position(|e| e.code() == crate::ErrorCode::Unsupported)
        {
            return unusable.swap_remove(i);
        }
        Error::Signature(SignatureError::KeyNotFound {
            detail: match unusable.first() {
                Some(e) => format!("{what}: {e}"),
                None => what.to_string(),
            },
        })
    }
}
