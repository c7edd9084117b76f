//! The Microsoft Graph client: finding the principal whose object id becomes a Redis user.
use super::ApiError;
use super::http::Http;
use gloo_net::http::Method;
use keyless_core::graph::{
    DirectoryObject, Group, List, Principal, Refusal, ServicePrincipal, User, swap_client_id, urls,
};
use keyless_core::ids::{ClientId, ObjectId};
use serde::de::DeserializeOwned;

/// Results asked for per kind of object: enough to pick from, few enough to read.
const SEARCH_TOP: u32 = 15;

/// Calls Microsoft Graph at the configured base URL.
#[derive(Clone)]
pub struct Graph {
    http: Http,
    base: String,
}

/// One search result: someone who can be a Redis user, or an object refused with the reason.
pub type Found = Result<Principal, Refusal>;

/// What a pasted id turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Pasted {
    /// Ready to assign; `note` explains a swap or why Graph could not confirm it.
    Principal {
        principal: Principal,
        note: Option<String>,
    },
    Refused(Refusal),
}

impl Graph {
    pub fn new(http: Http, base: &str) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// One page of a Graph list. Advanced queries (`$search`) need `ConsistencyLevel:
    /// eventual`; plain filters are sent without it.
    async fn page<T: DeserializeOwned>(&self, url: &str) -> Result<List<T>, ApiError> {
        let headers: &[(&str, &str)] = if url.contains("$search=") {
            &[("ConsistencyLevel", "eventual")]
        } else {
            &[]
        };
        self.http
            .send(Method::GET, url, None, headers)
            .await?
            .json()
    }

    /// Every item of a Graph list, following `@odata.nextLink`.
    async fn list<T: DeserializeOwned>(&self, path: String) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut next = Some(self.url(&path));
        while let Some(url) = next {
            let page: List<T> = self.page(&url).await?;
            items.extend(page.value);
            next = page.next_link;
        }
        Ok(items)
    }

    /// The first page of a search: a prefix as short as "a" matches much of a large directory,
    /// and the admin narrows the text rather than scroll through every page.
    async fn first<T: DeserializeOwned>(&self, path: String) -> Result<Vec<T>, ApiError> {
        Ok(self.page::<T>(&self.url(&path)).await?.value)
    }

    /// Users, service principals (managed identities among them) and groups whose name starts
    /// with `text`, asked in parallel. Groups are listed too, refused, so the admin learns why.
    pub async fn search(&self, text: &str) -> Result<Vec<Found>, ApiError> {
        let (users, principals, groups) = futures::join!(
            self.first::<User>(urls::search_users(text, SEARCH_TOP)),
            self.first::<ServicePrincipal>(urls::search_service_principals(text, SEARCH_TOP)),
            self.first::<Group>(urls::search_groups(text, SEARCH_TOP)),
        );
        let users = users?.into_iter().map(Principal::from_user);
        // Reading service principals needs Application.Read.All, reading groups may be denied:
        // without them, users are still worth showing (and object ids can be pasted).
        let principals = principals.unwrap_or_default().into_iter();
        let groups = groups.unwrap_or_default().into_iter();
        Ok(users
            .chain(principals.map(|sp| Ok(Principal::from_service_principal(sp))))
            .chain(groups.map(|g| Err(Refusal::from_group(g))))
            .collect())
    }

    /// Describes a pasted GUID: an object id Graph knows, a client id swapped for its service
    /// principal's object id, or an object id assigned as given when Graph cannot tell.
    pub async fn describe(&self, id: &ObjectId) -> Result<Pasted, ApiError> {
        match self
            .http
            .get::<DirectoryObject>(&self.url(&urls::directory_object(id)))
            .await
        {
            Ok(object) => {
                return Ok(match Principal::from_directory_object(object) {
                    Ok(principal) => Pasted::Principal {
                        principal,
                        note: None,
                    },
                    Err(refusal) => Pasted::Refused(refusal),
                });
            }
            Err(ApiError::Graph(e)) if e.status == 404 || e.status == 403 => {}
            Err(other) => return Err(other),
        }
        let as_client_id = ClientId::parse(id.as_str()).expect("an object id is a GUID");
        let found = self
            .list::<ServicePrincipal>(urls::service_principal_by_app_id(&as_client_id))
            .await
            .unwrap_or_default();
        Ok(match swap_client_id(&as_client_id, found) {
            Some(swapped) => Pasted::Principal {
                principal: swapped.principal,
                note: Some(swapped.note),
            },
            None => Pasted::Principal {
                principal: Principal::unverified(id.clone()),
                note: Some(
                    "Microsoft Graph could not describe this id (it may be outside what your \
                     account can read). It is assigned exactly as given: make sure it is the \
                     object id of a user, application or managed identity in this directory."
                        .to_owned(),
                ),
            },
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
