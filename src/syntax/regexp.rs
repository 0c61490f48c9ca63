//! Lucene's regular expressions (`firstName:/jo.*/`), read as Lucene 8's
//! `RegExp` reads them, and translated to the `regex` crate's syntax.
//!
//! ```text
//! regexp     = union ;
//! union      = inter , { "|" , inter } ;
//! inter      = concat , [ "&" , inter ] ;                 (* intersection: unsupported *)
//! concat     = repeat , { repeat } ;                      (* up to ")", "|", "&" or the end *)
//! repeat     = compl , { "?" | "*" | "+" | "{" , n , [ "," , [ m ] ] , "}" } ;
//! compl      = "~" , compl | class ;                      (* complement: unsupported *)
//! class      = "[" , [ "^" ] , item , { item } , "]" | simple ;
//! item       = char , [ "-" , char ] ;
//! simple     = "." | "#" | "@" | '"' , { any - '"' } , '"' | "(" , ")"
//!            | "(" , union , ")" | "<" , n , "-" , m , ">" | char ;
//! char       = "\" , any | any ;                          (* "\d" is the letter d *)
//! ```
//!
//! What Lucene's classic query parser does with `/…/` (checked against
//! Lucene 8.7, `tests/lucene/Harness.java`): the text between the slashes
//! is lower-cased as a whole by the analyser's `normalize` (so `[A-Z]` is
//! `[a-z]` and `\D` the letter `d`), then parsed with every `RegExp` flag
//! on, and the automaton must accept a whole token: there are no anchors,
//! `^` and `$` are ordinary characters, `.` is any code point, `#` the
//! empty language, `@` any string, `"…"` a literal string, `<1-12>` a
//! number in that interval, `~` the complement of what follows and `&` the
//! intersection. A character that has no special meaning where it stands is
//! itself (`|a` is the text `|a`, `[]a]` the class of `]` and `a`).
//!
//! Everything but complement, intersection and named automata (`<name>`)
//! translates exactly to the `regex` crate, whose matching is linear in the
//! token; those three are [`RegexProblem::Unsupported`]. A syntax error
//! (what Lucene rejects) is [`RegexProblem::Invalid`]. Both carry a byte
//! range of the pattern.
//!
//! This module knows no fields and no records; it never compiles: the
//! evaluator compiles the translation, with a size limit.

/// Why a pattern cannot be used: a byte range of the pattern and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegexProblem {
    /// What is wrong.
    pub kind: RegexProblemKind,
    /// Byte offset of the start of the offending text, in the pattern.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
}

/// The two kinds of problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegexProblemKind {
    /// Lucene rejects it too.
    Invalid(String),
    /// Lucene accepts it, hsq cannot evaluate it.
    Unsupported(&'static str),
}

/// The deepest nesting of parentheses accepted, and the most repetition
/// operators on one operand (`a*?` is two). Lucene's recursive parser has
/// its own limit (its thread's stack); these keep the translation within
/// the `regex` crate's nesting limit (250: a group and a repetition are a
/// level each, so 32 × (1 + 2 × 2) plus the outer groups), and the
/// translation linear in the pattern (each operator wraps its operand once).
const NESTING_MAX: usize = 32;
const REPEATS_MAX: usize = 2;

/// The largest repetition count or interval bound: Java's `int`.
const INT_MAX: u64 = i32::MAX as u64;

/// A regex-crate pattern (anchored at both ends of the token) that matches
/// exactly the tokens Lucene's `RegExp` for `pattern` accepts, `pattern`
/// being the text between the slashes as written (not yet lower-cased).
pub(crate) fn translate(pattern: &str) -> Result<String, RegexProblem> {
    let mut reader = Reader {
        src: pattern,
        pos: 0,
        depth: 0,
    };
    let mut out = String::with_capacity(pattern.len() * 2 + 8);
    out.push_str(r"\A(?:");
    if !pattern.is_empty() {
        let weight = reader.union(&mut out)?;
        if reader.pos < pattern.len() {
            return Err(reader.invalid_here("end of the expression expected"));
        }
        if weight > WEIGHT_MAX {
            return Err(RegexProblem {
                kind: RegexProblemKind::Unsupported(TOO_LARGE),
                start: 0,
                end: pattern.len(),
            });
        }
    }
    out.push_str(r")\z");
    Ok(out)
}

/// What an expression too large to compile is called.
const TOO_LARGE: &str = "more memory than hsq allows (about 1 MiB compiled)";

