//! Sign-in helpers for the authorization code flow with PKCE.
