//! What each library's code must say: scope, username source, port, TLS, RESP3, refresh
//! settings and each known trap, one test per rule.

mod snippets_support;

use keyless_core::snippets::{Cloud, IdentityKind, Library, SnippetRequest, generate};
use snippets_support::{
    CLIENT_ID, CUSTOM_AUTHORITY, OBJECT_ID, Signer, TENANT_ID, request, snippet,
};

const PUBLIC: Signer = Signer::Cloud(Cloud::Public);
const CHINA: Signer = Signer::Cloud(Cloud::China);

fn code(library: Library, identity: IdentityKind, signer: Signer) -> String {
    snippet(library, identity, signer).code
}

/// Asserts that every identity's code for `library` in the public cloud contains `needle`.
fn always_contains(library: Library, needle: &str) {
    for &identity in IdentityKind::ALL {
        let code = code(library, identity, PUBLIC);
        assert!(
            code.contains(needle),
            "{} {}: no {needle:?} in\n{code}",
            library.slug(),
            identity.slug()
        );
    }
}

#[test]
fn no_snippet_uses_a_retired_or_graph_scope_or_holds_a_token() {
    for (name, _, snippet) in snippets_support::all() {
        for forbidden in ["cacheinfra", "user.read", "eyJ", "listKeys", "acca5fbb"] {
            assert!(
                !snippet.code.contains(forbidden),
                "{name} contains {forbidden}"
            );
        }
    }
}

#[test]
fn service_principal_secrets_come_from_the_environment() {
    let reads = [
        (
            Library::StackExchangeRedis,
            "Environment.GetEnvironmentVariable(\"AZURE_CLIENT_SECRET\")",
        ),
        (Library::RedisPy, "os.environ[\"AZURE_CLIENT_SECRET\"]"),
        (Library::Jedis, "System.getenv(\"AZURE_CLIENT_SECRET\")"),
        (Library::Lettuce, "System.getenv(\"AZURE_CLIENT_SECRET\")"),
        (Library::Redisson, "System.getenv(\"AZURE_CLIENT_SECRET\")"),
        (Library::Ioredis, "process.env.AZURE_CLIENT_SECRET"),
        (Library::NodeRedis, "process.env.AZURE_CLIENT_SECRET"),
        (Library::GoRedis, "os.Getenv(\"AZURE_CLIENT_SECRET\")"),
        (Library::RedisRs, "std::env::var(\"AZURE_CLIENT_SECRET\")"),
    ];
    assert_eq!(reads.len(), Library::ALL.len());
    for (library, read) in reads {
        for signer in Signer::ALL {
            let code = code(library, IdentityKind::ServicePrincipal, signer);
            assert!(
                code.contains(read),
                "{} {}: secret not read with {read}",
                library.slug(),
                signer.slug()
            );
            assert!(
                code.contains(TENANT_ID) && code.contains(CLIENT_ID),
                "{} names its tenant and client",
                library.slug()
            );
        }
    }
}

#[test]
fn user_assigned_identity_uses_the_id_its_library_wants() {
    for &library in Library::ALL {
        let code = code(library, IdentityKind::UserAssigned, PUBLIC);
        let (wanted, other) = if library == Library::GoRedis {
            (OBJECT_ID, CLIENT_ID)
        } else {
            (CLIENT_ID, OBJECT_ID)
        };
        assert!(
            code.contains(wanted) && !code.contains(other),
            "{} picks the wrong id:\n{code}",
            library.slug()
        );
    }
    assert!(
        code(Library::GoRedis, IdentityKind::UserAssigned, PUBLIC)
            .contains("identity.UserAssignedObjectID")
    );
    assert!(
        code(Library::RedisPy, IdentityKind::UserAssigned, PUBLIC)
            .contains("ManagedIdentityIdType.CLIENT_ID")
    );
    assert!(
        code(Library::Jedis, IdentityKind::UserAssigned, PUBLIC)
            .contains("UserManagedIdentityType.CLIENT_ID")
    );
}

