//! loom checker. Executions are counted by the harness (loom does not return the count).

use super::{classify, execution, panic_message, Raw, Verdict};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub(crate) fn run(body: fn(usize), threads: usize, preemptions: Option<usize>) -> Raw {
    let count = Arc::new(AtomicU64::new(0));
    let c = count.clone();
    let mut b = loom::model::Builder::new();
    // `None` keeps loom's own default, so LOOM_MAX_PREEMPTIONS still works as loom users expect.
    if preemptions.is_some() {
        b.preemption_bound = preemptions;
    }
    // Generous: the tutorial models are small but nested; loom's default (1000) is per path.
    b.max_branches = 100_000;
    let (r, first) = super::capture_first_panic(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            b.check(move || {
                c.fetch_add(1, Ordering::Relaxed);
                super::isolate::EXECUTIONS.fetch_add(1, Ordering::Relaxed);
                execution(&|| body(threads));
            })
        }))
    });
    let verdict = match r {
        Ok(()) => Verdict::Pass,
        Err(p) => classify(first.unwrap_or_else(|| panic_message(&*p))),
    };
    Raw {
        verdict,
        executions: count.load(Ordering::Relaxed),
        schedule: None,
    }
}

pub(crate) fn model<F>(f: F)
where
    F: Fn() + Send + Sync + 'static,
{
    loom::model(move || execution(&f));
}
