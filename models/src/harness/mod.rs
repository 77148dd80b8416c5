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

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::time::Instant;
use threadcheck::model::{self, Builder, Failure, FailureKind};

pub mod isolate;
mod real;

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

    /// Whether a pass means every execution was explored (so `Outcomes` must match exactly),
    /// if the search runs to its end.
    pub fn exhaustive(&self) -> bool {
        matches!(
            self,
            Checker::Loom { .. }
                | Checker::Dfs {
                    max_iterations: None
                }
        )
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
        let mut b = Builder::new().checker(self.kind());
        if let Some(k) = model.early_advances {
            b = b.early_timeouts(k);
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

/// What a checker found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "lowercase")]
pub enum Verdict {
    /// Every execution explored passed.
    Pass,
    /// An execution deadlocked; the checker's message.
    Deadlock(String),
    /// An execution panicked; the panic message.
    Panic(String),
    /// The set of results observed across executions (for `Expect::Outcomes`).
    Outcomes(BTreeSet<String>),
    /// Not run: this build lacks the checker (the text says how to enable it), or the model
    /// is not meaningful under it.
    Unavailable(String),
    /// The run itself broke (child process crashed, hang on real threads, ...).
    Error(String),
}

impl Verdict {
    /// Short form for tables: `pass`, `deadlock`, `panic`, `outcomes{..}`, `n/a`, `error`.
    pub fn short(&self) -> String {
        match self {
            Verdict::Pass => "pass".into(),
            Verdict::Deadlock(_) => "deadlock".into(),
            Verdict::Panic(m) => format!("panic({:?})", first_line(m, 40)),
            Verdict::Outcomes(o) => format!(
                "outcomes{{{}}}",
                o.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Verdict::Unavailable(_) => "n/a".into(),
            Verdict::Error(_) => "error".into(),
        }
    }

    /// The verdict of a checker's failure.
    pub fn of_failure(f: &Failure) -> Verdict {
        match f.kind {
            FailureKind::Deadlock => Verdict::Deadlock(f.message.clone()),
            _ => Verdict::Panic(f.message.clone()),
        }
    }
}

fn first_line(s: &str, max: usize) -> String {
    let l = s.lines().next().unwrap_or("");
    if l.chars().count() > max {
        format!("{}…", l.chars().take(max).collect::<String>())
    } else {
        l.to_owned()
    }
}

/// The result of running one model under one checker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Outcome {
    /// Model name.
    pub model: String,
    /// Checker settings.
    pub checker: Checker,
    /// Thread count the model ran with.
    pub threads: usize,
    /// The expected verdict, as text.
    pub expected: String,
    /// What the checker found.
    pub verdict: Verdict,
    /// Whether `verdict` satisfies the model's `Expect`.
    pub matched: bool,
    /// Executions (iterations) explored.
    pub executions: u64,
    /// Wall time, seconds.
    pub seconds: f64,
    /// Every execution was explored (loom unbounded, or DFS that ended before its cap).
    #[serde(default)]
    pub complete: bool,
    /// For a shuttle failure: the schedule string that replays it.
    pub schedule: Option<String>,
    /// A readable counterexample, when the run failed and one could be built.
    pub report: Option<String>,
}

/// Whether `verdict` satisfies `expect` under `checker`. An exhaustive search that ended must
/// see exactly the expected outcomes; any other search a non-empty subset.
pub fn matches(expect: &Expect, verdict: &Verdict, checker: &Checker, complete: bool) -> bool {
    match (expect, verdict) {
        (_, Verdict::Unavailable(_)) | (_, Verdict::Error(_)) => false,
        (Expect::Pass, Verdict::Pass) => true,
        (Expect::Deadlock, Verdict::Deadlock(_)) => true,
        (Expect::Panic(s), Verdict::Panic(m)) => m.contains(s),
        (Expect::Outcomes(want), Verdict::Outcomes(got)) => {
            let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
            if checker.exhaustive() && complete {
                *got == want
            } else {
                !got.is_empty() && got.is_subset(&want)
            }
        }
        _ => false,
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
        unavailable("not run on real threads: its expected bug would hang them".into())
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
                Some(f.report()),
            ),
        }
    };
    let mut o = Outcome {
        model: model.name.into(),
        checker: checker.clone(),
        threads,
        expected: model.expect.to_string(),
        matched: matches(&model.expect, &verdict, checker, complete),
        verdict,
        executions,
        seconds: start.elapsed().as_secs_f64(),
        complete,
        schedule,
        report,
    };
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
    let b = Builder::new().checker(model::Checker::Dfs).replay(schedule);
    let mut o = run_with(model, &checker, threads, b);
    o.schedule = Some(schedule.split_whitespace().collect());
    o
}

/// The `replay:` line of a failure's report.
pub fn replay_line(o: &Outcome) -> String {
    match replay_command(o) {
        Some(c) => format!("replay: {c}\n"),
        None if matches!(o.checker, Checker::Real { .. }) => {
            "replay: real threads cannot replay a schedule; check the model under shuttle or loom\n"
                .into()
        }
        None => String::new(),
    }
}

/// The command that replays `o`'s failing execution, if its checker can replay.
///
/// shuttle replays its schedule string; loom's search is deterministic (depth-first, same
/// order every run), so re-running it stops at the same first failing execution.
pub fn replay_command(o: &Outcome) -> Option<String> {
    match &o.checker {
        Checker::Loom { preemptions } => Some(format!(
            "RUSTFLAGS=\"--cfg loom\" cargo run -p threadcheck-corpus --release -- replay {} loom --threads {}{}",
            o.model,
            o.threads,
            preemptions.map(|p| format!(" --preemptions {p}")).unwrap_or_default()
        )),
        Checker::Random { .. } | Checker::Pct { .. } | Checker::Dfs { .. } => o.schedule.as_ref().map(|s| {
            format!(
                "cargo run -p threadcheck-corpus --release --features shuttle -- replay {} {} --threads {}",
                o.model,
                s.split_whitespace().collect::<String>(),
                o.threads
            )
        }),
        Checker::Real { .. } => None,
    }
}
