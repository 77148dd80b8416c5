//! `enumerate()` and `active_count()` counted exactly (Python's `test_enumerate_after_join`),
//! on real threads, under loom and under shuttle. One test in a process of its own: on real
//! threads the registry is the process's, and another test's threads would count too.

use std::sync::Arc;
use threadcheck::thread;
use threadcheck::Event;

#[test]
fn active_count_is_the_main_thread_plus_the_threads_not_finished() {
    threadcheck::model(|| {
        // The main thread is always listed (on real threads: the process's, not this test's).
        assert_eq!(thread::enumerate(), [thread::main_thread()]);
        let gate = Arc::new(Event::new());
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let g = gate.clone();
                thread::spawn(move || g.wait())
            })
            .collect();
        let listed = thread::enumerate();
        assert_eq!(listed.len(), 3);
        assert_eq!(thread::active_count(), 3);
        for (w, t) in workers.iter().zip(&listed[1..]) {
            assert_eq!(w.thread(), t, "listed in start order");
        }
        gate.set();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(thread::active_count(), 1);
        assert_eq!(thread::enumerate(), [thread::main_thread()]);
    });
}
