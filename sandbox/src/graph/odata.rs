//! The OData query options Graph directory lists take: `$filter` (startswith, eq, and, or,
//! parentheses) and `$search` ("property:term" clauses), evaluated on JSON objects.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    StartsWith(String, String),
    Eq(String, String),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Open,
    Close,
    Comma,
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            '\'' => {
                let mut literal = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            literal.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => literal.push(c),
                        None => return Err("unterminated string literal".into()),
                    }
                }
                out.push(Token::Text(literal));
            }
            c if c.is_alphanumeric() || c == '_' || c == '/' || c == '.' => {
                let mut word = c.to_string();
                while let Some(&n) = chars.peek().filter(|n| n.is_alphanumeric() || **n == '_' || **n == '/' || **n == '.') {
                    word.push(n);
                    chars.next();
                }
                out.push(Token::Word(word));
            }
            other => return Err(format!("unexpected character '{other}'")),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    properties: &'a [&'a str],
}

impl Parser<'_> {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn expect(&mut self, wanted: Token) -> Result<(), String> {
        match self.next() {
            Some(token) if token == wanted => Ok(()),
            other => Err(format!("expected {wanted:?}, found {other:?}")),
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn property(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Word(name)) => self
                .properties
                .iter()
                .find(|p| p.eq_ignore_ascii_case(&name))
                .map(|p| (*p).to_owned())
                .ok_or_else(|| format!("Could not find a property named '{name}'")),
            other => Err(format!("expected a property, found {other:?}")),
        }
    }

    fn text(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Text(text)) => Ok(text),
            other => Err(format!("expected a string literal, found {other:?}")),
        }
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.at += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.atom()?;
        while self.keyword("and") {
            self.at += 1;
            left = Filter::And(Box::new(left), Box::new(self.atom()?));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<Filter, String> {
        if self.tokens.get(self.at) == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or()?;
            self.expect(Token::Close)?;
            return Ok(inner);
        }
        if self.keyword("startswith") {
            self.at += 1;
            self.expect(Token::Open)?;
            let property = self.property()?;
            self.expect(Token::Comma)?;
            let prefix = self.text()?;
            self.expect(Token::Close)?;
            return Ok(Filter::StartsWith(property, prefix));
        }
        let property = self.property()?;
        match self.next() {
            Some(Token::Word(op)) if op.eq_ignore_ascii_case("eq") => Ok(Filter::Eq(property, self.text()?)),
            other => Err(format!("unsupported operator {other:?}: use eq or startswith")),
        }
    }
}

impl Filter {
    /// Parses a `$filter` over the given filterable properties.
    pub fn parse(text: &str, properties: &[&str]) -> Result<Filter, String> {
        let mut parser = Parser { tokens: tokens(text)?, at: 0, properties };
        let filter = parser.or()?;
        match parser.next() {
            None => Ok(filter),
            Some(extra) => Err(format!("unexpected {extra:?} after the filter")),
        }
    }

    pub fn matches(&self, object: &Map<String, Value>) -> bool {
        let text = |p: &str| object.get(p).and_then(Value::as_str).unwrap_or_default().to_lowercase();
        match self {
            Filter::StartsWith(p, prefix) => text(p).starts_with(&prefix.to_lowercase()),
            Filter::Eq(p, value) => text(p) == value.to_lowercase(),
            Filter::And(a, b) => a.matches(object) && b.matches(object),
            Filter::Or(a, b) => a.matches(object) || b.matches(object),
        }
    }
}

/// `$search`: quoted "property:term" clauses joined by OR / AND; a term matches the start of
/// any word of the property.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    any_of: Vec<Vec<(String, String)>>,
}

impl Search {
    pub fn parse(text: &str, properties: &[&str]) -> Result<Search, String> {
        let mut any_of = vec![Vec::new()];
        let mut rest = text.trim();
        while !rest.is_empty() {
            let clause = rest.strip_prefix('"').ok_or("each $search clause is a quoted \"property:term\"")?;
            let (inside, after) = clause.split_once('"').ok_or("unterminated $search clause")?;
            let (property, term) = inside.split_once(':').unwrap_or(("displayName", inside));
            let property = properties.iter().find(|p| p.eq_ignore_ascii_case(property)).ok_or_else(|| format!("Could not find a property named '{property}'"))?;
            any_of.last_mut().expect("non-empty").push(((*property).to_owned(), term.to_lowercase()));
            rest = after.trim_start();
            if let Some(next) = rest.strip_prefix("OR ") {
                any_of.push(Vec::new());
                rest = next.trim_start();
            } else if let Some(next) = rest.strip_prefix("AND ") {
                rest = next.trim_start();
            } else if !rest.is_empty() {
                return Err(format!("unexpected '{rest}' in $search"));
            }
        }
        Ok(Search { any_of })
    }

    pub fn matches(&self, object: &Map<String, Value>) -> bool {
        let word_starts = |p: &str, term: &str| {
            let value = object.get(p).and_then(Value::as_str).unwrap_or_default().to_lowercase();
            value.starts_with(term) || value.split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with(term))
        };
        self.any_of.iter().any(|all| all.iter().all(|(p, term)| word_starts(p, term)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PROPERTIES: [&str; 3] = ["displayName", "userPrincipalName", "appId"];

    fn object(name: &str, upn: &str) -> Map<String, Value> {
        json!({"displayName": name, "userPrincipalName": upn}).as_object().unwrap().clone()
    }

    #[test]
    fn filters_combine_startswith_and_eq() {
        let filter = Filter::parse("startswith(displayName,'dan') or startswith(userPrincipalName,'dan')", &PROPERTIES).unwrap();
        assert!(filter.matches(&object("Dana Developer", "x@y")));
        assert!(filter.matches(&object("X", "dana@y")));
        assert!(!filter.matches(&object("Avery", "admin@y")));
        let quoted = Filter::parse("displayName eq 'O''Brien'", &PROPERTIES).unwrap();
        assert!(quoted.matches(&object("O'Brien", "")));
        assert!(Filter::parse("contains(displayName,'a')", &PROPERTIES).is_err());
        assert!(Filter::parse("startswith(jobTitle,'a')", &PROPERTIES).is_err());
    }

    #[test]
    fn search_matches_word_prefixes() {
        let search = Search::parse("\"displayName:dev\" OR \"userPrincipalName:zzz\"", &PROPERTIES).unwrap();
        assert!(search.matches(&object("Dana Developer", "d@y")));
        assert!(!search.matches(&object("Avery Admin", "a@y")));
    }
}
