//! The closed sets a user picks from: library, identity kind, cloud; each with the slug used on
//! the command line and in query strings, and a label for people.

use std::fmt;
use std::str::FromStr;

use super::SnippetError;

/// What the three closed sets share, so one form control serves them all.
pub trait Choice: Copy + Eq + FromStr<Err = SnippetError> + 'static {
    /// Every member, in display order.
    const ALL: &'static [Self];
    /// The name used on the command line and in query strings.
    fn slug(self) -> &'static str;
    /// The name shown to people.
    fn label(self) -> &'static str;
}

/// Declares a closed set with its slugs and labels, `ALL` in display order, and parsing from slugs.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident => $slug:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used on the command line and in query strings.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl Choice for $name {
            const ALL: &'static [$name] = $name::ALL;

            fn slug(self) -> &'static str {
                $name::slug(self)
            }

            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        impl FromStr for $name {
            type Err = SnippetError;

            fn from_str(s: &str) -> Result<Self, SnippetError> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|choice| choice.slug().eq_ignore_ascii_case(s.trim()))
                    .ok_or_else(|| SnippetError::UnknownChoice {
                        what: $what,
                        value: s.to_string(),
                        expected: Self::ALL.iter().map(|choice| choice.slug()).collect(),
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

choice!(
    /// A Redis client library with an Entra ID story.
    Library, "library" {
        StackExchangeRedis => "stackexchange-redis", "StackExchange.Redis (.NET)";
        RedisPy => "redis-py", "redis-py (Python)";
        Jedis => "jedis", "Jedis (Java)";
        Lettuce => "lettuce", "Lettuce (Java)";
        Redisson => "redisson", "Redisson (Java)";
        Ioredis => "ioredis", "ioredis (Node.js)";
        NodeRedis => "node-redis", "node-redis (Node.js)";
        GoRedis => "go-redis", "go-redis (Go)";
        RedisRs => "redis-rs", "redis-rs (Rust)";
    }
);

choice!(
    /// How the application proves who it is.
    IdentityKind, "identity" {
        SystemAssigned => "system-assigned", "System-assigned managed identity";
        UserAssigned => "user-assigned", "User-assigned managed identity";
        ServicePrincipal => "service-principal", "Service principal (client secret)";
        DefaultCredential => "default-credential", "DefaultAzureCredential / developer sign-in";
    }
);

choice!(
    /// The Azure cloud the cache lives in: decides the host suffix and the sign-in authority.
    Cloud, "cloud" {
        Public => "public", "Azure (public)";
        China => "china", "Azure operated by 21Vianet (China)";
        UsGov => "usgov", "Azure US Government";
    }
);

impl Cloud {
    /// The authority host that signs tokens for this cloud.
    pub fn authority_host(self) -> &'static str {
        match self {
            Cloud::Public => "https://login.microsoftonline.com",
            Cloud::China => "https://login.chinacloudapi.cn",
            Cloud::UsGov => "https://login.microsoftonline.us",
        }
    }

    /// Host name suffixes of caches in this cloud (Azure Managed Redis is public-cloud only).
    pub fn host_suffixes(self) -> &'static [&'static str] {
        match self {
            Cloud::Public => &[".redis.cache.windows.net", AMR_SUFFIX],
            Cloud::China => &[".redis.cache.chinacloudapi.cn"],
            Cloud::UsGov => &[".redis.cache.usgovcloudapi.net"],
        }
    }
}

/// Azure Managed Redis hosts, which listen on 10000 rather than 6380.
pub(super) const AMR_SUFFIX: &str = ".redis.azure.net";

/// The two ids of a principal that libraries confuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    ClientId,
    ObjectId,
}

/// The language a library's snippet is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    CSharp,
    Python,
    Java,
    TypeScript,
    Go,
    Rust,
}

impl Language {
    pub fn label(self) -> &'static str {
        match self {
            Language::CSharp => "C#",
            Language::Python => "Python",
            Language::Java => "Java",
            Language::TypeScript => "TypeScript",
            Language::Go => "Go",
            Language::Rust => "Rust",
        }
    }

    /// The line-comment marker.
    pub fn comment(self) -> &'static str {
        match self {
            Language::Python => "#",
            _ => "//",
        }
    }
}

impl Library {
    pub fn language(self) -> Language {
        match self {
            Library::StackExchangeRedis => Language::CSharp,
            Library::RedisPy => Language::Python,
            Library::Jedis | Library::Lettuce | Library::Redisson => Language::Java,
            Library::Ioredis | Library::NodeRedis => Language::TypeScript,
            Library::GoRedis => Language::Go,
            Library::RedisRs => Language::Rust,
        }
    }

    /// The id this library selects a user-assigned managed identity by. go-redis-entraid takes
    /// only the object id; the others take the client id. Mixing them up is the most reported
    /// failure ("Identity not found").
    pub fn user_assigned_id(self) -> IdKind {
        match self {
            Library::GoRedis => IdKind::ObjectId,
            _ => IdKind::ClientId,
        }
    }

    /// The file the code belongs in (Java's public class and Go's package fix theirs).
    pub fn file_name(self) -> &'static str {
        match self {
            Library::StackExchangeRedis => "Program.cs",
            Library::RedisPy => "connect_redis.py",
            Library::Jedis | Library::Lettuce | Library::Redisson => "RedisConnection.java",
            Library::Ioredis | Library::NodeRedis => "connect-redis.ts",
            Library::GoRedis => "main.go",
            Library::RedisRs => "main.rs",
        }
    }
}
