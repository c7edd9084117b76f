import java.util.Set;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.entraid.EntraIDTokenAuthConfigBuilder;
import redis.clients.authentication.entraid.ManagedIdentityInfo.UserManagedIdentityType;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.authentication.AuthXManager;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "contoso.redis.cache.windows.net";
        int port = 6380;

        // Signs in as a user-assigned managed identity, selected by its client id (Azure portal > Managed Identities > your identity > Overview > Client ID).
        TokenAuthConfig tokenAuthConfig = EntraIDTokenAuthConfigBuilder.builder()
                .userAssignedManagedIdentity(UserManagedIdentityType.CLIENT_ID, "c11e0700-0000-4000-8000-00000000c1d0")
                .scopes(Set.of("https://redis.azure.com"))
                .build();

        // The AuthXManager renews the token and re-authenticates every pooled connection.
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .authXManager(new AuthXManager(tokenAuthConfig))
                .ssl(true)
                .protocol(RedisProtocol.RESP3)
                .build();
        try (RedisClient client = RedisClient.builder().hostAndPort(host, port).clientConfig(config).build()) {
            System.out.println(client.ping());
        }
    }
}
