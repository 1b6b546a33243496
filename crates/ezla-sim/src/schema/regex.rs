//! XSD 1.0 regular expressions (XML Schema Part 2, appendix F) translated to the `regex` crate.
//!
//! An XSD pattern is implicitly anchored at both ends, has no anchors of its own (`^` and `$`
//! are ordinary characters), and escapes a different set of characters than Perl-style
//! syntax. The translation parses the XSD syntax and writes an equivalent `regex` pattern in
//! which every literal character outside `[0-9A-Za-z]` is spelled as `\x{…}`, so no XSD
//! character can acquire a meaning it does not have in XSD.
//!
//! Supported: branches (`|`), groups, the quantifiers `? * + {n} {n,} {n,m}`, `.`, character
//! classes with ranges, negation and subtraction, the single-character escapes, and the
//! multi-character escapes `\d \D \s \S`. Refused (with the construct named): `\i \I \c \C
//! \w \W` and the Unicode block and category escapes `\p{…} \P{…}`, whose tables we cannot
//! promise to match another validator's, and repetition counts above [`MAX_REPEAT`].
//!
//! Matching with the `regex` crate takes time linear in the value; patterns come from the
//! schema only, never from request data.

use std::fmt::Write as _;

/// Largest repetition count accepted in `{n,m}` (bounds the compiled program's size).
pub(crate) const MAX_REPEAT: u32 = 1000;

/// A compiled XSD pattern facet.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    /// The pattern as written in the schema.
    pub(crate) source: String,
    regex: regex::Regex,
}

