//! The harness: run a corpus [`Model`] under a checker and get an [`Outcome`].
//!
//! | checker  | build                         | what it does                                   |
//! |----------|-------------------------------|------------------------------------------------|
//! | `loom`   | `RUSTFLAGS="--cfg loom"`      | every interleaving (optionally preemption-bounded) |
//! | `random` | `--features shuttle`          | shuttle's random scheduler, N iterations        |
//! | `pct`    | `--features shuttle`          | shuttle's PCT scheduler, N iterations, depth d  |
//! | `dfs`    | `--features shuttle`          | shuttle's exhaustive DFS (optionally capped)    |
//! | `real`   | production                    | real threads, N runs, with a hang watchdog      |
//!
//! A checker the current build lacks returns [`Verdict::Unavailable`] with the command that
//! enables it — never a silent skip.

use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;
use std::time::{Duration, Instant};

pub mod isolate;
#[cfg(loom)]
mod loom_run;
mod real_run;
#[cfg(feature = "shuttle")]
mod shuttle_run;

#[cfg(feature = "shuttle")]
pub use shuttle_run::{parse_schedule, replay_shuttle};

/// Without shuttle there is no schedule to parse: the error says which build has one.
#[cfg(not(feature = "shuttle"))]
pub fn parse_schedule(_: &str) -> Result<(), String> {
    Err(NO_SHUTTLE.into())
}

#[cfg(not(feature = "shuttle"))]
const NO_SHUTTLE: &str =
    "replaying a shuttle schedule needs the shuttle build: cargo run --release --features shuttle -- replay MODEL SCHEDULE (or `replay MODEL loom` in the loom build)";

/// Whether this build can replay shuttle schedules.
pub const HAS_SHUTTLE: bool = cfg!(feature = "shuttle");

/// What a model must get from every checker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No execution fails.
    Pass,
    /// Some execution deadlocks, and the checker must find it.
    Deadlock,
    /// Some execution panics with a message containing this text, and the checker must find it.
    Panic(&'static str),
    /// jcstress style: the set of results the model reports with [`observe`]. An exhaustive
    /// checker must see exactly this set; a randomized one a non-empty subset.
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
    /// Thread counts checked under loom, each its own row.
    pub loom: &'static [usize],
    /// Thread count under shuttle's schedulers.
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
    /// loom's preemption bound for this model (`None`: unbounded, a proof).
    pub loom_preemptions: Option<usize>,
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

/// A checker and its settings.
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
    /// Short name as shown in tables: `loom`, `random`, `pct`, `dfs`, `real`.
    pub fn name(&self) -> &'static str {
        match self {
            Checker::Loom { .. } => "loom",
            Checker::Random { .. } => "random",
            Checker::Pct { .. } => "pct",
            Checker::Dfs { .. } => "dfs",
            Checker::Real { .. } => "real",
        }
    }

    /// Whether a pass means every execution was explored (so `Outcomes` must match exactly).
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
        match self {
            Checker::Loom { .. } if !cfg!(loom) => {
                Err("rebuild with RUSTFLAGS=\"--cfg loom\" cargo run --release -- check --checker loom")
            }
            Checker::Random { .. } | Checker::Pct { .. } | Checker::Dfs { .. } if !cfg!(feature = "shuttle") => {
                Err("rebuild with cargo run --release --features shuttle -- check")
            }
            Checker::Real { .. } if crate::rt::MODEL => {
                Err("real threads run in the production build: cargo run --release -- check --checker real")
            }
            _ => Ok(()),
        }
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
    /// For a shuttle failure: the schedule string that replays it.
    pub schedule: Option<String>,
    /// A readable counterexample, when the run failed and one could be built.
    pub report: Option<String>,
}

