//! A validating, single-pass scanner for one customer record: the searchable
//! fields (`Fields`) read straight from the JSON text, every other byte
//! checked and skipped.
//!
//! It replaces `serde_json::from_str::<Fields>` on the hot path (about half
//! of the time of a streamed answer went to serde's generic visitor) and makes
//! the same decision for every input, checked by `tests/scan.rs` against
//! serde itself:
//!
//! - the whole text is one JSON object per RFC 8259 with only whitespace
//!   (space, tab, CR, LF) around it: strings without raw control characters
//!   and with only the escapes `\" \\ \/ \b \f \n \r \t \uXXXX`; numbers
//!   `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; `true`, `false`, `null`;
//! - strings that are read (values of known fields, and every key of the
//!   record, of `_embedded` and of an email) must not hold a lone UTF-16
//!   surrogate escape; skipped strings (other values, keys of other objects)
//!   may, as in serde, which checks only what it decodes;
//! - skipped values may nest arbitrarily deep: serde skips them without its
//!   recursion limit (which only counts the four levels `Fields` reads), and
//!   so does this scanner, with a bit per level and no recursion;
//! - known fields: `id` an `i64` written as an integer (not `1.0`, `1e3` or
//!   `-0`, which serde reads as floats); `firstName`, `lastName` strings;
//!   `createdAt`, `updatedAt` timestamps parsed by [`jiff::Timestamp`]'s
//!   `FromStr` (serde's parser); `mailboxIds` an array of `u64`; `_embedded`
//!   an object whose `emails` is an array of objects with a string `value`.
//!   Each may be `null`; any other type is an error, and so is a known key
//!   given twice (unknown keys may repeat). Keys are compared after decoding
//!   their escapes: `"first\u004eame"` is `firstName`.
//!
//! One deliberate difference: serde also accepts a JSON array in place of a
//! struct (`[1, "John", …]` as the record, `[null]` as `_embedded`), reading
//! its elements as the fields in order. A customer record and the objects in
//! it are JSON objects, so the scanner requires objects there.
//!
//! Strings borrow from the text unless they hold escapes (serde copies them
//! all: `#[serde(borrow)]` does not reach through `Option<Cow<str>>`). Errors
//! say what was expected and give the 0-based byte offset in the text.

use std::borrow::Cow;
use std::fmt;

use super::fields::{Email, Embedded, Fields};

#[cfg(target_arch = "x86_64")]
mod mask16;
pub(crate) mod quick;
pub(crate) mod shapes;
mod timestamp;

/// Why a record was rejected: what was expected, and where. (Boxed, so
/// that results stay a register wide on the hot path.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError(Box<Rejection>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rejection {
    /// The 0-based byte offset in the scanned text.
    offset: usize,
    message: String,
}

impl ScanError {
    /// The same error, for text that started `by` bytes later.
    pub(crate) fn shifted(mut self, by: usize) -> ScanError {
        self.0.offset += by;
        self
    }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.0.message, self.0.offset)
    }
}

impl std::error::Error for ScanError {}

/// Reads the searchable fields of one record, validating all of it.
pub(crate) fn scan(text: &str) -> Result<Fields<'_>, ScanError> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
        key_at: 0,
    };
    scanner.whitespace();
    if scanner.peek() != Some(b'{') {
        return Err(scanner.expected("a JSON object (a customer record)"));
    }
    scanner.at += 1;
    let fields = scanner.record()?;
    scanner.whitespace();
    if scanner.at != scanner.bytes.len() {
        return Err(scanner.expected("the end of the record after its closing `}`"));
    }
    Ok(fields)
}

