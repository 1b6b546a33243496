//! How a password turns into the bytes PKCS#12 key derivation and PBES2 consume.
//!
//! PKCS#12 has two password forms:
//!
//! * the legacy KDF and the MAC (RFC 7292 App. B) take a BMPString: UTF-16BE with a
//!   terminating `00 00`;
//! * PBES2 (PBKDF2) takes the password's UTF-8 bytes.
//!
//! Two ambiguities make files from different tools need different forms, so ezla tries
//! candidates in a fixed order and remembers the one that matched:
//!
//! * **absent vs empty.** An *absent* password (`None`) is the empty byte string for the KDF;
//!   an *empty* password (`Some("")`) is the BMPString `00 00`. `openssl pkcs12 -passout
//!   pass:` writes the latter, some libraries the former. `None` tries absent then empty;
//!   `Some("")` tries empty then absent — as OpenSSL does.
//! * **non-ASCII passwords.** OpenSSL before 1.1.0 turned each *byte* of the password into a
//!   BMP character. For passwords with characters outside ASCII, ezla tries the correct
//!   UTF-16 form first and that legacy form second, like `openssl pkcs12` does. Characters
//!   outside the BMP are encoded as UTF-16 surrogate pairs.

use zeroize::Zeroizing;

/// One way of encoding the caller's password.
pub(crate) struct Candidate {
    /// For the PKCS#12 KDF (MAC and legacy PBEs).
    pub(crate) bmp: Zeroizing<Vec<u8>>,
    /// For PBES2.
    pub(crate) utf8: Zeroizing<Vec<u8>>,
    /// What this candidate is, for reports.
    pub(crate) form: PasswordForm,
}

/// Which form of the password opened a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PasswordForm {
    /// The password as UTF-16 with a terminator (the standard form).
    Standard,
    /// The empty password as a lone terminator `00 00`.
    Empty,
    /// No password: the empty byte string.
    Absent,
    /// Each UTF-8 byte as one BMP character (OpenSSL before 1.1.0, non-ASCII passwords).
    LegacyBytes,
}

/// The candidates for `password`, most likely first.
pub(crate) fn candidates(password: Option<&str>) -> Vec<Candidate> {
    let absent = || Candidate {
        bmp: Zeroizing::new(Vec::new()),
        utf8: Zeroizing::new(Vec::new()),
        form: PasswordForm::Absent,
    };
    let empty = || Candidate {
        bmp: Zeroizing::new(vec![0, 0]),
        utf8: Zeroizing::new(Vec::new()),
        form: PasswordForm::Empty,
    };
    match password {
        None => vec![absent(), empty()],
        Some("") => vec![empty(), absent()],
        Some(p) => {
            let utf8 = Zeroizing::new(p.as_bytes().to_vec());
            let mut bmp = Zeroizing::new(Vec::with_capacity(2 * p.len() + 2));
            for unit in p.encode_utf16() {
                bmp.extend_from_slice(&unit.to_be_bytes());
            }
            bmp.extend_from_slice(&[0, 0]);
            let mut out = vec![Candidate {
                bmp,
                utf8: utf8.clone(),
                form: PasswordForm::Standard,
            }];
            if !p.is_ascii() {
                let mut legacy = Zeroizing::new(Vec::with_capacity(2 * p.len() + 2));
                for &b in p.as_bytes() {
                    legacy.extend_from_slice(&[0, b]);
                }
                legacy.extend_from_slice(&[0, 0]);
                out.push(Candidate {
                    bmp: legacy,
                    utf8,
                    form: PasswordForm::LegacyBytes,
                });
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let c = candidates(Some("ab"));
        assert_eq!(c.len(), 1);
        assert_eq!(*c[0].bmp, vec![0, b'a', 0, b'b', 0, 0]);
        assert_eq!(*c[0].utf8, b"ab".to_vec());
        let c = candidates(Some("ł"));
        assert_eq!(*c[0].bmp, vec![0x01, 0x42, 0, 0]);
        assert_eq!(*c[1].bmp, vec![0, 0xc5, 0, 0x82, 0, 0]);
        assert_eq!(c[1].form, PasswordForm::LegacyBytes);
        let c = candidates(Some("😀"));
        assert_eq!(*c[0].bmp, vec![0xd8, 0x3d, 0xde, 0x00, 0, 0]);
        let forms = |p| candidates(p).iter().map(|c| c.form).collect::<Vec<_>>();
        assert_eq!(forms(None), [PasswordForm::Absent, PasswordForm::Empty]);
        assert_eq!(forms(Some("")), [PasswordForm::Empty, PasswordForm::Absent]);
    }
}
