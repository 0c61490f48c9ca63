//! Fuzzy terms (`john~1`) against single tokens, as Lucene's `FuzzyQuery`
//! with transpositions: the optimal string alignment distance (insertions,
//! deletions, substitutions, and swaps of two adjacent characters, each
//! character edited once), counted in code points, at most `k` (≤ 2).
//!
//! The dynamic programme only fills the diagonal band `|i - j| ≤ k`: cells
//! outside it exceed `k` anyway. So a token costs O(len × (2k + 1)), linear
//! whatever the lengths, and tokens whose length differs by more than `k`
//! are rejected at once.

/// Whether `token` is within `k` edits of `term`.
pub(super) fn within(term: &[char], token: &str, k: usize) -> bool {
    let n = token.chars().count();
    let m = term.len();
    if n.abs_diff(m) > k {
        return false;
    }
    let token: Vec<char> = token.chars().collect();
    let big = k + 1;
    // Rows i - 2, i - 1 and i of the distance table, over j in 0..=m.
    let mut before: Vec<usize> = vec![big; m + 1];
    let mut previous: Vec<usize> = (0..=m).map(|j| j.min(big)).collect();
    let mut current: Vec<usize> = vec![big; m + 1];
    for i in 1..=n {
        let from = i.saturating_sub(k).max(1);
        let to = (i + k).min(m);
        // Only the band is written; the cells just outside it read as
        // "too far" (rows are reused, so they are reset here, not filled).
        current[from - 1] = if from == 1 { i.min(big) } else { big };
        if to < m {
            current[to + 1] = big;
        }
        let mut best = current[from - 1];
        for j in from..=to {
            let cost = usize::from(token[i - 1] != term[j - 1]);
            let mut d = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && token[i - 1] == term[j - 2] && token[i - 2] == term[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d.min(big);
            best = best.min(current[j]);
        }
        if best > k {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[m] <= k
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fuzzy(term: &str, token: &str, k: usize) -> bool {
        within(&term.chars().collect::<Vec<_>>(), token, k)
    }

    /// The full table, no band: the definition.
    fn distance(a: &[char], b: &[char]) -> usize {
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j - 1] + cost)
                    .min(d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn table() {
        let cases = [
            ("john", "john", 0, true),
            ("jonh", "john", 1, true),
            ("jonh", "john", 0, false),
            ("jhn", "john", 1, true),
            ("johnn", "john", 1, true),
            ("jane", "john", 2, false),
            ("jone", "john", 2, true),
            ("ca", "abc", 2, false),
            ("smtih", "smith", 1, true),
            ("ab", "", 2, true),
            ("abc", "", 2, false),
            ("zoe", "zoë", 1, true),
        ];
        for (term, token, k, expected) in cases {
            assert_eq!(fuzzy(term, token, k), expected, "{term}~{k} {token}");
        }
    }

    #[test]
    fn long_tokens_cost_a_band() {
        let long = "a".repeat(1 << 20);
        let term: Vec<char> = format!("{}b", "a".repeat((1 << 20) - 1)).chars().collect();
        assert!(within(&term, &long, 1));
        assert!(!within(&term, &long, 0));
    }

    proptest! {
        #[test]
        fn agrees_with_the_full_table(a in "[abcé]{0,8}", b in "[abcé]{0,8}", k in 0usize..3) {
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            prop_assert_eq!(within(&ac, &b, k), distance(&bc, &ac) <= k, "{} {} {}", a, b, k);
        }
    }
}
