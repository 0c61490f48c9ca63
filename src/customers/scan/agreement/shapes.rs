//! (Unit tests of the shapes cache.) [`Shapes::vouch`] answers exactly what
//! the quick check answers, whatever it learnt before, and reports as texts
//! exactly the strings the scanner reads as text: on the usual and
//! generated records, on every edit of them, and on records of a learnt
//! shape whose values were replaced by others, valid or not (which it must
//! vouch for by replaying, or it is useless).

use super::super::super::json;
use super::super::oracle::view_scanned;
use super::super::quick::{Listener, Value, vouch, vouch_telling};
use super::super::shapes::Shapes;
use super::quick::{NOT_UTF8, USUAL, plain_record, sound_bytes};
use super::{TOKENS, apply, edit, number, record};
use proptest::prelude::*;

/// Asserts that the shapes answer as the quick check does (and so, by the
/// quick check's own tests, soundly), and that the texts they report are
/// exactly the strings the scanner reads as text; returns whether the
/// answer came from a replay of a learnt shape.
fn agrees(shapes: &mut Shapes, text: &str) -> bool {
    agrees_bytes(shapes, text.as_bytes())
}

/// [`agrees`] for any bytes.
fn agrees_bytes(shapes: &mut Shapes, bytes: &[u8]) -> bool {
    let (replayed, replayed_texts) = shapes.replay_for_tests(bytes);
    let answer = shapes.vouch(bytes);
    let quick = vouch(bytes);
    assert_eq!(
        answer, quick,
        "shapes and the quick check differ on {bytes:?}"
    );
    if answer.is_some() {
        assert!(sound_bytes(bytes));
        let text = std::str::from_utf8(bytes).unwrap();
        let texts = read_as_text(text, shapes.texts());
        assert_eq!(texts, scanned_texts(text), "{text:?}");
    }
    if replayed.is_some() {
        assert_eq!(replayed, quick, "replayed {bytes:?} wrongly");
        assert_eq!(replayed_texts, shapes.texts(), "{bytes:?}");
    }
    // The line-level replay streaming uses: the record, then the rest of
    // its line and maybe more lines.
    let trimmed = json::trimmed(bytes) == (0..bytes.len());
    for suffix in [
        &b""[..],
        b"\n",
        b"\r\n",
        b" \t\r\n{}",
        b"\n{\"x\":1}",
        b"x",
        b" x\n",
    ] {
        let line = [bytes, suffix].concat();
        if let Some((vouched, len, end)) = shapes.replay_line_for_tests(&line) {
            let record = &line[..len];
            assert_eq!(Some(vouched), vouch(record), "{line:?}");
            assert!(
                line[len..end].iter().all(|b| b" \t\r".contains(b)),
                "{line:?}"
            );
            assert!(end == line.len() || line[end] == b'\n', "{line:?}");
            assert_eq!(json::trimmed(&line[..end]), 0..len, "{line:?}");
            let text = std::str::from_utf8(record).unwrap();
            assert_eq!(
                read_as_text(text, shapes.texts()),
                scanned_texts(text),
                "{line:?}"
            );
        } else if replayed.is_some() && trimmed && !suffix.starts_with(b"x") && suffix != b" x\n" {
            panic!("not replayed as a line: {line:?}");
        }
    }
    replayed.is_some()
}

/// The strings at `ranges` of `text`, sorted.
fn read_as_text(text: &str, ranges: &[(usize, usize)]) -> Vec<String> {
    let mut texts: Vec<String> = ranges
        .iter()
        .map(|&(start, end)| text[start..end].to_owned())
        .collect();
    texts.sort();
    texts
}

/// What the scanner reads as text (`firstName`, `lastName`, the emails'
/// values), sorted.
fn scanned_texts(text: &str) -> Vec<String> {
    let view = view_scanned(text).unwrap();
    let emails = view.emails.into_iter().flatten().flatten().flatten();
    let mut texts: Vec<String> = [view.first_name, view.last_name]
        .into_iter()
        .flatten()
        .chain(emails)
        .map(|(text, _)| text)
        .collect();
    texts.sort();
    texts
}

