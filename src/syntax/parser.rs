//! The grammar: text to [`Query`], with errors, warnings and recovery.
//!
//! ```text
//! query       = ws , [ sequence ] , ws ;                       (* EOF *)
//! sequence    = unary , { [ operator ] , unary } ;             (* no operator: implicit *)
//! operator    = "AND" | "&&" | "OR" | "||" ;
//! unary       = ( "NOT" | "!" ) , ws , unary
//!             | ( "-" | "+" ) , unary                          (* no space after the sign *)
//!             | primary ;
//! primary     = "(" , ws , sequence , ws , ")"
//!             | field , ws , ":" , ws , field_value
//!             | value ;                                        (* bare: default fields *)
//! field       = ( letter | "_" ) , { letter | digit | "_" | "." } ;
//! field_value = "(" , ws , sequence , ws , ")"                 (* field group: values only *)
//!             | range | value ;
//! range       = ( "[" | "{" ) , ws , bound , ws , "TO" , ws , bound , ws , ( "]" | "}" ) ;
//! bound       = "*" | phrase | date | term ;
//! value       = phrase | date | term ;                         (* a term with * or ? is a wildcard *)
//! phrase      = '"' , { any char but '"' and '\' | "\" , any char } , '"' ;
//! term        = term_start , { term_char } ;
//! term_char   = any char but whitespace ( ) [ ] { } " : = ^ ~ \  | "\" , any char ;
//! term_start  = term_char but + - ! ;                          (* those are prefixes *)
//! date        = see syntax::date ;
//! ```
//!
//! Precedence is NOT > AND > OR; the implicit operator binds like the one it
//! stands for (`ParseOptions::default_operator`).
//!
//! How it works. Leaves (phrases, dates, terms) are lexed with nom; the
//! boolean structure is parsed by one function per rule over a cursor. Each
//! operand is parsed exactly once; a [`sequence`](Parser::sequence) collects
//! operands and operators into two flat lists and only then builds the tree by
//! precedence, so nothing is ever re-parsed and parsing is linear. Recursion
//! happens only at `(`, field groups and `NOT`, each of which counts towards
//! `max_depth` before recursing.
//!
//! The parser always recovers: an error is recorded and parsing goes on as the
//! lenient mode would (close the parenthesis, drop the dangling operator, skip
//! the stray `)`...). Strict parsing is the same run, failing when any error
//! was recorded; so the lenient mode is not a second grammar, and every
//! recovery step consumes input or ends a loop, so it always terminates.

use super::ast::{
    Bound, Clause, ClauseValue, Expr, ExprKind, Field, Query, Range, Span, Value, ValueKind,
    Wildcard, WildcardPart,
};
use super::date::{DateLex, is_delimiter, lex_date};
use super::diagnostic::{Error, ErrorKind, Found, Warning, WarningKind};
use super::print;

/// The operator that joins two clauses written side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Operator {
    /// `a b` means `a AND b` (Help Scout's and Lucene's default).
    #[default]
    And,
    /// `a b` means `a OR b`.
    Or,
}

impl Operator {
    fn keyword(self) -> &'static str {
        match self {
            Operator::And => "AND",
            Operator::Or => "OR",
        }
    }
}

/// Limits and choices for [`parse_with`](crate::parse_with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// The implicit operator. Default: AND.
    pub default_operator: Operator,
    /// The deepest nesting of parentheses, field groups and `NOT`s. Default 64;
    /// values above [`ParseOptions::DEPTH_CEILING`] are treated as the ceiling.
    pub max_depth: usize,
    /// The longest query, in bytes. Default 64 KiB.
    pub max_length: usize,
}

impl ParseOptions {
    /// The most nesting any options allow. Parsing, printing and dropping a
    /// tree recurse once per level; this keeps them far from the bottom of a
    /// 2 MiB thread stack.
    pub const DEPTH_CEILING: usize = 1024;
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            default_operator: Operator::And,
            max_depth: 64,
            max_length: 64 * 1024,
        }
    }
}

