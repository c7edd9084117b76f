//! What a tab remembers between sending the user to Entra and getting them back.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use super::pkce::CodeVerifier;
use super::resource::Resource;

/// Random bytes for one sign-in: 32 each for the state, the nonce and the PKCE verifier.
pub type Entropy = [u8; 96];

/// The per-tab request state, saved before the redirect and consumed on return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    /// Echoed by Entra; proves the answer belongs to a sign-in this tab started.
    pub state: String,
    /// Echoed in the id token; proves the token was issued for this sign-in.
    pub nonce: String,
    pub verifier: CodeVerifier,
    /// Where the user was, so a sign-in mid-wizard lands back on the same step.
    pub return_to: ReturnPath,
    /// The resource asked for: Entra takes one resource's scopes per request.
    #[serde(with = "by_scope")]
    pub resource: Resource,
    /// A sign-in that had ended (expired or revoked) is being renewed: the user is told why
    /// Entra asked again.
    #[serde(default)]
    pub again: bool,
}

impl SignInRequest {
    pub fn new(random: &Entropy, return_to: ReturnPath, resource: Resource) -> Self {
        let (state, rest) = random.split_at(32);
        let (nonce, verifier) = rest.split_at(32);
        Self {
            state: URL_SAFE_NO_PAD.encode(state),
            nonce: URL_SAFE_NO_PAD.encode(nonce),
            verifier: CodeVerifier::from_random(verifier.try_into().expect("32 bytes")),
            return_to,
            resource,
            again: false,
        }
    }
}

/// A resource is stored as its scope, the name Entra knows it by.
mod by_scope {
    use super::Resource;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(resource: &Resource, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(resource.scope())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Resource, D::Error> {
        let scope = String::deserialize(deserializer)?;
        [Resource::Arm, Resource::Graph]
            .into_iter()
            .find(|resource| resource.scope() == scope)
            .ok_or_else(|| D::Error::custom(format!("unknown scope {scope}")))
    }
}

/// A path inside this app (`/cache/...`), never another origin: it is followed after sign-in,
/// so accepting `//evil.example` or `https://...` would make Keyless an open redirector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReturnPath(String);

impl ReturnPath {
    pub fn parse(path: &str) -> Option<Self> {
        let local = path.starts_with('/')
            && !path.starts_with("//")
            && !path.starts_with("/\\")
            && !path.chars().any(char::is_control);
        local.then(|| Self(path.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// After sign-in the wizard starts with the cache list.
impl Default for ReturnPath {
    fn default() -> Self {
        Self("/caches".to_owned())
    }
}

impl TryFrom<String> for ReturnPath {
    type Error = String;
    fn try_from(path: String) -> Result<Self, String> {
        Self::parse(&path).ok_or_else(|| format!("not a path inside Keyless: {path}"))
    }
}

impl From<ReturnPath> for String {
    fn from(path: ReturnPath) -> String {
        path.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entropy() -> Entropy {
        std::array::from_fn(|i| i as u8)
    }

    #[test]
    fn state_nonce_and_verifier_come_from_separate_bytes() {
        let request = SignInRequest::new(&entropy(), ReturnPath::default(), Resource::Arm);
        assert_eq!(request.state, URL_SAFE_NO_PAD.encode(&entropy()[..32]));
        assert_eq!(request.nonce, URL_SAFE_NO_PAD.encode(&entropy()[32..64]));
        assert_eq!(
            request.verifier.secret(),
            URL_SAFE_NO_PAD.encode(&entropy()[64..])
        );
        assert_eq!(request.verifier.secret().len(), 43);
    }

    #[test]
    fn different_random_bytes_give_different_requests() {
        let mut other = entropy();
        other[0] ^= 1;
        other[40] ^= 1;
        let a = SignInRequest::new(&entropy(), ReturnPath::default(), Resource::Arm);
        let b = SignInRequest::new(&other, ReturnPath::default(), Resource::Arm);
        assert_ne!(a.state, b.state);
        assert_ne!(a.nonce, b.nonce);
        assert_eq!(a.verifier, b.verifier);
    }

    #[test]
    fn survives_a_round_trip_through_storage() {
        let path = ReturnPath::parse("/cache/s/rg/c/users").unwrap();
        let request = SignInRequest::new(&entropy(), path, Resource::Graph);
        let stored = serde_json::to_string(&request).unwrap();
        assert_eq!(
            serde_json::from_str::<SignInRequest>(&stored).unwrap(),
            request
        );
    }

    #[test]
    fn return_path_stays_inside_the_app() {
        assert!(ReturnPath::parse("/caches?q=prod").is_some());
        for outside in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "caches",
            "/a\nb",
        ] {
            assert_eq!(ReturnPath::parse(outside), None, "{outside}");
        }
        let tampered = r#""//evil.example""#;
        assert!(serde_json::from_str::<ReturnPath>(tampered).is_err());
    }
}
