//! A small XPath 1.0 evaluator for document subsets.
//!
//! It exists for two uses: selecting the node-sets of the canonicalization test suites (whose
//! subsets are written as `(//. | //@* | //namespace::*)[predicate]`), and recognising the
//! XPath filter transform of the Polish XAdES profile. It implements the XPath 1.0 data model
//! (namespace nodes included, with the implicit `xml` namespace), location paths over the
//! axes `self`, `parent`, `ancestor(-or-self)`, `child`, `descendant(-or-self)`,
//! `attribute`, `namespace`, `following-sibling` and `preceding-sibling`, predicates, the
//! operators, and the core functions a node-set predicate needs. Variables and the
//! `following`/`preceding` axes are not supported and are reported as such. `id()` sees
//! only `xml:id` attributes, since DTDs are never processed.
//!
//! Expressions come from documents, so both halves are bounded: an expression has at most
//! [`MAX_TOKENS`] tokens and nests at most [`MAX_DEPTH`] levels (the parser and the
//! evaluator recurse once per level), and an evaluation visits at most the number of nodes
//! its caller allows ([`XPath::select_within`]); past either it fails with
//! [`XmlError::LimitExceeded`](crate::error::XmlError::LimitExceeded).

// Used by the canonicalization sweep now and by the XML-DSig XPath transform.
#![cfg_attr(not(test), allow(dead_code))]

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::HashMap;

use roxmltree::{Document, Node, NodeId, NodeType};

use super::XML_NAMESPACE;
use crate::error::{FormatError, XmlError};
use crate::{Error, Result};

/// A node of the XPath data model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum XNode {
    /// Root, element, text, comment or PI.
    Node(NodeId),
    /// Namespace node `index` of an element: index 0 is the implicit `xml` namespace, index
    /// `i > 0` is entry `i - 1` of roxmltree's `namespaces()`.
    Namespace(NodeId, usize),
    /// Attribute `index` of an element.
    Attribute(NodeId, usize),
}

impl XNode {
    fn order_key(&self) -> (u32, u8, usize) {
        match *self {
            XNode::Node(id) => (id.get(), 0, 0),
            XNode::Namespace(id, i) => (id.get(), 1, i),
            XNode::Attribute(id, i) => (id.get(), 2, i),
        }
    }
}

/// Most tokens in one expression.
pub(crate) const MAX_TOKENS: usize = 1024;

/// Deepest nesting of one expression: parentheses, predicates, function arguments and
/// operator chains (`a or b or c` nests two levels) all count.
pub(crate) const MAX_DEPTH: usize = 32;

/// The evaluation budget [`XPath::select`] and [`XPath::test`] use: nodes visited.
pub(crate) const DEFAULT_BUDGET: u64 = 10_000_000;

/// A parsed expression.
#[derive(Debug, Clone)]
pub(crate) struct XPath {
    expr: Expr,
    namespaces: HashMap<String, String>,
}

#[derive(Debug, Clone)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Union(Box<Expr>, Box<Expr>),
    Literal(String),
    Number(f64),
    Call(String, Vec<Expr>),
    /// A location path; `start` is `None` for a relative path, or the expression the path
    /// continues (`filter/steps`), or the root for absolute paths.
    Path(Option<Box<Expr>>, Vec<Step>),
    Root,
    Filter(Box<Expr>, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Axis {
    Self_,
    Parent,
    Ancestor,
    AncestorOrSelf,
    Child,
    Descendant,
    DescendantOrSelf,
    Attribute,
    Namespace,
    FollowingSibling,
    PrecedingSibling,
}

#[derive(Debug, Clone)]
enum NodeTest {
    /// `*`, `prefix:*`, or `prefix:local` / `local` (namespace resolved at parse time).
    Name {
        namespace: Option<String>,
        local: Option<String>,
        any_namespace: bool,
    },
    Node,
    Text,
    Comment,
    Pi(Option<String>),
}

#[derive(Debug, Clone)]
struct Step {
    axis: Axis,
    test: NodeTest,
    predicates: Vec<Expr>,
}

#[derive(Debug, Clone)]
enum Value {
    Nodes(Vec<XNode>),
    Bool(bool),
    Num(f64),
    Str(String),
}

fn unsupported(what: impl Into<String>) -> Error {
    Error::Format(FormatError::Unsupported {
        what: "XPath construct",
        name: what.into(),
    })
}

fn syntax(msg: impl Into<String>) -> Error {
    Error::xml_malformed("XPath expression", msg)
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Dot,
    DotDot,
    At,
    Comma,
    ColonColon,
    Slash,
    SlashSlash,
    Pipe,
    Plus,
    Minus,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Star,
    Name(String),
    Literal(String),
    Number(f64),
    Dollar,
}

fn lex(src: &str) -> Result<Vec<Tok>> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let tok = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            '@' => Tok::At,
            ',' => Tok::Comma,
            '|' => Tok::Pipe,
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '=' => Tok::Eq,
            '*' => Tok::Star,
            '$' => Tok::Dollar,
            '!' if next == Some('=') => {
                i += 1;
                Tok::Ne
            }
            '<' if next == Some('=') => {
                i += 1;
                Tok::Le
            }
            '<' => Tok::Lt,
            '>' if next == Some('=') => {
                i += 1;
                Tok::Ge
            }
            '>' => Tok::Gt,
            '/' if next == Some('/') => {
                i += 1;
                Tok::SlashSlash
            }
            '/' => Tok::Slash,
            ':' if next == Some(':') => {
                i += 1;
                Tok::ColonColon
            }
            '.' if next == Some('.') => {
                i += 1;
                Tok::DotDot
            }
            '.' if !next.is_some_and(|n| n.is_ascii_digit()) => Tok::Dot,
            '"' | '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == c)
                    .ok_or_else(|| syntax("unterminated string literal"))?;
                let s: String = chars[i + 1..i + 1 + end].iter().collect();
                i += end + 2;
                out.push(Tok::Literal(s));
                continue;
            }
            d if d.is_ascii_digit() || d == '.' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                out.push(Tok::Number(
                    s.parse().map_err(|_| syntax(format!("bad number {s}")))?,
                ));
                continue;
            }
            n if n.is_alphabetic() || n == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || "_-.".contains(chars[i])) {
                    i += 1;
                }
                // QName or prefix:* (but not the axis separator `::`).
                if i + 1 < chars.len() && chars[i] == ':' && chars[i + 1] != ':' {
                    if chars[i + 1] == '*' {
                        i += 2;
                    } else {
                        i += 1;
                        while i < chars.len()
                            && (chars[i].is_alphanumeric() || "_-.".contains(chars[i]))
                        {
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Name(chars[start..i].iter().collect()));
                continue;
            }
            other => return Err(syntax(format!("unexpected character {other:?}"))),
        };
        out.push(tok);
        i += 1;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser<'n> {
    toks: Vec<Tok>,
    pos: usize,
    /// Productions currently open that recurse (`or_expr`, unary minus).
    depth: usize,
    namespaces: &'n HashMap<String, String>,
}

