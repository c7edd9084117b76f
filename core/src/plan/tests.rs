use super::*;
use crate::graph::PrincipalKind;
use serde_json::json;

const CACHE_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Cache/Redis/cache1";
const BASE: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Cache/redis/cache1";
const ADMIN: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000002";

fn current(properties: serde_json::Value) -> Current {
    let cache = serde_json::from_value(json!({"id": CACHE_ID, "name": "cache1", "type": "Microsoft.Cache/Redis", "properties": properties})).unwrap();
    Current {
        cache,
        assignments: vec![],
        policies: vec![],
    }
}

fn fresh() -> Current {
    current(
        json!({"provisioningState": "Succeeded", "redisConfiguration": {"maxmemory-policy": "allkeys-lru"}}),
    )
}

fn principal(oid: &str, name: &str, kind: PrincipalKind) -> Principal {
    Principal {
        object_id: ObjectId::parse(oid).unwrap(),
        display_name: name.into(),
        kind,
        user_principal_name: None,
        app_id: None,
    }
}

fn policy(name: &str) -> PolicyName {
    PolicyName::parse(name).unwrap()
}

fn assignment(name: &str, oid: &str, policy_name: &str) -> Assignment {
    serde_json::from_value(json!({"name": name, "properties": {"accessPolicyName": policy_name, "objectId": oid, "objectIdAlias": "x", "provisioningState": "Succeeded"}}))
        .unwrap()
}

/// Everything the wizard can ask for at once.
fn everything() -> Desired {
    Desired {
        grants: vec![
            Grant {
                principal: principal(ADMIN, "Ada", PrincipalKind::User),
                policy: BuiltInPolicy::DataOwner.name(),
            },
            Grant {
                principal: principal(APP, "orders-api", PrincipalKind::ManagedIdentity),
                policy: policy("Orders Reader"),
            },
        ],
        custom_policies: vec![CustomPolicy {
            name: policy("Orders Reader"),
            permissions: Permissions::parse("+@read %R~orders:*").unwrap(),
        }],
        enable_entra: true,
        disable_access_keys: true,
    }
}

/// Does to `state` what the service does when `write` succeeds.
fn apply(state: &mut Current, write: &Write) {
    let props = &write.body["properties"];
    match write.kind {
        WriteKind::PutPolicy => {
            let name = PolicyName::parse(&urlencoded_last_segment(&write.path).replace("%20", " "))
                .unwrap();
            let permissions = props["permissions"].as_str().unwrap().to_owned();
            state.policies.retain(|p| p.name != name);
            state.policies.push(AccessPolicy {
                name,
                properties: AccessPolicyProperties {
                    permissions,
                    kind: Some("Custom".into()),
                    provisioning_state: Some("Succeeded".into()),
                },
            });
        }
        WriteKind::PutAssignment => {
            let name = AssignmentName::parse(&urlencoded_last_segment(&write.path)).unwrap();
            let mut properties: AssignmentProperties =
                serde_json::from_value(props.clone()).unwrap();
            properties.provisioning_state = Some("Succeeded".into());
            state.assignments.retain(|a| a.name != name);
            state.assignments.push(Assignment { name, properties });
        }
        WriteKind::EnableEntra => {
            state.cache.properties.redis_configuration.0.insert(
                AAD_ENABLED.into(),
                props["redisConfiguration"][AAD_ENABLED].clone(),
            );
        }
        WriteKind::DisableAccessKeys => {
            state.cache.properties.disable_access_key_authentication = true
        }
    }
}

