//! Keyless's pure logic: everything that decides, parses or generates, with no browser or network
//! dependency, so it compiles and is tested natively and is shared by the app and `cargo xtask`.

pub mod acl;
pub mod arm;
pub mod auth;
pub mod eligibility;
pub mod graph;
pub mod ids;
pub mod lro;
pub mod plan;
pub mod snippets;
