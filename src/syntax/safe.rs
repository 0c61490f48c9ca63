//! The Lucene-safe form of a tree: the same records under boolean logic and
//! under Solr's standard query parser (Lucene's classic `QueryParser`, the
//! model of Help Scout's engine in SPEC §8).
//!
//! Lucene does not read a boolean tree as boolean logic in four places, and
//! the canonical form (`Display`, which is also what hsq sends) avoids each:
//!
//! | written | Lucene reads | safe form |
//! |---|---|---|
//! | `a OR NOT b` | `a AND NOT b` (`a -b`) | `a OR (*:* AND NOT b)` |
//! | `c OR (NOT a AND NOT b)` | a nested group of only NOTs matches nothing | `c OR (*:* AND NOT a AND NOT b)` |
//! | `NOT NOT a` | a syntax error | `a` |
//! | `modifiedAt:2013-11-20T00:00:00Z` | a syntax error (bare `:`) | `modifiedAt:"2013-11-20T00:00:00Z"` |
//!
//! Only a query made entirely of NOTs is read as "everything except" (Solr
//! adds the match-all at the top level only), so the root keeps its bare
//! NOTs. A field group's root is never the top for this purpose:
//! `email:(NOT "x.com")` becomes `email:(*:* AND NOT "x.com")`.
//! Date math that rounds (`NOW/DAY`) is quoted outside ranges as well: `/`
//! starts a regular expression in Lucene's grammar.
//!
//! The transformation keeps meaning under boolean logic (the `score` sort
//! aside: `NOT NOT a` scores as `a`), is idempotent, and borrows what it does
//! not change, so rendering a tree that is already safe allocates nothing
//! here. This module never parses and knows no fields.

use std::borrow::Cow;

use super::ast::{
    Boost, Bound, Clause, ClauseValue, DateAnchor, DateMath, Expr, ExprKind, Query, Range, Value,
    ValueKind,
};

/// Where a node stands, which decides what Lucene makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// The whole query.
    Top,
    /// An operand of an AND.
    InAnd,
    /// An operand of an OR.
    InOr,
    /// The operand of a NOT.
    InNot,
    /// The root of a field group.
    GroupRoot,
}

impl Query {
    /// This query in its Lucene-safe form (module [`syntax::safe`](self)):
    /// the tree that its canonical form parses back to.
    ///
    /// ```
    /// let query: helpscout_query::Query = "tag:a OR NOT tag:b".parse().unwrap();
    /// let safe = query.lucene_safe();
    /// assert_eq!(safe.to_string(), "(tag:a OR (*:* AND NOT tag:b))");
    /// assert_eq!(safe.to_string().parse::<helpscout_query::Query>().unwrap(), safe);
    /// ```
    pub fn lucene_safe(&self) -> Query {
        Query {
            root: safe_expr(&self.root, Place::Top).into_owned(),
        }
    }

    /// Whether this tree is already in its Lucene-safe form.
    pub fn is_lucene_safe(&self) -> bool {
        matches!(safe_expr(&self.root, Place::Top), Cow::Borrowed(_))
    }
}

/// The safe form of `expr` standing at `place`.
///
/// Recursion is one call of this function and one of a helper per level of
/// the tree, with small frames and no iterator adapters between them, so
/// that a tree at the parser's depth ceiling renders on a small stack. A
/// chain of NOTs is read in a loop.
pub(crate) fn safe_expr(expr: &Expr, place: Place) -> Cow<'_, Expr> {
    match &expr.kind {
        ExprKind::Not { .. } => safe_not(expr, place),
        ExprKind::And { operands } => safe_and(expr, operands, place),
        ExprKind::Or { operands } => safe_or(expr, operands),
        ExprKind::Clause(clause) => safe_clause(expr, clause),
        ExprKind::Value(value) => match safe_value(value) {
            None => Cow::Borrowed(expr),
            Some(value) => Cow::Owned(Expr::new(ExprKind::Value(value), expr.span)),
        },
        ExprKind::MatchAll => Cow::Borrowed(expr),
        ExprKind::Boost { operand, boost } => safe_boost(expr, operand, boost),
    }
}

/// A boost's operand is a group of its own to Lucene (a `BoostQuery`): a
/// NOT or an AND of NOTs there matches nothing, so it gets the match-all
/// as at a group's root: `(NOT a)^2` is written `(*:* AND NOT a)^2`.
fn safe_boost<'a>(expr: &'a Expr, operand: &'a Expr, boost: &Boost) -> Cow<'a, Expr> {
    match safe_expr(operand, Place::GroupRoot) {
        Cow::Borrowed(_) => Cow::Borrowed(expr),
        Cow::Owned(operand) => Cow::Owned(Expr::new(
            ExprKind::Boost {
                operand: Box::new(operand),
                boost: boost.clone(),
            },
            expr.span,
        )),
    }
}