impl Pattern {
    /// Translates and compiles an XSD pattern; the error says what could not be translated.
    pub(crate) fn new(source: &str) -> Result<Self, String> {
        let translated = translate(source)?;
        let regex = regex::RegexBuilder::new(&translated)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| format!("pattern does not compile after translation: {e}"))?;
        Ok(Pattern {
            source: source.to_owned(),
            regex,
        })
    }

    /// Whether the whole of `value` matches.
    pub(crate) fn matches(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

/// The `regex`-crate pattern equivalent to the XSD pattern `source`, anchored at both ends.
pub(crate) fn translate(source: &str) -> Result<String, String> {
    let mut parser = Parser {
        chars: source.chars().collect(),
        pos: 0,
        out: String::with_capacity(source.len() * 2 + 16),
        depth: 0,
    };
    parser.out.push_str(r"\A(?:");
    parser.reg_exp()?;
    if parser.pos < parser.chars.len() {
        return Err(parser.error("unbalanced ')'"));
    }
    parser.out.push_str(r")\z");
    Ok(parser.out)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    out: String,
    depth: usize,
}

/// Deepest group nesting accepted (the parser recurses once per group).
const MAX_GROUP_DEPTH: usize = 32;

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at character {}", self.pos + 1)
    }

    /// regExp ::= branch ( '|' branch )*
    fn reg_exp(&mut self) -> Result<(), String> {
        self.branch()?;
        while self.peek() == Some('|') {
            self.pos += 1;
            self.out.push('|');
            self.branch()?;
        }
        Ok(())
    }

    /// branch ::= piece*
    fn branch(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.piece()?;
        }
        Ok(())
    }

    /// piece ::= atom quantifier?
    fn piece(&mut self) -> Result<(), String> {
        // Each atom is wrapped in a non-capturing group so that a quantifier applies to it
        // whole, whatever it was translated to.
        self.out.push_str("(?:");
        self.atom()?;
        self.out.push(')');
        self.quantifier()
    }

    fn atom(&mut self) -> Result<(), String> {
        let Some(c) = self.bump() else {
            return Err(self.error("missing atom"));
        };
        match c {
            '(' => {
                self.depth += 1;
                if self.depth > MAX_GROUP_DEPTH {
                    return Err(self.error("groups nested too deeply"));
                }
                self.out.push_str("(?:");
                self.reg_exp()?;
                if self.bump() != Some(')') {
                    return Err(self.error("missing ')'"));
                }
                self.out.push(')');
                self.depth -= 1;
                Ok(())
            }
            '[' => {
                let class = self.class_expr()?;
                self.out.push_str(&class);
                Ok(())
            }
            '.' => {
                self.out.push_str(r"[^\n\r]");
                Ok(())
            }
            '\\' => {
                let esc = self.escape()?;
                match esc {
                    Escape::Char(c) => push_literal(&mut self.out, c),
                    Escape::Multi(class) => self.out.push_str(class),
                }
                Ok(())
            }
            '?' | '*' | '+' | '{' | '}' | ')' | ']' => {
                self.pos -= 1;
                Err(self.error(&format!("'{c}' where an atom is expected")))
            }
            c => {
                push_literal(&mut self.out, c);
                Ok(())
            }
        }
    }

    fn quantifier(&mut self) -> Result<(), String> {
        match self.peek() {
            Some(c @ ('?' | '*' | '+')) => {
                self.pos += 1;
                self.out.push(c);
            }
            Some('{') => {
                self.pos += 1;
                let min = self.number()?;
                let max = match self.bump() {
                    Some('}') => Some(min),
                    Some(',') => {
                        if self.peek() == Some('}') {
                            self.pos += 1;
                            None
                        } else {
                            let max = self.number()?;
                            if self.bump() != Some('}') {
                                return Err(self.error("missing '}'"));
                            }
                            Some(max)
                        }
                    }
                    _ => return Err(self.error("malformed quantifier")),
                };
                if let Some(max) = max
                    && max < min
                {
                    return Err(self.error("quantifier {n,m} with m < n"));
                }
                let _ = match max {
                    Some(max) if max == min => write!(self.out, "{{{min}}}"),
                    Some(max) => write!(self.out, "{{{min},{max}}}"),
                    None => write!(self.out, "{{{min},}}"),
                };
            }
            _ => {}
        }
        Ok(())
    }

    fn number(&mut self) -> Result<u32, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.error("missing number in quantifier"));
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        match digits.parse::<u32>() {
            Ok(n) if n <= MAX_REPEAT => Ok(n),
            _ => Err(self.error(&format!(
                "repetition count {digits} above the supported {MAX_REPEAT}"
            ))),
        }
    }

    /// The escape after a `\` (already consumed).
    fn escape(&mut self) -> Result<Escape, String> {
        let Some(c) = self.bump() else {
            return Err(self.error("'\\' at the end of the pattern"));
        };
        Ok(match c {
            'n' => Escape::Char('\n'),
            'r' => Escape::Char('\r'),
            't' => Escape::Char('\t'),
            '\\' | '|' | '.' | '?' | '*' | '+' | '(' | ')' | '{' | '}' | '-' | '[' | ']' | '^' => {
                Escape::Char(c)
            }
            'd' => Escape::Multi(r"\p{Nd}"),
            'D' => Escape::Multi(r"\P{Nd}"),
            's' => Escape::Multi(r"[\x{20}\t\n\r]"),
            'S' => Escape::Multi(r"[^\x{20}\t\n\r]"),
            'i' | 'I' | 'c' | 'C' | 'w' | 'W' | 'p' | 'P' => {
                return Err(format!(
                    "the escape \\{c} is not supported (its character tables could differ from \
                     other validators')"
                ));
            }
            other => return Err(self.error(&format!("unknown escape \\{other}"))),
        })
    }

    /// charClassExpr ::= '[' charGroup ']' (the '[' is consumed); returns a `regex` class.
    fn class_expr(&mut self) -> Result<String, String> {
        let negated = if self.peek() == Some('^') {
            self.pos += 1;
            true
        } else {
            false
        };
        let mut items = String::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("missing ']'"));
            };
            match c {
                ']' if first => return Err(self.error("empty character class")),
                ']' => {
                    self.pos += 1;
                    break;
                }
                '-' if self.peek_at(1) == Some('[') && !first => {
                    // charClassSub: the rest is '-' charClassExpr ']'.
                    self.pos += 2;
                    let sub = self.class_expr()?;
                    if self.bump() != Some(']') {
                        return Err(self.error("subtraction must end the character class"));
                    }
                    let base = if negated {
                        format!("[^{items}]")
                    } else {
                        format!("[{items}]")
                    };
                    return Ok(format!("[{base}--{sub}]"));
                }
                '[' => return Err(self.error("'[' inside a character class must be escaped")),
                // XSD allows an unescaped '-' only first or last in a character group.
                '-' if !first && self.peek_at(1) != Some(']') => {
                    return Err(self.error("'-' inside a character class must be escaped"));
                }
                _ => {}
            }
            first = false;
            let start = self.class_char()?;
            match start {
                ClassItem::Multi(class) => items.push_str(class),
                ClassItem::Char(lo) => {
                    // A range when '-' follows and is not the class's last character.
                    if self.peek() == Some('-')
                        && !matches!(self.peek_at(1), Some(']') | Some('[') | None)
                    {
                        self.pos += 1;
                        let hi = match self.class_char()? {
                            ClassItem::Char(hi) => hi,
                            ClassItem::Multi(_) => {
                                return Err(self.error("a range cannot end in a class escape"));
                            }
                        };
                        if hi < lo {
                            return Err(self.error("range with its end before its start"));
                        }
                        push_literal(&mut items, lo);
                        items.push('-');
                        push_literal(&mut items, hi);
                    } else {
                        push_literal(&mut items, lo);
                    }
                }
            }
        }
        Ok(if negated {
            format!("[^{items}]")
        } else {
            format!("[{items}]")
        })
    }

    fn class_char(&mut self) -> Result<ClassItem, String> {
        let Some(c) = self.bump() else {
            return Err(self.error("missing ']'"));
        };
        if c == '\\' {
            return Ok(match self.escape()? {
                Escape::Char(c) => ClassItem::Char(c),
                Escape::Multi(class) => ClassItem::Multi(class),
            });
        }
        Ok(ClassItem::Char(c))
    }
}

