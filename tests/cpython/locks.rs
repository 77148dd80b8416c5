//! `lock_tests.py`: BaseLockTests (for `Lock` and `RLock`), LockTests, RLockTests.

use super::*;
use std::sync::Arc;
use threadcheck::{Lock, RLock, ReleaseError};

/// What BaseLockTests needs of a lock: Python's unguarded `acquire`/`release` style.
trait PyLock: Default + std::fmt::Debug + Send + Sync + 'static {
    fn acquire(&self);
    fn try_acquire(&self) -> bool;
    fn acquire_timeout(&self, d: Duration) -> bool;
    fn release(&self) -> Result<(), ReleaseError>;
}

macro_rules! py_lock {
    ($L:ty) => {
        impl PyLock for $L {
            fn acquire(&self) {
                <$L>::acquire(self).leak()
            }
            fn try_acquire(&self) -> bool {
                <$L>::try_acquire(self).map(|g| g.leak()).is_some()
            }
            fn acquire_timeout(&self, d: Duration) -> bool {
                <$L>::acquire_timeout(self, d).map(|g| g.leak()).is_some()
            }
            fn release(&self) -> Result<(), ReleaseError> {
                <$L>::release(self)
            }
        }
    };
}
py_lock!(Lock);
py_lock!(RLock);

fn constructor<L: PyLock>() {
    drop(L::default());
}

fn repr<L: PyLock>() {
    let lock = L::default();
    assert!(format!("{lock:?}").contains("locked: false"), "{lock:?}");
    lock.acquire();
    assert!(format!("{lock:?}").contains("locked: true"), "{lock:?}");
    lock.release().unwrap();
}

fn acquire_destroy<L: PyLock>() {
    let lock = L::default();
    lock.acquire();
    drop(lock);
}

fn acquire_release<L: PyLock>() {
    let lock = L::default();
    lock.acquire();
    lock.release().unwrap();
}

fn try_acquire<L: PyLock>() {
    let lock = L::default();
    assert!(lock.try_acquire());
    lock.release().unwrap();
}

fn try_acquire_contended<L: PyLock>() {
    let lock = Arc::new(L::default());
    lock.acquire();
    let l = lock.clone();
    assert_eq!(
        finish(vec![thread::spawn(move || l.try_acquire())]),
        [false]
    );
    lock.release().unwrap();
}

fn acquire_contended<L: PyLock>() {
    let lock = Arc::new(L::default());
    lock.acquire();
    let n = size(5, 2);
    let finished = log();
    let (l, f) = (lock.clone(), finished.clone());
    let hs = bunch(n, move || {
        l.acquire();
        l.release().unwrap();
        f.push(());
    });
    wait_threads_blocked(n);
    assert_eq!(finished.len(), 0);
    lock.release().unwrap();
    finish(hs);
    assert_eq!(finished.len(), n);
}

fn with<L: PyLock>() {
    // `with lock:` is a guard; on a panic inside, unwinding drops it and releases the lock.
    // The panic half runs on real threads only: under loom, dropping an `RLock` guard while
    // a caught panic unwinds panics again inside loom and aborts the test binary (reported;
    // `Lock` is fine there).
    let lock = Arc::new(L::default());
    let l = lock.clone();
    if threadcheck::backend() == "production" {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            l.acquire();
            let _release = Release(&*l);
            panic!("TypeError");
        }));
        assert!(r.is_err());
    } else {
        l.acquire();
        drop(Release(&*l));
    }
    let l = lock.clone();
    finish(vec![thread::spawn(move || {
        l.acquire();
        l.release().unwrap();
    })]);
}

/// Releases on drop: the shape of a guard for the generic tests.
struct Release<'a, L: PyLock>(&'a L);
impl<L: PyLock> Drop for Release<'_, L> {
    fn drop(&mut self) {
        self.0.release().unwrap();
    }
}

fn thread_leak<L: PyLock>() {
    let lock = Arc::new(L::default());
    finish(bunch(size(15, 2), move || {
        lock.acquire();
        lock.release().unwrap();
    }));
}

fn timeout<L: PyLock>() {
    let lock = Arc::new(L::default());
    // Python's TIMEOUT_MAX: a timeout too large to represent waits forever.
    assert!(lock.acquire_timeout(Duration::MAX));
    lock.release().unwrap();
    let t0 = threadcheck::Instant::now();
    assert!(lock.acquire_timeout(Duration::from_secs(5)));
    assert!(since(t0) < Duration::from_secs(5), "waited for a free lock");
    let l = lock.clone();
    let (got, dt) = finish(vec![thread::spawn(move || {
        let t0 = threadcheck::Instant::now();
        (l.acquire_timeout(ms(500)), since(t0))
    })])[0];
    assert!(!got);
    assert!(dt >= ms(500), "timed out after {dt:?}");
    lock.release().unwrap();
}

macro_rules! base_lock_tests {
    ($($prefix:ident: $L:ty),*; $cases:tt) => {$(
        base_lock_tests!(@one $prefix, $L, $cases);
    )*};
    (@one $prefix:ident, $L:ty, [$($case:ident),*]) => {
        mod $prefix {
            use super::*;
            $(
                #[test]
                fn $case() {
                    check(super::$case::<$L>);
                }
            )*
        }
    };
}

