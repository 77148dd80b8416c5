//! A failing execution, its counterexample, and how to replay it in the user's own test.

use super::{Checker, Stats};
use crate::report::Trace;
use std::fmt;
use std::sync::Arc;

/// How an execution failed.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// Every thread blocked (or a wait-for cycle formed).
    Deadlock,
    /// A thread panicked (an assertion, a data race loom detected, ...).
    Panic,
    /// Locks taken in orders that form a cycle: a deadlock reported before it happens
    /// ([`crate::lock_order`]). The message starts with `potential deadlock (lock order):`.
    LockOrder,
}

/// A failing execution: what the checker said, the readable counterexample, and how to
/// replay it.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct Failure {
    /// Deadlock or panic.
    pub kind: FailureKind,
    /// The checker's (or the panic's) own message.
    pub message: String,
    /// Who held what and waited for what, and the steps that led there (model builds).
    pub trace: Option<Trace>,
    /// For a panic: the model thread that panicked (`main` for the body's own thread), when
    /// it was spawned through `threadcheck::thread`.
    pub thread: Option<String>,
    /// shuttle: the schedule string that replays the failing execution.
    pub schedule: Option<String>,
    /// The command that re-runs exactly this execution in the test that found it (see
    /// [`Failure::report`]); `None` where the checker cannot replay (real threads).
    pub replay: Option<String>,
    /// What ran before (and including) the failure.
    pub stats: Stats,
}

impl Failure {
    /// The counterexample and the replay line: the wait-for cycle of a deadlock (or the
    /// panic and the thread that panicked), the last steps of each thread, then
    /// `replay: <command>`.
    ///
    /// ```text
    /// deadlock: Thread-1 holds Lock A, waits for Lock B (held by Thread-2)
    ///           Thread-2 holds Lock B, waits for Lock A (held by Thread-1)
    /// last steps (one column per thread, time flows down):
    ///   ...
    /// replay: THREADCHECK_REPLAY=91021c... cargo test --release --features shuttle --test ring -- ring_deadlocks --exact
    /// ```
    pub fn report(&self) -> String {
        let mut out = self.counterexample();
        if let Some(r) = &self.replay {
            out.push_str("replay: ");
            out.push_str(r);
            out.push('\n');
        }
        out
    }

    /// The counterexample alone, without the replay line (for tools that replay their own
    /// way, as the corpus CLI does).
    pub fn counterexample(&self) -> String {
        counterexample(
            self.kind,
            &self.message,
            self.thread.as_deref(),
            self.trace.as_ref(),
        )
    }

    /// `deadlock`, `panic` or `potential deadlock (lock order)`.
    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }
}

impl FailureKind {
    /// `deadlock`, `panic` or `potential deadlock (lock order)`.
    pub fn name(self) -> &'static str {
        match self {
            FailureKind::Deadlock => "deadlock",
            FailureKind::Panic => "panic",
            FailureKind::LockOrder => crate::lock_order::PREFIX,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report())
    }
}

impl std::error::Error for Failure {}

/// The counterexample's text; also what the panic hook prints for a plain loom or shuttle run.
pub(crate) fn counterexample(
    kind: FailureKind,
    message: &str,
    thread: Option<&str>,
    trace: Option<&Trace>,
) -> String {
    let mut out = String::new();
    match (trace, kind) {
        (Some(t), FailureKind::Deadlock) => out.push_str(&t.summary()),
        (_, FailureKind::Deadlock) => out.push_str(&format!("deadlock: {}\n", message.trim_end())),
        (_, FailureKind::LockOrder) => {
            out.push_str(message.trim_end());
            out.push('\n');
        }
        (_, FailureKind::Panic) => {
            let who = thread.map(|t| format!(" in {t}")).unwrap_or_default();
            out.push_str(&format!("panic{who}: {}\n", message.trim_end()));
        }
    }
    if let Some(t) = trace {
        out.push_str(&t.swimlanes());
    }
    out
}

