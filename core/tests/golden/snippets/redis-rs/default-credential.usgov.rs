use redis::{AsyncConnectionConfig, Client, EntraIdCredentialsProvider, RetryConfig};

#[tokio::main]
async fn main() -> redis::RedisResult<()> {
    // Signs in with the first available credential: environment, workload or managed identity, developer tools.
    let mut provider = EntraIdCredentialsProvider::new_developer_tools()?;
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