/// After learning the usual records: every insertion and replacement of a
/// byte sequence that is not UTF-8 (and of some that are), at every byte.
#[test]
fn every_byte_edit_of_usual_records_is_answered_alike() {
    let mut shapes = Shapes::default();
    for record in USUAL {
        agrees(&mut shapes, record);
    }
    let mut replayed = 0;
    for record in USUAL {
        let bytes = record.as_bytes();
        for at in 0..=bytes.len() {
            for piece in NOT_UTF8 {
                let inserted = [&bytes[..at], piece, &bytes[at..]].concat();
                replayed += usize::from(agrees_bytes(&mut shapes, &inserted));
                if at < bytes.len() {
                    let replaced = [&bytes[..at], piece, &bytes[at + 1..]].concat();
                    replayed += usize::from(agrees_bytes(&mut shapes, &replaced));
                }
            }
        }
    }
    // The two UTF-8 pieces inserted into strings keep the shape.
    assert!(replayed > 100, "{replayed}");
}

/// The values of a record the quick check vouches for, as it read them.
#[derive(Default)]
struct Values(Vec<(Value, usize, usize)>);

impl Listener for Values {
    fn value(&mut self, kind: Value, start: usize, end: usize) {
        self.0.push((kind, start, end));
    }
}

fn values(text: &str) -> Vec<(Value, usize, usize)> {
    let mut values = Values::default();
    vouch_telling(text.as_bytes(), &mut values);
    values.0
}

/// `text` with some of its values (as the quick check read them) replaced:
/// each `(which, by)` replaces value number `which` (modulo their number)
/// by `by` (written as the value's bytes are: a string without its opening
/// quote).
fn replaced(text: &str, replacements: &[(usize, String)]) -> String {
    let values = values(text);
    if values.is_empty() {
        return text.to_owned();
    }
    let mut chosen: Vec<(usize, usize, &str)> = replacements
        .iter()
        .map(|(which, by)| {
            let (_, start, end) = values[which % values.len()];
            (start, end, by.as_str())
        })
        .collect();
    chosen.sort_unstable_by_key(|&(start, _, _)| start);
    chosen.dedup_by_key(|&mut (start, _, _)| start);
    let (mut out, mut from) = (String::new(), 0);
    for (start, end, by) in chosen {
        out.push_str(&text[from..start]);
        out.push_str(by);
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

/// A value valid for `kind`, as its bytes are written.
fn valid(kind: Value, n: u64) -> String {
    match kind {
        Value::String | Value::Text => format!("s{n} é\"", n = n % 1000),
        Value::Timestamp => {
            let second = i64::try_from(n % 4_000_000_000).unwrap();
            format!("{}\"", jiff::Timestamp::from_second(second).unwrap())
        }
        Value::Id => format!("-{}", n % 999_999_999_999_999_999 + 1),
        Value::MailboxId => (n % 10_000_000_000_000_000_000).to_string(),
        Value::Number => format!("{}.5e-{}", n % 97, n % 5),
    }
}

/// Replacements for a value, valid and not, of every kind.
fn replacement() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-zA-Z0-9 .@_é-]{0,12}\"",
        2 => "[a-z\\\\\u{1}\"\u{7f}]{0,4}\"",
        4 => (0i64..4_000_000_000).prop_map(|s| format!("{}\"", jiff::Timestamp::from_second(s).unwrap())),
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\"",
        4 => number(),
        1 => prop::sample::select(vec!["", "\"", "null", "}", "]", ",", "-", "{}", "[]", "1,2"])
            .prop_map(str::to_owned),
    ]
}

/// Records of a learnt shape with other values are replayed.
#[test]
fn records_of_a_learnt_shape_are_replayed() {
    for text in USUAL {
        let mut shapes = Shapes::default();
        agrees(&mut shapes, text);
        let values = values(text);
        for n in [0, 1, 7, 123_456_789, u64::MAX] {
            let replacements: Vec<(usize, String)> = values
                .iter()
                .enumerate()
                .map(|(i, &(kind, ..))| (i, valid(kind, n)))
                .collect();
            let other = replaced(text, &replacements);
            assert_eq!(
                values.len(),
                self::values(&other).len(),
                "{text} -> {other}"
            );
            assert!(agrees(&mut shapes, &other), "not replayed: {other}");
        }
    }
}

