//! The grammar: text to [`Query`], with errors, warnings and recovery.
//!
//! ```text
//! query       = ws , [ sequence ] , ws ;                       (* EOF *)
//! sequence    = unary , { [ operator ] , unary } ;             (* no operator: implicit *)
//! operator    = "AND" | "&&" | "OR" | "||" ;
//! unary       = ( "NOT" | "!" ) , ws , unary
//!             | ( "-" | "+" ) , unary                          (* no space after the sign *)
//!             | primary ;
//! primary     = ( "(" , ws , sequence , ws , ")"
//!               | field , ws , ":" , ws , field_value
//!               | value ) , [ boost ] ;                        (* bare: default fields *)
//! boost       = "^" , digit , { digit } , [ "." , digit , { digit } ] ;
//! field       = ( letter | "_" ) , { letter | digit | "_" | "." } ;
//! field_value = "(" , ws , sequence , ws , ")"                 (* field group: values only *)
//!             | range | value ;
//! range       = ( "[" | "{" ) , ws , bound , ws , "TO" , ws , bound , ws , ( "]" | "}" ) ;
//! bound       = "*" | phrase | date | term ;
//! value       = phrase | regex | date | term ;                 (* a term with * or ? is a wildcard *)
//! regex       = "/" , { any char but "/" | "\" , "/" } , "/" ;  (* the longest; see syntax::regexp *)
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
//! How it works. Dates are lexed with nom (`syntax::date`), terms and
//! phrases by byte scans (their grammar is one loop each); the
//! boolean structure is parsed by one function per rule over a cursor. Each
//! operand is parsed exactly once; a `sequence` collects
//! operands and operators into two flat lists and only then builds the tree by
//! precedence, so nothing is ever re-parsed and parsing is linear. Recursion
//! happens only at `(`, field groups and `NOT`, each of which counts towards
//! the depth before recursing.
//!
//! Depth. `max_depth` bounds the tree as its canonical form nests it, so
//! that the canonical form of every accepted query is accepted too: a `NOT`,
//! a field group, and an AND/OR inside another operator (which the canonical
//! form parenthesises, including the AND groups that precedence implies in
//! `a AND b OR c`) are one level each; the parentheses around the whole
//! query and redundant ones are not. This is checked on the finished tree
//! (`Parser::limit_depth`). While reading, parentheses and `NOT`s may nest
//! one level past `max_depth` (room for the canonical form's outer pair) and
//! no further, which is what bounds the recursion.
//!
//! The parser always recovers: an error is recorded and parsing goes on as the
//! lenient mode would (close the parenthesis, drop the dangling operator, skip
//! the stray `)`...). Strict parsing is the same run, failing when any error
//! was recorded; so the lenient mode is not a second grammar, and every
//! recovery step consumes input or ends a loop, so it always terminates.

use super::ast::{
    Boost, Bound, Clause, ClauseValue, DateAnchor, Expr, ExprKind, Field, Fuzzy, Query, Range,
    Regex, Span, Value, ValueKind, Wildcard, WildcardPart,
};
use super::date::{DateLex, is_delimiter, lex_date};
use super::diagnostic::{Error, ErrorKind, Found, Warning, WarningKind};
use super::options::{Operator, ParseOptions};
use super::print;
use super::safe::is_negative_group;
use super::tree::{first_too_deep, is_field_name, join};
use crate::diagnostic::quoted;
use crate::diagnostic::summary::{Omitted, condense};
use crate::text::is_query_space as is_space;

/// What the parser produced: the tree if anything survived, the errors in the
/// order found (an error inside a group before the group's unclosed `(`), and
/// the warnings in the order of their position.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub query: Option<Query>,
    pub errors: Vec<Error>,
    pub warnings: Vec<Warning>,
    /// What the caps left out of `errors` and `warnings` (`diagnostic::summary`).
    pub omitted: Omitted,
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
            repeats: None,
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
        in_range: false,
        negative_groups: Vec::new(),
        lost_to_depth: false,
    };
    let root = parser.sequence(Context::Top);
    let root = root.and_then(|root| parser.limit_depth(root));
    if root.is_none() && parser.errors.is_empty() {
        parser.error(ErrorKind::EmptyQuery, Span::empty(0));
    }
    if let Some(root) = &root {
        parser.lucene_warnings(root);
    }
    // A repair never changes what the query selects: past the length limit
    // the rest of the text is lost, and past the depth limit what could not
    // be read, so there is no repaired query then (the errors say why).
    let truncated = source.len() < input.len();
    let root = root.filter(|_| !truncated && !parser.lost_to_depth);
    // Warnings are found out of order: an implicit operator once the operand
    // after it is read, a mixed AND/OR once its sequence ends.
    parser.warnings.sort_by_key(|warning| warning.span.start);
    let (errors, omitted_errors) = condense(
        parser.errors,
        |e| (e.kind.code(), e.kind.to_string()),
        |e| e.span,
        |_| true,
        |e, repeats| e.repeats = Some(repeats),
    );
    let (warnings, omitted_warnings) = condense(
        parser.warnings,
        |w| (w.kind.code(), w.kind.to_string()),
        |w| w.span,
        |_| false,
        |w, repeats| w.repeats = Some(repeats),
    );
    Outcome {
        query: root.map(|root| Query { root }),
        errors,
        warnings,
        omitted: Omitted {
            errors: omitted_errors.errors,
            warnings: omitted_warnings.warnings,
        },
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

/// The prefixes before an operand: where each negation starts, and the last
/// prefix written (for "expected a clause after …").
struct Prefixes {
    nots: Vec<usize>,
    /// How many prefixes the chain has, where the first starts, and whether
    /// one is a `+`: Lucene takes one prefix per clause.
    count: usize,
    first: Option<usize>,
    plus: bool,
    last: Option<&'static str>,
    /// Where an odd negation past the limit starts, that no negation of
    /// this chain was left to cancel (see `Parser::push_prefix`).
    excess: Option<usize>,
    /// Whether the chain went past the limit: it is then reduced to its
    /// parity, one negation or none.
    past_limit: bool,
}

/// A [`sequence`](Parser::sequence) being read: its operands and the
/// operators between them, in two flat lists.
struct SequenceState {
    operands: Vec<Expr>,
    ops: Vec<Op>,
    /// The operator waiting for its right operand.
    pending: Option<Op>,
    /// Whether the last operand failed: an error was already reported there,
    /// so a following operator with no left operand is not reported again.
    last_failed: bool,
    /// Where the last operand ended, for an implicit operator with no space.
    gap: Span,
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
    /// Whether a range bound is being read (a bare timestamp is fine there).
    in_range: bool,
    /// Parenthesised groups made only of negations, with their safe form:
    /// reported unless the group is the whole query.
    negative_groups: Vec<(Span, String)>,
    /// Whether something was dropped for being too deep: then no repair
    /// keeps the meaning, and the lenient mode returns no query.
    lost_to_depth: bool,
}

/// How much of a sequence the mixed AND/OR warning quotes, in bytes.
const READING_MAX: usize = 120;

/// ASCII bytes that stop the plain-term scan: whitespace and the characters
/// that end a term (1), and the escape and wildcards (2).
static STOPS: [u8; 128] = {
    let mut table = [0u8; 128];
    let ends = b"\t\n\r ()[]{}\":=^~";
    let mut i = 0;
    while i < ends.len() {
        table[ends[i] as usize] = 1;
        i += 1;
    }
    table[b'\\' as usize] = 2;
    table[b'*' as usize] = 2;
    table[b'?' as usize] = 2;
    table
};

/// The length of the plain word at the start of `text` (no escape, no
/// wildcard) and whether it ends where a term ends (rather than at an escape
/// or a wildcard). A byte scan with a table; only non-ASCII characters are
/// decoded, to ask whether they are whitespace.
fn plain_word(text: &str) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            match STOPS[b as usize] {
                0 => i += 1,
                stop => return (i, stop == 1),
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if is_space(c) {
                return (i, true);
            }
            i += c.len_utf8();
        }
    }
    (i, true)
}

