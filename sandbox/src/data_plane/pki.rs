//! The sandbox's certificate authority. It is made at start-up and never written to the
//! repository: clients trust the sandbox only through the CA file a test or the demo hands them,
//! exactly as they would trust a real cache through the system store.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls::{
    self,
    pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer},
};

use super::DataPlaneError;

/// Names every sandbox server certificate carries besides the ones asked for, so a client can
/// reach any sandbox listener by loopback address or by `localhost`.
const LOOPBACK_NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

/// A CA that signs TLS server certificates for the sandbox's listeners.
pub struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Authority {
    pub fn new() -> Result<Self, DataPlaneError> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "Keyless sandbox CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate()?)?;
        Ok(Self { issuer })
    }

    /// The CA certificate, for clients' trust bundles.
    pub fn ca_pem(&self) -> String {
        self.issuer.pem()
    }

    /// A TLS server configuration with a fresh certificate for `names` plus loopback.
    pub fn server_config(
        &self,
        names: &[&str],
    ) -> Result<Arc<rustls::ServerConfig>, DataPlaneError> {
        let mut all: Vec<String> = LOOPBACK_NAMES
            .iter()
            .chain(names)
            .map(|n| n.to_string())
            .collect();
        all.sort();
        all.dedup();
        let mut params = CertificateParams::new(all)?;
        params.distinguished_name.push(
            DnType::CommonName,
            names.first().copied().unwrap_or("localhost"),
        );
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        let chain = vec![cert.der().clone(), self.issuer.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
        Ok(Arc::new(config))
    }
}