fn urlencoded_last_segment(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

fn kinds(plan: &Plan) -> Vec<WriteKind> {
    plan.writes.iter().map(|w| w.kind).collect()
}

#[test]
fn writes_come_in_order_with_exact_paths_and_bodies() {
    let plan = compute(&fresh(), &everything()).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            WriteKind::PutPolicy,
            WriteKind::PutAssignment,
            WriteKind::PutAssignment,
            WriteKind::EnableEntra,
            WriteKind::DisableAccessKeys
        ]
    );
    let w = &plan.writes;
    assert_eq!(
        (w[0].method, w[0].path.as_str()),
        (
            Method::Put,
            &*format!("{BASE}/accessPolicies/Orders%20Reader?api-version=2024-11-01")
        )
    );
    assert_eq!(
        w[0].body,
        json!({"properties": {"permissions": "+@read %R~orders:*"}})
    );
    assert_eq!(
        w[1].path,
        format!("{BASE}/accessPolicyAssignments/{ADMIN}?api-version=2024-11-01")
    );
    assert_eq!(
        w[1].body,
        json!({"properties": {"accessPolicyName": "Data Owner", "objectId": ADMIN, "objectIdAlias": "Ada"}})
    );
    assert_eq!(w[2].body["properties"]["accessPolicyName"], "Orders Reader");
    assert_eq!(
        (w[3].method, w[3].path.as_str()),
        (Method::Patch, &*format!("{BASE}?api-version=2024-11-01"))
    );
    assert_eq!(
        w[3].body,
        json!({"properties": {"redisConfiguration": {"aad-enabled": "true"}}})
    );
    assert_eq!(
        w[4].body,
        json!({"properties": {"disableAccessKeyAuthentication": true}})
    );
    assert!(
        w.iter()
            .all(|w| w.long_running && !w.path.contains("listKeys"))
    );
    assert!(w[3].warning().unwrap().contains("reboot"));
    assert_eq!(w[3].timing(), crate::lro::Timing::ENABLE_ENTRA);
    assert!(
        w[1].summary.contains("Ada") && w[1].summary.contains("Data Owner"),
        "{}",
        w[1].summary
    );
}

/// The plan for `everything()` from a fresh cache, and the plan made again after each number
/// of its writes went through (a run stopped there and resumed).
fn replanned_after_each_stop() -> (Plan, Vec<Plan>) {
    let desired = everything();
    let full = compute(&fresh(), &desired).unwrap();
    let replanned = (0..=full.writes.len())
        .map(|done| {
            let mut state = fresh();
            full.writes[..done]
                .iter()
                .for_each(|w| apply(&mut state, w));
            compute(&state, &desired).unwrap()
        })
        .collect();
    (full, replanned)
}

#[test]
fn recomputing_after_a_partial_run_yields_only_what_remains() {
    let (full, replanned) = replanned_after_each_stop();
    for (done, rest) in replanned.iter().enumerate() {
        assert_eq!(rest.writes, full.writes[done..], "after {done} writes");
    }
}

#[test]
fn a_run_resumed_after_any_stop_finds_nothing_unseen() {
    let (reviewed, replanned) = replanned_after_each_stop();
    let seen = reviewed.seen();
    for (done, plan) in replanned.iter().enumerate() {
        let unseen = plan.unseen(&seen);
        assert!(unseen.is_empty(), "after {done} writes: {unseen:?}");
    }
}

#[test]
fn writes_a_stopped_run_made_are_in_place_on_resume_and_the_rest_are_not() {
    let (reviewed, replanned) = replanned_after_each_stop();
    let seen = reviewed.seen();
    for (done, plan) in replanned.iter().enumerate() {
        let in_place: Vec<&str> = plan.in_place(&seen).map(|s| s.summary.as_str()).collect();
        let made: Vec<&str> = reviewed.writes[..done]
            .iter()
            .map(|w| w.summary.as_str())
            .collect();
        assert_eq!(in_place, made, "after {done} writes");
    }
}

#[test]
fn a_change_undone_since_the_review_is_unseen_and_only_it() {
    let desired = Desired {
        enable_entra: true,
        ..everything()
    };
    // Reviewed while Entra was already on: only the policy and the assignments were planned.
    let mut on = fresh();
    on.cache
        .properties
        .redis_configuration
        .0
        .insert(AAD_ENABLED.into(), json!("true"));
    let seen = compute(&on, &desired).unwrap().seen();
    // Someone switched Entra off before Apply.
    let unseen = compute(&fresh(), &desired).unwrap().unseen(&seen);
    assert_eq!(
        unseen.iter().map(|w| w.kind).collect::<Vec<_>>(),
        [WriteKind::EnableEntra]
    );
}

