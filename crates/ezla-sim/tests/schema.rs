//! The schema checker against the real contract and an independent validator.
//!
//! * `agrees_with_xmllint`: a corpus generated from the 2018 WSDL (a valid request and
//!   response body for every operation, then hundreds of mutations of them) is judged by
//!   `xmllint --schema` over the WSDL's `xsd:schema`, and our verdict must equal its verdict
//!   for every case.
//! * Loading: operations and SOAPActions, refusal of constructs outside the subset,
//!   supplements.
//! * Facets, messages and hostile input on small hand-written schemas.
//!
//! The WSDL lives in the shared vectors and xmllint in libxml2-utils: tests that need them
//! skip with a notice when they are absent, unless `EZLA_REQUIRE_TOOLS` is set.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ezla_sim::schema::{FacetKind, Rule, Schema, SchemaError, ZUS_GOV_NAMESPACE, ZUS_NAMESPACE};

const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

// ---------------------------------------------------------------------------------------
// Environment

fn require_tools() -> bool {
    std::env::var_os("EZLA_REQUIRE_TOOLS").is_some()
}

fn vector(name: &str) -> Option<Vec<u8>> {
    let path = ezla_vectors::vectors_dir().map(|d| d.join("ezla").join(name));
    match path.as_deref().map(std::fs::read) {
        Some(Ok(bytes)) => Some(bytes),
        _ => {
            if require_tools() {
                panic!("vector ezla/{name} is required (EZLA_REQUIRE_TOOLS is set)");
            }
            println!("NOTICE: vector ezla/{name} not found; skipping");
            None
        }
    }
}

fn wsdl() -> Option<Vec<u8>> {
    vector("zus_channel_gabinetowe_zla_2018.wsdl")
}

fn have_xmllint() -> bool {
    let found = Command::new("xmllint")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if require_tools() {
            panic!("xmllint is required (EZLA_REQUIRE_TOOLS is set) but not on PATH");
        }
        println!("NOTICE: xmllint not on PATH; skipping");
    }
    found
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ezla-sim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

fn load(bytes: &[u8]) -> Schema {
    Schema::from_wsdl(bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn data(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/schema")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The WSDL's `xsd:schema` element as a stand-alone schema document (it declares its own
/// `tns` and `xsd` prefixes).
fn extract_xsd(wsdl: &str) -> String {
    let start = wsdl.find("<xsd:schema").expect("xsd:schema start");
    let end_tag = "</xsd:schema>";
    let end = wsdl.find(end_tag).expect("xsd:schema end") + end_tag.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        &wsdl[start..end]
    )
}

/// xmllint's verdicts on `files` (in `dir`) against `xsd`: true = validates.
fn xmllint_verdicts(dir: &Path, xsd: &str, files: &[String]) -> HashMap<String, (bool, String)> {
    let mut verdicts = HashMap::new();
    for chunk in files.chunks(400) {
        let out = Command::new("xmllint")
            .current_dir(dir)
            .arg("--noout")
            .arg("--schema")
            .arg(xsd)
            .args(chunk)
            .output()
            .expect("run xmllint");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut messages: HashMap<&str, String> = HashMap::new();
        for line in stderr.lines() {
            if let Some(file) = line.strip_suffix(" validates") {
                verdicts.insert(file.to_owned(), (true, String::new()));
            } else if let Some(file) = line.strip_suffix(" fails to validate") {
                let why = messages.remove(file).unwrap_or_default();
                verdicts.insert(file.to_owned(), (false, why));
            } else if let Some((file, _)) = line.split_once(':') {
                let m = messages.entry(file).or_default();
                m.push_str(line);
                m.push('\n');
            }
        }
        // A file that is not well-formed gets parser errors and no verdict line.
        for (file, why) in messages {
            if why.contains("parser error") {
                verdicts.insert(file.to_owned(), (false, why));
            }
        }
    }
    for f in files {
        assert!(verdicts.contains_key(f), "xmllint gave no verdict for {f}");
    }
    verdicts
}

// ---------------------------------------------------------------------------------------
// A test-side reading of the WSDL's schema, independent of the checker: just enough to
// write instances.

#[derive(Clone, Debug)]
struct Part {
    name: String,
    ty: String,
    min: u32,
    max: Option<u32>,
    nillable: bool,
}

#[derive(Default, Debug)]
struct Info {
    /// complexType name → its sequence.
    complex: HashMap<String, Vec<Part>>,
    /// complexType name → attribute names.
    attributes: HashMap<String, Vec<String>>,
    /// simpleType name → enumeration values (empty if none).
    enums: HashMap<String, Vec<String>>,
    /// Global elements: (name, type).
    elements: Vec<(String, String)>,
}

fn read_info(xsd: &str) -> Info {
    let doc = roxmltree::Document::parse(xsd).expect("parse xsd");
    let mut info = Info::default();
    let is = |n: &roxmltree::Node<'_, '_>, local: &str| {
        n.is_element() && n.tag_name().namespace() == Some(XSD_NS) && n.tag_name().name() == local
    };
    for def in doc.root_element().children().filter(|n| n.is_element()) {
        let name = def.attribute("name").unwrap_or_default().to_owned();
        if is(&def, "element") {
            info.elements
                .push((name, def.attribute("type").unwrap_or_default().to_owned()));
        } else if is(&def, "complexType") {
            let mut parts = Vec::new();
            let mut attrs = Vec::new();
            for d in def.descendants() {
                if is(&d, "element") {
                    parts.push(Part {
                        name: d.attribute("name").unwrap_or_default().to_owned(),
                        ty: d.attribute("type").unwrap_or_default().to_owned(),
                        min: d
                            .attribute("minOccurs")
                            .map_or(1, |v| v.parse().unwrap_or(1)),
                        max: match d.attribute("maxOccurs") {
                            Some("unbounded") => None,
                            Some(v) => v.parse().ok(),
                            None => Some(1),
                        },
                        nillable: d.attribute("nillable") == Some("true"),
                    });
                } else if is(&d, "attribute") {
                    attrs.push(d.attribute("name").unwrap_or_default().to_owned());
                }
            }
            info.complex.insert(name.clone(), parts);
            info.attributes.insert(name, attrs);
        } else if is(&def, "simpleType") {
            let values = def
                .descendants()
                .filter(|d| is(d, "enumeration"))
                .filter_map(|d| d.attribute("value").map(str::to_owned))
                .collect();
            info.enums.insert(name, values);
        }
    }
    info
}

fn local(ty: &str) -> &str {
    ty.split_once(':').map_or(ty, |(_, l)| l)
}

// ---------------------------------------------------------------------------------------
// Instances

#[derive(Clone, Debug)]
enum Item {
    El(El),
    Text(String),
    CData(String),
    Comment(String),
}

#[derive(Clone, Debug)]
struct El {
    prefix: Option<String>,
    decls: Vec<(String, String)>,
    name: String,
    attrs: Vec<(String, String)>,
    items: Vec<Item>,
    /// The declared type (`tns:ID`, `xsd:date`), for the mutations.
    ty: String,
    complex: bool,
}

fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

impl El {
    fn write(&self, out: &mut String) {
        let qname = match &self.prefix {
            Some(p) => format!("{p}:{}", self.name),
            None => self.name.clone(),
        };
        out.push('<');
        out.push_str(&qname);
        for (p, uri) in &self.decls {
            if p.is_empty() {
                out.push_str(&format!(" xmlns=\"{}\"", escape(uri, true)));
            } else {
                out.push_str(&format!(" xmlns:{p}=\"{}\"", escape(uri, true)));
            }
        }
        for (k, v) in &self.attrs {
            out.push_str(&format!(" {k}=\"{}\"", escape(v, true)));
        }
        if self.items.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for item in &self.items {
            match item {
                Item::El(e) => e.write(out),
                Item::Text(t) => out.push_str(&escape(t, false)),
                Item::CData(t) => out.push_str(&format!("<![CDATA[{t}]]>")),
                Item::Comment(t) => out.push_str(&format!("<!--{t}-->")),
            }
        }
        out.push_str(&format!("</{qname}>"));
    }

    fn xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.write(&mut out);
        out.push('\n');
        out
    }

    fn element_children(&self) -> impl Iterator<Item = &El> {
        self.items.iter().filter_map(|i| match i {
            Item::El(e) => Some(e),
            _ => None,
        })
    }
}

/// A small deterministic generator (xorshift64*), so that a failing case can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Generator<'i> {
    info: &'i Info,
    kedu: String,
}

