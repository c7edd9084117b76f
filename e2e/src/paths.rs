//! Where the workspace keeps what the tests run: the release build and the binaries.
use std::path::PathBuf;

/// The workspace root (this crate lives in `e2e/`).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The release build of the app that `cargo xtask build` writes.
pub fn dist_dir() -> PathBuf {
    workspace_root().join("dist")
}
