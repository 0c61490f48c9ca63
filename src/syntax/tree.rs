//! Operations on syntax trees that both the parser and the builder need:
//! joining operands, measuring nesting as the canonical form nests, and
//! which names can be fields. The builder depends on these, never on the
//! parser.

use super::ast::{Clause, ClauseValue, Expr, ExprKind, Span};
use super::options::Operator;

/// Whether `name` can be written as a field: `[A-Za-z_][A-Za-z0-9_.]*`,
/// and not an operator keyword (`AND:x` reads as the operator).
pub(crate) fn is_field_name(name: &str) -> bool {
    // By bytes: every byte of a non-ASCII character fails both tests.
    let bytes = name.as_bytes();
    bytes
        .first()
        .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        && bytes[1..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && (name.len() > 3 || !matches!(name, "AND" | "OR" | "NOT"))
}

/// Where a node stands for [`level`]: at the root of the query or of a
/// field group, directly inside an OR, or elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Root,
    InOr,
    Inner,
}

impl Place {
    /// The place of the operands of `parent`.
    fn of_operands(parent: &Expr) -> Place {
        match parent.kind {
            ExprKind::Or { .. } => Place::InOr,
            _ => Place::Inner,
        }
    }
}

/// The nesting `expr` adds to the canonical form: one for a `NOT`, a field
/// group, or an AND/OR that is not the root of the query or of a group (it is
/// parenthesised there); none for a leaf. A `NOT` directly inside an OR is
/// two: the canonical form writes it `(*:* AND NOT x)` (see
/// [`syntax::safe`](super::safe)).
fn level(expr: &Expr, place: Place) -> usize {
    match &expr.kind {
        ExprKind::And { .. } | ExprKind::Or { .. } => usize::from(place != Place::Root),
        ExprKind::Not { .. } if place == Place::InOr => 2,
        // A boost parenthesises any operand but a leaf (`(a^2)^3`);
        // `firstName:john^2` nests nothing. A boosted NOT is two, as a NOT
        // in an OR: the canonical form writes it `(*:* AND NOT x)^2`.
        ExprKind::Boost { operand, .. } => match operand.kind {
            ExprKind::Clause(_) | ExprKind::Value(_) | ExprKind::MatchAll => 0,
            ExprKind::Not { .. } => 2,
            _ => 1,
        },
        ExprKind::Not { .. }
        | ExprKind::Clause(Clause {
            value: ClauseValue::Group { .. },
            ..
        }) => 1,
        ExprKind::Clause(_) | ExprKind::Value(_) | ExprKind::MatchAll => 0,
    }
}

/// Where the first node nesting deeper than `max` starts (its `NOT`, its `(`,
/// or its first operand), if any. Iterative: the tree may be deeper than the
/// limit here.
pub(crate) fn first_too_deep(root: &Expr, max: usize) -> Option<usize> {
    // A lone clause or value nests nothing: no walk, no stack.
    if let ExprKind::Value(_)
    | ExprKind::Clause(Clause {
        value: ClauseValue::Single { .. },
        ..
    }) = root.kind
    {
        return None;
    }
    let mut stack = vec![(root, 0usize, Place::Root)];
    while let Some((expr, above, place)) = stack.pop() {
        let depth = above + level(expr, place);
        match &expr.kind {
            ExprKind::Clause(Clause {
                value: ClauseValue::Group { expr: group },
                ..
            }) if depth > max => return Some(group.span.start),
            _ if depth > max => return Some(expr.span.start),
            ExprKind::And { operands } | ExprKind::Or { operands } => {
                let place = Place::of_operands(expr);
                stack.extend(operands.iter().rev().map(|o| (o, depth, place)));
            }
            ExprKind::Not { operand } | ExprKind::Boost { operand, .. } => {
                stack.push((operand, depth, Place::Inner))
            }
            ExprKind::Clause(Clause {
                value: ClauseValue::Group { expr: group },
                ..
            }) => stack.push((group, depth, Place::Root)),
            ExprKind::Clause(_) | ExprKind::Value(_) | ExprKind::MatchAll => {}
        }
    }
    None
}

/// Joins operands with `op`, flattening operands that are already `op` chains.
/// One operand is returned as is. The span runs from the first operand to the
/// last as written, parentheses included.
pub(crate) fn join(mut operands: Vec<Expr>, op: Operator) -> Expr {
    if operands.len() == 1 {
        if let Some(only) = operands.pop() {
            return only;
        }
    }
    let span = match (operands.first(), operands.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => Span::default(),
    };
    let same = |expr: &Expr| match op {
        Operator::And => matches!(expr.kind, ExprKind::And { .. }),
        Operator::Or => matches!(expr.kind, ExprKind::Or { .. }),
    };
    // Nothing to flatten (the common case): the operands are the node's.
    let flat = if !operands.iter().any(same) {
        operands
    } else {
        flatten(operands, op)
    };
    let kind = match op {
        Operator::And => ExprKind::And { operands: flat },
        Operator::Or => ExprKind::Or { operands: flat },
    };
    Expr::new(kind, span)
}

/// The operands of `op` with those that are `op` chains spliced in.
fn flatten(operands: Vec<Expr>, op: Operator) -> Vec<Expr> {
    let mut flat = Vec::with_capacity(operands.len());
    for operand in operands {
        match (op, operand.kind) {
            (Operator::And, ExprKind::And { operands: inner })
            | (Operator::Or, ExprKind::Or { operands: inner }) => flat.extend(inner),
            (_, kind) => flat.push(Expr::new(kind, operand.span)),
        }
    }
    flat
}
