//! Redis ACL rule syntax, as access policies use it.
//!
//! A custom access policy's permission string is checked here before anything is sent, so a typo
//! is reported against the token that holds it instead of as a 400 from the service. Only rules
//! about commands, keys and channels belong in a policy: the Redis user itself (on/off,
//! passwords) is managed by Azure.

mod built_in;
mod commands;
mod rule;

pub use built_in::BuiltInPolicy;
pub use rule::{KeyAccess, Rule};

use std::fmt;

/// Command categories known to Redis 7 (`ACL CAT`), which `+@` and `-@` must name.
pub const CATEGORIES: &[&str] = &[
    "all",
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

/// A permission string that failed to parse, pointing at the offending token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclError {
    /// The token as typed (empty when the whole string is at fault).
    pub token: String,
    /// Byte offset of the token in the permission string, for highlighting.
    pub offset: usize,
    /// Why it is refused and what would be accepted.
    pub reason: String,
}

impl fmt::Display for AclError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.token.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(
                f,
                "\u{201c}{}\u{201d} (at character {}): {}",
                self.token,
                self.offset + 1,
                self.reason
            )
        }
    }
}

impl std::error::Error for AclError {}

/// A parsed, valid permission string: its rules in order (order matters to Redis).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    rules: Vec<Rule>,
}

impl Permissions {
    /// Parses a permission string such as `+@read +cluster|info ~app:* -@dangerous`. Refuses an
    /// unknown category, a malformed command or key pattern, user-level rules (`on`, passwords),
    /// and a string that grants no command at all.
    pub fn parse(s: &str) -> Result<Self, AclError> {
        let rules = tokens(s)
            .map(|(offset, token)| {
                Rule::parse(token).map_err(|reason| AclError {
                    token: token.to_owned(),
                    offset,
                    reason,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if rules.is_empty() {
            return Err(whole(
                "No rules given. Start with what the user may run, for example +@read.",
            ));
        }
        if !rules.iter().any(Rule::grants_commands) {
            return Err(whole(
                "These rules grant no command, so the user could do nothing. Add one, for example +@read or +get.",
            ));
        }
        Ok(Self { rules })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The canonical text of these rules, as the service stores them: lower-case commands and
    /// categories, single spaces, aliases spelled one way (`~*` is `allkeys`), and `allkeys`
    /// appended when no key rule is given, because the service appends it too. Two strings with
    /// the same normal form grant the same access, so comparing normal forms sees no drift where
    /// the service merely completed the string.
    pub fn normalised(&self) -> String {
        let mut words: Vec<String> = self.rules.iter().map(Rule::to_string).collect();
        if !self.rules.iter().any(Rule::is_key_rule) {
            words.push(Rule::AllKeys.to_string());
        }
        words.join(" ")
    }

    /// Whether `other` (typically a policy's `permissions` read back from the service) grants
    /// exactly these rules. A string that does not parse never matches.
    pub fn same_as(&self, other: &str) -> bool {
        Permissions::parse(other).is_ok_and(|o| o.normalised() == self.normalised())
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalised())
    }
}

// Stored as its normal form; checked again when read back.
crate::ids::parsed_from_text!(Permissions, AclError);

fn whole(reason: &str) -> AclError {
    AclError {
        token: String::new(),
        offset: 0,
        reason: reason.to_owned(),
    }
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split(char::is_whitespace)
        .filter(|t| !t.is_empty())
        .map(move |t| (t.as_ptr() as usize - s.as_ptr() as usize, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_appended_allkeys_is_not_drift() {
        let mine = Permissions::parse("+get +hget").unwrap();
        assert!(mine.same_as("+get +hget allkeys"));
        assert!(mine.same_as("+GET   +hget ~*"));
        assert!(!mine.same_as("+get +hget ~app:*"));
        assert!(!mine.same_as("+get allkeys"));
        assert_eq!(mine.normalised(), "+get +hget allkeys");
    }

    #[test]
    fn key_rules_are_not_completed_with_allkeys() {
        let p = Permissions::parse("+@read %R~cache:* %RW~session:*").unwrap();
        assert_eq!(p.normalised(), "+@read %R~cache:* ~session:*");
        assert_eq!(
            Permissions::parse("+@all resetkeys").unwrap().normalised(),
            "+@all resetkeys"
        );
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        let e = Permissions::parse("+get  +@reed ~x").unwrap_err();
        assert_eq!((e.token.as_str(), e.offset), ("+@reed", 6));
        assert!(e.reason.contains("reed"), "{}", e.reason);
        assert!(e.to_string().contains("at character 7"));
        let e = Permissions::parse("+@read on >secret").unwrap_err();
        assert_eq!(e.token, "on");
    }

    #[test]
    fn a_command_redis_does_not_know_is_refused_by_name() {
        for (permissions, unknown) in [
            ("+@read +notacommand ~orders:*", "notacommand"),
            ("+gett", "gett"),
            // Module commands exist only on the Enterprise tiers, which cannot switch here.
            ("+json.get", "json.get"),
            ("+@read -flushal", "flushal"),
        ] {
            let e = Permissions::parse(permissions).unwrap_err();
            assert!(
                e.token.to_ascii_lowercase().ends_with(unknown),
                "{permissions}: {e}"
            );
            assert!(e.to_string().contains("not a Redis command"), "{e}");
        }
        assert!(Permissions::parse("+get +CONFIG|GET -flushall ~x").is_ok());
    }

    #[test]
    fn strings_granting_nothing_are_refused() {
        assert!(Permissions::parse("   ").unwrap_err().token.is_empty());
        assert!(
            Permissions::parse("~app:* -@all")
                .unwrap_err()
                .reason
                .contains("grant no command")
        );
        assert!(Permissions::parse("nocommands allkeys").is_err());
    }

    #[test]
    fn stored_permissions_are_checked_when_read_back() {
        let p: Permissions = serde_json::from_str("\"+GET ~app:*\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"+get ~app:*\"");
        assert!(serde_json::from_str::<Permissions>("\"+@reed\"").is_err());
    }

    #[test]
    fn every_built_in_permission_string_parses_and_is_already_normal() {
        for policy in BuiltInPolicy::ALL {
            let p = Permissions::parse(policy.permissions()).unwrap();
            assert_eq!(p.normalised(), policy.permissions(), "{}", policy.name());
        }
    }
}
