//! What the sandbox announces once listening: origins, fixed ids and the seeded principals,
//! written to the ready-file and printed on start.

use crate::data_plane::launch::DataPlaneInfo;
use crate::state::Shared;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Origins {
    pub login: String,
    pub arm: String,
    pub graph: String,
    pub control: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadyPrincipal {
    pub name: String,
    pub object_id: String,
    /// user, service_principal, managed_identity or group.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadyInfo {
    #[serde(flatten)]
    pub origins: Origins,
    pub tenant_id: String,
    pub spa_client_id: String,
    pub principals: Vec<ReadyPrincipal>,
    /// With `--data-plane`: the Redis servers and how clients reach and trust them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_plane: Option<DataPlaneInfo>,
}

impl ReadyInfo {
    pub(crate) fn new(shared: &Shared) -> ReadyInfo {
        let world = shared.world();
        let directory = &world.directory;
        let users = directory.users.iter().map(|u| ReadyPrincipal {
            name: u.display_name.clone(),
            object_id: u.id.clone(),
            kind: "user".into(),
            upn: Some(u.user_principal_name.clone()),
            client_id: None,
            secret: None,
        });
        let service_principals = directory.service_principals.iter().map(|s| ReadyPrincipal {
            name: s.display_name.clone(),
            object_id: s.id.clone(),
            kind: if s.service_principal_type == "ManagedIdentity" { "managed_identity" } else { "service_principal" }.into(),
            upn: None,
            client_id: Some(s.app_id.clone()),
            secret: s.secret.clone(),
        });
        let groups = directory.groups.iter().map(|g| ReadyPrincipal {
            name: g.display_name.clone(),
            object_id: g.id.clone(),
            kind: "group".into(),
            upn: None,
            client_id: None,
            secret: None,
        });
        ReadyInfo {
            origins: shared.origins.clone(),
            tenant_id: directory.tenant.id.clone(),
            spa_client_id: directory.spa.client_id.clone(),
            principals: users.chain(service_principals).chain(groups).collect(),
            data_plane: None,
        }
    }

    pub fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).expect("serialisable ready info");
        let partial = path.with_extension("partial");
        std::fs::write(&partial, text)?;
        std::fs::rename(partial, path)
    }

    /// The start-up text: where each service listens and whom to sign in as.
    pub fn banner(&self) -> String {
        let o = &self.origins;
        let mut text = format!(
            "Keyless sandbox listening on 127.0.0.1\n  login (Entra ID)  {}\n  arm               {}\n  graph             {}\n  control           {}\n  tenant id         {}\n  SPA client id     {}\nPrincipals:\n",
            o.login, o.arm, o.graph, o.control, self.tenant_id, self.spa_client_id
        );
        for p in &self.principals {
            let detail = match (&p.upn, &p.client_id, &p.secret) {
                (Some(upn), _, _) => upn.clone(),
                (None, Some(client), Some(secret)) => format!("client id {client}, secret {secret}"),
                (None, Some(client), None) => format!("client id {client}"),
                _ => String::new(),
            };
            let _ = writeln!(text, "  {:<17} {:<26} {} {}", p.kind, p.name, p.object_id, detail);
        }
        if let Some(data_plane) = &self.data_plane {
            text.push_str(&data_plane.banner());
        }
        text
    }
}
