//! Azure Resource Graph: the `Resources` table of the caches the caller can read, queried with
//! the subset of KQL the app uses (`where <column> =~|== '<text>'`, `project`, `order by`,
//! `limit`). Anything else is refused with ARM's 400, never answered wrongly.

use super::call::Call;
use super::error::ArmError;
use super::wire;
use crate::resources::Cache;
use crate::state::World;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

const COLUMNS: [&str; 16] = [
    "id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy", "sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation",
];
const MAX_TOP: usize = 1000;
const DEFAULT_TOP: usize = 100;

#[derive(Debug, Default, PartialEq)]
struct Query {
    filters: Vec<Filter>,
    projection: Option<Vec<String>>,
    order: Option<(String, bool)>,
    limit: Option<usize>,
}

#[derive(Debug, PartialEq)]
struct Filter {
    column: String,
    value: String,
    ignore_case: bool,
}

/// Splits on `|` outside quotes.
fn stages(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quote = None;
    for c in text.chars() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('|', None) => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().expect("non-empty").push(c);
    }
    parts.into_iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

fn column(name: &str) -> Result<String, String> {
    COLUMNS.iter().find(|c| **c == name).map(|c| (*c).to_owned()).ok_or_else(|| format!("Failed to resolve scalar expression named '{name}'"))
}

/// A column `where` and `order by` can work on.
fn text_column(name: &str) -> Result<String, String> {
    let known = column(name)?;
    if TEXT_COLUMNS.contains(&known.as_str()) { Ok(known) } else { Err(format!("Only text columns can be compared or sorted here, not '{name}'")) }
}

fn literal(text: &str) -> Option<String> {
    let text = text.trim();
    let inner = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')).or_else(|| text.strip_prefix('"').and_then(|t| t.strip_suffix('"')))?;
    (!inner.contains(['\'', '"'])).then(|| inner.to_owned())
}

fn parse(text: &str) -> Result<Query, String> {
    let stages = stages(text);
    if !stages[0].eq_ignore_ascii_case("resources") {
        return Err(format!("Only the 'Resources' table is available here, not '{}'", stages[0]));
    }
    let mut query = Query::default();
    for stage in &stages[1..] {
        let (verb, rest) = stage.split_once(' ').unwrap_or((stage, ""));
        match verb.to_ascii_lowercase().as_str() {
            "where" => {
                let (left, right, ignore_case) = if let Some((l, r)) = rest.split_once("=~") {
                    (l, r, true)
                } else if let Some((l, r)) = rest.split_once("==") {
                    (l, r, false)
                } else {
                    return Err(format!("Unsupported filter '{rest}': use <column> =~ '<text>' or <column> == '<text>'"));
                };
                let value = literal(right).ok_or_else(|| format!("Expected a string literal, found '{}'", right.trim()))?;
                query.filters.push(Filter { column: text_column(left.trim())?, value, ignore_case });
            }
            "project" => {
                let columns = rest.split(',').map(|c| column(c.trim())).collect::<Result<Vec<_>, _>>()?;
                query.projection = Some(columns);
            }
            "order" | "sort" => {
                let words: Vec<&str> = rest.split(' ').collect();
                let (by, name, direction) = (words.first(), words.get(1), words.get(2).copied());
                if by.is_none_or(|b| !b.eq_ignore_ascii_case("by")) || words.len() > 3 {
                    return Err(format!("Unsupported ordering '{rest}': use order by <column> asc|desc"));
                }
                let name = text_column(name.ok_or("order by needs a column")?)?;
                if query.projection.as_ref().is_some_and(|p| !p.contains(&name)) {
                    return Err(format!("Failed to resolve scalar expression named '{name}'"));
                }
                let descending = match direction.map(str::to_ascii_lowercase).as_deref() {
                    None | Some("desc") => true,
                    Some("asc") => false,
                    Some(other) => return Err(format!("Unknown sort direction '{other}'")),
                };
                query.order = Some((name, descending));
            }
            "limit" | "take" => query.limit = Some(rest.trim().parse().map_err(|_| format!("'{rest}' is not a row count"))?),
            _ => return Err(format!("The operator '{verb}' is not supported here")),
        }
    }
    Ok(query)
}

