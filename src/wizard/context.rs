//! What every step of one cache's wizard shares: the cache, the clients, the saved choices.
use super::state::Saved;
use super::step::{Step, cache_path};
use crate::api::{ApiError, Arm, Graph, Waiting};
use keyless_core::auth::Account;
use keyless_core::graph::{Principal, PrincipalKind};
use keyless_core::ids::{ObjectId, ResourceId};
use keyless_core::plan::Current;
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

/// Provided by [`super::CacheStep`] to the step it shows.
#[derive(Clone, Copy)]
pub struct Wizard {
    pub id: StoredValue<ResourceId>,
    pub arm: StoredValue<Arm, LocalStorage>,
    pub graph: StoredValue<Graph, LocalStorage>,
    /// The signed-in admin, proposed as Data Owner while Entra is off.
    pub admin: StoredValue<Option<Principal>>,
    /// The directory the admin signed in to, for the connection code.
    pub tenant_id: StoredValue<String>,
    /// The cache, its assignments and policies as Resource Manager has them now.
    pub current: LocalResource<Result<Current, ApiError>>,
    /// The admin's choices and progress, saved to sessionStorage on every change.
    pub saved: RwSignal<Saved>,
    /// A back-off under way in any call (409 busy, 429 throttled).
    pub waiting: ReadSignal<Option<Waiting>>,
    /// "Apply" was pressed on this page: the apply step starts at once. In memory only, so a
    /// reload or a shared link never sends anything without the admin asking.
    pub apply_requested: RwSignal<bool>,
}

impl Wizard {
    pub fn new(
        id: ResourceId,
        arm: Arm,
        graph: Graph,
        account: Account,
        waiting: ReadSignal<Option<Waiting>>,
    ) -> Self {
        let saved = RwSignal::new(Saved::load(&id));
        let reader = arm.clone();
        let current_id = id.clone();
        let current = LocalResource::new(move || read_current(reader.clone(), current_id.clone()));
        let saved_id = id.clone();
        Effect::new(move |_| saved.with(|s| s.save(&saved_id)));
        Self {
            id: StoredValue::new(id),
            arm: StoredValue::new_local(arm),
            graph: StoredValue::new_local(graph),
            admin: StoredValue::new(admin_principal(&account)),
            tenant_id: StoredValue::new(account.tenant_id),
            current,
            saved,
            waiting,
            apply_requested: RwSignal::new(false),
        }
    }

    /// The address of `step` for this cache.
    pub fn path(&self, step: Step) -> String {
        self.id.with_value(|id| {
            cache_path(
                id.subscription().as_str(),
                id.resource_group().as_str(),
                id.name().as_str(),
                step,
            )
        })
    }

    /// A callback that moves the wizard to `step`.
    pub fn go(self, step: Step) -> impl Fn() + Clone + 'static {
        let navigate = use_navigate();
        let path = self.path(step);
        move || navigate(&path, NavigateOptions::default())
    }
}

/// The cache, its assignments and its policies, re-read in parallel through Resource Manager.
pub async fn read_current(arm: Arm, id: ResourceId) -> Result<Current, ApiError> {
    let (cache, assignments, policies) =
        futures::try_join!(arm.cache(&id), arm.assignments(&id), arm.policies(&id))?;
    Ok(Current {
        cache,
        assignments,
        policies,
    })
}

/// The signed-in admin as a principal, when the id token's object id is readable.
fn admin_principal(account: &Account) -> Option<Principal> {
    Some(Principal {
        object_id: ObjectId::parse(&account.object_id).ok()?,
        display_name: account.name.clone(),
        kind: PrincipalKind::User,
        user_principal_name: Some(account.upn.clone()).filter(|u| !u.is_empty()),
        app_id: None,
    })
}

/// The wizard of the nearest [`super::CacheStep`].
pub fn use_wizard() -> Wizard {
    expect_context()
}
