//! The fast path of `range` for its common form: bounds that are full UTC
//! dates (`yyyy-MM-ddTHH:mm:ssZ`) or `*`, separated by ASCII whitespace
//! and `TO`, as in `modifiedAt:[2013-11-20T00:00:00Z TO *]`.
//!
//! ```text
//! range = ( "[" | "{" ) , ws , bound , ws , "TO" , ws , bound , ws , ( "]" | "}" ) ;
//! bound = "*" | date ;                     (* here: a full UTC date only *)
//! ```
//!
//! Why a fast path: the general rules (`range`, `range_body`, `bound`,
//! `value`, `date::utc_date`) each return their piece through memory, and
//! each piece is copied by its caller right after it was written, a store
//! the processor cannot forward to the wider load that copies it (the
//! stalls `perf annotate` showed on query 4, BENCHMARKS.md §1, fourth
//! round). Here the range is read by bytes and its node built once.
//!
//! It changes nothing: on the text it accepts, the general rules build the
//! same value with the same spans and record no error or warning (a date
//! in a range raises none, and `*` needs a delimiter after it, which it
//! has here); anything else (another value, a date with a fraction, an
//! offset or math, a non-ASCII space, a missing `TO` or bracket...) is
//! `None`, and the general rules read it from the start. The property test
//! `syntax::fast_paths` parses with and without it and compares.

use super::{In, Lexing};
use crate::syntax::ast::{
    Bound, DateAnchor, DateExpr, Expr, ExprKind, Range, Span, Value, ValueKind,
};
use crate::syntax::date::utc_timestamp;

/// ASCII whitespace, as `ws` reads it (the rest hands over to the
/// general rules).
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// One bound at `at` in `bytes`: its kind and where it ends. `inclusive`
/// is the bracket's; a date's `Bound` is made by the caller.
enum Read {
    /// `*`.
    Star,
    /// A full UTC date of 20 bytes.
    Date(jiff::Timestamp),
}

/// The bound at the start of `text`: `*` followed by whitespace or a
/// closing bracket, or a full UTC date (which `utc_timestamp` requires to
/// be followed by a delimiter).
#[inline(always)]
fn bound(text: &str) -> Option<(Read, usize)> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'*' => match bytes.get(1) {
            Some(&b) if is_ascii_ws(b) || b == b']' || b == b'}' => Some((Read::Star, 1)),
            _ => None,
        },
        b'0'..=b'9' => Some((Read::Date(utc_timestamp(text)?), 20)),
        _ => None,
    }
}

/// The tree's bound for what [`bound`] read at `start..start + len`.
#[inline(always)]
fn make_bound(read: Read, inclusive: bool, start: usize) -> Bound {
    match read {
        Read::Star => Bound::Unbounded { inclusive },
        Read::Date(timestamp) => {
            let date = DateExpr {
                anchor: DateAnchor::Full { timestamp },
                math: Vec::new(),
            };
            let value = Box::new(Value::new(
                ValueKind::Date(Box::new(date)),
                Span::new(start, start + 20),
            ));
            if inclusive {
                Bound::Inclusive(value)
            } else {
                Bound::Exclusive(value)
            }
        }
    }
}

/// The range at the cursor (on `[` or `{`), as a field's value, with the
/// cursor moved past its closing bracket, when it has the common form;
/// `None` (nothing consumed) for anything else.
#[inline(always)]
pub(super) fn range(i: &mut In<'_>) -> Option<Expr> {
    if i.st.lexing != Lexing::Fast {
        return None;
    }
    let start = i.start;
    let src = i.src;
    let bytes = src.as_bytes();
    let lower_inclusive = match bytes.get(start)? {
        b'[' => true,
        b'{' => false,
        _ => return None,
    };
    let skip_ws = |mut at: usize| {
        while bytes.get(at).is_some_and(|&b| is_ascii_ws(b)) {
            at += 1;
        }
        at
    };
    let lower_at = skip_ws(start + 1);
    let (lower, lower_len) = bound(src.get(lower_at..)?)?;
    // At least one space before `TO` (a date or `*` needs a delimiter,
    // and `TO` a space or bracket after it, as `at_word` asks).
    let to = skip_ws(lower_at + lower_len);
    if to == lower_at + lower_len
        || bytes.get(to..to + 2)? != b"TO"
        || !bytes.get(to + 2).is_some_and(|&b| is_ascii_ws(b))
    {
        return None;
    }
    let upper_at = skip_ws(to + 2);
    let (upper, upper_len) = bound(src.get(upper_at..)?)?;
    let close = skip_ws(upper_at + upper_len);
    let upper_inclusive = match bytes.get(close)? {
        b']' => true,
        b'}' => false,
        _ => return None,
    };
    let end = close + 1;
    *i = i.at(end);
    let span = Span::new(start, end);
    let range = Range {
        lower: make_bound(lower, lower_inclusive, lower_at),
        upper: make_bound(upper, upper_inclusive, upper_at),
    };
    Some(Expr::new(
        ExprKind::Value(Value::new(ValueKind::Range(range), span)),
        span,
    ))
}
