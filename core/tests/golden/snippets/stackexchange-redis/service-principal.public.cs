using StackExchange.Redis;

var options = ConfigurationOptions.Parse("contoso.redis.cache.windows.net:6380");
options.Ssl = true;
// RESP3 lets a subscribed connection re-authenticate when the token is renewed.
options.Protocol = RedisProtocol.Resp3;

// Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
var clientSecret = Environment.GetEnvironmentVariable("AZURE_CLIENT_SECRET")
    ?? throw new InvalidOperationException("Set AZURE_CLIENT_SECRET to the client secret.");
await options.ConfigureForAzureWithServicePrincipalAsync("c11e0700-0000-4000-8000-00000000c1d0", "7e4a7700-0000-4000-8000-0000000000e1", clientSecret);

await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
var database = connection.GetDatabase();
Console.WriteLine(await database.PingAsync());
