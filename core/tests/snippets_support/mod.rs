//! Requests covering every library, identity kind and cloud (plus a custom authority), shared
//! by the snippet tests. Each id is distinct so a test can tell which one a snippet used.

#![allow(dead_code)] // each test file uses its own part of this module

use keyless_core::snippets::{Cloud, IdentityKind, Library, Snippet, SnippetRequest, generate};

pub const CLIENT_ID: &str = "c11e0700-0000-4000-8000-00000000c1d0";
pub const OBJECT_ID: &str = "0b1ec700-0000-4000-8000-00000000001d";
pub const TENANT_ID: &str = "7e4a7700-0000-4000-8000-0000000000e1";
pub const CUSTOM_AUTHORITY: &str = "https://127.0.0.1:8443";

/// Where tokens come from in a variant: one of the clouds, or a custom authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signer {
    Cloud(Cloud),
    Custom,
}

impl Signer {
    pub const ALL: [Signer; 4] = [
        Signer::Cloud(Cloud::Public),
        Signer::Cloud(Cloud::China),
        Signer::Cloud(Cloud::UsGov),
        Signer::Custom,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Signer::Cloud(cloud) => cloud.slug(),
            Signer::Custom => "custom",
        }
    }

    pub fn host(self) -> &'static str {
        match self {
            Signer::Cloud(Cloud::Public) => "contoso.redis.cache.windows.net",
            Signer::Cloud(Cloud::China) => "contoso.redis.cache.chinacloudapi.cn",
            Signer::Cloud(Cloud::UsGov) => "contoso.redis.cache.usgovcloudapi.net",
            Signer::Custom => "localhost",
        }
    }
}

/// A request with every id filled in, so each identity kind is accepted.
pub fn request(library: Library, identity: IdentityKind, signer: Signer) -> SnippetRequest {
    SnippetRequest {
        cloud: match signer {
            Signer::Cloud(cloud) => cloud,
            Signer::Custom => Cloud::Public,
        },
        custom_authority: (signer == Signer::Custom).then(|| CUSTOM_AUTHORITY.to_string()),
        client_id: Some(CLIENT_ID.into()),
        object_id: Some(OBJECT_ID.into()),
        tenant_id: Some(TENANT_ID.into()),
        ..SnippetRequest::new(library, identity, signer.host())
    }
}

/// The snippet for one combination; every combination must generate.
pub fn snippet(library: Library, identity: IdentityKind, signer: Signer) -> Snippet {
    generate(&request(library, identity, signer)).unwrap_or_else(|e| {
        panic!(
            "{} {} {}: {e}",
            library.slug(),
            identity.slug(),
            signer.slug()
        )
    })
}

/// Every combination with a stable name.
pub fn all() -> Vec<(String, Library, Snippet)> {
    let mut out = Vec::new();
    for &library in Library::ALL {
        for &identity in IdentityKind::ALL {
            for signer in Signer::ALL {
                let name = format!("{}/{}.{}", library.slug(), identity.slug(), signer.slug());
                out.push((name, library, snippet(library, identity, signer)));
            }
        }
    }
    out
}
