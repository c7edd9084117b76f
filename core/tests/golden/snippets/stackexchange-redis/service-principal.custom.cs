using Azure.Identity;
using StackExchange.Redis;

var options = ConfigurationOptions.Parse("localhost:6380");
options.Ssl = true;
// RESP3 lets a subscribed connection re-authenticate when the token is renewed.
options.Protocol = RedisProtocol.Resp3;

// Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
var clientSecret = Environment.GetEnvironmentVariable("AZURE_CLIENT_SECRET")
    ?? throw new InvalidOperationException("Set AZURE_CLIENT_SECRET to the client secret.");
var credential = new ClientSecretCredential("7e4a7700-0000-4000-8000-0000000000e1", "c11e0700-0000-4000-8000-00000000c1d0", clientSecret,
    new ClientSecretCredentialOptions { AuthorityHost = new Uri("https://127.0.0.1:8443"), DisableInstanceDiscovery = true });
await options.ConfigureForAzureWithTokenCredentialAsync(credential);

await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
var database = connection.GetDatabase();
Console.WriteLine(await database.PingAsync());
