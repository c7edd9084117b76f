import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.Set;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.EntraIdCredentialsResolver;
import org.redisson.config.Protocol;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.core.TokenManager;
import redis.clients.authentication.entraid.AzureTokenAuthConfigBuilder;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "contoso.redis.cache.windows.net";
        int port = 6380;

        // Signs in with the first available credential: environment, workload or managed identity, developer tools.
        TokenAuthConfig tokenAuthConfig = AzureTokenAuthConfigBuilder.builder()
                .defaultAzureCredential(new DefaultAzureCredentialBuilder().build())
                .scopes(Set.of("https://redis.azure.com/.default"))
                .build();

        TokenManager tokenManager = new TokenManager(
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
        }
    }
}
