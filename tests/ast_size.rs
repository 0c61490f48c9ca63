//! The sizes of the syntax tree's nodes (BENCHMARKS.md §1, issue 14): every
//! node is moved through the grammar's rules, so growth here costs parse
//! speed. Run with `--nocapture` to print them.

use helpscout_query::syntax::ast::{Clause, ClauseValue, Expr, ExprKind, Field, Value, ValueKind};
use std::mem::size_of;

#[test]
fn node_sizes() {
    let sizes = [
        ("Expr", size_of::<Expr>()),
        ("ExprKind", size_of::<ExprKind>()),
        ("Clause", size_of::<Clause>()),
        ("ClauseValue", size_of::<ClauseValue>()),
        ("Field", size_of::<Field>()),
        ("Value", size_of::<Value>()),
        ("ValueKind", size_of::<ValueKind>()),
    ];
    for (name, size) in sizes {
        println!("{name}: {size}");
    }
}