#[test]
fn the_username_is_the_object_id_read_from_the_token_never_written_in_the_code() {
    // Every request carries the object id; only go-redis's user-assigned identity may print it.
    for (name, library, snippet) in snippets_support::all() {
        if !(library == Library::GoRedis && name.contains("user-assigned")) {
            assert!(
                !snippet.code.contains(OBJECT_ID),
                "{name} writes the object id"
            );
        }
        assert!(
            snippet.notes.iter().any(|n| n.contains("object id")),
            "{name} lacks the username note"
        );
    }
    let ioredis = code(Library::Ioredis, IdentityKind::SystemAssigned, PUBLIC);
    assert!(
        ioredis.contains("payload.oid")
            && ioredis.contains("const username = objectIdOf(token.token);")
    );
}

#[test]
fn port_defaults_to_6380_and_to_10000_for_azure_managed_redis() {
    let amr = |library| {
        let req = SnippetRequest::new(
            library,
            IdentityKind::SystemAssigned,
            "contoso.westeurope.redis.azure.net",
        );
        generate(&req).unwrap().code
    };
    for &library in Library::ALL {
        let public = code(library, IdentityKind::SystemAssigned, PUBLIC);
        let (p6380, p10000) = (public.contains("6380"), amr(library).contains("10000"));
        assert!(
            p6380 && p10000,
            "{}: 6380 {p6380}, 10000 {p10000}",
            library.slug()
        );
        let custom = generate(&SnippetRequest {
            port: Some(7001),
            ..request(library, IdentityKind::SystemAssigned, PUBLIC)
        });
        assert!(
            custom.unwrap().code.contains("7001"),
            "{} ignores an explicit port",
            library.slug()
        );
    }
}

#[test]
fn every_library_connects_over_tls() {
    for (library, tls) in [
        (Library::StackExchangeRedis, "options.Ssl = true;"),
        (Library::RedisPy, "ssl=True,"),
        (Library::Jedis, ".ssl(true)"),
        (Library::Lettuce, ".withSsl(true)"),
        (Library::Redisson, "\"rediss://\" + host"),
        (Library::Ioredis, "tls: { servername: host }"),
        (
            Library::NodeRedis,
            "url: \"rediss://contoso.redis.cache.windows.net:6380\"",
        ),
        (
            Library::GoRedis,
            "TLSConfig:                    &tls.Config{MinVersion: tls.VersionTLS12, ServerName: \"contoso.redis.cache.windows.net\"}",
        ),
        (
            Library::RedisRs,
            "Client::open(\"rediss://contoso.redis.cache.windows.net:6380/",
        ),
    ] {
        always_contains(library, tls);
    }
}

#[test]
fn every_library_speaks_resp3_so_subscribers_can_re_authenticate() {
    for (library, resp3) in [
        (
            Library::StackExchangeRedis,
            "options.Protocol = RedisProtocol.Resp3;",
        ),
        (Library::RedisPy, "protocol=3,"),
        (Library::Jedis, ".protocol(RedisProtocol.RESP3)"),
        (Library::Lettuce, ".protocolVersion(ProtocolVersion.RESP3)"),
        (Library::Redisson, "config.setProtocol(Protocol.RESP3);"),
        (Library::Ioredis, "protocol: 3,"),
        (Library::NodeRedis, "RESP: 3,"),
        (Library::GoRedis, "Protocol:                     3,"),
        (Library::RedisRs, "?protocol=resp3"),
    ] {
        always_contains(library, resp3);
    }
}

#[test]
fn managed_identities_ask_for_the_resource_and_others_for_the_default_scope() {
    let py_mi = code(Library::RedisPy, IdentityKind::SystemAssigned, PUBLIC);
    assert!(py_mi.contains("resource=\"https://redis.azure.com\","));
    let py_default = code(Library::RedisPy, IdentityKind::DefaultCredential, PUBLIC);
    assert!(py_default.contains("(\"https://redis.azure.com/.default\",)"));
    for library in [Library::Jedis, Library::Lettuce, Library::Redisson] {
        let mi = code(library, IdentityKind::UserAssigned, PUBLIC);
        assert!(
            mi.contains(".scopes(Set.of(\"https://redis.azure.com\"))"),
            "{}",
            library.slug()
        );
        let sp = code(library, IdentityKind::ServicePrincipal, PUBLIC);
        assert!(
            sp.contains(".scopes(Set.of(\"https://redis.azure.com/.default\"))"),
            "{}",
            library.slug()
        );
    }
    always_contains(
        Library::Ioredis,
        "const scope = \"https://redis.azure.com/.default\";",
    );
    always_contains(Library::NodeRedis, "scopes: REDIS_SCOPE_DEFAULT,");
}

