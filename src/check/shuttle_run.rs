//! shuttle: random, PCT and DFS schedulers, and replay of a failing schedule.
//!
//! shuttle prints a failing schedule on stderr but does not return it, and its panic hook is
//! installed once per process with the first run's settings. So each scheduler is wrapped in
//! [`Recording`], which keeps the current execution's decisions and serializes them with
//! shuttle's own encoding: the string replays with `shuttle::replay`.

use super::{capture_first_panic, execution, panic_message, Raw};
use crate::model::{Builder, Checker};
use shuttle::scheduler::{
    DfsScheduler, PctScheduler, RandomScheduler, ReplayScheduler, Schedule, Scheduler, Task, TaskId,
};
use shuttle::{Config, FailurePersistence, Runner};
use shuttle_engine::scheduler::serialization::{deserialize_schedule, serialize_schedule};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
struct Record {
    executions: u64,
    current: Schedule,
    /// The inner scheduler had no execution left: the search is complete.
    exhausted: bool,
    /// The first execution had a choice to make (two runnable tasks, or a random value).
    had_choice: bool,
}

struct Recording<S> {
    inner: S,
    /// Run at most this many executions; the inner scheduler gets one more, so that hitting the
    /// cap and finishing the search can be told apart.
    cap: Option<u64>,
    record: Rc<RefCell<Record>>,
}

impl<S: Scheduler> Scheduler for Recording<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        {
            // With no choice to make, every execution is the first: the search is complete.
            // (PCT would even reject such a body: "did not exercise any concurrency".)
            let mut r = self.record.borrow_mut();
            if r.executions == 1 && !r.had_choice {
                r.exhausted = true;
                return None;
            }
        }
        let next = self.inner.new_execution();
        let mut r = self.record.borrow_mut();
        let Some(s) = next else {
            r.exhausted = true;
            return None;
        };
        if self.cap.is_some_and(|c| r.executions >= c) {
            return None;
        }
        r.executions += 1;
        r.current = s.clone();
        Some(s)
    }
    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let t = self.inner.next_task(runnable, current, is_yielding)?;
        let mut r = self.record.borrow_mut();
        r.current.push_task(t);
        r.had_choice |= runnable.len() > 1;
        Some(t)
    }
    fn next_u64(&mut self) -> u64 {
        let mut r = self.record.borrow_mut();
        r.current.push_random();
        r.had_choice = true;
        drop(r);
        self.inner.next_u64()
    }
}

fn run_with<S, F>(scheduler: S, cap: Option<u64>, f: F) -> Raw
where
    S: Scheduler + 'static,
    F: Fn() + Send + Sync + 'static,
{
    let record = Rc::new(RefCell::new(Record::default()));
    let mut config = Config::new();
    // We serialize the schedule ourselves (see module docs).
    config.failure_persistence = FailurePersistence::None;
    let runner = Runner::new(
        Recording {
            inner: scheduler,
            cap,
            record: record.clone(),
        },
        config,
    );
    // shuttle re-raises the failing task's own payload after teardown (whose internal unwinds
    // also pass through the panic hook), so the final payload is the verdict here.
    let (r, _first) = capture_first_panic(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            runner.run(move || execution(&f))
        }))
    });
    let rec = record.borrow();
    let failure = r.err().map(|p| panic_message(&*p));
    Raw {
        schedule: failure.as_ref().map(|_| serialize_schedule(&rec.current)),
        failure,
        executions: rec.executions,
        complete: rec.exhausted,
    }
}

pub(crate) fn run<F>(b: &Builder, f: F) -> Raw
where
    F: Fn() + Send + Sync + 'static,
{
    if let Some(s) = &b.replay {
        let s: String = s.split_whitespace().collect();
        if let Err(e) = parse_schedule(&s) {
            panic!("threadcheck: {e}");
        }
        let mut raw = run_with(ReplayScheduler::new_from_encoded(&s), None, f);
        raw.complete = false;
        return raw;
    }
    let iterations = b.iterations.unwrap_or(1000);
    let mut raw = match (b.checker, b.seed) {
        (Checker::Random, Some(s)) => {
            run_with(RandomScheduler::new_from_seed(s, iterations), None, f)
        }
        (Checker::Random, None) => run_with(RandomScheduler::new(iterations), None, f),
        (Checker::Pct, Some(s)) => {
            run_with(PctScheduler::new_from_seed(s, b.depth, iterations), None, f)
        }
        (Checker::Pct, None) => run_with(PctScheduler::new(b.depth, iterations), None, f),
        (Checker::Dfs, _) => {
            let cap = b.iterations.map(|n| n as u64);
            run_with(
                DfsScheduler::new(b.iterations.map(|n| n + 1), false),
                cap,
                f,
            )
        }
        (c, _) => unreachable!("{c} is not a shuttle checker"),
    };
    // Random and PCT also run out of executions, but that is not a finished search.
    raw.complete &= b.checker == Checker::Dfs;
    raw
}

/// Checks that `s` is a shuttle schedule string (as printed with a failure). shuttle's
/// decoder panics on some truncated strings: that is a bad string too.
pub(crate) fn parse_schedule(s: &str) -> Result<(), String> {
    let hex: String = s.split_whitespace().collect();
    let bad = || {
        let shown = if hex.len() > 24 {
            format!("{}…", &hex[..24])
        } else {
            hex.clone()
        };
        format!(
            "not a shuttle schedule string: {shown:?} (copy the schedule printed with the failure)"
        )
    };
    if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    // Captured like a checker's panic, so it is not printed.
    let (parsed, _) =
        capture_first_panic(|| std::panic::catch_unwind(|| deserialize_schedule(&hex).is_some()));
    match parsed {
        Ok(true) => Ok(()),
        _ => Err(bad()),
    }
}
