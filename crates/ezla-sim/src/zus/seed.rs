//! The data the simulator starts with: doctors' licence numbers, places of work, patients,
//! their payers and families (`DIR/seed.json`, or the built-in default).

use serde::{Deserialize, Serialize};

/// The built-in seed: the patient, payer, place of work and doctor of
/// `crates/ezla-cli/examples/zla.json`, and one more patient with two payers.
pub const DEFAULT_SEED: &str = include_str!("../../data/seed.json");

/// Everything the simulator knows before anyone logs in.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Seed {
    /// Doctors ZUS knows by licence number. A doctor can log in once a certificate with
    /// their PESEL is issued by `ezla-sim doctor add`, which links the PESEL to the NPWZ.
    #[serde(default)]
    pub lekarze: Vec<SeedLekarz>,
    /// Places of work (clinics), by NIP.
    #[serde(default)]
    pub miejsca: Vec<SeedMiejsce>,
    /// Insured persons (patients).
    #[serde(default)]
    pub ubezpieczeni: Vec<SeedUbezpieczony>,
}

/// A doctor in the seed.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SeedLekarz {
    /// Licence number (numer prawa wykonywania zawodu).
    pub npwz: String,
    /// The doctor's PESEL, when the seed knows it: such a doctor may apply for a
    /// certificate on the simulated PUE before any certificate exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pesel: Option<String>,
    /// Given name.
    pub imie: String,
    /// Surname.
    pub nazwisko: String,
    /// The NIPs of the places of work.
    #[serde(default)]
    pub miejsca: Vec<String>,
}

/// A place of work.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SeedMiejsce {
    /// NIP.
    pub nip: String,
    /// Name, spelled as ZUS has it.
    pub nazwa: String,
    /// Postal code, digits only.
    pub kod_pocztowy: String,
    /// Town.
    pub miejscowosc: String,
    /// Street.
    #[serde(default)]
    pub ulica: Option<String>,
    /// House number.
    pub nr_domu: String,
    /// Flat number.
    #[serde(default)]
    pub nr_lokalu: Option<String>,
}

/// An address.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SeedAdres {
    /// Postal code, digits only.
    pub kod_pocztowy: String,
    /// Town.
    pub miejscowosc: String,
    /// Street.
    #[serde(default)]
    pub ulica: Option<String>,
    /// House number.
    pub nr_domu: String,
    /// Flat number.
    #[serde(default)]
    pub nr_lokalu: Option<String>,
}

/// A patient.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SeedUbezpieczony {
    /// PESEL.
    pub pesel: String,
    /// Given name.
    pub imie: String,
    /// Surname.
    pub nazwisko: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub data_urodzenia: String,
    /// Address.
    pub adres: SeedAdres,
    /// Payers (employers) of the patient.
    #[serde(default)]
    pub platnicy: Vec<SeedPlatnik>,
    /// Family members (for care certificates).
    #[serde(default)]
    pub rodzina: Vec<SeedCzlonekRodziny>,
}

/// A payer of a patient.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SeedPlatnik {
    /// NIP (for a payer that has one).
    #[serde(default)]
    pub nip: Option<String>,
    /// PESEL (for a payer that is a person without NIP).
    #[serde(default)]
    pub pesel: Option<String>,
    /// Name.
    pub nazwa: String,
    /// Who insures: `ZUS`, `KRUS`, `INNE_W_POLSCE`, `W_INNYM_PANSTWIE`.
    pub ubezpieczyciel: String,
}

/// A family member of a patient.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SeedCzlonekRodziny {
    /// PESEL.
    pub pesel: String,
    /// Given name.
    pub imie: String,
    /// Surname.
    pub nazwisko: String,
    /// Date of birth.
    pub data_urodzenia: String,
    /// Kinship code (ZUS dictionary).
    pub pokrewienstwo: String,
}

impl Seed {
    /// The built-in seed.
    pub fn default_seed() -> Self {
        // The file is part of the crate and a test parses it.
        serde_json::from_str(DEFAULT_SEED).unwrap_or_default()
    }

    /// Parses a seed file.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_seed_parses_and_holds_the_example_data() {
        let seed: Seed = serde_json::from_str(DEFAULT_SEED).expect("seed.json");
        assert!(seed.lekarze.iter().any(|l| l.npwz == "5425740"));
        let jan = seed
            .ubezpieczeni
            .iter()
            .find(|u| u.pesel == "44051401359")
            .expect("the example's patient");
        assert!(
            jan.platnicy
                .iter()
                .any(|p| p.nip.as_deref() == Some("1234563218"))
        );
        for u in &seed.ubezpieczeni {
            assert!(ezla::pl::Pesel::is_valid(&u.pesel), "{}", u.pesel);
            for r in &u.rodzina {
                assert!(ezla::pl::Pesel::is_valid(&r.pesel), "{}", r.pesel);
            }
            for p in &u.platnicy {
                if let Some(nip) = &p.nip {
                    assert!(ezla::pl::Nip::is_valid(nip), "{nip}");
                }
            }
        }
        assert!(seed.miejsca.iter().all(|m| ezla::pl::Nip::is_valid(&m.nip)));
    }
}
