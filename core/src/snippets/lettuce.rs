//! Lettuce with redis-authx-entraid's `TokenBasedRedisCredentialsProvider`.

use super::Parts;
use super::java_entraid::{JavaClient, program};
use super::target::Target;

pub(super) fn render(target: &Target) -> Parts {
    program(
        target,
        JavaClient {
            imports: &[
                "io.lettuce.authx.TokenBasedRedisCredentialsProvider",
                "io.lettuce.core.ClientOptions",
                "io.lettuce.core.RedisClient",
                "io.lettuce.core.RedisURI",
                "io.lettuce.core.api.StatefulRedisConnection",
                "io.lettuce.core.protocol.ProtocolVersion",
            ],
            body: r#"        // Closing the provider on shutdown stops its token renewal.
        try (TokenBasedRedisCredentialsProvider credentials = TokenBasedRedisCredentialsProvider.create(tokenAuthConfig)) {
            RedisURI uri = RedisURI.builder()
                    .withHost(host)
                    .withPort(port)
                    .withSsl(true)
                    .withAuthentication(credentials)
                    .build();
            RedisClient client = RedisClient.create(uri);
            // Lettuce's default never re-authenticates: without this, connections die when the token expires.
            client.setOptions(ClientOptions.builder()
                    .reauthenticateBehavior(ClientOptions.ReauthenticateBehavior.ON_NEW_CREDENTIALS)
                    .protocolVersion(ProtocolVersion.RESP3)
                    .build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                System.out.println(connection.sync().ping());
            }
            client.shutdown();
        }"#
            .to_string(),
            coordinates: "io.lettuce:lettuce-core:6.6.0",
            notes: &[
                "ReauthenticateBehavior.ON_NEW_CREDENTIALS is required: Lettuce's default never sends AUTH again, so every connection is dropped when its token expires.",
                "Close the TokenBasedRedisCredentialsProvider on shutdown (the try-with-resources above) to stop its renewal thread.",
            ],
        },
    )
}
