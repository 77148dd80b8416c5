//! A hand-rolled event with a lost wakeup.

use crate::define_model;
use crate::harness::Expect;
use threadcheck::sync::atomic::{AtomicBool, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Condition;

/// An event built the broken way: the flag is checked *outside* the condition's lock, so a
/// `set` can land between the check and the wait.
struct BrokenEvent {
    flag: AtomicBool,
    cond: Condition,
}

impl BrokenEvent {
    fn wait(&self) {
        if !self.flag.load(Ordering::SeqCst) {
            // <- set() and its notify can happen here: nobody is waiting yet.
            let mut g = self.cond.acquire();
            g.wait();
        }
    }
    fn set(&self) {
        self.flag.store(true, Ordering::SeqCst);
        let g = self.cond.acquire();
        g.notify_all();
    }
}

define_model! {
    /// A deliberately broken event: `wait` checks the flag, *then* takes the lock and waits,
    /// instead of checking under the lock it waits with (what `Event` does). If `set` runs in
    /// the gap — flag stored, notify sent to nobody — the waiter then sleeps forever on a
    /// set event. Rare on real threads; a checker must find the hang: Deadlock.
    pub LOST_WAKEUP_BUG = "event/lost_wakeup_bug" {
        about: "check the flag, then wait, without the lock across both: the wakeup is lost",
        expect: Expect::Deadlock,
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        run: lost_wakeup_bug,
    }
}

fn lost_wakeup_bug(_n: usize) {
    let ev = Arc::new(BrokenEvent {
        flag: AtomicBool::new(false),
        cond: Condition::new(),
    });
    let e = ev.clone();
    let waiter = Builder::new().name("Thread-1").spawn(move || e.wait());
    ev.set();
    waiter.join().unwrap();
}
