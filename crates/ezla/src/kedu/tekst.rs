//! Text hygiene of the e-ZLA fields: which characters a field refuses, which script a letter
//! belongs to, and how a bad value is quoted in a message (a short, escaped prefix).
//!
//! The character classes are a small table rather than the Unicode database: the refused
//! characters are few and stable (controls, line and paragraph separators, invisible format
//! characters, whitespace other than the ordinary space, noncharacters, private use), and the
//! scripts only need telling Latin from Cyrillic and Greek letters.

/// How many characters of a bad value a message quotes.
pub(crate) const POKAZ_ZNAKOW: usize = 32;

/// Why a character may not appear in a text field, or `None` when it may. Line feed is
/// refused here too; the fields that allow it (justifications) let it through themselves.
pub(crate) fn niedozwolony(c: char) -> Option<&'static str> {
    let u = u32::from(c);
    let why = match c {
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\u{0}'..='\u{1F}' | '\u{7F}' => "a control character",
        '\u{80}'..='\u{9F}' => "a C1 control character",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        '\u{AD}' => "a soft hyphen (invisible)",
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "a zero-width character",
        '\u{200E}'
        | '\u{200F}'
        | '\u{061C}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => "a bidirectional control",
        // The rest of Unicode's format characters (category Cf): invisible operators,
        // deprecated format controls, prepended concatenation marks, interlinear
        // annotation, shorthand and musical format controls, tags.
        '\u{0600}'..='\u{0605}'
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08E2}'
        | '\u{180E}'
        | '\u{2061}'..='\u{2065}'
        | '\u{206A}'..='\u{206F}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{110BD}'
        | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}' => "an invisible format character",
        // Not in category Cf but as invisible: the combining grapheme joiner, variation
        // selectors (Mongolian ones too), Hangul fillers, Khmer inherent vowels.
        '\u{034F}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180B}'..='\u{180D}'
        | '\u{180F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FFA0}'
        | '\u{E0100}'..='\u{E01EF}' => "an invisible character",
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            "whitespace other than the ordinary space"
        }
        '\u{FDD0}'..='\u{FDEF}' => "a noncharacter",
        _ if u & 0xFFFE == 0xFFFE => "a noncharacter",
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'.. => "a private-use character",
        _ => return None,
    };
    Some(why)
}

/// The scripts the mixed-script warning tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pismo {
    /// Latin letters (ASCII, Latin-1, the Latin Extended blocks).
    Lacinskie,
    /// Cyrillic letters.
    Cyrylica,
    /// Greek letters.
    Greckie,
}

impl Pismo {
    /// The script's English name.
    pub(crate) const fn nazwa(self) -> &'static str {
        match self {
            Pismo::Lacinskie => "Latin",
            Pismo::Cyrylica => "Cyrillic",
            Pismo::Greckie => "Greek",
        }
    }

    /// The script of a letter, or `None` for other characters (digits, punctuation, spaces,
    /// letters of other scripts).
    pub(crate) fn of(c: char) -> Option<Pismo> {
        if !c.is_alphabetic() {
            return None;
        }
        match c {
            'A'..='Z'
            | 'a'..='z'
            | '\u{AA}'
            | '\u{BA}'
            | '\u{C0}'..='\u{24F}'
            | '\u{1E00}'..='\u{1EFF}'
            | '\u{2C60}'..='\u{2C7F}'
            | '\u{A720}'..='\u{A7FF}'
            | '\u{AB30}'..='\u{AB6F}'
            | '\u{FF21}'..='\u{FF3A}'
            | '\u{FF41}'..='\u{FF5A}' => Some(Pismo::Lacinskie),
            '\u{400}'..='\u{52F}'
            | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}'
            | '\u{A640}'..='\u{A69F}' => Some(Pismo::Cyrylica),
            '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}' => Some(Pismo::Greckie),
            _ => None,
        }
    }
}

/// The first script mixed with Latin letters in `s`: `Some(Cyrillic)` for `Kowalskі` with a
/// Cyrillic `і`. Cyrillic together with Greek (no Latin) is not reported: the warning is
/// about look-alikes of Latin letters in Polish documents.
pub(crate) fn mieszane_pismo(s: &str) -> Option<Pismo> {
    let mut latin = false;
    let mut other = None;
    for p in s.chars().filter_map(Pismo::of) {
        match p {
            Pismo::Lacinskie => latin = true,
            p => other = other.or(Some(p)),
        }
        if latin && other.is_some() {
            return other;
        }
    }
    None
}

