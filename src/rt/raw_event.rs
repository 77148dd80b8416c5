//! The raw shapes under `Event`: one small interface, a production shape whose `set` and
//! `is_set` are one atomic operation when nobody waits, and a model shape that is one mutex
//! round trip per call (a single scheduling point under loom, no relaxed atomics for loom to
//! enumerate). `src/event.rs` is written once on top.
//!
//! | shape | production | loom | shuttle |
//! |---|---|---|---|
//! | [`RawEventApi`] | [`FlagEvent`]: a flag word beside a mutex, a generation count and a condvar | [`ModelEvent`]: flag and generation under the facade's mutex | [`ModelEvent`] |
//!
//! Both keep Python's guarantee (gh-57711): a waiter woken by `set()` returns true even if
//! `clear()` runs before it is scheduled. A waiter remembers the generation it blocked in,
//! and every `set()` that finds waiters bumps it.
//!
//! The loom build also compiles [`FlagEvent`] on loom's atomics for the fast-path models in
//! `tests/fastpath_event.rs`.

use super::sync::Mutex;
use crate::clock::{Condvar, Instant};

/// What `Event` needs from its raw shape. The callbacks feed the model builds' event trace
/// (free in production, where the trace is compiled out).
pub(crate) trait RawEventApi: Send + Sync {
    fn new() -> Self;
    /// Whether the flag is set.
    fn is_set(&self) -> bool;
    /// Sets the flag and wakes every waiter. `on_set` runs once the flag is set;
    /// `on_notified` after it, if there were waiters to wake.
    fn set(&self, on_set: impl FnOnce(), on_notified: impl FnOnce());
    /// Clears the flag; `on_clear` runs once it is clear.
    fn clear(&self, on_clear: impl FnOnce());
    /// Waits until the flag is set or a `set()` wakes the caller (true), or `deadline` passes
    /// (false). `on_block` runs when the caller is about to wait, `on_done(woken)` when a
    /// wait that blocked ends; neither runs if the flag was set at once.
    fn wait_until(
        &self,
        deadline: Option<Instant>,
        on_block: impl FnOnce(),
        on_done: impl FnOnce(bool),
    ) -> bool;
}

/// This build's raw `Event`.
#[cfg(not(threadcheck_model))]
pub(crate) type RawEvent = FlagEvent<std::sync::atomic::AtomicUsize>;
/// This build's raw `Event`.
#[cfg(threadcheck_model)]
pub(crate) type RawEvent = ModelEvent;

/// The model shape: Python's own design, a flag under a lock, waiters on a condition.
#[cfg(threadcheck_model)]
pub(crate) struct ModelEvent {
    state: Mutex<ModelState>,
    cv: Condvar,
}

#[cfg(threadcheck_model)]
struct ModelState {
    flag: bool,
    /// Bumped by every `set()`: a waiter that sees it move was woken by a set.
    generation: u64,
}

#[cfg(threadcheck_model)]
impl RawEventApi for ModelEvent {
    fn new() -> Self {
        ModelEvent {
            state: Mutex::new(ModelState {
                flag: false,
                generation: 0,
            }),
            cv: Condvar::new(),
        }
    }

    fn is_set(&self) -> bool {
        self.state.lock().flag
    }

    fn set(&self, on_set: impl FnOnce(), on_notified: impl FnOnce()) {
        let mut g = self.state.lock();
        g.flag = true;
        g.generation = g.generation.wrapping_add(1);
        on_set();
        if self.cv.notify_all(&g) > 0 {
            on_notified();
        }
    }

    fn clear(&self, on_clear: impl FnOnce()) {
        let mut g = self.state.lock();
        g.flag = false;
        on_clear();
    }

