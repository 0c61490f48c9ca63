//! The sizes of the syntax tree's nodes (BENCHMARKS.md §1, issue 14): every
//! node is moved through the grammar's rules, so growth here costs parse
//! speed. Run with `--nocapture` to print them.

use helpscout_query::syntax::ast::{Clause, ClauseValue, Expr, ExprKind, Field, Value, ValueKind};
use std::mem::size_of;

/// On 64-bit targets, the sizes measured for issue 14 (before it: `Expr`
/// 120, `ValueKind` 48). A change that grows a node should be measured
/// with callgrind (BENCHMARKS.md §1) before this table is updated.
#[test]
fn node_sizes() {
    let sizes = [
        ("Expr", size_of::<Expr>(), 112),
        ("ExprKind", size_of::<ExprKind>(), 96),
        ("Clause", size_of::<Clause>(), 96),
        ("ClauseValue", size_of::<ClauseValue>(), 56),
        ("Field", size_of::<Field>(), 40),
        ("Value", size_of::<Value>(), 56),
        ("ValueKind", size_of::<ValueKind>(), 40),
    ];
    for (name, size, _) in sizes {
        println!("{name}: {size}");
    }
    if cfg!(target_pointer_width = "64") {
        for (name, size, expected) in sizes {
            assert_eq!(size, expected, "size_of::<{name}>()");
        }
    }
}
