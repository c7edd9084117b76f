//! Resource Graph: every cache in every subscription in one paged query
//! (`POST /providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`).

use crate::ids::SubscriptionId;
use serde::{Deserialize, Serialize};

/// The query Keyless sends. It keeps `id` and orders by it, which Resource Graph needs for
/// stable paging, and projects the same `properties` Resource Manager returns so each row reads
/// as a [`Cache`](super::Cache).
pub const CACHES_QUERY: &str = "Resources | where type =~ 'microsoft.cache/redis' | project id, name, type, resourceGroup, subscriptionId, location, properties | order by id asc";

/// Rows per page: the most Resource Graph allows.
pub const PAGE_SIZE: u32 = 1000;

/// The request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryRequest {
    /// Empty means every subscription the user can see.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<SubscriptionId>,
    pub query: String,
    pub options: QueryOptions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryOptions {
    #[serde(rename = "$top")]
    pub top: u32,
    #[serde(
        rename = "$skipToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_token: Option<String>,
    #[serde(rename = "resultFormat")]
    pub result_format: String,
}

impl QueryRequest {
    /// The caches query, first page when `skip_token` is `None`, else the page it points to.
    /// Later pages must re-send the same query and scopes, which this guarantees.
    pub fn caches(subscriptions: Vec<SubscriptionId>, skip_token: Option<String>) -> Self {
        Self {
            subscriptions,
            query: CACHES_QUERY.to_owned(),
            options: QueryOptions {
                top: PAGE_SIZE,
                skip_token,
                result_format: "objectArray".to_owned(),
            },
        }
    }
}

/// The answer; `data` rows are objects because the request asks for `objectArray`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse<T> {
    pub total_records: u64,
    pub count: u64,
    /// "true" when more rows matched than were returned without a skip token.
    pub result_truncated: String,
    #[serde(
        rename = "$skipToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_token: Option<String>,
    pub data: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::Cache;
    use serde_json::json;

    #[test]
    fn the_next_page_request_carries_the_token_and_the_same_query() {
        let sub = SubscriptionId::parse("cfbbd179-59d2-4052-aa06-9270a38aa9d6").unwrap();
        let body =
            serde_json::to_value(QueryRequest::caches(vec![sub], Some("tok".into()))).unwrap();
        assert_eq!(
            body,
            json!({
                "subscriptions": ["cfbbd179-59d2-4052-aa06-9270a38aa9d6"],
                "query": CACHES_QUERY,
                "options": {"$top": 1000, "$skipToken": "tok", "resultFormat": "objectArray"}
            })
        );
        let first = serde_json::to_value(QueryRequest::caches(vec![], None)).unwrap();
        assert_eq!(
            first,
            json!({"query": CACHES_QUERY, "options": {"$top": 1000, "resultFormat": "objectArray"}})
        );
    }

    #[test]
    fn rows_read_as_caches() {
        let page: QueryResponse<Cache> = serde_json::from_value(json!({
            "totalRecords": 2, "count": 1, "resultTruncated": "false", "$skipToken": "next",
            "data": [{
                "id": "/subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG1/providers/Microsoft.Cache/Redis/c1",
                "name": "c1", "type": "microsoft.cache/redis", "resourceGroup": "rg1",
                "subscriptionId": "cfbbd179-59d2-4052-aa06-9270a38aa9d6", "location": "westeurope",
                "properties": {"redisVersion": "6.0", "sku": {"name": "Standard", "family": "C", "capacity": 1},
                               "redisConfiguration": {"aad-enabled": "true"}}
            }]
        }))
        .unwrap();
        assert_eq!(page.skip_token.as_deref(), Some("next"));
        assert!(page.data[0].entra_enabled());
        assert_eq!(page.data[0].tier(), "Standard C1");
    }
}
