//! The grammar in nom: one parser function per EBNF rule, each headed by
//! the rule it implements (`grammar.md` has the whole EBNF and the reasons).
//!
//! ```text
//! query       = ws , [ sequence ] , ws ;                       (* then the end *)
//! sequence    = unary , { ws , [ operator , ws ] , unary } ;   (* no operator: implicit *)
//! operator    = "AND" | "&&" | "OR" | "||" ;
//! unary       = prefix , unary | primary ;
//! prefix      = ( "NOT" | "!" ) , ws | "-" | "+" ;             (* no space after a sign *)
//! primary     = ( "(" , ws , sequence , ws , ")"
//!               | "*:*"
//!               | field , ws , ( ":" | "=" ) , ws , field_value
//!               | value ) , [ boost ] ;
//! boost       = "^" , digit , { digit } , [ "." , digit , { digit } ] ;
//! field       = ( letter | "_" ) , { letter | digit | "_" | "." } ;
//! field_value = "(" , ws , sequence , ws , ")" | range | value ;
//! range       = ( "[" | "{" ) , ws , bound , ws , "TO" , ws , bound , ws , ( "]" | "}" ) ;
//! bound       = "*" | phrase | date | term ;
//! value       = phrase | regex | date | term , [ fuzzy ] ;
//! regex       = "/" , { char - "/" | "\" , "/" } , "/" ;
//! fuzzy       = "~" , [ digit , { digit } , [ "." , { digit } ] ] ;
//! phrase      = '"' , { char - ( '"' | "\" ) | "\" , char } , '"' ;
//! term        = term_start , { term_char } ;
//! date        = see syntax::date ;
//! ```
//!
//! How it works. The input, [`In`], is the query text with a cursor (two
//! offsets, never a copy) and a reference to the parser's [`State`]: the
//! errors and warnings found so far, the depth, and a few flags. It
//! implements nom's [`Input`], so nom's parsers (`tag` for the keywords
//! and `*:*`, the date rules' combinators on the text) run on it and every
//! output carries its span.
//!
//! Fast paths. The common cases of the lexical rules are read by bytes: a
//! field name and its colon (`field`), a phrase without escapes or
//! wildcards (`plain_phrase_end`, eight bytes at a time), a plain term
//! (`plain_word`), a full UTC date (`date::utc_date`), an operator's
//! bytes, and a field's range of full UTC dates or `*` (`fast_range`,
//! which builds its node at once). Each hands over to its general rule at
//! the first unusual byte, so the tree and the diagnostics are the same
//! either way; the property test `syntax::fast_paths` parses with and
//! without them ([`Lexing`]) and compares.
//!
//! One grammar serves strict and lenient parsing: the rules that read the
//! boolean structure never fail. Where the text is wrong they record an
//! error in the state and recover as the lenient mode would (close the
//! parenthesis, drop the dangling operator, skip the stray `)`...); strict
//! parsing is the same run, failing when any error was recorded. A nom
//! `Err` only ever means "this alternative is not here" (`operator`,
//! `prefix`, `keyword`, `match_all`), and nothing is consumed then. Every
//! recovery step consumes input or ends a loop, so parsing always
//! terminates.
//!
//! Since they cannot fail, those rules return their output without a
//! `Result`: the lexical ones as `(input left, output)`, and the ones the
//! recursion goes through (`sequence`, `unary`, `primary`,
//! `parenthesised`, `field_value`) move a `&mut In` in place, which keeps
//! their stack frames small (see `ParseOptions::DEPTH_CEILING`).
//!
//! Each operand is parsed exactly once: a `sequence` collects operands and
//! operators into two flat lists and only then builds the tree by
//! precedence, so nothing is re-parsed and parsing is linear. Recursion
//! happens only at `(`, field groups and `NOT`, each of which counts towards
//! the depth before recursing; the finished tree's depth is checked by the
//! caller (`parser::limit_depth`).

use std::cell::{Cell, OnceCell};
use std::str::{CharIndices, Chars};
use std::sync::Arc;

use nom::bytes::complete::tag;
use nom::{Compare, CompareResult, IResult, Input, Needed, Offset, Parser};

use super::ast::{
    Boost, Bound, Clause, ClauseValue, CompactString, DateAnchor, Expr, ExprKind, Field, Fuzzy,
    Range, Regex, Span, Text, Value, ValueKind, Wildcard, WildcardPart,
};
use super::date::{DateLex, is_delimiter, lex_date, utc_date};
use super::diagnostic::{Error, ErrorKind, Found, Warning, WarningKind};
use super::options::{Operator, ParseOptions};
use super::print;
use super::safe::is_negative_group;
use super::tree::{is_field_name, join};
use crate::diagnostic::quoted;
use crate::text::is_query_space as is_space;

mod fast_range;

/// How much of a sequence a warning quotes, in bytes.
pub(crate) const READING_MAX: usize = 120;

/// The longest part of a wildcard, between two `*`, with a `?` inside (not
/// only at its ends), in characters. The matcher searches such a part with a
/// shift-and automaton, one pass over the word per 64 characters of it
/// (`eval::wildcard`): bounding it keeps matching linear in the word.
pub(crate) const MASKED_PART_MAX: usize = 256;

// ----- the parser's state and input ------------------------------------------

/// What the rules record as they go: the diagnostics (the way nom parsers
/// with error recovery carry them, beside the input) and the depth.
pub(crate) struct State {
    /// The implicit operator and the limits.
    pub options: ParseOptions,
    /// `options.max_depth`, capped by the ceiling.
    pub max_depth: usize,
    depth: Cell<usize>,
    /// The errors, in the order found.
    pub errors: Cell<Vec<Error>>,
    /// The warnings, in the order found.
    pub warnings: Cell<Vec<Warning>>,
    reported_too_deep: Cell<bool>,
    /// Whether a range bound is being read (a bare timestamp is fine there).
    in_range: Cell<bool>,
    /// Parenthesised groups made only of negations, with their safe form:
    /// reported unless the group is the whole query.
    pub negative_groups: Cell<Vec<(Span, String)>>,
    /// Whether something was dropped for being too deep: then no repair
    /// keeps the meaning, and the lenient mode returns no query.
    pub lost_to_depth: Cell<bool>,
    /// The deepest the reading went (parentheses, field groups, `NOT`s):
    /// the finished tree nests at most `4 × this + 3` levels.
    pub max_nesting: Cell<usize>,
    /// Whether the tree has a `NOT` node.
    pub negated: Cell<bool>,
    /// Whether the byte-level fast paths run (always, but in the property
    /// test that compares them with the general rules).
    pub(crate) lexing: Lexing,
    /// The query, shared by the tree's long values read as written
    /// (`Text`): copied once, when the first one is read.
    source: OnceCell<Arc<String>>,
}

/// Which paths the lexical rules take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lexing {
    /// A plain field name, term or phrase is read by a byte scan, falling
    /// back to the general rule at the first unusual byte.
    Fast,
    /// The general rules only (to prove the fast paths change nothing).
    #[cfg_attr(not(test), allow(dead_code))]
    General,
}

impl State {
    /// A fresh state, starting with the errors found before parsing.
    pub(crate) fn new(options: &ParseOptions, errors: Vec<Error>) -> State {
        State {
            options: *options,
            max_depth: options.max_depth.min(ParseOptions::DEPTH_CEILING),
            depth: Cell::new(0),
            errors: Cell::new(errors),
            warnings: Cell::new(Vec::new()),
            reported_too_deep: Cell::new(false),
            in_range: Cell::new(false),
            negative_groups: Cell::new(Vec::new()),
            lost_to_depth: Cell::new(false),
            max_nesting: Cell::new(0),
            negated: Cell::new(false),
            lexing: Lexing::Fast,
            source: OnceCell::new(),
        }
    }

    /// Records an error.
    pub(crate) fn error(&self, kind: ErrorKind, span: Span) {
        self.push_error(Error {
            kind,
            span,
            repeats: None,
        });
    }

    /// Records a warning.
    pub(crate) fn warn(&self, kind: WarningKind, span: Span) {
        with(&self.warnings, |warnings| {
            warnings.push(Warning {
                kind,
                span,
                repeats: None,
            })
        });
    }

    /// Records an error built elsewhere.
    pub(crate) fn push_error(&self, error: Error) {
        with(&self.errors, |errors| errors.push(error));
    }

    /// How many errors were recorded.
    pub(crate) fn error_count(&self) -> usize {
        with(&self.errors, |errors| errors.len())
    }

    /// Notes a group made only of negations, with its safe form.
    fn note_negative_group(&self, span: Span, safe: String) {
        with(&self.negative_groups, |groups| groups.push((span, safe)));
    }

