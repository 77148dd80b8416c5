//! loom: every interleaving, optionally preemption-bounded. loom does not count executions,
//! so [`super::execution`] does.

use super::{capture_first_panic, execution, panic_message, Raw};
use crate::model::Builder;

pub(crate) fn run<F>(b: &Builder, f: F) -> Raw
where
    F: Fn() + Send + Sync + 'static,
{
    // `Builder::new` reads LOOM_MAX_PREEMPTIONS & co, as loom users expect.
    let mut lb = loom::model::Builder::new();
    if b.preemption_bound.is_some() {
        lb.preemption_bound = b.preemption_bound;
    }
    // Generous: the tutorial models are small but nested; loom's default (1000) is per path.
    lb.max_branches = lb.max_branches.max(100_000);
    let complete = lb.preemption_bound.is_none();
    crate::thread::set_preemption_bounded(!complete);
    let (r, first) = capture_first_panic(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            lb.check(move || execution(&f))
        }))
    });
    crate::thread::set_preemption_bounded(false);
    Raw {
        failure: r.err().map(|p| first.unwrap_or_else(|| panic_message(&*p))),
        executions: super::EXECUTIONS.with(std::cell::Cell::get),
        schedule: None,
        complete,
    }
}
