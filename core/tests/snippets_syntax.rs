//! Every generated snippet parses under tree-sitter's grammar for its language with no ERROR
//! or MISSING node. This catches syntax only: names are checked by the TypeScript type-check
//! and the per-library tests.

mod snippets_support;

use keyless_core::snippets::Language;
use tree_sitter::{Node, Parser};

fn grammar(language: Language) -> tree_sitter::Language {
    match language {
        Language::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
        Language::Python => tree_sitter_python::LANGUAGE.into(),
        Language::Java => tree_sitter_java::LANGUAGE.into(),
        Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Language::Go => tree_sitter_go::LANGUAGE.into(),
        Language::Rust => tree_sitter_rust::LANGUAGE.into(),
    }
}

/// Each ERROR or MISSING node, with its position and the text it covers.
fn syntax_errors(code: &str, language: Language) -> Vec<String> {
    let mut parser = Parser::new();
    parser
        .set_language(&grammar(language))
        .expect("grammar matches the tree-sitter version");
    let tree = parser.parse(code, None).expect("parser returns a tree");
    let mut errors = Vec::new();
    collect(tree.root_node(), code, &mut errors);
    errors
}

fn collect(node: Node, code: &str, errors: &mut Vec<String>) {
    if node.is_error() || node.is_missing() {
        let at = node.start_position();
        let text = &code[node.byte_range()];
        errors.push(format!(
            "{} at {}:{}: {text:?}",
            node.kind(),
            at.row + 1,
            at.column + 1
        ));
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect(child, code, errors);
    }
}

#[test]
fn every_combination_parses_cleanly() {
    let mut failures = Vec::new();
    let all = snippets_support::all();
    for (name, _, snippet) in &all {
        let errors = syntax_errors(&snippet.code, snippet.language);
        if !errors.is_empty() {
            failures.push(format!("{name}:\n  {}", errors.join("\n  ")));
        }
    }
    assert_eq!(all.len(), 9 * 4 * 4);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checker_sees_a_broken_snippet() {
    // Guards the test above against a grammar that accepts anything.
    let (_, _, snippet) = &snippets_support::all()[0];
    let broken = snippet.code.replacen(';', "", 3).replacen(')', "", 2);
    assert!(!syntax_errors(&broken, snippet.language).is_empty());
    for language in [
        Language::Python,
        Language::Go,
        Language::Rust,
        Language::Java,
        Language::TypeScript,
    ] {
        assert!(
            !syntax_errors("fn (((", language).is_empty(),
            "{language:?}"
        );
    }
}
