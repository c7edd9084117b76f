import java.util.Set;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.entraid.EntraIDTokenAuthConfigBuilder;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.authentication.AuthXManager;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "localhost";
        int port = 6380;

        // Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
        String clientSecret = System.getenv("AZURE_CLIENT_SECRET");
        if (clientSecret == null) {
            throw new IllegalStateException("Set AZURE_CLIENT_SECRET to the client secret.");
        }
        TokenAuthConfig tokenAuthConfig = EntraIDTokenAuthConfigBuilder.builder()
                .clientId("c11e0700-0000-4000-8000-00000000c1d0")
                .secret(clientSecret)
                .authority("https://127.0.0.1:8443/7e4a7700-0000-4000-8000-0000000000e1")
                .scopes(Set.of("https://redis.azure.com/.default"))
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
