//! URL query strings: form decoding and RFC 3986 percent-encoding.
//!
//! Decoding follows `application/x-www-form-urlencoded`: pairs split at `&`,
//! name and value at the first `=`, `+` is a space, `%XX` is a byte, and the
//! result must be UTF-8. Encoding is strict: every byte outside RFC 3986's
//! unreserved set (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, so a space is
//! `%20` and a `+` is `%2B`, and the URL reads the same under any decoder.

/// One decoded `name=value` pair, with what the decoder noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The decoded name.
    pub name: String,
    /// The decoded value (empty when there was no `=`).
    pub value: String,
    /// Byte offsets in `value` of spaces that were written as `+`.
    pub plus_spaces: Vec<usize>,
}

/// Why a query string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A `%` not followed by two hex digits.
    #[error("'%' must be followed by two hexadecimal digits, at byte {offset} of '{part}'")]
    BadEscape {
        /// The raw `name=value` text.
        part: String,
        /// Where in it.
        offset: usize,
    },
    /// The decoded bytes are not UTF-8.
    #[error("'{part}' does not decode to UTF-8 text")]
    NotUtf8 {
        /// The raw `name=value` text.
        part: String,
    },
}

impl FormError {
    /// The raw `name=value` text the error is about.
    pub fn part(&self) -> &str {
        match self {
            FormError::BadEscape { part, .. } | FormError::NotUtf8 { part } => part,
        }
    }
}

/// Splits and decodes a query string (a leading `?` is ignored; empty pairs,
/// as in `a=1&&b=2`, are skipped), failing at the first bad pair.
#[cfg(test)]
fn decode(query_string: &str) -> Result<Vec<Pair>, FormError> {
    decode_each(query_string)
        .into_iter()
        .map(|pair| pair.map_err(|bad| bad.error))
        .collect()
}

/// A pair that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPair {
    /// The name, decoded when it could be, as written otherwise.
    pub name: String,
    /// The value as written.
    pub raw_value: String,
    /// What is wrong.
    pub error: FormError,
}

/// Like [`decode`], pair by pair, so that one bad pair does not hide the
/// others.
pub fn decode_each(query_string: &str) -> Vec<Result<Pair, BadPair>> {
    let query_string = query_string.strip_prefix('?').unwrap_or(query_string);
    query_string
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (raw_name, raw_value) = part.split_once('=').unwrap_or((part, ""));
            let name = decode_component(raw_name, part, 0);
            let value = decode_component(raw_value, part, raw_name.len() + 1);
            match (name, value) {
                (Ok((name, _)), Ok((value, plus_spaces))) => Ok(Pair {
                    name,
                    value,
                    plus_spaces,
                }),
                (name, value) => Err(BadPair {
                    name: name.as_ref().map_or(raw_name, |(n, _)| n).to_owned(),
                    raw_value: raw_value.to_owned(),
                    error: match (name, value) {
                        (Err(e), _) | (_, Err(e)) => e,
                        (Ok(_), Ok(_)) => unreachable!("handled above"),
                    },
                }),
            }
        })
        .collect()
}

fn decode_component(raw: &str, part: &str, base: usize) -> Result<(String, Vec<usize>), FormError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut plus_spaces = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                plus_spaces.push(out.len());
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                // Two hex digits exactly (`u8::from_str_radix` would take "+9").
                let hex = match bytes.get(i + 1..i + 3) {
                    Some(&[hi, lo]) if hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit() => {
                        Some(hex_value(hi) * 16 + hex_value(lo))
                    }
                    _ => None,
                };
                let Some(byte) = hex else {
                    return Err(FormError::BadEscape {
                        part: part.to_owned(),
                        offset: base + i,
                    });
                };
                out.push(byte);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(out).map_err(|_| FormError::NotUtf8 {
        part: part.to_owned(),
    })?;
    Ok((text, plus_spaces))
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

/// Percent-encodes every byte outside RFC 3986's unreserved characters:
/// `encode("a b+c\"é")` is `a%20b%2Bc%22%C3%A9`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_table() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("", &[]),
            ("a=1&b=2", &[("a", "1"), ("b", "2")]),
            ("a", &[("a", "")]),
            ("a=&&b==", &[("a", ""), ("b", "=")]),
            ("q=%2B%20+x", &[("q", "+  x")]),
            ("q=%C3%A9", &[("q", "é")]),
            ("%71=1", &[("q", "1")]),
        ];
        for (input, expected) in cases {
            let pairs = decode(input).unwrap();
            let got: Vec<(&str, &str)> = pairs
                .iter()
                .map(|p| (p.name.as_str(), p.value.as_str()))
                .collect();
            assert_eq!(&got, expected, "{input}");
        }
    }

    #[test]
    fn decoding_keeps_plus_spaces_and_encoding_escapes_all_but_unreserved() {
        let pairs = decode("?query=(firstName:%22John%22)+AND&page=2").unwrap();
        assert_eq!(pairs[0].value, "(firstName:\"John\") AND");
        assert_eq!(pairs[0].plus_spaces, [18]);
        assert_eq!(pairs[1].name, "page");
        assert_eq!(encode("a b+c\"é~-._"), "a%20b%2Bc%22%C3%A9~-._");
    }

    #[test]
    fn decoding_errors() {
        assert!(matches!(
            decode("q=%2"),
            Err(FormError::BadEscape { offset: 2, .. })
        ));
        assert!(matches!(decode("q=%zz"), Err(FormError::BadEscape { .. })));
        assert!(matches!(decode("q=%+9"), Err(FormError::BadEscape { .. })));
        assert!(matches!(decode("q=%FF"), Err(FormError::NotUtf8 { .. })));
    }
}
