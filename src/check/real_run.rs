//! Real threads: run the model `runs` times on OS threads, with a watchdog so that a hang is
//! reported (as an error naming the limit) instead of hanging the suite.

use super::{classify, panic_message, Raw, Verdict};
use std::sync::mpsc;
use std::time::Duration;

pub(crate) fn run(body: fn(usize), threads: usize, runs: usize, limit: Duration) -> Raw {
    let (tx, rx) = mpsc::channel();
    // Detached on purpose: if it hangs we report and move on; the process exit reaps it.
    // The body runs on this worker, so it collects the `observe`d outcomes here and hands
    // them back to the caller's collection.
    std::thread::spawn(move || {
        let (r, seen) = super::collect_outcomes(|| {
            for i in 0..runs {
                if let Err(p) = std::panic::catch_unwind(move || body(threads)) {
                    return Err((i as u64 + 1, panic_message(&*p)));
                }
            }
            Ok(runs as u64)
        });
        let _ = tx.send((r, seen));
    });
    let got = rx.recv_timeout(limit).map(|(r, seen)| {
        seen.into_iter().for_each(super::observe);
        r
    });
    match got {
        Ok(Ok(n)) => Raw {
            verdict: Verdict::Pass,
            executions: n,
            schedule: None,
        },
        Ok(Err((n, msg))) => Raw {
            verdict: classify(msg),
            executions: n,
            schedule: None,
        },
        Err(_) => Raw {
            verdict: Verdict::Error(format!(
                "no result after {limit:?} on real threads: hung (deadlock or lost wakeup?)"
            )),
            executions: 0,
            schedule: None,
        },
    }
}