enum Escape {
    Char(char),
    Multi(&'static str),
}

enum ClassItem {
    Char(char),
    Multi(&'static str),
}

/// Writes `c` so that the `regex` crate reads it as that literal character, in or out of a
/// class.
fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        let _ = write!(out, r"\x{{{:X}}}", u32::from(c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(source: &str) -> Pattern {
        match Pattern::new(source) {
            Ok(p) => p,
            Err(e) => panic!("{source}: {e}"),
        }
    }

    #[test]
    fn wsdl_patterns() {
        let id = p("([0-9a-zA-Z])*");
        assert!(id.matches(""));
        assert!(id.matches("abcXYZ019"));
        assert!(!id.matches("a-b"));
        assert!(!id.matches("ą"));

        let inne = p(r#"([^"*;\(\)\?])*"#);
        assert!(inne.matches("ref-1 ok"));
        assert!(inne.matches(""));
        for bad in ["a\"b", "*", "a;b", "(", ")", "?"] {
            assert!(!inne.matches(bad), "{bad}");
        }

        let seria = p("[A-Z]{2,2}");
        assert!(seria.matches("ZA"));
        assert!(!seria.matches("Z"));
        assert!(!seria.matches("ZAA"));
        assert!(!seria.matches("za"));

        let numer = p(r"\d{7,7}");
        assert!(numer.matches("1234567"));
        assert!(!numer.matches("123456"));
        assert!(!numer.matches("12345678"));
        // XSD's \d is the Unicode category Nd, as in XML Schema Part 2, F.1.1.
        assert!(numer.matches("١٢٣٤٥٦٧"));

        let data = p(r"\d{4,4}-\d{2,2}-\d{2,2}");
        assert!(data.matches("2024-02-30"));
        assert!(!data.matches("2024-2-03"));

        let kod = p(r"[A-Z]\d{2,2}");
        assert!(kod.matches("J10"));
        assert!(!kod.matches("J1"));
        assert!(!kod.matches("J10\n"));
    }

    #[test]
    fn anchoring_and_literals() {
        // '^' and '$' are ordinary characters in XSD.
        let caret = p("^a$");
        assert!(caret.matches("^a$"));
        assert!(!caret.matches("a"));
        // Alternation is anchored as a whole.
        let alt = p("ab|cd");
        assert!(alt.matches("ab"));
        assert!(alt.matches("cd"));
        assert!(!alt.matches("abcd"));
        assert!(!alt.matches("abd"));
        // An empty branch matches the empty string.
        assert!(p("a|").matches(""));
        // '.' matches anything but line ends.
        let dot = p("a.c");
        assert!(dot.matches("a-c"));
        assert!(!dot.matches("a\nc"));
        assert!(p(r"\.").matches("."));
        assert!(!p(r"\.").matches("x"));
        // A quantifier applies to the whole translated atom.
        assert!(p(r"\d+").matches("12"));
        assert!(p("(ab)?c").matches("c"));
        assert!(p("(ab)?c").matches("abc"));
        assert!(!p("(ab)?c").matches("ac"));
    }

    #[test]
    fn classes() {
        let sub = p("[a-z-[aeiou]]+");
        assert!(sub.matches("xyz"));
        assert!(!sub.matches("xaz"));
        let neg_sub = p("[^a-z-[0-9]]");
        assert!(neg_sub.matches("A"));
        assert!(!neg_sub.matches("5"));
        assert!(!neg_sub.matches("q"));
        let dash = p("[-a]");
        assert!(dash.matches("-"));
        assert!(p("[a-]").matches("-"));
        assert!(p(r"[\d\s]").matches(" "));
        assert!(p(r"[\-\[\]]").matches("["));
        assert!(p("[&~]").matches("~"));
    }

    #[test]
    fn refused() {
        for bad in [
            r"\w+", r"\p{Lu}", r"\i\c*", "a{2000}", "a{3,2}", "(a", "a)", "*a", "a**", "[a", "[]",
            r"\q", "[[a]]", "[a-c-e]",
        ] {
            assert!(Pattern::new(bad).is_err(), "{bad} should be refused");
        }
    }
}
