//! [`RaceCell`]: shared memory without synchronization, for models.

use crate::rt::cell::UnsafeCell;

/// A cell any thread may touch, with no synchronization of its own: the "shared counter"
/// of the tutorial. Under loom, two accesses not ordered by a happens-before edge (a lock, a
/// join, ...) are reported as a data race; under shuttle and on real threads nothing checks.
///
/// # Examples
/// ```
/// use threadcheck::{cell::RaceCell, Lock};
/// let lock = Lock::new();
/// let counter = RaceCell::new(0u64);
/// {
///     let _g = lock.acquire();
///     // SAFETY: every access to `counter` happens with `lock` held.
///     unsafe { counter.set(counter.get() + 1) };
/// }
/// assert_eq!(unsafe { counter.get() }, 1);
/// ```
#[derive(Debug, Default)]
pub struct RaceCell<T> {
    cell: UnsafeCell<T>,
}

// SAFETY: access is only through the `unsafe` methods, whose contract excludes concurrent
// access; under loom the contract is checked.
unsafe impl<T: Send> Sync for RaceCell<T> {}

impl<T: Copy> RaceCell<T> {
    /// A cell holding `v`.
    pub fn new(v: T) -> Self {
        RaceCell {
            cell: UnsafeCell::new(v),
        }
    }

    /// Reads the value.
    ///
    /// # Safety
    /// No other thread may write the cell concurrently (hold a lock, or join first).
    pub unsafe fn get(&self) -> T {
        self.cell.with(|p| unsafe { *p })
    }

    /// Writes the value.
    ///
    /// # Safety
    /// No other thread may access the cell concurrently.
    pub unsafe fn set(&self, v: T) {
        self.cell.with_mut(|p| unsafe { *p = v })
    }
}
