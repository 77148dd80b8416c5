//! `test_queue.py` (3.13): BaseQueueTestMixin for `Queue`, `LifoQueue` and `PriorityQueue`
//! (with the 3.13 `shutdown` tests), and BaseSimpleQueueTest against `Queue::unbounded()`.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use threadcheck::{Event, GetTimeoutError, PutTimeoutError, TryGetError, TryPutError};

const QUEUE_SIZE: usize = 5;

/// CPython's `do_blocking_test`: `block` must block until `trigger` (run by a thread after a
/// sleep) changes the queue; the trigger thread marks when it started.
fn do_blocking_test<R>(block: impl FnOnce() -> R, trigger: impl FnOnce() + Send + 'static) -> R {
    let started = Arc::new(Event::new());
    let s = started.clone();
    let h = thread::spawn(move || {
        threadcheck::sleep(ms(100));
        s.set();
        trigger();
    });
    let r = block();
    assert!(started.is_set(), "blocking function appeared not to block");
    finish(vec![h]);
    r
}

macro_rules! queue_tests {
    ($prefix:ident, $Q:ident, order: $order:expr) => {
        mod $prefix {
            use super::*;
            use threadcheck::$Q;

            fn basic_queue_test(q: &Arc<$Q<i32>>) {
                assert!(q.is_empty());
                assert!(!q.is_full());
                for x in [111, 333, 222] {
                    q.put(x).unwrap();
                }
                let got: Vec<i32> = (0..3).map(|_| q.get().unwrap()).collect();
                assert_eq!(got, $order, "didn't seem to queue the correct data");
                for i in 0..QUEUE_SIZE as i32 - 1 {
                    q.put(i).unwrap();
                    assert!(q.qsize() > 0, "queue should not be empty");
                }
                assert!(!q.is_full(), "queue should not be full");
                let (last, full) = (2 * QUEUE_SIZE as i32, 3 * 2 * QUEUE_SIZE as i32);
                q.put(last).unwrap();
                assert!(q.is_full(), "queue should be full");
                assert!(!q.is_empty());
                assert_eq!(q.try_put(full), Err(TryPutError::Full(full)));
                assert_eq!(
                    q.put_timeout(full, ms(10)),
                    Err(PutTimeoutError::Timeout(full))
                );
                // Blocking puts, freed by a get.
                let q2 = q.clone();
                do_blocking_test(
                    || q.put(full).unwrap(),
                    move || {
                        q2.get().unwrap();
                    },
                );
                let q2 = q.clone();
                do_blocking_test(
                    || q.put_timeout(full, Duration::from_secs(10)).unwrap(),
                    move || {
                        q2.get().unwrap();
                    },
                );
                // Empty it.
                for _ in 0..QUEUE_SIZE {
                    q.get().unwrap();
                }
                assert_eq!(q.qsize(), 0, "queue should be empty");
                assert_eq!(q.try_get(), Err(TryGetError::Empty));
                assert_eq!(q.get_timeout(ms(10)), Err(GetTimeoutError::Timeout));
                // Blocking gets, freed by a put.
                let q2 = q.clone();
                do_blocking_test(|| q.get().unwrap(), move || q2.put(-1).unwrap());
                let q2 = q.clone();
                do_blocking_test(
                    || q.get_timeout(Duration::from_secs(10)).unwrap(),
                    move || q2.put(-1).unwrap(),
                );
            }

            #[test]
            fn basic() {
                check(|| {
                    let q = Arc::new($Q::new(QUEUE_SIZE));
                    // Twice on real threads; once under loom, which allows 5 threads per
                    // execution in all (each pass spawns 4).
                    for _ in 0..size(2, 1) {
                        basic_queue_test(&q);
                    }
                });
            }

            #[test]
            fn queue_task_done() {
                check(|| assert!($Q::<i32>::new(0).task_done().is_err()));
            }

            /// Two workers add up what they get and mark each item done; `join` returns only
            /// once everything put is done. Twice, then the negative count is refused.
            #[test]
            fn queue_join() {
                check(|| {
                    let q = Arc::new($Q::<i32>::new(0));
                    let items = size(100, 2) as i32;
                    // Twice on real threads; once under the checkers (loom: 5 threads).
                    for _ in 0..size(2, 1) {
                        let cum = Arc::new(AtomicUsize::new(0));
                        let (qq, c) = (q.clone(), cum.clone());
                        let workers = bunch(2, move || loop {
                            let x = qq.get().unwrap();
                            if x < 0 {
                                qq.task_done().unwrap();
                                return;
                            }
                            c.fetch_add(x as usize, Ordering::SeqCst);
                            qq.task_done().unwrap();
                        });
                        (0..items).for_each(|i| q.put(i).unwrap());
                        q.join();
                        let want: i32 = (0..items).sum();
                        assert_eq!(
                            cum.load(Ordering::SeqCst),
                            want as usize,
                            "join did not wait"
                        );
                        q.put(-1).unwrap();
                        q.put(-1).unwrap();
                        q.join(); // verify that you can join twice
                        finish(workers);
                    }
                    assert!(q.task_done().is_err());
                });
            }

            #[test]
            fn nowait() {
                check(|| {
                    let q = $Q::new(QUEUE_SIZE);
                    (0..QUEUE_SIZE).for_each(|_| q.try_put(1).unwrap());
                    assert!(q.try_put(1).unwrap_err().is_full());
                    (0..QUEUE_SIZE).for_each(|_| {
                        q.try_get().unwrap();
                    });
                    assert!(q.try_get().unwrap_err().is_empty());
                });
            }

            #[test]
            fn shrinking_queue() {
                check(|| {
                    let q = $Q::new(3);
                    (1..=3).for_each(|i| q.put(i).unwrap());
                    assert!(q.try_put(4).unwrap_err().is_full());
                    assert_eq!(q.qsize(), 3);
                    q.set_maxsize(2); // shrink the queue
                    assert!(q.try_put(4).unwrap_err().is_full());
                });
            }

            #[test]
            fn shutdown_empty() {
                check(|| {
                    let q = $Q::new(0);
                    q.shutdown(false);
                    assert!(q.put("data").is_err());
                    assert!(q.get().is_err());
                });
            }

            #[test]
            fn shutdown_nonempty() {
                check(|| {
                    let q = $Q::new(0);
                    q.put("data").unwrap();
                    q.shutdown(false);
                    q.get().unwrap();
                    assert!(q.get().is_err());
                });
            }

            #[test]
            fn shutdown_immediate() {
                check(|| {
                    let q = $Q::new(0);
                    q.put("data").unwrap();
                    assert_eq!(q.shutdown(true), ["data"]);
                    assert!(q.get().is_err());
                });
            }

            #[test]
            fn shutdown_allowed_transitions() {
                check(|| {
                    let q = $Q::<i32>::new(0);
                    assert!(!q.is_shut_down());
                    q.shutdown(false);
                    assert!(q.is_shut_down());
                    q.shutdown(true);
                    assert!(q.is_shut_down());
                    q.shutdown(false);
                });
            }

            fn shutdown_all_methods_in_one_thread_case(immediate: bool) {
                let q = $Q::new(2);
                q.put("L").unwrap();
                q.try_put("O").unwrap();
                q.shutdown(immediate);
                assert!(q.put("E").is_err());
                assert!(q.try_put("W").unwrap_err().is_shut_down());
                if immediate {
                    assert!(q.get().is_err());
                    assert!(q.try_get().unwrap_err().is_shut_down());
                    assert!(q.task_done().is_err());
                    q.join();
                } else {
                    assert!(["L", "O"].contains(&q.get().unwrap()));
                    q.task_done().unwrap();
                    assert!(["L", "O"].contains(&q.get().unwrap()));
                    q.task_done().unwrap();
                    q.join();
                    // Shut down and empty: every kind of get fails.
                    assert!(q.get().is_err());
                    assert!(q.try_get().unwrap_err().is_shut_down());
                    assert!(q
                        .get_timeout(Duration::from_secs(1))
                        .unwrap_err()
                        .is_shut_down());
                }
            }

            #[test]
            fn shutdown_all_methods_in_one_thread() {
                check(|| shutdown_all_methods_in_one_thread_case(false));
            }

            #[test]
            fn shutdown_immediate_all_methods_in_one_thread() {
                check(|| shutdown_all_methods_in_one_thread_case(true));
            }

            threadcheck::if_production! {
                #[test]
                fn shutdown_all_methods_in_many_threads() {
                    super::many_threads_shutdown(Arc::new($Q::new(0)), false);
                }

                #[test]
                fn shutdown_immediate_all_methods_in_many_threads() {
                    super::many_threads_shutdown(Arc::new($Q::new(0)), true);
                }
            }

            /// `_shutdown_get`: a full `Queue(2)`; getters start after the shutdown. Plain:
            /// two get the items and one fails; immediate: the items are discarded, all fail.
            fn shutdown_get_case(immediate: bool) {
                let q = Arc::new($Q::new(2));
                q.put("Y").unwrap();
                q.put("D").unwrap();
                let go = Arc::new(Event::new());
                let getters = if immediate { 2 } else { 3 };
                let (qq, g) = (q.clone(), go.clone());
                let hs: Vec<_> = (0..getters)
                    .map(|_| {
                        let (qq, g) = (qq.clone(), g.clone());
                        thread::spawn(move || {
                            g.wait();
                            qq.get().is_ok()
                        })
                    })
                    .collect();
                q.shutdown(immediate);
                go.set();
                let mut got = finish(hs);
                got.sort();
                if immediate {
                    assert_eq!(got, [false, false]);
                } else {
                    assert_eq!(got, [false, true, true]);
                }
            }

            #[test]
            fn shutdown_get() {
                check(|| shutdown_get_case(false));
            }

            #[test]
            fn shutdown_immediate_get() {
                check(|| shutdown_get_case(true));
            }

            /// `_shutdown_put`: putters on a full queue, started after `shutdown()`: all fail.
            fn shutdown_put_case() {
                let q = Arc::new($Q::new(2));
                q.put("Y").unwrap();
                q.put("D").unwrap();
                let go = Arc::new(Event::new());
                let hs: Vec<_> = ["E", "W"]
                    .into_iter()
                    .map(|x| {
                        let (qq, g) = (q.clone(), go.clone());
                        thread::spawn(move || {
                            g.wait();
                            qq.put(x).is_err()
                        })
                    })
                    .collect();
                q.shutdown(false); // CPython's test calls shutdown() in both variants
                go.set();
                assert_eq!(finish(hs), [true, true]);
            }

            #[test]
            fn shutdown_put() {
                check(shutdown_put_case);
            }

            #[test]
            fn shutdown_immediate_put() {
                check(shutdown_put_case);
            }

            /// `_shutdown_join`: two joiners on one unfinished item; the shutdown discards it
            /// (immediate) or a getter takes it and marks it done: both joins return.
            fn shutdown_join_case(immediate: bool) {
                let q = Arc::new($Q::new(0));
                q.put("Y").unwrap();
                let go = Arc::new(Event::new());
                let mut hs: Vec<_> = (0..2)
                    .map(|_| {
                        let qq = q.clone();
                        thread::spawn(move || qq.join())
                    })
                    .collect();
                if !immediate {
                    let (qq, g) = (q.clone(), go.clone());
                    hs.push(thread::spawn(move || {
                        g.wait();
                        qq.get().unwrap();
                        qq.task_done().unwrap();
                    }));
                }
                q.shutdown(immediate);
                go.set();
                finish(hs);
            }

            #[test]
            fn shutdown_join() {
                check(|| shutdown_join_case(false));
            }

            #[test]
            fn shutdown_immediate_join() {
                check(|| shutdown_join_case(true));
            }

            /// `_shutdown_put_join`: a putter (fails: shut down) and a joiner; the main thread
            /// takes the item (plain) or finds it discarded (immediate).
            fn shutdown_put_join_case(immediate: bool) {
                let q = Arc::new($Q::new(2));
                q.put("Y").unwrap();
                let go = Arc::new(Event::new());
                let (qq, g) = (q.clone(), go.clone());
                let putter = thread::spawn(move || {
                    g.wait();
                    assert!(qq.put("E").is_err());
                });
                let qq = q.clone();
                let joiner = thread::spawn(move || qq.join());
                assert_eq!(q.unfinished_tasks(), 1);
                q.shutdown(immediate);
                go.set();
                if immediate {
                    assert!(q.try_get().unwrap_err().is_shut_down());
                } else {
                    assert_eq!(q.get(), Ok("Y"));
                    q.task_done().unwrap();
                }
                finish(vec![putter, joiner]);
            }

            #[test]
            fn shutdown_put_join() {
                check(|| shutdown_put_join_case(false));
            }

            #[test]
            fn shutdown_immediate_put_join() {
                check(|| shutdown_put_join_case(true));
            }

            #[test]
            fn shutdown_get_task_done_join() {
                check(|| {
                    let q = Arc::new($Q::new(2));
                    q.put("Y").unwrap();
                    q.put("D").unwrap();
                    assert_eq!(q.unfinished_tasks(), q.qsize());
                    let go = Arc::new(Event::new());
                    let mut hs: Vec<_> = (0..size(2, 1))
                        .map(|_| {
                            let (qq, g) = (q.clone(), go.clone());
                            thread::spawn(move || {
                                g.wait();
                                qq.get().unwrap();
                                qq.task_done().unwrap();
                            })
                        })
                        .collect();
                    for _ in 0..2 {
                        let qq = q.clone();
                        hs.push(thread::spawn(move || qq.join()));
                    }
                    go.set();
                    if threadcheck::backend() != "production" {
                        // One getter under the checkers (5 threads): the main thread is the other.
                        q.get().unwrap();
                        q.task_done().unwrap();
                    }
                    q.shutdown(false);
                    finish(hs);
                });
            }

            #[test]
            fn shutdown_pending_get() {
                check(|| {
                    let q = Arc::new($Q::<i32>::new(0));
                    let qq = q.clone();
                    let getter = thread::spawn(move || qq.get());
                    q.shutdown(false);
                    assert!(finish(vec![getter])[0].is_err());
                });
            }
        }
    };
}

