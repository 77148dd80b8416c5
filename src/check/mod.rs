//! Running a program under a checker: the machinery behind [`crate::model::Builder`].
//!
//! | checker  | build                     | runner                                            |
//! |----------|---------------------------|---------------------------------------------------|
//! | `loom`   | `RUSTFLAGS="--cfg loom"`  | `loom_run.rs`: `loom::model::Builder`             |
//! | `random`, `pct`, `dfs` | `--features shuttle` | `shuttle_run.rs`: a shuttle `Runner` with a recording scheduler |
//! | `real`   | production                | here: the program, N times, on real threads       |
//!
//! Every runner wraps each execution in [`execution`] (the model clock and the event trace
//! start and stop with it) and captures the *first* panic as the verdict: after a deadlock,
//! loom's unwinding can panic again with an unrelated message.

use crate::model::{Builder, Checker, Failure, FailureHook, FailureKind, Stats};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::time::Instant;

pub(crate) mod hook;
#[cfg(loom)]
mod loom_run;
#[cfg(feature = "shuttle")]
mod shuttle_run;

/// What one checker run returns before it is turned into `Stats` or a `Failure`.
pub(crate) struct Raw {
    /// The first failure's message, if an execution failed.
    pub(crate) failure: Option<String>,
    pub(crate) executions: u64,
    /// shuttle: the failing execution's schedule.
    pub(crate) schedule: Option<String>,
    /// Every execution was explored.
    pub(crate) complete: bool,
}

thread_local! {
    /// The first panic message seen on this OS thread while a check runs (loom and shuttle
    /// run every model thread on the calling OS thread).
    static FIRST_PANIC: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
    static OBSERVED: RefCell<Option<BTreeSet<String>>> = const { RefCell::new(None) };
    /// Executions started by the current run (read by the panic hook).
    static EXECUTIONS: Cell<u64> = const { Cell::new(0) };
    /// The current run's failure hook and checker, for the panic hook.
    static ON_FAILURE: RefCell<Option<(FailureHook, Checker)>> = const { RefCell::new(None) };
    /// The model thread whose panic failed the current run.
    static PANICKED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// In the panic hook: whether a check on this OS thread captures this panic, and if so
/// whether it is the check's first (which is then kept as its verdict).
pub(crate) fn capture(msg: &str) -> Option<bool> {
    let first = FIRST_PANIC
        .try_with(|c| match c.borrow_mut().as_mut() {
            Some(slot @ None) => {
                *slot = Some(msg.to_owned());
                Some(true)
            }
            Some(Some(_)) => Some(false),
            None => None,
        })
        .ok()
        .flatten();
    if first == Some(true) {
        at_first_failure(msg);
    }
    first
}

/// A model thread's body panicked (called where the panic has unwound to the thread's
/// entry, so the execution is still there to ask who we are): remember its name if it is
/// the run's first.
fn thread_panicked(name: Option<&str>) {
    if crate::rt::teardown::torn_down() {
        return;
    }
    let capturing = FIRST_PANIC
        .try_with(|c| c.borrow().is_some())
        .unwrap_or(false);
    if capturing && PANICKED.with(|p| p.borrow().is_none()) {
        let name = name
            .map(str::to_owned)
            .or_else(crate::trace::current_thread_name);
        PANICKED.with(|p| *p.borrow_mut() = name);
    }
}

/// Runs a model thread's body; a panic is noted ([`thread_panicked`]) and goes on unwinding.
/// `name`: the thread's name in reports, if not the one it was spawned with.
pub(crate) fn thread_body<T>(name: Option<&str>, f: impl FnOnce() -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(p) => {
            thread_panicked(name);
            std::panic::resume_unwind(p)
        }
    }
}

pub(crate) fn observe(r: String) {
    OBSERVED.with(|o| {
        if let Some(set) = o.borrow_mut().as_mut() {
            set.insert(r);
        }
    });
}

/// Whether a check is running on this OS thread: its failure report carries the panics.
pub(crate) fn capturing() -> bool {
    FIRST_PANIC
        .try_with(|c| c.try_borrow().is_ok_and(|c| c.is_some()))
        .unwrap_or(false)
}

