package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"
	"os"

	entraid "github.com/redis/go-redis-entraid"
	"github.com/redis/go-redis-entraid/identity"
	"github.com/redis/go-redis/v9"
)

func main() {
	// Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
	provider, err := entraid.NewConfidentialCredentialsProvider(entraid.ConfidentialCredentialsProviderOptions{
		ConfidentialIdentityProviderOptions: identity.ConfidentialIdentityProviderOptions{
			ClientID:        "c11e0700-0000-4000-8000-00000000c1d0",
			CredentialsType: identity.ClientSecretCredentialType,
			ClientSecret:    os.Getenv("AZURE_CLIENT_SECRET"),
			Authority: identity.AuthorityConfiguration{
				AuthorityType: identity.AuthorityTypeCustom,
				Authority:     "https://login.microsoftonline.us/7e4a7700-0000-4000-8000-0000000000e1",
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