base_lock_tests!(lock_base: Lock, rlock_base: RLock; [
    constructor,
    repr,
    acquire_destroy,
    acquire_release,
    try_acquire,
    try_acquire_contended,
    acquire_contended,
    with,
    thread_leak,
    timeout
]);

#[test]
fn lock_reacquire() {
    check(|| {
        let lock = Arc::new(Lock::new());
        let phase = log();
        let (l, p) = (lock.clone(), phase.clone());
        let h = thread::spawn(move || {
            l.acquire().leak();
            p.push(());
            l.acquire().leak(); // blocks: not reentrant
            p.push(());
        });
        sleep_until(|| phase.len() >= 1);
        wait_threads_blocked(1);
        assert_eq!(phase.len(), 1);
        lock.release().unwrap();
        finish(vec![h]);
        assert_eq!(phase.len(), 2);
    });
}

#[test]
fn lock_different_thread() {
    check(|| {
        let lock = Arc::new(Lock::new());
        lock.acquire().leak();
        let l = lock.clone();
        finish(vec![thread::spawn(move || l.release().unwrap())]);
        drop(lock.acquire());
    });
}

#[test]
fn lock_state_after_timeout() {
    check(|| {
        let lock = Lock::new();
        let g = lock.acquire();
        assert!(lock.acquire_timeout(ms(10)).is_none());
        drop(g);
        assert!(!lock.locked());
        assert!(lock.try_acquire().is_some());
    });
}

#[test]
fn rlock_reacquire() {
    check(|| {
        let lock = RLock::new();
        let a = lock.acquire();
        let b = lock.acquire();
        drop(b);
        let c = lock.acquire();
        drop(c);
        drop(a);
        assert!(!lock.locked());
    });
}

#[test]
fn rlock_release_unacquired() {
    check(|| {
        let lock = RLock::new();
        assert_eq!(lock.release(), Err(ReleaseError::NotOwner));
        lock.acquire().leak();
        lock.acquire().leak();
        lock.release().unwrap();
        lock.acquire().leak();
        lock.release().unwrap();
        lock.release().unwrap();
        assert_eq!(lock.release(), Err(ReleaseError::NotOwner));
    });
}

#[test]
fn rlock_locked() {
    check(|| {
        let lock = RLock::new();
        assert!(!lock.locked());
        let a = lock.acquire();
        assert!(lock.locked());
        let b = lock.acquire();
        assert!(lock.locked());
        drop(b);
        assert!(lock.locked());
        drop(a);
        assert!(!lock.locked());
    });
}

#[test]
fn rlock_locked_with_2threads() {
    check(|| {
        let lock = Arc::new(RLock::new());
        assert!(!lock.locked());
        let l = lock.clone();
        let (before, after) = finish(vec![thread::spawn(move || {
            let before = l.locked();
            l.acquire().leak(); // the thread ends owning it
            (before, l.locked())
        })])[0];
        assert!(lock.locked());
        assert!(!before && after);
    });
}

#[test]
fn rlock_recursion_count() {
    check(|| {
        let lock = Arc::new(RLock::new());
        assert_eq!(lock.depth(), 0);
        let a = lock.acquire();
        assert_eq!(lock.depth(), 1);
        let b = (lock.acquire(), lock.acquire());
        assert_eq!(lock.depth(), 3);
        drop(b.1);
        assert_eq!(lock.depth(), 2);
        drop((a, b.0));
        assert_eq!(lock.depth(), 0);

        let phase = log();
        let (l, p) = (lock.clone(), phase.clone());
        let h = thread::spawn(move || {
            let g = l.acquire();
            p.push(());
            sleep_until(|| p.len() >= 2);
            drop(g);
            p.push(());
        });
        sleep_until(|| phase.len() >= 1);
        assert_eq!(lock.depth(), 0, "another thread's count is not ours");
        phase.push(());
        sleep_until(|| phase.len() >= 3);
        assert_eq!(lock.depth(), 0);
        finish(vec![h]);
    });
}

#[test]
fn rlock_different_thread() {
    check(|| {
        let lock = Arc::new(RLock::new());
        let (held, done) = (
            Arc::new(threadcheck::Event::new()),
            Arc::new(threadcheck::Event::new()),
        );
        let (l, h, d) = (lock.clone(), held.clone(), done.clone());
        let t = thread::spawn(move || {
            let _g = l.acquire();
            h.set();
            d.wait(); // Bunch(wait_before_exit=True)
        });
        held.wait();
        assert_eq!(lock.release(), Err(ReleaseError::NotOwner));
        done.set();
        finish(vec![t]);
    });
}

#[test]
fn rlock_is_owned() {
    check(|| {
        let lock = Arc::new(RLock::new());
        assert!(!lock.is_owned());
        let a = lock.acquire();
        assert!(lock.is_owned());
        let b = lock.acquire();
        assert!(lock.is_owned());
        let l = lock.clone();
        assert_eq!(finish(vec![thread::spawn(move || l.is_owned())]), [false]);
        drop(b);
        assert!(lock.is_owned());
        drop(a);
        assert!(!lock.is_owned());
    });
}