/// The most an expression may weigh. A weight is an upper estimate of its
/// compiled size in units of 32 bytes, about one state of the `regex`
/// crate's automaton (measured: a literal byte takes 32 bytes, `.` or a
/// negated class about 1 KiB, `[a-z]` 72 bytes), counted while
/// translating, so that the parser rejects what would not compile within
/// [`SIZE_LIMIT`] without compiling anything (the validation WebAssembly
/// module carries no regex engine). Half the limit, for margin.
const WEIGHT_MAX: u64 = (SIZE_LIMIT as u64 / 32) / 2;

/// The weight of `.`, `@` and classes that reach past ASCII.
const WIDE: u64 = 32;

/// The most memory a compiled expression may take (the `regex` crate's
/// size limits): past it, [`RegexProblemKind::Unsupported`], never
/// unbounded memory.
pub(crate) const SIZE_LIMIT: usize = 1 << 20;

/// `pattern` (the text between the slashes) checked, translated and
/// compiled, within [`SIZE_LIMIT`].
pub(crate) fn compile(pattern: &str) -> Result<regex::Regex, RegexProblem> {
    let translated = translate(pattern)?;
    regex::RegexBuilder::new(&translated)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .map_err(|_| RegexProblem {
            kind: RegexProblemKind::Unsupported(TOO_LARGE),
            start: 0,
            end: pattern.len(),
        })
}

/// Never matches anything (Lucene's empty language, `#`).
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

