//! Canonical rendering (`Display` for [`Query`]) and the `explain` tree.
//!
//! Rendering is a pure function of the tree. The canonical form wraps the
//! whole query in one pair of parentheses, writes operators as upper-case
//! words, and parenthesises every `AND` inside an `OR` (and every `OR` inside
//! an `AND` or `NOT`), so it means the same under any precedence rules. Values
//! are escaped so that they lex back to exactly the same value: a term that
//! would read as an operator, a date or a prefix gets a leading `\`.
//!
//! This module must never parse: the one exception is asking the date lexer
//! whether a term would be mistaken for a date.

use std::fmt::{self, Write};

use super::ast::{
    Bound, Clause, ClauseValue, DateAnchor, DateExpr, DateMath, Expr, ExprKind, Query, Range,
    TruncatedDate, Value, ValueKind, Wildcard, WildcardPart,
};
use super::date::{DateLex, lex_date};
use super::safe::{Place, safe_expr};

impl fmt::Display for Query {
    /// The canonical form: `(firstName:"John" AND lastName:"Appleseed")`.
    /// It is Lucene-safe ([`syntax::safe`](super::safe)): `a OR NOT b` is
    /// written `(a OR (*:* AND NOT b))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('(')?;
        write_expr(f, &safe_expr(&self.root, Place::Top), Position::Root)?;
        f.write_char(')')
    }
}

impl fmt::Display for Expr {
    /// The canonical form of this node alone, without the outer parentheses,
    /// as if it were the whole query.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, &safe_expr(self, Place::Top), Position::Root)
    }
}

impl fmt::Display for Value {
    /// The value as it is written in a clause: escaped or quoted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_value(f, self)
    }
}

/// The canonical form of a node without the outer parentheses, for messages:
/// cut after about `max` bytes and ended with `…`.
///
/// The parser quotes a sequence's reading in every mixed AND/OR warning, and
/// sequences nest; stopping the rendering at the cap keeps the cost of all
/// those warnings linear in the input instead of quadratic.
pub(crate) fn expr_to_string_capped(expr: &Expr, max: usize) -> String {
    /// A writer that fails once full, which stops the rendering early.
    struct Capped {
        out: String,
        max: usize,
        cut: bool,
    }
    impl Write for Capped {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let room = self.max.saturating_sub(self.out.len());
            if s.len() <= room {
                self.out.push_str(s);
                return Ok(());
            }
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.out.push_str(&s[..end]);
            self.cut = true;
            Err(fmt::Error)
        }
    }
    let mut capped = Capped {
        out: String::new(),
        max,
        cut: false,
    };
    // An error here only ever means "full".
    let _ = write!(capped, "{expr}");
    if capped.cut {
        capped.out.push('…');
    }
    capped.out
}

/// Where a node stands, which decides whether it needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    Root,
    InAnd,
    InOr,
    InNot,
    /// The operand of a boost: anything but a value, a clause or `*:*` is
    /// parenthesised (`(NOT a)^2`, `(a^2)^3`).
    InBoost,
}

fn needs_parens(expr: &Expr, position: Position) -> bool {
    match (&expr.kind, position) {
        (ExprKind::Clause(_) | ExprKind::Value(_) | ExprKind::MatchAll, _) => false,
        (_, Position::InBoost) => true,
        (ExprKind::And { .. } | ExprKind::Or { .. }, Position::Root) => false,
        (ExprKind::And { .. } | ExprKind::Or { .. }, _) => true,
        _ => false,
    }
}

fn write_expr(f: &mut fmt::Formatter<'_>, expr: &Expr, position: Position) -> fmt::Result {
    let parens = needs_parens(expr, position);
    if parens {
        f.write_char('(')?;
    }
    match &expr.kind {
        ExprKind::And { operands } => write_joined(f, operands, " AND ", Position::InAnd)?,
        ExprKind::Or { operands } => write_joined(f, operands, " OR ", Position::InOr)?,
        ExprKind::Not { operand } => {
            f.write_str("NOT ")?;
            write_expr(f, operand, Position::InNot)?;
        }
        ExprKind::Clause(Clause { field, value }) => {
            f.write_str(&field.name)?;
            f.write_char(':')?;
            match value {
                ClauseValue::Single { value } => write_value(f, value)?,
                ClauseValue::Group { expr } => {
                    f.write_char('(')?;
                    write_expr(f, expr, Position::Root)?;
                    f.write_char(')')?;
                }
            }
        }
        ExprKind::Value(value) => write_value(f, value)?,
        ExprKind::MatchAll => f.write_str("*:*")?,
        ExprKind::Boost { operand, boost } => {
            write_expr(f, operand, Position::InBoost)?;
            f.write_char('^')?;
            f.write_str(boost.as_str())?;
        }
    }
    if parens {
        f.write_char(')')?;
    }
    Ok(())
}

fn write_joined(
    f: &mut fmt::Formatter<'_>,
    operands: &[Expr],
    separator: &str,
    position: Position,
) -> fmt::Result {
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write_expr(f, operand, position)?;
    }
    Ok(())
}

