#!/usr/bin/env python3
"""The arrow check: the top-level modules of crates/ezla depend on each other one way only.

For every .rs file under crates/ezla/src/<module>/ (and crates/ezla/src/<module>.rs) this
finds the references to other top-level modules -- `use crate::x::..`, grouped
`use crate::{x, y::..}`, `crate::x::` in code, `$crate::x`, and `super::`/`self::` paths that
climb out of the module -- and fails when one points at a module that is not below it in
MAP. Comments, doc comments and string literals are ignored. Names re-exported at the crate
root (`crate::Error` etc.) count as references to the module they come from.

It also looks for import cycles between the files of bindings/c/src and bindings/python/src
(`crate::a` used in b.rs and `crate::b` used in a.rs). Those are printed as warnings; with
--strict-bindings they fail the check too.

Exit status: 0 when every arrow points down (one summary line), 1 otherwise (one line per
violation, file:line first). The map and the rules are explained in docs/architecture.md.
Python 3 standard library only.
"""

import argparse
import os
import re
import sys

# The modules of crates/ezla/src and the modules each may use directly; a module may also
# use everything those may use (the transitive closure). The existing modules form one
# chain, bottom-up: error < pl < crypto < xml < pki < dsig < xades < kedu. The modules still
# to come sit where DESIGN.md puts them. Keep this in step with docs/architecture.md.
MAP = {
    "error": [],
    "pl": ["error"],
    "crypto": ["pl"],
    "xml": ["crypto"],
    "pki": ["xml"],
    "dsig": ["pki"],
    "xades": ["dsig", "tsp"],  # XAdES-T: signature time-stamps
    "kedu": ["xades"],
    "pkcs11": ["pki"],  # keys on PKCS#11 tokens (feature `pkcs11`): crypto's traits, pki's certificates
    "store": ["error"],  # durable client state: the ZUS send journal; SAML pending requests
    "soap": ["xml"],  # SOAP 1.1 envelopes, sans-IO: shared by zus and wk
    "transport": ["error"],  # blocking HTTP trait and its ureq implementation
    "zus": ["kedu", "soap", "transport", "store"],  # ZUS channel: messages and the client
    "revocation": ["pki", "transport"],  # CRL checking: pki's CRLs and certificates; fetched through transport
    "cms": ["pki", "revocation"],  # CAdES-BES SignedData: on crypto and pki; revocation on verify
    "tsp": ["cms", "transport"],  # RFC 3161 time-stamps: tokens are CMS; the client posts through transport
    "wk": ["dsig", "soap", "transport", "store"],  # login.gov.pl: SAML SP, ECDH-ES, its stores
}

# Outside the layering: the fuzz entry points may use everything and nothing uses them; the
# unit-test helpers may use everything and every module's tests may use them (the module is
# `#[cfg(test)]`, so the compiler keeps it out of non-test code).
USES_ANYTHING = {"fuzzing", "test_support"}
USED_BY_ANYTHING = {"test_support"}

# Names that must not become modules of crates/ezla, and where they belong instead.
ELSEWHERE = {"sim": "the simulator is its own crate, crates/ezla-sim"}

BINDINGS = ["bindings/c/src", "bindings/python/src"]


def allowed_closure(table):
    """For each module, every module it may use (directly or through the ones below)."""
    closure = {}

    def visit(module, trail):
        if module in closure:
            return closure[module]
        if module in trail:
            sys.exit("check-arrows: MAP has a cycle through " + " -> ".join(trail + [module]))
        below = set()
        for lower in table[module]:
            below.add(lower)
            below |= visit(lower, trail + [module])
        closure[module] = below
        return below

    for module in table:
        visit(module, [])
    return closure


# ---------------------------------------------------------------------------------------
# Reading Rust: blank out comments and literals, then tokens with line numbers.

IDENT = re.compile(r"[A-Za-z0-9_]")


def strip(text):
    """`text` with comments, string and character literals replaced by spaces (newlines kept,
    so line numbers stay)."""
    out = []
    i, n = 0, len(text)

    def blank(start, end):
        out.append("".join(c if c == "\n" else " " for c in text[start:end]))

    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        prev = text[i - 1] if i > 0 else ""
        if c == "/" and nxt == "/":
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif c == "/" and nxt == "*":
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c == "r" and (
            not IDENT.match(prev or " ")
            or (prev == "b" and not IDENT.match(text[i - 2] if i > 1 else " "))
        ):
            m = re.compile(r'r(#*)"').match(text, i)
            if not m:
                out.append(c)
                i += 1
                continue
            close = '"' + m.group(1)
            end = text.find(close, m.end())
            end = n if end < 0 else end + len(close)
            blank(i, end)
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif c == "'":
            if nxt == "\\":
                end = text.find("'", i + 3)
                end = n if end < 0 else end + 1
                blank(i, end)
                i = end
            elif i + 2 < n and text[i + 2] == "'" and nxt != "\n":
                blank(i, i + 3)
                i += 3
            else:  # a lifetime or a label
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


