//! Text to [`Query`], with errors, warnings and recovery: the driver
//! around the grammar.
//!
//! The grammar itself, one nom parser per EBNF rule, is
//! `syntax::grammar` (its EBNF heads that module, and
//! `grammar.md` gives every decision). This module runs it over the query
//! (cut at `max_length`), then checks the finished tree: its depth, and the
//! warnings that need the whole tree (a NOT inside an OR, a group made only
//! of negations). Precedence is NOT > AND > OR; the implicit operator binds
//! like the one it stands for (`ParseOptions::default_operator`).
//!
//! Depth. `max_depth` bounds the tree as its canonical form nests it, so
//! that the canonical form of every accepted query is accepted too: a `NOT`,
//! a field group, and an AND/OR inside another operator (which the canonical
//! form parenthesises, including the AND groups that precedence implies in
//! `a AND b OR c`) are one level each; the parentheses around the whole
//! query and redundant ones are not. This is checked on the finished tree
//! (`limit_depth`). While reading, parentheses and `NOT`s may nest
//! one level past `max_depth` (room for the canonical form's outer pair) and
//! no further, which is what bounds the recursion.
//!
//! The grammar always recovers: an error is recorded and parsing goes on as
//! the lenient mode would. Strict parsing is the same run, failing when any
//! error was recorded; so the lenient mode is not a second grammar.

use super::ast::{Clause, ClauseValue, Expr, ExprKind, Query, Span};
use super::diagnostic::{Error, ErrorKind, Warning, WarningKind};
use super::grammar::{self, In, Lexing, READING_MAX, State};
use super::options::{Operator, ParseOptions};
use super::print;
use super::tree::first_too_deep;
use crate::diagnostic::summary::{Omitted, condense};

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

/// Parses `input`, recovering from every error. Inlined into its two
/// callers (`parse_with`, `parse_lenient_with`), which take the outcome
/// apart where it is made rather than copy it (BENCHMARKS.md §1, fourth
/// round).
#[inline(always)]
pub(crate) fn parse_recovering(input: &str, options: &ParseOptions) -> Outcome {
    parse_lexing(input, options, Lexing::Fast)
}

/// [`parse_recovering`], with the lexical rules' fast paths or without
/// them (the property test that compares the two: `syntax::fast_paths`).
#[inline(always)]
pub(crate) fn parse_lexing(input: &str, options: &ParseOptions, lexing: Lexing) -> Outcome {
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
    let mut state = State::new(options, errors);
    state.lexing = lexing;
    let mut root = grammar::query(In::new(source, &state));
    // A reading never deeper than `d` gives a tree at most `4d + 3` deep
    // (`limit_depth`): most trees need no check, and are not moved.
    if 4 * state.max_nesting.get() + 3 > state.max_depth {
        root = root.and_then(|root| limit_depth(&state, source, root));
    }
    if root.is_none() && state.error_count() == 0 {
        state.error(ErrorKind::EmptyQuery, Span::empty(0));
    }
    if let Some(root) = &root {
        lucene_warnings(&state, source, root);
    }
    // A repair never changes what the query selects: past the length limit
    // the rest of the text is lost, and past the depth limit what could not
    // be read, so there is no repaired query then (the errors say why).
    let truncated = source.len() < input.len();
    if truncated || state.lost_to_depth.get() {
        root = None;
    }
    let State {
        errors, warnings, ..
    } = state;
    let mut warnings = warnings.into_inner();
    let errors = errors.into_inner();
    if errors.is_empty() && warnings.is_empty() {
        // Nothing to sort or condense (most queries).
        return Outcome {
            query: root.map(|root| Query { root }),
            errors,
            warnings,
            omitted: Omitted::default(),
        };
    }
    // Warnings are found out of order: an implicit operator once the operand
    // after it is read, a mixed AND/OR once its sequence ends.
    warnings.sort_by_key(|warning| warning.span.start);
    let (errors, omitted_errors) = condense(
        errors,
        |e| (e.kind.code(), e.kind.to_string()),
        |e| e.span,
        |_| true,
        |e, repeats| e.repeats = Some(repeats),
    );
    let (warnings, omitted_warnings) = condense(
        warnings,
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

/// Enforces `max_depth` on the finished tree, as the canonical form nests
/// it: reports the first node past the limit. The lenient repair then
/// only does what keeps the meaning: it cancels `NOT NOT` pairs. When
/// the tree is still too deep, nothing can be dropped without changing
/// what the query selects, so the repair gives up (`lost_to_depth`).
fn limit_depth(state: &State, src: &str, root: Expr) -> Option<Expr> {
    // Along any path of the tree, a parenthesis read adds at most four
    // levels to the canonical form (the OR and the AND inside it, and a
    // boost around it, two when it boosts a NOT), a field group three (the
    // group and its AND), a `NOT` two (in an OR), and the top at most three:
    // a reading never deeper than `d` gives a tree at most `4d + 3` deep,
    // and a shallow reading needs no walk.
    if 4 * state.max_nesting.get() + 3 <= state.max_depth {
        return Some(root);
    }
    let Some(start) = first_too_deep(&root, state.max_depth) else {
        return Some(root);
    };
    let rest = &src[start..];
    let len = if rest.starts_with("NOT") {
        3
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    state.too_deep(Span::new(start, start + len));
    let mut root = root;
    // Cancelling negations never removes an AND/OR or a field group, so
    // past `max_depth + 2` of those nothing can bring the tree back.
    let reduced = cancel_double_negations(&mut root, state.max_depth + 2);
    if !reduced || first_too_deep(&root, state.max_depth).is_some() {
        state.lost_to_depth.set(true);
        return None;
    }
    Some(root)
}

/// The warnings where Lucene's classic parser reads the finished tree
/// otherwise than boolean logic: a NOT inside an OR, and a group made
/// only of negations that is not the whole query.
#[inline]
fn lucene_warnings(state: &State, src: &str, root: &Expr) {
    // Without a NOT there is no NOT inside an OR; a lone clause or value
    // has no OR and no group: no walk (and no call).
    let negative_groups = state.negative_groups.take();
    if negative_groups.is_empty()
        && (!state.negated.get()
            || matches!(
                root.kind,
                ExprKind::Value(_)
                    | ExprKind::MatchAll
                    | ExprKind::Clause(Clause {
                        value: ClauseValue::Single { .. },
                        ..
                    })
            ))
    {
        return;
    }
    walk_lucene_warnings(state, src, root, negative_groups);
}

/// [`lucene_warnings`] once a walk is needed.
#[inline(never)]
fn walk_lucene_warnings(
    state: &State,
    src: &str,
    root: &Expr,
    negative_groups: Vec<(Span, String)>,
) {
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
    let mut negative_groups = negative_groups;
    negative_groups.retain(|(span, _)| not_starts.binary_search(&span.start).is_err());
    for not in found {
        let safe = format!(
            "(*:* AND {})",
            print::expr_to_string_capped(not, READING_MAX)
        );
        state.warn(WarningKind::NotInOr { safe }, not.span);
    }
    // The whole query is what stands between leading `(` and trailing
    // `)`: Lucene's parser returns such a group as the query itself.
    let bytes = src.as_bytes();
    let lead = bytes
        .iter()
        .position(|&b| b != b'(' && !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let trail = bytes
        .iter()
        .rposition(|&b| b != b')' && !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    for (span, safe) in negative_groups {
        if !(span.start <= lead && span.end >= trail) {
            state.warn(WarningKind::NegativeGroup { safe }, span);
        }
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