/// How much of the optional content an instance has.
#[derive(Clone, Copy, PartialEq)]
enum Fill {
    Minimal,
    Full,
}

impl Generator<'_> {
    /// A realistic value of a simple type; `variant` picks among several valid ones.
    fn value(&self, ty: &str, variant: usize) -> String {
        let name = local(ty);
        if ty.starts_with("xsd:") {
            let choices: &[&str] = match name {
                "string" => &["Kowalski", "Zażółć gęślą jaźń", "Jan Maria"],
                "date" => &["2024-03-01", "2024-02-29", "1985-12-31"],
                "boolean" => &["true", "false", "1"],
                "long" => &["0", "20", "-1"],
                "integer" => &["3", "0", "14"],
                "nonNegativeInteger" => &["5", "0", "100"],
                other => panic!("no sample value for xsd:{other}"),
            };
            return choices[variant % choices.len()].to_owned();
        }
        if let Some(values) = self.info.enums.get(name).filter(|v| !v.is_empty()) {
            return values[variant % values.len()].clone();
        }
        let choices: &[&str] = match name {
            "ID" => &["8f3aC91bE2d04", "ABC123"],
            "Inne" => &["DOK-1", "para 2"],
            "KEDU" => return self.kedu.clone(),
            "UPP" => &["PFVQUCB3ZXJzamE9IjEiLz4="],
            "SeriaZla" => &["ZA", "XY"],
            "NumerZla" | "Npwz" => &["1234567", "0000001"],
            "Pesel" | "Pesel2" => &["44051401458", "68071892605"],
            "NIP" => &["5260250274", "1234563218"],
            "Data" => &["2024-03-01", "2024-12-31"],
            "StatystycznyKodChoroby" => &["J10", "A01"],
            "UzasadnienieZaswiadczeniaWstecznego" => &["Pacjent nieprzytomny w dniach 1-3 marca."],
            other => panic!("no sample value for simple type {other}"),
        };
        choices[variant % choices.len()].to_owned()
    }

    fn element(&self, name: &str, ty: &str, fill: Fill, variant: usize) -> El {
        let complex = ty.starts_with("tns:") && self.info.complex.contains_key(local(ty));
        let mut el = El {
            prefix: None,
            decls: Vec::new(),
            name: name.to_owned(),
            attrs: Vec::new(),
            items: Vec::new(),
            ty: ty.to_owned(),
            complex,
        };
        if complex {
            let parts = &self.info.complex[local(ty)];
            for (i, p) in parts.iter().enumerate() {
                let n = match fill {
                    Fill::Minimal => p.min,
                    Fill::Full => p.min.max(p.max.map_or(2, |m| m.min(2))),
                };
                for k in 0..n {
                    el.items.push(Item::El(self.element(
                        &p.name,
                        &p.ty,
                        fill,
                        variant + i + k as usize,
                    )));
                }
            }
            if fill == Fill::Full {
                for a in &self.info.attributes[local(ty)] {
                    el.attrs.push((a.clone(), format!("ref{variant}")));
                }
            }
        } else {
            el.items.push(Item::Text(self.value(ty, variant)));
        }
        el
    }

    /// A body element in the target namespace, prefixed `ns`.
    fn body(&self, name: &str, ty: &str, fill: Fill, variant: usize) -> El {
        let mut el = self.element(name, ty, fill, variant);
        el.prefix = Some("ns".into());
        el.decls.push(("ns".into(), ZUS_NAMESPACE.into()));
        el.decls.push(("xsi".into(), XSI_NS.into()));
        el.decls.push(("xsd".into(), XSD_NS.into()));
        el
    }
}

/// Paths (child indices into `items`) of every element below `root`, root included.
fn all_paths(root: &El) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    let mut stack = vec![(Vec::new(), root)];
    while let Some((path, el)) = stack.pop() {
        for (i, item) in el.items.iter().enumerate() {
            if let Item::El(child) = item {
                let mut p = path.clone();
                p.push(i);
                out.push(p.clone());
                stack.push((p, child));
            }
        }
    }
    out
}

fn at_ref<'a>(root: &'a El, path: &[usize]) -> &'a El {
    let mut el = root;
    for &i in path {
        el = match &el.items[i] {
            Item::El(e) => e,
            _ => unreachable!("paths point at elements"),
        };
    }
    el
}

fn at<'a>(root: &'a mut El, path: &[usize]) -> &'a mut El {
    let mut el = root;
    for &i in path {
        el = match &mut el.items[i] {
            Item::El(e) => e,
            _ => unreachable!("paths point at elements"),
        };
    }
    el
}

/// Values that break (or, for a few, surprisingly do not break) each constrained type.
fn tricky_values(ty: &str) -> &'static [&'static str] {
    match local(ty) {
        "ID" => &["ab-c", "ąbc", " abc", "", "abc def", "A1"],
        "Inne" => &["a;b", "(x)", "ok?", "fine ref", "\"q\"", "*"],
        "SeriaZla" => &["Z", "ZA1", "za", "ZĄ", "ZAA", " ZA"],
        "NumerZla" | "Npwz" => &["123456", "12345678", "١٢٣٤٥٦٧", "12345a7", "1234567 "],
        "Pesel" => &["4405140145", "440514014588", "4405140145a", "٤٤٠٥١٤٠١٤٥٨"],
        "Pesel2" => &["4405140145", "abcdefghijk", "440514014588", "ąąąąąąąąąąą"],
        "NIP" => &["526025027", "526-025-02-74", "52602502745"],
        "Data" => &["2024-3-01", "2024-02-30", "24-03-01", "2024-03-01Z"],
        "StatystycznyKodChoroby" => &["J1", "J100", "j10", "10J", "J1٠"],
        "UzasadnienieZaswiadczeniaWstecznego" => &["", "x"],
        "date" => &[
            "2024-02-30",
            "2023-02-29",
            "2000-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-01",
            "24-01-01",
            "2024-01-01Z",
            "2024-01-01+02:00",
            "2024-01-01+15:00",
            "2024-01-01T10:00:00",
            "0000-01-01",
            "-0044-03-15",
            "",
        ],
        "boolean" => &["TRUE", "yes", " true ", "0", "1", "", "\ttrue\n", "tru e"],
        "long" => &[
            "-5",
            "9223372036854775808",
            "9223372036854775807",
            "1.5",
            "+7",
            "",
            "0x10",
            "-9223372036854775809",
        ],
        "integer" => &["-3", "abc", "+0", "1.", " 12 ", "١"],
        "nonNegativeInteger" => &["-1", "-0", "+0", "007", " 3 ", "3.0", "", "+"],
        "string" => &["", "  ", "<a>", "line\nbreak"],
        _ => &[],
    }
}

#[derive(Clone, Copy, Debug)]
enum Mutation {
    DropChild,
    AddUnknown,
    SwapAdjacent,
    Duplicate,
    BadEnum,
    TrickyValue,
    WrongRootNamespace,
    NoRootNamespace,
    DefaultNamespace,
    QualifyLocal,
    TextInComplex,
    UnknownAttribute,
    ForeignAttribute,
    AttributeValue,
    ElementInSimple,
    NilEmpty,
    NilWithContent,
    Harmless,
    GovNamespace,
    EmptyValue,
}

const MUTATIONS: [Mutation; 20] = [
    Mutation::DropChild,
    Mutation::AddUnknown,
    Mutation::SwapAdjacent,
    Mutation::Duplicate,
    Mutation::BadEnum,
    Mutation::TrickyValue,
    Mutation::WrongRootNamespace,
    Mutation::NoRootNamespace,
    Mutation::DefaultNamespace,
    Mutation::QualifyLocal,
    Mutation::TextInComplex,
    Mutation::UnknownAttribute,
    Mutation::ForeignAttribute,
    Mutation::AttributeValue,
    Mutation::ElementInSimple,
    Mutation::NilEmpty,
    Mutation::NilWithContent,
    Mutation::Harmless,
    Mutation::GovNamespace,
    Mutation::EmptyValue,
];