#[test]
fn lettuce_re_authenticates_on_new_credentials_and_closes_its_provider() {
    always_contains(
        Library::Lettuce,
        ".reauthenticateBehavior(ClientOptions.ReauthenticateBehavior.ON_NEW_CREDENTIALS)",
    );
    always_contains(
        Library::Lettuce,
        "try (TokenBasedRedisCredentialsProvider credentials = TokenBasedRedisCredentialsProvider.create(tokenAuthConfig))",
    );
    let notes = snippet(Library::Lettuce, IdentityKind::SystemAssigned, PUBLIC).notes;
    assert!(notes.iter().any(|n| n.contains("ON_NEW_CREDENTIALS")));
}

#[test]
fn ioredis_stores_the_new_token_for_reconnects_and_re_authenticates_before_expiry() {
    let code = code(Library::Ioredis, IdentityKind::ServicePrincipal, PUBLIC);
    let store = code
        .find("redis.options.password = token.token;")
        .expect("stores the renewed token");
    let auth = code
        .find("await redis.auth(username, token.token);")
        .expect("re-authenticates");
    assert!(store < auth, "the password must be stored before AUTH");
    assert!(code.contains("Math.min(180_000 + Math.random() * 60_000, remaining / 2)"));
    let notes = snippet(Library::Ioredis, IdentityKind::ServicePrincipal, PUBLIC).notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("options.password") && n.contains("WRONGPASS"))
    );
}

#[test]
fn node_redis_passes_the_required_token_manager_config() {
    always_contains(
        Library::NodeRedis,
        "tokenManagerConfig: DEFAULT_TOKEN_MANAGER_CONFIG,",
    );
    always_contains(Library::NodeRedis, "credentialsProvider,");
    let notes = snippet(Library::NodeRedis, IdentityKind::SystemAssigned, PUBLIC).notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("tokenManagerConfig is required"))
    );
}

#[test]
fn redis_py_subscribers_renew_their_own_connection_between_reads() {
    // redis-py renews a subscribed connection with a streaming provider from its token thread,
    // which races the subscriber's reads; subscribe() takes that renewal over.
    always_contains(
        Library::RedisPy,
        "pubsub = connect(SubscriberCredentials()).pubsub(push_handler_func=on_push)",
    );
    always_contains(
        Library::RedisPy,
        "class SubscriberCredentials(CredentialProvider):",
    );
    let code = code(Library::RedisPy, IdentityKind::SystemAssigned, PUBLIC);
    let auth = code
        .find("pubsub.connection.send_command(\"AUTH\", username, token)")
        .expect("sends AUTH itself");
    let read = code.find("pubsub.get_message(timeout=1.0)").expect("reads");
    assert!(auth < read, "the loop renews, when due, ahead of its read");
    assert!(!code.contains("client.pubsub("));
    let notes = snippet(Library::RedisPy, IdentityKind::SystemAssigned, PUBLIC).notes;
    assert!(notes.iter().any(|n| n.contains("subscribe()")));
}

#[test]
fn redisson_says_it_is_no_longer_recommended_and_uses_the_entra_resolver() {
    always_contains(
        Library::Redisson,
        "config.setCredentialsResolver(new EntraIdCredentialsResolver(tokenManager));",
    );
    let notes = snippet(Library::Redisson, IdentityKind::SystemAssigned, PUBLIC).notes;
    assert!(notes.iter().any(|n| n.contains("no longer lists Redisson")));
}