fn too_deep() -> Error {
    Error::Xml(XmlError::LimitExceeded {
        limit: "XPath nesting depth",
        max: MAX_DEPTH,
    })
}

/// The nesting depth of an expression, computed without recursion.
fn depth(root: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Expr, usize)> = vec![(root, 1)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        let next = d + 1;
        match e {
            Expr::Or(a, b)
            | Expr::And(a, b)
            | Expr::Cmp(_, a, b)
            | Expr::Arith(_, a, b)
            | Expr::Union(a, b) => {
                stack.push((a, next));
                stack.push((b, next));
            }
            Expr::Neg(a) => stack.push((a, next)),
            Expr::Call(_, args) => stack.extend(args.iter().map(|a| (a, next))),
            Expr::Path(start, steps) => {
                if let Some(s) = start {
                    stack.push((s, next));
                }
                let predicates = steps.iter().flat_map(|s| &s.predicates);
                stack.extend(predicates.map(|p| (p, next)));
            }
            Expr::Filter(primary, preds) => {
                stack.push((primary, next));
                stack.extend(preds.iter().map(|p| (p, next)));
            }
            Expr::Literal(_) | Expr::Number(_) | Expr::Root => {}
        }
    }
    deepest
}

impl XPath {
    /// Parses `expr`, resolving prefixes with `namespaces` (prefix → URI).
    ///
    /// Fails with [`XmlError::LimitExceeded`](crate::error::XmlError::LimitExceeded) for more than [`MAX_TOKENS`] tokens or a
    /// nesting deeper than [`MAX_DEPTH`].
    pub(crate) fn parse(expr: &str, namespaces: HashMap<String, String>) -> Result<XPath> {
        let toks = lex(expr)?;
        if toks.len() > MAX_TOKENS {
            return Err(Error::Xml(XmlError::LimitExceeded {
                limit: "XPath expression tokens",
                max: MAX_TOKENS,
            }));
        }
        let mut p = Parser {
            toks,
            pos: 0,
            depth: 0,
            namespaces: &namespaces,
        };
        let e = p.or_expr()?;
        if p.pos != p.toks.len() {
            return Err(syntax(format!("unexpected {:?}", p.toks[p.pos])));
        }
        if depth(&e) > MAX_DEPTH {
            return Err(too_deep());
        }
        Ok(XPath {
            expr: e,
            namespaces,
        })
    }

    /// Evaluates the expression as a node-set with the document root as context, within
    /// [`DEFAULT_BUDGET`].
    pub(crate) fn select(&self, doc: &Document<'_>) -> Result<Vec<XNode>> {
        self.select_within(doc, DEFAULT_BUDGET)
    }

    /// Evaluates the expression as a node-set with the document root as context, visiting
    /// at most `budget` nodes.
    pub(crate) fn select_within(&self, doc: &Document<'_>, budget: u64) -> Result<Vec<XNode>> {
        let mut left = budget;
        self.select_spending(doc, &mut left)
    }

    /// Evaluates the expression as a node-set with the document root as context, visiting
    /// at most `budget` nodes and decreasing `budget` by the nodes visited.
    pub(crate) fn select_spending(
        &self,
        doc: &Document<'_>,
        budget: &mut u64,
    ) -> Result<Vec<XNode>> {
        let ctx = Ctx::new(doc, *budget);
        let result = ctx.eval(&self.expr, XNode::Node(doc.root().id()), 1, 1);
        *budget = budget.saturating_sub(ctx.spent.get());
        match result? {
            Value::Nodes(n) => Ok(n),
            _ => Err(syntax("expression does not select nodes")),
        }
    }

    /// Evaluates the expression as a boolean with `node` as context, within
    /// [`DEFAULT_BUDGET`].
    pub(crate) fn test(&self, doc: &Document<'_>, node: XNode) -> Result<bool> {
        let ctx = Ctx::new(doc, DEFAULT_BUDGET);
        Ok(ctx.boolean(&ctx.eval(&self.expr, node, 1, 1)?))
    }

