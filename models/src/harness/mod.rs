//! The corpus harness: run a [`Model`] under a checker and judge the result against what the
//! model expects.
//!
//! | checker  | build                         | what it does                                   |
//! |----------|-------------------------------|------------------------------------------------|
//! | `loom`   | `RUSTFLAGS="--cfg loom"`      | every interleaving (optionally preemption-bounded) |
//! | `random` | `--features shuttle`          | shuttle's random scheduler, N iterations        |
//! | `pct`    | `--features shuttle`          | shuttle's PCT scheduler, N iterations, depth d  |
//! | `dfs`    | `--features shuttle`          | shuttle's exhaustive DFS (optionally capped)    |
//! | `real`   | production                    | real threads, N runs, with a hang watchdog      |
//!
//! Each run goes through the library's own entry point, `threadcheck::model::Builder`, as a
//! user's test would. A checker the current build lacks gives [`Verdict::Unavailable`] with
//! the command that enables it — never a silent skip.
//!
//! [`outcome`] judges one result against the model (its expectation, or a checker's documented
//! wrong verdict); [`strength`] weighs results against each other (is a pass `proven`?).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Instant;
use threadcheck::model::{self, Builder};

pub mod isolate;
pub mod outcome;
mod real;
pub mod strength;

pub use outcome::{matches, replay_command, replay_line, KnownNote, Outcome, Verdict};

/// What a model must get from every checker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No execution fails.
    Pass,
    /// Some execution deadlocks, and the checker must find it.
    Deadlock,
    /// Some execution panics with a message containing this text, and the checker must find it.
    Panic(&'static str),
    /// jcstress style: the set of results the model reports with
    /// [`threadcheck::model::observe`]. An exhaustive checker must see exactly this set; a
    /// randomized one a non-empty subset.
    Outcomes(&'static [&'static str]),
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Pass => f.write_str("pass"),
            Expect::Deadlock => f.write_str("deadlock"),
            Expect::Panic(s) => write!(f, "panic({s:?})"),
            Expect::Outcomes(o) => write!(f, "outcomes{{{}}}", o.join(", ")),
        }
    }
}

/// How many threads a model runs with, per checker. loom allows 5 threads per execution in
/// all (the main thread and the model clock's driver count), shuttle runs the tutorial's 10.
#[derive(Clone, Copy, Debug)]
pub struct Threads {
    /// Thread counts checked under loom (and DFS), each its own row.
    pub loom: &'static [usize],
    /// Thread count under shuttle's random and PCT schedulers.
    pub shuttle: usize,
    /// Thread count on real threads.
    pub real: usize,
}

/// A program in the corpus, written against the public API.
#[derive(Clone, Copy)]
pub struct Model {
    /// `primitive/claim`, e.g. `lock/two_lock_deadlock`.
    pub name: &'static str,
    /// One line: what the program does.
    pub about: &'static str,
    /// The verdict every checker must get.
    pub expect: Expect,
    /// Thread counts per checker; the body receives the count.
    pub threads: Threads,
    /// loom's preemption bound for this model (`None`: unbounded, exhaustive).
    pub loom_preemptions: Option<usize>,
    /// Early advances of the model clock this model needs, overriding the default and
    /// `--early-timeouts` (`None`: the default). `Some(0)` pins the settled clock, for a
    /// model that, like CPython's own test, sleeps until the other threads are blocked.
    pub early_advances: Option<usize>,
    /// Whether the model may run on real threads (a deadlock model would hang them).
    pub real: bool,
    /// The program. Receives the thread count for the checker at hand.
    pub run: fn(usize),
    /// Where the model is defined (for `explain`).
    pub file: &'static str,
    /// The model's story (its doc comment), for `explain`.
    pub story: &'static str,
    /// Checkers known to give a wrong verdict on this model (bugs in the checker).
    pub known: &'static [Known],
    /// DFS's cap for this model, when [`DFS_CAP`] is too low for its search to finish (a
    /// finished DFS that agrees with loom makes the verdict `proven`).
    pub dfs_cap: Option<usize>,
    /// Whether the checkers run with lock-order checking (`threadcheck::lock_order`), as they
    /// do by default. `false` is the opt-out for a model whose locks are taken in inverted
    /// orders that cannot deadlock for a reason the check does not see (the orders never run
    /// at the same time), or that shows what the checkers find without it.
    pub lock_order: bool,
}

