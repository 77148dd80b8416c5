//! shuttle checkers: random, PCT, DFS, and replay of a failing schedule.
//!
//! shuttle prints a failing schedule on stderr but does not return it, and its panic hook is
//! installed once per process with the first run's settings. So the harness wraps each
//! scheduler in [`Recording`], which keeps the current execution's decisions and serializes
//! them with shuttle's own encoding: the string replays with `shuttle::replay`.

use super::{classify, execution, panic_message, Checker, Raw, Verdict};
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
}

struct Recording<S> {
    inner: S,
    record: Rc<RefCell<Record>>,
}

impl<S: Scheduler> Scheduler for Recording<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        let s = self.inner.new_execution()?;
        let mut r = self.record.borrow_mut();
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
        self.record.borrow_mut().current.push_task(t);
        Some(t)
    }
    fn next_u64(&mut self) -> u64 {
        self.record.borrow_mut().current.push_random();
        self.inner.next_u64()
    }
}

fn config() -> Config {
    let mut c = Config::new();
    // We serialize the schedule ourselves (see module docs).
    c.failure_persistence = FailurePersistence::None;
    c
}

fn run_with<S: Scheduler + 'static>(scheduler: S, f: impl Fn() + Send + Sync + 'static) -> Raw {
    let record = Rc::new(RefCell::new(Record::default()));
    let runner = Runner::new(
        Recording {
            inner: scheduler,
            record: record.clone(),
        },
        config(),
    );
    // shuttle re-raises the failing task's own payload after teardown (whose internal unwinds
    // also pass through the panic hook), so the final payload is the verdict here.
    let (r, _first) = super::capture_first_panic(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner.run(f)))
    });
    let rec = record.borrow();
    match r {
        Ok(_) => Raw {
            verdict: Verdict::Pass,
            executions: rec.executions,
            schedule: None,
        },
        Err(p) => Raw {
            verdict: classify(panic_message(&*p)),
            executions: rec.executions,
            schedule: Some(serialize_schedule(&rec.current)),
        },
    }
}

pub(crate) fn run(checker: &Checker, body: fn(usize), threads: usize) -> Raw {
    let f = move || execution(&|| body(threads));
    match *checker {
        Checker::Random { iterations, seed } => match seed {
            Some(s) => run_with(RandomScheduler::new_from_seed(s, iterations), f),
            None => run_with(RandomScheduler::new(iterations), f),
        },
        Checker::Pct {
            iterations,
            depth,
            seed,
        } => match seed {
            Some(s) => run_with(PctScheduler::new_from_seed(s, depth, iterations), f),
            None => run_with(PctScheduler::new(depth, iterations), f),
        },
        Checker::Dfs { max_iterations } => run_with(DfsScheduler::new(max_iterations, false), f),
        _ => unreachable!("not a shuttle checker"),
    }
}

/// Checks that `s` is a shuttle schedule string (as printed in a failing outcome).
pub fn parse_schedule(s: &str) -> Result<(), String> {
    deserialize_schedule(s.trim()).map(|_| ()).ok_or_else(|| {
        format!(
            "not a shuttle schedule string: {s:?} (copy the `schedule` printed with the failure)"
        )
    })
}

/// Replays one execution of `body` with `threads` threads along `schedule`.
pub fn replay_shuttle(body: fn(usize), threads: usize, schedule: &str) -> Result<Verdict, String> {
    parse_schedule(schedule)?;
    let raw = run_with(
        ReplayScheduler::new_from_encoded(schedule.trim()),
        move || execution(&|| body(threads)),
    );
    Ok(raw.verdict)
}

pub(crate) fn pct<F>(f: F, iterations: usize, depth: usize)
where
    F: Fn() + Send + Sync + 'static,
{
    shuttle::check_pct(move || execution(&f), iterations, depth);
}
