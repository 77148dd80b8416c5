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
//! and a corpus of models ([`models`]) that the checkers explore: the tutorial's two-lock
//! deadlock is found every time, and the same program on one [`RLock`] is proven free of it.
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

// Lets the corpus (`models/`) be written as users write: `use threadcheck::...`.
extern crate self as threadcheck;

mod rt;

mod barrier;
pub mod cell;
pub mod check;
mod clock;
mod condition;
mod error;
mod event;
mod lock;
#[path = "../models/mod.rs"]
pub mod models;
pub mod report;
mod rlock;
mod semaphore;
pub mod sync;
pub mod thread;
mod timer;
mod trace;

pub use barrier::{Barrier, BarrierError};
pub use check::model;
pub use clock::{set_early_advances, sleep, Instant};
pub use condition::{Condition, ConditionGuard, ConditionLock};
pub use error::ReleaseError;
pub use event::Event;
pub use lock::{Lock, LockGuard};
pub use rlock::{RLock, RLockGuard};
pub use semaphore::{BoundedSemaphore, BoundedSemaphoreGuard, Semaphore, SemaphoreGuard};
pub use timer::Timer;

/// The backend this build runs on: `"production"`, `"loom"` or `"shuttle"`.
pub fn backend() -> &'static str {
    rt::BACKEND
}

mod queue;
pub use queue::{
    GetError, GetTimeoutError, LifoQueue, PriorityQueue, PutError, PutTimeoutError, Queue,
    TaskDoneError, TryGetError, TryPutError,
};
