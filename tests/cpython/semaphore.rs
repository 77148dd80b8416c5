//! `lock_tests.py`: BaseSemaphoreTests (for `Semaphore` and `BoundedSemaphore`),
//! SemaphoreTests, BoundedSemaphoreTests; and `release(0)` from `threading.py`.

use super::*;
use std::sync::Arc;
use threadcheck::{BoundedSemaphore, ReleaseError, Semaphore};

/// What BaseSemaphoreTests needs: Python's unguarded style.
trait PySem: std::fmt::Debug + Send + Sync + 'static {
    fn with_value(v: usize) -> Self;
    fn acquire(&self);
    fn try_acquire(&self) -> bool;
    fn acquire_timeout(&self, d: Duration) -> bool;
    fn release(&self, n: usize) -> Result<(), ReleaseError>;
}

macro_rules! py_sem {
    ($S:ty) => {
        impl PySem for $S {
            fn with_value(v: usize) -> Self {
                <$S>::new(v)
            }
            fn acquire(&self) {
                <$S>::acquire(self).forget()
            }
            fn try_acquire(&self) -> bool {
                <$S>::try_acquire(self).map(|g| g.forget()).is_some()
            }
            fn acquire_timeout(&self, d: Duration) -> bool {
                <$S>::acquire_timeout(self, d).map(|g| g.forget()).is_some()
            }
            fn release(&self, n: usize) -> Result<(), ReleaseError> {
                <$S>::release(self, n)
            }
        }
    };
}
py_sem!(Semaphore);
py_sem!(BoundedSemaphore);

fn acquire<S: PySem>() {
    let sem = S::with_value(1);
    sem.acquire();
    sem.release(1).unwrap();
    let sem = S::with_value(2);
    sem.acquire();
    sem.acquire();
    sem.release(1).unwrap();
    sem.release(1).unwrap();
}

fn acquire_destroy<S: PySem>() {
    let sem = S::with_value(1);
    sem.acquire();
    drop(sem);
}

/// Python's `test_acquire_contended` (one `release()` at a time) and `test_multirelease`
/// (`release(n)`): `n` threads take two permits each from `Semaphore(value)` with one taken,
/// in phases; each phase lets exactly the released number through.
fn phases<S: PySem>(multi: bool) {
    let value = size(7, 2);
    let n = size(10, 2);
    let sem = Arc::new(S::with_value(value));
    sem.acquire();
    let phase = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let results = log();
    let (s, p, r) = (sem.clone(), phase.clone(), results.clone());
    let hs = bunch(n, move || {
        for _ in 0..2 {
            s.acquire();
            r.push(p.load(std::sync::atomic::Ordering::SeqCst));
        }
    });
    let release = |k: usize| {
        if multi {
            sem.release(k).unwrap();
        } else {
            (0..k).for_each(|_| sem.release(1).unwrap());
        }
    };
    let count1 = value - 1;
    sleep_until(|| results.len() >= count1);
    wait_threads_blocked(n);
    assert_eq!(results.get(), vec![0; count1], "phase 0");
    let mut want = vec![0; count1];
    for (p, count) in [(1, value), (2, value - 1)] {
        phase.store(p, std::sync::atomic::Ordering::SeqCst);
        // Bounded: every permit given back here was taken, so none exceeds the bound.
        release(count);
        want.extend(vec![p; count]);
        sleep_until(|| results.len() >= want.len());
        wait_threads_blocked(n);
        let mut got = results.get();
        got.sort();
        assert_eq!(got, want, "phase {p}");
    }
    // The semaphore is still locked.
    assert!(!sem.try_acquire());
    // Final releases, to let the last threads finish.
    let rest = 2 * n - want.len();
    if rest > 0 {
        release(rest);
    }
    finish(hs);
}

fn acquire_contended<S: PySem>() {
    phases::<S>(false)
}

fn multirelease<S: PySem>() {
    phases::<S>(true)
}

fn try_acquire<S: PySem>() {
    let sem = S::with_value(2);
    assert!(sem.try_acquire());
    assert!(sem.try_acquire());
    assert!(!sem.try_acquire());
    sem.release(1).unwrap();
    assert!(sem.try_acquire());
}

fn try_acquire_contended<S: PySem>() {
    let sem = Arc::new(S::with_value(size(4, 2)));
    sem.acquire();
    let results = log();
    let (s, r) = (sem.clone(), results.clone());
    let n = size(5, 2);
    finish(bunch(n, move || {
        r.push(s.try_acquire());
        r.push(s.try_acquire());
    }));
    let mut got = results.get();
    got.sort();
    let got_true = size(3, 1);
    let mut want = vec![false; 2 * n - got_true];
    want.extend(vec![true; got_true]);
    assert_eq!(got, want);
}

