//! The code lists (dictionaries) of the e-ZLA document.
//!
//! Each enumeration knows its ZUS code ([`kod`](KodPokrewienstwa::kod)), the name it has in
//! the JSON form ([`nazwa`](KodPokrewienstwa::nazwa)) and ZUS's Polish description
//! ([`opis`](KodPokrewienstwa::opis)). In JSON either the name or the ZUS code is accepted;
//! the name is written. Sources: the ZUS WSDL (`KodyPokrewienstwaEnumeracja`,
//! `TrybWystawieniaEnumeracja`), the dictionaries ZUS returns (`pobierzSlownik*`, captured in
//! `dictionaries_medfile.json`) and the field map of the KEDU ZLA document; where a code's
//! meaning is only inferred the variant's documentation says so.

use std::fmt;

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};

macro_rules! code_list {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $kod:literal, $nazwa:literal, $opis:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in ZUS's order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The code ZUS uses in documents and dictionaries.
            pub const fn kod(self) -> &'static str {
                match self { $( $name::$variant => $kod, )* }
            }

            /// The name used in the JSON form.
            pub const fn nazwa(self) -> &'static str {
                match self { $( $name::$variant => $nazwa, )* }
            }

            /// ZUS's description (Polish).
            pub const fn opis(self) -> &'static str {
                match self { $( $name::$variant => $opis, )* }
            }

            /// The value for a ZUS code.
            pub fn from_kod(kod: &str) -> Option<Self> {
                match kod { $( $kod => Some($name::$variant), )* _ => None }
            }

            /// The value for a JSON name or a ZUS code.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $( $nazwa => Some($name::$variant), )* _ => Self::from_kod(s) }
            }

            fn expected() -> String {
                let names: Vec<String> = Self::ALL
                    .iter()
                    .map(|v| if v.nazwa() == v.kod() {
                        format!("`{}`", v.kod())
                    } else {
                        format!("`{}` ({})", v.nazwa(), v.kod())
                    })
                    .collect();
                names.join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.kod())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.nazwa())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    D::Error::custom(format!(
                        "unknown {} {}, expected one of {}",
                        $what,
                        super::tekst::pokaz(&s),
                        Self::expected()
                    ))
                })
            }
        }
    };
}

code_list! {
    /// Where the insured person is insured (II/p4, *kod ubezpieczenia*). The codes follow the
    /// values of ZUS's payer lookup (ZUS / KRUS / other in Poland / abroad); their numbers
    /// come from third-party code and are **inferred**.
    KodUbezpieczenia, "insurer code" {
        /// Insured in ZUS.
        Zus = "1", "zus", "ZUS";
        /// Insured in KRUS (farmers' social insurance).
        Krus = "2", "krus", "KRUS";
        /// Another insurer in Poland.
        InneWPolsce = "3", "inne_w_polsce", "inna instytucja w Polsce";
        /// Insured in another country.
        WInnymPanstwie = "4", "w_innym_panstwie", "instytucja w innym państwie";
    }
}

code_list! {
    /// The doctor's indication during the incapacity (IV/p3, *wskazanie lekarskie*).
    Wskazanie, "indication" {
        /// 1 — the patient must lie in bed.
        PowinienLezec = "1", "powinien_lezec", "chory powinien leżeć";
        /// 2 — the patient may walk.
        MozeChodzic = "2", "moze_chodzic", "chory może chodzić";
    }
}

code_list! {
    /// A letter code on the certificate (IV/p4–p7, *kod literowy*).
    KodLiterowy, "letter code" {
        /// A — incapacity after a break of at most 60 days, caused by the same illness.
        A = "A", "A", "niezdolność po przerwie nie dłuższej niż 60 dni, spowodowana tą samą chorobą";
        /// B — incapacity during pregnancy.
        B = "B", "B", "niezdolność przypadająca w okresie ciąży";
        /// C — incapacity caused by alcohol abuse.
        C = "C", "C", "niezdolność spowodowana nadużyciem alkoholu";
        /// D — incapacity caused by tuberculosis.
        D = "D", "D", "niezdolność spowodowana gruźlicą";
        /// E — an infectious disease whose incubation exceeds 14 days.
        E = "E", "E", "choroba zakaźna o okresie wylęgania dłuższym niż 14 dni";
    }
}

code_list! {
    /// Kinship of the family member cared for (IV/p9/p1, *kod pokrewieństwa*): WSDL
    /// `KodyPokrewienstwaEnumeracja` and ZUS's `pobierzSlownikKodowPokrewienstwa`.
    KodPokrewienstwa, "kinship code" {
        /// 1 — a child.
        Dziecko = "1", "dziecko", "dziecko";
        /// 2 — spouse, parents, step-parents, parents-in-law, grandparents, grandchildren, siblings.
        CzlonekRodziny = "2", "czlonek_rodziny",
            "małżonek, rodzice, ojczym, macocha, teściowie, dziadkowie, wnuki, rodzeństwo";
        /// 3 — other persons.
        InnaOsoba = "3", "inna_osoba", "inne osoby";
    }
}

code_list! {
    /// How the payer is identified (V/p1, *rodzaj identyfikatora płatnika*).
    RodzajIdentyfikatora, "payer identifier type" {
        /// 1 — NIP (tax number).
        Nip = "1", "nip", "NIP";
        /// 2 — PESEL.
        Pesel = "2", "pesel", "PESEL";
        /// 3 — passport series and number.
        Paszport = "3", "paszport", "seria i numer paszportu";
    }
}

