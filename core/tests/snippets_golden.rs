//! Golden files: the code of every combination is committed under `tests/golden/snippets`, so
//! any change to generated code shows up as a reviewed diff. `UPDATE_GOLDEN=1` rewrites them.

mod snippets_support;

use std::fs;
use std::path::PathBuf;

use keyless_core::snippets::Language;

fn extension(language: Language) -> &'static str {
    match language {
        Language::CSharp => "cs",
        Language::Python => "py",
        Language::Java => "java",
        Language::TypeScript => "ts",
        Language::Go => "go",
        Language::Rust => "rs",
    }
}

#[test]
fn every_combination_matches_its_golden_file() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/snippets");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for (name, _, snippet) in snippets_support::all() {
        let path = root.join(format!("{name}.{}", extension(snippet.language)));
        if update {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &snippet.code).unwrap();
        } else if fs::read_to_string(&path).ok().as_deref() != Some(snippet.code.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "generated code differs from (or lacks) these golden files; review, then rerun with UPDATE_GOLDEN=1:\n{}",
        stale.join("\n")
    );
}
