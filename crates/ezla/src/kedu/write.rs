//! Serialisation of the model to KEDU ZLA XML, in the layout of ZUS-validated documents:
//! UTF-8, the `KED_ZLA_1` default namespace, two-space indentation, elements in schema order.

use super::model::{Okres, SeriaNumer, Zla, format_date};
use super::{KED_ZLA_NS, Wariant, WriteOptions};
use crate::xml;

/// The KEDU layer over the XML writer: the document header, the body element and the field
/// shapes KEDU repeats (optional leaves, dates, periods, series and numbers).
pub(super) struct Writer(xml::Writer);

impl std::ops::Deref for Writer {
    type Target = xml::Writer;
    fn deref(&self) -> &xml::Writer {
        &self.0
    }
}

impl std::ops::DerefMut for Writer {
    fn deref_mut(&mut self) -> &mut xml::Writer {
        &mut self.0
    }
}

impl Writer {
    pub(super) fn new() -> Self {
        Writer(xml::Writer::indented("  "))
    }

    /// The XML declaration, the `KEDU` element in `namespace` and its `naglowek.KEDU`
    /// program header: what every KEDU document starts with. Leaves the writer inside `KEDU`.
    pub(super) fn kedu_start(&mut self, namespace: &str, options: &WriteOptions) {
        self.declaration(Some(false));
        self.start("KEDU")
            .ns("", namespace)
            .ns("xsi", "http://www.w3.org/2001/XMLSchema-instance")
            .attr("wersja_schematu", "1")
            .open();
        self.open("naglowek.KEDU");
        self.open("program");
        self.leaf("producent", &options.producent);
        self.leaf("symbol", &options.symbol);
        self.leaf("wersja", &options.wersja);
        self.end(); // program
        self.end(); // naglowek.KEDU
    }

    /// Opens the document's body element `name`, with its `id_dokumentu` when there is one
    /// and its `kolejnosc` (order within the KEDU file).
    pub(super) fn open_body(&mut self, name: &str, id_dokumentu: Option<&str>, kolejnosc: &str) {
        self.start(name)
            .attr_opt("id_dokumentu", id_dokumentu)
            .attr("kolejnosc", kolejnosc)
            .open();
    }

    /// The finished document.
    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.0.finish().into_bytes()
    }

    pub(super) fn opt(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.leaf(name, v);
        }
    }

    pub(super) fn date(&mut self, name: &str, value: Option<time::Date>) {
        if let Some(d) = value {
            self.leaf(name, &format_date(d));
        }
    }

    fn okres(&mut self, name: &str, o: &Okres) {
        self.open(name);
        self.date("p1", o.od);
        self.date("p2", o.do_);
        self.end();
    }

    pub(super) fn seria_numer(&mut self, name: &str, sn: &SeriaNumer) {
        self.open(name);
        self.leaf("p1", &sn.seria);
        self.leaf("p2", &sn.numer);
        self.end();
    }
}

/// Writes one document of the pair. The model is assumed validated.
pub(crate) fn write(zla: &Zla, wariant: Wariant, options: &WriteOptions) -> Vec<u8> {
    let mut w = Writer::new();
    w.kedu_start(KED_ZLA_NS, options);
    let id = match wariant {
        Wariant::Oryginal => zla.id_dokumentu.oryginal.as_deref(),
        Wariant::Kopia => zla.id_dokumentu.kopia.as_deref(),
    };
    w.open_body("ZUSZLA", id, wariant.kolejnosc());

    // I
    w.open("I");
    match &zla.seria_numer {
        Some(sn) => w.seria_numer("p1", sn),
        None => w.empty("p1"),
    }
    w.leaf("p2", wariant.napis());
    w.end(); // I

    if let Some(u) = &zla.ubezpieczony {
        w.open("II");
        w.opt("p1", u.pesel.as_deref());
        w.leaf("p2", &u.imie);
        w.leaf("p3", &u.nazwisko);
        w.opt("p4", u.kod_ubezpieczenia.map(|k| k.kod()));
        w.opt("p5", u.paszport.as_deref());
        w.date("p6", u.data_urodzenia);
        w.end(); // II
    }

    if let Some(a) = &zla.adres {
        w.open("III");
        w.leaf("p1", &a.kod_pocztowy);
        w.leaf("p2", &a.miejscowosc);
        w.opt("p3", a.ulica.as_deref());
        w.leaf("p4", &a.nr_domu);
        w.opt("p5", a.nr_lokalu.as_deref());
        w.end(); // III
    }

    if let Some(n) = &zla.niezdolnosc {
        w.open("IV");
        if let Some(o) = &n.okres {
            w.okres("p1", o);
        }
        if let Some(o) = &n.pobyt_w_szpitalu {
            w.okres("p2", o);
        }
        w.opt("p3", n.wskazanie.map(|k| k.kod()));
        for (name, kod) in ["p4", "p5", "p6", "p7"].iter().zip(&n.kody_literowe) {
            w.leaf(name, kod.kod());
        }
        if wariant == Wariant::Oryginal {
            w.opt("p8", n.kod_choroby.as_deref());
        }
        if let Some(o) = &n.opieka {
            w.open("p9");
            w.opt("p1", o.kod_pokrewienstwa.map(|k| k.kod()));
            w.date("p2", o.data_urodzenia);
            w.end(); // p9
        }
        w.end(); // IV
    }

    if let Some(p) = &zla.platnik {
        w.open("V");
        w.opt("p1", p.rodzaj.map(|k| k.kod()));
        w.leaf("p2", &p.identyfikator);
        w.end(); // V
    }

    if let Some(p) = &zla.placowka {
        w.open("VI");
        w.leaf("p1", &p.nazwa);
        w.leaf("p2", &p.kod_pocztowy);
        w.leaf("p3", &p.miejscowosc);
        w.opt("p4", p.ulica.as_deref());
        w.leaf("p5", &p.nr_domu);
        w.opt("p6", p.nr_lokalu.as_deref());
        w.end(); // VI
    }

    if let Some(l) = &zla.lekarz {
        w.open("VII");
        w.leaf("p1", &l.npwz);
        w.leaf("p2", &l.imie);
        w.leaf("p3", &l.nazwisko);
        w.end(); // VII
    }

    if let Some(v) = &zla.wystawienie {
        w.open("VIII");
        w.date("p1", v.data_wystawienia);
        w.date("p2", v.data_elektronizacji);
        w.opt("p3", v.uzasadnienie_wsteczne.as_deref());
        if let Some(sn) = &v.anulowane_zla {
            w.seria_numer("p4", sn);
        }
        if let Some(sn) = &v.powiazane_zla {
            w.seria_numer("p5", sn);
        }
        w.leaf("p6", bool_text(v.pobyt_stacjonarny_zoz));
        w.leaf("p7", bool_text(v.ukryte_dla_platnika));
        w.opt("p8", v.nip_placowki.as_deref());
        w.end(); // VIII
    }

    w.end(); // ZUSZLA
    w.end(); // KEDU
    w.into_bytes()
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}
