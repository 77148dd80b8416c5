//! Real threads: run the model on OS threads through the library's builder, with a watchdog
//! so that a hang is reported (as an error naming the limit) instead of hanging the suite.

use std::sync::mpsc;
use std::time::Duration;
use threadcheck::model::{Builder, Failure, Stats};

/// How long a real-thread check may run before it counts as hung.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs `b` on `f` on a worker thread; `Err` if it has not finished within [`LIMIT`].
pub(crate) fn run(
    b: Builder,
    f: impl Fn() + Send + Sync + 'static,
) -> Result<Result<Stats, Failure>, String> {
    let (tx, rx) = mpsc::channel();
    // Detached on purpose: if it hangs we report and move on; the process exit reaps it.
    std::thread::spawn(move || {
        let _ = tx.send(b.run(f));
    });
    rx.recv_timeout(LIMIT).map_err(|_| {
        format!("no result after {LIMIT:?} on real threads: hung (deadlock or lost wakeup?)")
    })
}
