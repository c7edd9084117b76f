//! `cargo xtask test`: every test the project has, in the order that makes failures cheap
//! (native first, then the release build the browser suites need), then one closing line
//! `summary: N passed, N failed` counting each test, and each non-test check as one.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};

use crate::process::{cmd, describe, heading, output, repo_root};
use crate::{build, setup, snippet};

/// Counts of one step or of the whole run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u32,
    pub failed: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }

    /// A step with no test counts of its own is one check.
    fn check(ok: bool) -> Self {
        Self {
            passed: ok as u32,
            failed: !ok as u32,
        }
    }
}

pub fn run() -> Result<()> {
    let mut steps: Vec<(&str, Tally)> = Vec::new();
    let mut record = |name, tally| steps.push((name, tally));

    record("setup", check(setup::run_all()));
    record("native tests", native_tests());
    record(
        "snippets typecheck",
        check(snippet::typecheck(&repo_root())),
    );
    record("release build", check(build::run_release()));
    // The components' own tests (in `src/`) and the shell's (`tests/web.rs`), in Chromium.
    record(
        "browser tests",
        tests_in(
            cmd("cargo")
                .args([
                    "test",
                    "--package",
                    "keyless",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
        ),
    );
    if repo_root().join("e2e/Cargo.toml").is_file() {
        record(
            "end-to-end",
            tests_in(cmd("cargo").args(["test", "--package", "e2e", "--", "--test-threads=1"])),
        );
    }

    heading("results");
    let mut total = Tally::default();
    for (name, tally) in &steps {
        println!(
            "{name:<20} {} passed, {} failed",
            tally.passed, tally.failed
        );
        total.add(*tally);
    }
    println!("summary: {} passed, {} failed", total.passed, total.failed);
    if total.failed > 0 {
        bail!("{} failed", total.failed);
    }
    Ok(())
}

/// Every crate's native tests (the end-to-end suite runs later, on the release build), doc tests too.
fn native_tests() -> Tally {
    let has_e2e = repo_root().join("e2e/Cargo.toml").is_file();
    let exclude: &[&str] = if has_e2e { &["--exclude", "e2e"] } else { &[] };
    let mut tally = if output(cmd("cargo").args(["nextest", "--version"])).is_some() {
        let mut tally = tests_in(
            cmd("cargo")
                .args(["nextest", "run", "--workspace", "--no-fail-fast"])
                .args(exclude),
        );
        tally.add(tests_in(
            cmd("cargo")
                .args(["test", "--workspace", "--doc"])
                .args(exclude),
        ));
        tally
    } else {
        tests_in(
            cmd("cargo")
                .args(["test", "--workspace", "--no-fail-fast"])
                .args(exclude),
        )
    };
    tally.failed += (tally == Tally::default()) as u32;
    tally
}

fn check(result: Result<()>) -> Tally {
    if let Err(err) = &result {
        eprintln!("error: {err:#}");
    }
    Tally::check(result.is_ok())
}

/// Runs a test command, showing its output as it comes, and counts what its runner reports;
/// a command that fails without reporting a failure counts as one.
fn tests_in(command: &mut Command) -> Tally {
    heading(&describe(command));
    match run_counting(command) {
        Ok((tally, true)) => tally,
        Ok((mut tally, false)) => {
            tally.failed = tally.failed.max(1);
            tally
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            Tally::check(false)
        }
    }
}

fn run_counting(command: &mut Command) -> Result<(Tally, bool)> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let tally = Arc::new(Mutex::new(Tally::default()));
    let stdout = tee(
        child.stdout.take().expect("piped"),
        std::io::stdout,
        tally.clone(),
    );
    let stderr = tee(
        child.stderr.take().expect("piped"),
        std::io::stderr,
        tally.clone(),
    );
    let status = child.wait()?;
    let _ = stdout.join();
    let _ = stderr.join();
    let tally = *tally.lock().expect("counting threads do not panic");
    Ok((tally, status.success()))
}

/// Copies a child's stream line by line to ours, adding up the runner's result lines.
fn tee<R: Read + Send + 'static, W: Write + 'static>(
    from: R,
    to: fn() -> W,
    tally: Arc<Mutex<Tally>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            let _ = writeln!(to(), "{line}");
            if let Some(counts) = result_line(&line) {
                tally
                    .lock()
                    .expect("counting threads do not panic")
                    .add(counts);
            }
        }
    })
}

/// The counts in libtest's `test result: ok. 3 passed; 1 failed; …` (also what
/// wasm-bindgen-test prints) and nextest's `Summary [ 1.2s] 4 tests run: 3 passed, 1 failed`.
/// Libtest's line starts in column 0: nextest replays a failed test's own output indented, and
/// that copy must not be counted twice.
fn result_line(line: &str) -> Option<Tally> {
    let summary = line.trim_start();
    let is_result = line.starts_with("test result:")
        || (summary.starts_with("Summary [") && summary.contains(" run: "));
    if !is_result {
        return None;
    }
    let count_before = |word: &str| {
        let words: Vec<&str> = line
            .split([' ', ';', ','])
            .filter(|w| !w.is_empty())
            .collect();
        words
            .windows(2)
            .find(|pair| pair[1] == word)
            .and_then(|pair| pair[0].parse().ok())
            .unwrap_or(0)
    };
    Some(Tally {
        passed: count_before("passed"),
        failed: count_before("failed"),
    })
}

#[cfg(test)]
mod tests {
    use super::{Tally, result_line};

    #[test]
    fn libtest_lines_are_counted() {
        let line = "test result: FAILED. 12 passed; 3 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.2s";
        assert_eq!(
            result_line(line),
            Some(Tally {
                passed: 12,
                failed: 3
            })
        );
        let ok = "test result: ok. 7 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(
            result_line(ok),
            Some(Tally {
                passed: 7,
                failed: 0
            })
        );
    }

    #[test]
    fn nextest_summaries_are_counted() {
        let line = "     Summary [   4.215s] 130 tests run: 128 passed, 2 failed, 1 skipped";
        assert_eq!(
            result_line(line),
            Some(Tally {
                passed: 128,
                failed: 2
            })
        );
        let clean = "     Summary [   1.000s] 5 tests run: 5 passed, 0 skipped";
        assert_eq!(
            result_line(clean),
            Some(Tally {
                passed: 5,
                failed: 0
            })
        );
    }

    #[test]
    fn replayed_output_inside_nextest_is_not_counted_again() {
        let replay =
            "    test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 6 filtered out";
        assert_eq!(result_line(replay), None);
    }

    #[test]
    fn other_lines_are_not_results() {
        assert_eq!(result_line("test plan::tests::passed ... ok"), None);
        assert_eq!(result_line("running 3 tests"), None);
        assert_eq!(
            result_line("        PASS [   0.004s] core plan::tests::x"),
            None
        );
    }
}
