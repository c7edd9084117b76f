//! The managed-identity endpoint App Service, Functions and Container Apps give an application,
//! found through `IDENTITY_ENDPOINT` and guarded by the secret in `IDENTITY_HEADER`. MSAL,
//! azure-identity and the Redis Entra helpers use it unchanged, so the sandbox's managed
//! identities sign in exactly as they would in Azure. Plain HTTP on loopback, as there.

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    directory::ServicePrincipal,
    entra::{Resource, base_claims, mint},
    state::Shared,
    util::unix_now,
};

/// Where the endpoint answers, as on App Service.
pub const PATH: &str = "/msi/token";
/// The only version of the App Service protocol the endpoint speaks (the current one).
const API_VERSION: &str = "2019-08-01";
/// The header carrying the secret from `IDENTITY_HEADER`.
const SECRET_HEADER: &str = "x-identity-header";

/// The endpoint of one emulated application host.
pub struct IdentityEndpoint {
    shared: Arc<Shared>,
    /// The value of `IDENTITY_HEADER`: proof that the caller runs on the host.
    secret: String,
}

impl IdentityEndpoint {
    pub fn new(shared: Arc<Shared>, secret: String) -> Self {
        Self { shared, secret }
    }

    pub fn router(self) -> Router {
        Router::new()
            .route(PATH, get(token))
            .with_state(Arc::new(self))
    }
}

/// The managed identity the host has as its system-assigned one: the first in the directory.
pub fn system_assigned(shared: &Shared) -> Option<ServicePrincipal> {
    shared
        .world()
        .directory
        .service_principals
        .iter()
        .find(|s| is_managed_identity(s))
        .cloned()
}

fn is_managed_identity(principal: &ServicePrincipal) -> bool {
    principal.service_principal_type == "ManagedIdentity"
}

/// The query App Service's endpoint reads. An identity is picked by at most one of the ids.
#[derive(Debug, Deserialize)]
struct TokenQuery {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
    resource: Option<String>,
    client_id: Option<String>,
    principal_id: Option<String>,
    mi_res_id: Option<String>,
}

/// A refusal in the endpoint's shape: `{statusCode, message}`.
struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = json!({
            "statusCode": self.status.as_u16(),
            "message": self.message,
            "correlationId": crate::util::new_guid(),
        });
        (self.status, Json(body)).into_response()
    }
}

async fn token(
    State(endpoint): State<Arc<IdentityEndpoint>>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Response {
    match answer(&endpoint, &headers, &query) {
        Ok(body) => Json(body).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

fn answer(
    endpoint: &IdentityEndpoint,
    headers: &HeaderMap,
    query: &TokenQuery,
) -> Result<Value, Refusal> {
    let presented = headers.get(SECRET_HEADER).and_then(|v| v.to_str().ok());
    if presented != Some(endpoint.secret.as_str()) {
        return Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            format!(
                "The request must carry the {SECRET_HEADER} header with the value of IDENTITY_HEADER."
            ),
        ));
    }
    if query.api_version.as_deref() != Some(API_VERSION) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("api-version must be {API_VERSION}."),
        ));
    }
    let asked = query.resource.as_deref().ok_or_else(|| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "The resource parameter is required.",
        )
    })?;
    let resource = Resource::of_resource_uri(asked).ok_or_else(|| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("The resource {asked} is not known to this tenant."),
        )
    })?;
    let shared = &endpoint.shared;
    let identity = pick_identity(shared, query)?;
    let tenant_id = shared.world().directory.tenant.id.clone();
    let now = unix_now();
    let mut claims = base_claims(shared, resource, &tenant_id, &identity.id, now);
    let resource_id = identity
        .alternative_names
        .iter()
        .find(|n| n.starts_with('/'))
        .cloned()
        .unwrap_or_default();
    claims.extend(
        json!({ "sub": identity.id, "appid": identity.app_id, "appidacr": "2", "idtyp": "app", "xms_mirid": resource_id })
            .as_object()
            .expect("object")
            .clone(),
    );
    let expires_on = claims["exp"].as_u64().unwrap_or(now);
    Ok(json!({
        "access_token": mint(shared, claims, &identity.id),
        "expires_on": expires_on.to_string(),
        "resource": asked,
        "token_type": "Bearer",
        "client_id": identity.app_id,
    }))
}

/// The identity a query names: by client id, object (principal) id or resource id, else the
/// system-assigned one. Only managed identities qualify.
fn pick_identity(shared: &Shared, query: &TokenQuery) -> Result<ServicePrincipal, Refusal> {
    let not_found = || {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.",
        )
    };
    let world = shared.world();
    let identities = || {
        world
            .directory
            .service_principals
            .iter()
            .filter(|s| is_managed_identity(s))
    };
    let named = match (&query.client_id, &query.principal_id, &query.mi_res_id) {
        (None, None, None) => {
            drop(world);
            return system_assigned(shared).ok_or_else(|| {
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    "No managed identity is assigned to this host.",
                )
            });
        }
        (Some(client_id), None, None) => {
            identities().find(|s| s.app_id.eq_ignore_ascii_case(client_id))
        }
        (None, Some(object_id), None) => {
            identities().find(|s| s.id.eq_ignore_ascii_case(object_id))
        }
        (None, None, Some(resource_id)) => identities().find(|s| {
            s.alternative_names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(resource_id))
        }),
        _ => {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "Only one of client_id, principal_id and mi_res_id may be given.",
            ));
        }
    };
    named.cloned().ok_or_else(not_found)
}
