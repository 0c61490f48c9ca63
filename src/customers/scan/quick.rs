//! A validate-only fast path for the lines of a request with a prefilter
//! (through the shapes cache, [`super::shapes`], which also tells where the
//! record's text fields are, for the prefilter): it answers "certainly
//! valid" (with the one fact the stream needs, whether `mailboxIds` is an
//! array) or "not sure", never "invalid". On any doubt
//! the caller runs the full scanner ([`super::scan`]) on the line, so every
//! error, its message and its position stay the scanner's.
//!
//! It vouches only for the common shape and leaves everything unusual to
//! the scanner: a backslash anywhere in a string (escapes in keys change
//! which key it is, in read values they may be lone surrogates), a known
//! key given twice, an `id` of more than 18 digits, a `mailboxIds` element
//! of more than 19, a timestamp not in the canonical `yyyy-MM-ddTHH:mm:ssZ`
//! form, containers nested more than 64 deep. Where it says "valid" the
//! line is UTF-8 and the scanner accepts it (`agreement/quick.rs` checks
//! this on the scanner's own generated and edited records).
//!
//! It takes bytes, not text, and checks UTF-8 itself: in a line the grammar
//! accepts, bytes outside ASCII can only be in strings, so the line is UTF-8
//! when each string's content is; a string is checked only when the run
//! that skips it saw such a byte. The separate pass over every byte that
//! `str::from_utf8` would make (6% of a rare-literal request) is saved.
//!
//! It must never report an error of its own: it has no error type.

#[cfg(target_arch = "x86_64")]
use super::mask16;
use super::{Key, timestamp};

/// What the quick check learned of a record it vouches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Vouched {
    /// `mailboxIds` is an array (the scanner's `mailbox_ids.is_some()`).
    pub(crate) mailbox_ids: bool,
}

/// `Some` when `text` is UTF-8 and the scanner certainly accepts it; `None`
/// when it might not (then ask the scanner). (Streaming asks the shapes
/// cache, [`super::shapes`], which answers the same.)
#[cfg(test)]
pub(crate) fn vouch(text: &[u8]) -> Option<Vouched> {
    vouch_telling(text, &mut ())
}

/// [`vouch`], telling `listener` where each value it checks lies and how
/// it was checked (the shapes cache, [`super::shapes`], learns from it).
pub(crate) fn vouch_telling(text: &[u8], listener: &mut impl Listener) -> Option<Vouched> {
    let mut quick = Quick {
        bytes: text,
        at: 0,
        mailbox_ids: false,
        listener,
    };
    quick.whitespace();
    quick.eat(b'{')?;
    quick.record()?;
    quick.whitespace();
    (quick.at == text.len()).then_some(Vouched {
        mailbox_ids: quick.mailbox_ids,
    })
}

/// How a value whose content varies from record to record is checked: the
/// steps of the grammar that read a value's bytes (all others are fixed
/// punctuation, keys and literals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Value {
    /// A string's content and its closing `"`, without backslashes or
    /// control characters.
    String,
    /// [`Value::String`] that the matcher reads as text: `firstName`,
    /// `lastName`, an email's `value` (the fields a prefilter searches).
    Text,
    /// [`Value::String`] holding a timestamp in the canonical form.
    Timestamp,
    /// An `id`: an integer of at most 18 digits, maybe negative.
    Id,
    /// A `mailboxIds` element: an integer of at most 19 digits, not negative.
    MailboxId,
    /// Any JSON number.
    Number,
}

/// Told of each value the quick check reads: `kind`, from byte `start`
/// (after a string's opening `"`) to `end` (after its closing one).
pub(crate) trait Listener {
    /// A value checked as `kind` lies at `start..end`.
    fn value(&mut self, kind: Value, start: usize, end: usize);
}

impl Listener for () {
    #[inline(always)]
    fn value(&mut self, _: Value, _: usize, _: usize) {}
}

/// Whether the value at `at` in `text` passes the check of `kind`: the end
/// of the value if it does. (The same code as the quick check's own, so
/// that replaying a record's values is exactly checking them.)
#[inline(always)]
pub(crate) fn value_at(text: &[u8], at: usize, kind: Value) -> Option<usize> {
    let mut quick = Quick {
        bytes: text,
        at,
        mailbox_ids: false,
        listener: &mut (),
    };
    quick.check(kind)?;
    Some(quick.at)
}

struct Quick<'a, 'l, L: Listener> {
    bytes: &'a [u8],
    at: usize,
    mailbox_ids: bool,
    listener: &'l mut L,
}

/// Which object is being read: the record, `_embedded`, an email, or one
/// that is only skipped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Record,
    Embedded,
    Email,
}

