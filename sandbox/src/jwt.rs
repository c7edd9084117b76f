//! RS256 JSON Web Tokens signed with a key made when the process starts (never stored).

use crate::util::{base64url, from_base64url};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer as _, Verifier as _};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub struct Signer {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    kid: String,
    jwk: Value,
}

/// The process's signing key, made on first use.
pub fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(Signer::generate)
}

impl Signer {
    fn generate() -> Signer {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("RSA key generation");
        let public = key.to_public_key();
        let n = public.n().to_bytes_be();
        let kid = base64url(&Sha256::digest(&n)[..20]);
        let jwk = json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": kid,
            "x5t": kid,
            "n": base64url(&n),
            "e": base64url(&public.e().to_bytes_be()),
        });
        Signer { signing: SigningKey::new(key), verifying: VerifyingKey::new(public), kid, jwk }
    }

    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "typ": "JWT", "alg": "RS256", "kid": self.kid, "x5t": self.kid });
        let input = format!("{}.{}", base64url(header.to_string().as_bytes()), base64url(claims.to_string().as_bytes()));
        let signature = self.signing.sign(input.as_bytes()).to_bytes();
        format!("{input}.{}", base64url(&signature))
    }

    /// The claims of a token this process signed, or None for anything else.
    pub fn verify(&self, token: &str) -> Option<Value> {
        let (input, signature) = token.rsplit_once('.')?;
        let signature = Signature::try_from(from_base64url(signature)?.as_slice()).ok()?;
        self.verifying.verify(input.as_bytes(), &signature).ok()?;
        claims_unverified(token)
    }
}

/// The claims of a token without checking its signature: only to name a caller in the log.
pub fn claims_unverified(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&from_base64url(payload)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let token = signer().sign(&json!({"oid": "a", "aud": "b"}));
        assert_eq!(signer().verify(&token).unwrap()["oid"], "a");
        let forged = format!("{}.{}.{}", token.split('.').next().unwrap(), base64url(br#"{"oid":"x","aud":"b"}"#), token.rsplit('.').next().unwrap());
        assert!(signer().verify(&forged).is_none());
    }
}
