//! Small text helpers shared by the code generators.

use super::target::{Authority, Identity};
use super::{Language, SECRET_ENV};

/// Replaces each `{{name}}` in `template` with its value. Every placeholder must be given: a
/// leftover one is a generator bug, caught by the golden and syntax tests.
pub(super) fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    vars.iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{{{name}}}}}"), value)
        })
}

/// Prefixes each line of `text` with `indent`, leaving blank lines empty.
pub(super) fn indent(text: &str, indent: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{indent}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A one-line comment in the snippet saying which identity the code signs in as, and for a
/// user-assigned identity which of its ids is written below and where the portal shows it.
pub(super) fn identity_comment(
    language: Language,
    identity: &Identity,
    user_assigned_id: super::IdKind,
) -> String {
    let text = match identity {
        Identity::SystemAssigned => "Signs in as the system-assigned managed identity of the Azure resource running this code.".to_string(),
        Identity::UserAssigned(_) => {
            let field = super::IdField::from(user_assigned_id);
            format!(
                "Signs in as a user-assigned managed identity, selected by its {} ({}).",
                field.label(),
                field.where_to_find(super::IdentityKind::UserAssigned)
            )
        }
        Identity::ServicePrincipal { .. } => {
            format!("Signs in as a service principal; its client secret is read from {SECRET_ENV}.")
        }
        Identity::DefaultCredential => {
            "Signs in with the first available credential: environment, workload or managed identity, developer tools.".to_string()
        }
    };
    format!("{} {text}", language.comment())
}

/// The note every snippet carries about the Redis username, which is not the client id.
pub(super) const USERNAME_NOTE: &str = "The Redis username is the principal's object id (the token's oid claim), which the helper reads from each token; the access policy assignment must use that same object id.";

/// The note for code that passes an authority to skip instance discovery.
pub(super) fn authority_note(authority: &Authority) -> Option<String> {
    (!authority.is_default()).then(|| {
        format!(
            "Tokens come from {}: the code names that authority wherever a credential signs in, because every library defaults to the public cloud.",
            authority.host()
        )
    })
}

/// For helpers whose service-principal sign-in goes through MSAL with no way to turn off its
/// instance discovery: an authority host MSAL does not know is checked against the public cloud.
pub(super) fn msal_discovery_note(target: &super::target::Target) -> Option<String> {
    (target.authority.is_custom() && matches!(target.identity, Identity::ServicePrincipal { .. })).then(|| {
        "MSAL checks an authority host it does not know against the public cloud's instance discovery before signing in, so that host must be reachable.".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_occurrence_and_leaves_other_braces() {
        let text = fill("{{a}} {x} {{a}}-{{b}}", &[("a", "1"), ("b", "2")]);
        assert_eq!(text, "1 {x} 1-2");
    }

    #[test]
    fn indent_skips_blank_lines() {
        assert_eq!(indent("a\n\nb", "  "), "  a\n\n  b");
    }
}
