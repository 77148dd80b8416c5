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
//! The checker is the build's: loom under `RUSTFLAGS="--cfg loom"`, shuttle's PCT scheduler
//! under `--features shuttle`, and one run on real threads in production. A failure is a
//! [`Failure`]: the checker's verdict, the readable counterexample (who holds what and waits
//! for what, the last steps of each thread) and, under shuttle, the schedule that replays it.

use crate::report::Trace;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Runs `f` under the build's checker, once per execution, with the model clock; panics with
/// the readable counterexample if an execution fails. Same as `Builder::new().check(f)`.
///
/// Under loom it explores every interleaving (loom's `model`); under shuttle it runs the PCT
/// scheduler (depth 3, 1000 iterations); in production it runs `f` once on real threads.
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

    /// The checker [`model`](fn@crate::model) uses in this build: loom, PCT or real.
    pub fn for_build() -> Checker {
        match crate::backend() {
            "loom" => Checker::Loom,
            "shuttle" => Checker::Pct,
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

/// How an execution failed.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// Every thread blocked (or a wait-for cycle formed).
    Deadlock,
    /// A thread panicked (an assertion, a data race loom detected, ...).
    Panic,
}

/// A failing execution: what the checker said, and the readable counterexample.
#[derive(Clone, Debug)]
pub struct Failure {
    /// Deadlock or panic.
    pub kind: FailureKind,
    /// The checker's (or the panic's) own message.
    pub message: String,
    /// Who held what and waited for what, and the steps that led there (model builds).
    pub trace: Option<Trace>,
    /// shuttle: the schedule string that replays the failing execution.
    pub schedule: Option<String>,
    /// What ran before (and including) the failure.
    pub stats: Stats,
}

impl Failure {
    /// The counterexample as text: the wait-for cycle (or the panic), the last steps of each
    /// thread, and how to replay it.
    pub fn report(&self) -> String {
        let mut out = String::new();
        match (&self.trace, self.kind) {
            (Some(t), FailureKind::Deadlock) => out.push_str(&t.summary()),
            _ => out.push_str(&format!(
                "{}: {}\n",
                self.kind_name(),
                self.message.trim_end()
            )),
        }
        if let Some(t) = &self.trace {
            out.push_str(&t.swimlanes());
        }
        out
    }

    /// `deadlock` or `panic`.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            FailureKind::Deadlock => "deadlock",
            FailureKind::Panic => "panic",
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report())
    }
}

impl std::error::Error for Failure {}

/// Called at the moment of the first failure, before the checker tears the execution down.
pub(crate) type FailureHook = Arc<dyn Fn(&Failure) + Send + Sync>;

/// Settings for checking a program: which checker, how many executions, which seed, ...
///
/// ```
/// use threadcheck::model::{Builder, Checker};
/// let b = Builder::new().checker(Checker::for_build()).iterations(100).seed(7);
/// let stats = b.check(|| {});
/// assert_eq!(stats.checker, Checker::for_build());
/// ```
#[derive(Clone)]
pub struct Builder {
    pub(crate) checker: Checker,
    pub(crate) iterations: Option<usize>,
    pub(crate) seed: Option<u64>,
    pub(crate) depth: usize,
    pub(crate) preemption_bound: Option<usize>,
    pub(crate) early_timeouts: Option<usize>,
    pub(crate) replay: Option<String>,
    pub(crate) on_failure: Option<FailureHook>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("checker", &self.checker)
            .field("iterations", &self.iterations)
            .field("seed", &self.seed)
            .field("depth", &self.depth)
            .field("preemption_bound", &self.preemption_bound)
            .field("early_timeouts", &self.early_timeouts)
            .field("replay", &self.replay)
            .finish_non_exhaustive()
    }
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// The build's checker ([`Checker::for_build`]) with its defaults: loom unbounded, PCT
    /// depth 3 × 1000 iterations, one real run.
    pub fn new() -> Builder {
        Builder {
            checker: Checker::for_build(),
            iterations: None,
            seed: None,
            depth: 3,
            preemption_bound: None,
            early_timeouts: None,
            replay: None,
            on_failure: None,
        }
    }

    /// Which checker explores the program. It must be in this build ([`Checker::available`]).
    pub fn checker(mut self, checker: Checker) -> Builder {
        self.checker = checker;
        self
    }

    /// Executions for random and PCT (default 1000), the cap for DFS (default: none, run to
    /// completion), runs for real threads (default 1). loom ignores it.
    pub fn iterations(mut self, n: usize) -> Builder {
        self.iterations = Some(n);
        self
    }

    /// Seed for the random and PCT schedulers (default: a fresh one each run).
    pub fn seed(mut self, seed: u64) -> Builder {
        self.seed = Some(seed);
        self
    }

    /// PCT's bug depth (default 3).
    pub fn depth(mut self, depth: usize) -> Builder {
        self.depth = depth;
        self
    }

    /// loom's preemption bound (default: none, or `LOOM_MAX_PREEMPTIONS`).
    pub fn preemption_bound(mut self, bound: usize) -> Builder {
        self.preemption_bound = Some(bound);
        self
    }

    /// Early advances of the model clock per execution (see [`crate::set_early_advances`]).
    pub fn early_timeouts(mut self, k: usize) -> Builder {
        self.early_timeouts = Some(k);
        self
    }

    /// shuttle: replay exactly the execution this schedule string describes (as printed with
    /// a failure), instead of searching.
    pub fn replay(mut self, schedule: impl Into<String>) -> Builder {
        self.replay = Some(schedule.into());
        self
    }

    /// Calls `hook` with the first failure at the moment it happens, before the checker tears
    /// the failing execution down (which, under loom, can abort the process: loom #291).
    pub fn on_failure(mut self, hook: impl Fn(&Failure) + Send + Sync + 'static) -> Builder {
        self.on_failure = Some(Arc::new(hook));
        self
    }

    /// Runs `f` once per execution; the first failing execution is the `Err`.
    ///
    /// # Panics
    /// If the checker is not in this build (see [`Checker::available`]), or a replay schedule
    /// is not a shuttle schedule string.
    pub fn run<F>(&self, f: F) -> Result<Stats, Failure>
    where
        F: Fn() + Send + Sync + 'static,
    {
        if let Err(e) = self.checker.available() {
            panic!("threadcheck: {e}");
        }
        crate::check::run(self, f)
    }

    /// Runs `f` like [`Builder::run`] and panics with the counterexample if an execution
    /// fails: the form for a `#[test]`.
    pub fn check<F>(&self, f: F) -> Stats
    where
        F: Fn() + Send + Sync + 'static,
    {
        match self.run(f) {
            Ok(stats) => stats,
            Err(failure) => panic!(
                "threadcheck: {} found by {} after {} execution{}\n{}",
                failure.kind_name(),
                failure.stats.checker,
                failure.stats.executions,
                if failure.stats.executions == 1 {
                    ""
                } else {
                    "s"
                },
                failure.report()
            ),
        }
    }
}
