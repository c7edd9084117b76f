import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.Set;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.entraid.AzureTokenAuthConfigBuilder;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.authentication.AuthXManager;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "localhost";
        int port = 6380;

        // Signs in with the first available credential: environment, workload or managed identity, developer tools.
        TokenAuthConfig tokenAuthConfig = AzureTokenAuthConfigBuilder.builder()
                .defaultAzureCredential(new DefaultAzureCredentialBuilder()
                        .authorityHost("https://127.0.0.1:8443")
                        .disableInstanceDiscovery().build())
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