#[test]
fn jedis_hands_tokens_to_an_authx_manager_with_scopes_as_a_set() {
    always_contains(
        Library::Jedis,
        ".authXManager(new AuthXManager(tokenAuthConfig))",
    );
    always_contains(Library::Jedis, ".scopes(Set.of(");
}

#[test]
fn stackexchange_redis_calls_exactly_one_configure_for_azure_method() {
    for &identity in IdentityKind::ALL {
        for signer in Signer::ALL {
            let code = code(Library::StackExchangeRedis, identity, signer);
            assert_eq!(
                code.matches("ConfigureForAzure").count(),
                1,
                "{} {}",
                identity.slug(),
                signer.slug()
            );
        }
    }
}

#[test]
fn redis_rs_starts_its_provider_before_connecting() {
    for &identity in IdentityKind::ALL {
        let code = code(Library::RedisRs, identity, PUBLIC);
        let start = code
            .find("provider.start(RetryConfig::default());")
            .expect("starts the provider");
        let connect = code
            .find("get_multiplexed_async_connection_with_config")
            .expect("connects");
        assert!(start < connect);
    }
}

#[test]
fn go_redis_hands_the_provider_to_the_client() {
    always_contains(Library::GoRedis, "StreamingCredentialsProvider: provider,");
}

#[test]
fn sovereign_service_principals_sign_in_at_their_cloud_through_azure_identity() {
    let china = code(Library::RedisPy, IdentityKind::ServicePrincipal, CHINA);
    assert!(
        china.contains("ClientSecretCredential(")
            && china.contains("authority=\"https://login.chinacloudapi.cn\",")
    );
    assert!(
        !china.contains("create_from_service_principal")
            && !china.contains("disable_instance_discovery")
    );
    let public = code(Library::RedisPy, IdentityKind::ServicePrincipal, PUBLIC);
    assert!(public.contains("create_from_service_principal(") && !public.contains("authority"));
    let node = code(
        Library::NodeRedis,
        IdentityKind::ServicePrincipal,
        Signer::Cloud(Cloud::UsGov),
    );
    assert!(node.contains("{ authorityHost: \"https://login.microsoftonline.us\" }"));
    let dotnet = code(
        Library::StackExchangeRedis,
        IdentityKind::ServicePrincipal,
        CHINA,
    );
    assert!(dotnet.contains("AuthorityHost = new Uri(\"https://login.chinacloudapi.cn\")"));
    let java = code(Library::Jedis, IdentityKind::ServicePrincipal, CHINA);
    assert!(java.contains(&format!(
        ".authority(\"https://login.chinacloudapi.cn/{TENANT_ID}\")"
    )));
}

#[test]
fn a_custom_authority_replaces_the_cloud_and_skips_instance_discovery() {
    for (library, identity, needles) in [
        (
            Library::RedisPy,
            IdentityKind::ServicePrincipal,
            vec![
                "authority=\"https://127.0.0.1:8443\",",
                "disable_instance_discovery=True,",
            ],
        ),
        (
            Library::RedisPy,
            IdentityKind::DefaultCredential,
            vec![
                "authority=\"https://127.0.0.1:8443\",",
                "\"disable_instance_discovery\": True",
            ],
        ),
        (
            Library::NodeRedis,
            IdentityKind::ServicePrincipal,
            vec!["authorityHost: \"https://127.0.0.1:8443\", disableInstanceDiscovery: true"],
        ),
        (
            Library::Ioredis,
            IdentityKind::DefaultCredential,
            vec!["authorityHost: \"https://127.0.0.1:8443\", disableInstanceDiscovery: true"],
        ),
        (
            Library::StackExchangeRedis,
            IdentityKind::DefaultCredential,
            vec![
                "AuthorityHost = new Uri(\"https://127.0.0.1:8443\"), DisableInstanceDiscovery = true",
            ],
        ),
        (
            Library::Lettuce,
            IdentityKind::DefaultCredential,
            vec![
                ".authorityHost(\"https://127.0.0.1:8443\")",
                ".disableInstanceDiscovery()",
            ],
        ),
        (
            Library::GoRedis,
            IdentityKind::DefaultCredential,
            vec![
                "ActiveDirectoryAuthorityHost: \"https://127.0.0.1:8443\"",
                "DisableInstanceDiscovery: true",
            ],
        ),
        (
            Library::RedisRs,
            IdentityKind::ServicePrincipal,
            vec!["custom.authority_host = \"https://127.0.0.1:8443\".to_string();"],
        ),
    ] {
        let code = code(library, identity, Signer::Custom);
        for needle in needles {
            assert!(
                code.contains(needle),
                "{} {}: no {needle:?}",
                library.slug(),
                identity.slug()
            );
        }
        assert!(
            !code.contains("login.microsoftonline.com"),
            "{} still names the public authority",
            library.slug()
        );
    }
    assert!(CUSTOM_AUTHORITY.ends_with(":8443"));
}

