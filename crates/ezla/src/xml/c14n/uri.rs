//! URI joining for the Canonical XML 1.1 `xml:base` fix-up.
//!
//! C14N 1.1 joins the `xml:base` values of omitted ancestors with the element's own value
//! using RFC 3986 §5.2.2 reference resolution in which `remove_dot_segments` is modified
//! (C14N 1.1 Appendix A) so that relative bases keep their leading `..` segments: joining
//! `../bar/` and `foo` gives `../bar/foo`, not `bar/foo`.

/// Resolves `reference` against `base`, both possibly relative.
pub(crate) fn join(base: &str, reference: &str) -> String {
    let r = Parts::parse(reference);
    let b = Parts::parse(base);
    let mut out = String::new();
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        scheme = r.scheme;
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else if r.authority.is_some() {
        scheme = b.scheme;
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        scheme = b.scheme;
        authority = b.authority;
        if r.path.is_empty() {
            path = b.path.to_string();
            query = r.query.or(b.query);
        } else {
            if r.path.starts_with('/') {
                path = remove_dot_segments(r.path);
            } else {
                path = remove_dot_segments(&merge(&b, r.path));
            }
            query = r.query;
        }
    }
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = r.fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn merge(base: &Parts<'_>, reference_path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{reference_path}");
    }
    // A base whose last segment is `.` or `..` names a directory.
    let mut base_path = base.path.to_string();
    if base_path == "."
        || base_path == ".."
        || base_path.ends_with("/.")
        || base_path.ends_with("/..")
    {
        base_path.push('/');
    }
    match base_path.rfind('/') {
        Some(i) => format!("{}{reference_path}", &base_path[..=i]),
        None => reference_path.to_string(),
    }
}

/// C14N 1.1 Appendix A: `//` collapses, `.` disappears, `..` removes the previous segment
/// or, when there is none in a relative path, is kept; a trailing `.`/`..` leaves a `/`.
pub(crate) fn remove_dot_segments(path: &str) -> String {
    let mut input = path.to_string();
    while input.contains("//") {
        input = input.replace("//", "/");
    }
    let absolute = input.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = input.split('/').collect();
    let mut trailing_slash = input.ends_with('/');
    for (i, seg) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *seg {
            "" => {}
            "." => trailing_slash |= last,
            ".." => {
                match segments.last() {
                    Some(&prev) if prev != ".." => {
                        segments.pop();
                    }
                    _ if absolute => {}
                    _ => segments.push(".."),
                }
                trailing_slash |= last;
            }
            s => segments.push(s),
        }
    }
    let mut out = String::new();
    if absolute {
        out.push('/');
    }
    out.push_str(&segments.join("/"));
    if trailing_slash && !segments.is_empty() {
        out.push('/');
    }
    out
}

struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> Parts<'a> {
    /// RFC 3986 Appendix B.
    fn parse(s: &'a str) -> Self {
        let (s, fragment) = match s.find('#') {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let (s, query) = match s.find('?') {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let (scheme, rest) = match s.find(':') {
            Some(i)
                if i > 0
                    && !s[..i].contains('/')
                    && s[..i]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                    && s.as_bytes()[0].is_ascii_alphabetic() =>
            {
                (Some(&s[..i]), &s[i + 1..])
            }
            _ => (None, s),
        };
        let (authority, path) = match rest.strip_prefix("//") {
            Some(after) => {
                let end = after.find('/').unwrap_or(after.len());
                (Some(&after[..end]), &after[end..])
            }
            None => (None, rest),
        };
        Parts {
            scheme,
            authority,
            path,
            query,
            fragment,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_bases_keeping_leading_dots() {
        assert_eq!(join("../bar/", "foo"), "../bar/foo");
        assert_eq!(join("../", "x"), "../x");
        assert_eq!(join("../", "../x"), "../../x");
        assert_eq!(join("/xmlbase1/", "/xmlbase11/"), "/xmlbase11/");
        assert_eq!(
            join("http://xmlbase.example.org/xmlbase0/", "/xmlbase11/"),
            "http://xmlbase.example.org/xmlbase11/"
        );
        assert_eq!(
            join("http://www.example.com/something/else", "../bar/foo"),
            "http://www.example.com/bar/foo"
        );
        assert_eq!(join("http://a/b/c/d;p?q", "g?y#s"), "http://a/b/c/g?y#s");
    }

    /// C14N 1.1 Appendix A inputs and outputs, from the W3C interop set.
    #[test]
    fn appendix_a_vectors() {
        let Some(dir) = crate::test_support::vectors_dir() else {
            return;
        };
        let base = dir.join("c14n/santuario/org/w3c/www/interop/c14n11/appendixa");
        let inputs = std::fs::read_to_string(base.join("inputs.txt")).expect("inputs");
        let outputs = std::fs::read_to_string(base.join("outputs.txt")).expect("outputs");
        let inputs: Vec<&str> = inputs.lines().collect();
        let outputs: Vec<&str> = outputs.lines().collect();
        assert_eq!(inputs.len(), outputs.len());
        let mut failures = Vec::new();
        for (i, o) in inputs.iter().zip(&outputs) {
            let got = remove_dot_segments(i);
            if got != *o {
                failures.push(format!("{i:?}: got {got:?}, want {o:?}"));
            }
        }
        println!(
            "C14N 1.1 appendix A: {} passed, {} failed",
            inputs.len() - failures.len(),
            failures.len()
        );
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