struct Reader<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    /// The next character, lower-cased as Lucene's `normalize` does.
    fn peek(&self) -> Option<char> {
        self.src[self.pos..]
            .chars()
            .next()
            .map(crate::text::lowercase_char)
    }

    fn more(&self) -> bool {
        self.pos < self.src.len()
    }

    fn matches(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// The next character (lower-cased), or the error Lucene gives at the end.
    fn next(&mut self) -> Result<char, RegexProblem> {
        let raw = self.src[self.pos..]
            .chars()
            .next()
            .ok_or_else(|| self.invalid_here("unexpected end of the expression"))?;
        self.pos += raw.len_utf8();
        Ok(crate::text::lowercase_char(raw))
    }

    fn invalid_here(&self, message: &str) -> RegexProblem {
        let end = self.src[self.pos..]
            .chars()
            .next()
            .map_or(self.pos, |c| self.pos + c.len_utf8());
        RegexProblem {
            kind: RegexProblemKind::Invalid(message.to_owned()),
            start: self.pos,
            end,
        }
    }

    fn unsupported(&self, start: usize, what: &'static str) -> RegexProblem {
        RegexProblem {
            kind: RegexProblemKind::Unsupported(what),
            start,
            end: self.pos.max(start + 1).min(self.src.len()),
        }
    }

    fn enter(&mut self, start: usize) -> Result<(), RegexProblem> {
        self.depth += 1;
        if self.depth > NESTING_MAX {
            return Err(self.unsupported(start, "parentheses nested deeper than 32 levels"));
        }
        Ok(())
    }

    /// `union = inter , { "|" , inter }`
    fn union(&mut self, out: &mut String) -> Result<u64, RegexProblem> {
        out.push_str("(?:");
        let mut weight = self.inter(out)?;
        while self.matches('|') {
            out.push('|');
            weight = weight.saturating_add(self.inter(out)?).saturating_add(1);
        }
        out.push(')');
        Ok(weight)
    }

    /// `inter = concat , [ "&" , inter ]`
    fn inter(&mut self, out: &mut String) -> Result<u64, RegexProblem> {
        let weight = self.concat(out)?;
        let at = self.pos;
        if self.matches('&') {
            return Err(self.unsupported(at, "'&' (intersection)"));
        }
        Ok(weight)
    }

    /// `concat = repeat , { repeat }`, up to `)`, `|`, `&` or the end.
    fn concat(&mut self, out: &mut String) -> Result<u64, RegexProblem> {
        let mut weight = self.repeat(out)?;
        while self.more() && !matches!(self.peek(), Some(')' | '|' | '&')) {
            weight = weight.saturating_add(self.repeat(out)?);
        }
        Ok(weight)
    }

    /// `repeat = compl , { "?" | "*" | "+" | "{" … "}" }`
    fn repeat(&mut self, out: &mut String) -> Result<u64, RegexProblem> {
        let mut operand = String::new();
        let mut weight = self.compl(&mut operand)?;
        let mut repeats = 0;
        while let Some(c @ ('?' | '*' | '+' | '{')) = self.peek() {
            repeats += 1;
            if repeats > REPEATS_MAX {
                let at = self.pos;
                self.pos += 1;
                return Err(self.unsupported(at, "more than two repetition operators in a row"));
            }
            self.pos += 1;
            let suffix = match c {
                '{' => {
                    let n = self
                        .count()?
                        .ok_or_else(|| self.invalid_here("a number expected after '{'"))?;
                    let m = if self.matches(',') {
                        self.count()?
                    } else {
                        Some(n)
                    };
                    if !self.matches('}') {
                        return Err(self.invalid_here("'}' expected"));
                    }
                    match m {
                        None => {
                            weight = weight.saturating_mul(n + 1).saturating_add(1);
                            format!("{{{n},}}")
                        }
                        // Lucene: an empty language, not an error.
                        Some(m) if n > m => {
                            operand = NOTHING.to_owned();
                            weight = 1;
                            continue;
                        }
                        Some(m) => {
                            weight = weight.saturating_mul(m.max(1)).saturating_add(m - n);
                            format!("{{{n},{m}}}")
                        }
                    }
                }
                // A loop around the operand, not a copy of it.
                c => {
                    weight = weight.saturating_add(1);
                    c.to_string()
                }
            };
            // Past the limit already: stop before the text grows further.
            if weight > WEIGHT_MAX {
                return Err(RegexProblem {
                    kind: RegexProblemKind::Unsupported(TOO_LARGE),
                    start: 0,
                    end: self.pos,
                });
            }
            operand = format!("(?:{operand}){suffix}");
        }
        out.push_str(&operand);
        Ok(weight)
    }

    /// ASCII digits as a Java `int`, or `None` when there are none.
    fn count(&mut self) -> Result<Option<u64>, RegexProblem> {
        let start = self.pos;
        let digits = self.src[start..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if digits == 0 {
            return Ok(None);
        }
        self.pos += digits;
        match self.src[start..self.pos].parse::<u64>() {
            Ok(n) if n <= INT_MAX => Ok(Some(n)),
            _ => Err(RegexProblem {
                kind: RegexProblemKind::Invalid("the number is too large".to_owned()),
                start,
                end: self.pos,
            }),
        }
    }

    /// `compl = "~" , compl | class`
    fn compl(&mut self, out: &mut String) -> Result<u64, RegexProblem> {
        let at = self.pos;
        if self.matches('~') {
            return Err(self.unsupported(at, "'~' (complement)"));
        }
        self.class(out)
    }

    /// `class = "[" , [ "^" ] , item , { item } , "]" | simple`
    fn class(&mut self, out: &mut String) -> Result<u64, RegexProblem> {
        if !self.matches('[') {
            return self.simple(out);
        }
        out.push('[');
        let mut weight = 2;
        if self.matches('^') {
            out.push('^');
            weight = WIDE;
        }
        loop {
            let from = self.char_exp()?;
            let from_at = self.pos;
            if self.matches('-') {
                let to = self.char_exp()?;
                if from > to {
                    return Err(RegexProblem {
                        kind: RegexProblemKind::Invalid(format!(
                            "the range {from}-{to} runs backwards"
                        )),
                        start: from_at.saturating_sub(from.len_utf8()),
                        end: self.pos,
                    });
                }
                out.push_str(&format!(r"\x{{{:X}}}-\x{{{:X}}}", from as u32, to as u32));
                weight += if to.is_ascii() { 1 } else { WIDE };
            } else {
                out.push_str(&format!(r"\x{{{:X}}}", from as u32));
                weight += from.len_utf8() as u64;
            }
            if !self.more() || self.peek() == Some(']') {
                break;
            }
        }
        if !self.matches(']') {
            return Err(self.invalid_here("']' expected"));
        }
        out.push(']');
        Ok(weight)
    }

    /// `char = "\" , any | any`
    fn char_exp(&mut self) -> Result<char, RegexProblem> {
        self.matches('\\');
        self.next()
    }

    /// `simple`: one atom.
    fn simple(&mut self, out: &mut String) -> Result<u64, RegexProblem> {
        let start = self.pos;
        let mut weight = 1;
        if self.matches('.') {
            out.push_str("(?s:.)");
            weight = WIDE;
        } else if self.matches('#') {
            out.push_str(NOTHING);
        } else if self.matches('@') {
            out.push_str("(?s:.*)");
            weight = WIDE + 1;
        } else if self.matches('"') {
            let Some(len) = self.src[self.pos..].find('"') else {
                self.pos = self.src.len();
                return Err(self.invalid_here("'\"' expected"));
            };
            let text: String = self.src[self.pos..self.pos + len]
                .chars()
                .map(crate::text::lowercase_char)
                .collect();
            self.pos += len + 1;
            out.push_str("(?:");
            out.push_str(&regex::escape(&text));
            out.push(')');
            weight = text.len() as u64 + 1;
        } else if self.matches('(') {
            if self.matches(')') {
                out.push_str("(?:)");
                return Ok(1);
            }
            self.enter(start)?;
            weight = self.union(out)?;
            self.depth -= 1;
            if !self.matches(')') {
                return Err(self.invalid_here("')' expected"));
            }
        } else if self.matches('<') {
            let Some(len) = self.src[self.pos..].find('>') else {
                self.pos = self.src.len();
                return Err(self.invalid_here("'>' expected"));
            };
            let body = &self.src[self.pos..self.pos + len];
            self.pos += len + 1;
            let interval = self.interval(body, start)?;
            weight = interval.len() as u64;
            out.push_str(&interval);
        } else {
            let c = self.char_exp()?;
            let mut buf = [0u8; 4];
            out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
            weight = c.len_utf8() as u64;
        }
        Ok(weight)
    }

    /// `<n-m>`: a number between n and m (either order) in decimal; with
    /// the same number of digits written on both sides, exactly that many
    /// digits (zero-padded), otherwise any number of leading zeros. `<name>`
    /// (a named automaton) is not supported; neither is Lucene's own.
    fn interval(&self, body: &str, start: usize) -> Result<String, RegexProblem> {
        let Some(dash) = body.find('-') else {
            return Err(self.unsupported(start, "a named automaton (<name>)"));
        };
        let invalid = || RegexProblem {
            kind: RegexProblemKind::Invalid("an interval is <min-max>, two numbers".to_owned()),
            start,
            end: self.pos,
        };
        let (low, high) = (&body[..dash], &body[dash + 1..]);
        let number = |s: &str| -> Option<u64> {
            let digits = s.strip_prefix('+').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse::<u64>().ok().filter(|&n| n <= INT_MAX)
        };
        let (Some(a), Some(b)) = (number(low), number(high)) else {
            return Err(invalid());
        };
        let (min, max) = (a.min(b), a.max(b));
        let width = if low.len() == high.len() {
            low.len()
        } else {
            0
        };
        Ok(decimal_interval(min, max, width))
    }
}

/// A pattern for the decimal numbers from `min` to `max`: exactly `width`
/// digits (zero-padded) when `width > 0`, otherwise with any number of
/// leading zeros (Lucene's `Automata.makeDecimalInterval`).
fn decimal_interval(min: u64, max: u64, width: usize) -> String {
    if width > 0 {
        let lo = format!("{min:0width$}");
        let hi = format!("{max:0width$}");
        if lo.len() > width || hi.len() > width {
            // A bound with more digits than the width: only what fits.
            let cap = 10u64.saturating_pow(width as u32).saturating_sub(1);
            if min > cap {
                return NOTHING.to_owned();
            }
            return decimal_interval(min, max.min(cap), width);
        }
        return format!("(?:{})", fixed_width(lo.as_bytes(), hi.as_bytes()));
    }
    let mut alternatives = Vec::new();
    let (lo_len, hi_len) = (min.to_string().len(), max.to_string().len());
    for len in lo_len..=hi_len {
        let lo = if len == lo_len {
            min
        } else {
            10u64.pow(len as u32 - 1)
        };
        let hi = if len == hi_len {
            max
        } else {
            10u64.pow(len as u32) - 1
        };
        alternatives.push(fixed_width(
            lo.to_string().as_bytes(),
            hi.to_string().as_bytes(),
        ));
    }
    format!("0*(?:{})", alternatives.join("|"))
}

/// The strings of `lo.len()` digits from `lo` to `hi` (same length, `lo <= hi`).
fn fixed_width(lo: &[u8], hi: &[u8]) -> String {
    let Some((&l, lo_rest)) = lo.split_first() else {
        return String::new();
    };
    let (&h, hi_rest) = hi.split_first().unwrap_or((&b'9', &[]));
    if l == h {
        return format!("{}{}", l as char, fixed_width(lo_rest, hi_rest));
    }
    let rest = lo_rest.len();
    let nines = vec![b'9'; rest];
    let zeros = vec![b'0'; rest];
    let mut parts = vec![format!("{}{}", l as char, fixed_width(lo_rest, &nines))];
    if h - l > 1 {
        parts.push(format!(
            "[{}-{}][0-9]{{{rest}}}",
            (l + 1) as char,
            (h - 1) as char
        ));
    }
    parts.push(format!("{}{}", h as char, fixed_width(&zeros, hi_rest)));
    format!("(?:{})", parts.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deepest nesting accepted compiles (on a test thread's stack).
    #[test]
    fn the_deepest_accepted_nesting_compiles() {
        let deepest = format!("{}a{}", "(".repeat(32), ")*?".repeat(32));
        assert!(compile(&deepest).is_ok(), "{deepest}");
        let deeper = format!("{}a{}", "(".repeat(33), ")".repeat(33));
        assert!(translate(&deeper).is_err());
        assert!(translate("a*?+").is_err());
        // Linear, however hostile: 20 000 `{1}` would be quadratic to wrap.
        assert!(translate(&format!("a{}", "{1}".repeat(20_000))).is_err());
    }

    /// What the weight lets through compiles within the size limit: the
    /// largest of each kind of expression that passes.
    #[test]
    fn what_the_weight_accepts_compiles() {
        let kinds: [fn(u64) -> String; 7] = [
            |n| format!("a{{{n}}}"),
            |n| format!(".{{{n}}}"),
            |n| format!("[^a]{{{n}}}"),
            |n| format!("[a-z]{{1,{n}}}"),
            |n| format!("(ab|cd)*{{{n}}}"),
            |n| format!("é{{{n},}}"),
            |n| "@".repeat(n as usize),
        ];
        for kind in kinds {
            let (mut lo, mut hi) = (1u64, 1_000_000u64);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if translate(&kind(mid)).is_ok() {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            let largest = kind(lo);
            assert!(
                compile(&largest).is_ok(),
                "{largest} passes but does not compile"
            );
        }
    }

    fn matches(pattern: &str, token: &str) -> bool {
        let translated = translate(pattern).expect("a valid pattern");
        regex::Regex::new(&translated)
            .expect("a valid translation")
            .is_match(token)
    }

    #[test]
    fn lucene_semantics() {
        let table: &[(&str, &str, bool)] = &[
            ("jo.*", "john", true),
            ("jo.*", "ajohn", false),
            ("JO.*", "john", true),
            ("[A-Z]ane", "jane", true),
            ("j.n", "jén", true),
            ("j.n", "j😀n", true),
            ("^jo$", "^jo$", true),
            ("\\d", "d", true),
            ("|jo", "|jo", true),
            ("[]j]ohn", "john", true),
            ("[]j]ohn", "]ohn", true),
            ("[^a]", "b", true),
            ("[^a]", "a", false),
            ("a{3,2}", "aa", false),
            ("a{2}", "aa", true),
            ("a{2,}", "aaaa", true),
            ("a**", "aaa", true),
            ("j#", "j", false),
            ("@", "anything", true),
            ("\"A.B\"", "a.b", true),
            ("\"A.B\"", "axb", false),
            ("()", "", true),
            ("(jo|ja)ne", "jane", true),
            ("<1-12>", "007", true),
            ("<1-12>", "13", false),
            ("<01-12>", "07", true),
            ("<01-12>", "7", false),
            ("<12-1>", "12", true),
            ("<0-255>", "200", true),
            ("<0-255>", "256", false),
            ("<0-255>", "0", true),
            ("", "", true),
            ("a\\/b", "a/b", true),
            ("a\\\\", "a\\", true),
        ];
        for &(pattern, token, expected) in table {
            assert_eq!(
                matches(pattern, token),
                expected,
                "/{pattern}/ on {token:?}"
            );
        }
    }

    #[test]
    fn problems() {
        let invalid = [
            "jo.*|", "a{", "a{,2}", "[a", "[b-a]", "(a", "\"a", "a)", "a\\", "<1-x>",
        ];
        for pattern in invalid {
            let problem = translate(pattern).expect_err(pattern);
            assert!(
                matches!(problem.kind, RegexProblemKind::Invalid(_)),
                "{pattern}: {problem:?}"
            );
            assert!(problem.start <= problem.end && problem.end <= pattern.len());
        }
        for pattern in [
            "~a",
            "a&b",
            "<name>",
            ".{600}",
            "((a{100}){100}){100}",
            "a{1000000}",
        ] {
            let problem = translate(pattern).expect_err(pattern);
            assert!(
                matches!(problem.kind, RegexProblemKind::Unsupported(_)),
                "{pattern}: {problem:?}"
            );
        }
    }
}
