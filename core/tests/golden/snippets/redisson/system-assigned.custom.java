import java.util.Set;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.EntraIdCredentialsResolver;
import org.redisson.config.Protocol;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.core.TokenManager;
import redis.clients.authentication.entraid.EntraIDTokenAuthConfigBuilder;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "localhost";
        int port = 6380;

        // Signs in as the system-assigned managed identity of the Azure resource running this code.
        TokenAuthConfig tokenAuthConfig = EntraIDTokenAuthConfigBuilder.builder()
                .systemAssignedManagedIdentity()
                .scopes(Set.of("https://redis.azure.com"))
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
