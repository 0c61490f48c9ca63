//! (Unit tests of the quick check.) [`vouch`] says "valid" only for records
//! the scanner accepts, and then reports `mailboxIds` as the scanner reads
//! it: on the scanner's own generated records, on every edit of them, and on
//! records shaped like real ones (which it must vouch for, or it is useless).

use super::super::oracle::view_scanned;
use super::super::quick::vouch;
use super::super::{Fields, scan};
use super::{TOKENS, apply, edit, record};
use proptest::prelude::*;

/// Checks the one promise: vouched for implies accepted, with the same
/// `mailboxIds` answer. Returns whether it vouched.
pub(super) fn sound(text: &str) -> bool {
    let Some(vouched) = vouch(text.as_bytes()) else {
        return false;
    };
    match scan(text) {
        Ok(fields) => {
            let Fields { mailbox_ids, .. } = fields;
            assert_eq!(vouched.mailbox_ids, mailbox_ids.is_some(), "{text:?}");
        }
        Err(e) => panic!("vouched for {text:?}, which the scanner rejects: {e}"),
    }
    assert!(view_scanned(text).is_ok());
    true
}

/// [`sound`] for any bytes: vouched for implies UTF-8 (then [`sound`]).
pub(super) fn sound_bytes(bytes: &[u8]) -> bool {
    if vouch(bytes).is_none() {
        return false;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => sound(text),
        Err(e) => panic!("vouched for {bytes:?}, which is not UTF-8: {e}"),
    }
}

/// Byte sequences that are not UTF-8 on their own (a continuation byte, a
/// lead byte without its continuation, an overlong form, a surrogate, past
/// U+10FFFF, bytes never used), and pieces of characters.
pub(super) const NOT_UTF8: &[&[u8]] = &[
    b"\x80",
    b"\xbf",
    b"\xc3",
    b"\xc3(",
    b"\xc0\x80",
    b"\xc1\xbf",
    b"\xe0\x80\x80",
    b"\xed\xa0\x80",
    b"\xe2\x84",
    b"\xf0\x9f\x98",
    b"\xf4\x90\x80\x80",
    b"\xf5\x80\x80\x80",
    b"\xfe",
    b"\xff",
    b"\xc3\xa9",
    b"\xe2\x84\xaa",
];

/// Every insertion and replacement of a byte sequence that is not UTF-8
/// (and of some that are), at every byte of the usual records: never
/// vouched for unless the result is UTF-8.
#[test]
fn every_byte_edit_of_usual_records_is_judged_soundly() {
    for record in USUAL {
        let bytes = record.as_bytes();
        for at in 0..=bytes.len() {
            for piece in NOT_UTF8 {
                let inserted = [&bytes[..at], piece, &bytes[at..]].concat();
                sound_bytes(&inserted);
                if at < bytes.len() {
                    let replaced = [&bytes[..at], piece, &bytes[at + 1..]].concat();
                    sound_bytes(&replaced);
                }
            }
        }
    }
}

/// Records as the benchmark file and Help Scout write them: no escapes.
pub(super) const USUAL: &[&str] = &[
    r#"{"id":1000000,"firstName":"Liam","lastName":"Jones","gender":"female","photoUrl":"https://secure.gravatar.com/avatar/0df1","age":"40-49","createdAt":"2016-06-11T18:57:34Z","updatedAt":"2018-12-14T19:05:05Z","_embedded":{"emails":[{"id":10000000,"value":"liam@helpscout.com","type":"work"},{"id":1,"value":"liam.1@web.de","type":"home"}],"phones":[{"id":10000000,"value":"+1-555-7903","type":"work"}],"chats":[],"address":{"city":"Paris","lines":["760 Main Street"]}},"_links":{"self":{"href":"https://api.helpscout.net/v2/customers/1000000"}}}"#,
    r#" {"id":-12,"firstName":null,"lastName":"Søren","mailboxIds":[0,1,9999999999999999999],"vip":true,"x":false,"n":-1.5e-3,"z":0,"f":[1E+2,0.0,{"":null}],"_embedded":null} "#,
    r#"{"id":null,"createdAt":null,"mailboxIds":[],"_embedded":{"emails":null}}"#,
    r#"{"mailboxIds":null,"_embedded":{"emails":[{},{"value":null},{"value":"a@b.c","value2":1}]}}"#,
    "{ \"id\" : 7 ,\r\n\t\"lastName\" : \"O'B\" , \"a\" : [ [ ] , { } , [ { \"b\" : [ 1 ] } ] ] }",
    "{}",
];

