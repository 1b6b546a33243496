//! Planning certificates: split a requested incapacity period by the 3-day rule, and issue one
//! pair per payer.
//!
//! A certificate may reach back at most [`DNI_WSTECZ`] days before its issue date without a
//! justification. Clinic software therefore splits a longer request into a *retroactive*
//! certificate (*zaświadczenie wsteczne*: the days before that limit, which needs a
//! justification, `VIII/p3`) and a *current* one (*bieżące*: from the limit on). A person
//! with several payers gets one certificate (one ORYGINAŁ + KOPIA pair) per payer.
//!
//! ```
//! use ezla::kedu::plan::{Rodzaj, podziel_okres};
//! use time::macros::date;
//!
//! // Asked on 10 December for an incapacity since 1 December, until 20 December.
//! let parts = podziel_okres(date!(2026 - 12 - 01), date!(2026 - 12 - 20), date!(2026 - 12 - 10))?;
//! assert_eq!(parts.len(), 2);
//! assert_eq!(parts[0].rodzaj, Rodzaj::Wsteczne);
//! assert_eq!(parts[0].okres.do_, Some(date!(2026 - 12 - 06)));
//! assert_eq!(parts[1].rodzaj, Rodzaj::Biezace);
//! assert_eq!(parts[1].okres.od, Some(date!(2026 - 12 - 07)));
//! # Ok::<(), ezla::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::model::{Okres, Platnik, Zla};
use super::{DNI_WSTECZ, IdDokumentu};
use crate::{Error, Result};

/// Which kind of certificate a part of the period needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rodzaj {
    /// Retroactive (*wsteczne*): starts more than 3 days before the issue date; needs a
    /// justification.
    Wsteczne,
    /// Current (*bieżące*): starts at most 3 days before the issue date.
    Biezace,
}

/// One part of a split period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Czesc {
    /// Retroactive or current.
    pub rodzaj: Rodzaj,
    /// The days this certificate covers.
    pub okres: Okres,
}

/// Splits the incapacity `od`–`do_` requested on `data_wystawienia` into at most two parts:
/// the retroactive days before `data_wystawienia − 3 days`, then the current days.
/// Fails with [`Error::InvalidArgument`] when the period ends before it starts.
pub fn podziel_okres(od: Date, do_: Date, data_wystawienia: Date) -> Result<Vec<Czesc>> {
    if od > do_ {
        return Err(Error::invalid_argument(
            "okres",
            format!("the period ends ({do_}) before it starts ({od})"),
        ));
    }
    let out_of_range = || Error::invalid_argument("data_wystawienia", "date out of range");
    let granica = data_wystawienia
        .checked_sub(Duration::days(DNI_WSTECZ))
        .ok_or_else(out_of_range)?;
    let mut parts = Vec::with_capacity(2);
    if od < granica {
        let last = do_.min(granica.previous_day().ok_or_else(out_of_range)?);
        parts.push(Czesc {
            rodzaj: Rodzaj::Wsteczne,
            okres: Okres::new(od, last),
        });
    }
    if do_ >= granica {
        parts.push(Czesc {
            rodzaj: Rodzaj::Biezace,
            okres: Okres::new(od.max(granica), do_),
        });
    }
    Ok(parts)
}

/// One planned certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Zaplanowane {
    /// Retroactive or current.
    pub rodzaj: Rodzaj,
    /// The certificate, ready for its series, number and identifiers from ZUS.
    pub zla: Zla,
}

/// Plans the certificates for a request: `wzor` is the certificate as requested (its
/// incapacity period and issue date must be set), `platnicy` the payers (empty: the
/// template's own payer). The result has, for each part of the period (retroactive first),
/// one certificate per payer, in the payers' order.
///
/// Each planned certificate has no series, number or identifiers (ZUS reserves them per
/// certificate); the hospital stay is cut to its part; a current part carries no
/// justification, a retroactive part keeps the template's (and fails validation without one).
pub fn zaplanuj(wzor: &Zla, platnicy: &[Platnik]) -> Result<Vec<Zaplanowane>> {
    let okres = wzor
        .niezdolnosc
        .as_ref()
        .and_then(|n| n.okres)
        .and_then(|o| Some((o.od?, o.do_?)))
        .ok_or_else(|| {
            Error::invalid_argument(
                "wzor",
                "the incapacity period (niezdolnosc.okres) is not set",
            )
        })?;
    let issued = wzor
        .wystawienie
        .as_ref()
        .and_then(|w| w.data_wystawienia)
        .ok_or_else(|| {
            Error::invalid_argument(
                "wzor",
                "the issue date (wystawienie.data_wystawienia) is not set",
            )
        })?;
    let own;
    let platnicy = if platnicy.is_empty() {
        own = [wzor.platnik.clone().ok_or_else(|| {
            Error::invalid_argument("platnicy", "no payer given and the template has none")
        })?];
        &own[..]
    } else {
        platnicy
    };
    let mut out = Vec::new();
    for part in podziel_okres(okres.0, okres.1, issued)? {
        for p in platnicy {
            let mut zla = wzor.clone();
            zla.seria_numer = None;
            zla.id_dokumentu = IdDokumentu::default();
            zla.platnik = Some(p.clone());
            if let Some(n) = zla.niezdolnosc.as_mut() {
                n.okres = Some(part.okres);
                n.pobyt_w_szpitalu = n.pobyt_w_szpitalu.and_then(|s| intersect(&s, &part.okres));
            }
            if part.rodzaj == Rodzaj::Biezace
                && let Some(w) = zla.wystawienie.as_mut()
            {
                w.uzasadnienie_wsteczne = None;
            }
            out.push(Zaplanowane {
                rodzaj: part.rodzaj,
                zla,
            });
        }
    }
    Ok(out)
}