/// Bytes that end a run of plain string content: `"`, `\` and the control
/// characters, which JSON strings may not hold raw.
const STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The index of the first [`STOP`] byte at or after `from`, or `bytes.len()`.
///
/// Eight bytes at a time (a SWAR test for `"`, `\` and bytes below 0x20; the
/// lowest flagged byte is always a true match), then byte by byte.
///
/// (Measured on the benchmark records against a 256-entry table loop, 11%
/// slower end to end, and `memchr2` for `"` and `\` followed by a check of
/// the run for control bytes, 35% slower: strings here are short.)
#[inline(always)]
fn plain_end(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let mut at = from;
    let mut chunks = bytes[from..].chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let control = word.wrapping_sub(ONES * 0x20) & !word;
        let quote = word ^ (ONES * u64::from(b'"'));
        let quote = quote.wrapping_sub(ONES) & !quote;
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let backslash = backslash.wrapping_sub(ONES) & !backslash;
        let found = (control | quote | backslash) & HIGH;
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| STOP[usize::from(b)])
        .map_or(bytes.len(), |p| at + p)
}

/// The keys the scanner reads, at any level (`Other` at the wrong level).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Id,
    FirstName,
    LastName,
    CreatedAt,
    UpdatedAt,
    MailboxIds,
    Embedded,
    Emails,
    Value,
    Other,
}

impl Key {
    #[inline]
    fn of(name: &[u8]) -> Key {
        match name {
            b"id" => Key::Id,
            b"firstName" => Key::FirstName,
            b"lastName" => Key::LastName,
            b"createdAt" => Key::CreatedAt,
            b"updatedAt" => Key::UpdatedAt,
            b"mailboxIds" => Key::MailboxIds,
            b"_embedded" => Key::Embedded,
            b"emails" => Key::Emails,
            b"value" => Key::Value,
            _ => Key::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Key::Id => "id",
            Key::FirstName => "firstName",
            Key::LastName => "lastName",
            Key::CreatedAt => "createdAt",
            Key::UpdatedAt => "updatedAt",
            Key::MailboxIds => "mailboxIds",
            Key::Embedded => "_embedded",
            Key::Emails => "emails",
            Key::Value => "value",
            Key::Other => "",
        }
    }
}

/// What kind of value starts with `byte`, for type errors.
fn kind(byte: Option<u8>) -> &'static str {
    match byte {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        None => "the end of the record",
        Some(_) => "an invalid value",
    }
}

/// Container frames of a skipped value: a bit a level (set for an object),
/// the first 128 levels inline, deeper ones (rare, never allocated otherwise)
/// in a vector.
struct Frames {
    depth: usize,
    inline: u128,
    deeper: Vec<bool>,
}

impl Frames {
    fn new() -> Frames {
        Frames {
            depth: 0,
            inline: 0,
            deeper: Vec::new(),
        }
    }

    fn push(&mut self, object: bool) {
        if self.depth < 128 {
            let bit = 1u128 << self.depth;
            if object {
                self.inline |= bit;
            } else {
                self.inline &= !bit;
            }
        } else {
            self.deeper.push(object);
        }
        self.depth += 1;
    }

    /// Whether the innermost open container is an object; `None` when none is open.
    fn top(&self) -> Option<bool> {
        match self.depth {
            0 => None,
            d if d <= 128 => Some(self.inline >> (d - 1) & 1 == 1),
            _ => self.deeper.last().copied(),
        }
    }

