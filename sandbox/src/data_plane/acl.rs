//! Who may log in to a cache, as Redis ACL users: pure logic, no process or socket.
//!
//! A cache's users follow its control-plane state: while Entra is enabled, every principal
//! with an access policy assignment is a user named by its object id, whose passwords are the
//! live tokens the sandbox issued to it for Redis and whose rules are the policy's permissions;
//! while access keys are enabled, `default` logs in with the primary key. Passwords are given
//! to Redis as SHA-256 digests, so no token is ever kept in plain text.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

/// The SHA-256 of a password, in the hex form Redis's `#<digest>` rule takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PasswordDigest(String);

impl PasswordDigest {
    pub fn of(password: impl AsRef<[u8]>) -> Self {
        let digest = Sha256::digest(password.as_ref());
        Self(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_hex(&self) -> &str {
        &self.0
    }
}

/// The control-plane facts that decide who may log in to one cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheAccess {
    /// `redisConfiguration["aad-enabled"]`, already parsed.
    pub entra_enabled: bool,
    /// The opposite of `disableAccessKeyAuthentication`.
    pub access_keys_enabled: bool,
    /// Object id to the permission string of the policy assigned to it.
    pub assignments: BTreeMap<String, String>,
}

/// A token the sandbox issued for Redis, valid until `expires` (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
struct LiveToken {
    digest: PasswordDigest,
    expires: u64,
}

/// Every live Redis token, by the object id it was issued to.
#[derive(Debug, Default)]
pub struct TokenBook {
    by_object_id: HashMap<String, Vec<LiveToken>>,
}

impl TokenBook {
    pub fn add(&mut self, object_id: &str, token: &str, expires: u64) {
        let digest = PasswordDigest::of(token);
        let tokens = self.by_object_id.entry(object_id.to_owned()).or_default();
        if !tokens.iter().any(|t| t.digest == digest) {
            tokens.push(LiveToken { digest, expires });
        }
    }

    /// Forgets the tokens that expired at or before `now`.
    pub fn expire(&mut self, now: u64) {
        self.by_object_id.retain(|_, tokens| {
            tokens.retain(|t| t.expires > now);
            !tokens.is_empty()
        });
    }

    /// When `password` (a live token of `object_id`) expires.
    pub fn expiry(&self, object_id: &str, password: &[u8]) -> Option<u64> {
        let digest = PasswordDigest::of(password);
        self.by_object_id
            .get(object_id)?
            .iter()
            .find(|t| t.digest == digest)
            .map(|t| t.expires)
    }

    fn digests(&self, object_id: &str) -> impl Iterator<Item = &PasswordDigest> {
        self.by_object_id
            .get(object_id)
            .into_iter()
            .flatten()
            .map(|t| &t.digest)
    }
}

/// How a client connection logged in, as far as the gateway must know to end it in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// With an access key: valid until keys are disabled, when Redis drops the user's clients.
    AccessKey,
    /// With a token: the connection ends at the token's expiry unless a newer one replaces it.
    Token { expires: u64 },
}

/// The name Redis gives the user that a bare `AUTH <password>` logs in as.
pub const DEFAULT_USER: &str = "default";

/// What a cache's users follow: its control-plane access, its access key and the live tokens.
pub struct Facts<'a> {
    pub access: &'a CacheAccess,
    pub primary_key: &'a str,
    pub tokens: &'a TokenBook,
}

/// The credential that `AUTH user password` presents to a cache, if it is one the cache accepts.
pub fn recognise(facts: &Facts, user: &str, password: &[u8]) -> Option<Credential> {
    let Facts {
        access,
        primary_key,
        tokens,
    } = facts;
    if user == DEFAULT_USER {
        let is_key = access.access_keys_enabled && password == primary_key.as_bytes();
        return is_key.then_some(Credential::AccessKey);
    }
    if !access.entra_enabled || !access.assignments.contains_key(user) {
        return None;
    }
    tokens
        .expiry(user, password)
        .map(|expires| Credential::Token { expires })
}

