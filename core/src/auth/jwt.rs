//! Reading the claims of a JSON Web Token, and the other base64url JSON Entra sends.
//!
//! No signature check: the tokens come straight from the token endpoint over TLS, in answer to
//! this tab's own request (OIDC Core 3.1.3.7), and the app only reads who signed in from them.

use base64::{
    Engine,
    alphabet::URL_SAFE,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
};
use serde::de::DeserializeOwned;

use super::error::AuthError;

/// JWTs omit base64 padding; other encoders add it. Accept both.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64url text holding JSON; `what` names it in the error.
pub fn decode_json<T: DeserializeOwned>(encoded: &str, what: &str) -> Result<T, AuthError> {
    let bytes = BASE64URL
        .decode(encoded.trim())
        .map_err(|e| AuthError::Malformed(format!("{what} is not base64url: {e}")))?;
    serde_json::from_slice(&bytes).map_err(|e| AuthError::Malformed(format!("{what}: {e}")))
}

/// The claims of a compact JWT (`header.payload.signature`).
pub fn decode_payload<T: DeserializeOwned>(jwt: &str) -> Result<T, AuthError> {
    match jwt.split('.').collect::<Vec<_>>()[..] {
        [_, payload, _] => decode_json(payload, "the token's claims"),
        _ => Err(AuthError::Malformed("the token is not a JWT".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{URL_SAFE as PADDED, URL_SAFE_NO_PAD};
    use serde_json::{Value, json};

    fn jwt_with(payload: &[u8]) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2lnbmF0dXJl",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn decodes_a_payload_with_no_padding_and_url_safe_characters() {
        // 'é' and '?' encode to bytes whose base64 uses '-' or '_'; 2 spare bytes need padding.
        let claims =
            json!({"name": "Zoë ?>>", "oid": "00000000-0000-0000-0000-000000000001", "n": 1});
        let bytes = serde_json::to_vec(&claims).unwrap();
        let payload = URL_SAFE_NO_PAD.encode(&bytes);
        assert!(
            payload.contains(['-', '_']),
            "the sample must exercise base64url: {payload}"
        );
        assert_ne!(bytes.len() % 3, 0, "the sample must need padding");
        assert_eq!(decode_payload::<Value>(&jwt_with(&bytes)).unwrap(), claims);
    }

    #[test]
    fn accepts_padded_base64url_too() {
        let encoded = PADDED.encode(br#"{"uid":"u","utid":"t"}"#);
        assert!(encoded.ends_with('='));
        let value: Value = decode_json(&encoded, "client_info").unwrap();
        assert_eq!(value["utid"], "t");
    }

    #[test]
    fn refuses_what_is_not_a_jwt() {
        for bad in ["", "abc", "a.b", "a.b.c.d", "x.!!!.y"] {
            assert!(
                matches!(decode_payload::<Value>(bad), Err(AuthError::Malformed(_))),
                "{bad}"
            );
        }
        let not_json = jwt_with(b"not json");
        assert!(matches!(
            decode_payload::<Value>(&not_json),
            Err(AuthError::Malformed(_))
        ));
    }
}