/// DFS's default cap on executions (`check --checker dfs`, `tests/shuttle.rs`). A DFS that
/// ends below its cap has explored every schedule; one that hits it says so (`capped`).
pub const DFS_CAP: usize = 100_000;

impl Model {
    /// The documented wrong verdict of `checker` on this model, if any.
    pub fn known_for(&self, checker: &Checker) -> Option<&'static Known> {
        self.known.iter().find(|k| k.checker == checker.kind())
    }
}

/// A checker's known wrong verdict on a model: a bug in the checker, kept in the corpus so the
/// table shows it (`known miss`, not a failure) and turns red the day the checker agrees with
/// the truth, so that someone removes the entry.
#[derive(Clone, Copy, Debug)]
pub struct Known {
    /// The checker that gets it wrong.
    pub checker: model::Checker,
    /// The verdict it is known to give instead of the model's `expect`.
    pub gives: Expect,
    /// Why, with the upstream issue.
    pub why: &'static str,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("name", &self.name)
            .field("expect", &self.expect)
            .finish_non_exhaustive()
    }
}

/// A checker and its settings, as the CLI and the JSON output name them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "checker", rename_all = "lowercase")]
pub enum Checker {
    /// loom: exhaustive; `preemptions` overrides the model's bound (`None` keeps it).
    Loom {
        /// Preemption bound; `None` keeps the model's own (usually unbounded).
        preemptions: Option<usize>,
    },
    /// shuttle random scheduler.
    Random {
        /// Executions to run.
        iterations: usize,
        /// Seed for the scheduler's RNG (`None`: fresh).
        seed: Option<u64>,
    },
    /// shuttle PCT scheduler.
    Pct {
        /// Executions to run.
        iterations: usize,
        /// Bug depth: priority change points per execution.
        depth: usize,
        /// Seed for the scheduler's RNG (`None`: fresh).
        seed: Option<u64>,
    },
    /// shuttle exhaustive DFS, optionally capped.
    Dfs {
        /// Stop after this many executions (`None`: explore all).
        max_iterations: Option<usize>,
    },
    /// Real threads, `runs` times.
    Real {
        /// How many times to run the model.
        runs: usize,
    },
}

impl Checker {
    /// The library's checker this one runs.
    pub fn kind(&self) -> model::Checker {
        match self {
            Checker::Loom { .. } => model::Checker::Loom,
            Checker::Random { .. } => model::Checker::Random,
            Checker::Pct { .. } => model::Checker::Pct,
            Checker::Dfs { .. } => model::Checker::Dfs,
            Checker::Real { .. } => model::Checker::Real,
        }
    }

    /// Short name as shown in tables: `loom`, `random`, `pct`, `dfs`, `real`.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// This checker as `model` is checked with it: a DFS at the default cap takes the
    /// model's own cap, if it has one.
    pub fn for_model(&self, model: &Model) -> Checker {
        match (self, model.dfs_cap) {
            (
                Checker::Dfs {
                    max_iterations: Some(DFS_CAP),
                },
                Some(cap),
            ) => Checker::Dfs {
                max_iterations: Some(cap),
            },
            _ => self.clone(),
        }
    }

    /// Whether the checker searches every execution when it runs to its end (loom, DFS —
    /// capped or not); an outcome's `complete` says whether this run did.
    pub fn exhaustive(&self) -> bool {
        matches!(self, Checker::Loom { .. } | Checker::Dfs { .. })
    }

    /// Whether this build has the checker; otherwise the command that enables it.
    pub fn available(&self) -> Result<(), &'static str> {
        self.kind().available().map_err(|_| match self {
            Checker::Loom { .. } => {
                "rebuild with RUSTFLAGS=\"--cfg loom\" cargo run -p threadcheck-corpus --release -- check --checker loom"
            }
            Checker::Random { .. } | Checker::Pct { .. } | Checker::Dfs { .. } => {
                "rebuild with cargo run -p threadcheck-corpus --release --features shuttle -- check"
            }
            Checker::Real { .. } => {
                "real threads run in the production build: cargo run -p threadcheck-corpus --release -- check --checker real"
            }
        })
    }

    /// The library's builder for this checker, on `model`.
    pub fn builder(&self, model: &Model) -> Builder {
        // The CLI takes its settings as flags: THREADCHECK_* variables must not change them.
        let mut b = Builder::defaults().checker(self.kind());
        if let Some(k) = model.early_advances {
            b = b.early_timeouts(k);
        }
        if !model.lock_order {
            b = b.lock_order(false);
        }
        match *self {
            Checker::Loom { preemptions } => match preemptions.or(model.loom_preemptions) {
                Some(p) => b.preemption_bound(p),
                None => b,
            },
            Checker::Random { iterations, seed } => with_seed(b.iterations(iterations), seed),
            Checker::Pct {
                iterations,
                depth,
                seed,
            } => with_seed(b.iterations(iterations).depth(depth), seed),
            Checker::Dfs { max_iterations } => match max_iterations {
                Some(n) => b.iterations(n),
                None => b,
            },
            Checker::Real { runs } => b.iterations(runs),
        }
    }
}

