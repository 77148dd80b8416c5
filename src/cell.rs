//! [`RaceCell`]: plain shared data without synchronization, that the checkers see.

use crate::rt::cell::RaceCell as Storage;
use std::fmt;

/// Plain data any thread may read and write with no synchronization of its own: the
/// tutorial's shared counter, the field a buggy program forgot to lock.
///
/// Every access is something the checker sees:
/// - **loom** checks each access against every other for a happens-before order (a lock, a
///   join, an atomic): two accesses from different threads with neither ordered before the
///   other, one a write, fail the execution as a data race ("Causality violation").
/// - **shuttle** checks no races, but every access is a switch point, so its schedulers
///   interleave the accesses themselves: a read and a write of one increment can be split
///   by another thread's, and the lost update shows as a wrong result.
/// - **production** (real threads): each access is atomic (a short lock), so the program
///   has no undefined behaviour; an [`update`](RaceCell::update) can still lose another
///   thread's, as on real hardware.
///
/// [`get`](RaceCell::get), [`set`](RaceCell::set) and [`update`](RaceCell::update) copy the
/// value in and out, so they are safe for any `Copy` type. For data that is not `Copy`,
/// [`with`](RaceCell::with) and [`with_mut`](RaceCell::with_mut) lend a reference, under a
/// contract the caller keeps (`unsafe`).
///
/// # Examples
/// The wrong-lock counter: each thread increments under its *own* lock, which excludes
/// nothing. Under loom this is a data race, under shuttle a lost update; on real threads it
/// usually passes.
/// ```
/// use threadcheck::{cell::RaceCell, thread, Lock};
/// use std::sync::Arc;
///
/// let counter = Arc::new(RaceCell::new(0u32));
/// let handles: Vec<_> = (0..2)
///     .map(|_| {
///         let counter = counter.clone();
///         thread::spawn(move || {
///             let mine = Lock::new(); // the bug: a lock no other thread takes
///             let _g = mine.acquire();
///             counter.update(|n| n + 1);
///         })
///     })
///     .collect();
/// for h in handles {
///     h.join().unwrap();
/// }
/// assert!(counter.get() <= 2);
/// ```
///
/// Checked, the lost update is found: see `tests/user_racy_cell.rs`, where shuttle's PCT
/// scheduler reaches `assert_eq!(counter.get(), 2)` failing within 100 executions.
pub struct RaceCell<T> {
    cell: Storage<T>,
}

// SAFETY: the safe methods copy `T` in and out in one step with no switch point, so no
// reference escapes; `with`/`with_mut` put the rest of the contract on their callers. In
// production every access is under the storage's own lock; in the model builds every model
// thread runs on one OS thread (rt/*_impl.rs).
unsafe impl<T: Send> Sync for RaceCell<T> {}

impl<T> RaceCell<T> {
    /// A cell holding `v`.
    pub fn new(v: T) -> Self {
        RaceCell {
            cell: Storage::new(v),
        }
    }

    /// Lends the value to `f` for reading (the form for data that is not `Copy`).
    ///
    /// # Safety
    /// No other thread may write the cell while `f` runs, and `f` must not lock, wait, spawn
    /// or touch an atomic (a point where the checker could run another thread) while it holds
    /// the reference. Under loom a concurrent write is reported as a data race.
    pub unsafe fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        // SAFETY: the caller's contract.
        unsafe { self.cell.with(f) }
    }

    /// Lends the value to `f` for writing (the form for data that is not `Copy`).
    ///
    /// # Safety
    /// No other thread may access the cell while `f` runs; otherwise as [`RaceCell::with`].
    ///
    /// ```
    /// use threadcheck::cell::RaceCell;
    /// let log = RaceCell::new(Vec::new());
    /// // SAFETY: one thread, and `push` is not a switch point.
    /// unsafe { log.with_mut(|v| v.push("started")) };
    /// assert_eq!(unsafe { log.with(|v| v.len()) }, 1);
    /// ```
    pub unsafe fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: the caller's contract.
        unsafe { self.cell.with_mut(f) }
    }
}

impl<T: Copy> RaceCell<T> {
    /// Reads the value: one access.
    ///
    /// ```
    /// let c = threadcheck::cell::RaceCell::new(7);
    /// assert_eq!(c.get(), 7);
    /// ```
    pub fn get(&self) -> T {
        self.cell.get()
    }

    /// Writes the value: one access.
    pub fn set(&self, v: T) {
        self.cell.set(v)
    }

    /// Reads the value, then writes `f` of it, and returns what it wrote: two accesses,
    /// not one atomic step — what `counter += 1` does on plain memory, so another thread can
    /// come between them.
    ///
    /// ```
    /// let c = threadcheck::cell::RaceCell::new(1);
    /// assert_eq!(c.update(|n| n + 1), 2);
    /// assert_eq!(c.get(), 2);
    /// ```
    pub fn update(&self, f: impl FnOnce(T) -> T) -> T {
        let new = f(self.get());
        self.set(new);
        new
    }
}

impl<T: Default> Default for RaceCell<T> {
    fn default() -> Self {
        RaceCell::new(T::default())
    }
}

impl<T> fmt::Debug for RaceCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Reading the value here would be an access of its own (a race, a switch point).
        f.debug_struct("RaceCell").finish_non_exhaustive()
    }
}
