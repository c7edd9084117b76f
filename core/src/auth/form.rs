//! `application/x-www-form-urlencoded`, the encoding of the authorize query, the token request
//! body and the redirect fragment.

use std::fmt::Write;

/// Encodes pairs as `k=v&k=v`, escaping all but RFC 3986's unreserved characters.
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        escape_into(&mut out, key);
        out.push('=');
        escape_into(&mut out, value);
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            write!(out, "%{byte:02X}").expect("writing to a String cannot fail");
        }
    }
}

/// Decodes `k=v&k=v` (a leading `#` or `?` is ignored); `+` is a space, bad escapes stay as written.
pub fn decode(text: &str) -> Vec<(String, String)> {
    let text = text.trim_start_matches(['#', '?']);
    text.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (unescape(key), unescape(value))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (b'+', None) => out.push(b' '),
            (other, None) => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_reserved_characters_and_keeps_unreserved_ones() {
        let encoded = encode([("scope", "openid https://x/y"), ("a-b._~", "é&=")]);
        assert_eq!(
            encoded,
            "scope=openid%20https%3A%2F%2Fx%2Fy&a-b._~=%C3%A9%26%3D"
        );
    }

    #[test]
    fn decoding_reverses_encoding() {
        let pairs = [
            ("redirect_uri", "http://127.0.0.1:8400/"),
            ("state", "a b+c%"),
        ];
        let decoded = decode(&encode(pairs));
        let expected: Vec<_> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn decodes_plus_as_space_and_keeps_a_broken_escape() {
        let decoded = decode("#error_description=bad+thing%2&x");
        assert_eq!(
            decoded[0],
            ("error_description".into(), "bad thing%2".into())
        );
        assert_eq!(decoded[1], ("x".into(), String::new()));
    }
}
