//! loom runs that print how many executions they took (`--nocapture` shows them), for the
//! fast-path models (`tests/fastpath_*.rs`), included with `#[path]`.

#![allow(dead_code)] // each test file uses its own share

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

/// Runs `f` under loom with preemption bound `bound` and prints the execution count.
pub fn run(bound: Option<usize>, f: impl Fn() + Sync + Send + 'static) {
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    let mut b = loom::model::Builder::new();
    b.preemption_bound = bound;
    b.check(move || {
        r.fetch_add(1, Relaxed);
        f()
    });
    let name = std::thread::current().name().unwrap_or("?").to_owned();
    eprintln!(
        "{name}: {} executions, preemption bound {bound:?}",
        runs.load(Relaxed)
    );
}

/// Every execution (no preemption bound).
pub fn model(f: impl Fn() + Sync + Send + 'static) {
    run(None, f)
}

/// At most `bound` preemptions per execution.
pub fn model_bounded(bound: usize, f: impl Fn() + Sync + Send + 'static) {
    run(Some(bound), f)
}
