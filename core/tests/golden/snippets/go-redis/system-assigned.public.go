package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"

	entraid "github.com/redis/go-redis-entraid"
	"github.com/redis/go-redis-entraid/identity"
	"github.com/redis/go-redis/v9"
)

func main() {
	// Signs in as the system-assigned managed identity of the Azure resource running this code.
	provider, err := entraid.NewManagedIdentityCredentialsProvider(entraid.ManagedIdentityCredentialsProviderOptions{
		ManagedIdentityProviderOptions: identity.ManagedIdentityProviderOptions{
			ManagedIdentityType: identity.SystemAssignedIdentity,
		},
	})
	if err != nil {
		log.Fatalf("cannot create the credentials provider: %v", err)
	}

	// Protocol 3 (RESP3) lets a subscribed connection re-authenticate; Entra ID needs TLS.
	client := redis.NewClient(&redis.Options{
		Addr:                         "contoso.redis.cache.windows.net:6380",
		Protocol:                     3,
		TLSConfig:                    &tls.Config{MinVersion: tls.VersionTLS12, ServerName: "contoso.redis.cache.windows.net"},
		StreamingCredentialsProvider: provider,
	})
	defer client.Close()

	pong, err := client.Ping(context.Background()).Result()
	if err != nil {
		log.Fatalf("cannot reach Redis: %v", err)
	}
	fmt.Println(pong)
}