/// Whether `verdict` satisfies `expect` under `checker`.
pub fn matches(expect: &Expect, verdict: &Verdict, checker: &Checker) -> bool {
    match (expect, verdict) {
        (_, Verdict::Unavailable(_)) | (_, Verdict::Error(_)) => false,
        (Expect::Pass, Verdict::Pass) => true,
        (Expect::Deadlock, Verdict::Deadlock(_)) => true,
        (Expect::Panic(s), Verdict::Panic(m)) => m.contains(s),
        (Expect::Outcomes(want), Verdict::Outcomes(got)) => {
            let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
            if checker.exhaustive() {
                *got == want
            } else {
                !got.is_empty() && got.is_subset(&want)
            }
        }
        _ => false,
    }
}

thread_local! {
    /// The first panic message seen on this OS thread while a check runs (loom and shuttle run
    /// every model thread on the calling OS thread). The first one is the verdict: after a
    /// deadlock, loom's unwinding can panic again with an unrelated message.
    static FIRST_PANIC: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
    static OBSERVED: RefCell<Option<BTreeSet<String>>> = const { RefCell::new(None) };
}

/// Reports one observable result of the current execution (jcstress style). Call it from
/// the model's main thread; the harness collects the set across executions and compares it
/// with [`Expect::Outcomes`]. Outside the harness it does nothing.
pub fn observe(result: impl Into<String>) {
    let r = result.into();
    OBSERVED.with(|o| {
        if let Some(set) = o.borrow_mut().as_mut() {
            set.insert(r);
        }
    });
}

fn collect_outcomes<R>(f: impl FnOnce() -> R) -> (R, BTreeSet<String>) {
    OBSERVED.with(|o| *o.borrow_mut() = Some(BTreeSet::new()));
    let r = f();
    let set = OBSERVED.with(|o| o.borrow_mut().take()).unwrap_or_default();
    (r, set)
}

/// What one in-process checker run returns before it is judged.
pub(crate) struct Raw {
    pub(crate) verdict: Verdict,
    pub(crate) executions: u64,
    pub(crate) schedule: Option<String>,
}

/// The message carried by a panic payload.
pub(crate) fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".into()
    }
}

/// Runs `f` (a checker run), capturing the first panic message on this thread. Panics while
/// capturing are not printed unless `THREADCHECK_VERBOSE` is set: the harness reports them.
#[cfg_attr(not(threadcheck_model), allow(dead_code))]
pub(crate) fn capture_first_panic<R>(f: impl FnOnce() -> R) -> (R, Option<String>) {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let prev = std::panic::take_hook();
        let verbose = std::env::var_os("THREADCHECK_VERBOSE").is_some();
        std::panic::set_hook(Box::new(move |info| {
            let capturing = FIRST_PANIC
                .try_with(|c| {
                    let mut c = c.borrow_mut();
                    match c.as_mut() {
                        Some(first) => {
                            if first.is_none() {
                                let msg = panic_message(info.payload());
                                crate::trace::on_failure(&msg);
                                *first = Some(msg);
                            }
                            true
                        }
                        None => false,
                    }
                })
                .unwrap_or(false);
            if capturing && isolate::in_child() {
                // A child reports each panic as a marked line before anything can abort it
                // (see `isolate`); the parent uses the first.
                isolate::report_failure(&panic_message(info.payload()));
            }
            if !capturing || verbose {
                prev(info);
            }
        }));
    });
    FIRST_PANIC.with(|c| *c.borrow_mut() = Some(None));
    crate::trace::clear_failure();
    let r = f();
    let first = FIRST_PANIC.with(|c| c.borrow_mut().take()).flatten();
    (r, first)
}

/// Classifies a checker's failure message: loom says "deadlock; threads = ...", shuttle says
/// "deadlock! blocked tasks: [...]".
pub(crate) fn classify(msg: String) -> Verdict {
    if msg.starts_with("deadlock") {
        Verdict::Deadlock(msg)
    } else {
        Verdict::Panic(msg)
    }
}

