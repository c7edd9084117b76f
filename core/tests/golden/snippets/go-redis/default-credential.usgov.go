package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	entraid "github.com/redis/go-redis-entraid"
	"github.com/redis/go-redis-entraid/identity"
	"github.com/redis/go-redis/v9"
)

func main() {
	// Signs in with the first available credential: environment, workload or managed identity, developer tools.
	provider, err := entraid.NewDefaultAzureCredentialsProvider(entraid.DefaultAzureCredentialsProviderOptions{
		DefaultAzureIdentityProviderOptions: identity.DefaultAzureIdentityProviderOptions{
			AzureOptions: &azidentity.DefaultAzureCredentialOptions{
				ClientOptions: azcore.ClientOptions{Cloud: cloud.AzureGovernment},
			},
		},
	})
	if err != nil {
		log.Fatalf("cannot create the credentials provider: %v", err)
	}

	// Protocol 3 (RESP3) lets a subscribed connection re-authenticate; Entra ID needs TLS.
	client := redis.NewClient(&redis.Options{
		Addr:                         "contoso.redis.cache.usgovcloudapi.net:6380",
		Protocol:                     3,
		TLSConfig:                    &tls.Config{MinVersion: tls.VersionTLS12, ServerName: "contoso.redis.cache.usgovcloudapi.net"},
		StreamingCredentialsProvider: provider,
	})
	defer client.Close()

	pong, err := client.Ping(context.Background()).Result()
	if err != nil {
		log.Fatalf("cannot reach Redis: %v", err)
	}
	fmt.Println(pong)
}
