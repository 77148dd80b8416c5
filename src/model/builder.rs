//! [`Builder`]: the settings of a check, from code and from the environment.

use super::failure::{replay_command, FailureHook, TestId};
use super::{Checker, Failure, Stats};
use std::fmt;
use std::sync::Arc;

/// Settings for checking a program: which checker, how many executions, which seed, ...
///
/// [`Builder::new`] starts from the defaults and applies the `THREADCHECK_*` environment
/// variables, so CI can turn a check up without touching the test (as `PROPTEST_CASES` does
/// for proptest); a setter called in code wins over the environment.
///
/// | variable | setting | value |
/// |---|---|---|
/// | `THREADCHECK_CHECKER` | [`checker`](Builder::checker) | `loom`, `random`, `pct`, `dfs`, `real` |
/// | `THREADCHECK_ITERATIONS` | [`iterations`](Builder::iterations) | a positive integer |
/// | `THREADCHECK_SEED` | [`seed`](Builder::seed) | an integer (`u64`) |
/// | `THREADCHECK_DEPTH` | [`depth`](Builder::depth) | a positive integer |
/// | `THREADCHECK_PREEMPTION_BOUND` | [`preemption_bound`](Builder::preemption_bound) | an integer (loom also reads `LOOM_MAX_PREEMPTIONS`) |
/// | `THREADCHECK_EARLY_ADVANCES` | [`early_timeouts`](Builder::early_timeouts) | an integer |
/// | `THREADCHECK_REPLAY` | [`replay`](Builder::replay) | a schedule from a failure's `replay:` line |
/// | `THREADCHECK_LOCK_ORDER` | [`lock_order`](Builder::lock_order) | `0` (off) or `1` (on) |
///
/// A malformed value is an [`EnvError`] naming the variable ([`Builder::from_env`]);
/// [`Builder::new`] panics with it. The variables apply to every check in the process, so a
/// replay runs one test (`-- NAME --exact`, as the `replay:` line does).
///
/// # Examples
/// ```
/// use threadcheck::model::{Builder, Checker};
/// use threadcheck::{thread, Lock};
/// use std::sync::Arc;
///
/// let stats = Builder::new()
///     .checker(Checker::for_build())
///     .iterations(100)
///     .seed(7)
///     .check(|| {
///         let lock = Arc::new(Lock::named("A"));
///         let l2 = lock.clone();
///         let h = thread::spawn(move || drop(l2.acquire()));
///         drop(lock.acquire());
///         h.join().unwrap();
///     });
/// assert_eq!(stats.checker, Checker::for_build());
/// assert!(stats.executions >= 1);
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
    pub(crate) lock_order: Option<bool>,
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
            .field("lock_order", &self.lock_order)
            .finish_non_exhaustive()
    }
}

impl Default for Builder {
    /// Same as [`Builder::new`].
    fn default() -> Self {
        Builder::new()
    }
}

/// A `THREADCHECK_*` environment variable whose value is not what it must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvError {
    /// The variable, e.g. `THREADCHECK_ITERATIONS`.
    pub var: &'static str,
    /// Its value.
    pub value: String,
    /// What it must be.
    pub expected: String,
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={:?} is not {} (unset it or fix it)",
            self.var, self.value, self.expected
        )
    }
}

impl std::error::Error for EnvError {}

