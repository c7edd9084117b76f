//! Access policies (what a Redis user may do) and their assignments (who is that user).

use crate::ids::{AssignmentName, ObjectId, PolicyName};
use serde::{Deserialize, Serialize};

/// `.../redis/{cache}/accessPolicies/{name}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessPolicy {
    pub name: PolicyName,
    pub properties: AccessPolicyProperties,
}

/// `properties` of an access policy; also the PUT body's `properties`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPolicyProperties {
    /// Redis ACL rules, e.g. "+@read allkeys"; see [`crate::acl`].
    pub permissions: String,
    /// "BuiltIn" or "Custom"; read-only, never sent.
    #[serde(rename = "type", default, skip_serializing)]
    pub kind: Option<String>,
    #[serde(default, skip_serializing)]
    pub provisioning_state: Option<String>,
}

impl AccessPolicy {
    /// Built-in policies (Data Owner, Data Contributor, Data Reader) cannot be changed.
    pub fn is_built_in(&self) -> bool {
        self.properties
            .kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("BuiltIn"))
    }
}

/// `.../redis/{cache}/accessPolicyAssignments/{name}`: one Redis user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub name: AssignmentName,
    pub properties: AssignmentProperties,
}

/// `properties` of an assignment; also the PUT body's `properties` (all three fields required).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentProperties {
    pub access_policy_name: PolicyName,
    /// The Redis username: the principal's object id.
    pub object_id: ObjectId,
    /// A readable label for people; not what clients authenticate as.
    pub object_id_alias: String,
    /// Updating, Succeeded, Deleting, Deleted, Canceled, Failed; read-only, never sent.
    #[serde(default, skip_serializing)]
    pub provisioning_state: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_spec_assignment_example_is_read_and_written_without_read_only_fields() {
        let a: Assignment = serde_json::from_value(json!({
            "id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Cache/redis/cache1/accessPolicyAssignments/accessPolicyAssignmentName1",
            "name": "accessPolicyAssignmentName1",
            "type": "Microsoft.Cache/Redis/accessPolicyAssignments",
            "properties": {
                "provisioningState": "Succeeded",
                "accessPolicyName": "accessPolicy1",
                "objectId": "6497c918-11ad-41e7-1b0f-7c518a87d0b0",
                "objectIdAlias": "TestAADAppRedis"
            }
        }))
        .unwrap();
        assert_eq!(
            a.properties.object_id.as_str(),
            "6497c918-11ad-41e7-1b0f-7c518a87d0b0"
        );
        assert_eq!(
            serde_json::to_value(&a.properties).unwrap(),
            json!({"accessPolicyName": "accessPolicy1", "objectId": "6497c918-11ad-41e7-1b0f-7c518a87d0b0", "objectIdAlias": "TestAADAppRedis"})
        );
    }

    #[test]
    fn the_spec_policy_list_example_tells_built_in_from_custom() {
        let list: crate::arm::List<AccessPolicy> = serde_json::from_value(json!({"value": [
            {"name": "accessPolicyBuiltIn", "properties": {"provisioningState": "Succeeded", "permissions": "+get +hget", "type": "BuiltIn"}},
            {"name": "accessPolicy1", "properties": {"provisioningState": "Succeeded", "permissions": "+get +hget", "type": "Custom"}}
        ]}))
        .unwrap();
        let built_in: Vec<bool> = list.value.iter().map(AccessPolicy::is_built_in).collect();
        assert_eq!(built_in, [true, false]);
        assert_eq!(list.next_link, None);
        assert_eq!(
            serde_json::to_value(&list.value[1].properties).unwrap(),
            json!({"permissions": "+get +hget"})
        );
    }
}