/// A chain of NOTs: pairs cancel out (`NOT NOT x` is `x`, standing where the
/// first NOT stood); one NOT left inside an OR or at a group's root gets the
/// match-all.
fn safe_not(expr: &Expr, place: Place) -> Cow<'_, Expr> {
    let mut nots = 0usize;
    let mut inner = expr;
    while let ExprKind::Not { operand } = &inner.kind {
        nots += 1;
        inner = operand;
    }
    if nots % 2 == 0 {
        return Cow::Owned(safe_expr(inner, place).into_owned());
    }
    let not = match (safe_expr(inner, Place::InNot), nots) {
        (Cow::Borrowed(_), 1) => Cow::Borrowed(expr),
        (operand, _) => Cow::Owned(Expr::new(
            ExprKind::Not {
                operand: Box::new(operand.into_owned()),
            },
            expr.span,
        )),
    };
    if matches!(place, Place::InOr | Place::GroupRoot) {
        Cow::Owned(with_match_all(vec![not.into_owned()], expr))
    } else {
        not
    }
}

fn safe_and<'a>(expr: &'a Expr, operands: &'a [Expr], place: Place) -> Cow<'a, Expr> {
    let safe = flattened(safe_operands(operands, Place::InAnd), operands, true);
    let mut negative = place != Place::Top;
    for operand in operands_of(&safe, operands) {
        negative &= matches!(operand.kind, ExprKind::Not { .. });
    }
    match (safe, negative) {
        (None, false) => Cow::Borrowed(expr),
        (None, true) => Cow::Owned(with_match_all(operands.to_vec(), expr)),
        (Some(safe), true) => Cow::Owned(with_match_all(safe, expr)),
        (Some(safe), false) => Cow::Owned(Expr::new(ExprKind::And { operands: safe }, expr.span)),
    }
}

fn safe_or<'a>(expr: &'a Expr, operands: &'a [Expr]) -> Cow<'a, Expr> {
    match flattened(safe_operands(operands, Place::InOr), operands, false) {
        None => Cow::Borrowed(expr),
        Some(safe) => Cow::Owned(Expr::new(ExprKind::Or { operands: safe }, expr.span)),
    }
}

fn safe_clause<'a>(expr: &'a Expr, clause: &'a Clause) -> Cow<'a, Expr> {
    let value = match &clause.value {
        ClauseValue::Single { value } => match safe_value(value) {
            None => return Cow::Borrowed(expr),
            Some(value) => ClauseValue::Single { value },
        },
        ClauseValue::Group { expr: group } => match safe_expr(group, Place::GroupRoot) {
            Cow::Borrowed(_) => return Cow::Borrowed(expr),
            Cow::Owned(group) => ClauseValue::Group {
                expr: Box::new(group),
            },
        },
    };
    Cow::Owned(Expr::new(
        ExprKind::Clause(Clause {
            field: clause.field.clone(),
            value,
        }),
        expr.span,
    ))
}

/// The safe forms of `operands`, or `None` when every one is already safe.
fn safe_operands(operands: &[Expr], place: Place) -> Option<Vec<Expr>> {
    let mut changed: Option<Vec<Expr>> = None;
    for (i, operand) in operands.iter().enumerate() {
        let safe = safe_expr(operand, place);
        match (&mut changed, safe) {
            (Some(out), safe) => out.push(safe.into_owned()),
            (None, Cow::Borrowed(_)) => {}
            (None, Cow::Owned(safe)) => {
                let mut out = Vec::with_capacity(operands.len());
                out.extend_from_slice(&operands[..i]);
                out.push(safe);
                changed = Some(out);
            }
        }
    }
    changed
}

/// `safe` (or `original` when `None`) with the operands that are themselves
/// ANDs (`and`) or ORs spliced in: a double NOT taken away can leave an AND
/// directly inside an AND, which the parser would flatten.
fn flattened(safe: Option<Vec<Expr>>, original: &[Expr], and: bool) -> Option<Vec<Expr>> {
    let same = |e: &Expr| match e.kind {
        ExprKind::And { .. } => and,
        ExprKind::Or { .. } => !and,
        _ => false,
    };
    if !operands_of(&safe, original).iter().any(same) {
        return safe;
    }
    let mut flat = Vec::new();
    for operand in safe.unwrap_or_else(|| original.to_vec()) {
        match operand.kind {
            ExprKind::And { operands } if and => flat.extend(operands),
            ExprKind::Or { operands } if !and => flat.extend(operands),
            kind => flat.push(Expr::new(kind, operand.span)),
        }
    }
    Some(flat)
}

fn operands_of<'a>(safe: &'a Option<Vec<Expr>>, original: &'a [Expr]) -> &'a [Expr] {
    safe.as_deref().unwrap_or(original)
}

