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
        String host = "contoso.redis.cache.windows.net";
        int port = 6380;

        // Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
        String clientSecret = System.getenv("AZURE_CLIENT_SECRET");
        if (clientSecret == null) {
            throw new IllegalStateException("Set AZURE_CLIENT_SECRET to the client secret.");
        }
        TokenAuthConfig tokenAuthConfig = EntraIDTokenAuthConfigBuilder.builder()
                .clientId("c11e0700-0000-4000-8000-00000000c1d0")
                .secret(clientSecret)
                .authority("https://login.microsoftonline.com/7e4a7700-0000-4000-8000-0000000000e1")
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
