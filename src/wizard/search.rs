//! The cache list's search box: every word typed must appear in one of the row's fields.

/// Whether a row whose searchable fields are `fields` matches `query`. Each whitespace-separated
/// word must be found, ignoring case, in at least one field, so "orders west" finds the
/// `contoso-orders` cache in West Europe.
pub fn matches(fields: &[&str], query: &str) -> bool {
    query.split_whitespace().all(|word| {
        let word = word.to_lowercase();
        fields
            .iter()
            .any(|field| field.to_lowercase().contains(&word))
    })
}

#[cfg(test)]
mod tests {
    use super::matches;

    const ROW: [&str; 4] = [
        "contoso-orders",
        "orders-rg",
        "Contoso Production",
        "West Europe",
    ];

    #[test]
    fn an_empty_query_matches_everything() {
        assert!(matches(&ROW, ""));
        assert!(matches(&ROW, "   "));
    }

    #[test]
    fn each_word_may_match_a_different_field_ignoring_case() {
        assert!(matches(&ROW, "ORDERS west"));
        assert!(matches(&ROW, "production"));
        assert!(matches(&ROW, "rg europe"));
    }

    #[test]
    fn every_word_must_match_somewhere() {
        assert!(!matches(&ROW, "orders east"));
        assert!(!matches(&ROW, "development"));
    }
}