/// Columns holding text, which `where` and `order by` can use.
const TEXT_COLUMNS: [&str; 9] = ["id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy"];

/// Region names as Resource Graph stores them: "West Europe" is "westeurope".
fn region(display_name: &str) -> String {
    display_name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// One text column of a cache's row, cheap enough to filter and sort thousands of caches.
fn text_of(cache: &Cache, tenant_id: &str, column: &str) -> String {
    match column {
        "id" => cache.id(),
        "name" => cache.name.clone(),
        "type" => "microsoft.cache/redis".into(),
        "tenantId" => tenant_id.into(),
        "location" => region(&cache.location),
        "resourceGroup" => cache.resource_group.to_lowercase(),
        "subscriptionId" => cache.subscription_id.clone(),
        _ => String::new(),
    }
}

/// A cache as a full row of the Resources table.
fn row(cache: &Cache, tenant_id: &str) -> Map<String, Value> {
    let resource = wire::cache(cache);
    let mut row: Map<String, Value> = TEXT_COLUMNS.iter().map(|c| ((*c).to_owned(), Value::String(text_of(cache, tenant_id, c)))).collect();
    for (column, value) in [("sku", Value::Null), ("plan", Value::Null), ("properties", resource["properties"].clone()), ("tags", resource["tags"].clone())] {
        row.insert(column.into(), value);
    }
    for column in ["identity", "zones", "extendedLocation"] {
        row.insert(column.into(), Value::Null);
    }
    row
}

fn bad_query(why: String) -> ArmError {
    ArmError::bad_request("BadRequest", "Please provide below info when asking for support: the query and the time it was sent.").with_details(vec![
        json!({ "code": "InvalidQuery", "message": "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying." }),
        json!({ "code": "ParserFailure", "message": why }),
    ])
}

/// What the spec allows but this tenant cannot answer truthfully (facets, management groups,
/// which it has none of) or what the spec does not allow at all: refused, never half-answered.
fn refuse_unanswerable(body: &Value) -> Result<(), ArmError> {
    if body.get("facets").and_then(Value::as_array).is_some_and(|f| !f.is_empty()) {
        return Err(bad_query("Facets are not supported here".into()));
    }
    if let Some(groups) = body.get("managementGroups").and_then(Value::as_array).filter(|g| !g.is_empty()) {
        return Err(ArmError::bad_request(
            "InvalidManagementGroup",
            format!("The management groups {groups:?} do not exist in this tenant."),
        ));
    }
    let filter = body.pointer("/options/authorizationScopeFilter");
    if filter.is_some_and(|f| !f.as_str().is_some_and(|f| SCOPE_FILTERS.contains(&f))) {
        return Err(bad_query(format!("authorizationScopeFilter must be one of {SCOPE_FILTERS:?}")));
    }
    Ok(())
}

/// The values the spec lists for `options.authorizationScopeFilter`.
const SCOPE_FILTERS: [&str; 4] = ["AtScopeAndBelow", "AtScopeAndAbove", "AtScopeExact", "AtScopeAboveAndBelow"];

pub fn query(call: &Call, world: &World) -> Result<Response, ArmError> {
    let body = call.json_body()?;
    let text = body.get("query").and_then(Value::as_str).ok_or_else(|| bad_query("The request has no 'query'".into()))?;
    let query = parse(text).map_err(bad_query)?;
    refuse_unanswerable(&body)?;
    let options = body.get("options").cloned().unwrap_or(Value::Null);
    if options.get("resultFormat").and_then(Value::as_str).is_some_and(|f| f != "objectArray") {
        return Err(bad_query("Only resultFormat 'objectArray' is supported".into()));
    }
    let top = match options.get("$top") {
        None => DEFAULT_TOP,
        Some(top) => top.as_u64().ok_or_else(|| bad_query("$top must be an integer".into()))? as usize,
    };
    if top == 0 || top > MAX_TOP {
        return Err(bad_query(format!("$top must be between 1 and {MAX_TOP}")));
    }
    let skip = match options.get("$skipToken").and_then(Value::as_str) {
        Some(token) => decode_skip_token(token).ok_or_else(|| bad_query("The $skipToken is not valid".into()))?,
        None => options.get("$skip").and_then(Value::as_u64).unwrap_or(0) as usize,
    };
    let asked: Option<HashSet<String>> = body.get("subscriptions").and_then(Value::as_array).map(|ids| ids.iter().filter_map(Value::as_str).map(str::to_lowercase).collect());
    let readable: HashSet<String> = world.resources.readable_subscriptions(&call.caller.object_id).map(|s| s.subscription_id.to_lowercase()).collect();
    let in_scope = |id: &str| readable.contains(id) && asked.as_ref().is_none_or(|a| a.contains(id));

    let tenant = &world.directory.tenant.id;
    let mut caches: Vec<&Cache> = world
        .resources
        .caches
        .iter()
        .filter(|c| in_scope(&c.subscription_id.to_lowercase()))
        .filter(|c| {
            query.filters.iter().all(|f| {
                let value = text_of(c, tenant, &f.column);
                if f.ignore_case { value.eq_ignore_ascii_case(&f.value) } else { value == f.value }
            })
        })
        .collect();
    if let Some((column, descending)) = &query.order {
        caches.sort_by_cached_key(|c| text_of(c, tenant, column));
        if *descending {
            caches.reverse();
        }
    }
    caches.truncate(query.limit.unwrap_or(usize::MAX));
    let total = caches.len();
    let data: Vec<Value> = caches
        .into_iter()
        .skip(skip)
        .take(top)
        .map(|c| {
            let mut full = row(c, tenant);
            match &query.projection {
                Some(columns) => Value::Object(columns.iter().map(|name| (name.clone(), full.remove(name).unwrap_or(Value::Null))).collect()),
                None => Value::Object(full),
            }
        })
        .collect();
    let count = data.len();
    let mut answer = json!({ "totalRecords": total, "count": count, "resultTruncated": "false", "facets": [], "data": data });
    if skip + count < total {
        answer["$skipToken"] = crate::util::base64url(format!("offset:{}", skip + count).as_bytes()).into();
    }
    let mut response = Json(answer).into_response();
    response.headers_mut().insert("x-ms-user-quota-remaining", 14.into());
    response.headers_mut().insert("x-ms-user-quota-resets-after", axum::http::HeaderValue::from_static("00:00:05"));
    Ok(response)
}

fn decode_skip_token(token: &str) -> Option<usize> {
    String::from_utf8(crate::util::from_base64url(token)?).ok()?.strip_prefix("offset:")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_query_parses_across_lines() {
        let query = parse("Resources\n| where type =~ 'microsoft.cache/redis'\n| project id, name, type, resourceGroup, subscriptionId, location, properties\n| order by id asc").unwrap();
        assert_eq!(query.filters, [Filter { column: "type".into(), value: "microsoft.cache/redis".into(), ignore_case: true }]);
        assert_eq!(query.projection.unwrap().len(), 7);
        assert_eq!(query.order, Some(("id".into(), false)));
    }

    #[test]
    fn unsupported_queries_are_refused() {
        for text in [
            "ResourceContainers | project id",
            "Resources | where type contains 'redis'",
            "Resources | project id, nonsense",
            "Resources | summarize count() by type",
            "Resources | project name | order by id asc",
            "Resources | where type =~ microsoft.cache/redis",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
