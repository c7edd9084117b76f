//! Azure resource names. Resource Manager treats names case-insensitively, so these compare and
//! hash ignoring ASCII case while keeping the casing they were given for display.

use super::{IdError, string_id};

/// Declares a name newtype with case-insensitive equality and the given checking rule.
macro_rules! name_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(String);

        impl $name {
            /// Checks the name against the rule the service applies, so a bad name is refused
            /// before any request is sent.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                let check: fn(&str) -> Result<(), &'static str> = $check;
                check(s).map(|()| Self(s.to_owned())).map_err(|rule| IdError::new($what, s, rule))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.eq_ignore_ascii_case(&other.0)
            }
        }

        impl Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, h: &mut H) {
                self.0.to_ascii_lowercase().hash(h)
            }
        }

        string_id!($name);
    };
}

name_id!(
    /// A cache's name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit.
    CacheName,
    "cache name",
    |s| {
        length(s, 1, 63, "must be 1 to 63 characters long")?;
        letters_digits_hyphens(s, false)
    }
);

name_id!(
    /// A resource group's name: 1-90 letters, digits, underscores, hyphens, periods and
    /// parentheses, not ending with a period.
    ResourceGroupName,
    "resource group name",
    |s| {
        length(s, 1, 90, "must be 1 to 90 characters long")?;
        if !s.chars().all(|c| c.is_alphanumeric() || "_-.()".contains(c)) {
            return Err("only letters, digits, underscores, hyphens, periods and parentheses are allowed");
        }
        if s.ends_with('.') {
            return Err("must not end with a period");
        }
        Ok(())
    }
);

name_id!(
    /// An access policy's name: 3-63 letters, digits, hyphens and spaces ("Data Owner"), starting
    /// and ending with a letter or digit. Spaces are why paths must be built with
    /// [`percent_encode`](super::percent_encode).
    PolicyName,
    "access policy name",
    |s| {
        length(s, 3, 63, "must be 3 to 63 characters long")?;
        letters_digits_hyphens(s, true)
    }
);

name_id!(
    /// An access policy assignment's name: 3-63 letters, digits and hyphens, starting and ending
    /// with a letter or digit. Keyless names each assignment after its principal's object id
    /// ([`AssignmentName::for_principal`]), which makes every write idempotent.
    AssignmentName,
    "access policy assignment name",
    |s| {
        length(s, 3, 63, "must be 3 to 63 characters long")?;
        letters_digits_hyphens(s, false)
    }
);

impl AssignmentName {
    /// The deterministic name of the assignment for `object_id`: the object id itself, so a
    /// repeated PUT updates the same assignment instead of adding a second one.
    pub fn for_principal(object_id: &super::ObjectId) -> Self {
        Self(object_id.as_str().to_owned())
    }
}

fn length(s: &str, min: usize, max: usize, rule: &'static str) -> Result<(), &'static str> {
    (min..=max)
        .contains(&s.chars().count())
        .then_some(())
        .ok_or(rule)
}

/// The spec's `^([a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]|[a-zA-Z0-9])$`, with spaces inside when asked.
fn letters_digits_hyphens(s: &str, spaces: bool) -> Result<(), &'static str> {
    let inner_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || (spaces && c == ' ');
    if !s.chars().all(inner_ok) {
        return Err(if spaces {
            "only letters, digits, hyphens and spaces are allowed"
        } else {
            "only letters, digits and hyphens are allowed"
        });
    }
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !ends_ok(s.chars().next()) || !ends_ok(s.chars().last()) {
        return Err("must start and end with a letter or digit");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ObjectId;
    use std::collections::HashSet;

    #[test]
    fn cache_names_follow_the_spec_pattern() {
        for good in ["c", "cache1", "my-cache-01", &"a".repeat(63)] {
            assert!(CacheName::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-cache",
            "cache-",
            "my_cache",
            "my cache",
            &"a".repeat(64),
        ] {
            assert!(CacheName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn policy_names_allow_inner_spaces_but_not_short_names() {
        assert!(PolicyName::parse("Data Owner").is_ok());
        assert!(PolicyName::parse("read-only 2").is_ok());
        assert_eq!(
            PolicyName::parse("ab").unwrap_err().rule,
            "must be 3 to 63 characters long"
        );
        assert!(PolicyName::parse(" Data Owner").is_err());
        assert!(PolicyName::parse("Data_Owner").is_err());
        assert!(AssignmentName::parse("Data Owner").is_err());
    }

    #[test]
    fn resource_group_names_accept_azure_punctuation() {
        assert!(ResourceGroupName::parse("rg_prod-1.(eu)").is_ok());
        assert!(ResourceGroupName::parse("rg.").is_err());
        assert!(ResourceGroupName::parse("rg/1").is_err());
        assert!(ResourceGroupName::parse(&"r".repeat(91)).is_err());
    }

    #[test]
    fn names_compare_and_hash_case_insensitively_but_keep_their_casing() {
        let a = ResourceGroupName::parse("RG1").unwrap();
        let b = ResourceGroupName::parse("rg1").unwrap();
        assert_eq!(a, b);
        assert_eq!(HashSet::from([a.clone(), b]).len(), 1);
        assert_eq!(a.to_string(), "RG1");
        assert_ne!(
            CacheName::parse("cache1").unwrap(),
            CacheName::parse("cache2").unwrap()
        );
    }

    #[test]
    fn assignment_named_after_the_object_id_is_valid() {
        let oid = ObjectId::parse("6497C918-11AD-41E7-1B0F-7C518A87D0B0").unwrap();
        let name = AssignmentName::for_principal(&oid);
        assert_eq!(AssignmentName::parse(name.as_str()).unwrap(), name);
        assert_eq!(name.as_str(), "6497c918-11ad-41e7-1b0f-7c518a87d0b0");
    }
}