    /// One level deeper while reading.
    fn descend(&self) {
        let depth = self.depth.get() + 1;
        self.depth.set(depth);
        if depth > self.max_nesting.get() {
            self.max_nesting.set(depth);
        }
    }

    /// Records `too-deep`, once per query.
    pub(crate) fn too_deep(&self, span: Span) {
        if !self.reported_too_deep.replace(true) {
            self.error(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                span,
            );
        }
    }
}

/// Runs `f` on the list in `cell`. The lists live in `Cell`s, taken out
/// and put back, rather than `RefCell`s: no borrow can fail, and no panic
/// path is compiled in (the validation WebAssembly module has a size
/// budget).
fn with<T, R>(cell: &Cell<Vec<T>>, f: impl FnOnce(&mut Vec<T>) -> R) -> R {
    let mut list = cell.take();
    let result = f(&mut list);
    cell.set(list);
    result
}

/// The parser's input: the query, the part of it still to read (from
/// `start` to the end of `src`) and the parser's state. Copying it copies
/// four words. An output of a nom parser (`take`) is the same with `src`
/// cut short: `src` always starts where the query does, so offsets into
/// it are offsets into the query.
#[derive(Clone, Copy)]
pub(crate) struct In<'a> {
    src: &'a str,
    start: usize,
    st: &'a State,
}

impl<'a> In<'a> {
    /// All of `src`, to be read with `state`.
    pub(crate) fn new(src: &'a str, st: &'a State) -> In<'a> {
        In { src, start: 0, st }
    }

    /// The text still to read.
    #[inline]
    fn rest(&self) -> &'a str {
        &self.src[self.start..]
    }

    /// Where the cursor stands, as a byte offset into the query.
    #[inline]
    fn pos(&self) -> usize {
        self.start
    }

    /// The span this input covers (for an output of a nom parser).
    fn span(&self) -> Span {
        Span::new(self.start, self.src.len())
    }

    /// The input with its cursor at `pos`.
    #[inline]
    fn at(self, pos: usize) -> In<'a> {
        In { start: pos, ..self }
    }

    /// The input `n` bytes further on.
    #[inline]
    fn skip(self, n: usize) -> In<'a> {
        self.at(self.start + n)
    }

    #[inline]
    fn peek(&self) -> Option<char> {
        // ASCII without decoding: this runs at every step.
        match self.src.as_bytes().get(self.start) {
            None => None,
            Some(&b) if b < 0x80 => Some(char::from(b)),
            _ => self.rest().chars().next(),
        }
    }

    /// The byte at the cursor, if any.
    #[inline]
    fn first_byte(&self) -> Option<u8> {
        self.src.as_bytes().get(self.start).copied()
    }

    /// Reads one character (a cursor step, for the lexical rules).
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.start += c.len_utf8();
        Some(c)
    }

    /// Whether the word at the cursor is exactly `word` (a keyword).
    #[inline(always)]
    fn at_word(&self, word: &'static str) -> bool {
        // The first byte rejects almost every word without a call.
        self.first_byte() == word.as_bytes().first().copied() && self.at_word_rest(word)
    }

    /// [`In::at_word`] past its first byte.
    #[inline(never)]
    fn at_word_rest(&self, word: &str) -> bool {
        // Byte by byte: keywords are two or three bytes, too short for a
        // call to `memcmp`.
        let bytes = self.rest().as_bytes();
        bytes.len() >= word.len()
            && word.bytes().zip(bytes).all(|(a, &b)| a == b)
            && self.skip(word.len()).peek().is_none_or(ends_term)
    }

    /// The word at the cursor as written (up to a term-ending character).
    fn peek_word(&self) -> &'a str {
        let rest = self.rest();
        let end = rest.find(ends_term).unwrap_or(rest.len());
        &rest[..end]
    }

    /// What stands at the cursor, for messages.
    fn found(&self) -> Found {
        match operator(*self) {
            Ok((_, op)) => Found::Keyword(op.text),
            Err(_) => match self.peek() {
                None => Found::End,
                Some(c) => match self.peek_word() {
                    "NOT" => Found::Keyword("NOT"),
                    "TO" => Found::Keyword("TO"),
                    _ => Found::Char(c),
                },
            },
        }
    }

    /// A one-character span at the cursor (empty at the end).
    fn here(&self) -> Span {
        Span::new(
            self.start,
            self.start + self.peek().map_or(0, char::len_utf8),
        )
    }

    /// Whether what stands at the cursor can start an operand: not the end,
    /// a `)`, or a binary operator.
    fn starts_operand(&self) -> bool {
        !matches!(self.peek(), None | Some(')')) && operator(*self).is_err()
    }

    fn error(&self, kind: ErrorKind, span: Span) {
        self.st.error(kind, span);
    }

    fn warn(&self, kind: WarningKind, span: Span) {
        self.st.warn(kind, span);
    }
}

impl<'a> Input for In<'a> {
    type Item = char;
    type Iter = Chars<'a>;
    type IterIndices = CharIndices<'a>;

    fn input_len(&self) -> usize {
        self.src.len() - self.start
    }

    fn take(&self, index: usize) -> Self {
        In {
            src: &self.src[..self.start + index],
            ..*self
        }
    }

    fn take_from(&self, index: usize) -> Self {
        In {
            start: self.start + index,
            ..*self
        }
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool,
    {
        self.rest().find(predicate)
    }

    fn iter_elements(&self) -> Self::Iter {
        self.rest().chars()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.rest().char_indices()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        self.rest().slice_index(count)
    }
}

impl<'b> Compare<&'b str> for In<'_> {
    fn compare(&self, t: &'b str) -> CompareResult {
        self.rest().compare(t)
    }

    fn compare_no_case(&self, t: &'b str) -> CompareResult {
        self.rest().compare_no_case(t)
    }
}

impl Offset for In<'_> {
    fn offset(&self, second: &Self) -> usize {
        second.start - self.start
    }
}

/// A nom result over [`In`]. The error carries nothing: it only ever means
/// "not this alternative"; diagnostics go to the [`State`].
pub(crate) type PResult<'a, T> = IResult<In<'a>, T, ()>;

/// "Not this alternative".
fn miss<'a, T>() -> PResult<'a, T> {
    Err(nom::Err::Error(()))
}

// ----- character classes -------------------------------------------------------

/// ASCII bytes that stop the plain-term scan: whitespace and the characters
/// that end a term (1), and the escape and wildcards (2); and those that a
/// warning looks for inside a term (3).
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
    let unusual = b"!/&|\x0b\x0c";
    let mut i = 0;
    while i < unusual.len() {
        table[unusual[i] as usize] = 3;
        i += 1;
    }
    table
};

/// A plain word: no escape, no wildcard.
struct PlainWord {
    /// Its length in bytes.
    len: usize,
    /// Whether it ends where a term ends (rather than at an escape or a
    /// wildcard).
    ends_here: bool,
    /// Whether it holds a character that a warning looks for: `!`, `/`,
    /// `&`, `|`, a vertical tab or form feed, or any non-ASCII character.
    unusual: bool,
}

/// The plain word at the start of `text`. A byte scan with a table; only
/// non-ASCII characters are decoded, to ask whether they are whitespace.
fn plain_word(text: &str) -> PlainWord {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut unusual = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            match STOPS[b as usize] {
                0 => i += 1,
                3 => {
                    unusual = true;
                    i += 1;
                }
                stop => {
                    return PlainWord {
                        len: i,
                        ends_here: stop == 1,
                        unusual,
                    };
                }
            }
        } else {
            unusual = true;
            let c = text[i..].chars().next().unwrap_or(' ');
            if is_space(c) {
                return PlainWord {
                    len: i,
                    ends_here: true,
                    unusual,
                };
            }
            i += c.len_utf8();
        }
    }
    PlainWord {
        len: i,
        ends_here: true,
        unusual,
    }
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

// ----- tokens -------------------------------------------------------------------

/// `ws = { white }`: the span skipped.
#[inline(always)]
fn ws(i: In<'_>) -> (In<'_>, Span) {
    // Most of the time there is none: one byte says so (U+3000 starts
    // with 0xE3).
    if !matches!(i.first_byte(), Some(b' ' | b'\t' | b'\n' | b'\r' | 0xE3)) {
        return (i, Span::empty(i.pos()));
    }
    some_ws(i)
}