    fn pop(&mut self) {
        self.depth -= 1;
        if self.depth >= 128 {
            self.deeper.pop();
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Where the last key read began, for duplicate errors.
    key_at: usize,
}

impl<'a> Scanner<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline]
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// What is at `at`, for messages.
    fn found(&self, at: usize) -> String {
        match self.text.get(at..).and_then(|rest| rest.chars().next()) {
            None if at >= self.bytes.len() => "the end of the record".to_owned(),
            None => format!("byte 0x{:02X}", self.bytes[at]),
            Some(c) if c.is_control() => format!("{c:?}"),
            Some(c) => format!("`{c}`"),
        }
    }

    #[cold]
    #[inline(never)]
    fn expected(&self, what: &str) -> ScanError {
        self.expected_at(self.at, what)
    }

    #[cold]
    #[inline(never)]
    fn expected_at(&self, at: usize, what: &str) -> ScanError {
        self.error_at(at, format!("expected {what}, found {}", self.found(at)))
    }

    #[cold]
    #[inline(never)]
    fn error_at(&self, at: usize, message: String) -> ScanError {
        ScanError(Box::new(Rejection {
            offset: at,
            message,
        }))
    }

    /// A type error for field `name`, whose value starts here.
    #[cold]
    #[inline(never)]
    fn wrong_type(&self, name: &str, what: &str) -> ScanError {
        let found = kind(self.peek());
        self.error_at(self.at, format!("`{name}`: expected {what}, found {found}"))
    }

    /// Checks that `word` (`true`, `false`, `null`) is here and steps over it.
    #[inline]
    fn literal(&mut self, word: &'static str) -> Result<(), ScanError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.expected(&format!("`{word}`")))
        }
    }

