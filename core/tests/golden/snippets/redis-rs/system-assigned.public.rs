use redis::{AsyncConnectionConfig, Client, EntraIdCredentialsProvider, RetryConfig};

#[tokio::main]
async fn main() -> redis::RedisResult<()> {
    // Signs in as the system-assigned managed identity of the Azure resource running this code.
    let mut provider = EntraIdCredentialsProvider::new_system_assigned_managed_identity()?;
    // start() fetches the first token and renews it in the background before it expires.
    provider.start(RetryConfig::default());

    // rediss:// for TLS; RESP3 lets a subscribed connection re-authenticate.
    let client = Client::open("rediss://contoso.redis.cache.windows.net:6380/?protocol=resp3")?;
    let config = AsyncConnectionConfig::new().set_credentials_provider(provider);
    let mut connection = client.get_multiplexed_async_connection_with_config(&config).await?;
    let pong: String = redis::cmd("PING").query_async(&mut connection).await?;
    println!("{pong}");
    Ok(())
}
