using Azure.Identity;
using StackExchange.Redis;

var options = ConfigurationOptions.Parse("contoso.redis.cache.windows.net:6380");
options.Ssl = true;
// RESP3 lets a subscribed connection re-authenticate when the token is renewed.
options.Protocol = RedisProtocol.Resp3;

// Signs in with the first available credential: environment, workload or managed identity, developer tools.
await options.ConfigureForAzureWithTokenCredentialAsync(new DefaultAzureCredential());

await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
var database = connection.GetDatabase();
Console.WriteLine(await database.PingAsync());