/// Every one-character deletion, and every insertion and replacement by a
/// token, at every place of the usual records, after learning them all.
#[test]
fn every_small_edit_of_usual_records_is_answered_alike() {
    let mut tokens: Vec<String> = TOKENS.iter().map(|t| (*t).to_owned()).collect();
    tokens.extend("=;'ax/*#_$?<>|~!@%^&()9Z".chars().map(String::from));
    let mut shapes = Shapes::default();
    for record in USUAL {
        agrees(&mut shapes, record);
    }
    let mut replayed = 0;
    for record in USUAL {
        for (at, c) in record.char_indices() {
            let (before, after) = (&record[..at], &record[at + c.len_utf8()..]);
            replayed += usize::from(agrees(&mut shapes, &format!("{before}{after}")));
            for token in &tokens {
                replayed += usize::from(agrees(&mut shapes, &format!("{before}{token}{after}")));
                replayed += usize::from(agrees(&mut shapes, &format!("{before}{token}{c}{after}")));
            }
        }
    }
    // Edits inside values keep the shape.
    assert!(replayed > 1000, "{replayed}");
}

/// Learning stops at its bounds; the answers stay the quick check's, no
/// node gets more than 16 children, and the replay stands aside where it
/// misses.
#[test]
fn ever_new_shapes_are_answered_alike() {
    let mut shapes = Shapes::default();
    for i in 0..20_000 {
        // A new key every time: every record a new shape.
        let text = format!(r#"{{"id":{i},"k{i}":[{i}],"lastName":"x"}}"#);
        assert!(!agrees(&mut shapes, &text));
        // And the first ones again, now and then.
        let again = format!(r#"{{"id":{},"k{}":[1],"lastName":"yy"}}"#, i % 7, i % 7);
        agrees(&mut shapes, &again);
    }
    assert!(shapes.widest_for_tests() <= 16);
    // Ever-new shapes deeper in the record fill the trie's bounds.
    let mut shapes = Shapes::default();
    for i in 0..20_000 {
        let text = format!(r#"{{"a":{{"b":[{{"k{i}":1}},{{"c":"{i}"}}]}},"k{i}":2}}"#);
        agrees(&mut shapes, &text);
    }
    assert!(shapes.widest_for_tests() <= 16);
}

/// A record too large to learn is answered, and does not stop learning.
#[test]
fn a_large_record_is_not_learnt() {
    let mut shapes = Shapes::default();
    let large = format!(r#"{{"id":1,"x":"{}"}}"#, "y".repeat(100_000));
    assert!(!agrees(&mut shapes, &large));
    assert!(!agrees(&mut shapes, &large));
    agrees(&mut shapes, USUAL[0]);
    assert!(agrees(&mut shapes, USUAL[0]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A generated record learnt, then the same with values replaced.
    #[test]
    fn records_with_replaced_values_are_answered_alike(
        text in prop_oneof![record(), plain_record()],
        replacements in prop::collection::vec((any::<usize>(), replacement()), 1..6),
    ) {
        let mut shapes = Shapes::default();
        agrees(&mut shapes, &text);
        for i in 0..replacements.len() {
            agrees(&mut shapes, &replaced(&text, &replacements[i..i + 1]));
        }
        agrees(&mut shapes, &replaced(&text, &replacements));
    }

    /// A generated record learnt, then its edits, one after the other (each
    /// learnt in turn when the quick check vouches for it).
    #[test]
    fn edited_records_are_answered_alike(
        text in prop_oneof![record(), plain_record()],
        edits in prop::collection::vec(edit(), 1..40),
    ) {
        let mut shapes = Shapes::default();
        agrees(&mut shapes, &text);
        for (i, edit) in edits.iter().enumerate() {
            let edited = apply(&text, edit);
            agrees(&mut shapes, &edited);
            if let Some(next) = edits.get(i + 1) {
                agrees(&mut shapes, &apply(&edited, next));
            }
        }
    }
}