    fn wait_until(
        &self,
        deadline: Option<Instant>,
        on_block: impl FnOnce(),
        on_done: impl FnOnce(bool),
    ) -> bool {
        let mut g = self.state.lock();
        if g.flag {
            return true;
        }
        let blocked_in = g.generation;
        on_block();
        loop {
            let timed_out = self.cv.wait_until(&mut g, deadline);
            // A set since we blocked wakes us for good, even if the flag is clear again.
            if g.flag || g.generation != blocked_in {
                on_done(true);
                return true;
            }
            if timed_out {
                on_done(false);
                return false;
            }
        }
    }
}

/// The flag is set.
#[cfg(any(loom, not(feature = "shuttle")))]
const SET: usize = 0b01;
/// Some thread waits (or is about to): a `set()` must take the mutex and notify. Set and
/// cleared only under the mutex, so it is exactly "the waiter count is nonzero" there.
#[cfg(any(loom, not(feature = "shuttle")))]
const WAITERS: usize = 0b10;

/// The word [`FlagEvent`] keeps its bits in: std's atomic in production, loom's in the
/// fast-path models.
#[cfg(any(loom, not(feature = "shuttle")))]
pub(crate) trait FlagWord: Send + Sync {
    fn new() -> Self;
    fn load(&self) -> usize;
    /// Sets `bits` (release, so a reader that sees them sees what came before); the old word.
    fn or(&self, bits: usize) -> usize;
    /// Clears `bits` (release).
    fn and_not(&self, bits: usize);
    /// Compare-exchange, acquire on both outcomes.
    fn cas(&self, old: usize, new: usize) -> Result<usize, usize>;
}

#[cfg(any(loom, not(feature = "shuttle")))]
macro_rules! flag_word {
    ($t:ty) => {
        impl FlagWord for $t {
            fn new() -> Self {
                <$t>::new(0)
            }
            #[inline]
            fn load(&self) -> usize {
                <$t>::load(self, std::sync::atomic::Ordering::Acquire)
            }
            #[inline]
            fn or(&self, bits: usize) -> usize {
                self.fetch_or(bits, std::sync::atomic::Ordering::AcqRel)
            }
            #[inline]
            fn and_not(&self, bits: usize) {
                self.fetch_and(!bits, std::sync::atomic::Ordering::Release);
            }
            #[inline]
            fn cas(&self, old: usize, new: usize) -> Result<usize, usize> {
                self.compare_exchange(
                    old,
                    new,
                    std::sync::atomic::Ordering::AcqRel,
                    std::sync::atomic::Ordering::Acquire,
                )
            }
        }
    };
}
#[cfg(any(loom, not(feature = "shuttle")))]
flag_word!(std::sync::atomic::AtomicUsize);
#[cfg(loom)]
flag_word!(loom::sync::atomic::AtomicUsize);

/// The production shape: the flag in a word beside the mutex, so `is_set` is one load and a
/// `set` with nobody waiting is one read-modify-write (measured: 18.5 ns for the mutex round
/// trip, against the 10 ns goal).
///
/// | WAITERS | SET | meaning |
/// |---|---|---|
/// | 0 | 0 | clear, nobody waits |
/// | 0 | 1 | set |
/// | 1 | 0 | clear, threads wait on the condvar (or are about to, holding the mutex) |
/// | 1 | 1 | set by a `set()` that is taking the mutex to wake them |
///
/// A waiter registers (sets WAITERS) with a compare-exchange that fails if SET appeared, so
/// a `set()` either comes first (the waiter sees SET and returns) or sees WAITERS and takes
/// the mutex, which the waiter holds from registering until the condvar releases it: the
/// notify cannot slip in between.
#[cfg(any(loom, not(feature = "shuttle")))]
pub(crate) struct FlagEvent<W> {
    word: W,
    state: Mutex<FlagState>,
    cv: Condvar,
}

#[cfg(any(loom, not(feature = "shuttle")))]
struct FlagState {
    /// Bumped by every `set()` that found waiters.
    generation: u64,
    /// Threads between registering and leaving (WAITERS is set iff this is nonzero).
    waiters: usize,
}

