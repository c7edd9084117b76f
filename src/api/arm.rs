//! The Resource Manager client: subscriptions, caches (through Resource Graph, or listed per
//! subscription when Resource Graph fails), access policies, assignments, and writes.
use super::ApiError;
use super::http::{Http, Reply};
use gloo_net::http::Method;
use keyless_core::arm::{
    AccessPolicy, Assignment, Cache, List, QueryRequest, QueryResponse, Subscription, paths,
};
use keyless_core::ids::{ResourceId, SubscriptionId};
use keyless_core::plan::{self, Write};
use serde::de::DeserializeOwned;

/// Calls Resource Manager at the configured base URL.
#[derive(Clone)]
pub struct Arm {
    http: Http,
    base: String,
}

/// Every cache the user can see, and how they were found.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheListing {
    /// The subscriptions whose caches are listed: those that can be changed.
    pub subscriptions: Vec<Subscription>,
    /// The others (Disabled, PastDue, Deleted): their caches are left out, and the page says so.
    pub unlisted: Vec<Subscription>,
    pub caches: Vec<Cache>,
    /// Why Resource Graph was not used, when the caches were listed per subscription instead.
    pub graph_failure: Option<ApiError>,
}

impl CacheListing {
    /// The display name of the subscription a cache lives in.
    pub fn subscription_name(&self, cache: &Cache) -> String {
        let sub = cache.resource_id().ok().map(|id| id.subscription().clone());
        self.subscriptions
            .iter()
            .find(|s| Some(&s.subscription_id) == sub.as_ref())
            .map_or_else(
                || sub.map(|s| s.to_string()).unwrap_or_default(),
                |s| s.display_name.clone(),
            )
    }
}

impl Arm {
    pub fn new(http: Http, base: &str) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base, path_and_query)
    }

    /// Every item of a list, following `nextLink` to the end.
    async fn list<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut next = Some(self.url(path));
        while let Some(url) = next {
            let page: List<T> = self.http.get(&url).await?;
            items.extend(page.value);
            next = page.next_link;
        }
        Ok(items)
    }

    /// The subscriptions the user can see: those whose caches can be changed (Enabled or
    /// Warned), then the others.
    pub async fn subscriptions(&self) -> Result<(Vec<Subscription>, Vec<Subscription>), ApiError> {
        let all: Vec<Subscription> = self.list(&paths::subscriptions()).await?;
        Ok(all.into_iter().partition(Subscription::is_enabled))
    }

    /// Every cache in every enabled subscription: one Resource Graph query, paged by skip
    /// token; when Resource Graph fails, each subscription is listed instead.
    pub async fn all_caches(&self) -> Result<CacheListing, ApiError> {
        let (subscriptions, unlisted) = self.subscriptions().await?;
        let ids: Vec<_> = subscriptions
            .iter()
            .map(|s| s.subscription_id.clone())
            .collect();
        if ids.is_empty() {
            return Ok(CacheListing {
                subscriptions,
                unlisted,
                caches: Vec::new(),
                graph_failure: None,
            });
        }
        match self.caches_by_graph(&ids).await {
            Ok(caches) => Ok(CacheListing {
                subscriptions,
                unlisted,
                caches,
                graph_failure: None,
            }),
            Err(ApiError::Redirecting) => Err(ApiError::Redirecting),
            Err(failure) => {
                let mut caches = Vec::new();
                for id in &ids {
                    caches.extend(
                        self.list::<Cache>(&paths::caches_in_subscription(id))
                            .await?,
                    );
                }
                Ok(CacheListing {
                    subscriptions,
                    unlisted,
                    caches,
                    graph_failure: Some(failure),
                })
            }
        }
    }

    async fn caches_by_graph(
        &self,
        subscriptions: &[keyless_core::ids::SubscriptionId],
    ) -> Result<Vec<Cache>, ApiError> {
        let url = self.url(&paths::resource_graph());
        let mut caches = Vec::new();
        let mut skip_token = None;
        loop {
            let request = QueryRequest::caches(subscriptions.to_vec(), skip_token);
            let body = serde_json::to_value(&request).expect("a query request serialises");
            let page: QueryResponse<Cache> = self
                .http
                .send(Method::POST, &url, Some(&body), &[])
                .await?
                .json()?;
            caches.extend(page.data);
            skip_token = page.skip_token;
            if skip_token.is_none() {
                return Ok(caches);
            }
        }
    }

    /// One subscription, for its state.
    pub async fn subscription(&self, id: &SubscriptionId) -> Result<Subscription, ApiError> {
        self.http.get(&self.url(&paths::subscription(id))).await
    }

    /// The cache as Resource Manager has it now (Resource Graph lags behind).
    pub async fn cache(&self, id: &ResourceId) -> Result<Cache, ApiError> {
        self.http.get(&self.url(&paths::cache(id))).await
    }

    pub async fn policies(&self, id: &ResourceId) -> Result<Vec<AccessPolicy>, ApiError> {
        self.list(&paths::access_policies(id)).await
    }

    pub async fn assignments(&self, id: &ResourceId) -> Result<Vec<Assignment>, ApiError> {
        self.list(&paths::assignments(id)).await
    }

    /// Sends one planned write exactly as planned: its method, path and body, nothing else.
    pub async fn send(&self, write: &Write) -> Result<Reply, ApiError> {
        let method = match write.method {
            plan::Method::Put => Method::PUT,
            plan::Method::Patch => Method::PATCH,
        };
        self.http
            .send(method, &self.url(&write.path), Some(&write.body), &[])
            .await
    }

    /// GETs an absolute URL verbatim: operation URLs are signed and must not be rebuilt.
    pub async fn poll(&self, url: &str) -> Result<Reply, ApiError> {
        self.http.send(Method::GET, url, None, &[]).await
    }
}
