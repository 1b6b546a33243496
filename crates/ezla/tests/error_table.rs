//! `docs/errors.md` is the one table of error codes; this test keeps it in step with
//! `ErrorCode`. Run with `EZLA_BLESS=1` to rewrite the table after adding a code.

use ezla::ErrorCode;

const BEGIN: &str = "<!-- BEGIN GENERATED TABLE: cargo test -p ezla --test error_table -->";
const END: &str = "<!-- END GENERATED TABLE -->";

fn table() -> String {
    let mut out =
        String::from("| code | name | family | C constant | meaning |\n|---:|---|---|---|---|\n");
    for &code in ErrorCode::ALL {
        let c_name = screaming_snake(code.name());
        out.push_str(&format!(
            "| {} | `{}` | {} | `EZLA_RESULT_{}` | {} |\n",
            code as u32,
            code.name(),
            code.family().name(),
            c_name,
            code.description()
        ));
    }
    out
}

fn screaming_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

#[test]
fn error_table_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/errors.md");
    let doc = std::fs::read_to_string(path).expect("docs/errors.md exists");
    let start = doc.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = doc.find(END).expect("end marker");
    let current = doc[start..end].trim();
    let wanted = table();
    if current != wanted.trim() {
        if std::env::var_os("EZLA_BLESS").is_some() {
            let updated = format!(
                "{}{BEGIN}\n{wanted}{}",
                &doc[..start - BEGIN.len()],
                &doc[end..]
            );
            std::fs::write(path, updated).expect("write docs/errors.md");
        } else {
            panic!(
                "docs/errors.md is out of date with ErrorCode; rerun with EZLA_BLESS=1.\nWanted:\n{wanted}"
            );
        }
    }
}