fn acquire_timeout<S: PySem>() {
    let sem = S::with_value(2);
    assert!(sem.acquire_timeout(ms(5)));
    assert!(sem.acquire_timeout(ms(5)));
    assert!(!sem.acquire_timeout(ms(5)));
    sem.release(1).unwrap();
    assert!(sem.acquire_timeout(ms(5)));
    let t0 = threadcheck::Instant::now();
    assert!(!sem.acquire_timeout(ms(500)));
    assert!(since(t0) >= ms(500));
}

/// Python's default value is 1; here the value is always given (`new(1)`).
fn default_value<S: PySem>() {
    let sem = Arc::new(S::with_value(1));
    sem.acquire();
    let finished = log();
    let (s, f) = (sem.clone(), finished.clone());
    let hs = bunch(1, move || {
        s.acquire();
        s.release(1).unwrap();
        f.push(());
    });
    wait_threads_blocked(1);
    assert_eq!(finished.len(), 0);
    sem.release(1).unwrap();
    finish(hs);
}

fn release_zero<S: PySem>() {
    let sem = S::with_value(1);
    assert_eq!(sem.release(0), Err(ReleaseError::ZeroPermits));
    sem.acquire();
    assert_eq!(sem.release(0), Err(ReleaseError::ZeroPermits));
    assert!(!sem.try_acquire(), "a refused release(0) added a permit");
}

macro_rules! base_semaphore_tests {
    ($($prefix:ident: $S:ty),*; $cases:tt) => {$(
        base_semaphore_tests!(@one $prefix, $S, $cases);
    )*};
    (@one $prefix:ident, $S:ty, [$($case:ident),*]) => {
        mod $prefix {
            use super::*;
            $(
                #[test]
                fn $case() {
                    check(super::$case::<$S>);
                }
            )*

            /// `with sem:` is a guard; the permit comes back when it drops, panic or not.
            #[test]
            fn with() {
                check(|| {
                    let sem = <$S>::new(2);
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let _a = sem.acquire();
                        assert!(sem.try_acquire().is_some()); // acquired and released
                        let _b = sem.acquire();
                        assert!(sem.try_acquire().is_none());
                        panic!("TypeError");
                    }));
                    assert!(r.is_err());
                    assert!(sem.try_acquire().is_some());
                    assert_eq!(sem.value(), 2);
                });
            }
        }
    };
}

base_semaphore_tests!(semaphore_base: Semaphore, bounded_semaphore_base: BoundedSemaphore; [
    acquire,
    acquire_destroy,
    acquire_contended,
    multirelease,
    try_acquire,
    try_acquire_contended,
    acquire_timeout,
    default_value,
    release_zero
]);

#[test]
fn semaphore_release_unacquired() {
    check(|| {
        // Unbounded releases are allowed and increment the value.
        let sem = Semaphore::new(1);
        sem.release(1).unwrap();
        sem.acquire().forget();
        sem.acquire().forget();
        sem.release(1).unwrap();
        assert_eq!(sem.value(), 1);
    });
}

#[test]
fn semaphore_repr() {
    check(|| {
        let sem = Semaphore::new(3);
        assert!(format!("{sem:?}").contains("value: 3"), "{sem:?}");
        sem.acquire().forget();
        assert!(format!("{sem:?}").contains("value: 2"), "{sem:?}");
        sem.release(2).unwrap();
        assert!(format!("{sem:?}").contains("value: 4"), "{sem:?}");
    });
}

#[test]
fn bounded_semaphore_release_unacquired() {
    check(|| {
        // Cannot go past the initial value.
        let sem = BoundedSemaphore::new(1);
        assert_eq!(sem.release(1), Err(ReleaseError::TooManyReleases));
        sem.acquire().forget();
        sem.release(1).unwrap();
        assert_eq!(sem.release(1), Err(ReleaseError::TooManyReleases));
    });
}

#[test]
fn bounded_semaphore_repr() {
    check(|| {
        let sem = BoundedSemaphore::new(3);
        assert!(format!("{sem:?}").contains("value: 3, bound: 3"), "{sem:?}");
        sem.acquire().forget();
        assert!(format!("{sem:?}").contains("value: 2, bound: 3"), "{sem:?}");
    });
}
