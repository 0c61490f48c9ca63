//! The shapes of the records seen so far, so that the quick check
//! ([`super::quick`]) of a line that only needs validating (with a
//! prefilter, most lines) can replay a known shape instead of reading the
//! grammar token by token. The replay also says where the record's text
//! fields are, for the prefilter ([`Shapes::texts`]).
//!
//! A record the quick check vouched for is, to that check, a sequence of
//! fixed bytes (punctuation, whitespace, keys, `true`/`false`/`null`) and
//! values whose content varies (strings, numbers, ids, timestamps), each
//! checked by one of the check's steps ([`Value`]). Records written by one
//! program (an export of the API, the benchmark's generator) come in a few
//! such shapes: the same keys in the same order, arrays of a few lengths.
//! The shapes learnt are kept as a trie of steps (the fixed bytes before a
//! value, and how the value is checked), and a new line is vouched for when
//! it follows a path of the trie to its end: each fixed run compared as
//! bytes, each value checked by the very code the quick check runs
//! ([`quick::value_at`]).
//!
//! Why that is exact: the quick check is deterministic, and what it does
//! next depends only on the bytes it has read outside values (which keys,
//! which brackets, where whitespace is) and on the kind of the value being
//! read, never on a value's content beyond the check of that value. Two
//! records that share a path's fixed bytes and whose values pass the same
//! checks therefore take the quick check through the same states, and the
//! check vouches for both or neither; a trie path that mixes the beginning
//! of one learnt record with the end of another is sound for the same
//! reason (both were in the same state where they part). A line that leaves
//! every path is checked by the quick check itself, which also teaches the
//! trie its shape. `agreement/shapes.rs` checks that this answers exactly
//! what the quick check answers (the same `mailboxIds` answer too), and
//! that the texts are exactly the strings the scanner reads as text.
//!
//! Each worker has its own trie (no locks), bounded: 4 096 nodes, 256 KiB
//! of fixed runs, 16 children a node, records up to 16 KiB. Where most
//! lines miss it and it can learn no more, it stands aside for a while.
//!
//! It must never report an error: like the quick check, it answers "valid"
//! or "not sure".

use super::super::json;
use super::quick::{self, Listener, Value, Vouched};

/// No node (the root is never a child).
const NONE: u32 = 0;

/// The most nodes kept, and the most bytes of fixed runs: past them, no new
/// shape is learnt (a file of ever-new shapes costs a bounded cache, and
/// then the replay stands aside, see [`Shapes::vouch`]).
const MAX_NODES: usize = 4096;
const MAX_BYTES: usize = 256 * 1024;

/// The most children a node gets: a replay tries them one after the other
/// (a key that changes from record to record would otherwise make a node
/// with thousands).
const MAX_CHILDREN: usize = 16;

/// Lines between two judgements of whether replaying pays.
const WINDOW: u32 = 256;

/// A worker's learnt shapes, and its buffers.
#[derive(Debug)]
pub(crate) struct Shapes {
    /// The trie; `nodes[0]` is the root.
    nodes: Vec<Node>,
    /// The bytes of all fixed runs.
    bytes: usize,
    /// The values the quick check read in the last line it checked.
    trace: Trace,
    /// The text fields of the last line vouched for.
    texts: Vec<(usize, usize)>,
    /// Whether new shapes are still learnt (until the bounds are reached).
    learning: bool,
    /// Lines replayed and missed in the current window.
    replayed: u32,
    missed: u32,
    /// Lines left before the replay is tried again, after a window where
    /// most lines missed and nothing more could be learnt.
    resting: u32,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes {
            nodes: vec![Node {
                fixed: Box::default(),
                step: Step::Root,
                first_child: NONE,
                next_sibling: NONE,
            }],
            bytes: 0,
            trace: Trace::default(),
            texts: Vec::new(),
            learning: true,
            replayed: 0,
            missed: 0,
            resting: 0,
        }
    }
}