    /// The prefix bindings the expression was parsed with.
    #[allow(dead_code)] // part of the evaluator's surface used in tests
    pub(crate) fn namespaces(&self) -> &HashMap<String, String> {
        &self.namespaces
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.pos + k)
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Tok) -> Result<()> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(syntax(format!("expected {t:?}, found {:?}", self.peek())))
        }
    }

    fn eat_keyword(&mut self, kw: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Name(n)) if n == kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Every nested expression (parentheses, predicates, arguments) enters here, so this is
    /// where the parser's recursion is bounded.
    fn or_expr(&mut self) -> Result<Expr> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(too_deep());
        }
        let mut e = self.and_expr()?;
        while self.eat_keyword("or") {
            e = Expr::Or(Box::new(e), Box::new(self.and_expr()?));
        }
        self.depth -= 1;
        Ok(e)
    }

    fn and_expr(&mut self) -> Result<Expr> {
        let mut e = self.eq_expr()?;
        while self.eat_keyword("and") {
            e = Expr::And(Box::new(e), Box::new(self.eq_expr()?));
        }
        Ok(e)
    }

    fn eq_expr(&mut self) -> Result<Expr> {
        let mut e = self.rel_expr()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Eq) => CmpOp::Eq,
                Some(Tok::Ne) => CmpOp::Ne,
                _ => return Ok(e),
            };
            self.pos += 1;
            e = Expr::Cmp(op, Box::new(e), Box::new(self.rel_expr()?));
        }
    }

    fn rel_expr(&mut self) -> Result<Expr> {
        let mut e = self.add_expr()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Lt) => CmpOp::Lt,
                Some(Tok::Le) => CmpOp::Le,
                Some(Tok::Gt) => CmpOp::Gt,
                Some(Tok::Ge) => CmpOp::Ge,
                _ => return Ok(e),
            };
            self.pos += 1;
            e = Expr::Cmp(op, Box::new(e), Box::new(self.add_expr()?));
        }
    }

    fn add_expr(&mut self) -> Result<Expr> {
        let mut e = self.mul_expr()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Plus) => ArithOp::Add,
                Some(Tok::Minus) => ArithOp::Sub,
                _ => return Ok(e),
            };
            self.pos += 1;
            e = Expr::Arith(op, Box::new(e), Box::new(self.mul_expr()?));
        }
    }

    fn mul_expr(&mut self) -> Result<Expr> {
        let mut e = self.unary_expr()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Star) => ArithOp::Mul,
                Some(Tok::Name(n)) if n == "div" => ArithOp::Div,
                Some(Tok::Name(n)) if n == "mod" => ArithOp::Mod,
                _ => return Ok(e),
            };
            self.pos += 1;
            e = Expr::Arith(op, Box::new(e), Box::new(self.unary_expr()?));
        }
    }

    fn unary_expr(&mut self) -> Result<Expr> {
        if self.eat(&Tok::Minus) {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(too_deep());
            }
            let operand = self.unary_expr()?;
            self.depth -= 1;
            return Ok(Expr::Neg(Box::new(operand)));
        }
        let mut e = self.path_expr()?;
        while self.eat(&Tok::Pipe) {
            e = Expr::Union(Box::new(e), Box::new(self.path_expr()?));
        }
        Ok(e)
    }

    fn starts_filter(&self) -> bool {
        match self.peek() {
            Some(Tok::LParen | Tok::Literal(_) | Tok::Number(_) | Tok::Dollar) => true,
            Some(Tok::Name(n)) => {
                self.peek_at(1) == Some(&Tok::LParen)
                    && !matches!(
                        n.as_str(),
                        "node" | "text" | "comment" | "processing-instruction"
                    )
            }
            _ => false,
        }
    }

    fn path_expr(&mut self) -> Result<Expr> {
        if self.starts_filter() {
            let primary = self.primary()?;
            let mut preds = Vec::new();
            while self.eat(&Tok::LBracket) {
                preds.push(self.or_expr()?);
                self.expect(&Tok::RBracket)?;
            }
            let filter = if preds.is_empty() {
                primary
            } else {
                Expr::Filter(Box::new(primary), preds)
            };
            let mut steps = Vec::new();
            if self.peek() == Some(&Tok::Slash) || self.peek() == Some(&Tok::SlashSlash) {
                self.relative_steps(&mut steps, true)?;
                return Ok(Expr::Path(Some(Box::new(filter)), steps));
            }
            return Ok(filter);
        }
        let mut steps = Vec::new();
        match self.peek() {
            Some(Tok::Slash) => {
                self.pos += 1;
                if self.starts_step() {
                    self.step_list(&mut steps)?;
                }
                Ok(Expr::Path(Some(Box::new(Expr::Root)), steps))
            }
            Some(Tok::SlashSlash) => {
                self.pos += 1;
                steps.push(descendant_or_self_node());
                self.step_list(&mut steps)?;
                Ok(Expr::Path(Some(Box::new(Expr::Root)), steps))
            }
            _ => {
                self.step_list(&mut steps)?;
                Ok(Expr::Path(None, steps))
            }
        }
    }

    fn starts_step(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Name(_) | Tok::Star | Tok::At | Tok::Dot | Tok::DotDot)
        )
    }

    fn step_list(&mut self, steps: &mut Vec<Step>) -> Result<()> {
        steps.push(self.step()?);
        self.relative_steps(steps, false)
    }

    fn relative_steps(&mut self, steps: &mut Vec<Step>, need_first: bool) -> Result<()> {
        let mut first = need_first;
        loop {
            match self.peek() {
                Some(Tok::Slash) => {
                    self.pos += 1;
                }
                Some(Tok::SlashSlash) => {
                    self.pos += 1;
                    steps.push(descendant_or_self_node());
                }
                _ if first => return Err(syntax("expected a location step")),
                _ => return Ok(()),
            }
            first = false;
            steps.push(self.step()?);
        }
    }

    fn step(&mut self) -> Result<Step> {
        if self.eat(&Tok::Dot) {
            return Ok(Step {
                axis: Axis::Self_,
                test: NodeTest::Node,
                predicates: Vec::new(),
            });
        }
        if self.eat(&Tok::DotDot) {
            return Ok(Step {
                axis: Axis::Parent,
                test: NodeTest::Node,
                predicates: Vec::new(),
            });
        }
        let mut axis = Axis::Child;
        if self.eat(&Tok::At) {
            axis = Axis::Attribute;
        } else if let (Some(Tok::Name(n)), Some(Tok::ColonColon)) = (self.peek(), self.peek_at(1)) {
            axis = match n.as_str() {
                "self" => Axis::Self_,
                "parent" => Axis::Parent,
                "ancestor" => Axis::Ancestor,
                "ancestor-or-self" => Axis::AncestorOrSelf,
                "child" => Axis::Child,
                "descendant" => Axis::Descendant,
                "descendant-or-self" => Axis::DescendantOrSelf,
                "attribute" => Axis::Attribute,
                "namespace" => Axis::Namespace,
                "following-sibling" => Axis::FollowingSibling,
                "preceding-sibling" => Axis::PrecedingSibling,
                other => return Err(unsupported(format!("axis {other}"))),
            };
            self.pos += 2;
        }
        let test = match self.peek().cloned() {
            Some(Tok::Star) => {
                self.pos += 1;
                NodeTest::Name {
                    namespace: None,
                    local: None,
                    any_namespace: true,
                }
            }
            Some(Tok::Name(n)) => {
                self.pos += 1;
                if self.peek() == Some(&Tok::LParen) {
                    self.pos += 1;
                    let t = match n.as_str() {
                        "node" => NodeTest::Node,
                        "text" => NodeTest::Text,
                        "comment" => NodeTest::Comment,
                        "processing-instruction" => match self.peek().cloned() {
                            Some(Tok::Literal(l)) => {
                                self.pos += 1;
                                NodeTest::Pi(Some(l))
                            }
                            _ => NodeTest::Pi(None),
                        },
                        other => return Err(syntax(format!("{other}() is not a node test"))),
                    };
                    self.expect(&Tok::RParen)?;
                    t
                } else {
                    self.name_test(&n, axis)?
                }
            }
            other => return Err(syntax(format!("expected a node test, found {other:?}"))),
        };
        let mut predicates = Vec::new();
        while self.eat(&Tok::LBracket) {
            predicates.push(self.or_expr()?);
            self.expect(&Tok::RBracket)?;
        }
        Ok(Step {
            axis,
            test,
            predicates,
        })
    }

    fn name_test(&self, name: &str, axis: Axis) -> Result<NodeTest> {
        if let Some((prefix, local)) = name.split_once(':') {
            let ns = self.resolve(prefix)?;
            Ok(if local == "*" {
                NodeTest::Name {
                    namespace: Some(ns),
                    local: None,
                    any_namespace: false,
                }
            } else {
                NodeTest::Name {
                    namespace: Some(ns),
                    local: Some(local.to_string()),
                    any_namespace: false,
                }
            })
        } else {
            // Unprefixed names are in no namespace (XPath 1.0), except on the namespace axis
            // where the name is the prefix.
            let _ = axis;
            Ok(NodeTest::Name {
                namespace: None,
                local: Some(name.to_string()),
                any_namespace: false,
            })
        }
    }

    fn resolve(&self, prefix: &str) -> Result<String> {
        if prefix == "xml" {
            return Ok(XML_NAMESPACE.to_string());
        }
        self.namespaces
            .get(prefix)
            .cloned()
            .ok_or_else(|| syntax(format!("unbound namespace prefix `{prefix}`")))
    }

    fn primary(&mut self) -> Result<Expr> {
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.or_expr()?;
                self.expect(&Tok::RParen)?;
                Ok(e)
            }
            Some(Tok::Literal(s)) => {
                self.pos += 1;
                Ok(Expr::Literal(s))
            }
            Some(Tok::Number(n)) => {
                self.pos += 1;
                Ok(Expr::Number(n))
            }
            Some(Tok::Dollar) => Err(unsupported("variables")),
            Some(Tok::Name(n)) => {
                self.pos += 1;
                self.expect(&Tok::LParen)?;
                let mut args = Vec::new();
                if !self.eat(&Tok::RParen) {
                    loop {
                        args.push(self.or_expr()?);
                        if self.eat(&Tok::RParen) {
                            break;
                        }
                        self.expect(&Tok::Comma)?;
                    }
                }
                Ok(Expr::Call(n, args))
            }
            other => Err(syntax(format!("unexpected {other:?}"))),
        }
    }
}

