using StackExchange.Redis;

var options = ConfigurationOptions.Parse("contoso.redis.cache.windows.net:6380");
options.Ssl = true;
// RESP3 lets a subscribed connection re-authenticate when the token is renewed.
options.Protocol = RedisProtocol.Resp3;

// Signs in as the system-assigned managed identity of the Azure resource running this code.
await options.ConfigureForAzureWithSystemAssignedManagedIdentityAsync();

await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
var database = connection.GetDatabase();
Console.WriteLine(await database.PingAsync());