fn with_seed(b: Builder, seed: Option<u64>) -> Builder {
    match seed {
        Some(s) => b.seed(s),
        None => b,
    }
}

/// Runs `model` under `checker` in this process, once per thread count.
///
/// Under loom prefer [`isolate`]: after loom reports a deadlock, unwinding can panic again and
/// abort the whole process (loom issue #291), taking every other result with it.
pub fn run(model: &Model, checker: &Checker) -> Vec<Outcome> {
    sizes(model, checker)
        .into_iter()
        .map(|n| run_one(model, checker, n))
        .collect()
}

/// The thread counts `model` runs with under `checker`, each its own outcome.
pub fn sizes(model: &Model, checker: &Checker) -> Vec<usize> {
    match checker {
        // DFS is exhaustive like loom, and tractable only at loom's sizes.
        Checker::Loom { .. } | Checker::Dfs { .. } => model.threads.loom.to_vec(),
        Checker::Real { .. } => vec![model.threads.real],
        _ => vec![model.threads.shuttle],
    }
}

/// Runs `model` with `threads` threads under `checker` in this process.
pub fn run_one(model: &Model, checker: &Checker, threads: usize) -> Outcome {
    run_with(model, checker, threads, checker.builder(model))
}

/// Runs `model` under `checker` with the library builder `b` (the checker's, plus hooks).
pub fn run_with(model: &Model, checker: &Checker, threads: usize, b: Builder) -> Outcome {
    let start = Instant::now();
    let unavailable = |why: String| (Verdict::Unavailable(why), 0, false, None, None);
    let (verdict, executions, complete, schedule, report) = if let Err(how) = checker.available() {
        unavailable(how.into())
    } else if matches!(checker, Checker::Real { .. }) && !model.real {
        unavailable("not run on real threads: its expected bug would hang them, or needs a schedule real threads rarely take (see `explain`)".into())
    } else {
        let body = model.run;
        let result = match checker {
            Checker::Real { .. } => real::run(b, move || body(threads)),
            _ => Ok(b.run(move || body(threads))),
        };
        match result {
            Err(error) => (Verdict::Error(error), 0, false, None, None),
            Ok(Ok(stats)) => {
                let v = if matches!(model.expect, Expect::Outcomes(_)) {
                    Verdict::Outcomes(stats.outcomes)
                } else {
                    Verdict::Pass
                };
                (v, stats.executions, stats.complete, None, None)
            }
            Ok(Err(f)) => (
                Verdict::of_failure(&f),
                f.stats.executions,
                false,
                f.schedule.clone(),
                Some(f.counterexample()),
            ),
        }
    };
    let mut o = Outcome::new(model, checker, threads, verdict, complete);
    o.executions = executions;
    o.seconds = start.elapsed().as_secs_f64();
    o.schedule = schedule;
    o.report = report;
    let line = replay_line(&o);
    if let Some(r) = &mut o.report {
        r.push_str(&line);
    }
    o
}

/// Replays one shuttle execution of `model` with `threads` threads along `schedule` (the
/// string a failing [`Outcome`] carries) and judges it against the model's `Expect`. The
/// outcome's `checker` is `dfs` capped at one execution.
pub fn replay(model: &Model, schedule: &str, threads: usize) -> Outcome {
    let checker = Checker::Dfs {
        max_iterations: Some(1),
    };
    let b = Builder::defaults()
        .checker(model::Checker::Dfs)
        .replay(schedule);
    let mut o = run_with(model, &checker, threads, b);
    o.schedule = Some(schedule.split_whitespace().collect());
    o
}
