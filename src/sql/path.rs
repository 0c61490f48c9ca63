//! The way a filtered request sorted by a date or a name reaches its page:
//! walking the sort key's index first, or sorting every match at once.
//!
//! Both give the same answer; which is faster depends on how many records
//! match. [`crate::db`] asks the planner ([`super::estimate`]), reads its
//! row estimate ([`estimated_rows`]) and picks the path ([`path_for`]).
//! A wrong estimate costs time, never a different answer.

use super::walk_length;

/// How a filtered request sorted by a date or a name finds its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePath {
    /// Walk a bounded prefix of the sort key's index, keeping the page when
    /// that prefix holds it; otherwise find, count and sort every match.
    /// Right for any data (the statement [`super::list_customers`] writes).
    WalkFirst,
    /// Find, count and sort every match, without the walk: cheaper when
    /// few records match, since the walk would then read its whole prefix
    /// and find too few.
    SortMatches,
}

/// How many matches, per row of the walk the page would take, are still
/// cheaper to sort than to walk for. A match is read in the table's order
/// (a bitmap scan visits the heap pages in order) at about a third of the
/// cost of a walked row, which visits an index entry and a random heap
/// page: 1.9 us against 6.5 us a row, `EXPLAIN ANALYZE` of a rare last
/// name over a million records (BENCHMARKS.md, section 7). Below this many,
/// sorting the matches costs at most what the walk alone would.
pub const SORT_FACTOR: f64 = 3.0;

/// The path for a request whose filters the planner expects to keep
/// `estimated` records, asking for `page` (1-based).
///
/// ```
/// use helpscout_query::sql::{PagePath, path_for};
/// assert_eq!(path_for(1_728.0, 1), PagePath::SortMatches);
/// assert_eq!(path_for(266_598.0, 1), PagePath::WalkFirst);
/// ```
pub fn path_for(estimated: f64, page: u32) -> PagePath {
    let need = i64::from(page).saturating_mul(crate::customers::PAGE_SIZE as i64);
    // Exact for every walk length (at most a few thousand).
    let walk = walk_length(need) as f64;
    if estimated <= SORT_FACTOR * walk {
        PagePath::SortMatches
    } else {
        PagePath::WalkFirst
    }
}

/// The planner's row estimate from the first line of an `EXPLAIN` in
/// PostgreSQL's text format (`Seq Scan on t  (cost=0.00..1.00 rows=42
/// width=0)`): the `rows=` of the top node. `None` when the line holds none.
///
/// ```
/// use helpscout_query::sql::estimated_rows;
/// let line = "Bitmap Heap Scan on hsq_search s  (cost=45.90..5491.50 rows=1746 width=0)";
/// assert_eq!(estimated_rows(line), Some(1746.0));
/// assert_eq!(estimated_rows("Result"), None);
/// ```
pub fn estimated_rows(first_line: &str) -> Option<f64> {
    // The costs close the line; names before them may hold anything, so
    // the search starts at the line's last "(cost=".
    let costs = first_line.rfind("(cost=").map(|at| &first_line[at..])?;
    let rows = costs
        .find(" rows=")
        .map(|at| &costs[at + " rows=".len()..])?;
    let digits = rows.bytes().take_while(u8::is_ascii_digit).count();
    rows[..digits].parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_is_the_top_nodes_rows() {
        let cases = [
            (
                "Seq Scan on hsq_search s  (cost=0.00..40513.00 rows=1000000 width=4)",
                Some(1e6),
            ),
            (
                "Gather  (cost=1000.00..30000.00 rows=33267 width=4)",
                Some(33_267.0),
            ),
            (
                "Index Scan using \"rows=9 (cost=\" on t  (cost=0.42..8.44 rows=1 width=4)",
                Some(1.0),
            ),
            ("Result  (cost=0.00..0.01 rows=0 width=4)", Some(0.0)),
            ("Result", None),
            ("Seq Scan on t  (cost=0.00..1.00 rows= width=4)", None),
            ("", None),
        ];
        for (line, expected) in cases {
            assert_eq!(estimated_rows(line), expected, "{line}");
        }
    }

    #[test]
    fn few_matches_are_sorted_and_many_walked() {
        // Page 1 walks 1 000 rows (WALK_MIN); page 10 needs 500 matches and
        // walks 4 000 (WALK_MAX).
        assert_eq!(path_for(0.0, 1), PagePath::SortMatches);
        assert_eq!(path_for(3_000.0, 1), PagePath::SortMatches);
        assert_eq!(path_for(3_001.0, 1), PagePath::WalkFirst);
        assert_eq!(path_for(12_000.0, 10), PagePath::SortMatches);
        assert_eq!(path_for(12_001.0, 10), PagePath::WalkFirst);
        assert_eq!(path_for(f64::INFINITY, 1), PagePath::WalkFirst);
        assert_eq!(path_for(1e9, u32::MAX), PagePath::WalkFirst);
    }
}