fn descendant_or_self_node() -> Step {
    Step {
        axis: Axis::DescendantOrSelf,
        test: NodeTest::Node,
        predicates: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

struct Ctx<'x, 'input> {
    doc: &'x Document<'input>,
    /// Nodes visited so far.
    spent: Cell<u64>,
    /// Nodes the evaluation may visit.
    limit: u64,
}

impl<'x, 'input> Ctx<'x, 'input> {
    fn new(doc: &'x Document<'input>, budget: u64) -> Self {
        Ctx {
            doc,
            spent: Cell::new(0),
            limit: budget,
        }
    }

    /// Spends `nodes` of the budget; an overdraft is reported by the next [`Ctx::check`].
    fn spend(&self, nodes: usize) {
        self.spent
            .set(self.spent.get().saturating_add(nodes as u64));
    }

    /// Fails once the budget is overdrawn.
    fn check(&self) -> Result<()> {
        if self.spent.get() > self.limit {
            return Err(Error::Xml(XmlError::LimitExceeded {
                limit: "XPath evaluation budget (nodes visited)",
                max: usize::try_from(self.limit).unwrap_or(usize::MAX),
            }));
        }
        Ok(())
    }

    /// Spends `nodes` and fails if that overdraws the budget.
    fn charge(&self, nodes: usize) -> Result<()> {
        self.spend(nodes);
        self.check()
    }

    fn node(&self, id: NodeId) -> Node<'x, 'input> {
        // Ids come from this document.
        self.doc.get_node(id).unwrap_or_else(|| self.doc.root())
    }

    /// Namespace nodes of an element: the implicit `xml` one, then roxmltree's entries that
    /// are namespace nodes (an undeclared default, `xmlns=""`, is not one).
    fn namespaces(&self, id: NodeId) -> Vec<XNode> {
        let n = self.node(id);
        if !n.is_element() {
            return Vec::new();
        }
        let mut out = vec![XNode::Namespace(id, 0)];
        for (i, ns) in n.namespaces().enumerate() {
            if !ns.uri().is_empty() {
                out.push(XNode::Namespace(id, i + 1));
            }
        }
        out
    }

    fn ns_parts(&self, id: NodeId, index: usize) -> (&'x str, &'x str) {
        if index == 0 {
            return ("xml", XML_NAMESPACE);
        }
        match self.node(id).namespaces().nth(index - 1) {
            Some(ns) => (ns.name().unwrap_or(""), ns.uri()),
            None => ("", ""),
        }
    }

    fn attr(&self, id: NodeId, index: usize) -> Option<roxmltree::Attribute<'x, 'input>> {
        self.node(id).attributes().nth(index)
    }

    fn parent(&self, n: XNode) -> Option<XNode> {
        match n {
            XNode::Node(id) => self.node(id).parent().map(|p| XNode::Node(p.id())),
            XNode::Namespace(id, _) | XNode::Attribute(id, _) => Some(XNode::Node(id)),
        }
    }

    fn axis(&self, n: XNode, axis: Axis) -> Result<Vec<XNode>> {
        let mut out = Vec::new();
        match axis {
            Axis::Self_ => out.push(n),
            Axis::Parent => out.extend(self.parent(n)),
            Axis::Ancestor | Axis::AncestorOrSelf => {
                if axis == Axis::AncestorOrSelf {
                    out.push(n);
                }
                let mut cur = self.parent(n);
                while let Some(p) = cur {
                    out.push(p);
                    cur = self.parent(p);
                }
            }
            Axis::Child | Axis::Descendant | Axis::DescendantOrSelf => {
                if let XNode::Node(id) = n {
                    let node = self.node(id);
                    match axis {
                        Axis::Child => out.extend(node.children().map(|c| XNode::Node(c.id()))),
                        Axis::Descendant => {
                            out.extend(node.descendants().skip(1).map(|c| XNode::Node(c.id())))
                        }
                        _ => out.extend(node.descendants().map(|c| XNode::Node(c.id()))),
                    }
                } else if axis == Axis::DescendantOrSelf {
                    out.push(n);
                }
            }
            Axis::Attribute => {
                if let XNode::Node(id) = n {
                    let count = self.node(id).attributes().len();
                    out.extend((0..count).map(|i| XNode::Attribute(id, i)));
                }
            }
            Axis::Namespace => {
                if let XNode::Node(id) = n {
                    out.extend(self.namespaces(id));
                    // Each namespace node's parts are found by walking the element's list.
                    self.charge(out.len() * out.len())?;
                }
            }
            Axis::FollowingSibling | Axis::PrecedingSibling => {
                if let XNode::Node(id) = n {
                    let node = self.node(id);
                    if axis == Axis::FollowingSibling {
                        out.extend(node.next_siblings().skip(1).map(|c| XNode::Node(c.id())));
                    } else {
                        out.extend(node.prev_siblings().skip(1).map(|c| XNode::Node(c.id())));
                    }
                }
            }
        }
        self.charge(out.len().max(1))?;
        Ok(out)
    }

    fn matches(&self, n: XNode, axis: Axis, test: &NodeTest) -> bool {
        match test {
            NodeTest::Node => true,
            NodeTest::Text => matches!(n, XNode::Node(id) if self.node(id).is_text()),
            NodeTest::Comment => matches!(n, XNode::Node(id) if self.node(id).is_comment()),
            NodeTest::Pi(target) => match n {
                XNode::Node(id) => match self.node(id).pi() {
                    Some(pi) => target.as_deref().is_none_or(|t| t == pi.target),
                    None => false,
                },
                _ => false,
            },
            NodeTest::Name {
                namespace,
                local,
                any_namespace,
            } => {
                // The principal node type of the axis.
                let (node_ns, node_local) = match (n, axis) {
                    (XNode::Attribute(id, i), Axis::Attribute) => match self.attr(id, i) {
                        Some(a) => (a.namespace().unwrap_or(""), a.name()),
                        None => return false,
                    },
                    (XNode::Namespace(id, i), Axis::Namespace) => {
                        let (prefix, _) = self.ns_parts(id, i);
                        ("", prefix)
                    }
                    (XNode::Node(id), a) if a != Axis::Attribute && a != Axis::Namespace => {
                        let node = self.node(id);
                        if !node.is_element() {
                            return false;
                        }
                        (
                            node.tag_name().namespace().unwrap_or(""),
                            node.tag_name().name(),
                        )
                    }
                    _ => return false,
                };
                if *any_namespace {
                    return true;
                }
                let ns_ok = namespace.as_deref().unwrap_or("") == node_ns;
                ns_ok && local.as_deref().is_none_or(|l| l == node_local)
            }
        }
    }

    fn sort(&self, nodes: &mut Vec<XNode>) {
        nodes.sort_by_key(XNode::order_key);
        nodes.dedup();
    }

    fn eval(&self, e: &Expr, ctx: XNode, pos: usize, size: usize) -> Result<Value> {
        self.charge(1)?;
        Ok(match e {
            Expr::Or(a, b) => Value::Bool(
                self.boolean(&self.eval(a, ctx, pos, size)?)
                    || self.boolean(&self.eval(b, ctx, pos, size)?),
            ),
            Expr::And(a, b) => Value::Bool(
                self.boolean(&self.eval(a, ctx, pos, size)?)
                    && self.boolean(&self.eval(b, ctx, pos, size)?),
            ),
            Expr::Cmp(op, a, b) => {
                let a = self.eval(a, ctx, pos, size)?;
                let b = self.eval(b, ctx, pos, size)?;
                Value::Bool(self.compare(*op, &a, &b)?)
            }
            Expr::Arith(op, a, b) => {
                let a = self.number(&self.eval(a, ctx, pos, size)?);
                let b = self.number(&self.eval(b, ctx, pos, size)?);
                Value::Num(match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                    ArithOp::Mul => a * b,
                    ArithOp::Div => a / b,
                    ArithOp::Mod => a % b,
                })
            }
            Expr::Neg(a) => Value::Num(-self.number(&self.eval(a, ctx, pos, size)?)),
            Expr::Union(a, b) => {
                let (Value::Nodes(mut x), Value::Nodes(y)) =
                    (self.eval(a, ctx, pos, size)?, self.eval(b, ctx, pos, size)?)
                else {
                    return Err(syntax("`|` needs node-sets"));
                };
                x.extend(y);
                self.charge(x.len())?;
                self.sort(&mut x);
                Value::Nodes(x)
            }
            Expr::Literal(s) => Value::Str(s.clone()),
            Expr::Number(n) => Value::Num(*n),
            Expr::Root => Value::Nodes(vec![XNode::Node(self.doc.root().id())]),
            Expr::Filter(primary, preds) => {
                let Value::Nodes(nodes) = self.eval(primary, ctx, pos, size)? else {
                    return Err(syntax("predicates need a node-set"));
                };
                Value::Nodes(self.apply_predicates(nodes, preds)?)
            }
            Expr::Path(start, steps) => {
                let mut nodes = match start {
                    None => vec![ctx],
                    Some(s) => match self.eval(s, ctx, pos, size)? {
                        Value::Nodes(n) => n,
                        _ => return Err(syntax("a path must start from a node-set")),
                    },
                };
                for step in steps {
                    let mut next = Vec::new();
                    for &n in &nodes {
                        let mut selected: Vec<XNode> = self
                            .axis(n, step.axis)?
                            .into_iter()
                            .filter(|&c| self.matches(c, step.axis, &step.test))
                            .collect();
                        if !step.predicates.is_empty() {
                            // Reverse axes count proximity positions backwards; the axis
                            // functions already return them nearest first.
                            selected = self.apply_predicates(selected, &step.predicates)?;
                        }
                        next.extend(selected);
                    }
                    self.sort(&mut next);
                    nodes = next;
                }
                Value::Nodes(nodes)
            }
            Expr::Call(name, args) => self.call(name, args, ctx, pos, size)?,
        })
    }

    fn apply_predicates(&self, mut nodes: Vec<XNode>, preds: &[Expr]) -> Result<Vec<XNode>> {
        for pred in preds {
            let size = nodes.len();
            let mut kept = Vec::with_capacity(size);
            for (i, &n) in nodes.iter().enumerate() {
                let v = self.eval(pred, n, i + 1, size)?;
                let keep = match v {
                    Value::Num(x) => x == (i + 1) as f64,
                    other => self.boolean(&other),
                };
                if keep {
                    kept.push(n);
                }
            }
            nodes = kept;
        }
        Ok(nodes)
    }

    fn call(
        &self,
        name: &str,
        args: &[Expr],
        ctx: XNode,
        pos: usize,
        size: usize,
    ) -> Result<Value> {
        let arg = |i: usize| -> Result<Value> {
            match args.get(i) {
                Some(a) => self.eval(a, ctx, pos, size),
                None => Err(syntax(format!("{name}() needs argument {}", i + 1))),
            }
        };
        let node_arg = |i: usize| -> Result<Option<XNode>> {
            if args.len() <= i {
                return Ok(Some(ctx));
            }
            match arg(i)? {
                Value::Nodes(n) => Ok(n.first().copied()),
                _ => Err(syntax(format!("{name}() needs a node-set"))),
            }
        };
        Ok(match name {
            "not" => Value::Bool(!self.boolean(&arg(0)?)),
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "boolean" => Value::Bool(self.boolean(&arg(0)?)),
            "number" => Value::Num(if args.is_empty() {
                self.number(&Value::Nodes(vec![ctx]))
            } else {
                self.number(&arg(0)?)
            }),
            "string" => Value::Str(if args.is_empty() {
                self.string_value(ctx)
            } else {
                self.string(&arg(0)?)
            }),
            "count" => match arg(0)? {
                Value::Nodes(n) => Value::Num(n.len() as f64),
                _ => return Err(syntax("count() needs a node-set")),
            },
            "position" => Value::Num(pos as f64),
            "last" => Value::Num(size as f64),
            "local-name" => {
                Value::Str(node_arg(0)?.map(|n| self.local_name(n)).unwrap_or_default())
            }
            "name" => Value::Str(node_arg(0)?.map(|n| self.qname(n)).unwrap_or_default()),
            "namespace-uri" => Value::Str(
                node_arg(0)?
                    .map(|n| self.namespace_uri(n))
                    .unwrap_or_default(),
            ),
            "concat" => {
                let mut s = String::new();
                for i in 0..args.len() {
                    s.push_str(&self.string(&arg(i)?));
                }
                Value::Str(s)
            }
            "contains" => Value::Bool(self.string(&arg(0)?).contains(&self.string(&arg(1)?))),
            "starts-with" => Value::Bool(self.string(&arg(0)?).starts_with(&self.string(&arg(1)?))),
            "string-length" => Value::Num(if args.is_empty() {
                self.string_value(ctx).chars().count()
            } else {
                self.string(&arg(0)?).chars().count()
            } as f64),
            "normalize-space" => {
                let s = if args.is_empty() {
                    self.string_value(ctx)
                } else {
                    self.string(&arg(0)?)
                };
                Value::Str(s.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            "id" => {
                let wanted = self.string(&arg(0)?);
                let ids: Vec<&str> = wanted.split_whitespace().collect();
                self.charge(self.doc.descendants().len())?;
                let mut out: Vec<XNode> = self
                    .doc
                    .descendants()
                    .filter(|n| {
                        n.attributes().any(|a| {
                            a.namespace() == Some(XML_NAMESPACE)
                                && a.name() == "id"
                                && ids.contains(&a.value())
                        })
                    })
                    .map(|n| XNode::Node(n.id()))
                    .collect();
                self.sort(&mut out);
                Value::Nodes(out)
            }
            other => return Err(unsupported(format!("function {other}()"))),
        })
    }

    fn local_name(&self, n: XNode) -> String {
        match n {
            XNode::Node(id) => {
                let node = self.node(id);
                match node.node_type() {
                    NodeType::Element => node.tag_name().name().to_string(),
                    NodeType::PI => node.pi().map(|p| p.target.to_string()).unwrap_or_default(),
                    _ => String::new(),
                }
            }
            XNode::Attribute(id, i) => self
                .attr(id, i)
                .map(|a| a.name().to_string())
                .unwrap_or_default(),
            XNode::Namespace(id, i) => self.ns_parts(id, i).0.to_string(),
        }
    }

    fn qname(&self, n: XNode) -> String {
        let text = self.doc.input_text();
        match n {
            XNode::Node(id) => {
                let node = self.node(id);
                match node.node_type() {
                    NodeType::Element => {
                        super::element::qname_at(text, node.range().start).to_string()
                    }
                    NodeType::PI => node.pi().map(|p| p.target.to_string()).unwrap_or_default(),
                    _ => String::new(),
                }
            }
            XNode::Attribute(id, i) => self
                .attr(id, i)
                .map(|a| text[a.range_qname()].to_string())
                .unwrap_or_default(),
            XNode::Namespace(id, i) => self.ns_parts(id, i).0.to_string(),
        }
    }

    fn namespace_uri(&self, n: XNode) -> String {
        match n {
            XNode::Node(id) => {
                let node = self.node(id);
                if node.is_element() {
                    node.tag_name().namespace().unwrap_or("").to_string()
                } else {
                    String::new()
                }
            }
            XNode::Attribute(id, i) => self
                .attr(id, i)
                .and_then(|a| a.namespace())
                .unwrap_or("")
                .to_string(),
            XNode::Namespace(..) => String::new(),
        }
    }

    fn string_value(&self, n: XNode) -> String {
        match n {
            XNode::Node(id) => {
                let node = self.node(id);
                match node.node_type() {
                    NodeType::Root | NodeType::Element => {
                        let mut out = String::new();
                        let mut visited = 0;
                        for d in node.descendants() {
                            visited += 1;
                            if let Some(text) = d.text().filter(|_| d.is_text()) {
                                out.push_str(text);
                            }
                        }
                        self.spend(visited);
                        out
                    }
                    NodeType::Text | NodeType::Comment => node.text().unwrap_or("").to_string(),
                    NodeType::PI => node.pi().and_then(|p| p.value).unwrap_or("").to_string(),
                }
            }
            XNode::Attribute(id, i) => self
                .attr(id, i)
                .map(|a| a.value().to_string())
                .unwrap_or_default(),
            XNode::Namespace(id, i) => self.ns_parts(id, i).1.to_string(),
        }
    }

    fn boolean(&self, v: &Value) -> bool {
        match v {
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
            Value::Nodes(n) => !n.is_empty(),
        }
    }

    fn number(&self, v: &Value) -> f64 {
        match v {
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Num(n) => *n,
            Value::Str(s) => s.trim().parse().unwrap_or(f64::NAN),
            Value::Nodes(_) => self.string(v).trim().parse().unwrap_or(f64::NAN),
        }
    }

    fn string(&self, v: &Value) -> String {
        match v {
            Value::Bool(b) => b.to_string(),
            Value::Num(n) => {
                if n.fract() == 0.0 && n.is_finite() {
                    format!("{}", *n as i64)
                } else {
                    n.to_string()
                }
            }
            Value::Str(s) => s.clone(),
            Value::Nodes(n) => n.first().map(|&x| self.string_value(x)).unwrap_or_default(),
        }
    }

    fn compare(&self, op: CmpOp, a: &Value, b: &Value) -> Result<bool> {
        match (a, b) {
            (Value::Nodes(x), Value::Nodes(y)) => {
                // Every pair may be compared: pay for all of them up front.
                self.charge(x.len().saturating_mul(y.len()))?;
                let right: Vec<Value> = y
                    .iter()
                    .map(|&q| Value::Str(self.string_value(q)))
                    .collect();
                for &p in x {
                    let left = Value::Str(self.string_value(p));
                    self.check()?;
                    if right.iter().any(|r| self.compare_atoms(op, &left, r)) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            (Value::Nodes(x), other) => {
                for &p in x {
                    let hit = self.compare_node_atom(op, p, other, false);
                    self.check()?;
                    if hit {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            (other, Value::Nodes(y)) => {
                for &q in y {
                    let hit = self.compare_node_atom(op, q, other, true);
                    self.check()?;
                    if hit {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Ok(self.compare_atoms(op, a, b)),
        }
    }

    fn compare_node_atom(&self, op: CmpOp, node: XNode, atom: &Value, swapped: bool) -> bool {
        let nv = match atom {
            Value::Num(_) => Value::Num(self.number(&Value::Str(self.string_value(node)))),
            Value::Bool(_) => Value::Bool(true),
            _ => Value::Str(self.string_value(node)),
        };
        if swapped {
            self.compare_atoms(op, atom, &nv)
        } else {
            self.compare_atoms(op, &nv, atom)
        }
    }

    fn compare_atoms(&self, op: CmpOp, a: &Value, b: &Value) -> bool {
        match op {
            CmpOp::Eq | CmpOp::Ne => {
                let eq = match (a, b) {
                    (Value::Bool(_), _) | (_, Value::Bool(_)) => self.boolean(a) == self.boolean(b),
                    (Value::Num(_), _) | (_, Value::Num(_)) => self.number(a) == self.number(b),
                    _ => self.string(a) == self.string(b),
                };
                eq == (op == CmpOp::Eq)
            }
            _ => {
                let (x, y) = (self.number(a), self.number(b));
                match x.partial_cmp(&y) {
                    Some(Ordering::Less) => matches!(op, CmpOp::Lt | CmpOp::Le),
                    Some(Ordering::Equal) => matches!(op, CmpOp::Le | CmpOp::Ge),
                    Some(Ordering::Greater) => matches!(op, CmpOp::Gt | CmpOp::Ge),
                    None => false,
                }
            }
        }
    }
}

/// A node-set as a canonicalization visibility: membership tests for every node kind.
pub(crate) struct NodeSet {
    nodes: std::collections::HashSet<XNode>,
}

impl NodeSet {
    pub(crate) fn new(nodes: Vec<XNode>) -> Self {
        NodeSet {
            nodes: nodes.into_iter().collect(),
        }
    }
}

impl super::c14n::Visibility for NodeSet {
    fn node(&self, node: Node<'_, '_>) -> bool {
        self.nodes.contains(&XNode::Node(node.id()))
    }
    fn attribute(&self, element: Node<'_, '_>, index: usize) -> bool {
        self.nodes.contains(&XNode::Attribute(element.id(), index))
    }
    fn namespace(&self, element: Node<'_, '_>, index: usize) -> bool {
        // Engine indices count roxmltree entries; XPath reserves 0 for `xml`.
        self.nodes
            .contains(&XNode::Namespace(element.id(), index + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns() -> HashMap<String, String> {
        HashMap::from([("p".to_string(), "urn:p".to_string())])
    }

    #[test]
    fn selects_subsets() {
        let doc = Document::parse(r#"<a xmlns:p="urn:p"><p:b x="1">t</p:b><c/></a>"#).expect("doc");
        let xp = XPath::parse("(//. | //@* | //namespace::*)[ancestor-or-self::p:b]", ns())
            .expect("parse");
        let nodes = xp.select(&doc).expect("select");
        // p:b, its two namespace nodes (xml, p), its attribute, its text.
        assert_eq!(nodes.len(), 5, "{nodes:?}");
        let xp = XPath::parse(
            "count(//namespace::*) = 3 * 2 and not(//c/@x) and name(//p:b) = 'p:b'",
            ns(),
        )
        .expect("parse");
        assert!(xp.test(&doc, XNode::Node(doc.root().id())).expect("eval"));
    }

    /// Runs `f` on a thread with a small stack, so that a test proves a bound rather than a
    /// lucky stack size.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(f)
            .expect("thread")
            .join()
            .expect("no overflow")
    }

    fn limit(result: Result<impl std::fmt::Debug>) -> &'static str {
        match result {
            Err(Error::Xml(XmlError::LimitExceeded { limit, .. })) => limit,
            other => panic!("expected a limit error, got {other:?}"),
        }
    }

    #[test]
    fn deep_and_long_expressions_are_refused_without_recursing() {
        on_small_stack(|| {
            let n = 100_000;
            let parens = "(".repeat(n) + "1" + &")".repeat(n);
            assert_eq!(
                limit(XPath::parse(&parens, ns())),
                "XPath expression tokens"
            );
            let minus = "-".repeat(n) + "1";
            assert_eq!(limit(XPath::parse(&minus, ns())), "XPath expression tokens");
            // Within the token limit, nesting is still bounded.
            let parens = "(".repeat(300) + "1" + &")".repeat(300);
            assert_eq!(limit(XPath::parse(&parens, ns())), "XPath nesting depth");
            let preds = "a[".repeat(300) + "1" + &"]".repeat(300);
            assert_eq!(limit(XPath::parse(&preds, ns())), "XPath nesting depth");
            let calls = "not(".repeat(300) + "1" + &")".repeat(300);
            assert_eq!(limit(XPath::parse(&calls, ns())), "XPath nesting depth");
            let minus = "-".repeat(300) + "1";
            assert_eq!(limit(XPath::parse(&minus, ns())), "XPath nesting depth");
            // A flat chain nests in the tree even though the parser loops over it.
            let chain = vec!["1"; 100].join(" + ");
            assert_eq!(limit(XPath::parse(&chain, ns())), "XPath nesting depth");
        });
    }

    #[test]
    fn expressions_at_the_limits_parse_and_evaluate_on_a_small_stack() {
        on_small_stack(|| {
            let doc = Document::parse("<a><b/></a>").expect("doc");
            // Each parenthesis level is two levels of the tree (the group and its content).
            let nested = "(".repeat(MAX_DEPTH / 2 - 1) + "1" + &")".repeat(MAX_DEPTH / 2 - 1);
            let xp = XPath::parse(&format!("{nested} = 1"), ns()).expect("parse");
            assert!(xp.test(&doc, XNode::Node(doc.root().id())).expect("eval"));
            let chain = vec!["1"; MAX_DEPTH - 1].join(" + ");
            let xp = XPath::parse(&format!("{chain} = {}", MAX_DEPTH - 1), ns()).expect("parse");
            assert!(xp.test(&doc, XNode::Node(doc.root().id())).expect("eval"));
        });
    }

    #[test]
    fn evaluation_is_bounded_by_its_budget() {
        let body: String = (0..200).map(|i| format!("<i n=\"{i}\"/>")).collect();
        let text = format!("<r>{body}</r>");
        let doc = Document::parse(&text).expect("doc");
        let quadratic = XPath::parse("//i[@n = //i/@n]", ns()).expect("parse");
        // 200 × 200 comparisons and more: a budget of 10 000 stops it.
        assert_eq!(
            limit(quadratic.select_within(&doc, 10_000)),
            "XPath evaluation budget (nodes visited)"
        );
        assert_eq!(
            quadratic
                .select_within(&doc, 1_000_000)
                .expect("fits")
                .len(),
            200
        );
        let mut budget = 1_000_000;
        quadratic.select_spending(&doc, &mut budget).expect("fits");
        assert!(
            budget < 1_000_000 - 40_000,
            "spent only {}",
            1_000_000 - budget
        );
        // String values of big subtrees are paid for too.
        let strings = XPath::parse("//i[string(/) = 'x']", ns()).expect("parse");
        assert_eq!(
            limit(strings.select_within(&doc, 10_000)),
            "XPath evaluation budget (nodes visited)"
        );
    }

    #[test]
    fn reports_unsupported_and_bad_syntax() {
        assert_eq!(
            XPath::parse("$x", ns()).expect_err("var").code(),
            crate::ErrorCode::Unsupported
        );
        assert_eq!(
            XPath::parse("following::a", ns()).expect_err("axis").code(),
            crate::ErrorCode::Unsupported
        );
        assert_eq!(
            XPath::parse("q:a", ns()).expect_err("prefix").code(),
            crate::ErrorCode::XmlMalformed
        );
        assert!(XPath::parse("(a", ns()).is_err());
    }
}
