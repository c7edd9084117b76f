//! The public client Keyless is registered as, and the requests it sends to Entra.

use super::form;
use super::pkce::CodeChallenge;
use super::request::SignInRequest;
use super::resource::{OIDC_SCOPES, Resource};

/// An Entra app registration of type SPA, at one tenant's authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    authority: String,
    client_id: String,
    redirect_uri: String,
}

impl Client {
    /// `login` is the sign-in origin (`https://login.microsoftonline.com`), `tenant` an id or
    /// `organizations`.
    pub fn new(login: &str, tenant: &str, client_id: &str, redirect_uri: &str) -> Self {
        Self {
            authority: format!("{}/{tenant}", login.trim_end_matches('/')),
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
        }
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Where the browser is sent to sign in, asking for the request's resource (the user approves
    /// its scope if not yet done). A sign-in the user starts lets them choose the account, or
    /// after signing out Entra's own session would sign the same account straight back in; a
    /// renewal names the account by `login_hint` instead.
    pub fn authorize_url(&self, request: &SignInRequest, login_hint: Option<&str>) -> String {
        let scope = scopes(request.resource);
        let challenge = request.verifier.challenge();
        let mut query = vec![
            ("client_id", self.client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", &self.redirect_uri),
            ("response_mode", "fragment"),
            ("scope", &scope),
            ("state", &request.state),
            ("nonce", &request.nonce),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", CodeChallenge::METHOD),
            ("client_info", "1"),
        ];
        query.extend(login_hint.map(|hint| ("login_hint", hint)));
        if !request.again {
            query.push(("prompt", "select_account"));
        }
        format!(
            "{}/oauth2/v2.0/authorize?{}",
            self.authority,
            form::encode(query)
        )
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth2/v2.0/token", self.authority)
    }

    /// The token request body redeeming the code for an access token to the request's resource.
    pub fn redeem_form(&self, code: &str, request: &SignInRequest) -> String {
        form::encode([
            ("client_id", self.client_id.as_str()),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.redirect_uri),
            ("code_verifier", request.verifier.secret()),
            ("scope", &scopes(request.resource)),
        ])
    }

    /// The token request body trading the refresh token for an access token to `resource`.
    pub fn refresh_form(&self, refresh_token: &str, resource: Resource) -> String {
        form::encode([
            ("client_id", self.client_id.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("scope", &scopes(resource)),
        ])
    }
}

/// The OIDC scopes plus one resource's: Entra refuses scopes of two resources in one request
/// (AADSTS28000).
fn scopes(resource: Resource) -> String {
    format!("{OIDC_SCOPES} {}", resource.scope())
}

#[cfg(test)]
mod tests {
    use super::super::request::ReturnPath;
    use super::*;
    use std::collections::HashMap;

    fn client() -> Client {
        Client::new(
            "http://127.0.0.1:8401/",
            "tenant-1",
            "app-1",
            "http://127.0.0.1:8400/",
        )
    }

    fn request() -> SignInRequest {
        SignInRequest::new(&[9; 96], ReturnPath::default(), Resource::Arm)
    }

    fn query_of(url: &str) -> HashMap<String, String> {
        form::decode(url.split_once('?').unwrap().1)
            .into_iter()
            .collect()
    }

    #[test]
    fn authorize_url_carries_every_parameter_entra_needs() {
        let request = request();
        let url = client().authorize_url(&request, None);
        assert!(url.starts_with("http://127.0.0.1:8401/tenant-1/oauth2/v2.0/authorize?"));
        let query = query_of(&url);
        let challenge = request.verifier.challenge();
        let expect = [
            ("client_id", "app-1"),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:8400/"),
            ("response_mode", "fragment"),
            (
                "scope",
                "openid profile offline_access https://management.azure.com/user_impersonation",
            ),
            ("state", request.state.as_str()),
            ("nonce", request.nonce.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("client_info", "1"),
            ("prompt", "select_account"),
        ];
        for (key, value) in expect {
            assert_eq!(query.get(key).map(String::as_str), Some(value), "{key}");
        }
        assert_eq!(
            query.len(),
            expect.len(),
            "no login_hint, no verifier, nothing else"
        );
    }

    #[test]
    fn signing_in_again_names_the_account_and_asks_for_one_resource() {
        let graph = SignInRequest {
            again: true,
            ..SignInRequest::new(&[9; 96], ReturnPath::default(), Resource::Graph)
        };
        let query = query_of(&client().authorize_url(&graph, Some("ada@contoso.example")));
        assert_eq!(query["login_hint"], "ada@contoso.example");
        assert!(!query.contains_key("prompt"), "no account picker for a renewal");
        assert_eq!(
            query["scope"],
            format!("{OIDC_SCOPES} {}", Resource::Graph.scope())
        );
    }

    #[test]
    fn redeeming_sends_the_verifier_and_asks_for_the_same_resource() {
        let request = request();
        let body: HashMap<_, _> = form::decode(&client().redeem_form("the-code", &request))
            .into_iter()
            .collect();
        assert_eq!(body["grant_type"], "authorization_code");
        assert_eq!(body["code"], "the-code");
        assert_eq!(body["code_verifier"], request.verifier.secret());
        assert_eq!(body["redirect_uri"], "http://127.0.0.1:8400/");
        assert_eq!(
            body["scope"],
            query_of(&client().authorize_url(&request, None))["scope"]
        );
        assert_eq!(
            client().token_url(),
            "http://127.0.0.1:8401/tenant-1/oauth2/v2.0/token"
        );
    }

    #[test]
    fn refreshing_asks_for_one_resource_only() {
        let body: HashMap<_, _> = form::decode(&client().refresh_form("rt", Resource::Graph))
            .into_iter()
            .collect();
        assert_eq!(body["grant_type"], "refresh_token");
        assert_eq!(body["refresh_token"], "rt");
        assert_eq!(
            body["scope"],
            format!("{OIDC_SCOPES} {}", Resource::Graph.scope())
        );
        assert!(!body["scope"].contains(Resource::Arm.scope()));
    }
}