/// [`ws`] where there is some.
fn some_ws(i: In<'_>) -> (In<'_>, Span) {
    // ASCII white by bytes, then any U+3000 and what follows it.
    let bytes = i.src.as_bytes();
    let mut at = i.start;
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    if at >= bytes.len() || bytes[at] != 0xE3 {
        return (i.at(at), Span::new(i.start, at));
    }
    let rest = i.at(at);
    let len = rest.rest().len() - rest.rest().trim_start_matches(is_space).len();
    (rest.skip(len), Span::new(i.start, at + len))
}

/// [`ws`], for callers that only move past it.
#[inline(always)]
fn skip_ws(i: In<'_>) -> In<'_> {
    ws(i).0
}

/// A keyword (`AND`, `NOT`, `TO`...): the word, then something that ends a
/// term. Keywords are upper case only.
fn keyword<'a>(word: &'static str) -> impl Parser<In<'a>, Output = In<'a>, Error = ()> {
    move |i: In<'a>| {
        let (rest, found) = tag(word).parse(i)?;
        if rest.peek().is_none_or(ends_term) {
            Ok((rest, found))
        } else {
            miss()
        }
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

/// `operator = "AND" | "&&" | "OR" | "||" ;`
#[inline(always)]
fn operator(i: In<'_>) -> PResult<'_, Op> {
    // The first byte picks the one alternative that can match; most
    // operands start with none of them, and are told so without a call.
    let (kind, text, glued) = match i.first_byte() {
        Some(b'&') => (Operator::And, "&&", true),
        Some(b'|') => (Operator::Or, "||", true),
        Some(b'A') => (Operator::And, "AND", false),
        Some(b'O') => (Operator::Or, "OR", false),
        _ => return miss(),
    };
    operator_text(i, kind, text, glued)
}

/// The operator `text` at the cursor, if it is there (see [`operator`]).
#[inline(always)]
fn operator_text<'a>(
    i: In<'a>,
    kind: Operator,
    text: &'static str,
    glued: bool,
) -> PResult<'a, Op> {
    // The word's bytes, compared in place (nom's `tag` goes through an
    // iterator; this runs at every operator), then what must follow: a
    // keyword ends where a term ends, and `&&` or `||` are operators only
    // when no term character follows them, as in Lucene's lexer (the
    // longest token wins): `||Example.Com` is one term.
    let bytes = i.rest().as_bytes();
    if bytes.len() < text.len() || !text.bytes().zip(bytes).all(|(a, &b)| a == b) {
        return miss();
    }
    let rest = i.skip(text.len());
    let follows = rest.peek();
    let ends = if glued {
        !follows.is_some_and(continues_term)
    } else {
        follows.is_none_or(ends_term)
    };
    if !ends {
        return miss();
    }
    let op = Op {
        kind,
        implicit: false,
        span: Span::new(i.pos(), rest.pos()),
        text,
    };
    Ok((rest, op))
}

// ----- sequence -------------------------------------------------------------------

/// Where a [`sequence`] stands.
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

/// A [`sequence`] being read: its operands and the operators between them,
/// in two flat lists.
struct SequenceState {
    operands: Operands,
    ops: Operators,
    /// The operator waiting for its right operand.
    pending: Option<Op>,
    /// Whether the last operand failed: an error was already reported there,
    /// so a following operator with no left operand is not reported again.
    last_failed: bool,
    /// Where the last operand ended, for an implicit operator with no space.
    gap: Span,
}

/// The operators between the operands of a sequence, as far as building
/// the tree needs them: their kinds, and where the first OR stands. A
/// sequence of one operator throughout (most of them) keeps no list.
#[derive(Default)]
struct Operators {
    /// The kind of the first operator.
    first: Option<Operator>,
    /// How many there are.
    count: usize,
    /// Every kind in order, once a second kind appears (empty until then).
    mixed: Vec<Operator>,
    /// Where the first OR stands.
    first_or: Option<Span>,
}

impl Operators {
    fn push(&mut self, op: &Op) {
        match self.first {
            None => self.first = Some(op.kind),
            Some(first) if first != op.kind && self.mixed.is_empty() => {
                self.mixed = vec![first; self.count];
            }
            Some(_) => {}
        }
        if !self.mixed.is_empty() {
            self.mixed.push(op.kind);
        }
        self.count += 1;
        if op.kind == Operator::Or && self.first_or.is_none() {
            self.first_or = Some(op.span);
        }
    }
}

/// The operands of a sequence. A sequence of one operand (most of them)
/// keeps it apart and allocates nothing; from the second on they are in
/// `more`, in order.
#[derive(Default)]
struct Operands {
    first: Option<Expr>,
    more: Vec<Expr>,
}

impl Operands {
    fn is_empty(&self) -> bool {
        self.first.is_none() && self.more.is_empty()
    }

    fn push(&mut self, expr: Expr) {
        if self.is_empty() {
            self.first = Some(expr);
            return;
        }
        if let Some(first) = self.first.take() {
            self.more.push(first);
        }
        self.more.push(expr);
    }
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

/// `query = ws , [ sequence ] , ws ;` (then the end): the tree, if any
/// operand survived. A `)` with no `(` is reported and skipped.
pub(crate) fn query(i: In<'_>) -> Option<Expr> {
    let mut i = i;
    sequence(&mut i, Context::Top)
}

/// `sequence = unary , { ws , [ operator , ws ] , unary } ;`
///
/// Stops before `)` (unless `Top`, where a `)` is reported and skipped) and
/// at the end. Never fails; `None` when no operand survived.
fn sequence(i: &mut In<'_>, context: Context) -> Option<Expr> {
    // This function, `unary`, `primary` and `parenthesised` are the
    // recursion: they move the input in place (`&mut In`) rather than
    // return it, and their own work is kept in helpers, so that their
    // frames stay small (see `ParseOptions::DEPTH_CEILING`).
    let mut state = SequenceState {
        operands: Operands::default(),
        ops: Operators::default(),
        pending: None,
        last_failed: false,
        gap: Span::empty(0),
    };
    loop {
        let space;
        (*i, space) = ws(*i);
        match i.peek() {
            None => break,
            Some(')') if context == Context::Top => *i = stray_paren(*i),
            Some(')') => break,
            _ => match operator(*i) {
                Ok((after, op)) => {
                    push_operator(i.st, &mut state, op);
                    *i = after;
                }
                Err(_) => {
                    let start = i.pos();
                    let operand = unary(i, context);
                    *i = push_operand(*i, &mut state, operand, start, space);
                }
            },
        }
    }
    end_sequence(*i, &mut state)
}

/// A `)` with no `(` at the top level: reported and skipped.
fn stray_paren(i: In<'_>) -> In<'_> {
    i.error(ErrorKind::UnexpectedParen, Span::new(i.pos(), i.pos() + 1));
    i.skip(1)
}

/// Adds an operator just read to the sequence.
fn push_operator(st: &State, state: &mut SequenceState, op: Op) {
    if let Some(previous) = state.pending {
        if state.last_failed {
            // The operand between the two failed and was reported. Keep
            // the operator that binds less: without `x`, both `a AND x OR
            // b` and `a OR x AND b` are `a OR b`.
            if op.kind == Operator::Or {
                state.pending = Some(op);
            }
            state.last_failed = false;
        } else {
            st.error(
                ErrorKind::ExpectedClause {
                    after: previous.text,
                    found: Found::Keyword(op.text),
                },
                op.span,
            );
        }
    } else if state.operands.is_empty() && !state.last_failed {
        st.error(ErrorKind::MisplacedOperator { operator: op.text }, op.span);
    } else if !state.operands.is_empty() {
        state.pending = Some(op);
        state.last_failed = false;
    }
}

/// Adds an operand that started at `start`, after the whitespace `space`,
/// to the sequence, with the operator before it (implicit if none was
/// written). Returns the input after it.
fn push_operand<'a>(
    mut i: In<'a>,
    state: &mut SequenceState,
    operand: Operand,
    start: usize,
    space: Span,
) -> In<'a> {
    match operand {
        Operand::Parsed(expr) => {
            if !state.operands.is_empty() {
                let op = state.pending.take().unwrap_or_else(|| {
                    let kind = i.st.options.default_operator;
                    Op {
                        kind,
                        implicit: true,
                        span: if space.start == space.end {
                            state.gap
                        } else {
                            space
                        },
                        text: kind.keyword(),
                    }
                });
                if op.implicit {
                    i.warn(
                        WarningKind::ImplicitOperator {
                            operator: op.kind.keyword(),
                        },
                        op.span,
                    );
                }
                state.ops.push(&op);
            }
            state.pending = None;
            state.operands.push(expr);
            state.last_failed = false;
        }
        Operand::Failed => state.last_failed = true,
        Operand::Missing(_) => {
            // `unary` consumes nothing only at `)`, the end or an
            // operator, all handled by the caller; never loop in place.
            if i.pos() == start {
                let c = i.bump();
                i.error(
                    ErrorKind::Unexpected {
                        found: c.map_or(Found::End, Found::Char),
                    },
                    Span::new(start, i.pos()),
                );
            }
            state.last_failed = true;
        }
    }
    state.gap = Span::empty(i.pos());
    i
}