/// Counts one more execution of the current run.
pub(crate) fn count_execution() {
    EXECUTIONS.with(|e| e.set(e.get() + 1));
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

/// loom says "deadlock; threads = ...", shuttle "deadlock! blocked tasks: [...]".
pub(crate) fn classify(msg: &str) -> FailureKind {
    if msg.starts_with(crate::lock_order::PREFIX) {
        FailureKind::LockOrder
    } else if crate::rt::teardown::is_deadlock_message(msg) {
        FailureKind::Deadlock
    } else {
        FailureKind::Panic
    }
}

/// The trace of the failing execution, if this build recorded one.
fn failed_trace(log: Option<crate::trace::Log>) -> Option<crate::report::Trace> {
    #[cfg(threadcheck_model)]
    return log.map(|l| crate::report::from_log(&l));
    #[cfg(not(threadcheck_model))]
    log.map(|l| match l {})
}

/// Runs `f` (a checker run), capturing the first panic message on this thread. Panics while
/// capturing are not printed unless `THREADCHECK_VERBOSE` is set: the failure reports them.
pub(crate) fn capture_first_panic<R>(f: impl FnOnce() -> R) -> (R, Option<String>) {
    // In the model builds the hook is installed from inside the first execution (see
    // `hook::install`), after the checker's own.
    if !crate::rt::MODEL {
        hook::install();
    }
    let outer = FIRST_PANIC.with(|c| c.borrow_mut().replace(None));
    crate::trace::clear_failure();
    let r = f();
    let first = FIRST_PANIC
        .with(|c| std::mem::replace(&mut *c.borrow_mut(), outer))
        .flatten();
    (r, first)
}

/// In the panic hook, at the first failure of a run: keep the trace and call the run's
/// failure hook. Touches only this crate's thread-locals.
fn at_first_failure(msg: &str) {
    #[cfg(threadcheck_model)]
    let log = crate::trace::on_failure();
    #[cfg(not(threadcheck_model))]
    let log: Option<crate::trace::Log> = None;
    let Ok(Some((hook, checker))) = ON_FAILURE.try_with(|h| h.borrow().clone()) else {
        return;
    };
    let failure = Failure {
        kind: classify(msg),
        message: msg.to_owned(),
        trace: failed_trace(log),
        thread: None,
        schedule: None,
        replay: None,
        stats: Stats {
            checker,
            executions: EXECUTIONS.with(Cell::get),
            elapsed: Default::default(),
            outcomes: BTreeSet::new(),
            complete: false,
        },
    };
    hook(&failure);
}

/// Checks a shuttle schedule string; the normalized string.
pub(crate) fn parse_schedule(s: &str) -> Result<String, String> {
    #[cfg(feature = "shuttle")]
    return shuttle_run::parse_schedule(s).map(|()| s.split_whitespace().collect());
    #[cfg(not(feature = "shuttle"))]
    {
        let _ = s;
        Err("replaying a shuttle schedule needs the shuttle build (--features shuttle)".into())
    }
}

/// One execution's body, wrapped so the model clock and the trace start and stop with it.
pub(crate) fn execution<F: Fn() + ?Sized>(f: &F) {
    count_execution();
    #[cfg(threadcheck_model)]
    crate::clock::begin_execution();
    #[cfg(threadcheck_model)]
    crate::thread::begin_execution();
    #[cfg(threadcheck_model)]
    crate::trace::begin_execution();
    // The body's own thread is `main` in reports, whatever the test thread is called.
    thread_body(Some("main"), f);
    #[cfg(threadcheck_model)]
    crate::clock::end_execution();
}

/// Runs `f` under `b`'s checker (available in this build: the caller checked).
pub(crate) fn run<F>(b: &Builder, f: F) -> Result<Stats, Failure>
where
    F: Fn() + Send + Sync + 'static,
{
    let start = Instant::now();
    let early_before = crate::clock::early_advances_setting();
    if let Some(k) = b.early_timeouts {
        crate::set_early_advances(k);
    }
    EXECUTIONS.with(|e| e.set(0));
    PANICKED.with(|p| *p.borrow_mut() = None);
    ON_FAILURE.with(|h| *h.borrow_mut() = b.on_failure.clone().map(|hook| (hook, b.checker)));
    OBSERVED.with(|o| *o.borrow_mut() = Some(BTreeSet::new()));
    #[cfg(threadcheck_model)]
    let order_before = crate::lock_order::swap_run(b.lock_order);
    #[cfg(not(threadcheck_model))]
    let counted = crate::lock_order::run_begins(b.lock_order);
    let raw = dispatch(b, f);
    #[cfg(threadcheck_model)]
    crate::lock_order::swap_run(order_before);
    #[cfg(not(threadcheck_model))]
    if counted {
        crate::lock_order::run_ends();
    }
    let outcomes = OBSERVED.with(|o| o.borrow_mut().take()).unwrap_or_default();
    ON_FAILURE.with(|h| *h.borrow_mut() = None);
    crate::clock::restore_early_advances(early_before);
    #[cfg(threadcheck_model)]
    let log = crate::trace::take_failure();
    #[cfg(not(threadcheck_model))]
    let log: Option<crate::trace::Log> = None;
    let stats = Stats {
        checker: b.checker,
        executions: raw.executions,
        elapsed: start.elapsed(),
        outcomes,
        complete: raw.complete && raw.failure.is_none(),
    };
    match raw.failure {
        None => Ok(stats),
        Some(msg) => Err(Failure {
            kind: classify(&msg),
            thread: match classify(&msg) {
                FailureKind::Deadlock => None,
                _ => PANICKED.with(|p| p.borrow_mut().take()),
            },
            message: msg,
            trace: failed_trace(log),
            schedule: raw.schedule,
            replay: None,
            stats,
        }),
    }
}

fn dispatch<F>(b: &Builder, f: F) -> Raw
where
    F: Fn() + Send + Sync + 'static,
{
    match b.checker {
        #[cfg(loom)]
        Checker::Loom => loom_run::run(b, f),
        #[cfg(feature = "shuttle")]
        Checker::Random | Checker::Pct | Checker::Dfs => shuttle_run::run(b, f),
        Checker::Real => real(b.iterations.unwrap_or(1), f),
        c => unreachable!("checker {c} is not in this build: Builder::run checks that"),
    }
}

/// Real threads: the program `runs` times on this thread (it spawns its own threads).
fn real<F: Fn()>(runs: usize, f: F) -> Raw {
    let (r, first) = capture_first_panic(|| {
        for _ in 0..runs {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execution(&f)));
            if let Err(p) = r {
                return Some(panic_message(&*p));
            }
        }
        None
    });
    Raw {
        failure: r.map(|m| first.unwrap_or(m)),
        executions: EXECUTIONS.with(Cell::get),
        schedule: None,
        complete: false,
    }
}