/// What the parser produced: the tree if anything survived, and every
/// diagnostic, in the order found.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub query: Option<Query>,
    pub errors: Vec<Error>,
    pub warnings: Vec<Warning>,
}

/// Parses `input`, recovering from every error.
pub(crate) fn parse_recovering(input: &str, options: &ParseOptions) -> Outcome {
    let mut errors = Vec::new();
    let mut source = input;
    if input.len() > options.max_length {
        let mut cut = options.max_length;
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        errors.push(Error {
            kind: ErrorKind::TooLong {
                len: input.len(),
                max: options.max_length,
            },
            span: Span::new(cut, input.len()),
        });
        source = &input[..cut];
    }
    let mut parser = Parser {
        src: source,
        pos: 0,
        options,
        max_depth: options.max_depth.min(ParseOptions::DEPTH_CEILING),
        depth: 0,
        errors,
        warnings: Vec::new(),
        reported_too_deep: false,
    };
    let root = parser.sequence(Context::Top);
    if root.is_none() && parser.errors.is_empty() {
        parser.error(ErrorKind::EmptyQuery, Span::empty(0));
    }
    Outcome {
        query: root.map(|root| Query { root }),
        errors: parser.errors,
        warnings: parser.warnings,
    }
}

/// Where a [`sequence`](Parser::sequence) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The whole query: a `)` here is stray.
    Top,
    /// Inside `( … )`; `group` when it is a field group (values only).
    Paren { group: bool },
}

impl Context {
    fn in_group(self) -> bool {
        matches!(self, Context::Paren { group: true })
    }
}

/// A binary operator between two operands, as written.
#[derive(Debug, Clone, Copy)]
struct Op {
    kind: Operator,
    implicit: bool,
    span: Span,
    text: &'static str,
}

/// The result of parsing one operand.
enum Operand {
    /// A tree.
    Parsed(Expr),
    /// Something was there but was wrong; the error is recorded and the input
    /// consumed.
    Failed,
    /// Nothing that starts an operand (the end, `)`, or a binary operator);
    /// nothing consumed.
    Missing(Found),
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    options: &'a ParseOptions,
    max_depth: usize,
    depth: usize,
    errors: Vec<Error>,
    warnings: Vec<Warning>,
    reported_too_deep: bool,
}

/// Characters that end a term (besides whitespace).
fn ends_term(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | '"' | ':' | '=' | '^' | '~'
        )
}

fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// A lexed term before it becomes a value: its unescaped parts.
struct Lexed {
    parts: Vec<WildcardPart>,
    /// The text as written, escapes included.
    raw_len: usize,
    escaped: bool,
}

impl<'a> Parser<'a> {
    // ----- cursor -----------------------------------------------------------

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// `ws = { whitespace }`; returns the span skipped.
    fn ws(&mut self) -> Span {
        let start = self.pos;
        let rest = self.rest();
        let skipped = rest.len() - rest.trim_start().len();
        self.pos += skipped;
        Span::new(start, self.pos)
    }

    fn error(&mut self, kind: ErrorKind, span: Span) {
        self.errors.push(Error { kind, span });
    }

    fn warn(&mut self, kind: WarningKind, span: Span) {
        self.warnings.push(Warning { kind, span });
    }

