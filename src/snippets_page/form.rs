//! The choices and fields a snippet is generated from, kept in signals.

use keyless_core::snippets::query::{DEFAULT_LIBRARY as QUERY_DEFAULT_LIBRARY, parse_port};
use keyless_core::snippets::{
    AssignedPrincipal, Choice, Cloud, IdKind, IdentityKind, Library, PrincipalKind, Snippet,
    SnippetError, SnippetRequest, generate,
};
use leptos::prelude::*;

pub(super) const DEFAULT_LIBRARY: Library = QUERY_DEFAULT_LIBRARY;
pub(super) const DEFAULT_IDENTITY: IdentityKind = IdentityKind::SystemAssigned;

/// Every input of the form; text fields hold what was typed, checked when the code is generated.
#[derive(Clone, Copy)]
pub(super) struct FormState {
    library: RwSignal<Library>,
    identity: RwSignal<IdentityKind>,
    cloud: RwSignal<Cloud>,
    host: RwSignal<String>,
    port: RwSignal<String>,
    authority: RwSignal<String>,
    client_id: RwSignal<String>,
    object_id: RwSignal<String>,
    tenant_id: RwSignal<String>,
}

impl FormState {
    pub fn new(request: &SnippetRequest) -> Self {
        let text = |value: &Option<String>| RwSignal::new(value.clone().unwrap_or_default());
        Self {
            library: RwSignal::new(request.library),
            identity: RwSignal::new(request.identity),
            cloud: RwSignal::new(request.cloud),
            host: RwSignal::new(request.host.clone()),
            port: RwSignal::new(request.port.map(|p| p.to_string()).unwrap_or_default()),
            authority: text(&request.custom_authority),
            client_id: text(&request.client_id),
            object_id: text(&request.object_id),
            tenant_id: text(&request.tenant_id),
        }
    }

    /// Takes the identity and ids of an assigned principal.
    pub fn apply(self, principal: &AssignedPrincipal) {
        self.identity.set(principal.identity_kind());
        self.object_id.set(principal.object_id.clone());
        self.client_id
            .set(principal.client_id.clone().unwrap_or_default());
    }

    /// The code for the current inputs; `None` until a host is typed.
    pub fn snippet(self) -> Memo<Option<Result<Snippet, SnippetError>>> {
        Memo::new(move |_| {
            let host = self.host.get();
            if host.trim().is_empty() {
                return None;
            }
            let optional =
                |signal: RwSignal<String>| Some(signal.get()).filter(|v| !v.trim().is_empty());
            Some(parse_port(&self.port.get()).and_then(|port| {
                generate(&SnippetRequest {
                    library: self.library.get(),
                    identity: self.identity.get(),
                    host,
                    port,
                    cloud: self.cloud.get(),
                    custom_authority: optional(self.authority),
                    client_id: optional(self.client_id),
                    object_id: optional(self.object_id),
                    tenant_id: optional(self.tenant_id),
                })
            }))
        })
    }
}

/// The form: library, identity and cloud, then the fields the chosen identity needs.
#[component]
pub(super) fn SnippetForm(
    form: FormState,
    /// False where the host and port come from the cache being configured.
    editable_host: bool,
) -> impl IntoView {
    let needs = move |field| match (form.identity.get(), field) {
        (IdentityKind::UserAssigned, IdKind::ClientId) => {
            form.library.get().user_assigned_id() == IdKind::ClientId
        }
        (IdentityKind::UserAssigned, IdKind::ObjectId) => {
            form.library.get().user_assigned_id() == IdKind::ObjectId
        }
        (IdentityKind::ServicePrincipal, IdKind::ClientId) => true,
        _ => false,
    };
    let is_service_principal = move || form.identity.get() == IdentityKind::ServicePrincipal;
    view! {
        <div class="snippet-form">
            <ChoiceSelect label="Library" testid="snippet-lib" value=form.library/>
            <ChoiceSelect label="Identity" testid="snippet-identity" value=form.identity/>
            <ChoiceSelect label="Cloud" testid="snippet-cloud" value=form.cloud/>
            {editable_host.then(|| view! {
                <TextField label="Host name" testid="snippet-host" value=form.host placeholder="contoso.redis.cache.windows.net"/>
                <TextField label="Port" testid="snippet-port" value=form.port placeholder="6380 (10000 for Azure Managed Redis)"/>
            })}
            <Show when=move || needs(IdKind::ClientId)>
                <TextField label="Client id" testid="snippet-client-id" value=form.client_id placeholder=CLIENT_ID_HINT/>
            </Show>
            <Show when=move || needs(IdKind::ObjectId)>
                <TextField label="Object (principal) id" testid="snippet-object-id" value=form.object_id placeholder=OBJECT_ID_HINT/>
            </Show>
            <Show when=is_service_principal>
                <TextField label="Tenant id" testid="snippet-tenant-id" value=form.tenant_id placeholder="Microsoft Entra ID > Overview > Tenant ID"/>
            </Show>
            <details class="snippet-advanced">
                <summary>"Other cloud or local emulator"</summary>
                <TextField label="Authority host" testid="snippet-authority" value=form.authority placeholder="https://login.example.net"/>
            </details>
        </div>
    }
}

const CLIENT_ID_HINT: &str = "Overview > Client ID (Application (client) ID for an app)";
const OBJECT_ID_HINT: &str = "Managed Identities > Overview > Object (principal) ID";

/// Picks which assigned principal the code signs in as.
#[component]
pub(super) fn PrincipalPicker(
    form: FormState,
    principals: Vec<AssignedPrincipal>,
) -> impl IntoView {
    (principals.len() > 1).then(|| {
        let options = principals
            .iter()
            .enumerate()
            .map(|(i, p)| view! { <option value=i.to_string()>{format!("{} ({})", p.display_name, kind_label(p.kind))}</option> })
            .collect_view();
        let choose = move |ev| {
            if let Some(principal) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| principals.get(i)) {
                form.apply(principal);
            }
        };
        view! {
            <label class="snippet-field">
                "Connect as"
                <select data-testid="snippet-principal" on:change=choose>{options}</select>
            </label>
        }
    })
}

fn kind_label(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::User => "user",
        PrincipalKind::ServicePrincipal => "service principal",
        PrincipalKind::ManagedIdentity => "managed identity",
    }
}

/// A select over one of the closed sets.
#[component]
fn ChoiceSelect<T: Choice + Send + Sync>(
    label: &'static str,
    testid: &'static str,
    value: RwSignal<T>,
) -> impl IntoView {
    let options = T::ALL
        .iter()
        .map(|&choice| view! { <option value=choice.slug() selected=move || value.get() == choice>{choice.label()}</option> })
        .collect_view();
    let change = move |ev| {
        if let Ok(choice) = event_target_value(&ev).parse::<T>() {
            value.set(choice);
        }
    };
    view! {
        <label class="snippet-field">
            {label}
            <select data-testid=testid on:change=change>{options}</select>
        </label>
    }
}

#[component]
fn TextField(
    label: &'static str,
    testid: &'static str,
    value: RwSignal<String>,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label class="snippet-field">
            {label}
            <input type="text" spellcheck="false" autocomplete="off" data-testid=testid placeholder=placeholder bind:value=value/>
        </label>
    }
}