/// The value of `var`, parsed; unset or empty is `None`.
fn env<T>(
    var: &'static str,
    expected: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, EnvError> {
    let Some(raw) = std::env::var_os(var) else {
        return Ok(None);
    };
    let value = raw.to_string_lossy().into_owned();
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match raw.to_str().and_then(|_| parse(trimmed)) {
        Some(v) => Ok(Some(v)),
        None => Err(EnvError {
            var,
            value,
            expected: expected.to_owned(),
        }),
    }
}

impl Builder {
    /// The build's checker ([`Checker::for_build`]) with its defaults — loom unbounded, random
    /// × 1000 iterations (PCT, when chosen, at depth 3), one real run — then the
    /// `THREADCHECK_*` variables.
    ///
    /// # Panics
    /// If a `THREADCHECK_*` variable is malformed: the message is the [`EnvError`].
    pub fn new() -> Builder {
        Builder::from_env().unwrap_or_else(|e| panic!("threadcheck: {e}"))
    }

    /// The defaults alone, ignoring the environment: for tools that take their settings
    /// elsewhere (the corpus CLI takes flags).
    pub fn defaults() -> Builder {
        Builder {
            checker: Checker::for_build(),
            iterations: None,
            seed: None,
            depth: 3,
            preemption_bound: None,
            early_timeouts: None,
            replay: None,
            lock_order: None,
            on_failure: None,
        }
    }

    /// The defaults with the `THREADCHECK_*` variables applied, or the first malformed one.
    ///
    /// ```
    /// let b = threadcheck::model::Builder::from_env().expect("THREADCHECK_* variables are well-formed");
    /// # let _ = b;
    /// ```
    pub fn from_env() -> Result<Builder, EnvError> {
        let mut b = Builder::defaults();
        let positive = |s: &str| s.parse::<usize>().ok().filter(|&n| n > 0);
        if let Some(c) = env(
            "THREADCHECK_CHECKER",
            "a checker: loom, random, pct, dfs or real",
            |s| s.parse().ok(),
        )? {
            b.checker = c;
        }
        b.iterations = env(
            "THREADCHECK_ITERATIONS",
            "a positive number of executions",
            positive,
        )?;
        b.seed = env("THREADCHECK_SEED", "a seed (an integer, u64)", |s| {
            s.parse().ok()
        })?;
        if let Some(d) = env("THREADCHECK_DEPTH", "a positive PCT depth", positive)? {
            b.depth = d;
        }
        b.preemption_bound = env(
            "THREADCHECK_PREEMPTION_BOUND",
            "a preemption bound (an integer)",
            |s| s.parse().ok(),
        )?;
        b.early_timeouts = env(
            "THREADCHECK_EARLY_ADVANCES",
            "a number of early clock advances (an integer)",
            |s| s.parse().ok(),
        )?;
        let replay_expected = match crate::backend() {
            "shuttle" => "a shuttle schedule string, as printed on a failure's replay line".into(),
            other => format!(
                "something this {other} build can replay: a schedule replays in the shuttle \
                 build (--features shuttle){}",
                if other == "loom" {
                    "; under loom, re-run the test: loom's search stops at the same execution"
                } else {
                    ""
                }
            ),
        };
        b.replay = env("THREADCHECK_REPLAY", &replay_expected, |s| {
            super::parse_schedule(s).ok()
        })?;
        b.lock_order = crate::lock_order::parse_env()?;
        Ok(b)
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

    /// Seed for the random and PCT schedulers (default: a fresh one each run). The same seed
    /// explores the same schedules, in the same order.
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

    /// Lock-order checking for this run ([`crate::lock_order`]): an acquisition that closes a
    /// cycle of "acquired while holding" edges fails the execution with
    /// [`FailureKind::LockOrder`](super::FailureKind::LockOrder), a deadlock reported before
    /// it happens. Default: on in the model builds, per check (other checks running at the
    /// same time keep theirs); off in production, where `true` turns it on for the whole
    /// process while this run lasts (the program's threads are the process's), and `false`
    /// leaves a process-wide [`set_enabled`](crate::lock_order::set_enabled) in force. Turn
    /// it off to measure a checker's own search, or for an inversion that is safe in a way
    /// the check cannot see (`THREADCHECK_LOCK_ORDER=0`).
    ///
    /// ```
    /// use threadcheck::model::Builder;
    /// use threadcheck::Lock;
    /// // One thread takes A then B, then B then A: no schedule deadlocks with one thread.
    /// let stats = Builder::new().lock_order(false).check(|| {
    ///     let (a, b) = (Lock::named("A"), Lock::named("B"));
    ///     drop((a.acquire(), b.acquire()));
    ///     let _b = b.acquire();
    ///     let _a = a.acquire();
    /// });
    /// # let _ = stats;
    /// ```
    pub fn lock_order(mut self, on: bool) -> Builder {
        self.lock_order = Some(on);
        self
    }

    /// Calls `hook` with the first failure at the moment it happens, before the checker tears
    /// the failing execution down (the failure has no schedule or replay line yet).
    pub fn on_failure(mut self, hook: impl Fn(&Failure) + Send + Sync + 'static) -> Builder {
        self.on_failure = Some(Arc::new(hook));
        self
    }

    /// Runs `f` once per execution; the first failing execution is the `Err`, with its
    /// counterexample and the command that replays it in this test ([`Failure::report`]).
    ///
    /// A body with nothing to interleave (one thread, say) has one execution: it runs once.
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
        let test = TestId::current();
        crate::check::run(self, f).map_err(|mut failure| {
            failure.replay = replay_command(
                failure.stats.checker,
                failure.schedule.as_deref(),
                failure.stats.executions,
                &test,
            );
            failure
        })
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
