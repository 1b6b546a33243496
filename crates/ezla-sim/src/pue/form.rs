//! The checks of the certificate application, as a person filling it in expects them: every
//! problem at once, each naming its field.

use serde::Serialize;

/// The shortest certificate password ZUS accepts (ezla-zus.md §9: "at least 4 characters").
pub const MIN_PASSWORD_CHARS: usize = 4;

/// The longest value of any field accepted (a form is not a place for megabytes).
const MAX_FIELD_CHARS: usize = 254;

/// What the person typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplicationForm {
    /// The e-mail address.
    pub email: String,
    /// The mobile number.
    pub phone: String,
    /// The certificate password.
    pub password: String,
    /// The password again.
    pub password2: String,
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field (`email`, `phone`, `password`, `password2`).
    pub field: &'static str,
    /// What is wrong and how to put it right (Polish, as on the page).
    pub message: String,
}

/// A valid application: the e-mail address as typed (trimmed) and the number normalised to
/// `+48` and nine digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidApplication {
    /// The e-mail address.
    pub email: String,
    /// The mobile number, `+48XXXXXXXXX`.
    pub phone: String,
}

/// The strength hints of ZUS's guide the password does not follow yet (letters of both
/// cases, digits, special characters). They are advice, not refusals: ZUS requires only the
/// length.
pub fn password_hints(password: &str) -> Vec<&'static str> {
    let mut hints = Vec::new();
    if !password.chars().any(char::is_lowercase) {
        hints.push("Dodaj małą literę.");
    }
    if !password.chars().any(char::is_uppercase) {
        hints.push("Dodaj wielką literę.");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        hints.push("Dodaj cyfrę.");
    }
    if !password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        hints.push("Dodaj znak specjalny (np. ! @ # %).");
    }
    hints
}

/// Checks an e-mail address: one `@`, a non-empty local part, a domain of at least two
/// non-empty labels of letters, digits and hyphens, no spaces.
pub fn check_email(email: &str) -> Result<String, String> {
    let email = email.trim();
    if email.is_empty() {
        return Err("Podaj adres e-mail.".into());
    }
    if email.chars().count() > MAX_FIELD_CHARS {
        return Err(format!(
            "Adres e-mail może mieć najwyżej {MAX_FIELD_CHARS} znaków."
        ));
    }
    let bad = || {
        Err(format!(
            "„{email}” nie jest adresem e-mail (np. jan.kowalski@example.pl)."
        ))
    };
    let Some((local, domain)) = email.split_once('@') else {
        return bad();
    };
    if local.is_empty()
        || domain.contains('@')
        || local.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return bad();
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return bad();
    }
    Ok(email.to_owned())
}

/// Checks a Polish mobile number: nine digits (spaces and hyphens ignored), optionally
/// after `+48` or `0048`, the first digit 4 to 8 — Polish mobile numbering (45x, 5xx, 6xx,
/// 7xx, 88x) lies there, while landline numbers begin with the area code (1x–9x, such as 22
/// for Warsaw) and cannot receive an SMS.
pub fn check_phone(phone: &str) -> Result<String, String> {
    let typed = phone.trim();
    if typed.is_empty() {
        return Err("Podaj numer telefonu komórkowego.".into());
    }
    let compact: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let national = compact
        .strip_prefix("+48")
        .or_else(|| compact.strip_prefix("0048"))
        .unwrap_or(&compact);
    if !national.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "„{typed}”: numer może zawierać tylko cyfry (i na początku +48)."
        ));
    }
    if national.len() != 9 {
        return Err(format!(
            "„{typed}”: polski numer komórkowy ma 9 cyfr (bez +48), a podano {}.",
            national.len()
        ));
    }
    match national.as_bytes().first() {
        Some(b'4'..=b'8') => Ok(format!("+48{national}")),
        _ => Err(format!(
            "„{typed}” nie jest numerem komórkowym: polskie numery komórkowe zaczynają się \
             od cyfry 4–8 (np. 512 345 678); na numer stacjonarny nie wyślemy SMS."
        )),
    }
}

/// Checks the whole form, reporting every problem at once.
pub fn check_application(form: &ApplicationForm) -> Result<ValidApplication, Vec<FieldError>> {
    let mut errors = Vec::new();
    let email = check_email(&form.email)
        .map_err(|message| {
            errors.push(FieldError {
                field: "email",
                message,
            })
        })
        .ok();
    let phone = check_phone(&form.phone)
        .map_err(|message| {
            errors.push(FieldError {
                field: "phone",
                message,
            })
        })
        .ok();
    let chars = form.password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        errors.push(FieldError {
            field: "password",
            message: format!(
                "Hasło musi mieć co najmniej {MIN_PASSWORD_CHARS} znaki (ma {chars})."
            ),
        });
    } else if chars > MAX_FIELD_CHARS {
        errors.push(FieldError {
            field: "password",
            message: format!("Hasło może mieć najwyżej {MAX_FIELD_CHARS} znaków."),
        });
    }
    if form.password2.is_empty() {
        errors.push(FieldError {
            field: "password2",
            message: "Powtórz hasło.".into(),
        });
    } else if form.password != form.password2 {
        errors.push(FieldError {
            field: "password2",
            message: "Hasła się różnią (sprawdź, czy nie jest włączony Caps Lock).".into(),
        });
    }
    match (email, phone) {
        (Some(email), Some(phone)) if errors.is_empty() => Ok(ValidApplication { email, phone }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_begin_with_4_to_8_and_have_nine_digits() {
        assert_eq!(check_phone("512 345 678").as_deref(), Ok("+48512345678"));
        assert_eq!(
            check_phone("+48 600-100-200").as_deref(),
            Ok("+48600100200")
        );
        assert_eq!(check_phone("0048451234567").as_deref(), Ok("+48451234567"));
        assert_eq!(check_phone("881234567").as_deref(), Ok("+48881234567"));
        for bad in [
            "221234567",
            "912345678",
            "51234567",
            "5123456789",
            "51234567a",
            "",
        ] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
        assert!(
            check_phone("221234567")
                .unwrap_err()
                .contains("stacjonarny")
        );
    }

    #[test]
    fn email_addresses_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(
            check_email(" anna.nowak@example.pl ").as_deref(),
            Ok("anna.nowak@example.pl")
        );
        for bad in [
            "",
            "anna",
            "@example.pl",
            "anna@",
            "anna@pl",
            "a b@x.pl",
            "a@x..pl",
            "a@b@x.pl",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = check_application(&ApplicationForm {
            email: "x".into(),
            phone: "22 123 45 67".into(),
            password: "abc".into(),
            password2: "abd".into(),
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "phone", "password", "password2"]);
        let ok = check_application(&ApplicationForm {
            email: "a@b.pl".into(),
            phone: "+48512345678".into(),
            password: "abcd".into(),
            password2: "abcd".into(),
        })
        .expect("valid");
        assert_eq!(ok.phone, "+48512345678");
    }

    #[test]
    fn hints_name_what_the_password_lacks() {
        assert_eq!(password_hints("Abc1!"), Vec::<&str>::new());
        assert_eq!(password_hints("abcd").len(), 3);
        assert!(password_hints("ABCD1").contains(&"Dodaj małą literę."));
    }
}