/// Called at the moment of the first failure, before the checker tears the execution down.
pub(crate) type FailureHook = Arc<dyn Fn(&Failure) + Send + Sync>;

/// The test that is running, as libtest (and cargo-nextest, which runs it through libtest)
/// tells it: the test thread is named after the test, the binary after its target.
#[derive(Clone, Debug)]
pub(crate) struct TestId {
    /// The test's path, e.g. `with_loom::ring_deadlocks` (`None` outside libtest).
    name: Option<String>,
    /// The test binary.
    exe: Option<std::path::PathBuf>,
}

impl TestId {
    /// Read on the thread that runs the check (loom and shuttle run the model on it).
    pub(crate) fn current() -> TestId {
        TestId {
            name: std::thread::current()
                .name()
                .filter(|n| *n != "main")
                .map(str::to_owned),
            exe: std::env::current_exe().ok(),
        }
    }

    /// `cargo test` arguments that select this binary: `-p PKG --test TARGET` (or `--lib`).
    fn cargo_target(&self) -> String {
        let mut args = String::new();
        let pkg = std::env::var("CARGO_PKG_NAME").ok();
        if let Some(p) = &pkg {
            args.push_str(&format!(" -p {p}"));
        }
        // target/<profile>/deps/<target>-<16 hex digits>
        let stem = self
            .exe
            .as_ref()
            .and_then(|e| e.file_stem())
            .and_then(|s| s.to_str())
            .and_then(|s| s.rsplit_once('-'))
            .filter(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|(target, _)| target.to_owned());
        match (stem, pkg) {
            (Some(t), Some(p)) if t == p.replace('-', "_") => args.push_str(" --lib"),
            (Some(t), _) => args.push_str(&format!(" --test {t}")),
            (None, _) => {}
        }
        args
    }
}

/// The command that re-runs the failing execution in the test that found it.
///
/// shuttle: the test's own check replays the schedule in `THREADCHECK_REPLAY` instead of
/// searching. loom: its search is depth-first in a fixed order, so the test re-run stops at
/// the same execution. Settings that came from the environment are repeated.
pub(crate) fn replay_command(
    checker: Checker,
    schedule: Option<&str>,
    executions: u64,
    test: &TestId,
) -> Option<String> {
    let loom_vars: &[&str] = match checker {
        Checker::Loom => &[
            "THREADCHECK_PREEMPTION_BOUND",
            "LOOM_MAX_PREEMPTIONS",
            "LOOM_MAX_BRANCHES",
        ],
        _ => &[],
    };
    let settings: String = ["THREADCHECK_EARLY_ADVANCES", crate::lock_order::ENV]
        .iter()
        .chain(loom_vars)
        .filter_map(|v| std::env::var(v).ok().map(|x| format!("{v}={x} ")))
        .collect();
    let release = if cfg!(debug_assertions) {
        ""
    } else {
        " --release"
    };
    let target = test.cargo_target();
    let filter = match &test.name {
        Some(n) => format!(" -- {n} --exact"),
        None => " -- <test name> --exact".into(),
    };
    match (checker, schedule) {
        (Checker::Loom, _) => Some(format!(
            "RUSTFLAGS=\"--cfg loom\" {settings}cargo test{release}{target}{filter}\n        \
             (loom explores in a fixed order: the re-run stops at this same execution, the {})",
            ordinal(executions)
        )),
        (Checker::Real, _) | (_, None) => None,
        (_, Some(s)) => {
            let head = format!("THREADCHECK_REPLAY={s} {settings}");
            let mut cmd = format!("{head}cargo test{release} --features shuttle{target}{filter}");
            // The binary itself replays without rebuilding, whatever the feature is called.
            if let (Some(exe), Some(n)) = (&test.exe, &test.name) {
                cmd.push_str(&format!(
                    "\n        (or, without cargo: {head}{} {n} --exact)",
                    exe.display()
                ));
            }
            Some(cmd)
        }
    }
}

fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
