//! Microsoft Graph v1.0, the directory part: users, service principals, groups and directory
//! objects, with `$filter`, `$search`, `$select`, `$top` and `@odata.nextLink` paging.

mod objects;
mod odata;

use crate::bearer::{authenticate, BearerError, Caller};
use crate::state::Shared;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use objects::Kind;
use odata::{Filter, Search};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

const AUDIENCES: [&str; 3] = ["https://graph.microsoft.com", "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000"];

/// Graph's error shape, with the status.
struct GraphError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
}

impl GraphError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> GraphError {
        GraphError { status, code, message: message.into(), retry_after: None }
    }

    fn bad_request(message: impl Into<String>) -> GraphError {
        GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    fn not_found(id: &str) -> GraphError {
        GraphError::new(StatusCode::NOT_FOUND, "Request_ResourceNotFound", format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."))
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let request_id = crate::util::new_guid();
        let body = json!({ "error": { "code": self.code, "message": self.message, "innerError": {
            "date": crate::util::now_rfc3339(), "request-id": request_id, "client-request-id": request_id } } });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert("retry-after", seconds.into());
        }
        response.headers_mut().insert("request-id", HeaderValue::from_str(&request_id).expect("guid"));
        response
    }
}

pub fn fault_response(status: StatusCode, retry_after: Option<u64>) -> Response {
    let code = match status {
        StatusCode::TOO_MANY_REQUESTS => "TooManyRequests",
        StatusCode::SERVICE_UNAVAILABLE => "serviceNotAvailable",
        StatusCode::CONFLICT => "Conflict",
        _ => "generalException",
    };
    GraphError { retry_after, ..GraphError::new(status, code, "The service could not answer this time; retry later.") }.into_response()
}

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1.0/me", get(me))
        .route("/v1.0/users", get(|s, h, q| list(s, h, q, Kind::User)))
        .route("/v1.0/users/{id}", get(|s, h, p, q| one(s, h, p, q, Kind::User)))
        .route("/v1.0/servicePrincipals", get(|s, h, q| list(s, h, q, Kind::ServicePrincipal)))
        .route("/v1.0/servicePrincipals/{id}", get(|s, h, p, q| one(s, h, p, q, Kind::ServicePrincipal)))
        .route("/v1.0/groups", get(|s, h, q| list(s, h, q, Kind::Group)))
        .route("/v1.0/groups/{id}", get(|s, h, p, q| one(s, h, p, q, Kind::Group)))
        .route("/v1.0/directoryObjects/{id}", get(|s, h, p, q| one(s, h, p, q, Kind::DirectoryObject)))
        .fallback(unknown_segment)
}

/// Anything else the sandbox does not serve, in Graph's words.
async fn unknown_segment(uri: axum::http::Uri) -> Response {
    let segment = uri.path().trim_start_matches("/v1.0/").split('/').next().unwrap_or_default().to_owned();
    GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", format!("Resource not found for the segment '{segment}'.")).into_response()
}

/// The caller, once the token is good and carries one of the permissions the kind needs.
fn authorize(shared: &Shared, headers: &HeaderMap, kind: Kind) -> Result<Caller, GraphError> {
    let caller = authenticate(shared, headers, &AUDIENCES).map_err(|e| {
        let message = match e {
            BearerError::Missing => "Access token is empty.".to_owned(),
            BearerError::Malformed => "Access token validation failure. Invalid signature or format.".to_owned(),
            BearerError::Expired => "Lifetime validation failed, the token is expired.".to_owned(),
            BearerError::Revoked => "The access token has been revoked.".to_owned(),
            BearerError::WrongAudience(aud) => format!("Access token validation failure. Invalid audience '{aud}'."),
        };
        GraphError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message)
    })?;
    if !caller.has_any_scope(kind.permissions()) {
        return Err(GraphError::new(StatusCode::FORBIDDEN, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    }
    Ok(caller)
}

type Query = RawQuery;

/// The OData options served; any other is refused rather than silently ignored.
const LIST_OPTIONS: [&str; 6] = ["$filter", "$search", "$select", "$top", "$count", "$skiptoken"];
const ONE_OPTIONS: [&str; 1] = ["$select"];

fn query_map(RawQuery(query): Query) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect()
}

