//! Sign-in with Microsoft Entra ID as a single-page app does it: authorization code + PKCE S256
//! by full-page redirect, then one refresh token for every resource.
//!
//! Everything here is pure: randomness comes from the caller (the browser's
//! `crypto.getRandomValues`), and the network calls are made by the app with the forms built here.

pub mod account;
pub mod client;
pub mod entra_error;
pub mod error;
pub mod form;
pub mod jwt;
pub mod pkce;
pub mod redirect;
pub mod request;
pub mod resource;
pub mod token;

pub use account::{Account, ClientInfo, IdTokenClaims};
pub use client::Client;
pub use entra_error::{EntraError, Remedy};
pub use error::AuthError;
pub use pkce::{CodeChallenge, CodeVerifier};
pub use redirect::RedirectResponse;
pub use request::{Entropy, ReturnPath, SignInRequest};
pub use resource::Resource;
pub use token::{AccessToken, TokenResponse};