    /// Whether the value here is `null` (stepped over) or anything else
    /// (left in place).
    #[inline]
    fn null(&mut self) -> Result<bool, ScanError> {
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Fails if `key` was seen before in this object (serde's rule for
    /// known fields), else marks it seen.
    #[inline]
    fn once(&self, seen: &mut u16, key: Key) -> Result<(), ScanError> {
        let bit = 1 << key as u16;
        if *seen & bit != 0 {
            return Err(self.error_at(self.key_at, format!("duplicate field `{}`", key.name())));
        }
        *seen |= bit;
        Ok(())
    }

    /// The fields of a record, after its `{`.
    fn record(&mut self) -> Result<Fields<'a>, ScanError> {
        let mut fields = Fields::default();
        let mut seen = 0u16;
        let mut next = self.first_key()?;
        while let Some(key) = next {
            match key {
                Key::Id => {
                    self.once(&mut seen, key)?;
                    fields.id = self.id()?;
                }
                Key::FirstName => {
                    self.once(&mut seen, key)?;
                    fields.first_name = self.string_or_null("firstName")?;
                }
                Key::LastName => {
                    self.once(&mut seen, key)?;
                    fields.last_name = self.string_or_null("lastName")?;
                }
                Key::CreatedAt => {
                    self.once(&mut seen, key)?;
                    fields.created_at = self.timestamp("createdAt")?;
                }
                Key::UpdatedAt => {
                    self.once(&mut seen, key)?;
                    fields.updated_at = self.timestamp("updatedAt")?;
                }
                Key::MailboxIds => {
                    self.once(&mut seen, key)?;
                    fields.mailbox_ids = self.mailbox_ids()?;
                }
                Key::Embedded => {
                    self.once(&mut seen, key)?;
                    fields.embedded = self.embedded()?;
                }
                Key::Emails | Key::Value | Key::Other => self.skip_member_value()?,
            }
            next = self.next_key()?;
        }
        Ok(fields)
    }

    /// After an object's `{`: its first key (read up to its value), or
    /// `None` for `{}`.
    #[inline]
    fn first_key(&mut self) -> Result<Option<Key>, ScanError> {
        self.whitespace();
        match self.peek() {
            Some(b'}') => {
                self.at += 1;
                Ok(None)
            }
            Some(b'"') => self.key().map(Some),
            _ => Err(self.expected("a string key or `}`")),
        }
    }

    /// After an object member's value: the next key (read up to its value),
    /// or `None` at the object's `}`.
    #[inline]
    fn next_key(&mut self) -> Result<Option<Key>, ScanError> {
        self.whitespace();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                self.whitespace();
                match self.peek() {
                    Some(b'"') => self.key().map(Some),
                    Some(b'}') => Err(self.expected("a string key after `,` (no trailing comma)")),
                    _ => Err(self.expected("a string key")),
                }
            }
            Some(b'}') => {
                self.at += 1;
                Ok(None)
            }
            _ => Err(self.expected("`,` or `}` after an object member")),
        }
    }

    /// A key of an object that is read, at its `"`: read, decoded (serde
    /// decodes these, so lone surrogates are errors), then its `:` and the
    /// whitespace before the value.
    #[inline]
    fn key(&mut self) -> Result<Key, ScanError> {
        self.key_at = self.at;
        let start = self.at + 1;
        let end = plain_end(self.bytes, start);
        let key = if self.bytes.get(end) == Some(&b'"') {
            self.at = end + 1;
            Key::of(&self.bytes[start..end])
        } else {
            self.at = end;
            Key::of(self.decode(start)?.as_bytes())
        };
        self.colon()?;
        Ok(key)
    }

    #[inline]
    fn colon(&mut self) -> Result<(), ScanError> {
        self.whitespace();
        if self.peek() != Some(b':') {
            return Err(self.expected("`:` after an object key"));
        }
        self.at += 1;
        self.whitespace();
        Ok(())
    }

    /// A string read for its value, after its opening `"`: borrowed when it
    /// has no escapes, decoded (lone surrogates rejected) when it has.
    #[inline]
    fn string(&mut self) -> Result<Cow<'a, str>, ScanError> {
        let start = self.at;
        let end = plain_end(self.bytes, start);
        self.at = end;
        match self.bytes.get(end) {
            Some(b'"') => {
                self.at += 1;
                Ok(Cow::Borrowed(&self.text[start..end]))
            }
            _ => self.decode(start).map(Cow::Owned),
        }
    }

    /// The rest of a string with escapes: `self.at` is at the first byte
    /// that is not plain content, and `start` where the content began.
    #[cold]
    fn decode(&mut self, start: usize) -> Result<String, ScanError> {
        let mut out = String::with_capacity(self.at - start + 16);
        out.push_str(&self.text[start..self.at]);
        loop {
            let end = plain_end(self.bytes, self.at);
            out.push_str(&self.text[self.at..end]);
            self.at = end;
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let escape = self.at;
                    self.at += 1;
                    let simple = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let decoded = self.unicode_escape(escape)?;
                            out.push(decoded);
                            continue;
                        }
                        _ => return Err(self.bad_escape()),
                    };
                    self.at += 1;
                    out.push(simple);
                }
                Some(_) => return Err(self.control_character()),
                None => return Err(self.expected("`\"` to end the string")),
            }
        }
    }

    /// The character of a `\u` escape at `escape`, its four hex digits next:
    /// a pair of surrogate escapes is one character; a lone surrogate is an
    /// error.
    fn unicode_escape(&mut self, escape: usize) -> Result<char, ScanError> {
        let first = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&first) {
            return Err(self.error_at(
                escape,
                format!("lone low surrogate \\u{first:04X}: expected a character or a high surrogate first"),
            ));
        }
        let code = if (0xD800..=0xDBFF).contains(&first) {
            if !self.bytes[self.at..].starts_with(b"\\u") {
                return Err(self.expected(&format!(
                    "a \\uDC00-\\uDFFF escape after the high surrogate \\u{first:04X}"
                )));
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return Err(self.error_at(
                    self.at - 6,
                    format!(
                        "expected a \\uDC00-\\uDFFF escape after the high surrogate \\u{first:04X}, found \\u{second:04X}"
                    ),
                ));
            }
            0x1_0000 + ((u32::from(first) - 0xD800) << 10 | (u32::from(second) - 0xDC00))
        } else {
            u32::from(first)
        };
        char::from_u32(code).ok_or_else(|| self.error_at(escape, "invalid \\u escape".to_owned()))
    }

    /// Four hex digits, stepped over.
    #[inline]
    fn hex4(&mut self) -> Result<u16, ScanError> {
        let mut value = 0u16;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.expected("four hex digits after \\u")),
            };
            value = value << 4 | u16::from(digit);
            self.at += 1;
        }
        Ok(value)
    }

    #[cold]
    fn bad_escape(&self) -> ScanError {
        self.expected(r#"an escape (one of \" \\ \/ \b \f \n \r \t \uXXXX) after `\`"#)
    }

    #[cold]
    fn control_character(&self) -> ScanError {
        self.error_at(
            self.at,
            format!(
                "control character U+{:04X} in a string (it must be escaped)",
                self.bytes[self.at]
            ),
        )
    }

    /// Steps over a string that is not read, after its opening `"`: checked
    /// like any other, but its `\u` escapes are not decoded, so lone
    /// surrogates pass (as they do in serde).
    #[inline(always)]
    fn skip_string(&mut self) -> Result<(), ScanError> {
        loop {
            let end = plain_end(self.bytes, self.at);
            self.at = end;
            match self.bytes.get(end) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.at += 1
                        }
                        Some(b'u') => {
                            self.at += 1;
                            self.hex4()?;
                        }
                        _ => return Err(self.bad_escape()),
                    }
                }
                Some(_) => return Err(self.control_character()),
                None => return Err(self.expected("`\"` to end the string")),
            }
        }
    }

    /// Steps over a number, checking its grammar.
    #[inline]
    fn skip_number(&mut self) -> Result<(), ScanError> {
        let bytes = self.bytes;
        let mut at = self.at;
        if bytes[at] == b'-' {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'0') => {
                at += 1;
                if let Some(b'0'..=b'9') = bytes.get(at) {
                    return Err(self.expected_at(at, "no digit after a leading 0"));
                }
            }
            Some(b'1'..=b'9') => {
                at += 1;
                while let Some(b'0'..=b'9') = bytes.get(at) {
                    at += 1;
                }
            }
            _ => return Err(self.expected_at(at, "a digit")),
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if !matches!(bytes.get(at), Some(b'0'..=b'9')) {
                return Err(self.expected_at(at, "a digit after the decimal point"));
            }
            while let Some(b'0'..=b'9') = bytes.get(at) {
                at += 1;
            }
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            if !matches!(bytes.get(at), Some(b'0'..=b'9')) {
                return Err(self.expected_at(at, "a digit in the exponent"));
            }
            while let Some(b'0'..=b'9') = bytes.get(at) {
                at += 1;
            }
        }
        self.at = at;
        Ok(())
    }

    /// Steps over the value of a member that is not read: strings (most of
    /// them) directly, anything else through [`Self::skip_value`].
    #[inline(always)]
    fn skip_member_value(&mut self) -> Result<(), ScanError> {
        if self.peek() == Some(b'"') {
            self.at += 1;
            self.skip_string()
        } else {
            self.skip_value()
        }
    }

    /// Steps over any value, checking all of it, without recursion.
    fn skip_value(&mut self) -> Result<(), ScanError> {
        let mut frames = Frames::new();
        loop {
            // A value starts here, whitespace skipped.
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    self.skip_string()?;
                }
                Some(b'-' | b'0'..=b'9') => self.skip_number()?,
                Some(b'{') => {
                    self.at += 1;
                    self.whitespace();
                    match self.peek() {
                        Some(b'}') => self.at += 1,
                        Some(b'"') => {
                            frames.push(true);
                            self.skip_key()?;
                            continue;
                        }
                        _ => return Err(self.expected("a string key or `}`")),
                    }
                }
                Some(b'[') => {
                    self.at += 1;
                    self.whitespace();
                    if self.peek() == Some(b']') {
                        self.at += 1;
                    } else {
                        frames.push(false);
                        continue;
                    }
                }
                Some(b't') => self.literal("true")?,
                Some(b'f') => self.literal("false")?,
                Some(b'n') => self.literal("null")?,
                _ => return Err(self.expected("a JSON value")),
            }
            // A value ended: close the containers it ends, or go on to the
            // next member.
            loop {
                let Some(object) = frames.top() else {
                    return Ok(());
                };
                self.whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        self.whitespace();
                        if object {
                            if self.peek() != Some(b'"') {
                                return Err(self.expected("a string key after `,`"));
                            }
                            self.skip_key()?;
                        }
                        break;
                    }
                    Some(b'}') if object => {
                        self.at += 1;
                        frames.pop();
                    }
                    Some(b']') if !object => {
                        self.at += 1;
                        frames.pop();
                    }
                    _ if object => return Err(self.expected("`,` or `}` after an object member")),
                    _ => return Err(self.expected("`,` or `]` after an array element")),
                }
            }
        }
    }

    /// Steps over a key of a skipped object, at its `"`, and its `:`.
    #[inline]
    fn skip_key(&mut self) -> Result<(), ScanError> {
        self.at += 1;
        self.skip_string()?;
        self.colon()
    }

    /// A string value or `null`.
    #[inline]
    fn string_or_null(&mut self, name: &str) -> Result<Option<Cow<'a, str>>, ScanError> {
        match self.peek() {
            Some(b'"') => {
                self.at += 1;
                self.string().map(Some)
            }
            Some(b'n') => self.literal("null").map(|()| None),
            _ => Err(self.wrong_type(name, "a string or null")),
        }
    }

    /// A timestamp string (parsed as serde's `Deserialize` for it does) or `null`.
    fn timestamp(&mut self, name: &str) -> Result<Option<jiff::Timestamp>, ScanError> {
        let at = self.at;
        let Some(text) = self.string_or_null(name)? else {
            return Ok(None);
        };
        if let Some(timestamp) = timestamp::canonical(&text) {
            return Ok(Some(timestamp));
        }
        // jiff's message may quote the text (`unparsed input "…"`), which
        // may be anything the file holds: say what was expected instead.
        text.parse().map(Some).map_err(|_: jiff::Error| {
            self.error_at(
                at,
                format!("`{name}`: expected an RFC 3339 timestamp such as 2024-01-01T00:00:00Z"),
            )
        })
    }

    /// An integer as serde reads one: sign and digits, no fraction or
    /// exponent (those make a float), not `-0` (a float too). Returns the
    /// sign and the magnitude, `None` when it overflows a `u64`.
    #[inline]
    fn integer(&mut self, name: &str, what: &str) -> Result<(bool, Option<u64>), ScanError> {
        let start = self.at;
        let negative = self.bytes[start] == b'-';
        let mut at = start + usize::from(negative);
        let mut value = Some(0u64);
        match self.bytes.get(at) {
            Some(b'0') => {
                at += 1;
                if let Some(b'0'..=b'9') = self.bytes.get(at) {
                    return Err(self.expected_at(at, "no digit after a leading 0"));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(&c @ b'0'..=b'9') = self.bytes.get(at) {
                    value = value
                        .and_then(|v| v.checked_mul(10))
                        .and_then(|v| v.checked_add(u64::from(c - b'0')));
                    at += 1;
                }
            }
            _ => return Err(self.expected_at(at, "a digit")),
        }
        if let Some(b'.' | b'e' | b'E') = self.bytes.get(at) {
            return Err(self.error_at(
                start,
                format!("`{name}`: expected {what}, found a number with a fraction or exponent"),
            ));
        }
        if negative && value == Some(0) {
            return Err(self.error_at(
                start,
                format!("`{name}`: expected {what}, found -0 (a float)"),
            ));
        }
        self.at = at;
        Ok((negative, value))
    }

    /// `id`: an `i64` or `null`.
    fn id(&mut self) -> Result<Option<i64>, ScanError> {
        const WHAT: &str = "an integer or null";
        match self.peek() {
            Some(b'n') => self.literal("null").map(|()| None),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.at;
                let value = match self.integer("id", WHAT)? {
                    (false, Some(v)) => i64::try_from(v).ok(),
                    (true, Some(v)) => 0i64.checked_sub_unsigned(v),
                    (_, None) => None,
                };
                value.map(Some).ok_or_else(|| {
                    self.error_at(start, "`id`: integer out of range for i64".to_owned())
                })
            }
            _ => Err(self.wrong_type("id", WHAT)),
        }
    }

    /// `null`, or an array whose elements `element` reads; `what` names the
    /// array's type in a type error.
    fn nullable_array<T>(
        &mut self,
        field: &'static str,
        what: &'static str,
        mut element: impl FnMut(&mut Self) -> Result<T, ScanError>,
    ) -> Result<Option<Vec<T>>, ScanError> {
        if self.null()? {
            return Ok(None);
        }
        if self.peek() != Some(b'[') {
            return Err(self.wrong_type(field, what));
        }
        self.at += 1;
        let mut items = Vec::new();
        self.whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Some(items));
        }
        loop {
            items.push(element(self)?);
            if !self.array_next()? {
                return Ok(Some(items));
            }
        }
    }

    /// `mailboxIds`: an array of `u64`, or `null`.
    fn mailbox_ids(&mut self) -> Result<Option<Vec<u64>>, ScanError> {
        const WHAT: &str = "a non-negative integer";
        self.nullable_array("mailboxIds", "an array of integers or null", |this| {
            let start = this.at;
            match this.peek() {
                Some(b'-' | b'0'..=b'9') => match this.integer("mailboxIds", WHAT)? {
                    (false, Some(id)) => Ok(id),
                    (true, _) => Err(this.error_at(
                        start,
                        format!("`mailboxIds`: expected {WHAT}, found a negative number"),
                    )),
                    (false, None) => Err(this.error_at(
                        start,
                        "`mailboxIds`: integer out of range for u64".to_owned(),
                    )),
                },
                _ => Err(this.wrong_type("mailboxIds", WHAT)),
            }
        })
    }

    /// After an element of a read array: `true` after a `,` (whitespace
    /// skipped, another element must follow), `false` after the `]`.
    #[inline]
    fn array_next(&mut self) -> Result<bool, ScanError> {
        self.whitespace();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                self.whitespace();
                if self.peek() == Some(b']') {
                    return Err(self.expected("an element after `,` (no trailing comma)"));
                }
                Ok(true)
            }
            Some(b']') => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(self.expected("`,` or `]` after an array element")),
        }
    }

    /// `_embedded`: an object or `null`; its `emails` read, the rest skipped.
    fn embedded(&mut self) -> Result<Option<Embedded<'a>>, ScanError> {
        if self.null()? {
            return Ok(None);
        }
        if self.peek() != Some(b'{') {
            return Err(self.wrong_type("_embedded", "an object or null"));
        }
        self.at += 1;
        let mut embedded = Embedded::default();
        let mut seen = 0u16;
        let mut next = self.first_key()?;
        while let Some(key) = next {
            if key == Key::Emails {
                self.once(&mut seen, key)?;
                embedded.emails = self.emails()?;
            } else {
                self.skip_member_value()?;
            }
            next = self.next_key()?;
        }
        Ok(Some(embedded))
    }

    /// `_embedded.emails`: an array of objects, or `null`.
    fn emails(&mut self) -> Result<Option<Vec<Email<'a>>>, ScanError> {
        self.nullable_array("emails", "an array of objects or null", |this| {
            if this.peek() != Some(b'{') {
                return Err(this.wrong_type("emails", "an object"));
            }
            this.at += 1;
            this.email()
        })
    }

    /// One email object, after its `{`: its `value` read, the rest skipped.
    fn email(&mut self) -> Result<Email<'a>, ScanError> {
        let mut value = None;
        let mut seen = 0u16;
        let mut next = self.first_key()?;
        while let Some(key) = next {
            if key == Key::Value {
                self.once(&mut seen, key)?;
                value = self.string_or_null("value")?;
            } else {
                self.skip_member_value()?;
            }
            next = self.next_key()?;
        }
        Ok(Email { value })
    }
}

