//! proptest over the model clock (shuttle build): random programs of sleeping threads, run
//! through `threadcheck::model` as users' tests run. Every sleep ends at or after its
//! deadline and a thread's clock never goes back; with the settled clock alone (no early
//! advances) every sleep ends exactly on its deadline and the deadlines of all threads fire
//! in order.
#![cfg(all(threadcheck_model, not(loom)))]

use proptest::prelude::*;
use std::sync::Mutex as StdMutex;
use std::time::Duration;
use threadcheck::{thread, Instant};

type Log = Vec<(Duration, Duration)>; // (deadline, woke at), since the execution's start

fn program() -> impl Strategy<Value = Vec<Vec<u64>>> {
    // At least two threads: shuttle's PCT rejects a program without concurrency.
    prop::collection::vec(prop::collection::vec(0u64..40, 1..4), 2..4)
}

fn run(prog: Vec<Vec<u64>>, early: usize) -> Vec<String> {
    // Unmodelled on purpose: a record of what happened, read after each execution.
    static ERRORS: StdMutex<Vec<String>> = StdMutex::new(Vec::new());
    ERRORS.lock().unwrap().clear();
    threadcheck::set_early_advances(early);
    threadcheck::model(move || {
        let sleeps = |ds: Vec<u64>| {
            let mut log: Log = Vec::new();
            let mut last = Instant::now();
            for d in ds {
                let start = Instant::now();
                if start < last {
                    ERRORS
                        .lock()
                        .unwrap()
                        .push(format!("time went back: {start:?} < {last:?}"));
                }
                threadcheck::sleep(Duration::from_millis(d));
                last = Instant::now();
                log.push((
                    start.since_start() + Duration::from_millis(d),
                    last.since_start(),
                ));
            }
            log
        };
        let mut prog = prog.clone();
        let mine = prog.remove(0);
        let hs: Vec<_> = prog
            .into_iter()
            .map(|ds| thread::spawn(move || sleeps(ds)))
            .collect();
        let mut logs = vec![sleeps(mine)];
        logs.extend(hs.into_iter().map(|h| h.join().unwrap()));
        let mut errs = ERRORS.lock().unwrap();
        for (deadline, woke) in logs.iter().flatten() {
            if woke < deadline {
                errs.push(format!("woke at {woke:?} before its deadline {deadline:?}"));
            }
            if early == 0 && woke != deadline {
                errs.push(format!(
                    "settled clock: woke at {woke:?}, deadline {deadline:?}"
                ));
            }
        }
    });
    threadcheck::set_early_advances(1);
    ERRORS.lock().unwrap().clone()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn settled_clock_wakes_every_sleeper_exactly_on_time(prog in program()) {
        let errs = run(prog, 0);
        prop_assert!(errs.is_empty(), "{:?}", errs);
    }

    #[test]
    fn early_advances_never_wake_a_sleeper_early_nor_turn_time_back(prog in program()) {
        let errs = run(prog, 1);
        prop_assert!(errs.is_empty(), "{:?}", errs);
    }
}