#[test]
fn a_write_with_another_body_than_reviewed_is_unseen() {
    let desired = everything();
    let plan = compute(&fresh(), &desired).unwrap();
    let mut seen = plan.seen();
    // The same assignment path reviewed with another policy.
    let assignment = plan
        .writes
        .iter()
        .position(|w| w.kind == WriteKind::PutAssignment)
        .unwrap();
    seen[assignment].sent = seen[assignment].sent.replace("Data Owner", "Data Reader");
    let unseen = plan.unseen(&seen);
    assert_eq!(unseen, [plan.writes[assignment].clone()]);
}

#[test]
fn an_existing_assignment_with_another_policy_is_updated_under_its_own_name() {
    let mut state = fresh();
    state
        .assignments
        .push(assignment("portal-made-name", ADMIN, "Data Reader"));
    let desired = Desired {
        grants: everything().grants[..1].to_vec(),
        ..Desired::default()
    };
    let plan = compute(&state, &desired).unwrap();
    assert_eq!(plan.writes.len(), 1);
    assert!(
        plan.writes[0]
            .path
            .contains("/accessPolicyAssignments/portal-made-name?")
    );
    assert_eq!(
        plan.writes[0].summary,
        "Change the access policy of Ada (user) from Data Reader to Data Owner."
    );
    // The same policy in another casing is no change.
    state.assignments[0] = assignment("portal-made-name", ADMIN, "data owner");
    assert!(compute(&state, &desired).unwrap().is_done());
}

#[test]
fn a_failed_assignment_is_sent_again() {
    let mut state = fresh();
    let mut failed = assignment(ADMIN, ADMIN, "Data Owner");
    failed.properties.provisioning_state = Some("Failed".into());
    state.assignments.push(failed);
    let desired = Desired {
        grants: everything().grants[..1].to_vec(),
        ..Desired::default()
    };
    assert_eq!(
        kinds(&compute(&state, &desired).unwrap()),
        [WriteKind::PutAssignment]
    );
}

#[test]
fn toggles_already_in_place_are_not_repeated() {
    let state = current(
        json!({"redisConfiguration": {"aad-enabled": "True"}, "disableAccessKeyAuthentication": true}),
    );
    let desired = Desired {
        enable_entra: true,
        disable_access_keys: true,
        ..Desired::default()
    };
    let plan = compute(&state, &desired).unwrap();
    assert!(plan.is_done() && plan.held_back.is_empty(), "{plan:?}");
}

#[test]
fn a_stopped_run_while_configuring_entra_does_not_toggle_again() {
    let mut state = current(
        json!({"provisioningState": "ConfiguringAAD", "redisConfiguration": {"aad-enabled": "false"}}),
    );
    state
        .assignments
        .push(assignment(ADMIN, ADMIN, "Data Owner"));
    let desired = Desired {
        enable_entra: true,
        disable_access_keys: true,
        ..Desired::default()
    };
    assert_eq!(
        kinds(&compute(&state, &desired).unwrap()),
        [WriteKind::DisableAccessKeys]
    );
}

