//! Matching many documents at once, a batch at a time.
//!
//! Per-document matching walks the tree once per record, so the processor
//! spends its time on the walk and waits for each record's memory in turn.
//! Here each node runs over a batch instead: a leaf is one tight loop over
//! the batch's candidates (specialised for its field and needle), an `AND`
//! narrows the candidates child by child, an `OR` tests each child only on
//! what is still unmatched, a `NOT` takes the complement. The answers are the
//! same as [`Matcher::matches`]; only the order of the work differs.

use super::matcher::{Document, Matcher, Node, Visit, with_leaf};

/// Records per batch: large enough to amortise the walk, small enough for
/// the candidate lists to stay in cache.
const BATCH: usize = 4096;

impl Matcher {
    /// The positions of the items whose document matches, in order.
    ///
    /// ```
    /// use helpscout_query::eval::{Document, Matcher};
    /// use helpscout_query::{ParseOptions, schema, validate};
    /// let typed = validate("firstName:john OR lastName:doe", schema::customers(), &ParseOptions::default()).query.unwrap();
    /// let matcher = Matcher::compile(&typed, jiff::Timestamp::now()).unwrap();
    /// let docs = [
    ///     Document::new(Some("John"), None, [], None, None),
    ///     Document::new(Some("Jane"), None, [], None, None),
    ///     Document::new(Some("Jane"), Some("Doe"), [], None, None),
    /// ];
    /// assert_eq!(matcher.select(&docs, |d| d), [0, 2]);
    /// ```
    pub fn select<T>(&self, items: &[T], document: impl Fn(&T) -> &Document) -> Vec<usize> {
        // One leaf (the commonest query) needs no batches: one loop over all.
        if let Node::Leaf(source, check) = &self.root {
            let scan = Scan {
                items,
                document: &document,
            };
            return with_leaf(*source, check, scan);
        }
        let mut selected = Vec::new();
        let mut out = Vec::with_capacity(BATCH);
        for (batch_index, batch) in items.chunks(BATCH).enumerate() {
            let docs: Vec<&Document> = batch.iter().map(&document).collect();
            let all: Vec<u32> = (0..docs.len() as u32).collect();
            out.clear();
            eval(&self.root, &docs, &all, &mut out);
            let base = batch_index * BATCH;
            selected.extend(out.iter().map(|&i| base + i as usize));
        }
        selected
    }
}

/// Appends to `out` the candidates (ascending positions in `docs`) that match.
fn eval(node: &Node, docs: &[&Document], candidates: &[u32], out: &mut Vec<u32>) {
    match node {
        Node::Leaf(source, check) => with_leaf(
            *source,
            check,
            Batch {
                docs,
                candidates,
                out,
            },
        ),
        Node::And(children) => {
            let mut current = candidates.to_vec();
            for child in children {
                let mut next = Vec::with_capacity(current.len());
                eval(child, docs, &current, &mut next);
                current = next;
                if current.is_empty() {
                    break;
                }
            }
            out.extend_from_slice(&current);
        }
        Node::Or(children) => {
            let mut remaining = candidates.to_vec();
            let mut matched = Vec::new();
            for child in children {
                let mut hits = Vec::new();
                eval(child, docs, &remaining, &mut hits);
                remaining = difference(&remaining, &hits);
                matched.extend_from_slice(&hits);
                if remaining.is_empty() {
                    break;
                }
            }
            matched.sort_unstable();
            out.extend_from_slice(&matched);
        }
        Node::Clause(child) | Node::Boost(child, _) => eval(child, docs, candidates, out),
        Node::Not(child) => {
            let mut hits = Vec::new();
            eval(child, docs, candidates, &mut hits);
            out.extend(difference(candidates, &hits));
        }
    }
}

/// `all` minus `some`, both ascending.
fn difference(all: &[u32], some: &[u32]) -> Vec<u32> {
    let mut rest = Vec::with_capacity(all.len() - some.len().min(all.len()));
    let mut some = some.iter().peekable();
    for &i in all {
        while some.next_if(|&&s| s < i).is_some() {}
        if some.peek() != Some(&&i) {
            rest.push(i);
        }
    }
    rest
}

/// Runs a leaf over the candidates of a batch.
struct Batch<'a, 'd> {
    docs: &'a [&'d Document],
    candidates: &'a [u32],
    out: &'a mut Vec<u32>,
}

impl Visit<Document> for Batch<'_, '_> {
    type Out = ();
    #[inline]
    fn visit(self, test: impl Fn(&Document) -> bool) {
        let docs = self.docs;
        self.out.extend(
            self.candidates
                .iter()
                .copied()
                .filter(|&i| docs.get(i as usize).is_some_and(|d| test(d))),
        );
    }
}

/// Runs a leaf over every item: the whole selection of a one-leaf query.
struct Scan<'a, T, F> {
    items: &'a [T],
    document: &'a F,
}

impl<T, F: Fn(&T) -> &Document> Visit<Document> for Scan<'_, T, F> {
    type Out = Vec<usize>;
    #[inline]
    fn visit(self, test: impl Fn(&Document) -> bool) -> Vec<usize> {
        let document = self.document;
        self.items
            .iter()
            .enumerate()
            .filter(|(_, item)| test(document(item)))
            .map(|(i, _)| i)
            .collect()
    }
}
