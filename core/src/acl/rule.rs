//! One token of a permission string.

use super::{CATEGORIES, commands};
use std::fmt;

/// Which operations a key pattern allows (`~` / `%RW~`, `%R~`, `%W~`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAccess {
    ReadWrite,
    Read,
    Write,
}

/// One Redis ACL rule allowed in an access policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// `+@category` (`allow`) or `-@category`.
    Category { allow: bool, category: String },
    /// `+command`, `-command`, `+command|subcommand`, `-command|subcommand`.
    Command {
        allow: bool,
        command: String,
        subcommand: Option<String>,
    },
    /// `allcommands`, the same as `+@all`.
    AllCommands,
    /// `nocommands`, the same as `-@all`.
    NoCommands,
    /// `~pattern` or `%R~pattern`, `%W~pattern`, `%RW~pattern`.
    Keys { access: KeyAccess, pattern: String },
    /// `allkeys`, the same as `~*`.
    AllKeys,
    /// `resetkeys`: forget the key patterns given so far.
    ResetKeys,
    /// `&pattern`: Pub/Sub channels.
    Channels(String),
    /// `allchannels`, the same as `&*`.
    AllChannels,
    /// `resetchannels`.
    ResetChannels,
}

/// Rules that configure the Redis user rather than its permissions; Azure owns those.
const USER_RULES: &[&str] = &[
    "on",
    "off",
    "nopass",
    "resetpass",
    "reset",
    "clearselectors",
    "sanitize-payload",
    "skip-sanitize-payload",
];

impl Rule {
    /// Parses one whitespace-free token; the error is the reason, phrased for the user.
    pub fn parse(token: &str) -> Result<Self, String> {
        let lower = token.to_ascii_lowercase();
        match lower.as_str() {
            "allcommands" => return Ok(Rule::AllCommands),
            "nocommands" => return Ok(Rule::NoCommands),
            "allkeys" => return Ok(Rule::AllKeys),
            "resetkeys" => return Ok(Rule::ResetKeys),
            "allchannels" => return Ok(Rule::AllChannels),
            "resetchannels" => return Ok(Rule::ResetChannels),
            _ => {}
        }
        if USER_RULES.contains(&lower.as_str()) || token.starts_with(['>', '<', '#', '!', '(']) {
            return Err("This rule configures the Redis user itself (state, passwords, selectors), which Azure \
                        manages. An access policy holds only command, key and channel rules."
                .to_owned());
        }
        if let Some(rest) = token.strip_prefix('+') {
            return command_or_category(true, rest);
        }
        if let Some(rest) = token.strip_prefix('-') {
            return command_or_category(false, rest);
        }
        if let Some(pattern) = token.strip_prefix('~') {
            return key_pattern(KeyAccess::ReadWrite, pattern);
        }
        if let Some(rest) = token.strip_prefix('%') {
            let (letters, pattern) = rest
                .split_once('~')
                .ok_or("A key permission is written %R~pattern, %W~pattern or %RW~pattern.")?;
            let access = match letters.to_ascii_uppercase().as_str() {
                "R" => KeyAccess::Read,
                "W" => KeyAccess::Write,
                "RW" | "WR" => KeyAccess::ReadWrite,
                _ => {
                    return Err(format!(
                        "“%{letters}~” is not a key permission: use %R~, %W~ or %RW~."
                    ));
                }
            };
            return key_pattern(access, pattern);
        }
        if let Some(pattern) = token.strip_prefix('&') {
            return match pattern {
                "" => Err("A channel pattern must follow &, for example &events:*.".to_owned()),
                "*" => Ok(Rule::AllChannels),
                _ => Ok(Rule::Channels(pattern.to_owned())),
            };
        }
        Err("Not a Redis ACL rule. Expected +command, -command, +command|subcommand, +@category, -@category, \
             ~keypattern, %R~keypattern, &channel, allkeys, allchannels or resetkeys."
            .to_owned())
    }

    /// Whether this rule lets the user run something.
    pub fn grants_commands(&self) -> bool {
        matches!(
            self,
            Rule::AllCommands
                | Rule::Category { allow: true, .. }
                | Rule::Command { allow: true, .. }
        )
    }

    /// Whether this rule is about keys; without one the service grants all keys.
    pub fn is_key_rule(&self) -> bool {
        matches!(self, Rule::Keys { .. } | Rule::AllKeys | Rule::ResetKeys)
    }
}