TOKEN = re.compile(r"\$?[A-Za-z_][A-Za-z0-9_]*|::|\S")


def tokens(code):
    """(text, line) for every token of stripped code."""
    line, pos = 1, 0
    for m in TOKEN.finditer(code):
        line += code.count("\n", pos, m.start())
        pos = m.start()
        yield m.group(), line


def is_ident(tok):
    return bool(re.fullmatch(r"\$?[A-Za-z_][A-Za-z0-9_]*", tok))


def parse_tree(toks, i):
    """Parses the path (tree) starting after a `::` at toks[i]; returns (leaves, next index),
    each leaf a list of segments. `{a, b::c}` groups give several leaves; `*` is a segment."""
    if i < len(toks) and toks[i][0] == "{":
        leaves, i = [], i + 1
        while i < len(toks) and toks[i][0] != "}":
            if toks[i][0] == ",":
                i += 1
                continue
            sub, i = parse_segments(toks, i)
            leaves.extend(sub)
        return leaves, i + 1
    return parse_segments(toks, i)


def parse_segments(toks, i):
    """A path `a::b::{..}` starting at toks[i]; returns (leaves, next index)."""
    if i >= len(toks):
        return [[]], i
    if toks[i][0] == "{":
        return parse_tree(toks, i)
    if not (is_ident(toks[i][0]) or toks[i][0] == "*"):
        return [[]], i
    head = [toks[i][0]]
    i += 1
    while i + 1 < len(toks) and toks[i][0] == "::":
        nxt = toks[i + 1][0]
        if nxt == "{":
            subs, i = parse_tree(toks, i + 1)
            return [head + s for s in subs], i
        if is_ident(nxt) or nxt == "*":
            head.append(nxt)
            i += 2
        else:  # a turbofish `::<T>`
            break
    return [head], i


def paths(text):
    """Every path that starts with crate/$crate/super/self, as (segments, line, inline mods),
    where inline mods is the stack of `mod name { .. }` blocks the path sits in."""
    toks = list(tokens(strip(text)))
    found = []
    depth, mods = 0, []  # mods: [(name, depth inside its braces)]
    i = 0
    while i < len(toks):
        tok, line = toks[i]
        if tok == "mod" and i + 2 < len(toks) and is_ident(toks[i + 1][0]) and toks[i + 2][0] == "{":
            mods.append((toks[i + 1][0], depth + 1))
            depth += 1
            i += 3
            continue
        if tok == "{":
            depth += 1
        elif tok == "}":
            if mods and mods[-1][1] == depth:
                mods.pop()
            depth -= 1
        elif tok in ("crate", "$crate", "super", "self") and (i == 0 or toks[i - 1][0] != "::"):
            leaves, j = parse_segments(toks, i)
            for leaf in leaves:
                found.append((leaf, line, [m for m, _ in mods]))
            i = max(j, i + 1)
            continue
        i += 1
    return found


def resolve(segments, here):
    """The absolute path (list of segments below the crate root) that `segments` names from
    module path `here`, or None when it is not a crate path."""
    first, rest = segments[0], segments[1:]
    if first in ("crate", "$crate"):
        base = []
    elif first in ("super", "self"):
        base = list(here)
        rest = segments
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                if not base:
                    return None
                base.pop()
            rest = rest[1:]
    else:
        return None
    return base + rest


def module_path(rel):
    """Module path of a file relative to a src/ directory: xml/c14n/mod.rs -> [xml, c14n]."""
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "mod":
        parts = parts[:-1]
    return parts


def rust_files(directory):
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".rs"):
                yield os.path.join(dirpath, name)


def root_names(lib_rs, modules):
    """Names the crate root re-exports from a module (`pub use error::{Error, ..}`) -> module."""
    names = {}
    text = strip(open(lib_rs, encoding="utf-8").read())
    for m in re.finditer(r"\bpub\s+use\s+([a-z_][a-z0-9_]*)\s*::\s*(\{[^}]*\}|[A-Za-z_]\w*)", text):
        module, items = m.group(1), m.group(2)
        if module not in modules:
            continue
        for item in items.strip("{}").split(","):
            item = item.strip()
            if not item:
                continue
            alias = re.split(r"\s+as\s+", item)[-1].split("::")[-1].strip()
            names[alias] = module
    return names


# ---------------------------------------------------------------------------------------
# The core crate.


