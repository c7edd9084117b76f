//! One write of a plan: exactly what is sent, and the sentence that says what it does.

use crate::lro::Timing;
use serde::Serialize;
use std::fmt;

/// The HTTP methods a plan uses. There is no DELETE: Keyless never removes access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Method {
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "PATCH")]
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Put => "PUT",
            Self::Patch => "PATCH",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a write changes; decides its timing and warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum WriteKind {
    /// Create or update a custom access policy.
    PutPolicy,
    /// Create an assignment, or change the policy of an existing one.
    PutAssignment,
    /// Switch `aad-enabled` on: its own PATCH, because the service refuses it combined.
    EnableEntra,
    /// Switch access keys off: its own PATCH, last.
    DisableAccessKeys,
}

/// One request of a plan, shown to the admin before anything is sent and then sent as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Write {
    pub kind: WriteKind,
    pub method: Method,
    /// Path and query relative to the Resource Manager base URL, including `api-version`.
    pub path: String,
    /// The JSON body, sent verbatim.
    pub body: serde_json::Value,
    /// What it does, in a sentence.
    pub summary: String,
    /// Whether the service answers before the change is done (201/202 with an operation URL).
    /// True for every write Keyless makes; follow each with [`crate::lro::Operation`], and keep
    /// writes to one cache strictly one at a time, waiting for the cache to be back to
    /// Succeeded before the next.
    pub long_running: bool,
}

impl Write {
    pub(super) fn new(
        kind: WriteKind,
        method: Method,
        path: String,
        body: serde_json::Value,
        summary: String,
    ) -> Self {
        Self {
            kind,
            method,
            path,
            body,
            summary,
            long_running: true,
        }
    }

    /// How long to follow it, and how often to poll.
    pub fn timing(&self) -> Timing {
        match self.kind {
            WriteKind::EnableEntra => Timing::ENABLE_ENTRA,
            WriteKind::DisableAccessKeys => Timing::DISABLE_ACCESS_KEYS,
            WriteKind::PutPolicy | WriteKind::PutAssignment => Timing::DEFAULT,
        }
    }

    /// What the admin must accept before this write is sent.
    pub fn warning(&self) -> Option<&'static str> {
        match self.kind {
            WriteKind::EnableEntra => Some(
                "Enabling Microsoft Entra authentication reboots the cache's nodes one by one. Connections \
                 drop briefly and the change can take up to 30 minutes; prefer a maintenance window.",
            ),
            WriteKind::DisableAccessKeys => Some(
                "Disabling access keys ends every connection that authenticates with a key, at once. Make sure \
                 every client uses Microsoft Entra first.",
            ),
            WriteKind::PutPolicy | WriteKind::PutAssignment => None,
        }
    }
}

impl fmt::Display for Write {
    /// `PATCH /subscriptions/...?api-version=2024-11-01 {"properties":...}`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.method, self.path, self.body)
    }
}