    /// The word at the cursor as written (up to a term-ending character),
    /// without consuming it: used to recognise keywords.
    fn peek_word(&self) -> &'a str {
        let rest = self.rest();
        let end = rest.find(ends_term).unwrap_or(rest.len());
        &rest[..end]
    }

    /// What stands at the cursor, for messages.
    fn found(&self) -> Found {
        match self.peek_operator() {
            Some((_, text, _)) => Found::Keyword(text),
            None => match self.peek() {
                None => Found::End,
                Some(c) => match self.peek_word() {
                    "NOT" => Found::Keyword("NOT"),
                    "TO" => Found::Keyword("TO"),
                    _ => Found::Char(c),
                },
            },
        }
    }

    /// `operator`, if one stands at the cursor: its kind, text and length.
    fn peek_operator(&self) -> Option<(Operator, &'static str, usize)> {
        let rest = self.rest();
        if rest.starts_with("&&") {
            return Some((Operator::And, "&&", 2));
        }
        if rest.starts_with("||") {
            return Some((Operator::Or, "||", 2));
        }
        match self.peek_word() {
            "AND" => Some((Operator::And, "AND", 3)),
            "OR" => Some((Operator::Or, "OR", 2)),
            _ => None,
        }
    }

    // ----- sequence ---------------------------------------------------------

    /// `sequence = unary , { [ operator ] , unary }`
    ///
    /// Stops before `)` (unless `Top`, where a `)` is reported and skipped) and
    /// at the end. Returns `None` when no operand survived.
    fn sequence(&mut self, context: Context) -> Option<Expr> {
        let mut operands: Vec<Expr> = Vec::new();
        let mut ops: Vec<Op> = Vec::new();
        // The operator waiting for its right operand.
        let mut pending: Option<Op> = None;
        // Whether the last operand failed: an error was already reported there,
        // so a following operator with no left operand is not reported again.
        let mut last_failed = false;
        let mut gap = Span::empty(0);

        loop {
            let ws = self.ws();
            match self.peek() {
                None => break,
                Some(')') if context == Context::Top => {
                    self.error(ErrorKind::UnexpectedParen, Span::new(self.pos, self.pos + 1));
                    self.pos += 1;
                    continue;
                }
                Some(')') => break,
                _ => {}
            }
            if let Some((kind, text, len)) = self.peek_operator() {
                let span = Span::new(self.pos, self.pos + len);
                self.pos += len;
                if let Some(previous) = pending {
                    self.error(
                        ErrorKind::ExpectedClause {
                            after: previous.text,
                            found: Found::Keyword(text),
                        },
                        span,
                    );
                } else if operands.is_empty() && !last_failed {
                    self.error(ErrorKind::MisplacedOperator { operator: text }, span);
                } else if !operands.is_empty() {
                    pending = Some(Op {
                        kind,
                        implicit: false,
                        span,
                        text,
                    });
                }
                continue;
            }
            let start = self.pos;
            match self.unary(context) {
                Operand::Parsed(expr) => {
                    if !operands.is_empty() {
                        let op = pending.take().unwrap_or_else(|| {
                            let kind = self.options.default_operator;
                            Op {
                                kind,
                                implicit: true,
                                span: if ws.start == ws.end { gap } else { ws },
                                text: kind.keyword(),
                            }
                        });
                        if op.implicit {
                            self.warn(
                                WarningKind::ImplicitOperator {
                                    operator: op.kind.keyword(),
                                },
                                op.span,
                            );
                        }
                        ops.push(op);
                    }
                    pending = None;
                    operands.push(expr);
                    last_failed = false;
                }
                Operand::Failed => last_failed = true,
                Operand::Missing(_) => {
                    // `unary` consumes nothing only at `)`, the end or an
                    // operator, all handled above; never loop in place.
                    if self.pos == start {
                        let c = self.bump();
                        self.error(
                            ErrorKind::Unexpected {
                                found: c.map_or(Found::End, Found::Char),
                            },
                            Span::new(start, self.pos),
                        );
                    }
                    last_failed = true;
                }
            }
            gap = Span::empty(self.pos);
        }

        if let Some(op) = pending {
            self.error(
                ErrorKind::ExpectedClause {
                    after: op.text,
                    found: self.found(),
                },
                Span::empty(self.pos),
            );
        }
        self.combine(operands, ops)
    }

    /// Builds the tree of one sequence by precedence: operands joined by AND
    /// (explicit, or implicit when the default is AND) form groups, and the
    /// groups are joined by OR. Same-operator chains come out flat.
    fn combine(&mut self, operands: Vec<Expr>, ops: Vec<Op>) -> Option<Expr> {
        debug_assert_eq!(ops.len() + 1, operands.len().max(1));
        let has_and = ops.iter().any(|op| op.kind == Operator::And);
        let first_or = ops.iter().find(|op| op.kind == Operator::Or).map(|op| op.span);

        let mut or_groups: Vec<Vec<Expr>> = Vec::new();
        let mut current: Vec<Expr> = Vec::new();
        let mut ops = ops.into_iter();
        for (i, operand) in operands.into_iter().enumerate() {
            if i > 0 && ops.next().is_some_and(|op| op.kind == Operator::Or) {
                or_groups.push(std::mem::take(&mut current));
            }
            current.push(operand);
        }
        if !current.is_empty() {
            or_groups.push(current);
        }
        let mut or_operands: Vec<Expr> = or_groups.into_iter().map(|g| join(g, Operator::And)).collect();
        let root = match or_operands.len() {
            0 => return None,
            1 => or_operands.pop(),
            _ => Some(join(or_operands, Operator::Or)),
        };
        if let (true, Some(or_span), Some(root)) = (has_and, first_or, &root) {
            self.warn(
                WarningKind::MixedAndOr {
                    reading: print::expr_to_string(root),
                },
                or_span,
            );
        }
        root
    }

    // ----- unary ------------------------------------------------------------

    /// `unary = ( "NOT" | "!" ) , ws , unary | ( "-" | "+" ) , unary | primary`
    ///
    /// The chain of prefixes is read in a loop, not by recursion, and each
    /// negation counts as one level of depth.
    fn unary(&mut self, context: Context) -> Operand {
        let mut nots: Vec<usize> = Vec::new();
        let depth_before = self.depth;
        let mut last_prefix: Option<&'static str> = None;
        loop {
            let start = self.pos;
            let rest = self.rest();
            let (negates, text, len) = if self.peek_word() == "NOT" {
                (true, "NOT", 3)
            } else if rest.starts_with('!') {
                (true, "'!'", 1)
            } else if rest.starts_with('-') || rest.starts_with('+') {
                let sign = if rest.starts_with('-') { "'-'" } else { "'+'" };
                let next = rest[1..].chars().next();
                if next.is_none_or(|c| c.is_whitespace()) {
                    self.pos += 1;
                    self.error(
                        ErrorKind::ExpectedClause {
                            after: sign,
                            found: self.found(),
                        },
                        Span::empty(self.pos),
                    );
                    self.depth = depth_before;
                    return Operand::Failed;
                }
                if sign == "'-'" {
                    self.warn(WarningKind::MinusPrefix, Span::new(start, start + 1));
                }
                (sign == "'-'", sign, 1)
            } else {
                break;
            };
            self.pos += len;
            last_prefix = Some(text);
            if negates {
                if self.depth >= self.max_depth {
                    self.too_deep(Span::new(start, start + len));
                } else {
                    self.depth += 1;
                    nots.push(start);
                }
            }
            if text != "'-'" && text != "'+'" {
                self.ws();
            }
        }

        let operand = self.primary(context);
        self.depth = depth_before;
        match (operand, last_prefix) {
            (Operand::Parsed(mut expr), _) => {
                for start in nots.into_iter().rev() {
                    let span = Span::new(start, expr.span.end);
                    expr = Expr::new(
                        ExprKind::Not {
                            operand: Box::new(expr),
                        },
                        span,
                    );
                }
                Operand::Parsed(expr)
            }
            (Operand::Missing(found), Some(after)) => {
                self.error(
                    ErrorKind::ExpectedClause { after, found },
                    Span::empty(self.pos),
                );
                Operand::Failed
            }
            (other, _) => other,
        }
    }

    fn too_deep(&mut self, span: Span) {
        if !self.reported_too_deep {
            self.reported_too_deep = true;
            self.error(ErrorKind::TooDeep { max: self.max_depth }, span);
        }
    }

    // ----- primary ----------------------------------------------------------

    /// `primary = "(" , sequence , ")" | field , ":" , field_value | value`
    fn primary(&mut self, context: Context) -> Operand {
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Operand::Missing(Found::End);
        };
        match c {
            ')' => return Operand::Missing(Found::Char(')')),
            '(' => return self.parenthesised(context.in_group()),
            '[' | '{' => {
                let range = self.range();
                if context.in_group() {
                    return range;
                }
                self.error(ErrorKind::RangeNeedsField, Span::new(start, start + 1));
                return Operand::Failed;
            }
            ']' | '}' | ':' | '=' => {
                self.pos += 1;
                self.error(
                    ErrorKind::Unexpected {
                        found: Found::Char(c),
                    },
                    Span::new(start, self.pos),
                );
                return Operand::Failed;
            }
            '^' | '~' => {
                self.unsupported();
                return Operand::Failed;
            }
            _ => {}
        }
        if self.peek_operator().is_some() {
            return Operand::Missing(self.found());
        }

        let value = match self.value() {
            Some(value) => value,
            None => return Operand::Failed,
        };
        // A term followed by ':' (or '=' typed for it) is a field name.
        let after_value = self.pos;
        self.ws();
        let separator = self.peek();
        if !matches!(separator, Some(':') | Some('=')) {
            self.pos = after_value;
            self.warn_bare(&value);
            return Operand::Parsed(Expr::new(ExprKind::Value(value), Span::new(start, after_value)));
        }
        let separator_span = Span::new(self.pos, self.pos + 1);
        self.pos += 1;
        if separator == Some('=') {
            self.error(ErrorKind::EqualsForColon, separator_span);
        }
        let name = match &value.kind {
            ValueKind::Term(text) if is_field_name(text) && &self.src[value.span.start..value.span.end] == text => text.clone(),
            _ => {
                let written = self.src[value.span.start..value.span.end].to_owned();
                self.error(ErrorKind::InvalidFieldName { name: written }, value.span);
                // Recovery: read what follows as this clause's value, and drop both.
                let _ = self.field_value();
                return Operand::Failed;
            }
        };
        let field = Field {
            name,
            span: value.span,
        };
        if context.in_group() {
            self.error(ErrorKind::FieldInGroup, field.span);
        }
        match self.field_value() {
            Operand::Parsed(value_expr) => {
                let span = Span::new(start, value_expr.span.end);
                if context.in_group() {
                    // Recovery: drop the inner field name, keep its value.
                    return Operand::Parsed(value_expr);
                }
                let value = match value_expr.kind {
                    ExprKind::Value(value) => ClauseValue::Single { value },
                    _ => ClauseValue::Group {
                        expr: Box::new(value_expr),
                    },
                };
                Operand::Parsed(Expr::new(ExprKind::Clause(Clause { field, value }), span))
            }
            Operand::Failed => Operand::Failed,
            Operand::Missing(found) => {
                self.error(ErrorKind::ExpectedValue { found }, Span::empty(self.pos));
                Operand::Failed
            }
        }
    }

    /// Warnings that apply to a value written without a field.
    fn warn_bare(&mut self, value: &Value) {
        if let ValueKind::Term(text) = &value.kind {
            let lower = text.to_lowercase();
            if matches!(lower.as_str(), "and" | "or" | "not") && text != &text.to_uppercase() {
                self.warn(
                    WarningKind::LowercaseOperator { word: text.clone() },
                    value.span,
                );
            }
        }
    }

    /// `"(" , ws , sequence , ws , ")"`, for grouping or (`group`) a field group.
    fn parenthesised(&mut self, group: bool) -> Operand {
        let open = Span::new(self.pos, self.pos + 1);
        if self.depth >= self.max_depth {
            self.too_deep(open);
            self.skip_balanced();
            return Operand::Failed;
        }
        self.pos += 1;
        self.depth += 1;
        let inner = self.sequence(Context::Paren { group });
        self.depth -= 1;
        self.ws();
        let closed = self.peek() == Some(')');
        if closed {
            self.pos += 1;
        } else {
            self.error(ErrorKind::UnclosedParen, open);
        }
        match inner {
            Some(mut expr) => {
                expr.span = Span::new(open.start, self.pos);
                Operand::Parsed(expr)
            }
            None => {
                if closed && !self.errors.iter().any(|e| e.span.start > open.start) {
                    self.error(
                        ErrorKind::ExpectedClause {
                            after: "'('",
                            found: Found::Char(')'),
                        },
                        Span::empty(self.pos - 1),
                    );
                }
                Operand::Failed
            }
        }
    }

    /// Skips from a `(` to its matching `)` (or the end): recovery for a group
    /// past the depth limit. Iterative, so it is safe at any depth.
    fn skip_balanced(&mut self) {
        let mut level = 0usize;
        let mut in_quote = false;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '"' => in_quote = !in_quote,
                '(' if !in_quote => level += 1,
                ')' if !in_quote => {
                    level -= 1;
                    if level == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// `field_value = "(" , sequence , ")" | range | value`
    fn field_value(&mut self) -> Operand {
        self.ws();
        let start = self.pos;
        match self.peek() {
            None => Operand::Missing(Found::End),
            Some('(') => self.parenthesised(true),
            Some('[' | '{') => self.range(),
            Some(')') => Operand::Missing(Found::Char(')')),
            Some(c @ ('-' | '+' | '!' | ']' | '}' | ':' | '=' | '^' | '~')) => {
                self.pos += c.len_utf8();
                self.error(
                    ErrorKind::ExpectedValue {
                        found: Found::Char(c),
                    },
                    Span::new(start, self.pos),
                );
                Operand::Failed
            }
            Some(_) => {
                if let Some((_, text, _)) = self.peek_operator() {
                    return Operand::Missing(Found::Keyword(text));
                }
                if self.peek_word() == "NOT" {
                    return Operand::Missing(Found::Keyword("NOT"));
                }
                match self.value() {
                    Some(value) => {
                        let span = value.span;
                        Operand::Parsed(Expr::new(ExprKind::Value(value), span))
                    }
                    None => Operand::Failed,
                }
            }
        }
    }

    // ----- values -----------------------------------------------------------

    /// `value = phrase | date | term`. Returns `None` after recording an error.
    fn value(&mut self) -> Option<Value> {
        let start = self.pos;
        if self.peek() == Some('"') {
            return self.phrase();
        }
        match lex_date(self.rest(), start) {
            Ok(DateLex::Date {
                date,
                len,
                warnings,
            }) => {
                self.pos += len;
                self.warnings.extend(warnings);
                return Some(Value::new(ValueKind::Date(date), Span::new(start, self.pos)));
            }
            Ok(DateLex::NotADate) => {}
            Err(error) => {
                // Recovery: skip the rest of the would-be date.
                let rest = self.rest();
                let len = rest
                    .char_indices()
                    .find(|&(_, c)| is_delimiter(Some(c)))
                    .map_or(rest.len(), |(i, _)| i);
                self.pos += len;
                self.errors.push(error);
                return None;
            }
        }
        let lexed = self.term()?;
        let span = Span::new(start, start + lexed.raw_len);
        let kind = value_of_parts(lexed.parts);
        if !lexed.escaped && self.src[start..].starts_with('\'') {
            self.warn(WarningKind::SingleQuotes, span);
        }
        self.after_value_suffix();
        Some(Value::new(kind, span))
    }

    /// Lucene suffixes right after a value (`~2`, `^3`) are errors.
    fn after_value_suffix(&mut self) {
        if matches!(self.peek(), Some('^' | '~')) {
            self.unsupported();
        }
    }

    /// Reports `^N` or `~N` and skips it.
    fn unsupported(&mut self) {
        let start = self.pos;
        let what = if self.bump() == Some('^') {
            "'^' (boosting)"
        } else {
            "'~' (fuzzy or proximity search)"
        };
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        self.pos += len;
        self.error(ErrorKind::Unsupported { what }, Span::new(start, self.pos));
    }

    /// `term = term_start , { term_char }`, split at unescaped `*` and `?`.
    fn term(&mut self) -> Option<Lexed> {
        let start = self.pos;
        let mut parts: Vec<WildcardPart> = Vec::new();
        let mut literal = String::new();
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if ends_term(c) {
                break;
            }
            self.pos += c.len_utf8();
            match c {
                '\\' => match self.bump() {
                    Some(next) => {
                        escaped = true;
                        literal.push(next);
                    }
                    None => {
                        self.error(ErrorKind::DanglingEscape, Span::new(self.pos - 1, self.pos));
                        break;
                    }
                },
                '*' | '?' => {
                    if !literal.is_empty() {
                        parts.push(WildcardPart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(if c == '*' {
                        WildcardPart::AnyRun
                    } else {
                        WildcardPart::AnyChar
                    });
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(WildcardPart::Literal(literal));
        }
        if parts.is_empty() {
            // Only a dangling escape, already reported.
            return None;
        }
        Some(Lexed {
            parts,
            raw_len: self.pos - start,
            escaped,
        })
    }

    /// `phrase = '"' , { char | "\" , char } , '"'`
    fn phrase(&mut self) -> Option<Value> {
        let start = self.pos;
        self.pos += 1;
        let mut text = String::new();
        let mut closed = false;
        while let Some(c) = self.bump() {
            match c {
                '"' => {
                    closed = true;
                    break;
                }
                '\\' => match self.peek() {
                    Some(next @ ('"' | '\\')) => {
                        self.pos += 1;
                        text.push(next);
                    }
                    // Any other backslash is kept as written: "C:\dir".
                    _ => text.push('\\'),
                },
                '*' | '?' => {
                    if !self.warnings.iter().any(|w| w.span.start >= start && matches!(w.kind, WarningKind::WildcardInPhrase { .. })) {
                        self.warn(
                            WarningKind::WildcardInPhrase { wildcard: c },
                            Span::new(self.pos - 1, self.pos),
                        );
                    }
                    text.push(c);
                }
                c => text.push(c),
            }
        }
        if !closed {
            self.error(ErrorKind::UnterminatedQuote, Span::new(start, start + 1));
        }
        let span = Span::new(start, self.pos);
        if text.is_empty() {
            if closed {
                self.error(ErrorKind::EmptyPhrase, span);
            }
            return None;
        }
        self.after_value_suffix();
        Some(Value::new(ValueKind::Phrase(text), span))
    }

    // ----- ranges -----------------------------------------------------------

    /// `range = ( "[" | "{" ) , bound , "TO" , bound , ( "]" | "}" )`
    fn range(&mut self) -> Operand {
        let start = self.pos;
        let lower_inclusive = self.bump() == Some('[');
        match self.range_body(start, lower_inclusive) {
            Some(range) => Operand::Parsed(Expr::new(
                ExprKind::Value(Value::new(ValueKind::Range(range), Span::new(start, self.pos))),
                Span::new(start, self.pos),
            )),
            None => {
                // Recovery: skip to the end of the range, if it has one.
                let rest = self.rest();
                let stop = rest.find(|c: char| matches!(c, ']' | '}' | ')' | '('));
                match stop {
                    Some(i) if matches!(rest.as_bytes()[i], b']' | b'}') => self.pos += i + 1,
                    Some(i) => self.pos += i,
                    None => self.pos = self.src.len(),
                }
                Operand::Failed
            }
        }
    }

    fn range_body(&mut self, start: usize, lower_inclusive: bool) -> Option<Range> {
        self.ws();
        let lower = self.bound(lower_inclusive)?;
        self.ws();
        if self.peek_word() != "TO" {
            let found = self.found();
            self.error(ErrorKind::ExpectedTo { found }, self.here());
            return None;
        }
        self.pos += 2;
        self.ws();
        // The closing bracket decides the upper bound's kind; read the value
        // first, then the bracket.
        let upper_at = self.pos;
        let upper = self.bound(true)?;
        self.ws();
        let upper_inclusive = match self.peek() {
            Some(']') => true,
            Some('}') => false,
            None => {
                self.error(ErrorKind::UnclosedRange, Span::new(start, start + 1));
                return None;
            }
            Some(c) => {
                self.error(
                    ErrorKind::Unexpected {
                        found: Found::Char(c),
                    },
                    self.here(),
                );
                return None;
            }
        };
        self.pos += 1;
        let _ = upper_at;
        let upper = match upper {
            Bound::Inclusive(v) if !upper_inclusive => Bound::Exclusive(v),
            Bound::Unbounded { .. } => Bound::Unbounded {
                inclusive: upper_inclusive,
            },
            other => other,
        };
        Some(Range { lower, upper })
    }

    /// A one-character span at the cursor (empty at the end).
    fn here(&self) -> Span {
        Span::new(self.pos, self.pos + self.peek().map_or(0, char::len_utf8))
    }

    /// `bound = "*" | phrase | date | term`
    fn bound(&mut self, inclusive: bool) -> Option<Bound> {
        let rest = self.rest();
        if rest.starts_with('*') && is_delimiter(rest[1..].chars().next()) {
            self.pos += 1;
            return Some(Bound::Unbounded { inclusive });
        }
        let at_end = matches!(self.peek(), None | Some(']' | '}' | '[' | '{' | '(' | ')' | ':'));
        if at_end || self.peek_word() == "TO" {
            let found = self.found();
            self.error(ErrorKind::ExpectedRangeBound { found }, self.here());
            return None;
        }
        let value = self.value()?;
        if matches!(value.kind, ValueKind::Wildcard(_)) {
            self.error(ErrorKind::WildcardBound, value.span);
            return None;
        }
        let value = Box::new(value);
        Some(if inclusive {
            Bound::Inclusive(value)
        } else {
            Bound::Exclusive(value)
        })
    }
}

/// A term's parts as a value: a plain term when there is no wildcard.
fn value_of_parts(mut parts: Vec<WildcardPart>) -> ValueKind {
    if let [WildcardPart::Literal(_)] = parts.as_slice() {
        if let Some(WildcardPart::Literal(text)) = parts.pop() {
            return ValueKind::Term(text);
        }
    }
    ValueKind::Wildcard(Wildcard { parts })
}

/// Joins operands with `op`, flattening operands that are already `op` chains.
/// One operand is returned as is.
pub(crate) fn join(operands: Vec<Expr>, op: Operator) -> Expr {
    let mut flat = Vec::with_capacity(operands.len());
    for operand in operands {
        match (op, operand.kind) {
            (Operator::And, ExprKind::And { operands: inner })
            | (Operator::Or, ExprKind::Or { operands: inner }) => flat.extend(inner),
            (_, kind) => flat.push(Expr::new(kind, operand.span)),
        }
    }
    if flat.len() == 1 {
        if let Some(only) = flat.pop() {
            return only;
        }
    }
    let span = match (flat.first(), flat.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => Span::default(),
    };
    let kind = match op {
        Operator::And => ExprKind::And { operands: flat },
        Operator::Or => ExprKind::Or { operands: flat },
    };
    Expr::new(kind, span)
}
