//! Jedis with redis-authx-entraid, through an `AuthXManager`.

use super::Parts;
use super::java_entraid::{JavaClient, program};
use super::target::Target;

pub(super) fn render(target: &Target) -> Parts {
    program(
        target,
        JavaClient {
            imports: &[
                "redis.clients.jedis.DefaultJedisClientConfig",
                "redis.clients.jedis.RedisClient",
                "redis.clients.jedis.RedisProtocol",
                "redis.clients.jedis.authentication.AuthXManager",
            ],
            body: r#"        // The AuthXManager renews the token and re-authenticates every pooled connection.
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .authXManager(new AuthXManager(tokenAuthConfig))
                .ssl(true)
                .protocol(RedisProtocol.RESP3)
                .build();
        try (RedisClient client = RedisClient.builder().hostAndPort(host, port).clientConfig(config).build()) {
            System.out.println(client.ping());
        }"#
            .to_string(),
            coordinates: "redis.clients:jedis:7.2.0",
            notes: &[
                ".scopes(...) is required and takes a Set<String>; passing a single String does not compile, and leaving it out fails at the first token request.",
                "Keep RESP3: under RESP2 a subscribed connection cannot send AUTH and drops when its token expires.",
            ],
        },
    )
}
