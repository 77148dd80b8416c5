//! Per-thread values of one object: Python's `threading.local`.

use super::with_bound;
use crate::rt::bookkeeping::Mutex;
use std::collections::BTreeMap;
use std::fmt;

/// A value per thread, per object (Python's `threading.local()`): each thread that asks sees
/// its own value, created on its first access.
///
/// Unlike `thread_local!`, which declares one static per program, a `Local` is an ordinary
/// value: make as many as you need, keep them in structs, drop them. And it works under loom
/// and shuttle, whose model threads all run on one OS thread (so a `std::thread_local!` is
/// shared by all of them there): values are keyed by the threadcheck thread asking. Reading
/// or creating a value is unmodelled bookkeeping: no scheduling point, no synchronization
/// between threads, as on real threads.
///
/// Mutate through a `Cell` or `RefCell` inside, as with `thread_local!`.
///
/// # Differences from Python's `threading.local`
/// - A thread's value lives until the `Local` is dropped or [`clear`](Local::clear)ed, not
///   until the thread ends (a reference handed out by [`get_or`](Local::get_or) lives as long
///   as the `Local` borrow, so values cannot be freed from under it).
/// - The value is one `T`, not a namespace of attributes: use a struct.
///
/// # Examples
/// ```
/// use std::cell::Cell;
/// use std::sync::Arc;
/// use threadcheck::thread::{self, Local};
/// let calls = Arc::new(Local::<Cell<u32>>::new());
/// calls.get_or_default().set(10); // the main thread's value
/// let c = calls.clone();
/// let other = thread::spawn(move || {
///     let v = c.get_or_default(); // a fresh value for this thread
///     v.set(v.get() + 1);
///     v.get()
/// });
/// assert_eq!(other.join().unwrap(), 1);
/// assert_eq!(calls.get().unwrap().get(), 10);
/// ```
pub struct Local<T: Send> {
    /// (registry generation, ident) -> value. Boxed, so a value never moves while the map
    /// grows; only `&mut self` methods remove values.
    values: Mutex<BTreeMap<(u64, u64), Box<T>>>,
}

/// The calling thread's key: its identity in its program.
fn key() -> (u64, u64) {
    with_bound(|t, _| (t.0.generation, t.0.ident))
}

impl<T: Send> Local<T> {
    /// An empty `Local`: no thread has a value yet.
    pub const fn new() -> Self {
        Local {
            values: Mutex::new(BTreeMap::new()),
        }
    }

    /// The calling thread's value, if it has one.
    pub fn get(&self) -> Option<&T> {
        let key = key();
        let ptr: *const T = &**self.values.lock().get(&key)?;
        // SAFETY: the value is boxed (its address does not change when the map does) and is
        // removed only through `&mut self`, so it outlives this `&self` borrow. Only its own
        // thread gets a reference from the map, so `&T` is not shared unless `T: Sync` lets
        // that thread send it.
        Some(unsafe { &*ptr })
    }

    /// The calling thread's value, created with `init` on its first access.
    ///
    /// `init` runs without any lock held, so it may use this `Local` (for another thread's
    /// value, or its own: if `init` creates the value first, that one is kept and this one
    /// dropped).
    pub fn get_or(&self, init: impl FnOnce() -> T) -> &T {
        if let Some(v) = self.get() {
            return v;
        }
        // Outside the lock: `init` may block or switch threads (a modelled operation), and
        // the lock is invisible to the checkers, so holding it across one could deadlock the
        // checker's OS thread.
        let value = Box::new(init());
        let key = key();
        let ptr: *const T = &**self.values.lock().entry(key).or_insert(value);
        // SAFETY: as in `get`.
        unsafe { &*ptr }
    }

    /// The calling thread's value, created with `T::default()` on its first access.
    pub fn get_or_default(&self) -> &T
    where
        T: Default,
    {
        self.get_or(T::default)
    }

    /// Every thread's value, in the order the threads were started.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.values.get_mut().values_mut().map(|b| &mut **b)
    }

    /// Drops every thread's value.
    pub fn clear(&mut self) {
        self.values.get_mut().clear();
    }
}

impl<T: Send> Default for Local<T> {
    fn default() -> Self {
        Local::new()
    }
}

impl<T: Send> IntoIterator for Local<T> {
    type Item = T;
    type IntoIter = std::iter::Map<
        std::collections::btree_map::IntoValues<(u64, u64), Box<T>>,
        fn(Box<T>) -> T,
    >;
    /// Every thread's value, in the order the threads were started.
    fn into_iter(self) -> Self::IntoIter {
        self.values.into_inner().into_values().map(|b| *b)
    }
}

impl<T: Send + fmt::Debug> fmt::Debug for Local<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Local")
            .field("value", &self.get())
            .finish_non_exhaustive()
    }
}