code_list! {
    /// Reason for cancelling a certificate (AZLA): ZUS's `pobierzSlownikPrzyczynAnulowania`.
    PrzyczynaAnulowania, "cancellation reason" {
        /// U — wrong identification data of the insured.
        DaneUbezpieczonego = "U", "dane_ubezpieczonego", "błąd w danych identyfikacyjnych ubezpieczonego";
        /// P — wrong payer data.
        DanePlatnika = "P", "dane_platnika", "błąd w danych płatnika składek";
        /// N — wrong incapacity data.
        DaneNiezdolnosci = "N", "dane_niezdolnosci", "błąd w danych dotyczących niezdolności do pracy";
        /// M — wrong data of the place of care.
        DaneMiejsca = "M", "dane_miejsca", "błąd w danych miejsca udzielania świadczeń zdrowotnych";
        /// I — another reason.
        InnyPowod = "I", "inny_powod", "inny powód";
        /// B — a system error.
        BladSystemu = "B", "blad_systemu", "błąd systemu";
        /// A — wrong address data of the insured.
        DaneAdresowe = "A", "dane_adresowe", "błąd w danych adresowych ubezpieczonego";
        /// E — wrong data (electronisation of a wrongly filled paper ZLA).
        BledneDaneElektronizacji = "E", "bledne_dane_elektronizacji",
            "błędne dane (elektronizacja błędnie wypełnionego ZLA)";
        /// X — wrong issue date (electronisation of a wrongly filled paper ZLA).
        BlednaDataWystawienia = "X", "bledna_data_wystawienia",
            "błędna data wystawienia (elektronizacja błędnie wypełnionego ZLA)";
    }
}

code_list! {
    /// Reason for invalidating a reserved blank number (UZLA): ZUS's
    /// `pobierzSlownikPrzyczynUniewaznienia`.
    PrzyczynaUniewaznienia, "invalidation reason" {
        /// A — cancellation.
        Anulowanie = "A", "anulowanie", "anulowanie";
        /// S — destruction.
        Zniszczenie = "S", "zniszczenie", "zniszczenie";
        /// Z — loss.
        Zaginiecie = "Z", "zaginiecie", "zaginięcie";
        /// K — theft.
        Kradziez = "K", "kradziez", "kradzież";
    }
}

code_list! {
    /// The issuing mode sent with the documents (WSDL `TrybWystawieniaEnumeracja`).
    TrybWystawiania, "issuing mode" {
        /// The current (on-line) mode.
        Biezacy = "Biezacy", "biezacy", "tryb bieżący";
        /// The alternative mode: electronisation of a paper form printed from reserved numbers.
        Alternatywny = "Alternatywny", "alternatywny", "tryb alternatywny";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_json() {
        for v in KodPokrewienstwa::ALL {
            assert_eq!(KodPokrewienstwa::from_kod(v.kod()), Some(*v));
            assert_eq!(KodPokrewienstwa::parse(v.nazwa()), Some(*v));
        }
        assert_eq!(KodPokrewienstwa::from_kod("4"), None);
        assert_eq!(
            serde_json::to_string(&Wskazanie::MozeChodzic)
                .ok()
                .as_deref(),
            Some("\"moze_chodzic\"")
        );
        let by_code: Wskazanie = serde_json::from_str("\"1\"").unwrap_or(Wskazanie::MozeChodzic);
        assert_eq!(by_code, Wskazanie::PowinienLezec);
        let err = serde_json::from_str::<KodLiterowy>("\"F\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unknown letter code `F`"), "{err}");
    }

    /// The dictionaries captured from ZUS list exactly the codes modelled here.
    #[test]
    fn dictionaries_match_the_captured_zus_answers() {
        let Some(dir) = crate::test_support::vectors_dir() else {
            return;
        };
        let path = dir.join("ezla/dictionaries_medfile.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("NOTICE: {} not found; skipping", path.display());
            return;
        };
        let json: serde_json::Value = serde_json::from_str(&text).expect("dictionaries JSON");
        let codes = |key: &str| -> Vec<String> {
            json[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e["Kod"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let ours = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            codes("pobierzSlownikPrzyczynAnulowania"),
            ours(
                &PrzyczynaAnulowania::ALL
                    .iter()
                    .map(|v| v.kod())
                    .collect::<Vec<_>>()
            )
        );
        assert_eq!(
            codes("pobierzSlownikPrzyczynUniewaznienia"),
            ours(
                &PrzyczynaUniewaznienia::ALL
                    .iter()
                    .map(|v| v.kod())
                    .collect::<Vec<_>>()
            )
        );
        assert_eq!(
            codes("pobierzSlownikKodowPokrewienstwa"),
            ours(
                &KodPokrewienstwa::ALL
                    .iter()
                    .map(|v| v.kod())
                    .collect::<Vec<_>>()
            )
        );
        // ZUS's descriptions of the cancellation reasons are ours.
        for (entry, ours) in json["pobierzSlownikPrzyczynAnulowania"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(PrzyczynaAnulowania::ALL)
        {
            assert_eq!(entry["Nazwa"].as_str(), Some(ours.opis()));
        }
    }
}