/// Applies `m` somewhere in `root`; returns a description, or `None` if it did not apply.
fn mutate(root: &mut El, m: Mutation, rng: &mut Rng, info: &Info) -> Option<String> {
    let paths = all_paths(root);
    let pick_where = |rng: &mut Rng, root: &El, f: &dyn Fn(&El, &[usize]) -> bool| {
        let candidates: Vec<&Vec<usize>> = paths.iter().filter(|p| f(at_ref(root, p), p)).collect();
        if candidates.is_empty() {
            None
        } else {
            Some(rng.pick(&candidates).to_vec())
        }
    };
    let root_snapshot = root.clone();
    match m {
        Mutation::DropChild => {
            let p = pick_where(rng, &root_snapshot, &|e, _| {
                e.element_children().next().is_some()
            })?;
            let el = at(root, &p);
            let idx: Vec<usize> = (0..el.items.len())
                .filter(|&i| matches!(el.items[i], Item::El(_)))
                .collect();
            let i = *rng.pick(&idx);
            let removed = match el.items.remove(i) {
                Item::El(e) => e.name,
                _ => String::new(),
            };
            Some(format!("drop {removed} from {}", el.name))
        }
        Mutation::AddUnknown => {
            let p = pick_where(rng, &root_snapshot, &|e, _| e.complex)?;
            let el = at(root, &p);
            let pos = rng.below(el.items.len() + 1);
            let name = rng
                .pick(&["Nieznany", "IdSesji", "Rezultat", "KEDU"])
                .to_string();
            el.items.insert(
                pos,
                Item::El(El {
                    prefix: None,
                    decls: Vec::new(),
                    name: name.clone(),
                    attrs: Vec::new(),
                    items: vec![Item::Text("abc".into())],
                    ty: "tns:ID".into(),
                    complex: false,
                }),
            );
            Some(format!("add {name} to {} at {pos}", el.name))
        }
        Mutation::SwapAdjacent => {
            let p = pick_where(rng, &root_snapshot, &|e, _| {
                let names: Vec<&str> = e.element_children().map(|c| c.name.as_str()).collect();
                names.windows(2).any(|w| w[0] != w[1])
            })?;
            let el = at(root, &p);
            let idx: Vec<usize> = (0..el.items.len())
                .filter(|&i| matches!(el.items[i], Item::El(_)))
                .collect();
            let pairs: Vec<(usize, usize)> = idx
                .windows(2)
                .map(|w| (w[0], w[1]))
                .filter(|&(a, b)| match (&el.items[a], &el.items[b]) {
                    (Item::El(x), Item::El(y)) => x.name != y.name,
                    _ => false,
                })
                .collect();
            let &(a, b) = rng.pick(&pairs);
            el.items.swap(a, b);
            Some(format!("swap children {a} and {b} of {}", el.name))
        }
        Mutation::Duplicate => {
            let p = pick_where(rng, &root_snapshot, &|_, p| !p.is_empty())?;
            let (last, parent) = p.split_last()?;
            let el = at(root, parent);
            let copy = el.items[*last].clone();
            el.items.insert(*last + 1, copy);
            Some(format!("duplicate child {last} of {}", el.name))
        }
        Mutation::BadEnum => {
            let p = pick_where(rng, &root_snapshot, &|e, _| {
                info.enums.get(local(&e.ty)).is_some_and(|v| !v.is_empty())
            })?;
            let el = at(root, &p);
            let v = rng
                .pick(&["NIEZNANA", "pozytywny", "POZYTYWNY ", "ASC", "1"])
                .to_string();
            el.items = vec![Item::Text(v.clone())];
            Some(format!("enumeration {} = {v:?}", el.name))
        }
        Mutation::TrickyValue => {
            let p = pick_where(rng, &root_snapshot, &|e, _| {
                !e.complex && !tricky_values(&e.ty).is_empty()
            })?;
            let el = at(root, &p);
            let v = rng.pick(tricky_values(&el.ty)).to_string();
            el.items = vec![Item::Text(v.clone())];
            Some(format!("value {} ({}) = {v:?}", el.name, el.ty))
        }
        Mutation::WrongRootNamespace => {
            root.decls[0].1 = "urn:inny".into();
            Some("root namespace urn:inny".into())
        }
        Mutation::NoRootNamespace => {
            root.prefix = None;
            root.decls.retain(|(p, _)| p != "ns");
            Some("root in no namespace".into())
        }
        Mutation::DefaultNamespace => {
            root.prefix = None;
            root.decls.retain(|(p, _)| p != "ns");
            root.decls.push((String::new(), ZUS_NAMESPACE.into()));
            Some("default namespace (children qualified)".into())
        }
        Mutation::QualifyLocal => {
            let p = pick_where(rng, &root_snapshot, &|_, p| !p.is_empty())?;
            let el = at(root, &p);
            el.prefix = Some("ns".into());
            Some(format!("qualify {}", el.name))
        }
        Mutation::TextInComplex => {
            let p = pick_where(rng, &root_snapshot, &|e, _| e.complex)?;
            let el = at(root, &p);
            let pos = rng.below(el.items.len() + 1);
            let t = rng.pick(&["tekst", " \n\t ", "&x", "\u{a0}"]).to_string();
            el.items.insert(pos, Item::Text(t.clone()));
            Some(format!("text {t:?} in {}", el.name))
        }
        Mutation::UnknownAttribute => {
            let p = pick_where(rng, &root_snapshot, &|_, _| true)?;
            let el = at(root, &p);
            let a = rng.pick(&["foo", "NrRef", "nrref"]).to_string();
            if el.attrs.iter().any(|(k, _)| *k == a) {
                return None;
            }
            el.attrs.push((a.clone(), "1".into()));
            Some(format!("attribute {a} on {}", el.name))
        }
        Mutation::ForeignAttribute => {
            let p = pick_where(rng, &root_snapshot, &|_, _| true)?;
            let el = at(root, &p);
            let a = rng
                .pick(&[
                    "xsi:foo",
                    "xsi:schemaLocation",
                    "ns:NrRef",
                    "xml:lang",
                    "xsi:type",
                ])
                .to_string();
            if el.attrs.iter().any(|(k, _)| *k == a) {
                return None;
            }
            let v = match a.as_str() {
                "xsi:schemaLocation" => format!("{ZUS_NAMESPACE} zus.xsd"),
                "xsi:type" => match *rng.pick(&["ns:ID", "xsd:string", "ns:Nope", "declared"]) {
                    "declared" => el.ty.replace("tns:", "ns:"),
                    t => t.to_owned(),
                },
                _ => "pl".into(),
            };
            el.attrs.push((a.clone(), v.clone()));
            Some(format!("attribute {a}={v:?} on {}", el.name))
        }
        Mutation::AttributeValue => {
            let p = pick_where(rng, &root_snapshot, &|e, _| {
                e.attrs.iter().any(|(k, _)| k == "NrRef")
            })?;
            let el = at(root, &p);
            let v = rng.pick(&["a;b", "(1)", "ok", "", "x?"]).to_string();
            for (k, val) in &mut el.attrs {
                if k == "NrRef" {
                    *val = v.clone();
                }
            }
            Some(format!("NrRef={v:?} on {}", el.name))
        }
        Mutation::ElementInSimple => {
            let p = pick_where(rng, &root_snapshot, &|e, _| !e.complex)?;
            let el = at(root, &p);
            el.items.push(Item::El(El {
                prefix: None,
                decls: Vec::new(),
                name: "b".into(),
                attrs: Vec::new(),
                items: vec![Item::Text("x".into())],
                ty: "xsd:string".into(),
                complex: false,
            }));
            Some(format!("element in simple {}", el.name))
        }
        Mutation::NilEmpty | Mutation::NilWithContent => {
            // Prefer the nillable ones half of the time.
            let nillable: Vec<String> = info
                .complex
                .values()
                .flatten()
                .filter(|p| p.nillable)
                .map(|p| p.name.clone())
                .collect();
            let prefer = rng.below(2) == 0;
            let p = pick_where(rng, &root_snapshot, &|e, p| {
                !p.is_empty() && (!prefer || nillable.contains(&e.name))
            })
            .or_else(|| pick_where(rng, &root_snapshot, &|_, p| !p.is_empty()))?;
            let el = at(root, &p);
            let v = rng.pick(&["true", "1", " true", "false"]).to_string();
            el.attrs.push(("xsi:nil".into(), v.clone()));
            if matches!(m, Mutation::NilEmpty) {
                el.items.clear();
            }
            Some(format!("xsi:nil={v:?} on {} ({m:?})", el.name))
        }
        Mutation::Harmless => {
            let p = pick_where(rng, &root_snapshot, &|_, _| true)?;
            let el = at(root, &p);
            match rng.below(3) {
                0 => {
                    let pos = rng.below(el.items.len() + 1);
                    el.items.insert(pos, Item::Comment(" uwaga ".into()));
                }
                1 if el.complex => {
                    let pos = rng.below(el.items.len() + 1);
                    el.items.insert(pos, Item::Text("\n  ".into()));
                }
                _ => {
                    // Split a text value into text + CDATA.
                    if let Some(Item::Text(t)) = el.items.first().cloned() {
                        let cut = t
                            .char_indices()
                            .nth(t.chars().count() / 2)
                            .map_or(0, |(i, _)| i);
                        el.items = vec![Item::Text(t[..cut].into()), Item::CData(t[cut..].into())];
                    } else {
                        el.items.push(Item::Comment("x".into()));
                    }
                }
            }
            Some(format!("harmless change in {}", el.name))
        }
        Mutation::GovNamespace => {
            root.decls[0].1 = ZUS_GOV_NAMESPACE.into();
            Some("root in the zus.gov.pl namespace".into())
        }
        Mutation::EmptyValue => {
            let p = pick_where(rng, &root_snapshot, &|e, _| !e.complex)?;
            let el = at(root, &p);
            el.items.clear();
            Some(format!("empty {}", el.name))
        }
    }
}