fn intersect(a: &Okres, b: &Okres) -> Option<Okres> {
    let od = a.od?.max(b.od?);
    let do_ = a.do_?.min(b.do_?);
    (od <= do_).then(|| Okres::new(od, do_))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::ErrorCode;

    #[test]
    fn split_at_the_three_day_limit() {
        let issued = date!(2026 - 12 - 10);
        // Limit: 7 December. Starting on it needs no split.
        let p = podziel_okres(date!(2026 - 12 - 07), date!(2026 - 12 - 20), issued).expect("ok");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].rodzaj, Rodzaj::Biezace);
        // A day earlier: one retroactive day.
        let p = podziel_okres(date!(2026 - 12 - 06), date!(2026 - 12 - 20), issued).expect("ok");
        assert_eq!(
            p,
            [
                Czesc {
                    rodzaj: Rodzaj::Wsteczne,
                    okres: Okres::new(date!(2026 - 12 - 06), date!(2026 - 12 - 06))
                },
                Czesc {
                    rodzaj: Rodzaj::Biezace,
                    okres: Okres::new(date!(2026 - 12 - 07), date!(2026 - 12 - 20))
                },
            ]
        );
        // Wholly in the past: retroactive only.
        let p = podziel_okres(date!(2026 - 11 - 01), date!(2026 - 11 - 05), issued).expect("ok");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].rodzaj, Rodzaj::Wsteczne);
        assert_eq!(
            p[0].okres,
            Okres::new(date!(2026 - 11 - 01), date!(2026 - 11 - 05))
        );
        let e = podziel_okres(date!(2026 - 12 - 08), date!(2026 - 12 - 07), issued)
            .expect_err("reversed");
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        // The extremes of the date range are refused, not a panic.
        let e = podziel_okres(Date::MIN, Date::MIN, Date::MIN).expect_err("MIN");
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
    }

    #[test]
    fn one_pair_per_payer_and_part() {
        let mut wzor = crate::kedu::tests::przyklad();
        let today = date!(2026 - 12 - 01);
        if let Some(n) = wzor.niezdolnosc.as_mut() {
            n.okres = Some(Okres::new(date!(2026 - 11 - 20), date!(2026 - 12 - 10)));
            n.pobyt_w_szpitalu = Some(Okres::new(date!(2026 - 11 - 25), date!(2026 - 11 - 29)));
        }
        if let Some(w) = wzor.wystawienie.as_mut() {
            w.uzasadnienie_wsteczne = Some("pacjent był nieprzytomny".into());
        }
        let second = Platnik::nip("5260250274");
        let plan = zaplanuj(&wzor, &[Platnik::nip("1234563218"), second.clone()]).expect("plan");
        assert_eq!(plan.len(), 4);
        let kinds: Vec<Rodzaj> = plan.iter().map(|z| z.rodzaj).collect();
        assert_eq!(
            kinds,
            [
                Rodzaj::Wsteczne,
                Rodzaj::Wsteczne,
                Rodzaj::Biezace,
                Rodzaj::Biezace
            ]
        );
        assert_eq!(plan[1].zla.platnik.as_ref(), Some(&second));
        for z in &plan {
            assert!(z.zla.seria_numer.is_none() && z.zla.id_dokumentu.is_empty());
            // Each planned certificate is valid apart from what ZUS must still assign.
            let v = z.zla.validate(today);
            assert!(v.is_valid(), "{:?}", v.errors());
        }
        let n = |i: usize| plan[i].zla.niezdolnosc.clone().unwrap_or_default();
        assert_eq!(
            n(0).okres,
            Some(Okres::new(date!(2026 - 11 - 20), date!(2026 - 11 - 27)))
        );
        assert_eq!(
            n(0).pobyt_w_szpitalu,
            Some(Okres::new(date!(2026 - 11 - 25), date!(2026 - 11 - 27)))
        );
        assert_eq!(
            n(2).okres,
            Some(Okres::new(date!(2026 - 11 - 28), date!(2026 - 12 - 10)))
        );
        assert_eq!(
            n(2).pobyt_w_szpitalu,
            Some(Okres::new(date!(2026 - 11 - 28), date!(2026 - 11 - 29)))
        );
        let w = |i: usize| plan[i].zla.wystawienie.clone().unwrap_or_default();
        assert!(w(0).uzasadnienie_wsteczne.is_some());
        assert!(w(2).uzasadnienie_wsteczne.is_none());

        // Without payers the template's own payer is used.
        let own = zaplanuj(&wzor, &[]).expect("own payer");
        assert_eq!(own.len(), 2);
        assert_eq!(own[0].zla.platnik, wzor.platnik);
        let e = zaplanuj(&Zla::default(), &[]).expect_err("empty template");
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
    }
}
