use azure_core::cloud::CloudConfiguration;
use azure_core::http::ClientOptions;
use azure_identity::ClientSecretCredentialOptions;
use redis::REDIS_SCOPE_DEFAULT;
use redis::{AsyncConnectionConfig, Client, EntraIdCredentialsProvider, RetryConfig};
use std::sync::Arc;

#[tokio::main]
async fn main() -> redis::RedisResult<()> {
    // Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
    let client_secret = std::env::var("AZURE_CLIENT_SECRET").expect("set AZURE_CLIENT_SECRET to the client secret");
    let cloud = CloudConfiguration::AzureGovernment;
    let options = ClientSecretCredentialOptions {
        client_options: ClientOptions { cloud: Some(Arc::new(cloud)), ..Default::default() },
    };
    let mut provider = EntraIdCredentialsProvider::new_client_secret_with_scopes(
        "7e4a7700-0000-4000-8000-0000000000e1".to_string(),
        "c11e0700-0000-4000-8000-00000000c1d0".to_string(),
        client_secret,
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
