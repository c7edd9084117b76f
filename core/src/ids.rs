//! Identifiers that must not be confused with one another, each built by a checking constructor.
//!
//! A client id where an object id belongs is the most common mistake when granting Redis access:
//! giving each identifier its own type turns that mistake into a compile error. Every type here is
//! built only through `parse` (or `FromStr`/`TryFrom<String>`/serde, which call it), so holding one
//! means it is well formed.

mod names;
mod percent;
mod resource_id;

pub use names::{AssignmentName, CacheName, PolicyName, ResourceGroupName};
pub use percent::percent_encode;
pub use resource_id::ResourceId;

use std::fmt;

/// Why a string is not a valid identifier, phrased for the person who typed or pasted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError {
    /// What was expected, e.g. "cache name".
    pub what: &'static str,
    /// The rejected input, as given.
    pub value: String,
    /// The rule it breaks.
    pub rule: &'static str,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\u{201c}{}\u{201d} is not a valid {}: {}",
            self.value, self.what, self.rule
        )
    }
}

impl std::error::Error for IdError {}

impl IdError {
    pub(crate) fn new(what: &'static str, value: &str, rule: &'static str) -> Self {
        Self {
            what,
            value: value.to_owned(),
            rule,
        }
    }
}

/// For a type whose `Display` is its canonical text and whose `parse` checks text: `FromStr`,
/// `TryFrom<String>`, and serde as a JSON string that is checked again on the way in, so a value
/// read back from storage or the wire is as valid as one typed in.
macro_rules! parsed_from_text {
    ($name:ty, $error:ty) => {
        impl ::std::str::FromStr for $name {
            type Err = $error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).map_err(::serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use parsed_from_text;

/// Gives an identifier newtype (a checked `String` inside) `as_str`, `Display` and the
/// conversions of [`parsed_from_text`].
macro_rules! string_id {
    ($name:ident) => {
        impl $name {
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        $crate::ids::parsed_from_text!($name, $crate::ids::IdError);
    };
}
pub(crate) use string_id;

/// Declares a GUID-shaped identifier, stored lower-case so equal ids compare equal.
macro_rules! guid_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Checks the 8-4-4-4-12 hexadecimal GUID form (surrounding spaces and braces are
            /// forgiven, as pasted from the portal) and lower-cases it.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                normalise_guid(s)
                    .map(Self)
                    .ok_or_else(|| IdError::new($what, s, "expected a GUID like 00000000-0000-0000-0000-000000000000"))
            }
        }

        string_id!($name);
    };
}

guid_id!(
    /// A Microsoft Entra directory object id (`oid`): a user's, a service principal's or a managed
    /// identity's `id` in Graph. This is the Redis username and the only id an assignment accepts.
    ObjectId,
    "object id"
);
guid_id!(
    /// An application (client) id (`appId`): what client code passes to pick an identity, never
    /// what a Redis user is named.
    ClientId,
    "client id"
);
guid_id!(
    /// A Microsoft Entra tenant (directory) id.
    TenantId,
    "tenant id"
);
guid_id!(
    /// An Azure subscription id.
    SubscriptionId,
    "subscription id"
);

/// The lower-case canonical form of a GUID, or `None` when `s` is not one.
fn normalise_guid(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(s);
    let groups: Vec<&str> = s.split('-').collect();
    let well_formed = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()));
    well_formed.then(|| s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_normalised_to_lower_case() {
        let a = ObjectId::parse(" {6497C918-11AD-41E7-1B0F-7C518A87D0B0} ").unwrap();
        let b: ObjectId = "6497c918-11ad-41e7-1b0f-7c518a87d0b0".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "6497c918-11ad-41e7-1b0f-7c518a87d0b0");
    }

    #[test]
    fn malformed_guids_are_refused_with_what_was_expected() {
        for bad in [
            "",
            "6497c918",
            "6497c918-11ad-41e7-1b0f-7c518a87d0b",
            "6497c918-11ad-41e7-1b0f-7c518a87d0bz",
            "6497c91811ad41e71b0f7c518a87d0b0",
        ] {
            let err = ClientId::parse(bad).unwrap_err();
            assert_eq!(err.what, "client id");
            assert_eq!(err.value, bad);
        }
        assert!(
            ObjectId::parse("x")
                .unwrap_err()
                .to_string()
                .contains("object id")
        );
    }

    #[test]
    fn guid_ids_round_trip_through_serde_and_are_checked() {
        let id: SubscriptionId =
            serde_json::from_str("\"AAAAAAAA-0000-0000-0000-000000000001\"").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"aaaaaaaa-0000-0000-0000-000000000001\""
        );
        assert!(serde_json::from_str::<TenantId>("\"not-a-guid\"").is_err());
    }
}