/// Runs `model` under `checker` in this process.
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
    let start = Instant::now();
    let raw = if let Err(how) = checker.available() {
        Raw {
            verdict: Verdict::Unavailable(how.into()),
            executions: 0,
            schedule: None,
        }
    } else if matches!(checker, Checker::Real { .. }) && !model.real {
        Raw {
            verdict: Verdict::Unavailable(
                "not run on real threads: its expected bug would hang them".into(),
            ),
            executions: 0,
            schedule: None,
        }
    } else {
        let body = model.run;
        let (mut raw, seen) = collect_outcomes(|| dispatch(checker, model, threads, body));
        if raw.verdict == Verdict::Pass && matches!(model.expect, Expect::Outcomes(_)) {
            raw.verdict = Verdict::Outcomes(seen);
        }
        raw
    };
    let seconds = start.elapsed().as_secs_f64();
    let matched = matches(&model.expect, &raw.verdict, checker);
    let mut o = Outcome {
        model: model.name.into(),
        checker: checker.clone(),
        threads,
        expected: model.expect.to_string(),
        verdict: raw.verdict,
        matched,
        executions: raw.executions,
        seconds,
        schedule: raw.schedule,
        report: None,
    };
    o.report = crate::report::take_report(&o);
    o
}

/// Replays one shuttle execution of `model` with `threads` threads along `schedule` (the
/// string a failing [`Outcome`] carries) and judges it against the model's `Expect`, with its
/// counterexample. The outcome's `checker` is `dfs` capped at one execution.
pub fn replay(model: &Model, schedule: &str, threads: usize) -> Result<Outcome, String> {
    #[cfg(not(feature = "shuttle"))]
    {
        let _ = (model, schedule, threads);
        Err(NO_SHUTTLE.to_string())
    }
    #[cfg(feature = "shuttle")]
    replay_in_shuttle(model, schedule, threads)
}

#[cfg(feature = "shuttle")]
fn replay_in_shuttle(model: &Model, schedule: &str, threads: usize) -> Result<Outcome, String> {
    let start = Instant::now();
    let verdict = replay_shuttle(model.run, threads, schedule)?;
    let checker = Checker::Dfs {
        max_iterations: Some(1),
    };
    let mut o = Outcome {
        model: model.name.into(),
        matched: matches(&model.expect, &verdict, &checker),
        checker,
        threads,
        expected: model.expect.to_string(),
        verdict,
        executions: 1,
        seconds: start.elapsed().as_secs_f64(),
        schedule: Some(schedule.trim().to_owned()),
        report: None,
    };
    o.report = crate::report::take_report(&o);
    Ok(o)
}

#[allow(unused_variables)]
fn dispatch(checker: &Checker, model: &Model, threads: usize, body: fn(usize)) -> Raw {
    match checker {
        #[cfg(loom)]
        Checker::Loom { preemptions } => {
            loom_run::run(body, threads, preemptions.or(model.loom_preemptions))
        }
        #[cfg(feature = "shuttle")]
        Checker::Random { .. } | Checker::Pct { .. } | Checker::Dfs { .. } => {
            shuttle_run::run(checker, body, threads)
        }
        Checker::Real { runs } => real_run::run(body, threads, *runs, Duration::from_secs(60)),
        _ => unreachable!("availability checked above"),
    }
}

/// Runs a user's test body once per execution, managing the model clock: the entry point
/// for your own tests. Under loom it explores every interleaving (`loom::model`); under
/// shuttle it runs the PCT scheduler (depth 3, 1000 iterations); in production it runs once.
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
    #[cfg(loom)]
    loom_run::model(f);
    #[cfg(all(feature = "shuttle", not(loom)))]
    shuttle_run::pct(f, 1000, 3);
    #[cfg(not(any(loom, feature = "shuttle")))]
    f();
}

/// One execution's body, wrapped so the model clock starts and stops with it.
#[allow(dead_code)]
pub(crate) fn execution<F: Fn()>(f: &F) {
    #[cfg(threadcheck_model)]
    crate::clock::begin_execution();
    #[cfg(threadcheck_model)]
    crate::trace::begin_execution();
    f();
    #[cfg(threadcheck_model)]
    crate::clock::end_execution();
}
