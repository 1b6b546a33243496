//! The seeded test people of the simulated login.gov.pl (all fictitious; the PESELs have
//! valid check digits and match the birth dates).

/// A test person with a Profil Zaufany.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TestUser {
    /// The Profil Zaufany login.
    pub login: &'static str,
    /// The e-mail address, accepted in place of the login.
    pub email: &'static str,
    /// The password.
    pub password: &'static str,
    /// PESEL.
    pub pesel: &'static str,
    /// Given name.
    pub given_name: &'static str,
    /// Family name.
    pub family_name: &'static str,
    /// Birth date (`YYYY-MM-DD`).
    pub birth_date: &'static str,
    /// Whether the profile was ever confirmed (an unconfirmed one cannot log in).
    pub confirmed: bool,
}

/// The password of every seeded user.
pub const TEST_PASSWORD: &str = "Test1234!";

/// The seeded people.
pub const TEST_USERS: &[TestUser] = &[
    TestUser {
        login: "roch.apitz",
        email: "roch.apitz@example.pl",
        password: TEST_PASSWORD,
        pesel: "87022243734",
        given_name: "Roch",
        family_name: "Apitz",
        birth_date: "1987-02-22",
        confirmed: true,
    },
    TestUser {
        login: "anna.nowak",
        email: "anna.nowak@example.pl",
        password: TEST_PASSWORD,
        pesel: "90031512485",
        given_name: "Anna",
        family_name: "Nowak",
        birth_date: "1990-03-15",
        confirmed: true,
    },
    TestUser {
        login: "aleksandra.wisniewska",
        email: "aleksandra.wisniewska@example.pl",
        password: TEST_PASSWORD,
        pesel: "01270421869",
        given_name: "Aleksandra",
        family_name: "Wiśniewska",
        birth_date: "2001-07-04",
        confirmed: true,
    },
    // A doctor: the seed's doctor with NPWZ 5425740 (`data/seed.json`), who may apply for a
    // certificate on the simulated PUE (`/pue/`). The other confirmed people are not
    // doctors and are told so there.
    TestUser {
        login: "lekarz.nowak",
        email: "lekarz.nowak@example.pl",
        password: TEST_PASSWORD,
        pesel: "02271409867",
        given_name: "Anna",
        family_name: "Nowak",
        birth_date: "2002-07-14",
        confirmed: true,
    },
    TestUser {
        login: "piotr.zielinski",
        email: "piotr.zielinski@example.pl",
        password: TEST_PASSWORD,
        pesel: "75113035713",
        given_name: "Piotr",
        family_name: "Zieliński",
        birth_date: "1975-11-30",
        confirmed: false,
    },
];

/// The banks offered for a bank login, `(id, name)`; the id is also the
/// `AuthenticatingAuthority`.
pub const BANKS: &[(&str, &str)] = &[
    ("pkobp", "PKO Bank Polski"),
    ("pekao", "Bank Pekao"),
    ("mbank", "mBank"),
    ("ing", "ING Bank Śląski"),
    ("santander", "Santander Bank Polska"),
];

/// The user with this login or e-mail (case-insensitive).
pub fn find(login_or_email: &str) -> Option<&'static TestUser> {
    let wanted = login_or_email.trim();
    TEST_USERS
        .iter()
        .find(|u| u.login.eq_ignore_ascii_case(wanted) || u.email.eq_ignore_ascii_case(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_pesels_are_valid_and_match_the_birth_dates() {
        for u in TEST_USERS {
            let pesel = ezla::pl::Pesel::parse(u.pesel).expect(u.pesel);
            assert_eq!(pesel.birth_date().to_string(), u.birth_date, "{}", u.login);
        }
        assert!(TEST_USERS.iter().any(|u| !u.confirmed));
    }
}