/// One step of a shape: fixed bytes, then a value (or the record's end).
#[derive(Debug, Clone)]
struct Node {
    /// The fixed run.
    fixed: Box<[u8]>,
    step: Step,
    first_child: u32,
    next_sibling: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Root,
    /// A value checked as this, after the fixed run.
    Value(Value),
    /// The end of the record, right after the fixed run; and what the quick
    /// check answers for the records of this path.
    End(Vouched),
}

/// The values of one record, as the quick check reads them.
#[derive(Debug, Default)]
struct Trace {
    values: Vec<(Value, usize, usize)>,
}

impl Listener for Trace {
    #[inline]
    fn value(&mut self, kind: Value, start: usize, end: usize) {
        self.values.push((kind, start, end));
    }
}

impl Shapes {
    /// What [`quick::vouch`] answers for `text`: `Some` when it is UTF-8
    /// and the scanner certainly accepts it, `None` when it might not. When
    /// `Some`, [`Self::texts`] are where its text fields are. (Streaming
    /// asks [`Self::replay_line`], then [`Self::vouch_missed`].)
    #[cfg(test)]
    pub(crate) fn vouch(&mut self, text: &[u8]) -> Option<Vouched> {
        self.texts.clear();
        if self.resting > 0 {
            self.resting -= 1;
            return self.check(text);
        }
        let replayed =
            replay(&self.nodes, text, End::Text, &mut self.texts).map(|(vouched, ..)| vouched);
        self.count(replayed.is_some());
        if replayed.is_some() {
            return replayed;
        }
        self.vouch_missed(text)
    }

    /// The quick check's answer for the record at the start of `text` (a
    /// piece of NDJSON from a line's start), by replay only: `Some` with
    /// the record's length and the line's (where its newline is, or the end
    /// of `text`) when a learnt shape leads to the record's end and only
    /// whitespace follows it on the line; [`Self::texts`] then holds its
    /// text fields. `None` when the replay stands aside or misses: then the
    /// caller finds the line's end and asks [`Self::vouch_missed`].
    pub(crate) fn replay_line(&mut self, text: &[u8]) -> Option<(Vouched, usize, usize)> {
        if self.resting > 0 {
            return None;
        }
        let replayed = self.replay_line_only(text);
        self.count(replayed.is_some());
        replayed
    }

    /// [`Self::replay_line`] whether or not the replay stands aside, and
    /// uncounted.
    fn replay_line_only(&mut self, text: &[u8]) -> Option<(Vouched, usize, usize)> {
        self.texts.clear();
        let replayed = replay(&self.nodes, text, End::Line, &mut self.texts);
        // The record must be the line's, trimmed (so it is, where the
        // shapes were learnt from trimmed lines).
        replayed.filter(|&(_, len, _)| {
            len > 0 && !json::is_json_space(text[0]) && !json::is_json_space(text[len - 1])
        })
    }

    /// [`Self::replay_line_only`], for tests.
    #[cfg(test)]
    pub(crate) fn replay_line_for_tests(&mut self, text: &[u8]) -> Option<(Vouched, usize, usize)> {
        self.replay_line_only(text)
    }

    /// [`Self::vouch`] after [`Self::replay_line`] missed: the quick check,
    /// which teaches the trie the record's shape.
    pub(crate) fn vouch_missed(&mut self, text: &[u8]) -> Option<Vouched> {
        self.texts.clear();
        if self.resting > 0 {
            self.resting -= 1;
            return self.check(text);
        }
        let vouched = self.check(text)?;
        if self.learning {
            self.learn(text, vouched);
        }
        Some(vouched)
    }

    /// Counts a replay, and whether it found a shape.
    fn count(&mut self, hit: bool) {
        self.replayed += 1;
        self.missed += u32::from(!hit);
        if self.replayed == WINDOW {
            // Replaying costs a little on lines it misses: where most do,
            // and no more can be learnt, it stands aside for a while.
            if !self.learning && self.missed * 2 > self.replayed {
                self.resting = WINDOW * 16;
            }
            (self.replayed, self.missed) = (0, 0);
        }
    }