#[test]
fn managed_identity_code_is_the_same_in_every_cloud() {
    // Managed identities get tokens from the local endpoint: no authority to name.
    for &library in Library::ALL {
        for identity in [IdentityKind::SystemAssigned, IdentityKind::UserAssigned] {
            let public = code(library, identity, PUBLIC).replace("windows.net", "X");
            let china = code(library, identity, CHINA).replace("chinacloudapi.cn", "X");
            assert_eq!(public, china, "{} {}", library.slug(), identity.slug());
        }
    }
}

#[test]
fn each_snippet_has_an_install_line_with_versions_and_a_few_notes() {
    for (library, package) in [
        (
            Library::StackExchangeRedis,
            "dotnet add package Microsoft.Azure.StackExchangeRedis --version 3.3",
        ),
        (
            Library::RedisPy,
            "pip install \"redis~=8.1\" \"redis-entraid~=1.2.2\"",
        ),
        (Library::Jedis, "redis.clients:jedis:7.2"),
        (Library::Lettuce, "io.lettuce:lettuce-core:6.6"),
        (Library::Redisson, "org.redisson:redisson:4.4"),
        (Library::Ioredis, "npm install ioredis@6 @azure/identity@4"),
        (
            Library::NodeRedis,
            "npm install redis@6 @redis/entraid@6 @azure/identity@4",
        ),
        (Library::GoRedis, "github.com/redis/go-redis-entraid@v1"),
        (Library::RedisRs, "cargo add redis@1.8 --features entra-id"),
    ] {
        let snippet = snippet(library, IdentityKind::SystemAssigned, PUBLIC);
        assert!(
            snippet.install.iter().any(|line| line.contains(package)),
            "{}: {:?}",
            library.slug(),
            snippet.install
        );
        assert!(
            (2..=3).contains(&snippet.notes.len()),
            "{}: {} notes",
            library.slug(),
            snippet.notes.len()
        );
    }
    for library in [Library::Jedis, Library::Lettuce, Library::Redisson] {
        let install = snippet(library, IdentityKind::SystemAssigned, PUBLIC).install;
        assert!(
            install.contains(
                &"redis.clients.authentication:redis-authx-entraid:0.1.1-beta2".to_string()
            )
        );
    }
}

#[test]
fn an_assigned_principal_maps_to_the_identity_its_application_uses() {
    use keyless_core::snippets::{AssignedPrincipal, PrincipalKind};
    let principal = |kind, client_id: Option<&str>| AssignedPrincipal {
        display_name: "p".into(),
        object_id: OBJECT_ID.into(),
        client_id: client_id.map(Into::into),
        kind,
    };
    assert_eq!(
        principal(PrincipalKind::User, None).identity_kind(),
        IdentityKind::DefaultCredential
    );
    assert_eq!(
        principal(PrincipalKind::ServicePrincipal, Some(CLIENT_ID)).identity_kind(),
        IdentityKind::ServicePrincipal
    );
    assert_eq!(
        principal(PrincipalKind::ManagedIdentity, Some(CLIENT_ID)).identity_kind(),
        IdentityKind::UserAssigned
    );
    assert_eq!(
        principal(PrincipalKind::ManagedIdentity, None).identity_kind(),
        IdentityKind::SystemAssigned
    );
}
