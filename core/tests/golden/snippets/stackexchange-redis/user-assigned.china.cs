using StackExchange.Redis;

var options = ConfigurationOptions.Parse("contoso.redis.cache.chinacloudapi.cn:6380");
options.Ssl = true;
// RESP3 lets a subscribed connection re-authenticate when the token is renewed.
options.Protocol = RedisProtocol.Resp3;

// Signs in as a user-assigned managed identity, selected by its client id (Azure portal > Managed Identities > your identity > Overview > Client ID).
await options.ConfigureForAzureWithUserAssignedManagedIdentityAsync("c11e0700-0000-4000-8000-00000000c1d0");

await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
var database = connection.GetDatabase();
Console.WriteLine(await database.PingAsync());
