//! Resource names checked against the published spec's patterns and lengths, so a bad name is
//! refused before anything is looked up.

use super::error::ArmError;

/// `^([a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]|[a-zA-Z0-9])$`, or with spaces inside when allowed.
fn matches_pattern(name: &str, spaces: bool) -> bool {
    let inner_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || (spaces && c == ' ');
    let (Some(first), Some(last)) = (name.chars().next(), name.chars().last()) else { return false };
    first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() && name.chars().all(inner_ok)
}

fn check(kind: &str, name: &str, spaces: bool, lengths: Option<(usize, usize)>) -> Result<String, ArmError> {
    let length_ok = lengths.is_none_or(|(min, max)| (min..=max).contains(&name.chars().count()));
    if matches_pattern(name, spaces) && length_ok {
        return Ok(name.to_owned());
    }
    let rule = match lengths {
        Some((min, max)) => format!(" It must be {min} to {max} characters long,"),
        None => String::new(),
    };
    let allowed = if spaces { "letters, digits, hyphens and spaces" } else { "letters, digits and hyphens" };
    Err(ArmError::bad_request(
        "InvalidResourceName",
        format!("The {kind} name '{name}' is invalid.{rule} made of {allowed}, and start and end with a letter or digit."),
    ))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheName(pub String);

impl CacheName {
    pub fn parse(name: &str) -> Result<CacheName, ArmError> {
        check("cache", name, false, Some((1, 63))).map(CacheName)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyName(pub String);

impl PolicyName {
    pub fn parse(name: &str) -> Result<PolicyName, ArmError> {
        check("access policy", name, true, Some((3, 63))).map(PolicyName)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentName(pub String);

impl AssignmentName {
    pub fn parse(name: &str) -> Result<AssignmentName, ArmError> {
        check("access policy assignment", name, false, Some((3, 63))).map(AssignmentName)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_spec_patterns() {
        assert!(CacheName::parse("contoso-orders").is_ok());
        assert!(CacheName::parse("a").is_ok());
        assert!(CacheName::parse("-orders").is_err());
        assert!(CacheName::parse("orders_1").is_err());
        assert!(PolicyName::parse("Data Owner").is_ok());
        assert!(PolicyName::parse("ab").is_err());
        assert!(AssignmentName::parse("Data Owner").is_err());
        assert!(AssignmentName::parse(&"a".repeat(64)).is_err());
        assert!(AssignmentName::parse("1f0e2d3c-4b5a-4697-8a1b-0c9d8e7f6a01").is_ok());
    }
}