fn write_value(f: &mut fmt::Formatter<'_>, value: &Value) -> fmt::Result {
    match &value.kind {
        ValueKind::Term(text) => f.write_str(&escape_term(text)),
        ValueKind::Phrase(text) => f.write_str(&quote(text)),
        ValueKind::Wildcard(wildcard) => f.write_str(&wildcard_text(wildcard)),
        ValueKind::Fuzzy(fuzzy) => write!(f, "{}~{}", escape_term(&fuzzy.text), fuzzy.edits),
        ValueKind::Regex(regex) => write!(f, "/{}/", regex.pattern),
        ValueKind::Date(date) => write_date(f, date),
        ValueKind::Range(range) => write_range(f, range),
    }
}

fn write_range(f: &mut fmt::Formatter<'_>, range: &Range) -> fmt::Result {
    f.write_char(if range.lower.is_inclusive() { '[' } else { '{' })?;
    write_bound(f, &range.lower)?;
    f.write_str(" TO ")?;
    write_bound(f, &range.upper)?;
    f.write_char(if range.upper.is_inclusive() { ']' } else { '}' })
}

fn write_bound(f: &mut fmt::Formatter<'_>, bound: &Bound) -> fmt::Result {
    match bound.value() {
        Some(value) => write_value(f, value),
        None => f.write_char('*'),
    }
}

/// Writes a date in canonical form: full dates in UTC with whole seconds
/// unless a fraction is present, units upper case, singular for 1.
fn write_date(f: &mut fmt::Formatter<'_>, date: &DateExpr) -> fmt::Result {
    match &date.anchor {
        DateAnchor::Now => f.write_str("NOW")?,
        DateAnchor::Full { timestamp } => f.write_str(&format_timestamp(*timestamp))?,
        DateAnchor::Truncated(truncated) => f.write_str(&format_truncated(*truncated))?,
    }
    for step in &date.math {
        match *step {
            DateMath::Add { amount, unit } | DateMath::Sub { amount, unit } => {
                let sign = if matches!(step, DateMath::Add { .. }) {
                    '+'
                } else {
                    '-'
                };
                let plural = if amount == 1 { "" } else { "S" };
                write!(f, "{sign}{amount}{}{plural}", unit.singular())?;
            }
            DateMath::Round { unit } => write!(f, "/{}", unit.singular())?,
        }
    }
    Ok(())
}

