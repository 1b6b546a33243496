//! Build an e-ZLA from its JSON form, find every problem, and write the ORYGINAŁ and the
//! payer's KOPIA. The `documents` function is the one shown in the README (a test keeps
//! them equal).
//!
//! ```sh
//! cargo run -p ezla --example documents -- zla.json
//! cargo run -p ezla --example documents      # the repository's example zla.json
//! ```

use ezla::kedu::{Wariant, WriteOptions, Zla};

fn documents(json: &str) -> ezla::Result<(Vec<u8>, Vec<u8>)> {
    let zla = Zla::from_json(json)?;
    let today = ezla::pl::czas::today(); // the calendar day in Poland
    let validation = zla.validate(today); // every problem at once
    for p in &validation.problems {
        eprintln!("{p}");
    }
    let options = WriteOptions::default(); // producent "ezla", symbol "eZLA", wersja "1.0"
    let oryginal = zla.to_xml(Wariant::Oryginal, &options)?; // refuses a model with errors
    let kopia = zla.to_xml(Wariant::Kopia, &options)?; // no IV/p8, the ICD-10 code
    let (back, wariant) = Zla::from_xml(&kopia)?;
    assert_eq!(wariant, Wariant::Kopia);
    assert!(back.niezdolnosc.and_then(|n| n.kod_choroby).is_none()); // never in the KOPIA
    Ok((oryginal, kopia))
}

fn main() -> ezla::Result<()> {
    run(std::env::args().skip(1).collect())
}

fn run(args: Vec<String>) -> ezla::Result<()> {
    let path = args.into_iter().next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../ezla-cli/examples/zla.json").to_owned()
    });
    let json = std::fs::read_to_string(&path).map_err(|e| ezla::Error::io(&path, e))?;
    let (oryginal, kopia) = documents(&json)?;
    println!(
        "ORYGINAŁ {} bytes, KOPIA {} bytes",
        oryginal.len(),
        kopia.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_on_the_example_zla() {
        super::run(Vec::new()).expect("the README's e-ZLA example");
    }
}