def check_core(root, verbose=False):
    src = os.path.join(root, "crates", "ezla", "src")
    lib_rs = os.path.join(src, "lib.rs")
    modules = set()
    for entry in os.listdir(src):
        if entry == "lib.rs":
            continue
        if os.path.isdir(os.path.join(src, entry)):
            modules.add(entry)
        elif entry.endswith(".rs"):
            modules.add(entry[:-3])
    known = set(MAP) | USES_ANYTHING
    problems = []
    for module in sorted(modules - known):
        why = ELSEWHERE.get(module, "add it to MAP in scripts/check-arrows.py and docs/architecture.md")
        problems.append(f"crates/ezla/src/{module}: module {module} is not in the arrow map ({why})")

    closure = allowed_closure(MAP)
    at_root = root_names(lib_rs, modules)
    files = refs = 0
    for path in rust_files(src):
        rel = os.path.relpath(path, src)
        if rel == "lib.rs":
            continue
        files += 1
        here_file = module_path(rel)
        me = here_file[0]
        shown = os.path.relpath(path, root)
        for segments, line, inline in paths(open(path, encoding="utf-8").read()):
            target = resolve(segments, here_file + inline)
            if target is None or not target:
                continue  # `pub(crate)`, `crate` alone, or not a crate path
            name = target[0]
            if name == "*":
                problems.append(
                    f"{shown}:{line}: module {me} glob-imports the crate root, which hides its arrows"
                )
                continue
            if name in modules:
                other = name
            elif name in at_root:
                other = at_root[name]
            else:
                continue  # an item of lib.rs itself, a macro, or a name rustc will reject anyway
            if other == me:
                continue
            refs += 1
            if verbose:
                print(f"{shown}:{line}: {me} -> {other}")
            if me in USES_ANYTHING or other in USED_BY_ANYTHING:
                continue
            if other in USES_ANYTHING:
                problems.append(f"{shown}:{line}: module {me} uses {other}, which nothing may use")
                continue
            if me not in MAP or other not in MAP:
                continue  # reported above as missing from the map
            if other not in closure[me]:
                where = "above it" if me in closure[other] else "not below it"
                may = ", ".join(m for m in MAP if m in closure[me]) or "nothing"
                written = "::".join(segments)
                problems.append(
                    f"{shown}:{line}: module {me} uses {other} ({written}), which is {where}"
                    f" ({me} may use: {may})"
                )
    return files, refs, problems


# ---------------------------------------------------------------------------------------
# The bindings: cycles between their files.


def binding_edges(src_dir):
    """{(a, b): (file, line)}: the first place where top-level module a refers to b."""
    edges = {}
    modules = set()
    for entry in os.listdir(src_dir):
        if entry == "lib.rs":
            continue
        if os.path.isdir(os.path.join(src_dir, entry)):
            modules.add(entry)
        elif entry.endswith(".rs"):
            modules.add(entry[:-3])
    for path in rust_files(src_dir):
        rel = os.path.relpath(path, src_dir)
        if rel == "lib.rs":
            continue
        here = module_path(rel)
        for segments, line, inline in paths(open(path, encoding="utf-8").read()):
            target = resolve(segments, here + inline)
            if not target or target[0] not in modules or target[0] == here[0]:
                continue
            edges.setdefault((here[0], target[0]), (path, line))
    return modules, edges


def cycles(modules, edges):
    """Strongly connected components with more than one module (Tarjan), sorted."""
    graph = {m: sorted(b for (a, b) in edges if a == m) for m in modules}
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(modules):
        if v not in index:
            connect(v)
    return sorted(out)


def check_bindings(root):
    lines = []
    for rel in BINDINGS:
        src_dir = os.path.join(root, rel)
        if not os.path.isdir(src_dir):
            continue
        modules, edges = binding_edges(src_dir)
        for component in cycles(modules, edges):
            lines.append(f"{rel}: import cycle between {', '.join(m + '.rs' for m in component)}:")
            members = set(component)
            for (a, b), (path, line) in sorted(edges.items(), key=lambda e: e[1]):
                if a in members and b in members:
                    back = " (and back)" if (b, a) in edges else ""
                    lines.append(f"  {os.path.relpath(path, root)}:{line}: {a} uses crate::{b}{back}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--root",
        default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        help="the repository to check (default: the one holding this script)",
    )
    parser.add_argument(
        "--strict-bindings", action="store_true", help="fail on import cycles in the bindings too"
    )
    parser.add_argument("--verbose", action="store_true", help="print every reference found")
    args = parser.parse_args()

    files, refs, problems = check_core(args.root, args.verbose)
    warnings = check_bindings(args.root)
    failed = bool(problems) or (args.strict_bindings and bool(warnings))

    for p in problems:
        print(p)
    if warnings:
        kind = "error" if args.strict_bindings else "warning"
        print(f"arrows: {kind}: import cycles between binding files:")
        for w in warnings:
            print("  " + w)
    if problems:
        print(
            f"arrows: {len(problems)} upward or unknown arrow(s) in crates/ezla/src"
            " (see docs/architecture.md)"
        )
    elif failed:
        print(
            f"arrows: {files} files, {refs} crate-internal references, all downward;"
            " import cycles in the bindings"
        )
    else:
        print(f"arrows: {files} files, {refs} crate-internal references, all downward")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