queue_tests!(queue, Queue, order: [111, 333, 222]);
queue_tests!(lifo_queue, LifoQueue, order: [222, 333, 111]);
queue_tests!(priority_queue, PriorityQueue, order: [111, 222, 333]);

threadcheck::if_production! {
/// `_shutdown_all_methods_in_many_threads` on real threads (the readers spin on
/// `get(block=False)`, which a checker cannot finish): writers put, readers drain, one
/// thread shuts the queue down mid-stream; with `immediate`, joiners wait too.
fn many_threads_shutdown<Q>(q: Arc<Q>, immediate: bool)
where
    Q: ManyThreadsQueue,
{
    let (writers, readers, joiners) = (4, 6, 2);
    let per_writer = 1024;
    let when = per_writer / 2;
    let parties = writers + readers + if immediate { joiners } else { 0 };
    let start = Arc::new(threadcheck::Barrier::new(parties));
    let shutdown_now = Arc::new(Event::new());
    let (puts, gets) = (log(), log());
    let mut hs = Vec::new();
    for _ in 0..writers {
        let (q, start, ev, puts) = (q.clone(), start.clone(), shutdown_now.clone(), puts.clone());
        hs.push(thread::spawn(move || {
            (0..when / 2).for_each(|i| assert!(q.put(i)));
            start.wait().unwrap();
            for i in when / 2..per_writer {
                if !q.put(i) {
                    puts.push(false);
                    break;
                }
                if i == when && !ev.is_set() {
                    ev.set();
                    puts.push(true);
                }
            }
        }));
    }
    for _ in 0..readers {
        let (q, start, gets) = (q.clone(), start.clone(), gets.clone());
        hs.push(thread::spawn(move || {
            q.get_one();
            start.wait().unwrap();
            loop {
                match q.try_get_one() {
                    Some(true) => {}
                    Some(false) => {
                        gets.push(true);
                        break;
                    }
                    None => threadcheck::thread::yield_now(),
                }
            }
        }));
    }
    if immediate {
        for _ in 0..joiners {
            let (q, start) = (q.clone(), start.clone());
            hs.push(thread::spawn(move || {
                start.wait().unwrap();
                q.join_all();
            }));
        }
    }
    let (qq, ev) = (q.clone(), shutdown_now.clone());
    let shut = thread::spawn(move || {
        ev.wait();
        qq.shut(immediate);
        qq.len() == 0
    });
    finish(hs);
    let emptied = finish(vec![shut])[0];
    assert!(puts.get().contains(&true));
    assert_eq!(gets.get().iter().filter(|g| **g).count(), readers);
    if immediate {
        assert!(emptied && q.len() == 0);
    }
}

/// The few operations `many_threads_shutdown` needs, for the three queue types.
trait ManyThreadsQueue: Send + Sync + 'static {
    fn put(&self, i: usize) -> bool;
    fn get_one(&self);
    /// `Some(true)`: got one; `Some(false)`: shut down; `None`: empty.
    fn try_get_one(&self) -> Option<bool>;
    fn join_all(&self);
    fn shut(&self, immediate: bool);
    fn len(&self) -> usize;
}

macro_rules! many_threads_queue {
    ($($Q:ident),*) => {$(
        impl ManyThreadsQueue for threadcheck::$Q<usize> {
            fn put(&self, i: usize) -> bool {
                threadcheck::$Q::put(self, i).is_ok()
            }
            fn get_one(&self) {
                threadcheck::$Q::get(self).unwrap();
                self.task_done().unwrap();
            }
            fn try_get_one(&self) -> Option<bool> {
                match self.try_get() {
                    Ok(_) => {
                        self.task_done().unwrap();
                        Some(true)
                    }
                    Err(TryGetError::ShutDown) => Some(false),
                    Err(TryGetError::Empty) => None,
                }
            }
            fn join_all(&self) {
                self.join()
            }
            fn shut(&self, immediate: bool) {
                self.shutdown(immediate);
            }
            fn len(&self) -> usize {
                threadcheck::$Q::len(self)
            }
        }
    )*};
}
many_threads_queue!(Queue, LifoQueue, PriorityQueue);
}
