use azure_identity::{ManagedIdentityCredentialOptions, UserAssignedId};
use redis::REDIS_SCOPE_DEFAULT;
use redis::{AsyncConnectionConfig, Client, EntraIdCredentialsProvider, RetryConfig};

#[tokio::main]
async fn main() -> redis::RedisResult<()> {
    // Signs in as a user-assigned managed identity, selected by its client id (Azure portal > Managed Identities > your identity > Overview > Client ID).
    let options = ManagedIdentityCredentialOptions {
        user_assigned_id: Some(UserAssignedId::ClientId("c11e0700-0000-4000-8000-00000000c1d0".to_string())),
        ..Default::default()
    };
    let mut provider = EntraIdCredentialsProvider::new_user_assigned_managed_identity_with_scopes(
        vec![REDIS_SCOPE_DEFAULT.to_string()],
        Some(options),
    )?;
    // start() fetches the first token and renews it in the background before it expires.
    provider.start(RetryConfig::default());

    // rediss:// for TLS; RESP3 lets a subscribed connection re-authenticate.
    let client = Client::open("rediss://contoso.redis.cache.usgovcloudapi.net:6380/?protocol=resp3")?;
    let config = AsyncConnectionConfig::new().set_credentials_provider(provider);
    let mut connection = client.get_multiplexed_async_connection_with_config(&config).await?;
    let pong: String = redis::cmd("PING").query_async(&mut connection).await?;
    println!("{pong}");
    Ok(())
}
