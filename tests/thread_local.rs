//! `thread::Local` (Python's `threading.local`): one value per thread per object, on real
//! threads, under loom and under shuttle — where `std::thread_local!` is one value for every
//! model thread, since they all run on the checker's OS thread.

use std::cell::Cell;
use std::sync::Arc;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::thread::{self, Local};

#[test]
fn each_thread_sees_its_own_value() {
    threadcheck::model(|| {
        let local = Arc::new(Local::<u64>::new());
        assert_eq!(local.get(), None, "no value before the first access");
        let mine = *local.get_or(|| thread::current().ident());
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let local = local.clone();
                thread::spawn(move || {
                    assert_eq!(local.get(), None, "another thread's value");
                    let v = *local.get_or(|| thread::current().ident());
                    thread::yield_now();
                    assert_eq!(local.get(), Some(&v));
                    v
                })
            })
            .collect();
        let theirs: Vec<u64> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        assert_eq!(local.get(), Some(&mine));
        assert!(!theirs.contains(&mine) && theirs[0] != theirs[1]);
    });
}

#[test]
fn init_runs_once_per_thread() {
    threadcheck::model(|| {
        let inits = Arc::new(AtomicUsize::new(0));
        let local = Arc::new(Local::<Cell<u32>>::new());
        let bump = {
            let (inits, local) = (inits.clone(), local.clone());
            move || {
                for _ in 0..3 {
                    let v = local.get_or(|| {
                        inits.fetch_add(1, Ordering::SeqCst);
                        Cell::new(0)
                    });
                    v.set(v.get() + 1);
                }
                local.get().unwrap().get()
            }
        };
        let other = thread::spawn(bump.clone());
        assert_eq!(bump(), 3);
        assert_eq!(other.join().unwrap(), 3);
        assert_eq!(inits.load(Ordering::SeqCst), 2);
        drop(bump);
        let mut local = Arc::into_inner(local).unwrap();
        assert_eq!(local.iter_mut().map(|c| c.get()).sum::<u32>(), 6);
        local.clear();
        assert!(local.get().is_none());
    });
}

#[test]
fn init_may_use_the_same_local() {
    threadcheck::model(|| {
        let local = Arc::new(Local::<String>::new());
        let init_twice = {
            let local = local.clone();
            move || {
                let got = local.get_or(|| {
                    thread::yield_now();
                    // This thread's value, created inside its own init: that one is kept.
                    local.get_or(|| format!("inner {}", thread::current().name()));
                    "outer".to_owned()
                });
                assert_eq!(*got, format!("inner {}", thread::current().name()));
            }
        };
        let other = thread::Builder::new()
            .name("other")
            .spawn(init_twice.clone());
        init_twice();
        other.join().unwrap();
        drop(init_twice);
        let mut values: Vec<String> = Arc::into_inner(local).unwrap().into_iter().collect();
        values.sort();
        let mut want = [thread::current().name(), "other"].map(|n| format!("inner {n}"));
        want.sort();
        assert_eq!(values, want);
    });
}

threadcheck::if_model! {
    /// Why `Local` exists: under loom and shuttle a `std::thread_local!` is one value for all
    /// model threads (they share the checker's OS thread), so a worker's write shows up in the
    /// main thread. A `Local` keeps them apart.
    #[test]
    fn std_thread_local_is_shared_under_the_checkers_but_local_is_not() {
        std::thread_local!(static STD: Cell<u32> = const { Cell::new(0) });
        threadcheck::model(|| {
            STD.with(|c| c.set(0));
            let local = Arc::new(Local::<Cell<u32>>::new());
            let l = local.clone();
            let worker = thread::spawn(move || {
                STD.with(|c| c.set(1));
                l.get_or_default().set(1);
            });
            thread::yield_now();
            worker.join().unwrap();
            assert_eq!(STD.with(Cell::get), 1, "the worker's std thread-local is main's too");
            assert_eq!(local.get_or_default().get(), 0);
        });
    }
}