/// Ends a sequence: reports a dangling operator (unless its operand failed
/// and was reported) and builds the tree.
fn end_sequence(i: In<'_>, state: &mut SequenceState) -> Option<Expr> {
    // The state is taken apart in place rather than moved here whole (a
    // copy of some 300 bytes for every sequence).
    if let (Some(op), false) = (state.pending, state.last_failed) {
        i.error(
            ErrorKind::ExpectedClause {
                after: op.text,
                found: i.found(),
            },
            Span::empty(i.pos()),
        );
    }
    if let Some(only) = state.operands.first.take() {
        return Some(only);
    }
    let more = std::mem::take(&mut state.operands.more);
    combine(i.st, more, std::mem::take(&mut state.ops))
}

/// Builds the tree of one sequence by precedence: operands joined by AND
/// (explicit, or implicit when the default is AND) form groups, and the
/// groups are joined by OR. Same-operator chains come out flat.
fn combine(st: &State, mut operands: Vec<Expr>, ops: Operators) -> Option<Expr> {
    debug_assert_eq!(ops.count + 1, operands.len().max(1));
    if operands.len() <= 1 {
        return operands.pop();
    }
    let Operators {
        first,
        mixed,
        first_or,
        ..
    } = ops;
    if mixed.is_empty() {
        // One operator throughout: one node, no regrouping.
        return Some(join(operands, first.unwrap_or(Operator::And)));
    }

    // AND groups are gathered in one reused buffer; a group of one operand
    // (every operand of a plain OR chain) is moved as it is.
    let mut or_operands: Vec<Expr> = Vec::new();
    let mut group: Vec<Expr> = Vec::new();
    let mut ops = mixed.into_iter();
    for (i, operand) in operands.into_iter().enumerate() {
        if i > 0 && ops.next() == Some(Operator::Or) {
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
    // Mixed: both AND and OR are there.
    if let (Some(or_span), Some(root)) = (first_or, &root) {
        st.warn(
            WarningKind::MixedAndOr {
                reading: print::expr_to_string_capped(root, READING_MAX),
            },
            or_span,
        );
    }
    root
}

/// The AND of the operands gathered in `group` (emptying it), if any.
fn close_group(group: &mut Vec<Expr>) -> Option<Expr> {
    match group.len() {
        0 => None,
        1 => group.pop(),
        _ => Some(join(std::mem::take(group), Operator::And)),
    }
}

// ----- unary ----------------------------------------------------------------------

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
    /// this chain was left to cancel (see [`push_prefix`]).
    excess: Option<usize>,
    /// Whether the chain went past the limit: it is then reduced to its
    /// parity, one negation or none.
    past_limit: bool,
}

/// `unary = prefix , unary | primary ;`
///
/// The chain of prefixes is read in a loop, not by recursion, and each
/// negation counts as one level of depth.
fn unary(i: &mut In<'_>, context: Context) -> Operand {
    // Most operands have no prefix: the first byte says so.
    if !matches!(i.first_byte(), Some(b'N' | b'!' | b'-' | b'+')) {
        return primary(i, context);
    }
    let depth_before = i.st.depth.get();
    let operand = match prefixes(i) {
        Some(prefixes) => {
            let operand = primary(i, context);
            negate(*i, operand, prefixes)
        }
        None => Operand::Failed,
    };
    i.st.depth.set(depth_before);
    operand
}

/// `prefix = ( "NOT" | "!" ) , ws | "-" | "+" ;`: the prefix's text as
/// messages quote it.
fn prefix(i: In<'_>) -> PResult<'_, &'static str> {
    // The first byte picks the alternative; most operands have no prefix.
    let text = match i.first_byte() {
        Some(b'N') => return keyword("NOT").parse(i).map(|(rest, _)| (rest, "NOT")),
        Some(b'!') => "'!'",
        Some(b'-') => "'-'",
        Some(b'+') => "'+'",
        _ => return miss(),
    };
    // The sign is the byte just seen.
    Ok((i.skip(1), text))
}

/// The prefixes of a `unary`, counting each negation as a level of depth.
/// `None` after reporting a sign with nothing after it.
fn prefixes(cursor: &mut In<'_>) -> Option<Prefixes> {
    let mut i = *cursor;
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
        let start = i.pos();
        let Ok((after, text)) = prefix(i) else {
            *cursor = i;
            return Some(prefixes);
        };
        let set_apart = after.peek().is_none_or(is_space);
        match text {
            "'!'" if set_apart => {
                // Lucene drops a `!` set apart from its clause (`! x` is
                // `x`), where hsq would read NOT: an error, and the lenient
                // repair drops it as Lucene does.
                i = after;
                i.error(
                    ErrorKind::ExpectedClause {
                        after: "'!'",
                        found: i.found(),
                    },
                    Span::empty(i.pos()),
                );
                i = skip_ws(i);
                if !i.starts_operand() {
                    *cursor = i;
                    return None;
                }
                continue;
            }
            "'-'" | "'+'" if set_apart => {
                i = after;
                i.error(
                    ErrorKind::ExpectedClause {
                        after: text,
                        found: i.found(),
                    },
                    Span::empty(i.pos()),
                );
                // Recovery: a sign set apart from its clause (`a - b`)
                // still applies to it, as in Lucene; dropping it would
                // turn `- b` into `b`. With no clause after it, the whole
                // operand fails (and the NOTs before it with it).
                i = skip_ws(i);
                if !i.starts_operand() {
                    *cursor = i;
                    return None;
                }
                push_prefix(i.st, &mut prefixes, start, text == "'-'", text);
                continue;
            }
            "'-'" => i.warn(WarningKind::MinusPrefix, Span::new(start, start + 1)),
            "'+'" if i.st.options.default_operator == Operator::Or => {
                i.warn(WarningKind::PlusWithOr, Span::new(start, start + 1));
            }
            _ => {}
        }
        i = after;
        push_prefix(i.st, &mut prefixes, start, text != "'+'", text);
        if text != "'-'" && text != "'+'" {
            i = skip_ws(i);
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
    st: &State,
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
    let depth = st.depth.get();
    if depth <= st.max_depth {
        st.descend();
        prefixes.nots.push(start);
        return;
    }
    let len = if text == "NOT" { 3 } else { 1 };
    st.too_deep(Span::new(start, start + len));
    prefixes.past_limit = true;
    if !prefixes.nots.is_empty() {
        prefixes.nots.pop();
        st.depth.set(depth - 1);
    } else {
        prefixes.excess = match prefixes.excess {
            Some(_) => None,
            None => Some(start),
        };
    }
}

/// Applies the prefixes read by [`prefixes`] to the operand that follows
/// them (`i` is the input after it).
fn negate(i: In<'_>, operand: Operand, prefixes: Prefixes) -> Operand {
    match (operand, prefixes.last) {
        (Operand::Parsed(mut expr), _) => {
            if let (true, true, Some(first)) = (prefixes.plus, prefixes.count > 1, prefixes.first) {
                let operand = print::expr_to_string_capped(&expr, READING_MAX);
                let safe = if prefixes.nots.len() % 2 == 1 {
                    format!("NOT {operand}")
                } else {
                    operand
                };
                i.warn(
                    WarningKind::StackedPrefixes { safe },
                    Span::new(first, expr.span.start),
                );
            }
            if let [first, .., last] = prefixes.nots[..] {
                let len = if i.src[last..].starts_with("NOT") {
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
                i.warn(
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
            if !nots.is_empty() {
                i.st.negated.set(true);
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
            i.error(
                ErrorKind::ExpectedClause { after, found },
                Span::empty(i.pos()),
            );
            Operand::Failed
        }
        (other, _) => other,
    }
}

// ----- primary --------------------------------------------------------------------

/// ```text
/// primary = ( "(" , ws , sequence , ws , ")"
///           | "*:*"
///           | field , ws , ( ":" | "=" ) , ws , field_value
///           | value ) , [ boost ] ;
/// ```
fn primary(i: &mut In<'_>, context: Context) -> Operand {
    let operand = if i.peek() == Some('(') {
        let operand = parenthesised(i, context.in_group());
        note_negative_group(i.st, &operand);
        operand
    } else {
        field_clause(i, context)
    };
    boost(i, operand)
}

/// A `primary` that is not parenthesised: `"*:*"`, a field clause or a
/// value.
fn field_clause(i: &mut In<'_>, context: Context) -> Operand {
    let start = i.pos();
    let head;
    (*i, head) = clause_head(*i, context);
    match head {
        Ok(field) => {
            let value = field_value(i);
            clause(*i, context, start, field, value)
        }
        Err(operand) => operand,
    }
}

/// `boost = "^" , digit , { digit } , [ "." , digit , { digit } ] ;` after
/// a primary, as Lucene's grammar takes it. A `^` without a number is
/// `invalid-boost`; the repair drops it (a boost changes no match).
fn boost(cursor: &mut In<'_>, operand: Operand) -> Operand {
    let i = *cursor;
    if i.peek() != Some('^') {
        return operand;
    }
    let caret = i.pos();
    let i = i.skip(1);
    let rest = i.rest();
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
    let i = i.skip(len);
    *cursor = i;
    let Some(boost) = boost else {
        i.error(ErrorKind::InvalidBoost, Span::new(caret, caret + 1));
        return operand;
    };
    match operand {
        Operand::Parsed(expr) => {
            let span = Span::new(expr.span.start, i.pos());
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
fn clause_head(mut i: In<'_>, context: Context) -> (In<'_>, Result<Field, Operand>) {
    let start = i.pos();
    let Some(c) = i.peek() else {
        return (i, Err(Operand::Missing(Found::End)));
    };
    match c {
        ')' => return (i, Err(Operand::Missing(Found::Char(')')))),
        '[' | '{' => {
            let (i, range) = range(i);
            if context.in_group() {
                return (i, Err(range));
            }
            i.error(ErrorKind::RangeNeedsField, Span::new(start, start + 1));
            return (i, Err(Operand::Failed));
        }
        ']' | '}' | ':' | '=' => {
            i = i.skip(1);
            i.error(
                ErrorKind::Unexpected {
                    found: Found::Char(c),
                },
                Span::new(start, i.pos()),
            );
            return (i, Err(Operand::Failed));
        }
        '^' | '~' => return (unsupported(i), Err(Operand::Failed)),
        _ => {}
    }
    // A phrase (the common value) is neither a field name, an operator
    // nor `*:*`.
    if c != '"' {
        if let Some((after, field)) = field(i) {
            if context.in_group() {
                i.error(ErrorKind::FieldInGroup, field.span);
            }
            return (after, Ok(field));
        }
        if operator(i).is_ok() {
            return (i, Err(Operand::Missing(i.found())));
        }
        if let Ok((i, all)) = match_all(i) {
            return (i, Err(Operand::Parsed(all)));
        }
    }

    let (i, value) = value(i);
    let Some(value) = value else {
        return (i, Err(Operand::Failed));
    };
    // A term followed by ':' (or '=' typed for it) is a field name.
    let after_value = i;
    let mut i = skip_ws(i);
    let separator = i.peek();
    if !matches!(separator, Some(':') | Some('=')) {
        warn_bare(after_value.st, &value);
        let span = Span::new(start, after_value.pos());
        return (
            after_value,
            Err(Operand::Parsed(Expr::new(ExprKind::Value(value), span))),
        );
    }
    let separator_span = Span::new(i.pos(), i.pos() + 1);
    i = i.skip(1);
    if separator == Some('=') {
        let field = quoted(&i.src[value.span.start..value.span.end]);
        i.error(ErrorKind::EqualsForColon { field }, separator_span);
    }
    // Escapes make the written text longer than the term's: equal lengths
    // mean the name was written as is.
    let written_plainly = |text: &str| value.span.end - value.span.start == text.len();
    let name = match value.kind {
        ValueKind::Term(text) if is_field_name(&text) && written_plainly(&text) => {
            CompactString::from(text)
        }
        _ => {
            let written = quoted(&i.src[value.span.start..value.span.end]);
            i.error(ErrorKind::InvalidFieldName { name: written }, value.span);
            // Recovery: read what follows as this clause's value, and drop both.
            let mut i = i;
            let _ = field_value(&mut i);
            return (i, Err(Operand::Failed));
        }
    };
    let field = Field {
        name,
        span: value.span,
    };
    if context.in_group() {
        i.error(ErrorKind::FieldInGroup, field.span);
    }
    (i, Ok(field))
}

/// Bytes that may continue a field name (`letter | digit | "_" | "."`).
static FIELD_CHARS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
        b += 1;
    }
    table
};

/// `field = ( letter | "_" ) , { letter | digit | "_" | "." } ;` and the
/// `ws , ":"` after it: the fast path of [`clause_head`] for a field name
/// written plainly, read by bytes. `None` for anything else, which the
/// general path reads (as a value first, then checks for the `:`): a `=`
/// for the colon, a name that is no field (`AND`, `OR`, `NOT`), or `NOW`,
/// which is a date when a space follows it. On a name it accepts, the
/// general path finds the same field and reports nothing: a term scan
/// stops exactly where the name's bytes stop (none of them ends a term,
/// none is unusual), `lex_date` finds no date (a name starts with a letter,
/// and `NOW` is left out), and no name is an operator or a prefix.
fn field(i: In<'_>) -> Option<(In<'_>, Field)> {
    if i.st.lexing != Lexing::Fast {
        return None;
    }
    let rest = i.rest();
    let bytes = rest.as_bytes();
    if !bytes
        .first()
        .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
    {
        return None;
    }
    let mut len = 1;
    while len < bytes.len() && FIELD_CHARS[usize::from(bytes[len])] {
        len += 1;
    }
    let name = &rest[..len];
    if len <= 3 && matches!(name, "AND" | "OR" | "NOT" | "NOW") {
        return None;
    }
    let mut after = i.skip(len);
    if bytes.get(len) != Some(&b':') {
        after = skip_ws(after);
        if after.first_byte() != Some(b':') {
            return None;
        }
    }
    let field = Field {
        name: CompactString::from(name),
        span: Span::new(i.pos(), i.pos() + len),
    };
    Some((after.skip(1), field))
}

/// `"*:*"`, Solr's match-all (followed by what ends a term). It is not a
/// field clause, so a field group may hold it.
fn match_all(i: In<'_>) -> PResult<'_, Expr> {
    let (rest, all) = tag("*:*").parse(i)?;
    if !rest.peek().is_none_or(ends_term) {
        return miss();
    }
    Ok((rest, Expr::new(ExprKind::MatchAll, all.span())))
}

/// The clause `field:value` that started at `start` (`i` is the input
/// after it). Inlined into `field_clause`, so that the clause is built
/// where `primary` returns it rather than copied there.
#[inline(always)]
fn clause(i: In<'_>, context: Context, start: usize, field: Field, value: Operand) -> Operand {
    match value {
        Operand::Parsed(value_expr) => {
            let span = Span::new(start, value_expr.span.end);
            if context.in_group() {
                // Recovery: drop the inner field name, keep its value.
                return Operand::Parsed(value_expr);
            }
            // Only a field group starts with '(': one in parentheses stays a
            // group even with one value, as written.
            let grouped = i.src.as_bytes().get(value_expr.span.start) == Some(&b'(');
            if grouped && is_negative_group(&value_expr) {
                let safe = format!(
                    "{}:(*:* AND {})",
                    field.name,
                    print::expr_to_string_capped(&value_expr, READING_MAX)
                );
                i.st.note_negative_group(span, safe);
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
            i.error(ErrorKind::ExpectedValue { found }, Span::empty(i.pos()));
            Operand::Failed
        }
    }
}

/// Warnings that apply to a value written without a field.
#[inline(always)]
fn warn_bare(st: &State, value: &Value) {
    if let ValueKind::Term(text) = &value.kind {
        // Only ASCII letters lower-case to these words (the Kelvin sign and
        // `İ` do not give any of their letters), so ASCII case is enough.
        let operator = ["and", "or", "not"]
            .iter()
            .any(|w| text.eq_ignore_ascii_case(w));
        if operator && text.bytes().any(|b| b.is_ascii_lowercase()) {
            st.warn(
                WarningKind::LowercaseOperator {
                    word: text.to_string(),
                },
                value.span,
            );
        }
    }
}

/// `"(" , ws , sequence , ws , ")"`, for grouping or (`group`) a field group.
fn parenthesised(i: &mut In<'_>, group: bool) -> Operand {
    let open = Span::new(i.pos(), i.pos() + 1);
    let st = i.st;
    // One level of slack past `max_depth`: see `parser`'s module doc.
    if st.depth.get() > st.max_depth {
        st.too_deep(open);
        *i = skip_balanced(*i);
        // What the group held is lost: no repair can keep the meaning.
        st.lost_to_depth.set(true);
        return Operand::Failed;
    }
    // The caller saw the `(`.
    *i = i.skip(1);
    st.descend();
    let errors_before = st.error_count();
    let inner = sequence(i, Context::Paren { group });
    st.depth.set(st.depth.get() - 1);
    close_paren(i, open, errors_before, inner)
}

/// Notes a parenthesised group (not a field group's own parentheses) if
/// it is made only of negations.
fn note_negative_group(st: &State, operand: &Operand) {
    if let Operand::Parsed(expr) = operand {
        if is_negative_group(expr) {
            let safe = format!(
                "(*:* AND {})",
                print::expr_to_string_capped(expr, READING_MAX)
            );
            st.note_negative_group(expr.span, safe);
        }
    }
}

/// The `)` after the `sequence` of a group opened at `open`.
fn close_paren(
    cursor: &mut In<'_>,
    open: Span,
    errors_before: usize,
    inner: Option<Expr>,
) -> Operand {
    let mut i = skip_ws(*cursor);
    let closed = i.peek() == Some(')');
    if closed {
        i = i.skip(1);
    } else {
        i.error(ErrorKind::UnclosedParen, open);
    }
    *cursor = i;
    match inner {
        Some(mut expr) => {
            expr.span = Span::new(open.start, i.pos());
            Operand::Parsed(expr)
        }
        None => {
            // `()`: report it, unless what was inside was already reported.
            if closed && i.st.error_count() == errors_before {
                i.error(
                    ErrorKind::ExpectedClause {
                        after: "'('",
                        found: Found::Char(')'),
                    },
                    Span::empty(i.pos() - 1),
                );
            }
            Operand::Failed
        }
    }
}

/// Skips from a `(` to its matching `)` (or the end): recovery for a group
/// past the depth limit. Iterative, so it is safe at any depth.
fn skip_balanced(mut i: In<'_>) -> In<'_> {
    let mut level = 0usize;
    let mut in_quote = false;
    while let Some(c) = i.bump() {
        match c {
            '\\' => {
                i.bump();
            }
            '"' => in_quote = !in_quote,
            '(' if !in_quote => level += 1,
            ')' if !in_quote => {
                level -= 1;
                if level == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    i
}

// ----- field values ---------------------------------------------------------------

/// `field_value = "(" , ws , sequence , ws , ")" | range | value ;`
fn field_value(i: &mut In<'_>) -> Operand {
    *i = skip_ws(*i);
    match i.first_byte() {
        Some(b'(') => return parenthesised(i, true),
        // A phrase (the common value) is neither an operator nor `NOT`:
        // straight to `value`, the input moved in place.
        Some(b'"') => {
            let value;
            (*i, value) = phrase(*i);
            return match value {
                Some(value) => {
                    let span = value.span;
                    Operand::Parsed(Expr::new(ExprKind::Value(value), span))
                }
                None => Operand::Failed,
            };
        }
        // A range of full dates or `*` (the common one), built at once.
        Some(b'[' | b'{') => {
            if let Some(expr) = fast_range::range(i) {
                return Operand::Parsed(expr);
            }
        }
        _ => {}
    }
    let operand;
    (*i, operand) = single_field_value(*i);
    operand
}

/// A `field_value` that is not a group: a range or a value.
fn single_field_value(mut i: In<'_>) -> (In<'_>, Operand) {
    let start = i.pos();
    match i.peek() {
        None => (i, Operand::Missing(Found::End)),
        Some('[' | '{') => range(i),
        Some(')') => (i, Operand::Missing(Found::Char(')'))),

        Some(c @ (':' | '=')) => {
            // A doubled separator (`firstName==John`): the value after it
            // is still this field's, never a bare term searching every
            // field (which would widen the query).
            while let Some(':' | '=') = i.peek() {
                i = i.skip(1);
            }
            i.error(
                ErrorKind::ExpectedValue {
                    found: Found::Char(c),
                },
                Span::new(start, i.pos()),
            );
            let operand = field_value(&mut i);
            (i, operand)
        }
        Some(c @ ('-' | '+' | '!' | ']' | '}' | '^' | '~')) => {
            i = i.skip(c.len_utf8());
            i.error(
                ErrorKind::ExpectedValue {
                    found: Found::Char(c),
                },
                Span::new(start, i.pos()),
            );
            // Recovery: what follows was meant as this field's value; it
            // is dropped with the clause rather than searched everywhere.
            while let Some('-' | '+' | '!' | ']' | '}' | '^' | '~' | ':' | '=') = i.peek() {
                i = i.skip(1);
            }
            let starts_value = i
                .peek()
                .is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '[' | '{'));
            if starts_value && operator(i).is_err() {
                i = value(i).0;
            }
            (i, Operand::Failed)
        }
        Some(_) => {
            if let Ok((_, op)) = operator(i) {
                return (i, Operand::Missing(Found::Keyword(op.text)));
            }
            if i.at_word("NOT") {
                return (i, Operand::Missing(Found::Keyword("NOT")));
            }
            match value(i) {
                (i, Some(value)) => {
                    let span = value.span;
                    (i, Operand::Parsed(Expr::new(ExprKind::Value(value), span)))
                }
                (i, None) => (i, Operand::Failed),
            }
        }
    }
}

/// `range = ( "[" | "{" ) , ws , bound , ws , "TO" , ws , bound , ws , ( "]" | "}" ) ;`
fn range(i: In<'_>) -> (In<'_>, Operand) {
    let start = i.pos();
    let lower_inclusive = i.peek() == Some('[');
    let i = i.skip(1);
    match range_body(i, start, lower_inclusive) {
        (i, Some(range)) => {
            let span = Span::new(start, i.pos());
            let value = Value::new(ValueKind::Range(range), span);
            (i, Operand::Parsed(Expr::new(ExprKind::Value(value), span)))
        }
        (i, None) => {
            // Recovery: skip to the end of the range, if it has one.
            let rest = i.rest();
            let i = match rest.find([']', '}', ')', '(']) {
                Some(at) if matches!(rest.as_bytes()[at], b']' | b'}') => i.skip(at + 1),
                Some(at) => i.skip(at),
                None => i.skip(rest.len()),
            };
            (i, Operand::Failed)
        }
    }
}

/// The inside of a range and its closing bracket; `None` after an error
/// (the input is where it was found).
fn range_body(i: In<'_>, start: usize, lower_inclusive: bool) -> (In<'_>, Option<Range>) {
    let i = skip_ws(i);
    let (i, lower) = bound(i, lower_inclusive);
    let Some(lower) = lower else {
        return (i, None);
    };
    let i = skip_ws(i);
    // `keyword("TO")`, by bytes as the operators are.
    if !i.at_word("TO") {
        i.error(ErrorKind::ExpectedTo { found: i.found() }, i.here());
        return (i, None);
    }
    let i = i.skip(2);
    let i = skip_ws(i);
    // The closing bracket decides the upper bound's kind; read the value
    // first, then the bracket.
    let (i, upper) = bound(i, true);
    let Some(upper) = upper else {
        return (i, None);
    };
    let i = skip_ws(i);
    let upper_inclusive = match i.peek() {
        Some(']') => true,
        Some('}') => false,
        None => {
            i.error(ErrorKind::UnclosedRange, Span::new(start, start + 1));
            return (i, None);
        }
        Some(c) => {
            i.error(
                ErrorKind::Unexpected {
                    found: Found::Char(c),
                },
                i.here(),
            );
            return (i, None);
        }
    };
    let i = i.skip(1);
    let upper = match upper {
        Bound::Inclusive(v) if !upper_inclusive => Bound::Exclusive(v),
        Bound::Unbounded { .. } => Bound::Unbounded {
            inclusive: upper_inclusive,
        },
        other => other,
    };
    (i, Some(Range { lower, upper }))
}

/// `bound = "*" | phrase | date | term ;`
fn bound(i: In<'_>, inclusive: bool) -> (In<'_>, Option<Bound>) {
    let rest = i.rest();
    if rest.starts_with('*') && is_delimiter(rest[1..].chars().next()) {
        return (i.skip(1), Some(Bound::Unbounded { inclusive }));
    }
    let at_end = matches!(
        i.peek(),
        None | Some(']' | '}' | '[' | '{' | '(' | ')' | ':')
    );
    if at_end || i.at_word("TO") {
        i.error(ErrorKind::ExpectedRangeBound { found: i.found() }, i.here());
        return (i, None);
    }
    i.st.in_range.set(true);
    let (i, value) = value(i);
    i.st.in_range.set(false);
    let Some(value) = value else {
        return (i, None);
    };
    if matches!(value.kind, ValueKind::Wildcard(_)) {
        i.error(ErrorKind::WildcardBound, value.span);
        return (i, None);
    }
    let value = Box::new(value);
    let bound = if inclusive {
        Bound::Inclusive(value)
    } else {
        Bound::Exclusive(value)
    };
    (i, Some(bound))
}

// ----- values ---------------------------------------------------------------------

/// `value = phrase | regex | date | term , [ fuzzy ] ;`. `None` after
/// recording an error.
fn value(i: In<'_>) -> (In<'_>, Option<Value>) {
    let start = i.pos();
    if i.peek() == Some('"') {
        return phrase(i);
    }
    if i.peek() == Some('/') && !i.st.in_range.get() {
        return regex(i);
    }
    let date = match i.st.lexing {
        Lexing::Fast => utc_date(i.rest()),
        Lexing::General => None,
    };
    let date = match date {
        Some((date, len)) => Ok(DateLex::Date {
            date,
            len,
            warnings: Vec::new(),
        }),
        None => lex_date(i.rest(), start),
    };
    match date {
        Ok(DateLex::Date {
            date,
            len,
            warnings,
        }) => {
            let i = i.skip(len);
            if !warnings.is_empty() {
                with(&i.st.warnings, |all| all.extend(warnings));
            }
            let full = matches!(date.anchor, DateAnchor::Full { .. });
            let value = Value::new(ValueKind::Date(Box::new(date)), Span::new(start, i.pos()));
            let in_range = i.st.in_range.get();
            if full && !in_range {
                let safe = print::quote(&value.to_string());
                i.warn(WarningKind::BareTimestamp { safe }, value.span);
            } else if !in_range {
                let text = &i.src[start..i.pos()];
                if let Some(at) = text.find('/') {
                    let safe = print::quote(&value.to_string());
                    let at = start + at;
                    i.warn(
                        WarningKind::OperatorInTerm { found: '/', safe },
                        Span::new(at, at + 1),
                    );
                }
            }
            return (i, Some(value));
        }
        Ok(DateLex::NotADate) => {}
        Err(error) => {
            // Recovery: skip the rest of the would-be date.
            let rest = i.rest();
            let len = rest
                .char_indices()
                .find(|&(_, c)| is_delimiter(Some(c)))
                .map_or(rest.len(), |(at, _)| at);
            i.st.push_error(error);
            return (i.skip(len), None);
        }
    }
    let (i, lexed) = term(i);
    let Some(lexed) = lexed else {
        return (i, None);
    };
    let span = Span::new(start, start + lexed.raw_len);
    if let ValueKind::Wildcard(wildcard) = &lexed.kind {
        if masked_part_too_long(wildcard) {
            i.error(
                ErrorKind::WildcardTooComplex {
                    max: MASKED_PART_MAX,
                },
                span,
            );
            return (i, None);
        }
    }
    let kind = lexed.kind;
    if !lexed.escaped && i.src[start..].starts_with('\'') {
        i.warn(WarningKind::SingleQuotes, span);
    }
    if lexed.unusual {
        warn_lucene_term_chars(i, start, span, &kind);
    }
    if let ValueKind::Term(text) = &kind {
        if i.peek() == Some('~') {
            let (i, fuzzy) = fuzzy(i, text);
            let Some(fuzzy) = fuzzy else {
                return (i, None);
            };
            let span = Span::new(start, i.pos());
            let i = after_value_suffix(i);
            return (i, Some(Value::new(ValueKind::Fuzzy(fuzzy), span)));
        }
    }
    let i = after_value_suffix(i);
    (i, Some(Value::new(kind, span)))
}

/// `fuzzy = "~" , [ digit , { digit } , [ "." , { digit } ] ] ;` after the
/// term `text`, as Lucene reads it: no number is 2 edits, a whole number is
/// that many (at most 2), a number below 1 is Lucene's old similarity
/// (`(1 - s) × length` edits, at most 2), and a fractional number of 1 or
/// more is an error.
fn fuzzy<'a>(i: In<'a>, text: &str) -> (In<'a>, Option<Fuzzy>) {
    let start = i.pos();
    let i = i.skip(1);
    let rest = i.rest();
    let len = rest
        .bytes()
        .take_while(|&b| b.is_ascii_digit() || b == b'.')
        .count();
    let number = &rest[..len];
    let i = i.skip(len);
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
                i.error(
                    ErrorKind::Unsupported {
                        what: "a fractional edit distance",
                    },
                    Span::new(start, i.pos()),
                );
                return (i, None);
            }
        }
    };
    let fuzzy = Fuzzy {
        text: text.to_owned(),
        edits,
    };
    (i, Some(fuzzy))
}

/// `~` right after a value that takes none (a phrase: proximity) is an
/// error. A `^` is left to [`boost`].
#[inline]
fn after_value_suffix(i: In<'_>) -> In<'_> {
    if i.peek() == Some('~') {
        unsupported(i)
    } else {
        i
    }
}

/// `regex = "/" , { char - "/" | "\/" } , "/" ;`, the longest such text,
/// as Lucene's lexer reads it (`REGEXPTERM`): it ends at the last `/`
/// before the first one that no `\` precedes. Spaces and every other
/// character are part of it. Checked with `syntax::regexp`.
fn regex(i: In<'_>) -> (In<'_>, Option<Value>) {
    let start = i.pos();
    let body = start + 1;
    let bytes = i.src.as_bytes();
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
        i.error(
            ErrorKind::InvalidRegex {
                message: "this '/' is never closed".to_owned(),
            },
            Span::new(start, start + 1),
        );
        return (i.at(i.src.len()), None);
    };
    let i = i.at(close + 1);
    let written = &i.src[body..close];
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
        i.error(kind, span);
        return (i, None);
    }
    // A final escaped backslash would make the closing slash read as
    // escaped when more text follows: `[\\]` is the same character.
    let pattern = match written.strip_suffix("\\\\") {
        Some(before) => format!("{before}[\\\\]"),
        None => written.to_owned(),
    };
    let span = Span::new(start, i.pos());
    let i = after_value_suffix(i);
    (
        i,
        Some(Value::new(ValueKind::Regex(Regex { pattern }), span)),
    )
}

/// Reports `~N` (or a `^` with no clause before it) and skips it.
fn unsupported(mut i: In<'_>) -> In<'_> {
    let start = i.pos();
    if i.bump() == Some('^') {
        let rest = i.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let i = i.skip(len);
        i.error(ErrorKind::InvalidBoost, Span::new(start, start + 1));
        return i;
    }
    let what = "'~' (fuzzy or proximity search)";
    let rest = i.rest();
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let i = i.skip(len);
    i.error(ErrorKind::Unsupported { what }, Span::new(start, i.pos()));
    i
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
    /// The length of the text as written, escapes included.
    raw_len: usize,
    escaped: bool,
    /// Whether a warning may apply (see [`PlainWord::unusual`]).
    unusual: bool,
}

/// `term = term_start , { term_char } ;`, split at unescaped `*` and `?`.
fn term(mut i: In<'_>) -> (In<'_>, Option<Lexed>) {
    let start = i.pos();
    // Fast path: a plain word (no escape, no wildcard) is one slice.
    let rest = i.rest();
    let word = plain_word(rest);
    if word.len > 0 && word.ends_here && i.st.lexing == Lexing::Fast {
        let end = word.len;
        let i = i.skip(end);
        if word.unusual {
            warn_unicode_spaces(i, start);
        }
        let lexed = Lexed {
            kind: ValueKind::Term(Text::of_query(i.src, start, start + end, &i.st.source)),
            raw_len: end,
            escaped: false,
            unusual: word.unusual,
        };
        return (i, Some(lexed));
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
    let errors_before = i.st.error_count();
    while let Some(c) = i.peek() {
        if ends_term(c) {
            break;
        }
        i.bump();
        match c {
            '\\' => match i.bump() {
                Some('u') => {
                    escaped = true;
                    escape_differs = true;
                    let from = i.pos();
                    if let Some(decoded) = unicode_escape(&mut i, from - 2) {
                        literal.push(decoded);
                    }
                    exact.escaped('u');
                    exact.raw(&i.src[from..i.pos()]);
                }
                Some(next) => {
                    escaped = true;
                    escape_differs |= crate::text::lowercase_char(next) != next;
                    literal.push(next);
                    exact.escaped(next);
                }
                None => {
                    i.error(ErrorKind::DanglingEscape, Span::new(i.pos() - 1, i.pos()));
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
        return (i, None);
    }
    warn_unicode_spaces(i, start);
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
            let reported = i.st.error_count();
            with(&i.st.errors, |errors| {
                let mut index = 0;
                errors.retain(|e| {
                    let keep = index < errors_before || e.kind != ErrorKind::InvalidUnicodeEscape;
                    index += 1;
                    keep
                })
            });
            // The hint: the wildcard without its escapes, decoded, or as
            // written where a `\u` could not be decoded.
            let safe = if i.st.error_count() < reported {
                let parts = exact
                    .parts
                    .iter()
                    .map(|p| match p {
                        WildcardPart::Escaped(text) => WildcardPart::Literal(text.clone()),
                        p => p.clone(),
                    })
                    .collect();
                print::wildcard_text(&Wildcard { parts })
            } else {
                print::wildcard_text(wildcard)
            };
            i.warn(
                WarningKind::WildcardEscape { safe },
                Span::new(start, i.pos()),
            );
            kind = ValueKind::Wildcard(Wildcard {
                parts: exact.finish(),
            });
        }
    }
    let lexed = Lexed {
        kind,
        raw_len: i.pos() - start,
        escaped,
        unusual: true,
    };
    (i, Some(lexed))
}

/// `operator-in-term` at the first unescaped `!` or `/` inside the term
/// `span` (Lucene ends the term there: `!` negates what follows, `/`
/// starts a regular expression), and `glued-operator` for a term that
/// begins with `&&` or `||` (Lucene reads it as part of the term).
fn warn_lucene_term_chars(i: In<'_>, start: usize, span: Span, kind: &ValueKind) {
    let raw = &i.src[start..span.end];
    if raw.starts_with("&&") || raw.starts_with("||") {
        i.warn(
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
    for (at, c) in raw.char_indices() {
        if !escaped && at > 0 && matches!(c, '!' | '/') {
            let safe = Value::new(kind.clone(), span).to_string();
            let at = start + at;
            i.warn(
                WarningKind::OperatorInTerm { found: c, safe },
                Span::new(at, at + 1),
            );
            return;
        }
        escaped = !escaped && c == '\\';
    }
}

/// `unicode-space` at the first unescaped space character of the term
/// `start..i.pos()` that is not whitespace to Lucene (`is_space`).
fn warn_unicode_spaces(i: In<'_>, start: usize) {
    let raw = &i.src[start..i.pos()];
    if !raw.bytes().any(|b| b >= 0x80 || b == 0x0b || b == 0x0c) {
        return;
    }
    let mut escaped = false;
    for (at, c) in raw.char_indices() {
        if !escaped && c.is_whitespace() {
            let at = start + at;
            i.warn(
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
fn unicode_escape(i: &mut In<'_>, start: usize) -> Option<char> {
    let Some(unit) = hex4(i) else {
        i.error(ErrorKind::InvalidUnicodeEscape, Span::new(start, i.pos()));
        return None;
    };
    if (0xD800..0xDC00).contains(&unit) && i.rest().starts_with("\\u") {
        let mark = *i;
        *i = i.skip(2);
        if let Some(low @ 0xDC00..0xE000) = hex4(i) {
            let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            return char::from_u32(code);
        }
        *i = mark;
    }
    let decoded = char::from_u32(unit);
    if decoded.is_none() {
        i.error(ErrorKind::InvalidUnicodeEscape, Span::new(start, i.pos()));
    }
    decoded
}

/// Four hexadecimal digits at the cursor, consumed; on failure, the hex
/// digits that were there are consumed and `None` is returned.
fn hex4(i: &mut In<'_>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        let digit = i.peek().and_then(|c| c.to_digit(16))?;
        *i = i.skip(1);
        value = value * 16 + digit;
    }
    Some(value)
}

/// `phrase = '"' , { char - ( '"' | "\" ) | "\" , char } , '"' ;`
#[inline(always)]
fn phrase(i: In<'_>) -> (In<'_>, Option<Value>) {
    let start = i.pos();
    let i = i.skip(1);
    // Fast path: no escape and no wildcard before the closing quote.
    let body = i.rest();
    let plain = match i.st.lexing {
        Lexing::Fast => plain_phrase_end(body.as_bytes()),
        Lexing::General => None,
    };
    if let Some(end) = plain {
        let i = i.skip(end + 1);
        let span = Span::new(start, i.pos());
        let text = match utc_phrase(i.st, &body[..end], span) {
            Some(date) => Text::from(date),
            None => Text::of_query(i.src, start + 1, start + 1 + end, &i.st.source),
        };
        let i = after_value_suffix(i);
        let value = Value::new(ValueKind::Phrase(text), span);
        return (i, Some(value));
    }
    escaped_phrase(i, start)
}

/// The general path of [`phrase`], from after the opening quote at `start`:
/// escapes, wildcards, an unterminated or empty phrase.
#[inline(never)]
fn escaped_phrase(mut i: In<'_>, start: usize) -> (In<'_>, Option<Value>) {
    let mut text = String::new();
    let mut closed = false;
    // One warning per phrase, however many wildcards it holds.
    let mut warned_wildcard = false;
    while let Some(c) = i.bump() {
        match c {
            '"' => {
                closed = true;
                break;
            }
            // As in Lucene, every `\x` inside quotes is `x`, and `\uXXXX`
            // is the character it names: "jo\hn" is john.
            '\\' => match i.bump() {
                Some('u') => {
                    if let Some(decoded) = {
                        let at = i.pos() - 2;
                        unicode_escape(&mut i, at)
                    } {
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
                    i.warn(
                        WarningKind::WildcardInPhrase { wildcard: c },
                        Span::new(i.pos() - 1, i.pos()),
                    );
                }
                text.push(c);
            }
            c => text.push(c),
        }
    }
    if !closed {
        i.error(ErrorKind::UnterminatedQuote, Span::new(start, start + 1));
    }
    let span = Span::new(start, i.pos());
    if text.is_empty() {
        if closed {
            i.error(ErrorKind::EmptyPhrase, span);
        }
        return (i, None);
    }
    let text = match utc_phrase(i.st, &text, span) {
        Some(date) => Text::from(date),
        None => Text::from(text),
    };
    let i = after_value_suffix(i);
    (i, Some(Value::new(ValueKind::Phrase(text), span)))
}

/// Where the closing quote of a phrase whose body is `bytes` stands, when
/// the body is not empty and has no escape and no wildcard. Eight bytes at
/// a time (a word-sized search for the four bytes that end the scan, with
/// the classic "has a zero byte" test): phrases are short, too short for a
/// vector search to pay off, but most are longer than eight bytes
/// (measured: BENCHMARKS.md §1).
fn plain_phrase_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    /// The high bit of each byte of `word` equal to `byte`, and maybe of
    /// bytes above the first such one (a borrow): the lowest is exact.
    fn equal_bytes(word: u64, byte: u8) -> u64 {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    }
    let mut end = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let stops = equal_bytes(word, b'"')
            | equal_bytes(word, b'\\')
            | equal_bytes(word, b'*')
            | equal_bytes(word, b'?');
        if stops != 0 {
            end += (stops.trailing_zeros() / 8) as usize;
            return (end > 0 && bytes[end] == b'"').then_some(end);
        }
        end += 8;
    }
    while end < bytes.len() && !matches!(bytes[end], b'"' | b'\\' | b'*' | b'?') {
        end += 1;
    }
    (end > 0 && bytes.get(end) == Some(&b'"')).then_some(end)
}

/// A quoted full date with an offset other than `Z`
/// (`"2014-02-27T23:59:59+02:00"`), as the phrase `span` holds it,
/// written in UTC as an unquoted one is (`"2014-02-27T21:59:59Z"`),
/// with the date's warnings (`date-offset`) on the phrase: Solr
/// rejects the offset. `None` for any other text (the phrase is the
/// text as it is).
#[inline(always)]
fn utc_phrase(st: &State, text: &str, span: Span) -> Option<CompactString> {
    // `offset_date`'s own first test, without a call: most phrases are no
    // date.
    if text.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    offset_phrase(st, text, span)
}

/// [`utc_phrase`] past its first test.
#[inline(never)]
fn offset_phrase(st: &State, text: &str, span: Span) -> Option<CompactString> {
    let (date, warnings) = super::date::offset_date(text)?;
    for warning in warnings {
        st.warn(warning.kind, span);
    }
    Some(CompactString::from(
        Value::new(ValueKind::Date(Box::new(date)), span).to_string(),
    ))
}

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
            return ValueKind::Term(Text::from(text));
        }
    }
    ValueKind::Wildcard(Wildcard { parts })
}