struct Case {
    file: String,
    what: String,
    xml: String,
    gov: bool,
}

fn build_corpus(info: &Info, kedu: String) -> Vec<Case> {
    let generator = Generator { info, kedu };
    let mut cases = Vec::new();
    let mut rng = Rng(0x5eed_2018_e21a_0001);
    let push = |what: String, body: &El, cases: &mut Vec<Case>| {
        let gov = body.decls.iter().any(|(_, u)| u == ZUS_GOV_NAMESPACE);
        cases.push(Case {
            file: format!("case{:04}.xml", cases.len()),
            what,
            xml: body.xml(),
            gov,
        });
    };
    for (i, (name, ty)) in info.elements.iter().enumerate() {
        let minimal = generator.body(name, ty, Fill::Minimal, i);
        let full = generator.body(name, ty, Fill::Full, i + 1);
        push(format!("{name}: minimal valid"), &minimal, &mut cases);
        push(format!("{name}: full valid"), &full, &mut cases);
        // Mutations: requests get more than responses.
        let rounds = if name.ends_with("Response") { 6 } else { 14 };
        for round in 0..rounds {
            let mut body = if round % 2 == 0 {
                minimal.clone()
            } else {
                full.clone()
            };
            let steps = 1 + rng.below(if round < rounds / 2 { 1 } else { 3 });
            let mut what = Vec::new();
            for _ in 0..steps {
                // Walk the mutation list so that every kind occurs for every element.
                let m = MUTATIONS[(i * 7 + round + what.len() * 3) % MUTATIONS.len()];
                let m = if rng.below(3) == 0 {
                    *rng.pick(&MUTATIONS)
                } else {
                    m
                };
                if let Some(d) = mutate(&mut body, m, &mut rng, info) {
                    what.push(d);
                }
            }
            if what.is_empty() {
                continue;
            }
            push(format!("{name}: {}", what.join("; ")), &body, &mut cases);
        }
    }
    // Targeted: every tricky value of every constrained type, in the first body that has an
    // element of that type.
    let mut seen_types: Vec<String> = Vec::new();
    for (i, (name, ty)) in info.elements.iter().enumerate() {
        let full = generator.body(name, ty, Fill::Full, i + 1);
        for path in all_paths(&full) {
            let el_ty = at_ref(&full, &path).ty.clone();
            if at_ref(&full, &path).complex || seen_types.contains(&el_ty) {
                continue;
            }
            seen_types.push(el_ty.clone());
            for v in tricky_values(&el_ty) {
                let mut body = full.clone();
                let el = at(&mut body, &path);
                el.items = vec![Item::Text((*v).to_owned())];
                let what = format!("{name}: {} ({el_ty}) = {v:?}", el.name);
                push(what, &body, &mut cases);
            }
        }
    }
    // Targeted: xsi:nil on the nillable elements (in notyfikujAnulowanieZla's request).
    let Some((name, ty)) = info
        .elements
        .iter()
        .find(|(n, _)| n == "notyfikujAnulowanieZla")
    else {
        return cases;
    };
    let full = generator.body(name, ty, Fill::Full, 0);
    for path in all_paths(&full) {
        let target = at_ref(&full, &path).name.clone();
        if target != "SeriaNumerZla" && target != "DodatkoweInformacje" {
            continue;
        }
        for (nil, content) in [
            ("true", None),
            ("1", None),
            (" true ", None),
            ("true", Some(Item::Text(" ".into()))),
            ("true", Some(Item::Comment("c".into()))),
            ("true", Some(Item::Text("x".into()))),
            ("false", None),
            ("yes", None),
        ] {
            let mut body = full.clone();
            let el = at(&mut body, &path);
            el.attrs.push(("xsi:nil".into(), nil.into()));
            if let Some(c) = &content {
                el.items = vec![c.clone()];
            } else if nil != "false" {
                el.items.clear();
            }
            let what = format!("{name}: xsi:nil={nil:?} on {target} with {content:?}");
            push(what, &body, &mut cases);
        }
    }
    cases
}

