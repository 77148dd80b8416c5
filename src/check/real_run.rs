//! Real threads: run the model `runs` times on OS threads, with a watchdog so that a hang is
//! reported (as an error naming the limit) instead of hanging the suite.

use super::{classify, panic_message, Raw, Verdict};
use std::sync::mpsc;
use std::time::Duration;

pub(crate) fn run(body: fn(usize), threads: usize, runs: usize, limit: Duration) -> Raw {
    let (tx, rx) = mpsc::channel();
    // Detached on purpose: if it hangs we report and move on; the process exit reaps it.
    std::thread::spawn(move || {
        for i in 0..runs {
            if let Err(p) = std::panic::catch_unwind(move || body(threads)) {
                let _ = tx.send(Err((i as u64 + 1, panic_message(&*p))));
                return;
            }
        }
        let _ = tx.send(Ok(runs as u64));
    });
    match rx.recv_timeout(limit) {
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
