//! Checking your own program: [`model`](fn@crate::model) and its [`Builder`].
//!
//! ```
//! use threadcheck::{thread, Lock};
//! use threadcheck::model::Builder;
//! use std::sync::Arc;
//!
//! let stats = Builder::new().check(|| {
//!     let lock = Arc::new(Lock::named("A"));
//!     let l2 = lock.clone();
//!     let h = thread::spawn(move || drop(l2.acquire()));
//!     drop(lock.acquire());
//!     h.join().unwrap();
//! });
//! assert!(stats.executions >= 1);
//! ```
//!
//! The checker is the build's: loom under `RUSTFLAGS="--cfg loom"`, shuttle's random scheduler
//! under `--features shuttle`, and one run on real threads in production; [`Builder`] picks
//! another, and `THREADCHECK_*` variables override the defaults from CI. A failing execution
//! is a [`Failure`]: the checker's verdict, the readable counterexample (who holds what and
//! waits for what, or which thread panicked; the last steps of each thread) and the command
//! that replays it in the same test:
//!
//! ```
//! use threadcheck::model::{Builder, FailureKind};
//!
//! let failure = Builder::new()
//!     .run(|| assert_eq!(1 + 1, 3, "arithmetic"))
//!     .unwrap_err();
//! assert_eq!(failure.kind, FailureKind::Panic);
//! assert_eq!(failure.thread.as_deref(), Some("main"));
//! assert!(failure.report().starts_with("panic in main: assertion `left == right` failed: arithmetic"));
//! ```
//!
//! The same counterexample is printed for a failing plain `loom::model` or
//! `shuttle::check_*` whose program uses threadcheck's primitives, and a deadlock under any
//! of them fails its test without aborting the test binary.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

mod builder;
mod failure;

pub use builder::{Builder, EnvError};
#[cfg(threadcheck_model)]
pub(crate) use failure::counterexample;
pub(crate) use failure::FailureHook;
pub use failure::{Failure, FailureKind};

/// Runs `f` under the build's checker, once per execution, with the model clock; panics with
/// the readable counterexample if an execution fails. Same as `Builder::new().check(f)`.
///
/// Under loom it explores every interleaving (loom's `model`); under shuttle it runs the random
/// scheduler (1000 iterations: on the corpus's known bugs, the one setting that found every
/// bug on every seed measured, see the README's "Which checker finds what"); in production it
/// runs `f` once on real threads.
///
/// # Examples
/// ```
/// use threadcheck::{Lock, thread};
/// use std::sync::Arc;
/// threadcheck::model(|| {
///     let lock = Arc::new(Lock::new());
///     let l2 = lock.clone();
///     let h = thread::spawn(move || drop(l2.acquire()));
///     drop(lock.acquire());
///     h.join().unwrap();
/// });
/// ```
pub fn model<F>(f: F)
where
    F: Fn() + Send + Sync + 'static,
{
    Builder::new().check(f);
}

/// Reports one observable result of the current execution (jcstress style). The set of
/// results across executions is [`Stats::outcomes`]. Call it from the program's main thread.
pub fn observe(result: impl Into<String>) {
    crate::check::observe(result.into())
}

/// Checks a shuttle schedule string (as printed with a failure) and returns it without
/// whitespace, ready for [`Builder::replay`]. Outside the shuttle build every string is an
/// error that says which build replays schedules.
pub fn parse_schedule(s: &str) -> Result<String, ScheduleError> {
    crate::check::parse_schedule(s).map_err(ScheduleError)
}

/// A string that is not a shuttle schedule, or a build that cannot replay one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleError(String);

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScheduleError {}

/// A way of exploring a program's executions.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Checker {
    /// loom: every interleaving (optionally preemption-bounded). The loom build.
    Loom,
    /// shuttle's random scheduler. The shuttle build.
    Random,
    /// shuttle's PCT scheduler (probabilistic concurrency testing). The shuttle build.
    Pct,
    /// shuttle's depth-first search of every schedule (optionally capped). The shuttle build.
    Dfs,
    /// Real threads, real time: the production build.
    Real,
}

impl Checker {
    /// Every checker, in the order tables show them.
    pub const ALL: [Checker; 5] = [
        Checker::Loom,
        Checker::Random,
        Checker::Pct,
        Checker::Dfs,
        Checker::Real,
    ];

    /// Its name: `loom`, `random`, `pct`, `dfs`, `real`.
    pub fn name(self) -> &'static str {
        match self {
            Checker::Loom => "loom",
            Checker::Random => "random",
            Checker::Pct => "pct",
            Checker::Dfs => "dfs",
            Checker::Real => "real",
        }
    }

    /// The checker [`model`](fn@crate::model) uses in this build: loom, random or real.
    pub fn for_build() -> Checker {
        match crate::backend() {
            "loom" => Checker::Loom,
            "shuttle" => Checker::Random,
            _ => Checker::Real,
        }
    }

    /// Whether this build has the checker; if not, the error says which build does.
    pub fn available(self) -> Result<(), Unavailable> {
        let how = match (self, crate::backend()) {
            (Checker::Loom, "loom") => return Ok(()),
            (Checker::Random | Checker::Pct | Checker::Dfs, "shuttle") => return Ok(()),
            (Checker::Real, "production") => return Ok(()),
            (Checker::Loom, _) => "RUSTFLAGS=\"--cfg loom\" (the loom build)",
            (Checker::Random | Checker::Pct | Checker::Dfs, _) => {
                "--features shuttle (the shuttle build)"
            }
            (Checker::Real, _) => {
                "neither --cfg loom nor --features shuttle (the production build)"
            }
        };
        Err(Unavailable { checker: self, how })
    }
}

impl fmt::Display for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Checker {
    type Err = ParseCheckerError;
    fn from_str(s: &str) -> Result<Checker, ParseCheckerError> {
        Checker::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| ParseCheckerError(s.to_owned()))
    }
}

/// A checker name that is none of `loom`, `random`, `pct`, `dfs`, `real`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseCheckerError(String);

impl fmt::Display for ParseCheckerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown checker {:?}: expected loom, random, pct, dfs or real",
            self.0
        )
    }
}

impl std::error::Error for ParseCheckerError {}

/// The checker is not in this build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unavailable {
    /// The checker asked for.
    pub checker: Checker,
    /// How to get a build that has it.
    pub how: &'static str,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "checker {} is not in this {} build: build with {}",
            self.checker,
            crate::backend(),
            self.how
        )
    }
}

impl std::error::Error for Unavailable {}

/// What a run explored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    /// The checker that ran.
    pub checker: Checker,
    /// Executions run (for a failure: up to and including the failing one).
    pub executions: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// The results reported with [`observe`], across executions.
    pub outcomes: BTreeSet<String>,
    /// Whether every execution was explored: loom with no preemption bound, or a DFS that
    /// ended before its cap. A complete pass is a proof at that size, as far as the checker
    /// is sound.
    pub complete: bool,
}
