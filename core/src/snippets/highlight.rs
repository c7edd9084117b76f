//! A small syntax highlighter for the generated code: keywords, strings and comments, rendered
//! as escaped HTML. It only has to be right for the code this module generates, and it keeps a
//! parser crate out of the wasm bundle.

use super::Language;

/// The kind of a highlighted piece of code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Plain,
    Keyword,
    String,
    Comment,
}

impl Class {
    /// The CSS class of a span of this kind (`None` for plain text).
    pub fn css(self) -> Option<&'static str> {
        match self {
            Class::Plain => None,
            Class::Keyword => Some("tok-kw"),
            Class::String => Some("tok-str"),
            Class::Comment => Some("tok-com"),
        }
    }
}

/// Splits `code` into classified pieces that, concatenated, give back `code` exactly.
pub fn tokens(code: &str, language: Language) -> Vec<(Class, &str)> {
    let mut pieces: Vec<(Class, &str)> = Vec::new();
    let bytes = code.as_bytes();
    let line_comment = language.comment().as_bytes();
    let (mut plain_start, mut i) = (0, 0);
    while i < bytes.len() {
        let rest = &bytes[i..];
        let (class, end) = if rest.starts_with(line_comment) {
            (
                Class::Comment,
                i + rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len()),
            )
        } else if is_quote(bytes[i], language) {
            (Class::String, string_end(bytes, i))
        } else if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let end = i + rest
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                .unwrap_or(rest.len());
            let word = &code[i..end];
            let starts_word =
                i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
            if starts_word && keywords(language).contains(&word) {
                (Class::Keyword, end)
            } else {
                i = end;
                continue;
            }
        } else {
            // Step over one whole character, so slicing stays on UTF-8 boundaries.
            i += code[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        if plain_start < i {
            pieces.push((Class::Plain, &code[plain_start..i]));
        }
        pieces.push((class, &code[i..end]));
        (plain_start, i) = (end, end);
    }
    if plain_start < code.len() {
        pieces.push((Class::Plain, &code[plain_start..]));
    }
    pieces
}

/// `code` as HTML: every piece escaped, highlighted pieces wrapped in `<span class="…">`.
pub fn to_html(code: &str, language: Language) -> String {
    tokens(code, language)
        .into_iter()
        .map(|(class, text)| match class.css() {
            Some(css) => format!("<span class=\"{css}\">{}</span>", escape(text)),
            None => escape(text),
        })
        .collect()
}

/// Escapes the characters that are special in HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn is_quote(byte: u8, language: Language) -> bool {
    match language {
        Language::Python => matches!(byte, b'"' | b'\''),
        Language::TypeScript => matches!(byte, b'"' | b'\'' | b'`'),
        Language::Go => matches!(byte, b'"' | b'`'),
        Language::CSharp | Language::Java | Language::Rust => byte == b'"',
    }
}

/// The index just past the string literal opening at `start` (or the end of its line).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            b'\n' if quote != b'`' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn keywords(language: Language) -> &'static [&'static str] {
    match language {
        Language::CSharp => &[
            "using", "var", "await", "new", "throw", "true", "false", "null", "string", "int",
            "class", "public", "static", "async", "return",
        ],
        Language::Python => &[
            "import", "from", "as", "def", "return", "True", "False", "None", "if", "else", "try",
            "except",
        ],
        Language::Java => &[
            "import", "public", "class", "static", "void", "new", "try", "finally", "throws",
            "return", "int", "true", "false", "null",
        ],
        Language::TypeScript => &[
            "import", "from", "const", "let", "async", "await", "function", "return", "new", "if",
            "throw", "try", "catch", "typeof", "void", "true", "false",
        ],
        Language::Go => &[
            "package", "import", "func", "if", "return", "defer", "var", "nil", "true", "false",
        ],
        Language::Rust => &[
            "use", "fn", "let", "mut", "async", "await", "struct", "Some", "None", "Ok", "true",
            "false",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_concatenate_back_to_the_code() {
        let code = "let x = \"a // not a comment\"; // ünïcode\nfn f() {}\n";
        let joined: String = tokens(code, Language::Rust)
            .iter()
            .map(|(_, t)| *t)
            .collect();
        assert_eq!(joined, code);
    }

    #[test]
    fn comments_strings_and_keywords_are_classified() {
        let pieces = tokens(
            "import os  # read \"secret\"\nx = 'it''s'",
            Language::Python,
        );
        assert!(pieces.contains(&(Class::Keyword, "import")));
        assert!(pieces.contains(&(Class::Comment, "# read \"secret\"")));
        assert!(pieces.contains(&(Class::String, "'it'")));
        assert!(
            !pieces
                .iter()
                .any(|(c, t)| *c == Class::Keyword && *t == "os")
        );
    }

    #[test]
    fn keywords_inside_identifiers_are_plain() {
        let pieces = tokens("let letter = importer;", Language::TypeScript);
        assert_eq!(
            pieces.iter().filter(|(c, _)| *c == Class::Keyword).count(),
            1
        );
    }

    #[test]
    fn escaped_quotes_stay_inside_the_string() {
        let pieces = tokens(r#"s := "a\"b" + c"#, Language::Go);
        assert!(pieces.contains(&(Class::String, r#""a\"b""#)));
    }

    #[test]
    fn html_is_escaped_inside_and_outside_spans() {
        let html = to_html("if (a < b) { x = \"<b>\"; }", Language::TypeScript);
        assert!(html.contains("&lt; b"));
        assert!(html.contains("<span class=\"tok-str\">&quot;&lt;b&gt;&quot;</span>"));
        assert!(html.starts_with("<span class=\"tok-kw\">if</span>"));
    }
}