/// `*:* AND operands…`, with the span of `at`.
fn with_match_all(operands: Vec<Expr>, at: &Expr) -> Expr {
    let mut all = Vec::with_capacity(operands.len() + 1);
    all.push(Expr::new(ExprKind::MatchAll, at.span));
    all.extend(operands);
    Expr::new(ExprKind::And { operands: all }, at.span)
}

/// A value that Lucene's grammar cannot take unquoted, quoted: a full
/// timestamp (its `:`) or date math that rounds (its `/`); and a quoted
/// full date with an offset (which Solr rejects, and the parser never
/// leaves in a tree) in UTC, in a range bound too. `None` when the value
/// is safe as it is. Otherwise range bounds are never touched: inside
/// brackets Lucene takes both.
fn safe_value(value: &Value) -> Option<Value> {
    let utc = |v: &Value| match &v.kind {
        ValueKind::Phrase(text) => super::date::offset_date(text).map(|(date, _)| {
            let text = Value::new(ValueKind::Date(Box::new(date)), v.span).to_string();
            Value::new(ValueKind::Phrase(text.into()), v.span)
        }),
        _ => None,
    };
    if let ValueKind::Range(range) = &value.kind {
        let bound = |b: &Bound| match b {
            Bound::Inclusive(v) => utc(v).map(|v| Bound::Inclusive(Box::new(v))),
            Bound::Exclusive(v) => utc(v).map(|v| Bound::Exclusive(Box::new(v))),
            Bound::Unbounded { .. } => None,
        };
        let (lower, upper) = (bound(&range.lower), bound(&range.upper));
        if lower.is_none() && upper.is_none() {
            return None;
        }
        let range = Range {
            lower: lower.unwrap_or_else(|| range.lower.clone()),
            upper: upper.unwrap_or_else(|| range.upper.clone()),
        };
        return Some(Value::new(ValueKind::Range(range), value.span));
    }
    if let Some(utc) = utc(value) {
        return Some(utc);
    }
    let ValueKind::Date(date) = &value.kind else {
        return None;
    };
    let full = matches!(date.anchor, DateAnchor::Full { .. });
    let rounds = date
        .math
        .iter()
        .any(|m| matches!(m, DateMath::Round { .. }));
    (full || rounds).then(|| Value::new(ValueKind::Phrase(value.to_string().into()), value.span))
}

/// Whether a parenthesised group holding `inner` is made only of negations,
/// as Lucene sees it: a `NOT`, or an AND of `NOT`s.
pub(crate) fn is_negative_group(inner: &Expr) -> bool {
    match &inner.kind {
        ExprKind::Not { .. } => true,
        ExprKind::And { operands } => operands
            .iter()
            .all(|o| matches!(o.kind, ExprKind::Not { .. })),
        _ => false,
    }
}

/// `expr` without the values `drop` selects: a clause or value holding one
/// is removed, then a `NOT` left with nothing, an AND/OR or a field group
/// left with no operand; an AND/OR left with one operand gives way to it.
/// `None` when nothing is left. This is what Lucene does with a value that
/// analyses to no word (`lastName:"."`), and what `hsq fmt --fix` does for it.
pub fn without_values(query: &Query, drop: &impl Fn(&Value) -> bool) -> Option<Query> {
    drop_in(&query.root, drop).map(|root| Query { root })
}

fn drop_in(expr: &Expr, drop: &impl Fn(&Value) -> bool) -> Option<Expr> {
    let kind = match &expr.kind {
        ExprKind::And { operands } | ExprKind::Or { operands } => {
            let mut kept: Vec<Expr> = operands.iter().filter_map(|o| drop_in(o, drop)).collect();
            return match kept.len() {
                0 => None,
                1 => kept.pop(),
                _ => Some(Expr::new(
                    if matches!(expr.kind, ExprKind::And { .. }) {
                        ExprKind::And { operands: kept }
                    } else {
                        ExprKind::Or { operands: kept }
                    },
                    expr.span,
                )),
            };
        }
        ExprKind::Not { operand } => ExprKind::Not {
            operand: Box::new(drop_in(operand, drop)?),
        },
        ExprKind::Clause(Clause { field, value }) => ExprKind::Clause(Clause {
            field: field.clone(),
            value: match value {
                ClauseValue::Single { value } if drop(value) => return None,
                ClauseValue::Single { .. } => value.clone(),
                ClauseValue::Group { expr: group } => ClauseValue::Group {
                    expr: Box::new(drop_in(group, drop)?),
                },
            },
        }),
        ExprKind::Boost { operand, boost } => ExprKind::Boost {
            operand: Box::new(drop_in(operand, drop)?),
            boost: boost.clone(),
        },
        ExprKind::Value(value) if drop(value) => return None,
        kind => kind.clone(),
    };
    Some(Expr::new(kind, expr.span))
}
