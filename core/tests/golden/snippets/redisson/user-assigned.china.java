import java.util.Set;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.EntraIdCredentialsResolver;
import org.redisson.config.Protocol;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.core.TokenManager;
import redis.clients.authentication.entraid.EntraIDTokenAuthConfigBuilder;
import redis.clients.authentication.entraid.ManagedIdentityInfo.UserManagedIdentityType;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "contoso.redis.cache.chinacloudapi.cn";
        int port = 6380;

        // Signs in as a user-assigned managed identity, selected by its client id (Azure portal > Managed Identities > your identity > Overview > Client ID).
        TokenAuthConfig tokenAuthConfig = EntraIDTokenAuthConfigBuilder.builder()
                .userAssignedManagedIdentity(UserManagedIdentityType.CLIENT_ID, "c11e0700-0000-4000-8000-00000000c1d0")
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