/// Characters that end a term (besides whitespace).
fn ends_term(c: char) -> bool {
    if c.is_ascii() {
        // Lucene's whitespace (`is_space`) on ASCII, spelled out: this runs
        // per character.
        matches!(
            c,
            '\t' | '\n'
                | '\r'
                | ' '
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '"'
                | ':'
                | '='
                | '^'
                | '~'
        )
    } else {
        c == '\u{3000}'
    }
}

/// Whether `c` continues a term in Lucene's lexer (`_TERM_CHAR`, and the
/// escape and wildcards that make a longer token): what makes `||x` a term.
fn continues_term(c: char) -> bool {
    !is_space(c)
        && !matches!(
            c,
            '!' | '(' | ')' | ':' | '^' | '[' | ']' | '"' | '{' | '}' | '~' | '/'
        )
}

/// The parts of a wildcard as Lucene's `WildcardQuery` reads the text as
/// written: escaped characters kept apart ([`WildcardPart::Escaped`]).
#[derive(Default)]
struct ExactParts {
    parts: Vec<WildcardPart>,
}

impl ExactParts {
    fn push(&mut self, part: WildcardPart) {
        self.parts.push(part);
    }

    fn literal(&mut self, c: char) {
        match self.parts.last_mut() {
            Some(WildcardPart::Literal(text)) => text.push(c),
            _ => self.parts.push(WildcardPart::Literal(c.to_string())),
        }
    }

    /// An escaped character: kept apart only when Lucene's lower-casing
    /// would change it (the only case where it matters), so that a tree
    /// holds one spelling of each wildcard.
    fn escaped(&mut self, c: char) {
        if crate::text::lowercase_char(c) == c {
            return self.literal(c);
        }
        match self.parts.last_mut() {
            Some(WildcardPart::Escaped(text)) => text.push(c),
            _ => self.parts.push(WildcardPart::Escaped(c.to_string())),
        }
    }

    /// Text as written after a `\u`: the hex digits, and another `\u…` of
    /// a surrogate pair.
    fn raw(&mut self, text: &str) {
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match (c, chars.clone().next()) {
                ('\\', Some(next)) => {
                    chars.next();
                    self.escaped(next);
                }
                _ => self.literal(c),
            }
        }
    }

    fn finish(self) -> Vec<WildcardPart> {
        self.parts
    }
}