/// The `ACL SETUSER` rules, after the user name, that each user of the cache must have.
/// Every rule list starts with `reset`, so applying it states the whole user.
pub fn desired_users(facts: &Facts) -> BTreeMap<String, Vec<String>> {
    let Facts {
        access,
        primary_key,
        tokens,
    } = facts;
    let mut users = BTreeMap::new();
    let default = if access.access_keys_enabled {
        let key = PasswordDigest::of(primary_key);
        [
            "reset",
            "on",
            &format!("#{}", key.as_hex()),
            "~*",
            "&*",
            "+@all",
        ]
        .map(String::from)
        .to_vec()
    } else {
        ["reset", "off"].map(String::from).to_vec()
    };
    users.insert(DEFAULT_USER.to_owned(), default);
    if access.entra_enabled {
        for (object_id, permissions) in &access.assignments {
            let mut rules = vec!["reset".to_owned(), "on".to_owned()];
            rules.extend(
                tokens
                    .digests(object_id)
                    .map(|d| format!("#{}", d.as_hex())),
            );
            rules.extend(permissions.split_whitespace().map(String::from));
            users.insert(object_id.clone(), rules);
        }
    }
    users
}

/// One change to bring a server's users from what was applied to what is desired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AclChange {
    Set {
        user: String,
        rules: Vec<String>,
    },
    Delete {
        user: String,
    },
    /// Keys were just disabled: connections logged in with a key end now, as on Azure.
    DisconnectDefault,
}

impl AclChange {
    /// The Redis command that carries out this change.
    pub fn command(&self) -> Vec<String> {
        match self {
            AclChange::Set { user, rules } => ["ACL", "SETUSER", user]
                .iter()
                .map(|s| s.to_string())
                .chain(rules.iter().cloned())
                .collect(),
            AclChange::Delete { user } => vec!["ACL".into(), "DELUSER".into(), user.clone()],
            AclChange::DisconnectDefault => vec![
                "CLIENT".into(),
                "KILL".into(),
                "USER".into(),
                DEFAULT_USER.into(),
            ],
        }
    }
}

