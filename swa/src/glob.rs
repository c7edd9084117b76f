//! The wildcard patterns Static Web Apps accepts in `route` and `navigationFallback.exclude`:
//! `*` matches any run of characters (slashes included) and `{a,b}` lists alternatives.
//! Matching ignores ASCII case, as Static Web Apps does for paths.

/// A compiled pattern: its brace alternatives expanded into plain wildcard patterns.
#[derive(Debug, Clone)]
pub struct Glob {
    alternatives: Vec<Vec<u8>>,
}

impl Glob {
    pub fn new(pattern: &str) -> Self {
        let alternatives = expand_braces(&pattern.to_ascii_lowercase())
            .into_iter()
            .map(String::into_bytes)
            .collect();
        Self { alternatives }
    }

    pub fn matches(&self, path: &str) -> bool {
        let path = path.to_ascii_lowercase();
        self.alternatives
            .iter()
            .any(|pattern| wildcard_match(pattern, path.as_bytes()))
    }
}

/// `/a/*.{png,jpg}` becomes `/a/*.png` and `/a/*.jpg`; the first group is expanded, then the rest.
fn expand_braces(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_owned()];
    };
    let Some(close) = pattern[open..].find('}').map(|i| open + i) else {
        return vec![pattern.to_owned()];
    };
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    pattern[open + 1..close]
        .split(',')
        .flat_map(|choice| expand_braces(&format!("{head}{}{tail}", choice.trim())))
        .collect()
}

/// Iterative matcher with single-star backtracking: linear in practice, no recursion.
fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            backtrack = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star, from)) = backtrack {
            p = star + 1;
            t = from + 1;
            backtrack = Some((star, from + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn exact_routes_match_only_themselves() {
        let glob = Glob::new("/snippets");
        assert!(glob.matches("/snippets"));
        assert!(glob.matches("/Snippets"));
        assert!(!glob.matches("/snippets/x"));
        assert!(!glob.matches("/snippet"));
    }

    #[test]
    fn trailing_star_matches_the_prefix_and_below() {
        let glob = Glob::new("/admin*");
        assert!(glob.matches("/admin"));
        assert!(glob.matches("/admin/users/1"));
        assert!(!glob.matches("/adm"));
    }

    #[test]
    fn braces_list_extensions_at_any_depth() {
        let glob = Glob::new("/*.{wasm,js,css}");
        assert!(glob.matches("/keyless-abc_bg.wasm"));
        assert!(glob.matches("/deep/dir/app.JS"));
        assert!(glob.matches("/main.css"));
        assert!(!glob.matches("/caches"));
        assert!(!glob.matches("/main.css.map"));
    }

    #[test]
    fn stars_in_the_middle_backtrack() {
        let glob = Glob::new("/images/*/thumb-*.png");
        assert!(glob.matches("/images/a/b/thumb-1.png"));
        assert!(!glob.matches("/images/a/b/photo-1.png"));
    }
}