#[test]
fn agrees_with_xmllint() {
    let (Some(wsdl), Some(kedu)) = (wsdl(), vector("ked_zla_unsigned_oryginal_medfile.xml")) else {
        return;
    };
    if !have_xmllint() {
        return;
    }
    let schema = load(&wsdl);
    let wsdl_text = String::from_utf8(wsdl).expect("utf-8");
    let xsd = extract_xsd(&wsdl_text);
    let info = read_info(&xsd);
    assert_eq!(info.elements.len(), 78);

    let dir = scratch("schema-corpus");
    std::fs::write(dir.join("zus.xsd"), &xsd).expect("write xsd");
    std::fs::write(
        dir.join("zus-gov.xsd"),
        xsd.replace(ZUS_NAMESPACE, ZUS_GOV_NAMESPACE),
    )
    .expect("write xsd");

    let kedu = String::from_utf8(kedu).expect("utf-8");
    let cases = build_corpus(&info, kedu);
    for c in &cases {
        std::fs::write(dir.join(&c.file), &c.xml).expect("write case");
    }
    let (gov, zus): (Vec<&Case>, Vec<&Case>) = cases.iter().partition(|c| c.gov);
    let mut verdicts = xmllint_verdicts(
        &dir,
        "zus.xsd",
        &zus.iter().map(|c| c.file.clone()).collect::<Vec<_>>(),
    );
    verdicts.extend(xmllint_verdicts(
        &dir,
        "zus-gov.xsd",
        &gov.iter().map(|c| c.file.clone()).collect::<Vec<_>>(),
    ));

    let accepted = [ZUS_NAMESPACE, ZUS_GOV_NAMESPACE];
    let mut mismatches = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    let mut rules: HashMap<String, usize> = HashMap::new();
    for c in &cases {
        let (theirs, why) = &verdicts[&c.file];
        let ours = schema.validate_bytes(c.xml.as_bytes(), &accepted);
        if let Err(violations) = &ours {
            for v in violations {
                let rule = format!("{:?}", v.rule);
                let kind = rule.split([' ', '{', '(']).next().unwrap_or("").to_owned();
                *rules.entry(kind).or_default() += 1;
                // Every message is one line.
                assert!(!v.to_string().contains('\n'), "{v}");
            }
        }
        if *theirs {
            valid += 1;
        } else {
            invalid += 1;
        }
        if ours.is_ok() != *theirs {
            mismatches.push(format!(
                "{} ({}): xmllint {} / ours {:?}\n{}{}",
                c.file,
                c.what,
                if *theirs { "valid" } else { "invalid" },
                ours.err()
                    .map(|v| v.iter().map(|x| x.to_string()).collect::<Vec<_>>()),
                why,
                c.xml.chars().take(1500).collect::<String>(),
            ));
        }
        // Every unmutated body is valid: the corpus really exercises every operation.
        if c.what.ends_with(": minimal valid") || c.what.ends_with(": full valid") {
            assert!(*theirs, "{}: xmllint rejects a base body: {why}", c.what);
        }
    }
    println!(
        "agreement corpus: {} cases ({valid} valid, {invalid} invalid per xmllint); rules seen: {rules:?}",
        cases.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} cases disagree with xmllint:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
    assert!(cases.len() >= 300, "only {} cases", cases.len());
    assert!(
        valid >= 150 && invalid >= 300,
        "{valid} valid, {invalid} invalid"
    );
    for kind in [
        "UnexpectedElement",
        "MissingElement",
        "TooMany",
        "BadValue",
        "UnknownAttribute",
        "TextInElementOnly",
        "ElementInSimpleContent",
        "WrongNamespace",
        "NotNillable",
        "NilledNotEmpty",
        "BadXsiType",
        "ContentNotEmpty",
    ] {
        assert!(
            rules.contains_key(kind),
            "no case produced {kind}: {rules:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------
// The WSDL's operations

#[test]
fn operations_of_the_2018_wsdl() {
    let Some(wsdl) = wsdl() else { return };
    let schema = load(&wsdl);
    assert_eq!(schema.target_namespace(), ZUS_NAMESPACE);
    let ops: Vec<_> = schema.operations().collect();
    assert_eq!(ops.len(), 39);
    for op in &ops {
        assert_eq!(
            op.soap_action(),
            format!("zus_channel_zla_Binder_{}", op.name())
        );
        assert_eq!(op.input_element(), op.name());
        assert_eq!(op.output_element(), format!("{}Response", op.name()));
        assert!(schema.declares(op.input_element()));
    }
    let login = schema
        .operation_for_action("zus_channel_zla_Binder_zalogujPodpisem")
        .expect("zalogujPodpisem");
    assert_eq!(login.name(), "zalogujPodpisem");
    assert_eq!(login.input_element(), "zalogujPodpisem");
    assert_eq!(login.output_element(), "zalogujPodpisemResponse");
    // As an HTTP header carries it.
    assert_eq!(
        schema
            .operation_for_action("\"zus_channel_zla_Binder_usunSesje\"")
            .map(|o| o.name()),
        Some("usunSesje")
    );
    assert!(schema.operation_for_action("zalogujPodpisem").is_none());
    assert_eq!(
        schema
            .operation_for_input("walidujDokumenty")
            .map(|o| o.soap_action()),
        Some("zus_channel_zla_Binder_walidujDokumenty")
    );
    // 2018: no pobierzSeriaNumerZla yet.
    assert!(schema.operation_for_input("pobierzSeriaNumerZla").is_none());
}

const LOGIN_NPWZ: &str = r#"<z:zalogujPodpisem xmlns:z="http://zus.pl/b2b/zus/channel/gabinetowe"><PodpisaneOswiadczenie>PD94bWw=</PodpisaneOswiadczenie><MetodaWeryfikacji>certyfikat</MetodaWeryfikacji><NumerPrawaWykonywaniaZawodu>1234567</NumerPrawaWykonywaniaZawodu></z:zalogujPodpisem>"#;

#[test]
fn supplements_replace_and_add() {
    let Some(wsdl) = wsdl() else { return };
    let base = load(&wsdl);
    let ns = [ZUS_NAMESPACE];
    let err = base.validate_bytes(LOGIN_NPWZ.as_bytes(), &ns).unwrap_err();
    assert!(
        matches!(&err[0].rule, Rule::UnexpectedElement { name, .. } if name == "NumerPrawaWykonywaniaZawodu"),
        "{err:?}"
    );

    let merged = base
        .with_supplement(&data("supplement.xsd"))
        .and_then(|s| s.with_supplement(&data("supplement.wsdl")))
        .unwrap_or_else(|e| panic!("{e}"));
    // The later zalogujPodpisem type replaces the 2018 one...
    assert_eq!(merged.validate_bytes(LOGIN_NPWZ.as_bytes(), &ns), Ok(()));
    let bad = LOGIN_NPWZ.replace(">1234567<", ">123456<");
    let err = merged.validate_bytes(bad.as_bytes(), &ns).unwrap_err();
    assert_eq!(
        err[0].to_string(),
        "/zalogujPodpisem/NumerPrawaWykonywaniaZawodu: value \"123456\" is not a valid Npwz: \
         does not match pattern '\\d{7,7}'"
    );
    // ... the 2018 form stays valid (the new element is optional) ...
    let old = r#"<z:zalogujPodpisem xmlns:z="http://zus.pl/b2b/zus/channel/gabinetowe"><PodpisaneOswiadczenie>x</PodpisaneOswiadczenie><MetodaWeryfikacji>ePuap</MetodaWeryfikacji></z:zalogujPodpisem>"#;
    assert_eq!(merged.validate_bytes(old.as_bytes(), &ns), Ok(()));
    // ... and the new operation routes and validates, using 2018 types.
    let op = merged
        .operation_for_action("zus_channel_zla_Binder_pobierzSeriaNumerZla")
        .expect("new operation");
    assert_eq!(op.input_element(), "pobierzSeriaNumerZla");
    assert_eq!(merged.operations().count(), 40);
    let req = r#"<z:pobierzSeriaNumerZla xmlns:z="http://zus.pl/b2b/zus/channel/gabinetowe"><IdSesji>abc</IdSesji><Liczba>2</Liczba></z:pobierzSeriaNumerZla>"#;
    assert_eq!(merged.validate_bytes(req.as_bytes(), &ns), Ok(()));
    let req = req.replace(">abc<", ">a-c<");
    assert!(merged.validate_bytes(req.as_bytes(), &ns).is_err());
    // The base schema is unchanged.
    assert!(base.validate_bytes(LOGIN_NPWZ.as_bytes(), &ns).is_err());

    // A WSDL fragment naming an element nobody declared is refused.
    let Err(SchemaError::Invalid { message, .. }) = base.with_supplement(&data("supplement.wsdl"))
    else {
        panic!("binding to undeclared elements accepted");
    };
    assert!(message.contains("pobierzSeriaNumerZla"), "{message}");
    // Another target namespace is refused.
    let other = String::from_utf8(data("supplement.xsd"))
        .expect("utf-8")
        .replace(ZUS_NAMESPACE, "urn:inny");
    assert!(matches!(
        base.with_supplement(other.as_bytes()),
        Err(SchemaError::Unsupported { .. })
    ));
}

// ---------------------------------------------------------------------------------------
// The subset: what is refused at load

fn xsd_with(body: &str) -> String {
    format!(
        r#"<xsd:schema targetNamespace="urn:t" xmlns:t="urn:t" xmlns:xsd="http://www.w3.org/2001/XMLSchema">{body}</xsd:schema>"#
    )
}

#[test]
fn refuses_constructs_outside_the_subset() {
    let cases: &[(&str, &str)] = &[
        (
            r#"<xsd:complexType name="a"><xsd:choice/></xsd:complexType>"#,
            "xsd:choice",
        ),
        (
            r#"<xsd:complexType name="a"><xsd:sequence><xsd:element ref="t:b"/></xsd:sequence></xsd:complexType>"#,
            "ref=",
        ),
        (
            r#"<xsd:complexType name="a"><xsd:sequence><xsd:any/></xsd:sequence></xsd:complexType>"#,
            "xsd:any",
        ),
        (
            r#"<xsd:complexType name="a" mixed="true"><xsd:sequence/></xsd:complexType>"#,
            "mixed",
        ),
        (
            r#"<xsd:complexType name="a"><xsd:complexContent/></xsd:complexType>"#,
            "xsd:complexContent",
        ),
        (
            r#"<xsd:element name="e"><xsd:complexType/></xsd:element>"#,
            "anonymous",
        ),
        (r#"<xsd:element name="e"/>"#, "anyType"),
        (r#"<xsd:element name="e" type="xsd:short"/>"#, "xsd:short"),
        (
            r#"<xsd:simpleType name="s"><xsd:list itemType="xsd:int"/></xsd:simpleType>"#,
            "xsd:list",
        ),
        (
            r#"<xsd:simpleType name="s"><xsd:restriction base="xsd:int"><xsd:minInclusive value="1"/></xsd:restriction></xsd:simpleType>"#,
            "minInclusive",
        ),
        (
            r#"<xsd:simpleType name="s"><xsd:restriction base="xsd:string"><xsd:pattern value="\w+"/></xsd:restriction></xsd:simpleType>"#,
            "\\w",
        ),
        (
            r#"<xsd:simpleType name="s"><xsd:restriction base="xsd:int"><xsd:enumeration value="1"/></xsd:restriction></xsd:simpleType>"#,
            "enumeration",
        ),
        (
            r#"<xsd:complexType name="a"><xsd:attribute name="x" type="xsd:string" default="1"/></xsd:complexType>"#,
            "default",
        ),
        (
            r#"<xsd:complexType name="a"><xsd:attribute name="x" type="xsd:string" use="prohibited"/></xsd:complexType>"#,
            "prohibited",
        ),
        (r#"<xsd:import namespace="urn:x"/>"#, "xsd:import"),
        (
            r#"<xsd:element name="e" type="xsd:string" default="x"/>"#,
            "default",
        ),
    ];
    for (body, construct) in cases {
        match Schema::from_xsd(xsd_with(body).as_bytes()) {
            Err(e @ SchemaError::Unsupported { .. }) => {
                assert!(e.to_string().contains(construct), "{body}: {e}");
            }
            other => panic!("{body}: expected Unsupported naming {construct}, got {other:?}"),
        }
    }
    let qualified = r#"<xsd:schema targetNamespace="urn:t" elementFormDefault="qualified" xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>"#;
    assert!(matches!(
        Schema::from_xsd(qualified.as_bytes()),
        Err(SchemaError::Unsupported { .. })
    ));
    // Malformed rather than unsupported.
    for body in [
        r#"<xsd:element name="e" type="t:nope"/>"#,
        r#"<xsd:simpleType name="a"><xsd:restriction base="t:b"/></xsd:simpleType><xsd:simpleType name="b"><xsd:restriction base="t:a"/></xsd:simpleType>"#,
        r#"<xsd:complexType name="a"><xsd:sequence><xsd:element name="x" type="xsd:string" minOccurs="0"/><xsd:element name="x" type="xsd:string"/></xsd:sequence></xsd:complexType>"#,
        r#"<xsd:complexType name="a"><xsd:sequence><xsd:element name="x" type="xsd:string" minOccurs="2" maxOccurs="1"/></xsd:sequence></xsd:complexType>"#,
        r#"<xsd:simpleType name="s"><xsd:restriction base="xsd:int"><xsd:whiteSpace value="preserve"/></xsd:restriction></xsd:simpleType>"#,
    ] {
        assert!(
            matches!(
                Schema::from_xsd(xsd_with(body).as_bytes()),
                Err(SchemaError::Invalid { .. })
            ),
            "{body}"
        );
    }
    assert!(matches!(
        Schema::from_xsd(b"<a/>"),
        Err(SchemaError::NotASchema { .. })
    ));
    assert!(matches!(
        Schema::from_xsd(b"<!DOCTYPE x []><x/>"),
        Err(SchemaError::Xml(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Facets and messages on a small hand-written schema, checked against xmllint too

const FACETS_NS: &str = "urn:ezla:test:facets";

fn proba(inner: &str, attrs: &str) -> String {
    format!(
        r#"<t:proba xmlns:t="{FACETS_NS}" wymagany="abc"{attrs}>{inner}<koniec>true</koniec></t:proba>"#
    )
}

#[test]
fn facets_and_messages() {
    let schema = Schema::from_xsd(&data("facets.xsd")).unwrap_or_else(|e| panic!("{e}"));
    // (body, expected message of the first violation, or None for valid)
    let cases: Vec<(String, Option<&str>)> = vec![
        (proba("", ""), None),
        (proba("<kod>abc</kod>", ""), None),
        (proba("<kod>ąęł</kod>", ""), None),
        (
            proba("<kod>abcd</kod>", ""),
            Some(r#"/proba/kod: value "abcd" is not a valid Kod: length must be 3"#),
        ),
        (proba("<krotki>ab</krotki>", ""), None),
        (
            proba("<krotki>a</krotki>", ""),
            Some(r#"/proba/krotki: value "a" is not a valid Krotki: length must be at least 2"#),
        ),
        (
            proba("<krotki>abcde</krotki>", ""),
            Some(r#"/proba/krotki: value "abcde" is not a valid Krotki: length must be at most 4"#),
        ),
        (proba("<zwin>\n a \t b </zwin>", ""), None),
        (
            proba("<zwin>ab</zwin>", ""),
            Some(r#"/proba/zwin: value "ab" is not a valid Zwin: must be one of 'a b', 'c'"#),
        ),
        (proba("<zamien>a\tb</zamien>", ""), None),
        (
            proba("<zamien> a b</zamien>", ""),
            Some(
                r#"/proba/zamien: value " a b" is not a valid Zamien: does not match pattern 'a b'"#,
            ),
        ),
        (proba("<wzor>AB</wzor>", ""), None),
        (proba("<wzor>123</wzor>", ""), None),
        (
            proba("<wzor>AB1</wzor>", ""),
            Some(
                r#"/proba/wzor: value "AB1" is not a valid Wzor: does not match pattern '[A-Z]{2}', '\d{3}'"#,
            ),
        ),
        (proba("<pochodny>AB</pochodny>", ""), None),
        (
            proba("<pochodny>123</pochodny>", ""),
            Some(r#"/proba/pochodny: value "123" is not a valid Pochodny: length must be 2"#),
        ),
        (proba("<chwila>2024-01-01T10:00:00.5Z</chwila>", ""), None),
        (
            proba("<chwila>2024-01-01</chwila>", ""),
            Some(
                r#"/proba/chwila: value "2024-01-01" is not a valid xsd:dateTime: expected yyyy-mm-ddThh:mm:ss with an optional timezone"#,
            ),
        ),
        (proba("<kwota> -12.50 </kwota>", ""), None),
        (proba("<dane>QUJD RA==</dane>", ""), None),
        (
            proba("<dane>QUJDRB==</dane>", ""),
            Some(
                r#"/proba/dane: value "QUJDRB==" is not a valid xsd:base64Binary: expected base64 (A-Z a-z 0-9 + / with = padding)"#,
            ),
        ),
        (
            proba("<liczba>2147483648</liczba>", ""),
            Some(r#"/proba/liczba: value "2147483648" is not a valid xsd:int: out of range"#),
        ),
        (proba("<powtorz/><powtorz/><powtorz/>", ""), None),
        (
            proba("<powtorz/><powtorz/><powtorz/><powtorz/>", ""),
            Some(r#"/proba/powtorz[4]: too many "powtorz" elements (at most 3)"#),
        ),
        (
            proba("<krotki>ab</krotki><kod>abc</kod>", ""),
            Some(
                r#"/proba/kod: unexpected element "kod"; expected one of 'zwin', 'zamien', 'wzor', 'pochodny', 'chwila', 'kwota', 'dane', 'liczba', 'powtorz', 'koniec'"#,
            ),
        ),
        (
            format!(r#"<t:proba xmlns:t="{FACETS_NS}" wymagany="abc"><kod>abc</kod></t:proba>"#),
            Some(r#"/proba: missing element "koniec""#),
        ),
        (
            format!(r#"<t:proba xmlns:t="{FACETS_NS}"><koniec>1</koniec></t:proba>"#),
            Some(r#"/proba: required attribute "wymagany" is missing"#),
        ),
        (proba("", r#" opcja="-7""#), None),
        (
            proba("", r#" opcja="siedem""#),
            Some(
                r#"/proba: attribute "opcja" value "siedem" is not a valid xsd:int: expected an integer ([+-]?[0-9]+)"#,
            ),
        ),
        (
            proba("", r#" inny="1""#),
            Some(r#"/proba: attribute "inny" is not allowed"#),
        ),
        (
            proba("tekst", ""),
            Some("/proba: text is not allowed here (the content is elements only)"),
        ),
        (
            proba("<kod>a<b/>c</kod>", ""),
            Some(r#"/proba/kod: element "b" is not allowed here (the content is a simple value)"#),
        ),
        (
            proba(r#"<t:kod>abc</t:kod>"#, ""),
            Some(
                r#"/proba/kod: element "kod" is in namespace "urn:ezla:test:facets"; local elements are unqualified"#,
            ),
        ),
        (
            r#"<proba wymagany="abc"><koniec>1</koniec></proba>"#.to_owned(),
            Some(r#"/proba: element "proba" is in no namespace; expected 'urn:ezla:test:facets'"#),
        ),
        (
            format!(r#"<t:inny xmlns:t="{FACETS_NS}"/>"#),
            Some(r#"/inny: element "inny" is not declared by the schema"#),
        ),
        (
            format!(
                r#"<t:proba xmlns:t="{FACETS_NS}" xmlns:xsi="{XSI_NS}" wymagany="abc"><koniec xsi:nil="true"/></t:proba>"#
            ),
            Some("/proba/koniec: xsi:nil is not allowed (the element is not nillable)"),
        ),
    ];
    let dir = if have_xmllint() {
        let dir = scratch("schema-facets");
        std::fs::write(dir.join("facets.xsd"), data("facets.xsd")).expect("write");
        Some(dir)
    } else {
        None
    };
    let mut files = Vec::new();
    for (i, (body, expected)) in cases.iter().enumerate() {
        let got = schema.validate_bytes(body.as_bytes(), &[FACETS_NS]);
        match (expected, &got) {
            (None, Ok(())) => {}
            (Some(message), Err(v)) => assert_eq!(v[0].to_string(), *message, "{body}"),
            _ => panic!("{body}: expected {expected:?}, got {got:?}"),
        }
        if let Some(dir) = &dir {
            let file = format!("f{i:02}.xml");
            std::fs::write(dir.join(&file), body).expect("write");
            files.push(file);
        }
    }
    if let Some(dir) = dir {
        let verdicts = xmllint_verdicts(&dir, "facets.xsd", &files);
        for (i, (body, expected)) in cases.iter().enumerate() {
            let (theirs, why) = &verdicts[&files[i]];
            assert_eq!(
                *theirs,
                expected.is_none(),
                "xmllint disagrees on {body}: {why}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn paths_number_repeated_elements() {
    let Some(wsdl) = wsdl() else { return };
    let schema = load(&wsdl);
    let dok = |kedu: &str| format!("<Dokument><KEDU><KEDU>{kedu}</KEDU></KEDU></Dokument>");
    let body = format!(
        r#"<z:wyslijDokumenty xmlns:z="{ZUS_NAMESPACE}"><IdSesji>abc</IdSesji><Tryb>Biezacy</Tryb>{}{}</z:wyslijDokumenty>"#,
        dok("x"),
        "<Dokument><KEDU><KEDU>x</KEDU><Nadmiar/></KEDU></Dokument>"
    );
    let err = schema
        .validate_bytes(body.as_bytes(), &[ZUS_NAMESPACE])
        .unwrap_err();
    assert_eq!(
        err[0].to_string(),
        r#"/wyslijDokumenty/Dokument[2]/KEDU/Nadmiar: unexpected element "Nadmiar"; no more elements are allowed"#
    );
    // The alias namespace only when asked for.
    let body = format!(
        r#"<z:usunSesje xmlns:z="{ZUS_GOV_NAMESPACE}"><IdSesji>abc</IdSesji></z:usunSesje>"#
    );
    assert!(
        schema
            .validate_bytes(body.as_bytes(), &[ZUS_NAMESPACE])
            .is_err()
    );
    assert_eq!(
        schema.validate_bytes(body.as_bytes(), &[ZUS_NAMESPACE, ZUS_GOV_NAMESPACE]),
        Ok(())
    );
    // Missing before a later element.
    let body = format!(
        r#"<z:pobierzDokument xmlns:z="{ZUS_NAMESPACE}"><IdSesji>a</IdSesji><SeriaNumerZla><Seria>ZA</Seria><Numer>1234567</Numer></SeriaNumerZla><KontekstDostepu>WystawienieZla</KontekstDostepu></z:pobierzDokument>"#
    );
    let err = schema
        .validate_bytes(body.as_bytes(), &[ZUS_NAMESPACE])
        .unwrap_err();
    assert_eq!(
        err[0].to_string(),
        r#"/pobierzDokument/SeriaNumerZla: missing element "RodzajDokumentu" before "SeriaNumerZla""#
    );
    // Every violation is reported, in document order.
    let body = format!(
        r#"<z:pobierzDokument xmlns:z="{ZUS_NAMESPACE}"><IdSesji>a-</IdSesji><RodzajDokumentu>X</RodzajDokumentu><SeriaNumerZla><Seria>Z</Seria><Numer>1</Numer></SeriaNumerZla><KontekstDostepu>?</KontekstDostepu></z:pobierzDokument>"#
    );
    let err = schema
        .validate_bytes(body.as_bytes(), &[ZUS_NAMESPACE])
        .unwrap_err();
    let paths: Vec<&str> = err.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/pobierzDokument/IdSesji",
            "/pobierzDokument/RodzajDokumentu",
            "/pobierzDokument/SeriaNumerZla/Seria",
            "/pobierzDokument/SeriaNumerZla/Numer",
            "/pobierzDokument/KontekstDostepu"
        ]
    );
    assert!(matches!(
        &err[1].rule,
        Rule::BadValue { facet: FacetKind::Enumeration(v), .. } if v.len() == 4
    ));
}

/// Where we follow XML Schema 1.0 and libxml2 2.9 does not: whitespace around date and
/// long values (the built-ins' fixed whiteSpace="collapse"), and integers past 24 digits.
/// xmllint's verdict is printed, not asserted, so a fixed libxml2 does not break the test.
#[test]
fn known_differences_from_xmllint() {
    let schema = Schema::from_xsd(
        xsd_with(
            r#"<xsd:element name="d" type="xsd:date"/><xsd:element name="l" type="xsd:long"/><xsd:element name="i" type="xsd:integer"/>"#,
        )
        .as_bytes(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        r#"<t:d xmlns:t="urn:t"> 2024-01-01 </t:d>"#,
        "<t:d xmlns:t=\"urn:t\">\n2024-01-01\n</t:d>",
        r#"<t:l xmlns:t="urn:t"> 12 </t:l>"#,
        r#"<t:i xmlns:t="urn:t">1234567890123456789012345</t:i>"#,
    ];
    let dir = have_xmllint().then(|| {
        let dir = scratch("schema-differences");
        std::fs::write(
            dir.join("s.xsd"),
            xsd_with(
                r#"<xsd:element name="d" type="xsd:date"/><xsd:element name="l" type="xsd:long"/><xsd:element name="i" type="xsd:integer"/>"#,
            ),
        )
        .expect("write");
        dir
    });
    for (i, body) in cases.iter().enumerate() {
        assert_eq!(
            schema.validate_bytes(body.as_bytes(), &["urn:t"]),
            Ok(()),
            "{body}"
        );
        if let Some(dir) = &dir {
            let file = format!("k{i}.xml");
            std::fs::write(dir.join(&file), body).expect("write");
            let v = xmllint_verdicts(dir, "s.xsd", std::slice::from_ref(&file));
            println!(
                "known difference {body:?}: ours valid, xmllint valid={}",
                v[&file].0
            );
        }
    }
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

// ---------------------------------------------------------------------------------------
// Hostile input

#[test]
fn hostile_input_stays_bounded() {
    let schema = Schema::from_xsd(&data("facets.xsd")).unwrap_or_else(|e| panic!("{e}"));
    // Very many unexpected and bad children: the report is capped.
    let inner = "<powtorz/>".repeat(200_000);
    let body = proba(&inner, "");
    let start = std::time::Instant::now();
    let err = schema
        .validate_bytes(body.as_bytes(), &[FACETS_NS])
        .unwrap_err();
    assert!(err.len() <= ezla_sim::schema::MAX_VIOLATIONS);
    // A long value against a pattern: linear.
    let long = "A".repeat(4_000_000);
    let body = proba(&format!("<wzor>{long}</wzor>"), "");
    let err = schema
        .validate_bytes(body.as_bytes(), &[FACETS_NS])
        .unwrap_err();
    assert!(
        err[0].to_string().len() < 200,
        "message quotes the value whole"
    );
    // Deeper than the core parser allows: refused before validation.
    let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
    let err = schema
        .validate_bytes(deep.as_bytes(), &[FACETS_NS])
        .unwrap_err();
    assert!(matches!(err[0].rule, Rule::NotWellFormed { .. }), "{err:?}");
    let Some(wsdl) = wsdl() else { return };
    let zus = load(&wsdl);
    // 50 000 documents, each with a bad attribute: the report stops at the cap.
    let body = format!(
        r#"<z:wyslijDokumenty xmlns:z="{ZUS_NAMESPACE}"><IdSesji>a</IdSesji><Tryb>Biezacy</Tryb>{}</z:wyslijDokumenty>"#,
        r#"<Dokument NrRef="a;b"><KEDU><KEDU>x</KEDU></KEDU></Dokument>"#.repeat(50_000)
    );
    let err = zus
        .validate_bytes(body.as_bytes(), &[ZUS_NAMESPACE])
        .unwrap_err();
    assert_eq!(err.len(), ezla_sim::schema::MAX_VIOLATIONS);
    assert_eq!(err[99].path, "/wyslijDokumenty/Dokument[100]");
    // A tree built without the core's limits (20 000 levels): recursion follows only
    // elements the schema declares, so the walk stays shallow.
    let mut deep = format!(
        r#"<z:walidujDokumenty xmlns:z="{ZUS_NAMESPACE}"><IdSesji>a</IdSesji><Tryb>Biezacy</Tryb><Dokument><KEDU>"#
    );
    deep.push_str(&"<KEDU>".repeat(20_000));
    deep.push_str(&"</KEDU>".repeat(20_000));
    deep.push_str("</KEDU></Dokument></z:walidujDokumenty>");
    let doc = roxmltree::Document::parse_with_options(
        &deep,
        roxmltree::ParsingOptions {
            nodes_limit: u32::MAX,
            ..Default::default()
        },
    )
    .expect("roxmltree parses deep trees");
    let err = zus
        .validate(doc.root_element(), &[ZUS_NAMESPACE])
        .unwrap_err();
    assert!(
        matches!(&err[0].rule, Rule::ElementInSimpleContent { name } if name == "KEDU"),
        "{err:?}"
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn facets() -> Schema {
        Schema::from_xsd(&data("facets.xsd")).unwrap_or_else(|e| panic!("{e}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Arbitrary bytes never panic and always give a verdict.
        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = facets().validate_bytes(&bytes, &[FACETS_NS]);
        }

        /// Arbitrary text in every slot of a valid body: no panic, one-line messages.
        #[test]
        fn arbitrary_values(values in proptest::collection::vec("[ -~ąęł\t\n<>&;]{0,12}", 12)) {
            let slots = ["kod", "krotki", "zwin", "zamien", "wzor", "pochodny", "chwila", "kwota", "dane", "liczba", "powtorz"];
            let mut inner = String::new();
            for (slot, v) in slots.iter().zip(&values) {
                let v = v.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                inner.push_str(&format!("<{slot}>{v}</{slot}>"));
            }
            let attr = values[11].replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
            let body = proba(&inner, &format!(r#" opcja="{attr}""#));
            if let Err(v) = facets().validate_bytes(body.as_bytes(), &[FACETS_NS]) {
                for x in v {
                    prop_assert!(!x.to_string().contains('\n'));
                }
            }
        }
    }

    /// Random tree mutations of every WSDL body, several at a time: no panic.
    #[test]
    fn random_mutations_of_wsdl_bodies() {
        let (Some(wsdl), Some(kedu)) = (wsdl(), vector("ked_zla_unsigned_oryginal_medfile.xml"))
        else {
            return;
        };
        let schema = load(&wsdl);
        let wsdl_text = String::from_utf8(wsdl).expect("utf-8");
        let info = read_info(&extract_xsd(&wsdl_text));
        let generator = Generator {
            info: &info,
            kedu: String::from_utf8(kedu).expect("utf-8"),
        };
        let mut rng = Rng(0xf022_2018);
        let mut checked = 0;
        for round in 0..3000 {
            let (name, ty) = rng.pick(&info.elements).clone();
            let fill = if round % 2 == 0 {
                Fill::Minimal
            } else {
                Fill::Full
            };
            let mut body = generator.body(&name, &ty, fill, round);
            for _ in 0..1 + rng.below(6) {
                let m = *rng.pick(&MUTATIONS);
                let _ = mutate(&mut body, m, &mut rng, &info);
            }
            let xml = body.xml();
            if let Err(v) = schema.validate_bytes(xml.as_bytes(), &[ZUS_NAMESPACE]) {
                assert!(!v.is_empty());
                for x in v {
                    assert!(!x.to_string().contains('\n'), "{x}");
                }
            }
            checked += 1;
        }
        assert_eq!(checked, 3000);
    }
}

/// The supplement merged as xmllint sees it (the 2018 zalogujPodpisem type cut out, the
/// supplement's definitions added), and our merged schema, agree on a corpus of the new
/// and replaced elements.
#[test]
fn supplement_agrees_with_xmllint() {
    let (Some(wsdl), Some(kedu)) = (wsdl(), vector("ked_zla_unsigned_oryginal_medfile.xml")) else {
        return;
    };
    if !have_xmllint() {
        return;
    }
    let merged = load(&wsdl)
        .with_supplement(&data("supplement.xsd"))
        .unwrap_or_else(|e| panic!("{e}"));
    let wsdl_text = String::from_utf8(wsdl).expect("utf-8");
    let xsd = extract_xsd(&wsdl_text);
    let start = xsd
        .find(r#"<xsd:complexType name="zalogujPodpisem">"#)
        .expect("2018 zalogujPodpisem");
    let end =
        start + xsd[start..].find("</xsd:complexType>").expect("end") + "</xsd:complexType>".len();
    let supplement = String::from_utf8(data("supplement.xsd")).expect("utf-8");
    let body_start = supplement.find("<xsd:element").expect("supplement body");
    let body_end = supplement.rfind("</xsd:schema>").expect("supplement end");
    let close = xsd.rfind("</xsd:schema>").expect("schema end");
    let merged_xsd = format!(
        "{}{}{}{}",
        &xsd[..start],
        &xsd[end..close],
        &supplement[body_start..body_end],
        &xsd[close..]
    );
    let mut info = read_info(&merged_xsd);
    info.elements.retain(|(n, _)| {
        matches!(
            n.as_str(),
            "zalogujPodpisem" | "pobierzSeriaNumerZla" | "pobierzSeriaNumerZlaResponse"
        )
    });
    assert_eq!(info.elements.len(), 3);
    let cases = build_corpus(&info, String::from_utf8(kedu).expect("utf-8"));
    let dir = scratch("schema-supplement");
    std::fs::write(dir.join("merged.xsd"), &merged_xsd).expect("write");
    let mut files = Vec::new();
    for c in cases.iter().filter(|c| !c.gov) {
        std::fs::write(dir.join(&c.file), &c.xml).expect("write");
        files.push(c.file.clone());
    }
    let verdicts = xmllint_verdicts(&dir, "merged.xsd", &files);
    let mut valid = 0;
    for c in cases.iter().filter(|c| !c.gov) {
        let (theirs, why) = &verdicts[&c.file];
        let ours = merged.validate_bytes(c.xml.as_bytes(), &[ZUS_NAMESPACE]);
        assert_eq!(
            ours.is_ok(),
            *theirs,
            "{} ({}): {ours:?}\n{why}\n{}",
            c.file,
            c.what,
            c.xml
        );
        valid += usize::from(*theirs);
    }
    println!("supplement corpus: {} cases, {valid} valid", files.len());
    assert!(
        files.len() >= 40 && valid >= 6,
        "{} cases, {valid} valid",
        files.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
