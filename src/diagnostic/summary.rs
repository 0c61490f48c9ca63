//! Bounded lists of diagnostics: repeats grouped, lists capped.
//!
//! A hostile query can hold a diagnostic every two bytes (`a a a …` is one
//! implicit operator per space, `)))…` one stray parenthesis per byte). A
//! person cannot read thirty thousand copies of the same warning, and a
//! program should not have to hold them. So every list of diagnostics that
//! leaves the syntax stage (and [`validate`](crate::validate)) is condensed:
//!
//! - **grouping**: when [`GROUP_AT`] or more diagnostics of one list have the
//!   same code and message, they become one, at the first place, that says
//!   how many places it stands for and where the last one is
//!   ([`Repeats`]);
//! - **capping**: then at most [`MAX_LISTED`] errors and [`MAX_LISTED`]
//!   warnings are kept (the first ones, in the list's order), and the
//!   number left out is counted ([`Omitted`]) and reported as one closing
//!   diagnostic, `more-diagnostics`.
//!
//! Lists shorter than [`GROUP_AT`] are returned as they are, without any
//! work, so the common case costs nothing.

use std::collections::HashMap;
use std::hash::Hash;

use super::{Code, Diagnostic, Severity};
use crate::syntax::ast::Span;

/// How many diagnostics with the same code and message make a group.
pub const GROUP_AT: usize = 10;

/// The most errors, and the most warnings, a list keeps.
pub const MAX_LISTED: usize = 100;

/// The places a grouped diagnostic stands for, beyond its own span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeats {
    /// How many places in all, the first (the diagnostic's span) included.
    pub count: usize,
    /// The last place.
    pub last: Span,
}

impl Repeats {
    /// The text appended to a grouped diagnostic's message.
    pub fn suffix(&self) -> String {
        format!(
            " (here and in {} more places like it, the last at byte {})",
            self.count - 1,
            self.last.start
        )
    }
}

/// How many diagnostics were left out of capped lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Omitted {
    /// Errors left out.
    pub errors: usize,
    /// Warnings left out.
    pub warnings: usize,
}

impl Omitted {
    /// Whether nothing was left out.
    pub fn is_none(&self) -> bool {
        self.errors == 0 && self.warnings == 0
    }

    /// The closing diagnostic that says what was left out, if anything was.
    /// It is an error when errors were left out, a warning otherwise; its
    /// span is empty, at `at`.
    pub fn note(&self, at: usize) -> Option<Diagnostic> {
        if self.is_none() {
            return None;
        }
        let count = |n: usize, what: &str| match n {
            0 => None,
            1 => Some(format!("1 more {what}")),
            n => Some(format!("{n} more {what}s")),
        };
        let parts: Vec<String> = [count(self.errors, "error"), count(self.warnings, "warning")]
            .into_iter()
            .flatten()
            .collect();
        Some(Diagnostic {
            severity: if self.errors > 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            code: Code::MoreDiagnostics,
            message: format!("{} not listed", parts.join(" and ")),
            span: Span::empty(at),
            hint: Some(format!(
                "at most {MAX_LISTED} errors and {MAX_LISTED} warnings are listed; fix these first"
            )),
        })
    }
}

/// Groups and caps `items` (see the module doc). `key` tells which items
/// are the same diagnostic, `span` where one is, `is_error` its severity,
/// and `group` records on the first item of a group the places it stands
/// for. Returns the items kept and how many were left out.
pub(crate) fn condense<T, K: Hash + Eq>(
    items: Vec<T>,
    key: impl Fn(&T) -> K,
    span: impl Fn(&T) -> Span,
    is_error: impl Fn(&T) -> bool,
    group: impl Fn(&mut T, Repeats),
) -> (Vec<T>, Omitted) {
    let mut omitted = Omitted::default();
    if items.len() < GROUP_AT {
        return (items, omitted);
    }
    // Pass one: which group each item is in, and each group's size and last place.
    let mut ids: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<(usize, Span)> = Vec::new();
    let mut of_item: Vec<usize> = Vec::with_capacity(items.len());
    for item in &items {
        let next = groups.len();
        let id = *ids.entry(key(item)).or_insert(next);
        if id == next {
            groups.push((0, span(item)));
        }
        groups[id].0 += 1;
        groups[id].1 = span(item);
        of_item.push(id);
    }
    drop(ids);
    // Pass two: keep the first item of each big group and every item of a
    // small one, up to the caps.
    let mut seen = vec![false; groups.len()];
    let (mut errors, mut warnings) = (0usize, 0usize);
    let mut kept = Vec::new();
    for (mut item, id) in items.into_iter().zip(of_item) {
        let (count, last) = groups[id];
        if count >= GROUP_AT {
            if seen[id] {
                continue;
            }
            seen[id] = true;
            group(&mut item, Repeats { count, last });
        }
        let error = is_error(&item);
        let (listed, left_out) = if error {
            (&mut errors, &mut omitted.errors)
        } else {
            (&mut warnings, &mut omitted.warnings)
        };
        if *listed < MAX_LISTED {
            *listed += 1;
            kept.push(item);
        } else {
            *left_out += 1;
        }
    }
    (kept, omitted)
}

/// Groups and caps a list of rendered diagnostics of any stage, then closes
/// it with the `more-diagnostics` note for what this and earlier caps
/// (`earlier`) left out.
pub fn condense_diagnostics(diagnostics: Vec<Diagnostic>, earlier: Omitted) -> Vec<Diagnostic> {
    let (mut kept, omitted) = condense(
        diagnostics,
        |d| (d.severity == Severity::Error, d.code, d.message.clone()),
        |d| d.span,
        |d| d.severity == Severity::Error,
        |d, repeats| d.message.push_str(&repeats.suffix()),
    );
    let total = Omitted {
        errors: earlier.errors + omitted.errors,
        warnings: earlier.warnings + omitted.warnings,
    };
    kept.extend(total.note(0));
    kept
}