/// `yyyy-MM-ddTHH:mm:ss[.fraction]Z`, the fraction without trailing zeros.
pub fn format_timestamp(timestamp: jiff::Timestamp) -> String {
    let utc = jiff::tz::Offset::UTC.to_datetime(timestamp);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    let nanos = utc.subsec_nanosecond();
    if nanos != 0 {
        let fraction = format!("{nanos:09}");
        out.push('.');
        out.push_str(fraction.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

fn format_truncated(date: TruncatedDate) -> String {
    match date.day {
        Some(day) => format!("{:04}-{:02}-{:02}", date.year, date.month, day),
        None => format!("{:04}-{:02}", date.year, date.month),
    }
}

/// Characters with a meaning in a term, escaped with `\` wherever they stand.
/// (`*` and `?` are wildcards; the rest end a term or start an escape.)
pub const RESERVED: &[char] = &[
    '\\', '(', ')', '[', ']', '{', '}', '"', ':', '=', '^', '~', '*', '?',
];

/// Characters with a meaning only at the start of a term, escaped there
/// only: the prefixes `+ - !`, and `/`, which would start a regular expression.
const PREFIXES: &[char] = &['+', '-', '!', '/'];

/// Escapes `text` so that, written unquoted, it reads back as exactly one term
/// with this text: never an operator, a wildcard, a date or a prefix.
///
/// Reserved characters ([`RESERVED`] and whitespace) get a `\` wherever they
/// stand, and so do `!` and `/` (Lucene ends a term at them); `+ -` and
/// `&&`/`||` at the start too; and a text that would read as
/// an operator (`AND`, `OR`, `NOT`, `TO`) or a date (`2014-01`, `NOW`) gets a
/// leading `\`. The empty string has no unquoted form: use [`quote`].
///
/// ```
/// use helpscout_query::escape;
/// assert_eq!(escape("a*b"), r"a\*b");
/// assert_eq!(escape("-x"), r"\-x");
/// assert_eq!(escape("/x/"), r"\/x\/");
/// assert_eq!(escape("OR"), r"\OR");
/// assert_eq!(escape("2014-01"), r"\2014-01");
/// assert_eq!(escape("john@appleseed.com"), "john@appleseed.com");
/// ```
pub fn escape(text: &str) -> String {
    escape_term(text)
}

fn escape_term(text: &str) -> String {
    let mut out = escape_literal(text, true);
    let keyword = matches!(text, "AND" | "OR" | "NOT" | "TO");
    if (keyword || !matches!(lex_date(&out, 0), Ok(DateLex::NotADate))) && !out.starts_with('\\') {
        out.insert(0, '\\');
    }
    out
}

/// Escapes literal text inside a term; `at_start` when it begins the term.
fn escape_literal(text: &str, at_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for (i, c) in text.char_indices() {
        let first = at_start && i == 0;
        let doubled = first && (text.starts_with("&&") || text.starts_with("||"));
        // `!` and `/` end a term anywhere in Lucene's lexer, not only first.
        let ends = matches!(c, '!' | '/');
        if RESERVED.contains(&c)
            || c.is_whitespace()
            || (first && PREFIXES.contains(&c))
            || doubled
            || ends
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A wildcard as hsq writes it, escapes where Lucene needs them.
pub(crate) fn wildcard_text(wildcard: &Wildcard) -> String {
    let mut out = String::new();
    for (i, part) in wildcard.parts.iter().enumerate() {
        match part {
            WildcardPart::Literal(text) => out.push_str(&escape_literal(text, i == 0)),
            WildcardPart::Escaped(text) => {
                for c in text.chars() {
                    out.push('\\');
                    out.push(c);
                }
            }
            WildcardPart::AnyRun => out.push('*'),
            WildcardPart::AnyChar => out.push('?'),
        }
    }
    if !matches!(lex_date(&out, 0), Ok(DateLex::NotADate)) && !out.starts_with('\\') {
        // Escape the first character that lower-casing leaves alone
        // (`\\2014-01?`, `NOW\\-1DAY?`): inside a wildcard Lucene keeps an
        // escaped letter as written (`\\N` is an upper-case N).
        let mut escaped = false;
        let mut at = None;
        for (i, c) in out.char_indices() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if crate::text::lowercase_char(c) == c {
                at = Some(i);
                break;
            }
        }
        out.insert(at.unwrap_or(0), '\\');
    }
    out
}

/// Quotes `text` as a phrase: `"` and `\` are escaped, everything else is
/// literal (including `*` and `?`, which are not wildcards inside quotes).
///
/// ```
/// use helpscout_query::quote;
/// assert_eq!(quote(r#"Say "hi" \o/"#), r#""Say \"hi\" \\o/""#);
/// ```
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The tree as indented text, one node a line with its span (`hsq explain`).
///
/// ```
/// let query: helpscout_query::Query = "tag:x OR NOT tag:y".parse().unwrap();
/// assert_eq!(helpscout_query::syntax::print::tree(&query), "\
/// OR 0..18
///   CLAUSE tag 0..5
///     TERM \"x\" 4..5
///   NOT 9..18
///     CLAUSE tag 13..18
///       TERM \"y\" 17..18
/// ");
/// ```
pub fn tree(query: &Query) -> String {
    let mut out = String::new();
    tree_expr(&mut out, &query.root, 0);
    out
}

fn tree_expr(out: &mut String, expr: &Expr, indent: usize) {
    let pad = "  ".repeat(indent);
    let span = format!("{}..{}", expr.span.start, expr.span.end);
    match &expr.kind {
        ExprKind::And { operands } | ExprKind::Or { operands } => {
            let name = if matches!(expr.kind, ExprKind::And { .. }) {
                "AND"
            } else {
                "OR"
            };
            let _ = writeln!(out, "{pad}{name} {span}");
            for operand in operands {
                tree_expr(out, operand, indent + 1);
            }
        }
        ExprKind::Not { operand } => {
            let _ = writeln!(out, "{pad}NOT {span}");
            tree_expr(out, operand, indent + 1);
        }
        ExprKind::Clause(Clause { field, value }) => {
            let _ = writeln!(out, "{pad}CLAUSE {} {span}", field.name);
            match value {
                ClauseValue::Single { value } => tree_value(out, value, indent + 1),
                ClauseValue::Group { expr } => {
                    let _ = writeln!(out, "{pad}  GROUP {}..{}", expr.span.start, expr.span.end);
                    tree_expr(out, expr, indent + 2);
                }
            }
        }
        ExprKind::Value(value) => tree_value(out, value, indent),
        ExprKind::MatchAll => {
            let _ = writeln!(out, "{pad}MATCH_ALL {span}");
        }
        ExprKind::Boost { operand, boost } => {
            let _ = writeln!(out, "{pad}BOOST {} {span}", boost.as_str());
            tree_expr(out, operand, indent + 1);
        }
    }
}

fn tree_value(out: &mut String, value: &Value, indent: usize) {
    let pad = "  ".repeat(indent);
    let span = format!("{}..{}", value.span.start, value.span.end);
    let (name, text) = match &value.kind {
        ValueKind::Term(text) => ("TERM", format!("{text:?}")),
        ValueKind::Phrase(text) => ("PHRASE", format!("{text:?}")),
        ValueKind::Wildcard(w) => ("WILDCARD", wildcard_text(w)),
        ValueKind::Fuzzy(_) => ("FUZZY", value.to_string()),
        ValueKind::Regex(_) => ("REGEX", value.to_string()),
        ValueKind::Date(_) | ValueKind::Range(_) => {
            let name = if matches!(value.kind, ValueKind::Date(_)) {
                "DATE"
            } else {
                "RANGE"
            };
            (name, value.to_string())
        }
    };
    let _ = writeln!(out, "{pad}{name} {text} {span}");
}