    /// The contents of the text fields (`firstName`, `lastName`, each
    /// email's `value`: what the matcher reads as text) of the record last
    /// vouched for, as byte ranges of it: strings without escapes, so their
    /// bytes are their text.
    pub(crate) fn texts(&self) -> &[(usize, usize)] {
        &self.texts
    }

    /// The quick check itself, its values traced.
    fn check(&mut self, text: &[u8]) -> Option<Vouched> {
        self.trace.values.clear();
        let vouched = quick::vouch_telling(text, &mut self.trace)?;
        self.texts.extend(
            self.trace
                .values
                .iter()
                .filter(|(kind, ..)| *kind == Value::Text)
                // Without the closing quote.
                .map(|&(_, start, end)| (start, end - 1)),
        );
        Some(vouched)
    }

    /// The most children a node has, for tests.
    #[cfg(test)]
    pub(crate) fn widest_for_tests(&self) -> usize {
        self.nodes
            .iter()
            .map(|node| {
                let (mut count, mut child) = (0, node.first_child);
                while child != NONE {
                    count += 1;
                    child = self.nodes[child as usize].next_sibling;
                }
                count
            })
            .max()
            .unwrap_or(0)
    }

    /// The replay alone, for tests: its answer and the texts it found.
    #[cfg(test)]
    pub(crate) fn replay_for_tests(&self, text: &[u8]) -> (Option<Vouched>, Vec<(usize, usize)>) {
        let mut texts = Vec::new();
        let vouched = replay(&self.nodes, text, End::Text, &mut texts).map(|(vouched, ..)| vouched);
        (vouched, texts)
    }

    /// Adds the shape of `text` (just vouched for, its values in the trace)
    /// to the trie, unless that would pass the bounds (then learning stops)
    /// or the record is too large to be worth it, or it would give a node
    /// too many children (then it is not learnt).
    fn learn(&mut self, text: &[u8], vouched: Vouched) {
        let steps = self.trace.values.len() + 1;
        if text.len() > MAX_BYTES / 16 {
            return;
        }
        if self.nodes.len() + steps > MAX_NODES || self.bytes + text.len() > MAX_BYTES {
            self.learning = false;
            return;
        }
        let (mut node, mut from) = (Some(0), 0);
        let values = std::mem::take(&mut self.trace.values);
        for &(kind, start, end) in &values {
            // (A path cut short only costs a few nodes, within the bounds.)
            node = node.and_then(|node| self.child(node, &text[from..start], Step::Value(kind)));
            from = end;
        }
        if let Some(node) = node {
            self.child(node, &text[from..], Step::End(vouched));
        }
        self.trace.values = values;
    }

    /// The child of `node` for `fixed` then `step`, added (last, so that
    /// the shapes seen first are tried first) if there is none and the node
    /// has fewer than [`MAX_CHILDREN`].
    fn child(&mut self, node: usize, fixed: &[u8], step: Step) -> Option<usize> {
        let mut last = None;
        let mut children = 0;
        let mut child = self.nodes[node].first_child;
        while child != NONE {
            let c = &self.nodes[child as usize];
            if c.step == step && *c.fixed == *fixed {
                return Some(child as usize);
            }
            last = Some(child as usize);
            children += 1;
            child = c.next_sibling;
        }
        if children >= MAX_CHILDREN {
            return None;
        }
        // Within the bounds (checked by the caller), so the casts hold.
        let new = self.nodes.len();
        self.nodes.push(Node {
            fixed: fixed.into(),
            step,
            first_child: NONE,
            next_sibling: NONE,
        });
        self.bytes += fixed.len();
        match last {
            Some(last) => self.nodes[last].next_sibling = new as u32,
            None => self.nodes[node].first_child = new as u32,
        }
        Some(new)
    }
}