/// The changes from `applied` to `desired`, deletions first. Deleting a user also ends its
/// connections (Redis does that itself), which is what removing an assignment must do.
pub fn plan(
    applied: &BTreeMap<String, Vec<String>>,
    desired: &BTreeMap<String, Vec<String>>,
) -> Vec<AclChange> {
    let mut changes: Vec<AclChange> = applied
        .keys()
        .filter(|user| !desired.contains_key(*user))
        .map(|user| AclChange::Delete { user: user.clone() })
        .collect();
    for (user, rules) in desired {
        if applied.get(user) != Some(rules) {
            changes.push(AclChange::Set {
                user: user.clone(),
                rules: rules.clone(),
            });
        }
    }
    let default_was_on = applied
        .get(DEFAULT_USER)
        .is_some_and(|r| r.iter().any(|x| x == "on"));
    let default_is_on = desired
        .get(DEFAULT_USER)
        .is_some_and(|r| r.iter().any(|x| x == "on"));
    if default_was_on && !default_is_on {
        changes.push(AclChange::DisconnectDefault);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "6f1c2a7e-0000-4000-8000-000000000001";
    const OWNER: &str = "+@all allkeys";
    const READER: &str = "+@read +@connection +cluster|info +cluster|nodes +cluster|slots allkeys";

    const KEY: &str = "primary-key";

    fn entra_cache(assignments: &[(&str, &str)]) -> CacheAccess {
        CacheAccess {
            entra_enabled: true,
            access_keys_enabled: true,
            assignments: assignments
                .iter()
                .map(|(o, p)| (o.to_string(), p.to_string()))
                .collect(),
        }
    }

    fn facts<'a>(access: &'a CacheAccess, tokens: &'a TokenBook) -> Facts<'a> {
        Facts {
            access,
            primary_key: KEY,
            tokens,
        }
    }

    #[test]
    fn an_assigned_principal_gets_its_tokens_as_passwords_and_its_policy_as_rules() {
        let mut tokens = TokenBook::default();
        tokens.add(ALICE, "token-1", 100);
        tokens.add(ALICE, "token-2", 200);
        let users = desired_users(&facts(&entra_cache(&[(ALICE, READER)]), &tokens));
        let rules = &users[ALICE];
        assert_eq!(rules[..2], ["reset", "on"]);
        assert!(rules.contains(&format!("#{}", PasswordDigest::of("token-1").as_hex())));
        assert!(rules.contains(&format!("#{}", PasswordDigest::of("token-2").as_hex())));
        assert!(rules.ends_with(&READER.split(' ').map(String::from).collect::<Vec<_>>()));
        assert!(
            !rules.iter().any(|r| r.contains("token")),
            "plain tokens never reach Redis"
        );
    }

    #[test]
    fn without_entra_no_principal_is_a_user() {
        let mut access = entra_cache(&[(ALICE, OWNER)]);
        access.entra_enabled = false;
        let users = desired_users(&facts(&access, &TokenBook::default()));
        assert_eq!(users.keys().collect::<Vec<_>>(), [DEFAULT_USER]);
    }

    #[test]
    fn expired_tokens_stop_being_passwords_and_credentials() {
        let mut tokens = TokenBook::default();
        tokens.add(ALICE, "old", 100);
        tokens.add(ALICE, "new", 200);
        let access = entra_cache(&[(ALICE, OWNER)]);
        tokens.expire(100);
        assert_eq!(recognise(&facts(&access, &tokens), ALICE, b"old"), None);
        assert_eq!(
            recognise(&facts(&access, &tokens), ALICE, b"new"),
            Some(Credential::Token { expires: 200 })
        );
        let rules = &desired_users(&facts(&access, &tokens))[ALICE];
        assert!(!rules.contains(&format!("#{}", PasswordDigest::of("old").as_hex())));
    }

    #[test]
    fn a_token_is_recognised_only_for_its_own_object_id_and_an_assigned_one() {
        let mut tokens = TokenBook::default();
        tokens.add(ALICE, "t", 100);
        assert_eq!(
            recognise(
                &facts(&entra_cache(&[(ALICE, OWNER)]), &tokens),
                "client-id",
                b"t"
            ),
            None
        );
        assert_eq!(
            recognise(&facts(&entra_cache(&[]), &tokens), ALICE, b"t"),
            None
        );
    }

    #[test]
    fn the_access_key_works_only_while_keys_are_enabled() {
        let mut access = entra_cache(&[]);
        let tokens = TokenBook::default();
        assert_eq!(
            recognise(&facts(&access, &tokens), DEFAULT_USER, KEY.as_bytes()),
            Some(Credential::AccessKey)
        );
        assert_eq!(
            recognise(&facts(&access, &tokens), DEFAULT_USER, b"wrong"),
            None
        );
        access.access_keys_enabled = false;
        assert_eq!(
            recognise(&facts(&access, &tokens), DEFAULT_USER, KEY.as_bytes()),
            None
        );
        assert_eq!(
            desired_users(&facts(&access, &tokens))[DEFAULT_USER],
            ["reset", "off"]
        );
    }

    #[test]
    fn the_plan_deletes_removed_users_sets_changed_ones_and_leaves_the_rest() {
        let mut tokens = TokenBook::default();
        tokens.add(ALICE, "t", 100);
        let before = desired_users(&facts(
            &entra_cache(&[(ALICE, OWNER), ("bob", OWNER)]),
            &tokens,
        ));
        let after = desired_users(&facts(&entra_cache(&[(ALICE, READER)]), &tokens));
        let changes = plan(&before, &after);
        assert_eq!(changes[0], AclChange::Delete { user: "bob".into() });
        assert_eq!(
            changes[1],
            AclChange::Set {
                user: ALICE.into(),
                rules: after[ALICE].clone()
            }
        );
        assert_eq!(
            changes.len(),
            2,
            "the unchanged default user is left alone: {changes:?}"
        );
        assert!(plan(&after, &after).is_empty());
    }

    #[test]
    fn disabling_keys_disconnects_key_clients() {
        let tokens = TokenBook::default();
        let mut access = entra_cache(&[]);
        let before = desired_users(&facts(&access, &tokens));
        access.access_keys_enabled = false;
        let changes = plan(&before, &desired_users(&facts(&access, &tokens)));
        assert_eq!(changes.last(), Some(&AclChange::DisconnectDefault));
        assert_eq!(
            changes.last().unwrap().command(),
            ["CLIENT", "KILL", "USER", "default"]
        );
    }
}
