//! The redirect round trip: leaving for Entra with fresh request state, and redeeming the code
//! when Entra sends the user back.

use gloo_net::http::Request;
use keyless_core::auth::{
    Account, AuthError, Client, ClientInfo, IdTokenClaims, RedirectResponse, Resource, ReturnPath,
    SignInRequest, TokenResponse,
};

use super::browser;

/// Request state of the sign-in this tab started, consumed by the answer.
const REQUEST_KEY: &str = "keyless.sign-in";

/// Saves fresh request state and leaves for Entra's sign-in page, asking for `resource`;
/// `again_as` is the account whose sign-in ended, named to Entra by its sign-in name.
pub fn start(
    client: &Client,
    return_to: ReturnPath,
    resource: Resource,
    again_as: Option<&Account>,
) -> AuthError {
    let login_hint = again_as
        .map(|account| account.upn.as_str())
        .filter(|upn| !upn.is_empty());
    let started = browser::random_bytes().and_then(|random| {
        let request = SignInRequest {
            again: again_as.is_some(),
            ..SignInRequest::new(&random, return_to, resource)
        };
        browser::save(REQUEST_KEY, &request)?;
        browser::go_to(&client.authorize_url(&request, login_hint))
    });
    started.err().unwrap_or(AuthError::Redirecting)
}

/// The sign-in answer in the address, if the page was loaded with one. The fragment is removed
/// from the address bar at once, so the code is neither bookmarked nor shared.
pub fn take_answer() -> Option<RedirectResponse> {
    let answer = RedirectResponse::parse(&browser::fragment())?;
    browser::remove_fragment();
    Some(answer)
}

/// What a completed sign-in yields.
pub struct SignedIn {
    pub account: Account,
    pub tokens: TokenResponse,
    /// The resource the answer's access token is for.
    pub resource: Resource,
    pub return_to: ReturnPath,
    /// It renewed a sign-in that had ended.
    pub again: bool,
}

/// Checks the answer against this tab's request state, redeems the code and checks the id token.
pub async fn complete(client: &Client, answer: RedirectResponse) -> Result<SignedIn, AuthError> {
    let request: SignInRequest = browser::take(REQUEST_KEY).ok_or(AuthError::NoPendingSignIn)?;
    let code = answer.into_code(&request.state)?;
    let tokens = redeem(client, client.redeem_form(&code, &request)).await?;
    let id_token = tokens
        .id_token
        .as_deref()
        .ok_or_else(|| AuthError::Malformed("the answer has no id token".into()))?;
    let account = IdTokenClaims::decode(id_token)?.verify(client.client_id(), &request.nonce)?;
    Ok(SignedIn {
        account,
        tokens,
        resource: request.resource,
        return_to: request.return_to,
        again: request.again,
    })
}

/// Posts a token request. The browser adds the `Origin` header Entra requires of SPA clients.
pub async fn redeem(client: &Client, form: String) -> Result<TokenResponse, AuthError> {
    let network = |e: gloo_net::Error| AuthError::Network(e.to_string());
    let response = Request::post(&client.token_url())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    let body = response.text().await.map_err(network)?;
    TokenResponse::from_answer(response.ok(), &body)
}

/// The account key of a token answer, when Entra sent `client_info`.
pub fn home_account_id(tokens: &TokenResponse) -> Result<Option<String>, AuthError> {
    tokens
        .client_info
        .as_deref()
        .map(|info| ClientInfo::decode(info).map(|info| info.home_account_id()))
        .transpose()
}