fn refuse_other_options(query: &HashMap<String, String>, served: &[&str]) -> Result<(), GraphError> {
    match query.keys().find(|k| k.starts_with('$') && !served.contains(&k.as_str())) {
        Some(option) => Err(GraphError::new(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", format!("The query option '{option}' is not supported here."))),
        None => Ok(()),
    }
}

/// Applies `$select`, or the kind's default properties.
fn selected(kind: Kind, object: Map<String, Value>, query: &HashMap<String, String>) -> Result<Value, GraphError> {
    let Some(select) = query.get("$select") else { return Ok(Value::Object(kind.default_view(object))) };
    let mut out = Map::new();
    if let Some(odata_type) = object.get("@odata.type") {
        out.insert("@odata.type".into(), odata_type.clone());
    }
    for name in select.split(',').map(str::trim) {
        let property = kind.properties().iter().find(|p| p.eq_ignore_ascii_case(name)).ok_or_else(|| {
            GraphError::bad_request(format!("Could not find a property named '{name}' on type 'microsoft.graph.{}'.", kind.type_name()))
        })?;
        out.insert((*property).to_owned(), object.get(*property).cloned().unwrap_or(Value::Null));
    }
    Ok(Value::Object(out))
}

async fn me(State(shared): State<Arc<Shared>>, headers: HeaderMap, query: Query) -> Response {
    let answer = || -> Result<Value, GraphError> {
        let caller = authorize(&shared, &headers, Kind::Me)?;
        if caller.is_app {
            return Err(GraphError::bad_request("/me request is only valid with delegated authentication flow."));
        }
        let query = query_map(query);
        refuse_other_options(&query, &ONE_OPTIONS)?;
        let world = shared.world();
        let user = world.directory.user(&caller.object_id).ok_or_else(|| GraphError::not_found(&caller.object_id))?;
        let mut body = selected(Kind::User, objects::user(user), &query)?;
        body["@odata.context"] = format!("{}/v1.0/$metadata#users/$entity", shared.origins.graph).into();
        Ok(body)
    };
    respond(answer())
}

fn respond(result: Result<Value, GraphError>) -> Response {
    match result {
        Ok(body) => Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn one(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>, query: Query, kind: Kind) -> Response {
    let answer = || -> Result<Value, GraphError> {
        authorize(&shared, &headers, kind)?;
        let world = shared.world();
        let query = query_map(query);
        refuse_other_options(&query, &ONE_OPTIONS)?;
        let (found_kind, object) = objects::find(&world.directory, kind, &id).ok_or_else(|| GraphError::not_found(&id))?;
        let mut body = selected(found_kind, object, &query)?;
        body["@odata.context"] = format!("{}/v1.0/$metadata#{}/$entity", shared.origins.graph, kind.collection()).into();
        Ok(body)
    };
    respond(answer())
}

async fn list(State(shared): State<Arc<Shared>>, headers: HeaderMap, query: Query, kind: Kind) -> Response {
    let raw = query.0.clone().unwrap_or_default();
    let answer = || -> Result<Value, GraphError> {
        authorize(&shared, &headers, kind)?;
        let query = query_map(query);
        refuse_other_options(&query, &LIST_OPTIONS)?;
        let eventual = headers.get("consistencylevel").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("eventual"));
        let needs_eventual = query.contains_key("$search") || query.get("$count").is_some_and(|c| c == "true");
        if needs_eventual && !eventual {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
            ));
        }
        let filter = query.get("$filter").map(|f| Filter::parse(f, kind.filterable())).transpose().map_err(|e| {
            GraphError::new(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", format!("Invalid filter clause: {e}"))
        })?;
        let search = query.get("$search").map(|s| Search::parse(s, kind.filterable())).transpose().map_err(|e| {
            GraphError::new(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", format!("Invalid search clause: {e}"))
        })?;
        let page_size = shared.options.page_size as usize;
        let top = match query.get("$top") {
            None => page_size,
            Some(t) => t.parse::<usize>().ok().filter(|t| (1..=999).contains(t)).ok_or_else(|| GraphError::bad_request(format!("Invalid page size specified: '{t}'. Must be between 1 and 999 inclusive.")))?,
        };
        let skip = query.get("$skiptoken").map(|t| t.parse::<usize>().map_err(|_| GraphError::bad_request("The $skiptoken is not valid."))).transpose()?.unwrap_or(0);
        let world = shared.world();
        let matching: Vec<Map<String, Value>> = objects::all(&world.directory, kind)
            .into_iter()
            .filter(|o| filter.as_ref().is_none_or(|f| f.matches(o)) && search.as_ref().is_none_or(|s| s.matches(o)))
            .collect();
        let total = matching.len();
        let value = matching.into_iter().skip(skip).take(top).map(|o| selected(kind, o, &query)).collect::<Result<Vec<_>, _>>()?;
        let mut body = json!({ "@odata.context": format!("{}/v1.0/$metadata#{}", shared.origins.graph, kind.collection()) });
        if query.get("$count").is_some_and(|c| c == "true") {
            body["@odata.count"] = total.into();
        }
        let shown = value.len();
        body["value"] = Value::Array(value);
        if skip + shown < total {
            let rest: String = url::form_urlencoded::parse(raw.as_bytes())
                .filter(|(k, _)| k != "$skiptoken")
                .fold(url::form_urlencoded::Serializer::new(String::new()), |mut s, (k, v)| {
                    s.append_pair(&k, &v);
                    s
                })
                .append_pair("$skiptoken", &(skip + shown).to_string())
                .finish();
            body["@odata.nextLink"] = format!("{}/v1.0/{}?{rest}", shared.origins.graph, kind.collection()).into();
        }
        Ok(body)
    };
    respond(answer())
}
