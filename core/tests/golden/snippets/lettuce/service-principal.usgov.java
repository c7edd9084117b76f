import io.lettuce.authx.TokenBasedRedisCredentialsProvider;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.Set;
import redis.clients.authentication.core.TokenAuthConfig;
import redis.clients.authentication.entraid.EntraIDTokenAuthConfigBuilder;

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "contoso.redis.cache.usgovcloudapi.net";
        int port = 6380;

        // Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
        String clientSecret = System.getenv("AZURE_CLIENT_SECRET");
        if (clientSecret == null) {
            throw new IllegalStateException("Set AZURE_CLIENT_SECRET to the client secret.");
        }
        TokenAuthConfig tokenAuthConfig = EntraIDTokenAuthConfigBuilder.builder()
                .clientId("c11e0700-0000-4000-8000-00000000c1d0")
                .secret(clientSecret)
                .authority("https://login.microsoftonline.us/7e4a7700-0000-4000-8000-0000000000e1")
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