impl<'a, L: Listener> Quick<'a, '_, L> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8) -> Option<()> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Some(())
        } else {
            None
        }
    }

    /// A string's content after its opening `"`, up to its closing one,
    /// which is stepped over; `None` at a backslash or a control character.
    #[inline(always)]
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        let (end, wide) = plain_run(self.bytes, start);
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        let content = &self.bytes[start..end];
        if wide && std::str::from_utf8(content).is_err() {
            return None;
        }
        self.at = end + 1;
        Some(content)
    }

    #[inline(always)]
    fn word(&mut self, word: &[u8]) -> Option<()> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Some(())
        } else {
            None
        }
    }

    /// A value checked as `kind`, told to the listener.
    #[inline(always)]
    fn value(&mut self, kind: Value) -> Option<()> {
        let start = self.at;
        self.check(kind)?;
        self.listener.value(kind, start, self.at);
        Some(())
    }

    /// The check of each [`Value`].
    #[inline(always)]
    fn check(&mut self, kind: Value) -> Option<()> {
        match kind {
            Value::String | Value::Text => self.plain_string().map(|_| ()),
            Value::Timestamp => timestamp::is_canonical(self.plain_string()?).then_some(()),
            Value::Id => self.integer(18, true),
            Value::MailboxId => self.integer(19, false),
            Value::Number => self.number(),
        }
    }

    /// The members of an object read at `level`, after its `{`, through its `}`.
    fn object(&mut self, level: Level) -> Option<()> {
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(());
        }
        let mut seen = 0u16;
        loop {
            self.eat(b'"')?;
            let key = Key::of(self.plain_string()?);
            self.whitespace();
            self.eat(b':')?;
            self.whitespace();
            let read = match (level, key) {
                (Level::Record, Key::Emails | Key::Value | Key::Other) => false,
                (Level::Record, _) => true,
                (Level::Embedded, Key::Emails) | (Level::Email, Key::Value) => true,
                _ => false,
            };
            if read {
                let bit = 1u16 << key as u16;
                if seen & bit != 0 {
                    return None;
                }
                seen |= bit;
                self.field(key)?;
            } else {
                self.skip_value()?;
            }
            if self.after_item(b'}')? {
                return Some(());
            }
        }
    }

    fn record(&mut self) -> Option<()> {
        self.object(Level::Record)
    }

    /// The value of a known field, typed as the scanner types it.
    fn field(&mut self, key: Key) -> Option<()> {
        if self.peek() == Some(b'n') {
            return self.word(b"null");
        }
        match key {
            Key::Id => self.value(Value::Id),
            Key::FirstName | Key::LastName | Key::Value => {
                self.eat(b'"')?;
                self.value(Value::Text)
            }
            Key::CreatedAt | Key::UpdatedAt => {
                self.eat(b'"')?;
                self.value(Value::Timestamp)
            }
            Key::MailboxIds => {
                self.mailbox_ids = true;
                self.array(|this| this.value(Value::MailboxId))
            }
            Key::Embedded => {
                self.eat(b'{')?;
                self.object(Level::Embedded)
            }
            Key::Emails => self.array(|this| {
                this.eat(b'{')?;
                this.object(Level::Email)
            }),
            Key::Other => None,
        }
    }

    /// After an item of an object or array: a `,` (and the whitespace
    /// after it) says more follow (`false`); `close` ends the container
    /// (`true`); anything else is doubtful (`None`).
    #[inline]
    fn after_item(&mut self, close: u8) -> Option<bool> {
        self.whitespace();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                self.whitespace();
                Some(false)
            }
            Some(c) if c == close => {
                self.at += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// An array whose elements `element` reads, at its `[`.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Some(());
        }
        loop {
            element(self)?;
            if self.after_item(b']')? {
                return Some(());
            }
        }
    }

    /// An integer of at most `digits` digits (so it fits the field's type),
    /// negative only when `signed`; never `-0`, a fraction or an exponent.
    #[inline]
    fn integer(&mut self, digits: usize, signed: bool) -> Option<()> {
        let negative = self.peek() == Some(b'-');
        if negative {
            if !signed {
                return None;
            }
            self.at += 1;
        }
        let start = self.at;
        match self.peek() {
            Some(b'0') if !negative => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return None,
        }
        match self.peek() {
            Some(b'0'..=b'9' | b'.' | b'e' | b'E') => None,
            _ => (self.at - start <= digits).then_some(()),
        }
    }

    /// Steps over a number, checking its grammar.
    #[inline]
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.some_digits()?;
        }
        // `01`: a digit after a leading zero.
        (!matches!(self.peek(), Some(b'0'..=b'9'))).then_some(())
    }

    #[inline(always)]
    fn digits(&mut self) {
        self.at += digit_run(self.bytes, self.at);
    }

    #[inline(always)]
    fn some_digits(&mut self) -> Option<()> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return None;
        }
        self.digits();
        Some(())
    }

    /// Steps over any value that is not read, checking its grammar, with a
    /// bit a level (set for an object) for up to 64 levels.
    fn skip_value(&mut self) -> Option<()> {
        let (mut frames, mut depth) = (0u64, 0u32);
        loop {
            // A value starts here, whitespace skipped.
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    self.value(Value::String)?;
                }
                b'-' | b'0'..=b'9' => self.value(Value::Number)?,
                b'{' => {
                    self.at += 1;
                    self.whitespace();
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                    } else {
                        if depth == 64 {
                            return None;
                        }
                        frames |= 1 << depth;
                        depth += 1;
                        self.skip_key()?;
                        continue;
                    }
                }
                b'[' => {
                    self.at += 1;
                    self.whitespace();
                    if self.peek() == Some(b']') {
                        self.at += 1;
                    } else {
                        if depth == 64 {
                            return None;
                        }
                        frames &= !(1 << depth);
                        depth += 1;
                        continue;
                    }
                }
                b't' => self.word(b"true")?,
                b'f' => self.word(b"false")?,
                b'n' => self.word(b"null")?,
                _ => return None,
            }
            // A value ended: close what it ends, or go on to the next one.
            loop {
                if depth == 0 {
                    return Some(());
                }
                let object = frames >> (depth - 1) & 1 == 1;
                self.whitespace();
                match self.peek()? {
                    b',' => {
                        self.at += 1;
                        self.whitespace();
                        if object {
                            self.skip_key()?;
                        }
                        break;
                    }
                    b'}' if object => {
                        self.at += 1;
                        depth -= 1;
                    }
                    b']' if !object => {
                        self.at += 1;
                        depth -= 1;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// A key of a skipped object, at its `"`, its `:` and the whitespace after.
    #[inline]
    fn skip_key(&mut self) -> Option<()> {
        self.eat(b'"')?;
        self.plain_string()?;
        self.whitespace();
        self.eat(b':')?;
        self.whitespace();
        Some(())
    }
}

/// The index of the first [`STOP`](super::STOP) byte at or after `from` (or
/// `bytes.len()`), as the scanner's `plain_end` finds it, and whether a
/// byte outside ASCII is before it.
///
/// Sixteen bytes a step ([`mask16::masks`]: SSE2's compares and `movemask`
/// on x86-64, inlined, no branch), the first stop byte and the bytes
/// outside ASCII before it read from the step's bits; the last step is
/// padded with a stop byte. Most strings end in their first step. (Before:
/// the same test as a `u128` of flag bytes, kept out of line so that the
/// compiler vectorised it, 17 instructions and a call a step; two SWAR
/// words a step took twice the instructions; one word, as `plain_end`,
/// more still.)
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn plain_run(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut at = from;
    let mut wide = false;
    loop {
        let (stops, high) = match bytes.get(at..at + 16) {
            Some(step) => mask16::masks(step.try_into().unwrap_or(&[0; 16])),
            None => {
                // The rest, then zeros (control characters: stops).
                let rest = bytes.get(at..).unwrap_or_default();
                let mut step = [0; 16];
                step[..rest.len()].copy_from_slice(rest);
                mask16::masks(&step)
            }
        };
        if stops != 0 {
            let stop = stops.trailing_zeros();
            let before = (1u32 << stop) - 1;
            return (at + stop as usize, wide || high & before != 0);
        }
        wide |= high != 0;
        at += 16;
    }
}

/// [`plain_run`] elsewhere than on x86-64 (`mask16` is SSE2's).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn plain_run(bytes: &[u8], from: usize) -> (usize, bool) {
    plain_run_portable(bytes, from)
}

/// [`plain_run`] in plain code, for the targets other than x86-64 (and
/// tested on all): whether a byte outside ASCII may be before the stop
/// (sometimes one after it: then the string is checked for nothing).
///
/// Sixteen bytes a step, written so that the compiler vectorises the test
/// and finds the first stop byte from the step's mask; the last step is
/// padded with a stop byte. (On x86-64 this was the quick check's run
/// before `mask16`: 768 M instructions for a rare-literal request over
/// 100 000 records against 717 M. The bits of `mask16` gathered in plain
/// code instead, by a multiplication per eight bytes, took 1 336 M.)
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn plain_run_portable(bytes: &[u8], from: usize) -> (usize, bool) {
    const HIGH: u128 = u128::MAX / 255 * 0x80;
    /// 0xFF for each byte of `step` that is a [`STOP`](super::STOP) byte, else 0.
    /// (Not inlined: on its own the compiler vectorises it, inlined in the
    /// replay it did not, and took twice the instructions.)
    #[inline(never)]
    fn stops(step: &[u8; 16]) -> u128 {
        let mut mask = [0; 16];
        for (m, &b) in mask.iter_mut().zip(step) {
            *m = u8::from((b < 0x20) | (b == b'"') | (b == b'\\')).wrapping_neg();
        }
        u128::from_le_bytes(mask)
    }
    let mut at = from;
    let mut seen = 0;
    let mut steps = bytes[from..].chunks_exact(16);
    for step in steps.by_ref() {
        let Ok(step) = <&[u8; 16]>::try_from(step) else {
            break;
        };
        seen |= u128::from_le_bytes(*step);
        let found = stops(step);
        if found != 0 {
            return (at + (found.trailing_zeros() / 8) as usize, seen & HIGH != 0);
        }
        at += 16;
    }
    // The rest, then zeros (control characters: stops).
    let rest = steps.remainder();
    let mut step = [0; 16];
    step[..rest.len()].copy_from_slice(rest);
    seen |= u128::from_le_bytes(step);
    let found = stops(&step);
    (at + (found.trailing_zeros() / 8) as usize, seen & HIGH != 0)
}

/// How many ASCII digits start at `from` in `bytes` (none past its end).
///
/// Eight bytes a step (SWAR: the flag of a byte that is not a digit is the
/// high bit of its distance from `0`, past 9, computed without carries
/// between bytes), the last step padded with a byte that is not one. Ids
/// here have seven or eight digits: a step or two, instead of a branch a
/// digit.
#[inline(always)]
fn digit_run(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let mut at = from;
    loop {
        let mut word = [b'x'; 8];
        match bytes.get(at..at + 8) {
            Some(whole) => word.copy_from_slice(whole),
            None => {
                let rest = bytes.get(at..).unwrap_or_default();
                word[..rest.len()].copy_from_slice(rest);
            }
        }
        // Each byte minus `0` (XOR: digits become 0 to 9, nothing else
        // does); then a byte is not a digit when its low seven bits plus
        // 0x76 reach 0x80 (it is 10 or more), or its own high bit is set.
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'0'));
        let not_digit = (((x & !HIGH) + ONES * 0x76) | x) & HIGH;
        if not_digit != 0 {
            return at - from + (not_digit.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte at every place of runs of every length up to three
    /// steps, and the end of the text.
    #[test]
    fn digit_run_counts_the_leading_digits() {
        for len in 0..26 {
            for from in 0..=len.min(3) {
                for at in 0..=len {
                    for byte in 0..=255u8 {
                        let mut bytes: Vec<u8> = (0..len).map(|i| b'0' + (i % 10) as u8).collect();
                        if at < len {
                            bytes[at] = byte;
                        }
                        let want = bytes[from..]
                            .iter()
                            .take_while(|b| b.is_ascii_digit())
                            .count();
                        assert_eq!(digit_run(&bytes, from), want, "{bytes:?} {from}");
                    }
                }
            }
        }
    }

    /// The stop and the flag over every length, place and neighbour, for
    /// this target's run and the plain one.
    #[test]
    fn plain_run_finds_the_first_stop_byte() {
        let runs: [Run; 2] = [plain_run, plain_run_portable];
        for plain_run in runs {
            plain_runs_find_the_first_stop_byte(plain_run);
        }
    }

    /// A string run: [`plain_run`] or [`plain_run_portable`].
    type Run = fn(&[u8], usize) -> (usize, bool);

    fn plain_runs_find_the_first_stop_byte(plain_run: Run) {
        for len in 0..40 {
            for stop in [b'"', b'\\', 0, 0x1f] {
                for at in 0..=len {
                    for wide in [None, Some(0), Some(len / 2)] {
                        let mut bytes = vec![b'a'; len];
                        bytes.extend_from_slice(b"\x7f\x20");
                        if let Some(w) = wide.filter(|&w| w < len) {
                            bytes[w] = 0xC3;
                        }
                        let expected_wide = wide.is_some_and(|w| w < at.min(len));
                        if at < len {
                            bytes[at] = stop;
                            // Bytes after a stop never hide it.
                            bytes[len - 1] = b'"';
                            let (end, flag) = plain_run(&bytes, 0);
                            assert_eq!(end, at, "{bytes:?}");
                            assert!(flag || !expected_wide, "{bytes:?}");
                        } else {
                            let (end, flag) = plain_run(&bytes, 0);
                            assert_eq!(end, bytes.len(), "{bytes:?}");
                            assert_eq!(flag, expected_wide, "{bytes:?}");
                        }
                    }
                }
            }
        }
    }
}