/// Appends `c` to `out`, escaped as `\u{…}` when it is refused or could disturb the message
/// (controls, invisible characters, the backtick that delimits quoted values).
fn push_escaped(out: &mut String, c: char) {
    if niedozwolony(c).is_some() || c == '`' {
        out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// A value as a message quotes it: in backticks, refused characters escaped, at most
/// [`POKAZ_ZNAKOW`] characters; a longer value is cut with `…` and its length given:
/// `` `aaaa…` (10485760 characters) ``.
pub(crate) fn pokaz(s: &str) -> String {
    let mut out = String::from("`");
    let mut chars = s.chars();
    for c in chars.by_ref().take(POKAZ_ZNAKOW) {
        push_escaped(&mut out, c);
    }
    let rest = chars.count();
    out.push('`');
    if rest > 0 {
        out.insert(out.len() - 1, '…');
        out.push_str(&format!(" ({} characters)", POKAZ_ZNAKOW + rest));
    }
    out
}

/// [`pokaz`] without the backticks and the length, for names inside paths (element names,
/// JSON keys): at most [`POKAZ_ZNAKOW`] characters, then `…`.
pub(crate) fn skroc(s: &str) -> String {
    skroc_do(s, POKAZ_ZNAKOW)
}

/// [`skroc`] to at most `max` characters.
pub(crate) fn skroc_do(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    for c in chars.by_ref().take(max) {
        push_escaped(&mut out, c);
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Longest message [`skroc_komunikat`] returns, in characters.
const MAX_KOMUNIKAT: usize = 400;

/// A message from elsewhere (serde's), with every quoted run (`` `…` `` or `"…"`) longer
/// than [`POKAZ_ZNAKOW`] characters cut, refused characters escaped, and the whole capped
/// at a few hundred characters: serde quotes values in full (`unknown field `…``,
/// `invalid type: string "…"`). A run [`pokaz`] already cut (its characters and `…`) is
/// left as it is.
pub(crate) fn skroc_komunikat(msg: &str) -> String {
    let mut out = String::new();
    let mut chars = msg.chars().peekable();
    let mut written = 0usize;
    while let Some(c) = chars.next() {
        if written >= MAX_KOMUNIKAT {
            out.push('…');
            break;
        }
        if c != '`' && c != '"' {
            push_escaped(&mut out, c);
            written += 1;
            continue;
        }
        // A quoted run, up to the closing delimiter. An escape (`\"`, `\n`, `\u{202e}`, as
        // serde's and [`pokaz`]'s quoting writes them) counts as one character and is kept
        // whole.
        out.push(c);
        let mut inner = 0usize;
        let mut closed = false;
        let mut prefix_end = out.len();
        while let Some(d) = chars.next() {
            if d == c {
                closed = true;
                break;
            }
            let mut unit = String::new();
            // In a backtick run only `\u{…}` is an escape ([`pokaz`] writes no other).
            if d == '\\' && (c == '"' || chars.peek() == Some(&'u')) {
                unit.push(d);
                if let Some(e) = chars.next() {
                    unit.push(e);
                    if e == 'u' && chars.peek() == Some(&'{') {
                        for f in chars.by_ref().take(8) {
                            unit.push(f);
                            if f == '}' {
                                break;
                            }
                        }
                    }
                }
            }
            if inner == POKAZ_ZNAKOW {
                prefix_end = out.len();
            }
            if inner <= POKAZ_ZNAKOW {
                if unit.is_empty() {
                    push_escaped(&mut out, d);
                } else {
                    out.push_str(&unit);
                }
            }
            inner += 1;
        }
        let cut = inner > POKAZ_ZNAKOW + 1;
        if cut {
            out.truncate(prefix_end);
            out.push('…');
        }
        if closed {
            out.push(c);
        }
        if cut {
            out.push_str(&format!(" ({inner} characters)"));
        }
        written += inner.min(POKAZ_ZNAKOW + 1) + 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_classes() {
        for (c, why) in [
            ('\n', "a line break"),
            ('\r', "a carriage return"),
            ('\t', "a tab"),
            ('\u{1}', "a control character"),
            ('\u{7F}', "a control character"),
            ('\u{85}', "a C1 control character"),
            ('\u{2028}', "a line separator"),
            ('\u{2029}', "a paragraph separator"),
            ('\u{AD}', "a soft hyphen (invisible)"),
            ('\u{200B}', "a zero-width character"),
            ('\u{200D}', "a zero-width character"),
            ('\u{2060}', "a zero-width character"),
            ('\u{FEFF}', "a zero-width character"),
            ('\u{200E}', "a bidirectional control"),
            ('\u{202E}', "a bidirectional control"),
            ('\u{2066}', "a bidirectional control"),
            ('\u{2069}', "a bidirectional control"),
            ('\u{2064}', "an invisible format character"),
            ('\u{E0041}', "an invisible format character"),
            ('\u{FE0F}', "an invisible character"),
            ('\u{3164}', "an invisible character"),
            ('\u{A0}', "whitespace other than the ordinary space"),
            ('\u{3000}', "whitespace other than the ordinary space"),
            ('\u{FDD0}', "a noncharacter"),
            ('\u{FFFE}', "a noncharacter"),
            ('\u{1FFFF}', "a noncharacter"),
            ('\u{10FFFF}', "a noncharacter"),
            ('\u{E000}', "a private-use character"),
            ('\u{F0000}', "a private-use character"),
        ] {
            assert_eq!(niedozwolony(c), Some(why), "U+{:04X}", u32::from(c));
        }
        for c in [
            ' ', 'a', 'Ż', 'ó', '-', '\'', '"', '&', 'ß', 'Я', 'λ', '0', '€', '\u{FFFD}',
        ] {
            assert_eq!(niedozwolony(c), None, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn scripts() {
        assert_eq!(mieszane_pismo("Kowalski"), None);
        assert_eq!(mieszane_pismo("Żółć-Łęcka"), None);
        assert_eq!(mieszane_pismo("Иванов"), None);
        assert_eq!(mieszane_pismo("Παπαδόπουλος"), None);
        assert_eq!(mieszane_pismo("Kowalsk\u{456}"), Some(Pismo::Cyrylica)); // і
        assert_eq!(mieszane_pismo("\u{41E}la"), Some(Pismo::Cyrylica)); // О
        assert_eq!(mieszane_pismo("N\u{3BF}wak"), Some(Pismo::Greckie)); // ο
        assert_eq!(mieszane_pismo("Jan 2"), None);
        assert_eq!(Pismo::Greckie.nazwa(), "Greek");
    }

    #[test]
    fn quoting_is_short_and_escaped() {
        assert_eq!(pokaz("Kowalski"), "`Kowalski`");
        assert_eq!(pokaz("a\u{202E}b`c"), "`a\\u{202E}b\\u{0060}c`");
        let exact = "ż".repeat(POKAZ_ZNAKOW);
        assert_eq!(pokaz(&exact), format!("`{exact}`"));
        let long = "ż".repeat(POKAZ_ZNAKOW + 1);
        assert_eq!(
            pokaz(&long),
            format!("`{exact}…` ({} characters)", POKAZ_ZNAKOW + 1)
        );
        let huge = "x".repeat(10 * 1024 * 1024);
        let shown = pokaz(&huge);
        assert!(shown.len() < 80, "{shown}");
        assert!(shown.ends_with("(10485760 characters)"), "{shown}");
        assert_eq!(skroc("abc"), "abc");
        assert_eq!(skroc(&long), format!("{exact}…"));
    }

    #[test]
    fn serde_messages_are_cut() {
        let huge = "y".repeat(1_000_000);
        let msg = format!("unknown field `{huge}`, expected one of `imie`, `nazwisko`");
        let short = skroc_komunikat(&msg);
        assert!(short.len() < 200, "{short}");
        assert!(short.contains("(1000000 characters)"), "{short}");
        assert!(
            short.ends_with("expected one of `imie`, `nazwisko`"),
            "{short}"
        );
        let msg = format!("invalid type: string \"a\\\"{huge}\", expected struct Okres");
        let short = skroc_komunikat(&msg);
        assert!(short.len() < 200, "{short}");
        assert!(short.ends_with(", expected struct Okres"), "{short}");
        // Unquoted text is capped as a whole.
        let short = skroc_komunikat(&huge);
        assert_eq!(short.chars().count(), MAX_KOMUNIKAT + 1);
        assert_eq!(skroc_komunikat("a\u{202E}b"), "a\\u{202E}b");
        // What `pokaz` quoted is left as it is, escapes included.
        let quoted = format!(
            "unknown indication {}, expected",
            pokaz(&format!("\u{202E}{huge}"))
        );
        assert_eq!(skroc_komunikat(&quoted), quoted);
        let quoted = format!("bad {}", pokaz(&"\u{200B}".repeat(POKAZ_ZNAKOW)));
        assert_eq!(skroc_komunikat(&quoted), quoted);
        assert_eq!(
            skroc_komunikat("missing field `od` at line 1 column 2"),
            "missing field `od` at line 1 column 2"
        );
    }
}
