//! Who signed in, from the id token's claims and the `client_info` Entra adds for public clients.

use serde::{Deserialize, Serialize};

use super::error::AuthError;
use super::jwt;

/// The signed-in account, shown in the header and proposed as the cache's Data Owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    /// The sign-in name (`ada@contoso.com`), used as `login_hint` to sign in again.
    pub upn: String,
    /// The user's object id in this tenant (the `oid` claim): what an assignment names.
    pub object_id: String,
    pub tenant_id: String,
}

/// The id token claims Keyless reads.
#[derive(Clone, Debug, Deserialize)]
pub struct IdTokenClaims {
    aud: String,
    nonce: Option<String>,
    oid: String,
    tid: String,
    name: Option<String>,
    upn: Option<String>,
    preferred_username: Option<String>,
}

impl IdTokenClaims {
    pub fn decode(id_token: &str) -> Result<Self, AuthError> {
        jwt::decode_payload(id_token)
    }

    /// The account, once the token proves it was issued to `client_id` for the sign-in that
    /// sent `nonce`.
    pub fn verify(self, client_id: &str, nonce: &str) -> Result<Account, AuthError> {
        if self.aud != client_id || self.nonce.as_deref() != Some(nonce) {
            return Err(AuthError::IdTokenMismatch);
        }
        let upn = self.upn.or(self.preferred_username).unwrap_or_default();
        Ok(Account {
            name: self.name.unwrap_or_else(|| upn.clone()),
            upn,
            object_id: self.oid,
            tenant_id: self.tid,
        })
    }
}

/// `client_info`: the account's home ids, the key MSAL files its tokens under.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ClientInfo {
    pub uid: String,
    pub utid: String,
}

impl ClientInfo {
    pub fn decode(encoded: &str) -> Result<Self, AuthError> {
        jwt::decode_json(encoded, "client_info")
    }

    /// `uid.utid`: the same for every token of one account, whichever tenant issued it.
    pub fn home_account_id(&self) -> String {
        format!("{}.{}", self.uid, self.utid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use serde_json::json;

    fn id_token(claims: serde_json::Value) -> String {
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.{payload}.c2ln")
    }

    fn claims() -> serde_json::Value {
        json!({
            "aud": "app-1", "nonce": "n-1", "iss": "http://127.0.0.1:8401/t-1/v2.0",
            "oid": "11111111-1111-1111-1111-111111111111", "tid": "t-1",
            "name": "Ada Admin", "preferred_username": "ada@contoso.example", "exp": 2000000000
        })
    }

    #[test]
    fn reads_the_account_from_a_matching_id_token() {
        let account = IdTokenClaims::decode(&id_token(claims()))
            .unwrap()
            .verify("app-1", "n-1");
        assert_eq!(
            account.unwrap(),
            Account {
                name: "Ada Admin".into(),
                upn: "ada@contoso.example".into(),
                object_id: "11111111-1111-1111-1111-111111111111".into(),
                tenant_id: "t-1".into(),
            }
        );
    }

    #[test]
    fn prefers_the_upn_claim_and_falls_back_to_it_for_the_name() {
        let mut claims = claims();
        claims["upn"] = json!("ada_contoso.example#EXT#@fabrikam.example");
        claims.as_object_mut().unwrap().remove("name");
        let account = IdTokenClaims::decode(&id_token(claims))
            .unwrap()
            .verify("app-1", "n-1")
            .unwrap();
        assert_eq!(account.upn, "ada_contoso.example#EXT#@fabrikam.example");
        assert_eq!(account.name, account.upn);
    }

    #[test]
    fn refuses_a_token_for_another_sign_in_or_another_app() {
        let decode = |claims| IdTokenClaims::decode(&id_token(claims)).unwrap();
        assert_eq!(
            decode(claims()).verify("app-1", "n-2"),
            Err(AuthError::IdTokenMismatch)
        );
        assert_eq!(
            decode(claims()).verify("app-2", "n-1"),
            Err(AuthError::IdTokenMismatch)
        );
        let mut no_nonce = claims();
        no_nonce.as_object_mut().unwrap().remove("nonce");
        assert_eq!(
            decode(no_nonce).verify("app-1", "n-1"),
            Err(AuthError::IdTokenMismatch)
        );
    }

    #[test]
    fn a_token_without_an_object_id_is_refused() {
        let mut claims = claims();
        claims.as_object_mut().unwrap().remove("oid");
        assert!(matches!(
            IdTokenClaims::decode(&id_token(claims)),
            Err(AuthError::Malformed(_))
        ));
    }

    #[test]
    fn decodes_client_info() {
        let encoded = URL_SAFE_NO_PAD.encode(r#"{"uid":"u-1","utid":"t-9"}"#);
        let info = ClientInfo::decode(&encoded).unwrap();
        assert_eq!(info.home_account_id(), "u-1.t-9");
        assert!(ClientInfo::decode("bm90IGpzb24").is_err());
    }
}