#[test]
fn usual_records_are_vouched_for() {
    for text in USUAL {
        assert!(sound(text), "not vouched for: {text}");
    }
}

#[test]
fn the_sample_data_is_vouched_for_where_it_has_no_escapes() {
    let sample = include_str!("../../../../data/customers.json");
    let records: Vec<&serde_json::value::RawValue> = serde_json::from_str(sample).unwrap();
    let mut vouched = 0;
    for record in &records {
        let text = record.get();
        // The pretty-printed sample holds newlines between members: plain whitespace.
        if sound(text) {
            vouched += 1;
        } else {
            assert!(text.contains('\\'), "not vouched for: {text}");
        }
    }
    assert!(
        vouched * 2 >= records.len(),
        "{vouched} of {}",
        records.len()
    );
}

/// What the scanner would have to be asked about, and is.
#[test]
fn doubts_go_to_the_scanner() {
    for text in [
        r#"{"id":1,"id":2}"#,
        r#"{"id":1234567890123456789}"#,
        r#"{"id":-0}"#,
        r#"{"id":1.0}"#,
        r#"{"mailboxIds":[12345678901234567890]}"#,
        r#"{"mailboxIds":[-1]}"#,
        r#"{"first\u004eame":"x"}"#,
        r#"{"a":"\n"}"#,
        r#"{"createdAt":"2024-01-01T00:00:00+00:00"}"#,
        r#"{"createdAt":"2024-02-30T00:00:00Z"}"#,
        r#"{"_embedded":{"emails":[{"value":1}]}}"#,
        r#"{"_embedded":{"emails":[[]]}}"#,
        r#"{"a":01}"#,
        r#"{"a":1,}"#,
        r#"{"a":1} x"#,
        "",
        "[1]",
    ] {
        assert!(vouch(text.as_bytes()).is_none(), "vouched for {text}");
    }
    // 66 brackets open 65 levels (the innermost `[]` opens none).
    let deep = "{\"a\":".to_owned() + &"[".repeat(66) + &"]".repeat(66) + "}";
    assert!(vouch(deep.as_bytes()).is_none());
    assert!(view_scanned(&deep).is_ok());
    let deep = "{\"a\":".to_owned() + &"[".repeat(65) + &"]".repeat(65) + "}";
    assert!(sound(&deep));
}

/// Every one-character deletion, and every insertion and replacement by a
/// token, at every place of the usual records.
#[test]
fn every_small_edit_of_usual_records_is_judged_soundly() {
    let mut tokens: Vec<String> = TOKENS.iter().map(|t| (*t).to_owned()).collect();
    tokens.extend("=;'ax/*#_$?<>|~!@%^&()9Z".chars().map(String::from));
    for record in USUAL {
        for (at, c) in record.char_indices() {
            let (before, after) = (&record[..at], &record[at + c.len_utf8()..]);
            sound(&format!("{before}{after}"));
            for token in &tokens {
                sound(&format!("{before}{token}{after}"));
                sound(&format!("{before}{token}{c}{after}"));
            }
        }
    }
}

/// The scanner's generated records with their backslashes taken out, so
/// that most are what the quick check vouches for (and the rest, a `\"`
/// turned into `"`, are broken in new ways).
pub(super) fn plain_record() -> impl Strategy<Value = String> {
    record().prop_map(|text| text.replace('\\', ""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_records_are_judged_soundly(text in record(), plain in plain_record()) {
        sound(&text);
        sound(&plain);
    }

    /// Each edit on its own, then each with the next one too.
    #[test]
    fn edited_records_are_judged_soundly(
        text in prop_oneof![record(), plain_record()],
        edits in prop::collection::vec(edit(), 1..40),
    ) {
        for (i, edit) in edits.iter().enumerate() {
            let edited = apply(&text, edit);
            sound(&edited);
            if let Some(next) = edits.get(i + 1) {
                sound(&apply(&edited, next));
            }
        }
    }
}

/// The generator's records without backslashes are often vouched for, so the comparison is not
/// only of doubts.
#[test]
fn generated_records_are_often_vouched_for() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};

    let mut runner = TestRunner::new(Config::default());
    let (mut vouched, total) = (0, 500);
    for _ in 0..total {
        let text = plain_record().new_tree(&mut runner).unwrap().current();
        vouched += usize::from(sound(&text));
    }
    eprintln!("{vouched} of {total} vouched for");
    assert!(vouched * 100 >= total * 30, "{vouched} of {total}");
}