#[cfg(test)]
mod oracle;

#[cfg(test)]
mod agreement;

#[cfg(test)]
mod tests {
    use super::oracle::{View, view_scanned};
    use super::*;

    fn ok(text: &str) -> View {
        view_scanned(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(text: &str) -> String {
        match view_scanned(text) {
            Ok(view) => panic!("{text:?} was accepted: {view:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn plain_end_finds_the_first_stop_byte() {
        for len in 0..40 {
            for stop in [b'"', b'\\', 0, 0x1f] {
                for at in 0..=len {
                    let mut bytes = vec![b'a'; len];
                    bytes.extend_from_slice(&[0xC3, 0xA9, 0x7F, 0x20]);
                    if at < len {
                        bytes[at] = stop;
                        assert_eq!(plain_end(&bytes, 0), at, "{bytes:?}");
                    } else {
                        assert_eq!(plain_end(&bytes, 0), bytes.len(), "{bytes:?}");
                    }
                    // Bytes after a stop never hide it.
                    if at < len {
                        bytes[len - 1] = b'"';
                        assert_eq!(plain_end(&bytes, 0), at);
                    }
                }
            }
        }
    }

    #[test]
    fn fields_are_read() {
        let view = ok(concat!(
            r#" {"vip":true,"id":-9223372036854775808,"firstName":"J\u00f6hn","lastName":"Smith","#,
            r#""createdAt":"2013-01-05T10:00:00Z","updatedAt":null,"mailboxIds":[0,18446744073709551615],"#,
            r#""_embedded":{"phones":[],"emails":[{"value":"a@b.c","x":{}},{"value":null},{}]}} "#
        ));
        assert_eq!(view.id, Some(i64::MIN));
        assert_eq!(view.first_name, Some(("Jöhn".to_owned(), false)));
        assert_eq!(view.last_name, Some(("Smith".to_owned(), true)));
        assert_eq!(view.updated_at, None);
        assert_eq!(view.mailbox_ids, Some(vec![0, u64::MAX]));
        assert_eq!(
            view.emails,
            Some(Some(vec![Some(("a@b.c".to_owned(), true)), None, None]))
        );
    }

    #[test]
    fn errors_say_what_was_expected_and_where() {
        let cases = [
            (
                r#"{"id":1,}"#,
                "expected a string key after `,` (no trailing comma), found `}` at byte 8",
            ),
            (
                r#"{"id":"1"}"#,
                "`id`: expected an integer or null, found a string at byte 6",
            ),
            (r#"{"id":1,"id":2}"#, "duplicate field `id` at byte 8"),
            (
                r#"{"a":[1 2]}"#,
                "expected `,` or `]` after an array element, found `2` at byte 8",
            ),
            (
                "{\"a\":\"\t\"}",
                "control character U+0009 in a string (it must be escaped) at byte 6",
            ),
            (
                r#"{"a":1} x"#,
                "expected the end of the record after its closing `}`, found `x` at byte 8",
            ),
            (
                r#"{"firstName":"\ud800"}"#,
                "expected a \\uDC00-\\uDFFF escape after the high surrogate \\uD800, found `\"` at byte 20",
            ),
            (
                r#"{"id":1.0}"#,
                "`id`: expected an integer or null, found a number with a fraction or exponent at byte 6",
            ),
            (
                r#"{"a":01}"#,
                "expected no digit after a leading 0, found `1` at byte 6",
            ),
            (
                "[1]",
                "expected a JSON object (a customer record), found `[` at byte 0",
            ),
            (
                "",
                "expected a JSON object (a customer record), found the end of the record at byte 0",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(err(text), message, "{text}");
        }
    }

    #[test]
    fn frames_go_deeper_than_inline() {
        let mut frames = Frames::new();
        for d in 0..300 {
            frames.push(d % 3 == 0);
            assert_eq!(frames.top(), Some(d % 3 == 0));
        }
        for d in (0..300).rev() {
            assert_eq!(frames.top(), Some(d % 3 == 0));
            frames.pop();
        }
        assert_eq!(frames.top(), None);
    }
}
