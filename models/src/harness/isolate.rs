//! Running a check in a child process.
//!
//! After loom reports a deadlock, unwinding can panic a second time (dropping a loom object
//! while loom's runtime is gone) and abort the process — loom issue #291, seen here. An abort
//! in a test binary takes every other test's result with it. So each loom check runs in a
//! child process: the child prints its outcomes as marked JSON lines on stdout, and if it
//! dies first, the parent rebuilds the verdict from the marked lines its panic hook printed.

use super::{Checker, Model, Outcome, Verdict};
use std::process::{Command, Stdio};
use threadcheck::model::{Builder, Failure, FailureKind};

/// Set in a child's environment: "run the check here and print the outcome".
pub const CHILD_ENV: &str = "THREADCHECK_CHILD";
const OUTCOME: &str = "THREADCHECK-OUTCOME ";
const FAILURE: &str = "THREADCHECK-FAILURE ";

/// Whether this process is a child started by [`run_in_child`].
pub fn in_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

/// In a child: print the first failure as one marked line the moment it happens, before
/// anything can abort the process.
pub fn report_failure(f: &Failure) {
    let line = serde_json::json!({
        "message": f.message,
        // A lock-order report is the deadlock, found before it happens.
        "deadlock": matches!(f.kind, FailureKind::Deadlock | FailureKind::LockOrder),
        "executions": f.stats.executions,
        "report": f.counterexample(),
    });
    println!("\n{FAILURE}{line}");
}

/// `b` with [`report_failure`] as its failure hook.
pub fn reporting(b: Builder) -> Builder {
    b.on_failure(report_failure)
}

/// In a child: print the outcomes for the parent.
pub fn emit(outcomes: &[Outcome]) {
    for o in outcomes {
        println!(
            "\n{OUTCOME}{}",
            serde_json::to_string(o).expect("outcome serializes")
        );
    }
}

/// Runs `cmd` (which must run the same check in child mode) and returns its outcomes. A
/// child that died is judged by the first failure its panic hook reported.
pub fn run_in_child(
    mut cmd: Command,
    model: &Model,
    checker: &Checker,
    threads: usize,
) -> Vec<Outcome> {
    let start = std::time::Instant::now();
    let out = cmd.env(CHILD_ENV, "1").stdin(Stdio::null()).output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            return vec![synthetic(
                model,
                checker,
                threads,
                Verdict::Error(format!("could not start child: {e}")),
                0,
                start,
            )]
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let outcomes: Vec<Outcome> = stdout
        .lines()
        .filter_map(|l| l.split_once(OUTCOME).map(|x| x.1))
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect();
    if !outcomes.is_empty() {
        return outcomes;
    }
    // The child died before reporting: use the first failure its hook saw.
    let first = stdout
        .lines()
        .filter_map(|l| l.split_once(FAILURE).map(|x| x.1))
        .find_map(|j| serde_json::from_str::<serde_json::Value>(j).ok());
    let (verdict, execs, report) = match first {
        Some(v) => {
            let msg = v["message"].as_str().unwrap_or_default().to_owned();
            let verdict = if v["deadlock"].as_bool() == Some(true) {
                Verdict::Deadlock(msg)
            } else {
                Verdict::Panic(msg)
            };
            (
                verdict,
                v["executions"].as_u64().unwrap_or(0),
                v["report"].as_str().map(str::to_owned),
            )
        }
        None => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
            (
                Verdict::Error(format!(
                    "child exited with {} and no result: {}",
                    out.status,
                    tail.join(" | ")
                )),
                0,
                None,
            )
        }
    };
    let mut o = synthetic(model, checker, threads, verdict, execs, start);
    if let Some(r) = report {
        o.report = Some(r + &super::replay_line(&o));
    }
    vec![o]
}

fn synthetic(
    model: &Model,
    checker: &Checker,
    threads: usize,
    verdict: Verdict,
    executions: u64,
    start: std::time::Instant,
) -> Outcome {
    let mut o = Outcome::new(model, checker, threads, verdict, false);
    o.executions = executions;
    o.seconds = start.elapsed().as_secs_f64();
    o
}

/// The libtest name of a test function generated in module `module` (a `module_path!()`).
pub fn test_name(module: &str, func: &str) -> String {
    match module.split_once("::") {
        Some((_, rest)) => format!("{rest}::{func}"),
        None => func.to_owned(),
    }
}

/// For a generated `#[test]`: run `model` under `checker` — in a child process for loom —
/// and assert every outcome matches the model's `Expect`.
pub fn assert_model(model: &Model, checker: &Checker, test: &str) {
    let checker = &checker.for_model(model);
    if !applicable(model, checker) {
        for o in super::run(model, checker) {
            assert!(
                matches!(o.verdict, Verdict::Unavailable(_)),
                "{}: {:?}",
                o.model,
                o.verdict
            );
            assert!(
                !o.matched && !o.ok(),
                "a model that was not run must not count as matched"
            );
        }
        return;
    }
    let outcomes = if matches!(checker, Checker::Loom { .. }) && !in_child() {
        let exe = std::env::current_exe().expect("current exe");
        super::sizes(model, checker)
            .into_iter()
            .flat_map(|n| {
                let mut c = Command::new(&exe);
                c.args([test, "--exact", "--nocapture", "--test-threads=1"])
                    .env("THREADCHECK_THREADS", n.to_string());
                run_in_child(c, model, checker, n)
            })
            .collect()
    } else if in_child() {
        let n: usize = std::env::var("THREADCHECK_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| super::sizes(model, checker)[0]);
        let o = vec![super::run_with(
            model,
            checker,
            n,
            reporting(checker.builder(model)),
        )];
        emit(&o);
        return;
    } else {
        super::run(model, checker)
    };
    for o in &outcomes {
        eprintln!(
            "{} expected {} got {} — {} executions, {:.2}s{}",
            o.label(),
            o.expected,
            o.verdict.short(),
            o.executions,
            o.seconds,
            o.schedule
                .as_ref()
                .map(|s| format!(", schedule {s}"))
                .unwrap_or_default()
        );
        if let Some(r) = &o.report {
            eprintln!("{r}");
        }
        match &o.known {
            Some(k) => assert!(
                o.known_miss,
                "{}: {} is documented to give {} here ({}), but gave {:?}: if that is the \
                 truth ({}), the checker is fixed; remove the model's `known` entry",
                o.model,
                o.checker.name(),
                k.gives,
                k.why,
                o.verdict,
                o.expected
            ),
            None => assert!(
                o.matched,
                "{}: expected {}, got {:?}",
                o.model, o.expected, o.verdict
            ),
        }
    }
}

/// Whether `model` means anything under `checker` (deadlock models are not run on real
/// threads: they would hang them).
pub fn applicable(model: &Model, checker: &Checker) -> bool {
    !matches!(checker, Checker::Real { .. }) || model.real
}

/// Generates one `#[test]` per model for a checker, named after the model, plus a test that
/// fails if a model in the corpus has no generated test.
#[macro_export]
macro_rules! corpus_tests {
    ($checker:expr; $($test:ident => $model:path),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                $crate::harness::isolate::assert_model(
                    &$model,
                    &$checker,
                    &$crate::harness::isolate::test_name(module_path!(), stringify!($test)),
                );
            }
        )*

        #[test]
        fn every_model_in_the_corpus_has_a_test() {
            let covered: &[&str] = &[$($model.name),*];
            let missing: Vec<&str> = $crate::all()
                .iter()
                .map(|m| m.name)
                .filter(|n| !covered.contains(n))
                .collect();
            assert!(missing.is_empty(), "models without a generated test: {missing:?}");
        }
    };
}