#[test]
fn disabling_keys_waits_for_entra_a_user_and_no_geo_replication() {
    let keys_only = |grants| Desired {
        grants,
        disable_access_keys: true,
        ..Desired::default()
    };
    let one_user = everything().grants[..1].to_vec();
    let held = |state: &Current, desired: &Desired| compute(state, desired).unwrap().held_back;
    assert_eq!(
        held(&fresh(), &keys_only(one_user.clone())),
        [HeldBack::EntraOff]
    );
    let entra_on = current(json!({"redisConfiguration": {"aad-enabled": "true"}}));
    assert_eq!(held(&entra_on, &keys_only(vec![])), [HeldBack::NoRedisUser]);
    let linked = current(
        json!({"redisConfiguration": {"aad-enabled": "true"}, "linkedServers": [{"id": "x"}]}),
    );
    assert_eq!(
        held(&linked, &keys_only(one_user.clone())),
        [HeldBack::GeoReplicated]
    );
    let mut only_a_failed_user = entra_on.clone();
    let mut failed = assignment(ADMIN, ADMIN, "Data Owner");
    failed.properties.provisioning_state = Some("Failed".into());
    only_a_failed_user.assignments.push(failed);
    assert_eq!(
        held(&only_a_failed_user, &keys_only(vec![])),
        [HeldBack::NoRedisUser]
    );
    let plan = compute(&entra_on, &keys_only(one_user)).unwrap();
    assert_eq!(
        kinds(&plan),
        [WriteKind::PutAssignment, WriteKind::DisableAccessKeys]
    );
    assert!(
        HeldBack::EntraOff
            .to_string()
            .starts_with("Access keys stay enabled")
    );
}

#[test]
fn custom_policies_already_there_are_skipped_even_with_the_appended_allkeys() {
    let mut state = fresh();
    let custom = CustomPolicy {
        name: policy("getters"),
        permissions: Permissions::parse("+get +hget").unwrap(),
    };
    state.policies.push(AccessPolicy {
        name: policy("Getters"),
        properties: AccessPolicyProperties {
            permissions: "+get +hget allkeys".into(),
            kind: Some("Custom".into()),
            provisioning_state: None,
        },
    });
    let desired = Desired {
        custom_policies: vec![custom.clone()],
        ..Desired::default()
    };
    assert!(compute(&state, &desired).unwrap().is_done());
    state.policies[0].properties.permissions = "+get allkeys".into();
    let plan = compute(&state, &desired).unwrap();
    assert_eq!(
        plan.writes[0].summary,
        "Update the custom access policy \u{201c}getters\u{201d}: +get +hget allkeys."
    );
}

#[test]
fn impossible_choices_are_refused_before_any_write() {
    let mut desired = everything();
    desired.custom_policies.clear();
    assert_eq!(
        compute(&fresh(), &desired),
        Err(PlanError::UnknownPolicy {
            policy: policy("Orders Reader")
        })
    );

    let mut desired = everything();
    desired.grants[1].principal.object_id = ObjectId::parse(ADMIN).unwrap();
    assert!(matches!(
        compute(&fresh(), &desired),
        Err(PlanError::DuplicatePrincipal { .. })
    ));

    let mut desired = everything();
    desired.custom_policies[0].name = policy("data reader");
    assert!(matches!(
        compute(&fresh(), &desired),
        Err(PlanError::BuiltInName { .. })
    ));

    let mut state = fresh();
    state.cache.id = CACHE_ID.replace("Redis/", "redisEnterprise/");
    assert!(matches!(
        compute(&state, &everything()),
        Err(PlanError::CacheId(_))
    ));
}

#[test]
fn the_admin_is_proposed_as_data_owner_only_while_entra_is_off_and_unassigned() {
    let admin = principal(ADMIN, "Ada", PrincipalKind::User);
    let grant = proposed_admin_assignment(&fresh(), &admin).unwrap();
    assert_eq!(
        (grant.principal.object_id.as_str(), grant.policy.as_str()),
        (ADMIN, "Data Owner")
    );
    let mut state = fresh();
    state
        .assignments
        .push(assignment(ADMIN, ADMIN, "Data Reader"));
    assert_eq!(proposed_admin_assignment(&state, &admin), None);
    let entra_on = current(json!({"redisConfiguration": {"aad-enabled": "true"}}));
    assert_eq!(proposed_admin_assignment(&entra_on, &admin), None);
}

#[test]
fn the_desired_state_survives_a_round_trip_through_storage() {
    let desired = everything();
    let stored = serde_json::to_string(&desired).unwrap();
    assert_eq!(serde_json::from_str::<Desired>(&stored).unwrap(), desired);
}