#[cfg(any(loom, not(feature = "shuttle")))]
impl<W: FlagWord> FlagEvent<W> {
    #[cold]
    fn wake_waiters(&self, on_notified: impl FnOnce()) {
        let mut g = self.state.lock();
        g.generation = g.generation.wrapping_add(1);
        if self.cv.notify_all(&g) > 0 {
            on_notified();
        }
    }

    #[cold]
    fn wait_slow(
        &self,
        deadline: Option<Instant>,
        on_block: impl FnOnce(),
        on_done: impl FnOnce(bool),
    ) -> bool {
        let mut g = self.state.lock();
        let mut s = self.word.load();
        loop {
            if s & SET != 0 {
                return true;
            }
            match self.word.cas(s, s | WAITERS) {
                Ok(_) => break,
                Err(now) => s = now,
            }
        }
        g.waiters += 1;
        let blocked_in = g.generation;
        on_block();
        let woken = loop {
            let timed_out = self.cv.wait_until(&mut g, deadline);
            // A set since we blocked wakes us for good, even if the flag is clear again.
            if g.generation != blocked_in || self.word.load() & SET != 0 {
                break true;
            }
            if timed_out {
                break false;
            }
        };
        g.waiters -= 1;
        if g.waiters == 0 {
            self.word.and_not(WAITERS);
        }
        on_done(woken);
        woken
    }
}

#[cfg(any(loom, not(feature = "shuttle")))]
impl<W: FlagWord> RawEventApi for FlagEvent<W> {
    fn new() -> Self {
        FlagEvent {
            word: W::new(),
            state: Mutex::new(FlagState {
                generation: 0,
                waiters: 0,
            }),
            cv: Condvar::new(),
        }
    }

    #[inline]
    fn is_set(&self) -> bool {
        self.word.load() & SET != 0
    }

    #[inline]
    fn set(&self, on_set: impl FnOnce(), on_notified: impl FnOnce()) {
        let old = self.word.or(SET);
        on_set();
        if old & WAITERS != 0 {
            self.wake_waiters(on_notified);
        }
    }

    #[inline]
    fn clear(&self, on_clear: impl FnOnce()) {
        self.word.and_not(SET);
        on_clear();
    }

    #[inline]
    fn wait_until(
        &self,
        deadline: Option<Instant>,
        on_block: impl FnOnce(),
        on_done: impl FnOnce(bool),
    ) -> bool {
        if self.is_set() {
            return true;
        }
        self.wait_slow(deadline, on_block, on_done)
    }
}

/// The production `Event` shape on loom's atomics, for `tests/fastpath_event.rs`. Not API:
/// loom build only, hidden, may change at any time.
#[cfg(loom)]
pub mod fastpath {
    use super::RawEventApi;

    /// The production `Event` (flag word, mutex, generation, condvar) on loom's atomics.
    pub struct FlagEvent(super::FlagEvent<loom::sync::atomic::AtomicUsize>);

    impl Default for FlagEvent {
        fn default() -> Self {
            FlagEvent::new()
        }
    }

    impl FlagEvent {
        /// A clear event.
        pub fn new() -> Self {
            FlagEvent(RawEventApi::new())
        }
        /// Whether the flag is set.
        pub fn is_set(&self) -> bool {
            self.0.is_set()
        }
        /// Sets the flag and wakes every waiter.
        pub fn set(&self) {
            self.0.set(|| {}, || {})
        }
        /// Clears the flag.
        pub fn clear(&self) {
            self.0.clear(|| {})
        }
        /// Waits until set (or woken by a set); always true.
        pub fn wait(&self) -> bool {
            self.0.wait_until(None, || {}, |_| {})
        }
        /// Whether a waiter has registered and not yet left.
        pub fn has_waiters(&self) -> bool {
            super::FlagWord::load(&self.0.word) & super::WAITERS != 0
        }
        /// A deliberately broken set that never looks for waiters: the models must catch
        /// the lost wakeup it causes.
        pub fn set_forgetting_waiters(&self) {
            super::FlagWord::or(&self.0.word, super::SET);
        }
    }
}
