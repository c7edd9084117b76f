//! Redisson with redis-authx-entraid's token manager behind an `EntraIdCredentialsResolver`.

use super::Parts;
use super::java_entraid::{JavaClient, program};
use super::target::Target;

pub(super) fn render(target: &Target) -> Parts {
    program(
        target,
        JavaClient {
            imports: &[
                "org.redisson.Redisson",
                "org.redisson.api.RedissonClient",
                "org.redisson.config.Config",
                "org.redisson.config.EntraIdCredentialsResolver",
                "org.redisson.config.Protocol",
                "redis.clients.authentication.core.TokenManager",
            ],
            body: r#"        TokenManager tokenManager = new TokenManager(
                tokenAuthConfig.getIdentityProviderConfig().getProvider(),
                tokenAuthConfig.getTokenManagerConfig());
        Config config = new Config();
        config.setProtocol(Protocol.RESP3);
        config.setCredentialsResolver(new EntraIdCredentialsResolver(tokenManager));
        config.useSingleServer().setAddress("rediss://" + host + ":" + port);
        RedissonClient client = Redisson.create(config);
        try {
            System.out.println(client.getBucket("keyless:ping").isExists());
        } finally {
            client.shutdown();
        }"#
            .to_string(),
            coordinates: "org.redisson:redisson:4.4.0",
            notes: &[
                "Microsoft's documentation no longer lists Redisson among the recommended clients for Entra ID: prefer Jedis or Lettuce for new code.",
                "Use Redisson 4.4 or later: older versions do not re-authenticate pub/sub connections, which drop when their token expires.",
            ],
        },
    )
}
