//! # threadcheck
//!
//! Python's `threading` primitives — `Lock`, `RLock`, `Semaphore`, `BoundedSemaphore`,
//! `Event`, `Timer`, `Condition`, `Barrier` and the `queue` module's queues — written once
//! against a small facade so the same source runs in three builds:
//!
//! | build      | command                                        | backend                  |
//! |------------|------------------------------------------------|--------------------------|
//! | production | `cargo test`                                   | parking_lot, std, real time |
//! | loom       | `RUSTFLAGS="--cfg loom" cargo test --release`  | loom, model time         |
//! | shuttle    | `cargo test --release --features shuttle`      | shuttle, model time      |
//!
//! Check your own program with [`model()`] (or [`model::Builder`] for settings): under loom
//! every interleaving, under shuttle PCT, random or DFS schedules, on a model clock, with a
//! readable counterexample when an execution fails. The corpus of models the crate ships with
//! lives in the `threadcheck-corpus` package beside it.
//!
//! ```
//! use threadcheck::{thread, Lock};
//! use std::sync::Arc;
//! let a = Arc::new(Lock::named("A"));
//! let a2 = a.clone();
//! thread::spawn(move || drop(a2.acquire())).join().unwrap();
//! assert!(!a.locked());
//! ```

#![warn(missing_docs)]

#[macro_use]
mod rt;

mod barrier;
pub mod cell;
mod check;
mod clock;
mod condition;
mod error;
mod event;
mod lock;
pub mod lock_order;
pub mod model;
pub mod report;
mod rlock;
mod semaphore;
pub mod sync;
pub mod thread;
mod timer;
mod trace;

pub use barrier::{Barrier, BarrierError};
pub use clock::{set_early_advances, sleep, Instant};
pub use condition::{Condition, ConditionGuard, ConditionLock};
pub use error::ReleaseError;
pub use event::Event;
pub use lock::{Lock, LockGuard};
pub use model::model;
pub use rlock::{RLock, RLockGuard};
pub use semaphore::{BoundedSemaphore, BoundedSemaphoreGuard, Semaphore, SemaphoreGuard};
pub use timer::{Timer, TimerError};

/// The backend this build runs on: `"production"`, `"loom"` or `"shuttle"` (see also the
/// [`if_loom!`], [`if_shuttle!`], [`if_model!`] and [`if_production!`] macros).
pub fn backend() -> &'static str {
    rt::BACKEND
}

/// The production lock word on loom's atomics, for `tests/fastpath.rs`. Not API.
#[cfg(loom)]
#[doc(hidden)]
pub use rt::raw_lock::fastpath as __fastpath;
/// The production `Event`, `Condition` waiter queue and `Queue` core on loom's atomics, for
/// `tests/fastpath_{event,condition,queue}.rs`. Not API.
#[cfg(loom)]
#[doc(hidden)]
pub mod __fastpath_more {
    pub use crate::queue::fastpath::SpinQueue;
    pub use crate::rt::raw_condition::fastpath::WaitQueue;
    pub use crate::rt::raw_event::fastpath::FlagEvent;
}

mod queue;
pub use queue::{
    GetError, GetTimeoutError, LifoQueue, PriorityQueue, PutError, PutTimeoutError, Queue,
    TaskDoneError, TryGetError, TryPutError,
};
