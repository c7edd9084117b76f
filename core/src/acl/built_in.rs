//! The three access policies every cache has.

use crate::ids::PolicyName;

/// A built-in access policy. Their permission strings are fixed by the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltInPolicy {
    DataOwner,
    DataContributor,
    DataReader,
}

impl BuiltInPolicy {
    pub const ALL: [BuiltInPolicy; 3] = [Self::DataOwner, Self::DataContributor, Self::DataReader];

    /// The policy's name, as assignments refer to it.
    pub fn name(self) -> PolicyName {
        PolicyName::parse(self.name_str()).expect("built-in policy names are valid")
    }

    fn name_str(self) -> &'static str {
        match self {
            Self::DataOwner => "Data Owner",
            Self::DataContributor => "Data Contributor",
            Self::DataReader => "Data Reader",
        }
    }

    /// The permission string the service gives it.
    pub fn permissions(self) -> &'static str {
        match self {
            Self::DataOwner => "+@all allkeys",
            Self::DataContributor => {
                "+@all -@dangerous +cluster|info +cluster|nodes +cluster|slots allkeys"
            }
            Self::DataReader => {
                "+@read +@connection +cluster|info +cluster|nodes +cluster|slots allkeys"
            }
        }
    }

    /// One sentence on what a user holding it can do.
    pub fn summary(self) -> &'static str {
        match self {
            Self::DataOwner => "Every command on every key, including administrative ones.",
            Self::DataContributor => {
                "Read and write every key; no dangerous or administrative commands."
            }
            Self::DataReader => "Read every key; no writes.",
        }
    }

    /// The built-in policy called `name`, if any (names compare case-insensitively).
    pub fn named(name: &PolicyName) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == *name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_are_found_by_name_in_any_casing() {
        assert_eq!(
            BuiltInPolicy::named(&PolicyName::parse("data owner").unwrap()),
            Some(BuiltInPolicy::DataOwner)
        );
        assert_eq!(
            BuiltInPolicy::named(&PolicyName::parse("Data Reader").unwrap()),
            Some(BuiltInPolicy::DataReader)
        );
        assert_eq!(
            BuiltInPolicy::named(&PolicyName::parse("readers").unwrap()),
            None
        );
    }
}
