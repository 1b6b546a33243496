//! The PKCS#12 key derivation function (RFC 7292 Appendix B.2).
//!
//! Used for the MAC key of every PKCS#12 file and for the keys and IVs of the legacy
//! `pbeWithSHAAnd…` encryption schemes. The password is the BMPString form (UTF-16BE with a
//! terminating `00 00`; empty for an *absent* password), see [`super::PasswordForm`].

use hmac::digest::block_api::BlockSizeUser;
use hmac::digest::{Digest, FixedOutputReset, Output};
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::DigestAlgorithm;

/// What the derived bytes are for (the diversifier `ID` of RFC 7292 B.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// ID 1: encryption key.
    Key = 1,
    /// ID 2: initialisation vector.
    Iv = 2,
    /// ID 3: MAC key.
    Mac = 3,
}

/// Derives `len` bytes with the PKCS#12 KDF over `digest`.
pub(crate) fn derive(
    digest: DigestAlgorithm,
    password: &[u8],
    salt: &[u8],
    purpose: Purpose,
    iterations: u32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    match digest {
        DigestAlgorithm::Sha1 => {
            derive_with::<sha1::Sha1>(password, salt, purpose, iterations, len)
        }
        DigestAlgorithm::Sha224 => {
            derive_with::<sha2::Sha224>(password, salt, purpose, iterations, len)
        }
        DigestAlgorithm::Sha256 => {
            derive_with::<sha2::Sha256>(password, salt, purpose, iterations, len)
        }
        DigestAlgorithm::Sha384 => {
            derive_with::<sha2::Sha384>(password, salt, purpose, iterations, len)
        }
        DigestAlgorithm::Sha512 => {
            derive_with::<sha2::Sha512>(password, salt, purpose, iterations, len)
        }
    }
}

fn derive_with<D>(
    password: &[u8],
    salt: &[u8],
    purpose: Purpose,
    iterations: u32,
    len: usize,
) -> Zeroizing<Vec<u8>>
where
    D: Digest + FixedOutputReset + BlockSizeUser,
{
    let v = <D as BlockSizeUser>::block_size();
    let u = <D as Digest>::output_size();
    let fill = |src: &[u8]| -> Zeroizing<Vec<u8>> {
        let n = v * src.len().div_ceil(v);
        Zeroizing::new(src.iter().copied().cycle().take(n).collect())
    };
    let diversifier = vec![purpose as u8; v];
    // I = S ‖ P, each repeated to a multiple of v bytes.
    let mut i_block = fill(salt);
    i_block.extend_from_slice(&fill(password));

    let mut out = Zeroizing::new(Vec::with_capacity(len));
    let mut hasher = D::new();
    let mut a: Output<D> = Output::<D>::default();
    let mut b = Zeroizing::new(vec![0u8; v]);
    loop {
        // A = H^c(D ‖ I): one block per iteration after the first, no allocation.
        Digest::update(&mut hasher, &diversifier);
        Digest::update(&mut hasher, &i_block[..]);
        Digest::finalize_into_reset(&mut hasher, &mut a);
        for _ in 1..iterations {
            Digest::update(&mut hasher, &a);
            Digest::finalize_into_reset(&mut hasher, &mut a);
        }
        let take = u.min(len - out.len());
        out.extend_from_slice(&a[..take]);
        if out.len() == len {
            break;
        }
        // B = A repeated to v bytes; every v-byte block Ij of I becomes (Ij + B + 1) mod 2^8v.
        for (j, byte) in b.iter_mut().enumerate() {
            *byte = a[j % u];
        }
        for chunk in i_block.chunks_exact_mut(v) {
            let mut carry = 1u16;
            for k in (0..v).rev() {
                let sum = u16::from(chunk[k]) + u16::from(b[k]) + carry;
                chunk[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    a.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::hex;

    /// The BMPString form of an ASCII password with its terminating NUL.
    fn bmp(p: &str) -> Vec<u8> {
        let mut v: Vec<u8> = p.encode_utf16().flat_map(u16::to_be_bytes).collect();
        v.extend([0, 0]);
        v
    }

    /// Known answers from the RustCrypto `pkcs12` crate's tests (themselves cross-checked
    /// with OpenSSL's `PKCS12_key_gen_utf8`), and agreement with that implementation.
    #[test]
    fn matches_known_answers_and_the_pkcs12_crate() {
        let salt = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let got = derive(
            DigestAlgorithm::Sha256,
            &bmp("ge@äheim"),
            &salt,
            Purpose::Key,
            100,
            32,
        );
        assert_eq!(
            hex::lower(&got),
            "fae4d4957a3cc781e1180b9d4fb79c1e0c8579b746a3177e5b0768a3118bf863"
        );
        for &digest in DigestAlgorithm::ALL {
            for purpose in [Purpose::Key, Purpose::Iv, Purpose::Mac] {
                for (password, iterations, len) in
                    [("", 1, 20), ("password", 2048, 24), ("ge@äheim", 3, 100)]
                {
                    let ours = derive(digest, &bmp(password), &salt, purpose, iterations, len);
                    let id = match purpose {
                        Purpose::Key => pkcs12::kdf::Pkcs12KeyType::EncryptionKey,
                        Purpose::Iv => pkcs12::kdf::Pkcs12KeyType::Iv,
                        Purpose::Mac => pkcs12::kdf::Pkcs12KeyType::Mac,
                    };
                    let pw = bmp(password);
                    let rounds = i32::try_from(iterations).expect("small");
                    let theirs = match digest {
                        DigestAlgorithm::Sha1 => {
                            pkcs12::kdf::derive_key::<sha1::Sha1>(&pw, &salt, id, rounds, len)
                        }
                        DigestAlgorithm::Sha224 => {
                            pkcs12::kdf::derive_key::<sha2::Sha224>(&pw, &salt, id, rounds, len)
                        }
                        DigestAlgorithm::Sha256 => {
                            pkcs12::kdf::derive_key::<sha2::Sha256>(&pw, &salt, id, rounds, len)
                        }
                        DigestAlgorithm::Sha384 => {
                            pkcs12::kdf::derive_key::<sha2::Sha384>(&pw, &salt, id, rounds, len)
                        }
                        DigestAlgorithm::Sha512 => {
                            pkcs12::kdf::derive_key::<sha2::Sha512>(&pw, &salt, id, rounds, len)
                        }
                    };
                    assert_eq!(*ours, theirs, "{digest:?} {purpose:?} {password:?}");
                }
            }
        }
        // An absent password is the empty string, not a lone terminator.
        let absent = derive(DigestAlgorithm::Sha1, &[], &salt, Purpose::Mac, 1, 20);
        let empty = derive(DigestAlgorithm::Sha1, &bmp(""), &salt, Purpose::Mac, 1, 20);
        assert_ne!(absent, empty);
    }
}