/// Where a replayed record must end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// At the end of the text.
    #[cfg_attr(not(test), allow(dead_code))]
    Text,
    /// Before JSON whitespace up to a newline or the end of the text.
    Line,
}

/// Follows the trie (`nodes`) along `text`: the quick check's answer for
/// the record a path leads to the end of (as `end` says), its length and
/// the line's; else `None`. The ranges of the record's text fields' contents are
/// pushed on `texts`.
fn replay(
    nodes: &[Node],
    text: &[u8],
    end: End,
    texts: &mut Vec<(usize, usize)>,
) -> Option<(Vouched, usize, usize)> {
    let (mut node, mut at) = (0, 0);
    'steps: loop {
        let mut child = nodes[node].first_child;
        while child != NONE {
            let next = &nodes[child as usize];
            let fixed = &*next.fixed;
            if starts_with(&text[at..], fixed) {
                let after = at + fixed.len();
                match next.step {
                    Step::Value(kind) => {
                        if let Some(end) = quick::value_at(text, after, kind) {
                            if kind == Value::Text {
                                // Without the closing quote.
                                texts.push((after, end - 1));
                            }
                            (node, at) = (child as usize, end);
                            continue 'steps;
                        }
                    }
                    Step::End(vouched) if after == text.len() => {
                        return Some((vouched, after, after));
                    }
                    Step::End(vouched) if end == End::Line => {
                        let rest = &text[after..];
                        let blank = rest
                            .iter()
                            .position(|&b| !matches!(b, b' ' | b'\t' | b'\r'))
                            .unwrap_or(rest.len());
                        if rest.get(blank).is_none_or(|&b| b == b'\n') {
                            return Some((vouched, after, after + blank));
                        }
                    }
                    Step::End(_) | Step::Root => {}
                }
            }
            child = next.next_sibling;
        }
        return None;
    }
}

/// `text.starts_with(fixed)`, in words (the runs are short: `memcmp` was
/// an eighth of the time): sixteen bytes at a time (a vector compare),
/// the last ones overlapping those before.
#[inline(always)]
fn starts_with(text: &[u8], fixed: &[u8]) -> bool {
    let n = fixed.len();
    let Some(text) = text.get(..n) else {
        return false;
    };
    let step = |bytes: &[u8], at: usize| {
        let mut step = [0; 16];
        step.copy_from_slice(&bytes[at..at + 16]);
        step
    };
    let word = |bytes: &[u8], at: usize| {
        let mut word = [0; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let half = |bytes: &[u8], at: usize| {
        let mut half = [0; 4];
        half.copy_from_slice(&bytes[at..at + 4]);
        u32::from_le_bytes(half)
    };
    if n >= 16 {
        let mut at = 0;
        while at + 16 <= n {
            if step(text, at) != step(fixed, at) {
                return false;
            }
            at += 16;
        }
        at == n || step(text, n - 16) == step(fixed, n - 16)
    } else if n >= 8 {
        word(text, 0) == word(fixed, 0) && word(text, n - 8) == word(fixed, n - 8)
    } else if n >= 4 {
        half(text, 0) == half(fixed, 0) && half(text, n - 4) == half(fixed, n - 4)
    } else {
        text == fixed
    }
}

#[cfg(test)]
mod tests {
    use super::starts_with;

    /// Every length of run, a difference at every place, texts shorter
    /// and longer than the run.
    #[test]
    fn starts_with_compares_every_byte() {
        for n in 0..50usize {
            let fixed: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            for extra in [0, 1, 17] {
                let mut text = fixed.clone();
                text.extend(std::iter::repeat_n(b'#', extra));
                assert!(starts_with(&text, &fixed));
                for at in 0..n {
                    let mut other = text.clone();
                    other[at] = b'A';
                    assert!(!starts_with(&other, &fixed), "{n} {at}");
                }
            }
            if n > 0 {
                assert!(!starts_with(&fixed[..n - 1], &fixed));
            }
        }
    }
}
