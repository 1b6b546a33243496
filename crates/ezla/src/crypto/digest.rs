//! Message digests.

use const_oid::ObjectIdentifier;
use sha2::Digest as _;

/// A message digest algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-1: accepted only where a named legacy profile needs it.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// Every supported digest.
    pub const ALL: &'static [DigestAlgorithm] = &[
        DigestAlgorithm::Sha1,
        DigestAlgorithm::Sha224,
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
    ];

    /// Length of the digest in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            DigestAlgorithm::Sha1 => 20,
            DigestAlgorithm::Sha224 => 28,
            DigestAlgorithm::Sha256 => 32,
            DigestAlgorithm::Sha384 => 48,
            DigestAlgorithm::Sha512 => 64,
        }
    }

    /// The conventional name (`SHA-256`).
    pub const fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => "SHA-1",
            DigestAlgorithm::Sha224 => "SHA-224",
            DigestAlgorithm::Sha256 => "SHA-256",
            DigestAlgorithm::Sha384 => "SHA-384",
            DigestAlgorithm::Sha512 => "SHA-512",
        }
    }

    /// The algorithm's ASN.1 object identifier.
    pub const fn oid(self) -> ObjectIdentifier {
        match self {
            DigestAlgorithm::Sha1 => const_oid::db::rfc5912::ID_SHA_1,
            DigestAlgorithm::Sha224 => const_oid::db::rfc5912::ID_SHA_224,
            DigestAlgorithm::Sha256 => const_oid::db::rfc5912::ID_SHA_256,
            DigestAlgorithm::Sha384 => const_oid::db::rfc5912::ID_SHA_384,
            DigestAlgorithm::Sha512 => const_oid::db::rfc5912::ID_SHA_512,
        }
    }

    /// The algorithm for an object identifier.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.iter().copied().find(|d| d.oid() == *oid)
    }

    /// Digests `data` in one call.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finish()
    }

    /// An incremental hasher.
    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            DigestAlgorithm::Sha1 => HasherState::Sha1(sha1::Sha1::new()),
            DigestAlgorithm::Sha224 => HasherState::Sha224(sha2::Sha224::new()),
            DigestAlgorithm::Sha256 => HasherState::Sha256(sha2::Sha256::new()),
            DigestAlgorithm::Sha384 => HasherState::Sha384(sha2::Sha384::new()),
            DigestAlgorithm::Sha512 => HasherState::Sha512(sha2::Sha512::new()),
        })
    }
}

/// An incremental digest computation; also a [`std::io::Write`] sink, so canonical XML can be
/// streamed into it without being buffered.
#[derive(Clone)]
pub struct Hasher(HasherState);

#[derive(Clone)]
enum HasherState {
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            HasherState::Sha1(h) => h.update(data),
            HasherState::Sha224(h) => h.update(data),
            HasherState::Sha256(h) => h.update(data),
            HasherState::Sha384(h) => h.update(data),
            HasherState::Sha512(h) => h.update(data),
        }
    }

    /// The algorithm this hasher computes.
    pub fn algorithm(&self) -> DigestAlgorithm {
        match &self.0 {
            HasherState::Sha1(_) => DigestAlgorithm::Sha1,
            HasherState::Sha224(_) => DigestAlgorithm::Sha224,
            HasherState::Sha256(_) => DigestAlgorithm::Sha256,
            HasherState::Sha384(_) => DigestAlgorithm::Sha384,
            HasherState::Sha512(_) => DigestAlgorithm::Sha512,
        }
    }

    /// Completes the digest.
    pub fn finish(self) -> Vec<u8> {
        match self.0 {
            HasherState::Sha1(h) => h.finalize().to_vec(),
            HasherState::Sha224(h) => h.finalize().to_vec(),
            HasherState::Sha256(h) => h.finalize().to_vec(),
            HasherState::Sha384(h) => h.finalize().to_vec(),
            HasherState::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

impl std::io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Hasher").field(&self.algorithm()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::hex;

    #[test]
    fn known_answers_for_abc() {
        let cases = [
            (
                DigestAlgorithm::Sha1,
                "a9993e364706816aba3e25717850c26c9cd0d89d",
            ),
            (
                DigestAlgorithm::Sha224,
                "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            ),
            (
                DigestAlgorithm::Sha256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ];
        for (alg, want) in cases {
            let got = alg.digest(b"abc");
            assert_eq!(hex::lower(&got), want, "{}", alg.name());
            assert_eq!(got.len(), alg.output_len());
        }
        for &alg in DigestAlgorithm::ALL {
            assert_eq!(alg.digest(b"").len(), alg.output_len());
            assert_eq!(DigestAlgorithm::from_oid(&alg.oid()), Some(alg));
        }
    }

    #[test]
    fn incremental_equals_one_shot() {
        let mut h = DigestAlgorithm::Sha384.hasher();
        h.update(b"a");
        h.update(b"bc");
        assert_eq!(h.finish(), DigestAlgorithm::Sha384.digest(b"abc"));
    }
}
