//! Escaping for hand-built XML.
//!
//! The escapes follow Canonical XML, so text written with these functions is already in
//! canonical form: `&amp;` `&lt;` `&gt;` and `&#xD;` in text; additionally `&quot;` `&#x9;`
//! `&#xA;` in attribute values (which keeps tabs and newlines through attribute-value
//! normalization).

use std::borrow::Cow;

/// Escapes character data for use between tags.
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Escapes a value for use inside a double-quoted attribute.
pub fn attribute(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, attr: bool) -> Cow<'_, str> {
    let needs = |b: u8| match b {
        b'&' | b'<' | b'>' | b'\r' => true,
        b'"' | b'\t' | b'\n' => attr,
        _ => false,
    };
    let Some(first) = s.bytes().position(needs) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for ch in s[first..].chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            '"' if attr => out.push_str("&quot;"),
            '\t' if attr => out.push_str("&#x9;"),
            '\n' if attr => out.push_str("&#xA;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert!(matches!(text("plain ąę"), Cow::Borrowed(_)));
        assert_eq!(text("a<b>&c\r\"\n"), "a&lt;b&gt;&amp;c&#xD;\"\n");
        assert_eq!(attribute("a\"b\t\n<"), "a&quot;b&#x9;&#xA;&lt;");
    }
}