/// A lexed term before it becomes a value: its unescaped parts.
struct Lexed {
    kind: ValueKind,
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
        let skipped = rest.len() - rest.trim_start_matches(is_space).len();
        self.pos += skipped;
        Span::new(start, self.pos)
    }

    fn error(&mut self, kind: ErrorKind, span: Span) {
        self.errors.push(Error {
            kind,
            span,
            repeats: None,
        });
    }

    fn warn(&mut self, kind: WarningKind, span: Span) {
        self.warnings.push(Warning {
            kind,
            span,
            repeats: None,
        });
    }

    /// The word at the cursor as written (up to a term-ending character),
    /// without consuming it: used to recognise keywords.
    fn peek_word(&self) -> &'a str {
        let rest = self.rest();
        let end = rest.find(ends_term).unwrap_or(rest.len());
        &rest[..end]
    }

    /// Whether the word at the cursor is exactly `word` (a keyword): the
    /// same answer as `peek_word() == word` without scanning the whole word.
    fn at_word(&self, word: &str) -> bool {
        let rest = self.rest();
        // The first byte rejects almost every word without a call to memcmp.
        rest.as_bytes().first() == word.as_bytes().first()
            && rest.starts_with(word)
            && rest[word.len()..].chars().next().is_none_or(ends_term)
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
        // As in Lucene's lexer, `&&` and `||` are operators only when no term
        // character follows: `||Example.Com` is one term (the longest match).
        let glued = || rest[2..].chars().next().is_some_and(continues_term);
        if rest.starts_with("&&") && !glued() {
            return Some((Operator::And, "&&", 2));
        }
        if rest.starts_with("||") && !glued() {
            return Some((Operator::Or, "||", 2));
        }
        if self.at_word("AND") {
            Some((Operator::And, "AND", 3))
        } else if self.at_word("OR") {
            Some((Operator::Or, "OR", 2))
        } else {
            None
        }
    }

    // ----- sequence ---------------------------------------------------------

    /// `sequence = unary , { [ operator ] , unary }`
    ///
    /// Stops before `)` (unless `Top`, where a `)` is reported and skipped) and
    /// at the end. Returns `None` when no operand survived.
    fn sequence(&mut self, context: Context) -> Option<Expr> {
        let mut state = SequenceState {
            operands: Vec::new(),
            ops: Vec::new(),
            pending: None,
            last_failed: false,
            gap: Span::empty(0),
        };
        loop {
            let ws = self.ws();
            match self.peek() {
                None => break,
                Some(')') if context == Context::Top => self.stray_paren(),
                Some(')') => break,
                _ if self.operator(&mut state) => {}
                _ => {
                    let start = self.pos;
                    let operand = self.unary(context);
                    self.operand(&mut state, operand, start, ws);
                }
            }
        }
        self.end_sequence(state)
    }

    /// A `)` with no `(` at the top level: reported and skipped.
    fn stray_paren(&mut self) {
        self.error(
            ErrorKind::UnexpectedParen,
            Span::new(self.pos, self.pos + 1),
        );
        self.pos += 1;
    }

    /// Reads the `operator` at the cursor into the sequence, if there is one.
    fn operator(&mut self, state: &mut SequenceState) -> bool {
        let Some((kind, text, len)) = self.peek_operator() else {
            return false;
        };
        let span = Span::new(self.pos, self.pos + len);
        self.pos += len;
        let op = Op {
            kind,
            implicit: false,
            span,
            text,
        };
        if let Some(previous) = state.pending {
            if state.last_failed {
                // The operand between the two failed and was reported. Keep
                // the operator that binds less: without `x`, both `a AND x OR
                // b` and `a OR x AND b` are `a OR b`.
                if kind == Operator::Or {
                    state.pending = Some(op);
                }
                state.last_failed = false;
            } else {
                self.error(
                    ErrorKind::ExpectedClause {
                        after: previous.text,
                        found: Found::Keyword(text),
                    },
                    span,
                );
            }
        } else if state.operands.is_empty() && !state.last_failed {
            self.error(ErrorKind::MisplacedOperator { operator: text }, span);
        } else if !state.operands.is_empty() {
            state.pending = Some(op);
            state.last_failed = false;
        }
        true
    }

    /// Adds an operand that started at `start`, after the whitespace `ws`, to
    /// the sequence, with the operator before it (implicit if none was written).
    fn operand(&mut self, state: &mut SequenceState, operand: Operand, start: usize, ws: Span) {
        match operand {
            Operand::Parsed(expr) => {
                if !state.operands.is_empty() {
                    let op = state.pending.take().unwrap_or_else(|| {
                        let kind = self.options.default_operator;
                        Op {
                            kind,
                            implicit: true,
                            span: if ws.start == ws.end { state.gap } else { ws },
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
                    state.ops.push(op);
                }
                state.pending = None;
                state.operands.push(expr);
                state.last_failed = false;
            }
            Operand::Failed => state.last_failed = true,
            Operand::Missing(_) => {
                // `unary` consumes nothing only at `)`, the end or an
                // operator, all handled by the caller; never loop in place.
                if self.pos == start {
                    let c = self.bump();
                    self.error(
                        ErrorKind::Unexpected {
                            found: c.map_or(Found::End, Found::Char),
                        },
                        Span::new(start, self.pos),
                    );
                }
                state.last_failed = true;
            }
        }
        state.gap = Span::empty(self.pos);
    }

    /// Ends a sequence: reports a dangling operator (unless its operand failed
    /// and was reported) and builds the tree.
    fn end_sequence(&mut self, state: SequenceState) -> Option<Expr> {
        if let (Some(op), false) = (state.pending, state.last_failed) {
            self.error(
                ErrorKind::ExpectedClause {
                    after: op.text,
                    found: self.found(),
                },
                Span::empty(self.pos),
            );
        }
        self.combine(state.operands, state.ops)
    }

    /// Builds the tree of one sequence by precedence: operands joined by AND
    /// (explicit, or implicit when the default is AND) form groups, and the
    /// groups are joined by OR. Same-operator chains come out flat.
    fn combine(&mut self, mut operands: Vec<Expr>, ops: Vec<Op>) -> Option<Expr> {
        debug_assert_eq!(ops.len() + 1, operands.len().max(1));
        if operands.len() <= 1 {
            return operands.pop();
        }
        let has_and = ops.iter().any(|op| op.kind == Operator::And);
        let first_or = ops
            .iter()
            .find(|op| op.kind == Operator::Or)
            .map(|op| op.span);

        // AND groups are gathered in one reused buffer; a group of one operand
        // (every operand of a plain OR chain) is moved as it is.
        let mut or_operands: Vec<Expr> = Vec::new();
        let mut group: Vec<Expr> = Vec::new();
        let mut ops = ops.into_iter();
        for (i, operand) in operands.into_iter().enumerate() {
            if i > 0 && ops.next().is_some_and(|op| op.kind == Operator::Or) {
                or_operands.extend(close_group(&mut group));
            }
            group.push(operand);
        }
        or_operands.extend(close_group(&mut group));
        let root = match or_operands.len() {
            0 => return None,
            1 => or_operands.pop(),
            _ => Some(join(or_operands, Operator::Or)),
        };
        if let (true, Some(or_span), Some(root)) = (has_and, first_or, &root) {
            self.warn(
                WarningKind::MixedAndOr {
                    reading: print::expr_to_string_capped(root, READING_MAX),
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
        // This function, `sequence`, `primary` and `parenthesised` are the
        // recursion: their own work is kept in helpers so that their frames
        // stay small (see `ParseOptions::DEPTH_CEILING`).
        let depth_before = self.depth;
        let operand = match self.prefixes() {
            Some(prefixes) => {
                let operand = self.primary(context);
                self.negate(operand, prefixes)
            }
            None => Operand::Failed,
        };
        self.depth = depth_before;
        operand
    }

    /// The prefixes of a `unary`, counting each negation as a level of depth.
    /// `None` after reporting a sign with nothing after it.
    fn prefixes(&mut self) -> Option<Prefixes> {
        let mut prefixes = Prefixes {
            nots: Vec::new(),
            count: 0,
            first: None,
            plus: false,
            last: None,
            excess: None,
            past_limit: false,
        };
        loop {
            let start = self.pos;
            let rest = self.rest();
            let (negates, text, len) = if self.at_word("NOT") {
                (true, "NOT", 3)
            } else if let Some(after) = rest.strip_prefix('!') {
                if after.chars().next().is_none_or(is_space) {
                    // Lucene drops a `!` set apart from its clause (`! x` is
                    // `x`), where hsq would read NOT: an error, and the
                    // lenient repair drops it as Lucene does.
                    self.pos += 1;
                    self.error(
                        ErrorKind::ExpectedClause {
                            after: "'!'",
                            found: self.found(),
                        },
                        Span::empty(self.pos),
                    );
                    self.ws();
                    if !self.starts_operand() {
                        return None;
                    }
                    continue;
                }
                (true, "'!'", 1)
            } else if rest.starts_with('-') || rest.starts_with('+') {
                let sign = if rest.starts_with('-') { "'-'" } else { "'+'" };
                let next = rest[1..].chars().next();
                if next.is_none_or(is_space) {
                    self.pos += 1;
                    self.error(
                        ErrorKind::ExpectedClause {
                            after: sign,
                            found: self.found(),
                        },
                        Span::empty(self.pos),
                    );
                    // Recovery: a sign set apart from its clause (`a - b`)
                    // still applies to it, as in Lucene; dropping it would
                    // turn `- b` into `b`. With no clause after it, the
                    // whole operand fails (and the NOTs before it with it).
                    self.ws();
                    if !self.starts_operand() {
                        return None;
                    }
                    self.push_prefix(&mut prefixes, start, sign == "'-'", sign);
                    continue;
                }
                if sign == "'-'" {
                    self.warn(WarningKind::MinusPrefix, Span::new(start, start + 1));
                } else if self.options.default_operator == Operator::Or {
                    self.warn(WarningKind::PlusWithOr, Span::new(start, start + 1));
                }
                (sign == "'-'", sign, 1)
            } else {
                return Some(prefixes);
            };
            self.pos += len;
            self.push_prefix(&mut prefixes, start, negates, text);
            if text != "'-'" && text != "'+'" {
                self.ws();
            }
        }
    }

    /// Records a prefix that started at `start` (before the cursor).
    ///
    /// A negation past `max_depth` is never dropped alone, which would flip
    /// the meaning (`NOT` × 65 is `NOT`, not `NOT` × 64 = nothing): it
    /// cancels the last negation kept in this chain (`NOT NOT x` is `x`), so
    /// the chain stays within one level of the limit and keeps its parity.
    /// With no negation of this chain left to cancel, the parity is kept in
    /// `excess`, and the chain ends with one negation past the limit, which
    /// the check on the finished tree then reports.
    fn push_prefix(
        &mut self,
        prefixes: &mut Prefixes,
        start: usize,
        negates: bool,
        text: &'static str,
    ) {
        prefixes.last = Some(text);
        prefixes.count += 1;
        prefixes.first.get_or_insert(start);
        if text == "'+'" {
            prefixes.plus = true;
        }
        if !negates {
            return;
        }
        if self.depth <= self.max_depth {
            self.depth += 1;
            prefixes.nots.push(start);
            return;
        }
        let len = if text == "NOT" { 3 } else { 1 };
        self.too_deep(Span::new(start, start + len));
        prefixes.past_limit = true;
        if !prefixes.nots.is_empty() {
            prefixes.nots.pop();
            self.depth -= 1;
        } else {
            prefixes.excess = match prefixes.excess {
                Some(_) => None,
                None => Some(start),
            };
        }
    }

    /// Whether what stands at the cursor can start an operand: not the end,
    /// a `)`, or a binary operator.
    fn starts_operand(&self) -> bool {
        !matches!(self.peek(), None | Some(')')) && self.peek_operator().is_none()
    }

    /// Applies the prefixes read by [`prefixes`](Parser::prefixes) to the
    /// operand that follows them.
    fn negate(&mut self, operand: Operand, prefixes: Prefixes) -> Operand {
        match (operand, prefixes.last) {
            (Operand::Parsed(mut expr), _) => {
                if let (true, true, Some(first)) =
                    (prefixes.plus, prefixes.count > 1, prefixes.first)
                {
                    let operand = print::expr_to_string_capped(&expr, READING_MAX);
                    let safe = if prefixes.nots.len() % 2 == 1 {
                        format!("NOT {operand}")
                    } else {
                        operand
                    };
                    self.warn(
                        WarningKind::StackedPrefixes { safe },
                        Span::new(first, expr.span.start),
                    );
                }
                if let [first, .., last] = prefixes.nots[..] {
                    let len = if self.src[last..].starts_with("NOT") {
                        3
                    } else {
                        1
                    };
                    let odd = prefixes.nots.len() % 2 == 1;
                    let operand = print::expr_to_string_capped(&expr, READING_MAX);
                    let safe = if odd {
                        format!("NOT {operand}")
                    } else {
                        operand
                    };
                    self.warn(
                        WarningKind::DoubleNot { safe },
                        Span::new(first, last + len),
                    );
                }
                let mut nots = prefixes.nots;
                nots.extend(prefixes.excess);
                if prefixes.past_limit {
                    // The repair of a chain too long: its parity.
                    let odd = nots.len() % 2 == 1;
                    nots.truncate(usize::from(odd));
                }
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

    /// Enforces `max_depth` on the finished tree, as the canonical form nests
    /// it: reports the first node past the limit. The lenient repair then
    /// only does what keeps the meaning: it cancels `NOT NOT` pairs. When
    /// the tree is still too deep, nothing can be dropped without changing
    /// what the query selects, so the repair gives up (`lost_to_depth`).
    fn limit_depth(&mut self, root: Expr) -> Option<Expr> {
        let Some(start) = first_too_deep(&root, self.max_depth) else {
            return Some(root);
        };
        let rest = &self.src[start..];
        let len = if rest.starts_with("NOT") {
            3
        } else {
            rest.chars().next().map_or(0, char::len_utf8)
        };
        self.too_deep(Span::new(start, start + len));
        let mut root = root;
        // Cancelling negations never removes an AND/OR or a field group, so
        // past `max_depth + 2` of those nothing can bring the tree back.
        let reduced = cancel_double_negations(&mut root, self.max_depth + 2);
        if !reduced || first_too_deep(&root, self.max_depth).is_some() {
            self.lost_to_depth = true;
            return None;
        }
        Some(root)
    }

    fn too_deep(&mut self, span: Span) {
        if !self.reported_too_deep {
            self.reported_too_deep = true;
            self.error(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                span,
            );
        }
    }

    // ----- primary ----------------------------------------------------------

    /// `primary = "(" , sequence , ")" | field , ":" , field_value | value`
    fn primary(&mut self, context: Context) -> Operand {
        let start = self.pos;
        let operand = if self.peek() == Some('(') {
            let operand = self.parenthesised(context.in_group());
            self.note_negative_group(&operand);
            operand
        } else {
            match self.clause_head(context) {
                Ok(field) => {
                    let value = self.field_value();
                    self.clause(context, start, field, value)
                }
                Err(operand) => operand,
            }
        };
        self.boost(operand)
    }

    /// `boost = "^" , digit , { digit } , [ "." , digit , { digit } ]`
    /// after a primary, as Lucene's grammar takes it. A `^` without a
    /// number is `invalid-boost`; the repair drops it (a boost changes no
    /// match).
    fn boost(&mut self, operand: Operand) -> Operand {
        if self.peek() != Some('^') {
            return operand;
        }
        let caret = self.pos;
        self.pos += 1;
        let rest = self.rest();
        let whole = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut len = whole;
        if whole > 0 && rest[whole..].starts_with('.') {
            let fraction = rest[whole + 1..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            if fraction > 0 {
                len += 1 + fraction;
            }
        }
        let boost = Boost::new(&rest[..len]);
        self.pos += len;
        let Some(boost) = boost else {
            self.error(ErrorKind::InvalidBoost, Span::new(caret, caret + 1));
            return operand;
        };
        match operand {
            Operand::Parsed(expr) => {
                let span = Span::new(expr.span.start, self.pos);
                Operand::Parsed(Expr::new(
                    ExprKind::Boost {
                        operand: Box::new(expr),
                        boost,
                    },
                    span,
                ))
            }
            other => other,
        }
    }

    /// Reads what a `primary` that is not a group starts with: a value, and
    /// the `:` after it when the value is a field name. `Ok(field)` when the
    /// clause's value is to follow; `Err(operand)` when the operand is
    /// complete (a bare value) or failed.
    fn clause_head(&mut self, context: Context) -> Result<Field, Operand> {
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Err(Operand::Missing(Found::End));
        };
        match c {
            ')' => return Err(Operand::Missing(Found::Char(')'))),
            '[' | '{' => {
                let range = self.range();
                if context.in_group() {
                    return Err(range);
                }
                self.error(ErrorKind::RangeNeedsField, Span::new(start, start + 1));
                return Err(Operand::Failed);
            }
            ']' | '}' | ':' | '=' => {
                self.pos += 1;
                self.error(
                    ErrorKind::Unexpected {
                        found: Found::Char(c),
                    },
                    Span::new(start, self.pos),
                );
                return Err(Operand::Failed);
            }
            '^' | '~' => {
                self.unsupported();
                return Err(Operand::Failed);
            }
            _ => {}
        }
        if self.peek_operator().is_some() {
            return Err(Operand::Missing(self.found()));
        }
        if let Some(all) = self.match_all() {
            return Err(Operand::Parsed(all));
        }

        let Some(value) = self.value() else {
            return Err(Operand::Failed);
        };
        // A term followed by ':' (or '=' typed for it) is a field name.
        let after_value = self.pos;
        self.ws();
        let separator = self.peek();
        if !matches!(separator, Some(':') | Some('=')) {
            self.pos = after_value;
            self.warn_bare(&value);
            let span = Span::new(start, after_value);
            return Err(Operand::Parsed(Expr::new(ExprKind::Value(value), span)));
        }
        let separator_span = Span::new(self.pos, self.pos + 1);
        self.pos += 1;
        if separator == Some('=') {
            let field = quoted(&self.src[value.span.start..value.span.end]);
            self.error(ErrorKind::EqualsForColon { field }, separator_span);
        }
        // Escapes make the written text longer than the term's: equal lengths
        // mean the name was written as is.
        let written_plainly = |text: &str| value.span.end - value.span.start == text.len();
        let name = match value.kind {
            ValueKind::Term(text) if is_field_name(&text) && written_plainly(&text) => text,
            _ => {
                let written = quoted(&self.src[value.span.start..value.span.end]);
                self.error(ErrorKind::InvalidFieldName { name: written }, value.span);
                // Recovery: read what follows as this clause's value, and drop both.
                let _ = self.field_value();
                return Err(Operand::Failed);
            }
        };
        let field = Field {
            name,
            span: value.span,
        };
        if context.in_group() {
            self.error(ErrorKind::FieldInGroup, field.span);
        }
        Ok(field)
    }

    /// `*:*`, Solr's match-all, if it stands at the cursor (followed by what
    /// ends a term). It is not a field clause, so a field group may hold it.
    fn match_all(&mut self) -> Option<Expr> {
        let rest = self.rest();
        if !rest.starts_with("*:*") || !rest[3..].chars().next().is_none_or(ends_term) {
            return None;
        }
        let span = Span::new(self.pos, self.pos + 3);
        self.pos += 3;
        Some(Expr::new(ExprKind::MatchAll, span))
    }

    /// The clause `field:value` that started at `start`.
    fn clause(&mut self, context: Context, start: usize, field: Field, value: Operand) -> Operand {
        match value {
            Operand::Parsed(value_expr) => {
                let span = Span::new(start, value_expr.span.end);
                if context.in_group() {
                    // Recovery: drop the inner field name, keep its value.
                    return Operand::Parsed(value_expr);
                }
                // Only a field group starts with '(': one in parentheses stays a
                // group even with one value, as written.
                let grouped = self.src.as_bytes().get(value_expr.span.start) == Some(&b'(');
                if grouped && is_negative_group(&value_expr) {
                    let safe = format!(
                        "{}:(*:* AND {})",
                        field.name,
                        print::expr_to_string_capped(&value_expr, READING_MAX)
                    );
                    self.negative_groups.push((span, safe));
                }
                let value = match value_expr.kind {
                    ExprKind::Value(value) if !grouped => ClauseValue::Single { value },
                    kind => ClauseValue::Group {
                        expr: Box::new(Expr::new(kind, value_expr.span)),
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
        // One level of slack past `max_depth`: see the module doc.
        if self.depth > self.max_depth {
            self.too_deep(open);
            self.skip_balanced();
            // What the group held is lost: no repair can keep the meaning.
            self.lost_to_depth = true;
            return Operand::Failed;
        }
        self.pos += 1;
        self.depth += 1;
        let errors_before = self.errors.len();
        let inner = self.sequence(Context::Paren { group });
        self.depth -= 1;
        self.close_paren(open, errors_before, inner)
    }

    /// Notes a parenthesised group (not a field group's own parentheses) if
    /// it is made only of negations.
    fn note_negative_group(&mut self, operand: &Operand) {
        if let Operand::Parsed(expr) = operand {
            if is_negative_group(expr) {
                let safe = format!(
                    "(*:* AND {})",
                    print::expr_to_string_capped(expr, READING_MAX)
                );
                self.negative_groups.push((expr.span, safe));
            }
        }
    }

    /// The warnings where Lucene's classic parser reads the finished tree
    /// otherwise than boolean logic: a NOT inside an OR, and a group made
    /// only of negations that is not the whole query.
    fn lucene_warnings(&mut self, root: &Expr) {
        // A lone clause or value has no OR and no group: no walk.
        if self.negative_groups.is_empty()
            && matches!(
                root.kind,
                ExprKind::Value(_)
                    | ExprKind::MatchAll
                    | ExprKind::Clause(Clause {
                        value: ClauseValue::Single { .. },
                        ..
                    })
            )
        {
            return;
        }
        let mut found = Vec::new();
        Query::walk_expr(root, |expr| {
            if let ExprKind::Or { operands } = &expr.kind {
                for operand in operands {
                    // An even chain of NOTs cancels out (and is reported as
                    // `double-not`): it is no negation inside the OR.
                    let mut nots = 0;
                    let mut inner = operand;
                    while let ExprKind::Not { operand } = &inner.kind {
                        nots += 1;
                        inner = operand;
                    }
                    if nots % 2 == 1 {
                        found.push(operand);
                    }
                }
            }
        });
        // A parenthesised NOT inside an OR is reported once, as a NOT in an OR.
        let mut not_starts: Vec<usize> = found.iter().map(|not| not.span.start).collect();
        not_starts.sort_unstable();
        self.negative_groups
            .retain(|(span, _)| not_starts.binary_search(&span.start).is_err());
        for not in found {
            let safe = format!(
                "(*:* AND {})",
                print::expr_to_string_capped(not, READING_MAX)
            );
            self.warn(WarningKind::NotInOr { safe }, not.span);
        }
        // The whole query is what stands between leading `(` and trailing
        // `)`: Lucene's parser returns such a group as the query itself.
        let bytes = self.src.as_bytes();
        let lead = bytes
            .iter()
            .position(|&b| b != b'(' && !b.is_ascii_whitespace())
            .unwrap_or(bytes.len());
        let trail = bytes
            .iter()
            .rposition(|&b| b != b')' && !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        for (span, safe) in std::mem::take(&mut self.negative_groups) {
            if !(span.start <= lead && span.end >= trail) {
                self.warn(WarningKind::NegativeGroup { safe }, span);
            }
        }
    }

    /// The `)` after the `sequence` of a group opened at `open`.
    fn close_paren(&mut self, open: Span, errors_before: usize, inner: Option<Expr>) -> Operand {
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
                // `()`: report it, unless what was inside was already reported.
                if closed && self.errors.len() == errors_before {
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
        if self.peek() == Some('(') {
            return self.parenthesised(true);
        }
        self.single_field_value()
    }

    /// A `field_value` that is not a group: a range or a value.
    fn single_field_value(&mut self) -> Operand {
        let start = self.pos;
        match self.peek() {
            None => Operand::Missing(Found::End),
            Some('[' | '{') => self.range(),
            Some(')') => Operand::Missing(Found::Char(')')),
            Some(c @ (':' | '=')) => {
                // A doubled separator (`firstName==John`): the value after it
                // is still this field's, never a bare term searching every
                // field (which would widen the query).
                while let Some(':' | '=') = self.peek() {
                    self.pos += 1;
                }
                self.error(
                    ErrorKind::ExpectedValue {
                        found: Found::Char(c),
                    },
                    Span::new(start, self.pos),
                );
                self.field_value()
            }
            Some(c @ ('-' | '+' | '!' | ']' | '}' | '^' | '~')) => {
                self.pos += c.len_utf8();
                self.error(
                    ErrorKind::ExpectedValue {
                        found: Found::Char(c),
                    },
                    Span::new(start, self.pos),
                );
                // Recovery: what follows was meant as this field's value; it
                // is dropped with the clause rather than searched everywhere.
                while let Some('-' | '+' | '!' | ']' | '}' | '^' | '~' | ':' | '=') = self.peek() {
                    self.pos += 1;
                }
                let starts_value = self
                    .peek()
                    .is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '[' | '{'));
                if starts_value && self.peek_operator().is_none() {
                    let _ = self.value();
                }
                Operand::Failed
            }
            Some(_) => {
                if let Some((_, text, _)) = self.peek_operator() {
                    return Operand::Missing(Found::Keyword(text));
                }
                if self.at_word("NOT") {
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

    /// `value = phrase | regex | date | term`. Returns `None` after recording an error.
    fn value(&mut self) -> Option<Value> {
        let start = self.pos;
        if self.peek() == Some('"') {
            return self.phrase();
        }
        if self.peek() == Some('/') && !self.in_range {
            return self.regex();
        }
        match lex_date(self.rest(), start) {
            Ok(DateLex::Date {
                date,
                len,
                warnings,
            }) => {
                self.pos += len;
                self.warnings.extend(warnings);
                let full = matches!(date.anchor, DateAnchor::Full { .. });
                let value = Value::new(ValueKind::Date(date), Span::new(start, self.pos));
                if full && !self.in_range {
                    let safe = print::quote(&value.to_string());
                    self.warn(WarningKind::BareTimestamp { safe }, value.span);
                } else if !self.in_range {
                    let text = &self.src[start..self.pos];
                    if let Some(i) = text.find('/') {
                        let safe = print::quote(&value.to_string());
                        let at = start + i;
                        self.warn(
                            WarningKind::OperatorInTerm { found: '/', safe },
                            Span::new(at, at + 1),
                        );
                    }
                }
                return Some(value);
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
        if let ValueKind::Wildcard(wildcard) = &lexed.kind {
            if masked_part_too_long(wildcard) {
                self.error(
                    ErrorKind::WildcardTooComplex {
                        max: MASKED_PART_MAX,
                    },
                    span,
                );
                return None;
            }
        }
        let kind = lexed.kind;
        if !lexed.escaped && self.src[start..].starts_with('\'') {
            self.warn(WarningKind::SingleQuotes, span);
        }
        self.warn_lucene_term_chars(start, span, &kind);
        if let ValueKind::Term(text) = &kind {
            if self.peek() == Some('~') {
                let fuzzy = self.fuzzy(text)?;
                let span = Span::new(start, self.pos);
                self.after_value_suffix();
                return Some(Value::new(ValueKind::Fuzzy(fuzzy), span));
            }
        }
        self.after_value_suffix();
        Some(Value::new(kind, span))
    }

    /// `~` and an optional number after a term, as Lucene reads them: none
    /// is 2 edits, a whole number is that many (at most 2), a number below 1
    /// is Lucene's old similarity (`(1 - s) × length` edits, at most 2), and
    /// a fractional number of 1 or more is an error.
    fn fuzzy(&mut self, text: &str) -> Option<Fuzzy> {
        let start = self.pos;
        self.pos += 1;
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..len];
        self.pos += len;
        let edits = if number.is_empty() {
            2
        } else {
            // A `float`, as in Lucene, widened to a double for the product.
            match number.parse::<f32>().map(f64::from) {
                Ok(n) if n >= 1.0 && n.fract() == 0.0 => n.min(2.0) as u8,
                // "0 means exact, not infinite # of edits" (Lucene).
                Ok(n) if n <= 0.0 => 0,
                Ok(n) if n < 1.0 => {
                    let length = text.chars().count() as f64;
                    ((1.0 - n) * length).min(2.0) as u8
                }
                _ => {
                    self.error(
                        ErrorKind::Unsupported {
                            what: "a fractional edit distance",
                        },
                        Span::new(start, self.pos),
                    );
                    return None;
                }
            }
        };
        Some(Fuzzy {
            text: text.to_owned(),
            edits,
        })
    }

    /// `~` right after a value that takes none (a phrase: proximity) is an
    /// error. A `^` is left to [`boost`](Parser::boost).
    fn after_value_suffix(&mut self) {
        if self.peek() == Some('~') {
            self.unsupported();
        }
    }

    /// `regex = "/" , { char - "/" | "\/" } , "/"`, the longest such text,
    /// as Lucene's lexer reads it (`REGEXPTERM`): it ends at the last `/`
    /// before the first one that no `\` precedes. Spaces and every other
    /// character are part of it. Checked with `syntax::regexp`.
    fn regex(&mut self) -> Option<Value> {
        let start = self.pos;
        let body = start + 1;
        let bytes = self.src.as_bytes();
        let mut close = None;
        let mut from = body;
        while let Some(found) = memchr::memchr(b'/', &bytes[from..]) {
            let at = from + found;
            close = Some(at);
            if bytes[at - 1] != b'\\' {
                break;
            }
            from = at + 1;
        }
        let Some(close) = close else {
            self.error(
                ErrorKind::InvalidRegex {
                    message: "this '/' is never closed".to_owned(),
                },
                Span::new(start, start + 1),
            );
            self.pos = self.src.len();
            return None;
        };
        self.pos = close + 1;
        let written = &self.src[body..close];
        // Checked and sized, not compiled: the parser carries no regex
        // engine (the evaluator compiles).
        if let Err(problem) = super::regexp::translate(written) {
            let span = Span::new(body + problem.start, body + problem.end);
            let kind = match problem.kind {
                super::regexp::RegexProblemKind::Invalid(message) => {
                    ErrorKind::InvalidRegex { message }
                }
                super::regexp::RegexProblemKind::Unsupported(what) => {
                    ErrorKind::UnsupportedRegex { what }
                }
            };
            self.error(kind, span);
            return None;
        }
        // A final escaped backslash would make the closing slash read as
        // escaped when more text follows: `[\\]` is the same character.
        let pattern = match written.strip_suffix("\\\\") {
            Some(before) => format!("{before}[\\\\]"),
            None => written.to_owned(),
        };
        let span = Span::new(start, self.pos);
        self.after_value_suffix();
        Some(Value::new(ValueKind::Regex(Regex { pattern }), span))
    }

    /// Reports `~N` (or a `^` with no clause before it) and skips it.
    fn unsupported(&mut self) {
        let start = self.pos;
        if self.bump() == Some('^') {
            let rest = self.rest();
            let len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            self.pos += len;
            self.error(ErrorKind::InvalidBoost, Span::new(start, start + 1));
            return;
        }
        let what = "'~' (fuzzy or proximity search)";
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
        // Fast path: a plain word (no escape, no wildcard) is one slice.
        let rest = self.rest();
        let (end, ends_here) = plain_word(rest);
        if end > 0 && ends_here {
            self.pos += end;
            self.warn_unicode_spaces(start);
            return Some(Lexed {
                kind: ValueKind::Term(rest[..end].to_owned()),
                raw_len: end,
                escaped: false,
            });
        }
        let mut parts: Vec<WildcardPart> = Vec::new();
        let mut literal = String::new();
        // The same term as Lucene reads a wildcard other than a prefix
        // (`WildcardQuery` on the text as written): an escaped character
        // is itself, not lower-cased, and `\u` is the letter u.
        let mut exact = ExactParts::default();
        let mut escaped = false;
        // Whether an escape reads differently to Lucene inside a wildcard:
        // a letter it would not lower-case, or a `\u` it would not decode.
        let mut escape_differs = false;
        let errors_before = self.errors.len();
        while let Some(c) = self.peek() {
            if ends_term(c) {
                break;
            }
            self.pos += c.len_utf8();
            match c {
                '\\' => match self.bump() {
                    Some('u') => {
                        escaped = true;
                        escape_differs = true;
                        let from = self.pos;
                        if let Some(decoded) = self.unicode_escape(self.pos - 2) {
                            literal.push(decoded);
                        }
                        exact.escaped('u');
                        exact.raw(&self.src[from..self.pos]);
                    }
                    Some(next) => {
                        escaped = true;
                        escape_differs |= crate::text::lowercase_char(next) != next;
                        literal.push(next);
                        exact.escaped(next);
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
                    let part = if c == '*' {
                        WildcardPart::AnyRun
                    } else {
                        WildcardPart::AnyChar
                    };
                    exact.push(part.clone());
                    parts.push(part);
                }
                c => {
                    literal.push(c);
                    exact.literal(c);
                }
            }
        }
        if !literal.is_empty() {
            parts.push(WildcardPart::Literal(literal));
        }
        if parts.is_empty() {
            // Only a dangling escape, already reported.
            return None;
        }
        self.warn_unicode_spaces(start);
        // Lucene decodes and lower-cases a prefix (`Jo\u0068*`, one `*` at
        // the end) like a term, but keeps the escapes of any other wildcard.
        // Which one is decided on the text as written (Lucene's
        // `PREFIXTERM`): `*\u00` is no prefix, though its escape is invalid.
        let prefix = match exact.parts.split_last() {
            Some((WildcardPart::AnyRun, before)) => before
                .iter()
                .all(|p| matches!(p, WildcardPart::Literal(_) | WildcardPart::Escaped(_))),
            _ => false,
        };
        let mut kind = value_of_parts(parts);
        if escape_differs && !prefix {
            if let ValueKind::Wildcard(wildcard) = &kind {
                // Lucene decodes no `\u` here: an invalid one (of this term)
                // is no error.
                let reported = self.errors.len();
                let mut index = 0;
                self.errors.retain(|e| {
                    let keep = index < errors_before || e.kind != ErrorKind::InvalidUnicodeEscape;
                    index += 1;
                    keep
                });
                // The hint: the wildcard without its escapes, decoded, or
                // as written where a `\u` could not be decoded.
                let safe = if self.errors.len() < reported {
                    let parts = exact
                        .parts
                        .iter()
                        .map(|p| match p {
                            WildcardPart::Escaped(text) => WildcardPart::Literal(text.clone()),
                            p => p.clone(),
                        })
                        .collect();
                    crate::syntax::print::wildcard_text(&Wildcard { parts })
                } else {
                    crate::syntax::print::wildcard_text(wildcard)
                };
                self.warn(
                    WarningKind::WildcardEscape { safe },
                    Span::new(start, self.pos),
                );
                kind = ValueKind::Wildcard(Wildcard {
                    parts: exact.finish(),
                });
            }
        }
        Some(Lexed {
            kind,
            raw_len: self.pos - start,
            escaped,
        })
    }

    /// `operator-in-term` at the first unescaped `!` or `/` inside the term
    /// `span` (Lucene ends the term there: `!` negates what follows, `/`
    /// starts a regular expression), and `glued-operator` for a term that
    /// begins with `&&` or `||` (Lucene reads it as part of the term).
    fn warn_lucene_term_chars(&mut self, start: usize, span: Span, kind: &ValueKind) {
        let raw = &self.src[start..span.end];
        if raw.starts_with("&&") || raw.starts_with("||") {
            self.warn(
                WarningKind::GluedOperator {
                    operator: if raw.starts_with('&') { "&&" } else { "||" },
                },
                Span::new(start, start + 2),
            );
        }
        if !raw.contains(['!', '/']) {
            return;
        }
        let mut escaped = false;
        for (i, c) in raw.char_indices() {
            if !escaped && i > 0 && matches!(c, '!' | '/') {
                let safe = Value::new(kind.clone(), span).to_string();
                let at = start + i;
                self.warn(
                    WarningKind::OperatorInTerm { found: c, safe },
                    Span::new(at, at + 1),
                );
                return;
            }
            escaped = !escaped && c == '\\';
        }
    }

    /// `unicode-space` at the first unescaped space character of the term
    /// `start..self.pos` that is not whitespace to Lucene (`is_space`).
    fn warn_unicode_spaces(&mut self, start: usize) {
        let raw = &self.src[start..self.pos];
        if !raw.bytes().any(|b| b >= 0x80 || b == 0x0b || b == 0x0c) {
            return;
        }
        let mut escaped = false;
        for (i, c) in raw.char_indices() {
            if !escaped && c.is_whitespace() {
                let at = start + i;
                self.warn(
                    WarningKind::UnicodeSpace { space: c },
                    Span::new(at, at + c.len_utf8()),
                );
                return;
            }
            escaped = !escaped && c == '\\';
        }
    }

    /// The character of a `\uXXXX` escape whose `\u` (starting at `start`)
    /// was just read, as Lucene's `discardEscapeChar` decodes it; a high
    /// surrogate takes the low one of a second escape right after it. Anything
    /// else is `invalid-unicode-escape`, and the hex digits read are skipped.
    fn unicode_escape(&mut self, start: usize) -> Option<char> {
        let Some(unit) = self.hex4() else {
            self.error(ErrorKind::InvalidUnicodeEscape, Span::new(start, self.pos));
            return None;
        };
        if (0xD800..0xDC00).contains(&unit) && self.rest().starts_with("\\u") {
            let mark = self.pos;
            self.pos += 2;
            if let Some(low @ 0xDC00..0xE000) = self.hex4() {
                let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code);
            }
            self.pos = mark;
        }
        let decoded = char::from_u32(unit);
        if decoded.is_none() {
            self.error(ErrorKind::InvalidUnicodeEscape, Span::new(start, self.pos));
        }
        decoded
    }

    /// Four hexadecimal digits at the cursor, consumed; on failure, the hex
    /// digits that were there are consumed and `None` is returned.
    fn hex4(&mut self) -> Option<u32> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|c| c.to_digit(16))?;
            self.pos += 1;
            value = value * 16 + digit;
        }
        Some(value)
    }

    /// `phrase = '"' , { char | "\" , char } , '"'`
    fn phrase(&mut self) -> Option<Value> {
        let start = self.pos;
        self.pos += 1;
        // Fast path: no escape and no wildcard before the closing quote.
        let body = self.rest();
        if let Some(end) = memchr::memchr2(b'"', b'\\', body.as_bytes()) {
            let plain = memchr::memchr2(b'*', b'?', &body.as_bytes()[..end]).is_none();
            if end > 0 && body.as_bytes()[end] == b'"' && plain {
                self.pos += end + 1;
                let span = Span::new(start, self.pos);
                let text = self.utc_phrase(body[..end].to_owned(), span);
                self.after_value_suffix();
                return Some(Value::new(ValueKind::Phrase(text), span));
            }
        }
        let mut text = String::new();
        let mut closed = false;
        // One warning per phrase, however many wildcards it holds.
        let mut warned_wildcard = false;
        while let Some(c) = self.bump() {
            match c {
                '"' => {
                    closed = true;
                    break;
                }
                // As in Lucene, every `\x` inside quotes is `x`, and `\uXXXX`
                // is the character it names: "jo\hn" is john.
                '\\' => match self.bump() {
                    Some('u') => {
                        if let Some(decoded) = self.unicode_escape(self.pos - 2) {
                            text.push(decoded);
                        }
                    }
                    Some(next) => text.push(next),
                    // The quote is never closed, reported below.
                    None => {}
                },
                '*' | '?' => {
                    if !warned_wildcard {
                        warned_wildcard = true;
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
        let text = self.utc_phrase(text, span);
        self.after_value_suffix();
        Some(Value::new(ValueKind::Phrase(text), span))
    }

    /// A quoted full date with an offset other than `Z`
    /// (`"2014-02-27T23:59:59+02:00"`), as the phrase `span` holds it,
    /// written in UTC as an unquoted one is (`"2014-02-27T21:59:59Z"`),
    /// with the date's warnings (`date-offset`) on the phrase: Solr
    /// rejects the offset. Any other text is returned as it is.
    fn utc_phrase(&mut self, text: String, span: Span) -> String {
        let Some((date, warnings)) = super::date::offset_date(&text) else {
            return text;
        };
        for warning in warnings {
            self.warn(warning.kind, span);
        }
        Value::new(ValueKind::Date(date), span).to_string()
    }

    // ----- ranges -----------------------------------------------------------

    /// `range = ( "[" | "{" ) , bound , "TO" , bound , ( "]" | "}" )`
    fn range(&mut self) -> Operand {
        let start = self.pos;
        let lower_inclusive = self.bump() == Some('[');
        match self.range_body(start, lower_inclusive) {
            Some(range) => Operand::Parsed(Expr::new(
                ExprKind::Value(Value::new(
                    ValueKind::Range(range),
                    Span::new(start, self.pos),
                )),
                Span::new(start, self.pos),
            )),
            None => {
                // Recovery: skip to the end of the range, if it has one.
                let rest = self.rest();
                let stop = rest.find([']', '}', ')', '(']);
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
        if !self.at_word("TO") {
            let found = self.found();
            self.error(ErrorKind::ExpectedTo { found }, self.here());
            return None;
        }
        self.pos += 2;
        self.ws();
        // The closing bracket decides the upper bound's kind; read the value
        // first, then the bracket.
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
        let at_end = matches!(
            self.peek(),
            None | Some(']' | '}' | '[' | '{' | '(' | ')' | ':')
        );
        if at_end || self.at_word("TO") {
            let found = self.found();
            self.error(ErrorKind::ExpectedRangeBound { found }, self.here());
            return None;
        }
        self.in_range = true;
        let value = self.value();
        self.in_range = false;
        let value = value?;
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

/// Reduces, in place, every chain of negations in `expr` to its parity:
/// `NOT NOT x` is `x`, `NOT NOT NOT x` is `NOT x`; the same records match.
/// An AND/OR that a cancelled pair left inside the same operator is
/// flattened into it, as the parser would have. Chains are walked in a
/// loop; AND/OR and field groups recurse, at most `budget` deep: past it the
/// tree is too deep whatever is cancelled, and `false` says so (the tree is
/// then left half-reduced, to be dropped).
fn cancel_double_negations(expr: &mut Expr, budget: usize) -> bool {
    let Some(budget) = budget.checked_sub(1) else {
        return false;
    };
    let mut negations = 0usize;
    let mut inner: &Expr = expr;
    while let ExprKind::Not { operand } = &inner.kind {
        negations += 1;
        inner = operand;
    }
    if negations >= 2 {
        let outer = expr.span;
        let mut owned = std::mem::replace(
            expr,
            Expr::new(
                ExprKind::Or {
                    operands: Vec::new(),
                },
                outer,
            ),
        );
        for _ in 0..negations {
            owned = match owned.kind {
                ExprKind::Not { operand } => *operand,
                kind => Expr::new(kind, owned.span),
            };
        }
        *expr = if negations % 2 == 1 {
            Expr::new(
                ExprKind::Not {
                    operand: Box::new(owned),
                },
                outer,
            )
        } else {
            owned
        };
    }
    let target = match &mut expr.kind {
        ExprKind::Not { operand } => &mut **operand,
        _ => expr,
    };
    match &mut target.kind {
        ExprKind::And { operands } | ExprKind::Or { operands } => {
            for operand in operands.iter_mut() {
                if !cancel_double_negations(operand, budget) {
                    return false;
                }
            }
        }
        ExprKind::Clause(Clause {
            value: ClauseValue::Group { expr: group },
            ..
        }) => return cancel_double_negations(group, budget),
        ExprKind::Boost { operand, .. } => return cancel_double_negations(operand, budget),
        _ => return true,
    }
    // Flatten `a AND (b AND c)` left by `a AND NOT NOT (b AND c)`.
    let op = match target.kind {
        ExprKind::And { .. } => Operator::And,
        _ => Operator::Or,
    };
    if let ExprKind::And { operands } | ExprKind::Or { operands } = &mut target.kind {
        let same = |kind: &ExprKind| match op {
            Operator::And => matches!(kind, ExprKind::And { .. }),
            Operator::Or => matches!(kind, ExprKind::Or { .. }),
        };
        if operands.iter().any(|o| same(&o.kind)) {
            let mut flat = Vec::with_capacity(operands.len());
            for operand in std::mem::take(operands) {
                match operand.kind {
                    ExprKind::And { operands: inner } | ExprKind::Or { operands: inner }
                        if same(&operand.kind) =>
                    {
                        flat.extend(inner)
                    }
                    kind => flat.push(Expr::new(kind, operand.span)),
                }
            }
            *operands = flat;
        }
    }
    true
}

/// The longest part of a wildcard, between two `*`, with a `?` inside (not
/// only at its ends), in characters. The matcher searches such a part with a
/// shift-and automaton, one pass over the word per 64 characters of it
/// (`eval::wildcard`): bounding it keeps matching linear in the word.
pub(crate) const MASKED_PART_MAX: usize = 256;

/// Whether a part of `wildcard` between two `*`s has a `?` inside and is
/// longer than [`MASKED_PART_MAX`] characters.
fn masked_part_too_long(wildcard: &Wildcard) -> bool {
    let mut segments = wildcard.parts.split(|p| matches!(p, WildcardPart::AnyRun));
    // The first and last parts are anchored at the ends of the word: they
    // are compared in place, never searched.
    segments.next();
    let middle: Vec<&[WildcardPart]> = segments.collect();
    let Some((_, middle)) = middle.split_last() else {
        return false;
    };
    middle.iter().any(|segment| {
        let is_any = |p: &WildcardPart| matches!(p, WildcardPart::AnyChar);
        let lead = segment.iter().take_while(|p| is_any(p)).count();
        let trail = segment.iter().rev().take_while(|p| is_any(p)).count();
        let core = &segment[lead..segment.len().saturating_sub(trail).max(lead)];
        core.iter().any(is_any)
            && core
                .iter()
                .map(|p| match p {
                    WildcardPart::Literal(text) | WildcardPart::Escaped(text) => {
                        text.chars().count()
                    }
                    _ => 1,
                })
                .sum::<usize>()
                > MASKED_PART_MAX
    })
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

/// The AND of the operands gathered in `group` (emptying it), if any.
fn close_group(group: &mut Vec<Expr>) -> Option<Expr> {
    match group.len() {
        0 => None,
        1 => group.pop(),
        _ => Some(join(std::mem::take(group), Operator::And)),
    }
}
