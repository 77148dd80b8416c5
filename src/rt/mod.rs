//! The backend facade: the only module that names std/parking_lot, loom or shuttle.
//!
//! Every other file uses `crate::rt::{sync, cell, thread}` and compiles unchanged in all
//! three builds (tokio's `src/loom/` is the model). The surface is parking_lot-shaped:
//! no poisoning, `lock()` returns the guard, a condvar waits on `&mut guard`.
//!
//! | build      | flag                      | backend                                   |
//! |------------|---------------------------|-------------------------------------------|
//! | production | (none)                    | parking_lot `Mutex`/`Condvar`, std atomics |
//! | loom       | `RUSTFLAGS="--cfg loom"`  | `loom::sync`, `loom::thread`              |
//! | shuttle    | `--features shuttle`      | `shuttle::sync`, `shuttle::thread`        |

#[cfg(all(loom, feature = "shuttle"))]
compile_error!("threadcheck: `--cfg loom` and the `shuttle` feature are two different checkers; enable one at a time");

#[cfg(not(any(loom, feature = "shuttle")))]
mod std_impl;
#[cfg(not(any(loom, feature = "shuttle")))]
pub use std_impl::*;

#[cfg(any(loom, feature = "shuttle"))]
#[macro_use]
mod checker_common;

#[cfg(loom)]
mod loom_impl;
#[cfg(loom)]
pub use loom_impl::*;

#[cfg(all(feature = "shuttle", not(loom)))]
mod shuttle_impl;
#[cfg(all(feature = "shuttle", not(loom)))]
pub use shuttle_impl::*;

pub(crate) mod teardown;

// Spinning before a queue parks (see handoff.rs): production spins, the model builds don't.
pub(crate) mod handoff;
// The shapes under `Event` (see raw_event.rs).
pub(crate) mod raw_event;
// The waiter queue under `Condition` (see raw_condition.rs).
pub(crate) mod raw_condition;

// The lock shapes under `Lock` and `RLock` (see raw_lock.rs). The production word is also
// compiled in the loom build, on loom's atomics, for its fast-path models.
#[cfg(threadcheck_model)]
mod model_lock;
#[cfg(any(loom, not(feature = "shuttle")))]
mod parking;
pub(crate) mod raw_lock;
#[cfg(any(loom, not(feature = "shuttle")))]
mod word_lock;

/// The name of the build's backend, as printed in verdict tables.
pub(crate) const BACKEND: &str = BACKEND_NAME;

#[cfg(threadcheck_model)]
static NEXT_OBJECT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// A process-unique id for a primitive instance (unmodelled bookkeeping).
#[cfg(threadcheck_model)]
pub(crate) fn next_object_id() -> usize {
    NEXT_OBJECT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Unmodelled bookkeeping shared by every build (thread registry, `thread::Local`, the
/// excepthook): real locks and atomics, never a checker's. In the model builds every model
/// thread runs on the checker's one OS thread and switches only at modelled operations, so a
/// critical section with no modelled operation inside is never contended and is invisible to
/// the checker: no scheduling point, no synchronization added to the program under test.
#[allow(unused_imports)] // each build uses its part
pub(crate) mod bookkeeping {
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
    pub(crate) use std::sync::{Arc, OnceLock, Weak};
    pub(crate) type Mutex<T> = parking_lot::Mutex<T>;
    pub(crate) type RwLock<T> = parking_lot::RwLock<T>;
}

// Compile-time build selection for users' code and the corpus, without naming a checker's
// cfg: each macro expands to its items in its build and to nothing in the others.

/// Keeps the items only in the loom build (`RUSTFLAGS="--cfg loom"`).
///
/// ```
/// threadcheck::if_loom! {
///     fn only_under_loom() {}
/// }
/// ```
#[cfg(loom)]
#[macro_export]
macro_rules! if_loom { ($($item:item)*) => { $($item)* }; }
/// Keeps the items only in the loom build (`RUSTFLAGS="--cfg loom"`).
#[cfg(not(loom))]
#[macro_export]
macro_rules! if_loom {
    ($($item:item)*) => {};
}

/// Keeps the items only in the shuttle build (`--features shuttle`).
#[cfg(all(feature = "shuttle", not(loom)))]
#[macro_export]
macro_rules! if_shuttle { ($($item:item)*) => { $($item)* }; }
/// Keeps the items only in the shuttle build (`--features shuttle`).
#[cfg(not(all(feature = "shuttle", not(loom))))]
#[macro_export]
macro_rules! if_shuttle {
    ($($item:item)*) => {};
}

/// Keeps the items only in the model builds (loom or shuttle).
#[cfg(any(loom, feature = "shuttle"))]
#[macro_export]
macro_rules! if_model { ($($item:item)*) => { $($item)* }; }
/// Keeps the items only in the model builds (loom or shuttle).
#[cfg(not(any(loom, feature = "shuttle")))]
#[macro_export]
macro_rules! if_model {
    ($($item:item)*) => {};
}

/// Keeps the items only in the production build (neither loom nor shuttle).
#[cfg(not(any(loom, feature = "shuttle")))]
#[macro_export]
macro_rules! if_production { ($($item:item)*) => { $($item)* }; }
/// Keeps the items only in the production build (neither loom nor shuttle).
#[cfg(any(loom, feature = "shuttle"))]
#[macro_export]
macro_rules! if_production {
    ($($item:item)*) => {};
}
