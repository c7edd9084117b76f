import com.azure.identity.DefaultAzureCredentialBuilder;
import io.lettuce.authx.TokenBasedRedisCredentialsProvider;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.Set;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.entraid.AzureTokenAuthConfigBuilder;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "contoso.redis.cache.usgovcloudapi.net";
        int port = 6380;

        // Signs in with the first available credential: environment, workload or managed identity, developer tools.
        TokenAuthConfig tokenAuthConfig = AzureTokenAuthConfigBuilder.builder()
                .defaultAzureCredential(new DefaultAzureCredentialBuilder()
                        .authorityHost("https://login.microsoftonline.us").build())
                .scopes(Set.of("https://redis.azure.com/.default"))
                .build();

        // Closing the provider on shutdown stops its token renewal.
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
        }
    }
}
