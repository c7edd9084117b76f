//! Choosing the access policy for a new Redis user: a built-in one, a custom one already on the
//! cache, or a new custom one whose permissions are checked before anything is sent.
use keyless_core::acl::{BuiltInPolicy, Permissions};
use keyless_core::arm::AccessPolicy;
use keyless_core::ids::PolicyName;
use keyless_core::plan::CustomPolicy;
use leptos::prelude::*;

/// The select's value for "define a new custom policy" (not a valid policy name: it has `:`).
const NEW_CUSTOM: &str = ":new";

/// What the admin has chosen in the picker, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyInput {
    /// A policy name, or [`NEW_CUSTOM`].
    pub choice: String,
    pub custom_name: String,
    pub custom_permissions: String,
}

impl PolicyInput {
    /// Data Owner preselected, as the portal does for the first user.
    pub fn data_owner() -> Self {
        Self {
            choice: BuiltInPolicy::DataOwner.name().to_string(),
            ..Self::default()
        }
    }

    /// The policy to assign and, for a new custom policy, its definition; or the sentence that
    /// says what to fix. Runs before any call, so a typo never reaches the service.
    pub fn resolve(&self) -> Result<(PolicyName, Option<CustomPolicy>), String> {
        if self.choice != NEW_CUSTOM {
            return PolicyName::parse(&self.choice)
                .map(|name| (name, None))
                .map_err(|e| e.to_string());
        }
        let name = PolicyName::parse(self.custom_name.trim()).map_err(|e| e.to_string())?;
        if BuiltInPolicy::named(&name).is_some() {
            return Err(format!(
                "\u{201c}{name}\u{201d} is a built-in policy: choose it from the list instead."
            ));
        }
        let permissions =
            Permissions::parse(&self.custom_permissions).map_err(|e| e.to_string())?;
        Ok((name.clone(), Some(CustomPolicy { name, permissions })))
    }
}

/// The policy select, with the custom policy's fields when a new one is chosen.
#[component]
pub fn PolicyPicker(
    /// The cache's custom policies, offered beside the built-in ones.
    existing: Vec<AccessPolicy>,
    input: RwSignal<PolicyInput>,
    /// Why the current input cannot be used, shown under the fields.
    error: ReadSignal<Option<String>>,
) -> impl IntoView {
    let built_in = BuiltInPolicy::ALL.map(|p| {
        (
            p.name().to_string(),
            format!("{} — {}", p.name(), p.summary()),
        )
    });
    let custom = existing.into_iter().filter(|p| !p.is_built_in()).map(|p| {
        (
            p.name.to_string(),
            format!("{} — {}", p.name, p.properties.permissions),
        )
    });
    let options: Vec<(String, String)> = built_in
        .into_iter()
        .chain(custom)
        .chain([(NEW_CUSTOM.to_owned(), "New custom policy…".to_owned())])
        .collect();
    let is_new = move || input.with(|i| i.choice == NEW_CUSTOM);
    view! {
        <label class="policy">
            "Access policy "
            <select
                data-testid="policy-select"
                prop:value=move || input.with(|i| i.choice.clone())
                on:change=move |ev| input.update(|i| i.choice = event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|(value, label)| view! { <option value=value>{label}</option> })
                    .collect_view()}
            </select>
        </label>
        <Show when=is_new>
            <div class="custom-policy">
                <label>
                    "Name "
                    <input
                        data-testid="custom-policy-name"
                        placeholder="Orders reader"
                        prop:value=move || input.with(|i| i.custom_name.clone())
                        on:input=move |ev| input.update(|i| i.custom_name = event_target_value(&ev))
                    />
                </label>
                <label>
                    "Permissions (Redis ACL rules) "
                    <input
                        data-testid="custom-policy-permissions"
                        class="mono"
                        placeholder="+@read +@connection ~orders:*"
                        prop:value=move || input.with(|i| i.custom_permissions.clone())
                        on:input=move |ev| {
                            input.update(|i| i.custom_permissions = event_target_value(&ev))
                        }
                    />
                </label>
            </div>
        </Show>
        {move || error.get().map(|e| view! { <p class="inline-error" data-testid="policy-error">{e}</p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str, permissions: &str) -> PolicyInput {
        PolicyInput {
            choice: NEW_CUSTOM.into(),
            custom_name: name.into(),
            custom_permissions: permissions.into(),
        }
    }

    #[test]
    fn a_built_in_choice_needs_no_definition() {
        let (name, definition) = PolicyInput::data_owner().resolve().unwrap();
        assert_eq!(name, BuiltInPolicy::DataOwner.name());
        assert_eq!(definition, None);
    }

    #[test]
    fn a_new_custom_policy_carries_its_checked_permissions() {
        let (name, definition) = custom(" Orders Reader ", "+@read ~orders:*")
            .resolve()
            .unwrap();
        assert_eq!(name.as_str(), "Orders Reader");
        let definition = definition.unwrap();
        assert_eq!(definition.name, name);
        assert!(definition.permissions.same_as("+@read ~orders:*"));
    }

    #[test]
    fn bad_permissions_are_refused_naming_the_token() {
        let error = custom("Orders Reader", "+@read +@nosuchcategory")
            .resolve()
            .unwrap_err();
        assert!(error.contains("+@nosuchcategory"), "{error}");
    }

    #[test]
    fn a_custom_policy_cannot_take_a_built_in_name_or_a_bad_one() {
        assert!(
            custom("data owner", "+get")
                .resolve()
                .unwrap_err()
                .contains("built-in")
        );
        assert!(custom("x", "+get").resolve().is_err());
    }
}
