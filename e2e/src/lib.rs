//! End-to-end harness for Keyless: the release build served as Static Web Apps would
//! serve it, the sandbox standing in for Azure, and headless Chromium driving the app.
//!
//! A test starts a [`Stack`], drives the app through [`Browser`], reads what Azure saw
//! through [`Control`], and ends with [`Stack::finish`], which fails on any CSP refusal
//! or script error the console showed. Tests share fixed ports: run them one at a time
//! (`cargo test -p e2e -- --test-threads=1`).

pub mod browser;
pub mod clients;
pub mod colleague;
pub mod control;
pub mod error;
pub mod host;
pub mod paths;
pub mod process;
pub mod sandbox;
pub mod stack;
pub mod state;
pub mod tenant;
pub mod wizard;

pub use browser::{Browser, LogEntry, eventually};
pub use colleague::Colleague;
pub use control::{Control, Fault, FaultKind, LoggedRequest, RequestLog, Seen, Service};
pub use error::{Error, Result};
pub use sandbox::{DataPlane, Principal, Ready, Sandbox, ServedCache};
pub use stack::Stack;
pub use state::{Assignment, CacheState};
pub use wizard::{PlannedWrite, Verdict, WizardPage};