fn command_or_category(allow: bool, rest: &str) -> Result<Rule, String> {
    let sign = if allow { '+' } else { '-' };
    if let Some(category) = rest.strip_prefix('@') {
        let category = category.to_ascii_lowercase();
        return match category.as_str() {
            "all" if allow => Ok(Rule::AllCommands),
            "all" => Ok(Rule::NoCommands),
            c if CATEGORIES.contains(&c) => Ok(Rule::Category { allow, category }),
            _ => Err(format!(
                "“{category}” is not a Redis command category. Known: {}.",
                CATEGORIES.join(", ")
            )),
        };
    }
    let (command, subcommand) = match rest.split_once('|') {
        Some((c, s)) => (c, Some(s)),
        None => (rest, None),
    };
    if command.is_empty() {
        return Err(format!(
            "A command or @category must follow {sign}, for example {sign}get or {sign}@read."
        ));
    }
    for part in std::iter::once(command).chain(subcommand) {
        if part.is_empty()
            || !part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return Err(format!(
                "“{part}” is not a command name: use letters, digits, dots, hyphens and underscores, \
                 and command|subcommand for a subcommand."
            ));
        }
    }
    let command = command.to_ascii_lowercase();
    // Only the command is checked: Redis 6 takes any first argument after `|`, not only the
    // subcommands Redis 7 lists.
    if !commands::is_known(&command) {
        return Err(format!(
            "“{command}” is not a Redis command. Check its spelling, or use a @category."
        ));
    }
    Ok(Rule::Command {
        allow,
        command,
        subcommand: subcommand.map(str::to_ascii_lowercase),
    })
}

fn key_pattern(access: KeyAccess, pattern: &str) -> Result<Rule, String> {
    match (access, pattern) {
        (_, "") => {
            Err("A key pattern must follow ~, for example ~app:* (or use allkeys).".to_owned())
        }
        (KeyAccess::ReadWrite, "*") => Ok(Rule::AllKeys),
        _ => Ok(Rule::Keys {
            access,
            pattern: pattern.to_owned(),
        }),
    }
}

impl fmt::Display for Rule {
    /// The canonical spelling used by [`Permissions::normalised`](super::Permissions::normalised).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = |allow: &bool| if *allow { '+' } else { '-' };
        match self {
            Rule::Category { allow, category } => write!(f, "{}@{category}", sign(allow)),
            Rule::Command {
                allow,
                command,
                subcommand: Some(sub),
            } => write!(f, "{}{command}|{sub}", sign(allow)),
            Rule::Command {
                allow,
                command,
                subcommand: None,
            } => write!(f, "{}{command}", sign(allow)),
            Rule::AllCommands => f.write_str("+@all"),
            Rule::NoCommands => f.write_str("-@all"),
            Rule::Keys {
                access: KeyAccess::ReadWrite,
                pattern,
            } => write!(f, "~{pattern}"),
            Rule::Keys {
                access: KeyAccess::Read,
                pattern,
            } => write!(f, "%R~{pattern}"),
            Rule::Keys {
                access: KeyAccess::Write,
                pattern,
            } => write!(f, "%W~{pattern}"),
            Rule::AllKeys => f.write_str("allkeys"),
            Rule::ResetKeys => f.write_str("resetkeys"),
            Rule::Channels(pattern) => write!(f, "&{pattern}"),
            Rule::AllChannels => f.write_str("allchannels"),
            Rule::ResetChannels => f.write_str("resetchannels"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(token: &str) -> Rule {
        Rule::parse(token).unwrap_or_else(|e| panic!("{token}: {e}"))
    }

    #[test]
    fn commands_subcommands_and_categories() {
        assert_eq!(
            ok("+GET"),
            Rule::Command {
                allow: true,
                command: "get".into(),
                subcommand: None
            }
        );
        assert_eq!(
            ok("-config|set"),
            Rule::Command {
                allow: false,
                command: "config".into(),
                subcommand: Some("set".into())
            }
        );
        assert_eq!(
            ok("+select|0").to_string(),
            "+select|0",
            "a first argument, as Redis 6 allows"
        );
        assert_eq!(
            ok("-@Dangerous"),
            Rule::Category {
                allow: false,
                category: "dangerous".into()
            }
        );
        assert_eq!(ok("+@all"), Rule::AllCommands);
        assert_eq!(ok("allcommands").to_string(), "+@all");
    }

    #[test]
    fn key_and_channel_patterns() {
        assert_eq!(
            ok("%R~cache:*"),
            Rule::Keys {
                access: KeyAccess::Read,
                pattern: "cache:*".into()
            }
        );
        assert_eq!(
            ok("%wr~x"),
            Rule::Keys {
                access: KeyAccess::ReadWrite,
                pattern: "x".into()
            }
        );
        assert_eq!(ok("~*"), Rule::AllKeys);
        assert_eq!(ok("%R~*").to_string(), "%R~*");
        assert_eq!(ok("&news:*"), Rule::Channels("news:*".into()));
        assert_eq!(ok("&*"), Rule::AllChannels);
        assert!(ok("resetkeys").is_key_rule());
    }

    #[test]
    fn malformed_tokens_say_why() {
        for (token, says) in [
            ("+@bogus", "not a Redis command category"),
            ("+", "must follow +"),
            ("-", "must follow -"),
            ("+get|", "not a command name"),
            ("+ge$t", "not a command name"),
            ("~", "key pattern must follow"),
            ("%X~a", "not a key permission"),
            ("%R", "%R~pattern"),
            ("&", "channel pattern"),
            ("get", "Not a Redis ACL rule"),
            (">password", "Azure manages"),
            ("nopass", "Azure manages"),
            ("(+get ~x)", "Azure manages"),
        ] {
            let reason = Rule::parse(token).unwrap_err();
            assert!(reason.contains(says), "{token}: {reason}");
        }
    }
}
