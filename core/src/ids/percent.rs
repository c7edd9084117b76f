//! Percent-encoding for the two places user-chosen text enters a URL: a path segment (a policy
//! named "Data Owner") and a query value (a Graph `$filter` with quotes and spaces).

/// Percent-encodes `s` for use as one URL path segment or one query value: everything but
/// RFC 3986 unreserved characters is escaped, so a space becomes `%20`, a `/` cannot start a new
/// segment, and `&`, `=`, `+` and `'` cannot break a query apart.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_slashes_and_quotes_are_escaped() {
        assert_eq!(percent_encode("Data Owner"), "Data%20Owner");
        assert_eq!(percent_encode("a/b"), "a%2Fb");
        assert_eq!(
            percent_encode("startswith(displayName,'O''Neil')"),
            "startswith%28displayName%2C%27O%27%27Neil%27%29"
        );
        assert_eq!(percent_encode("a&b=c+d"), "a%26b%3Dc%2Bd");
    }

    #[test]
    fn non_ascii_is_encoded_as_utf8_bytes() {
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode("cache-1_x.y~z"), "cache-1_x.y~z");
    }
}
