//! Algorithm identifiers (URIs) of XML-DSig and their meaning.

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm};

/// The XML-DSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The XML-DSig 1.1 namespace (`ECKeyValue`, `DEREncodedKeyValue`).
pub const DSIG11_NS: &str = "http://www.w3.org/2009/xmldsig11#";
/// The XPath Filter 2.0 namespace and transform URI.
pub const XPATH_FILTER2: &str = "http://www.w3.org/2002/06/xmldsig-filter2";

/// The enveloped-signature transform.
pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// The XPath filtering transform.
pub const XPATH: &str = "http://www.w3.org/TR/1999/REC-xpath-19991116";
/// The base64 decoding transform.
pub const BASE64: &str = "http://www.w3.org/2000/09/xmldsig#base64";

/// The XPath expression of the Polish XAdES profile: everything but signatures.
pub const XPATH_NOT_SIGNATURE: &str = "not(ancestor-or-self::ds:Signature)";

const DIGESTS: &[(&str, DigestAlgorithm)] = &[
    (
        "http://www.w3.org/2000/09/xmldsig#sha1",
        DigestAlgorithm::Sha1,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#sha224",
        DigestAlgorithm::Sha224,
    ),
    (
        "http://www.w3.org/2001/04/xmlenc#sha256",
        DigestAlgorithm::Sha256,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        DigestAlgorithm::Sha384,
    ),
    (
        "http://www.w3.org/2001/04/xmlenc#sha512",
        DigestAlgorithm::Sha512,
    ),
];

const SIGNATURES: &[(&str, SignatureAlgorithm)] = &[
    (
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha1),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224",
        SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha224),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha384),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha512),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
        SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha1),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224",
        SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha224),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
        SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha384),
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
        SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha512),
    ),
];

/// The `DigestMethod` URI of a digest.
pub fn digest_uri(d: DigestAlgorithm) -> &'static str {
    DIGESTS
        .iter()
        .find(|(_, x)| *x == d)
        .map(|(u, _)| *u)
        .unwrap_or(DIGESTS[2].0)
}

/// The digest a `DigestMethod` URI names.
pub fn digest_from_uri(uri: &str) -> Option<DigestAlgorithm> {
    DIGESTS.iter().find(|(u, _)| *u == uri).map(|(_, d)| *d)
}

/// The `SignatureMethod` URI of a signature algorithm.
pub fn signature_uri(s: SignatureAlgorithm) -> &'static str {
    SIGNATURES
        .iter()
        .find(|(_, x)| *x == s)
        .map(|(u, _)| *u)
        .unwrap_or(SIGNATURES[2].0)
}

/// The signature algorithm a `SignatureMethod` URI names.
pub fn signature_from_uri(uri: &str) -> Option<SignatureAlgorithm> {
    SIGNATURES.iter().find(|(u, _)| *u == uri).map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        for &d in DigestAlgorithm::ALL {
            assert_eq!(digest_from_uri(digest_uri(d)), Some(d));
        }
        for (uri, s) in SIGNATURES {
            assert_eq!(signature_uri(*s), *uri);
            assert_eq!(signature_from_uri(uri), Some(*s));
        }
        assert_eq!(
            signature_from_uri("http://www.w3.org/2000/09/xmldsig#dsa-sha1"),
            None
        );
    }
}
