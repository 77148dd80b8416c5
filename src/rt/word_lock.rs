//! The production lock word: parking_lot's `raw_mutex.rs` algorithm (one byte, a locked bit
//! and a parked bit, threads parked in `parking_lot_core`), changed in one place for Python's
//! `Lock`: an unlock may come from any thread and must tell whether the lock was held, so
//! every unlock clears the locked bit with a compare-exchange that fails if it is clear —
//! two racing releases of a lock acquired once cannot both succeed.
//!
//! Production builds `Lock` and `RLock` on it. The loom build compiles the same code on
//! loom's atomics and a loom parking lot ([`super::parking`]) for the fast-path models in
//! `tests/fastpath.rs`: parking_lot is not model-checked; this word is.

use super::parking::{Lot, ParkResult, SpinWait, UnparkResult, UnparkToken};
use super::raw_lock::RawLockApi;
use super::sync::atomic::{AtomicU8, Ordering};
use crate::clock::Instant;

/// Held by one thread (or by nobody in particular: any thread may unlock it).
const LOCKED: u8 = 0b01;
/// Some thread is parked, or about to park, waiting for the lock.
const PARKED: u8 = 0b10;

const TOKEN_NORMAL: UnparkToken = UnparkToken(0);
/// The unlocker kept the lock locked and handed it to the thread it woke (fairness).
const TOKEN_HANDOFF: UnparkToken = UnparkToken(1);

/// A one-byte lock any thread may unlock.
///
/// | PARKED | LOCKED | meaning |
/// |---|---|---|
/// | 0 | 0 | free, nobody waiting |
/// | 0 | 1 | held, nobody waiting |
/// | 1 | 0 | free; a parked thread is being woken, or a parking thread will fail validation |
/// | 1 | 1 | held, threads parked (the bit is cleared only under the parking lot's lock) |
#[derive(Debug)]
pub(crate) struct WordLock {
    state: AtomicU8,
    lot: Lot,
}

impl Default for WordLock {
    fn default() -> Self {
        WordLock {
            state: AtomicU8::new(0),
            lot: Lot::new(),
        }
    }
}

impl WordLock {
    /// The loom lot hands the lock off on every wake when `fair` (production decides by time).
    #[cfg(loom)]
    pub(crate) fn with_fairness(fair: bool) -> Self {
        WordLock {
            state: AtomicU8::new(0),
            lot: Lot::with_fairness(fair),
        }
    }

    /// The lost-wakeup bug the fast-path models must catch: clear the word, wake nobody.
    #[cfg(loom)]
    pub(crate) fn clear_without_waking(&self) {
        self.state.store(0, Ordering::Release);
    }

    fn key(&self) -> usize {
        self as *const Self as usize
    }

    /// Sets the locked bit if the word is still `s` (which has it clear); else the new word.
    #[inline]
    fn set_locked(&self, s: u8) -> Result<(), u8> {
        self.state
            .compare_exchange_weak(s, s | LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .map(drop)
    }

    #[cold]
    fn lock_slow(&self, deadline: Option<Instant>, blocking: impl FnOnce()) -> bool {
        let mut blocking = Some(blocking);
        let mut spin = SpinWait::new();
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            // Take it when free, even if others are parked (barging: throughput over order).
            if s & LOCKED == 0 {
                match self.set_locked(s) {
                    Ok(()) => return true,
                    Err(x) => s = x,
                }
                continue;
            }
            // Nobody parked yet: the holder may be about to unlock, so spin a little.
            if s & PARKED == 0 && spin.spin() {
                s = self.state.load(Ordering::Relaxed);
                continue;
            }
            if s & PARKED == 0 {
                if let Err(x) = self.state.compare_exchange_weak(
                    s,
                    s | PARKED,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                ) {
                    s = x;
                    continue;
                }
            }
            if let Some(b) = blocking.take() {
                b();
            }
            let validate = || self.state.load(Ordering::Relaxed) == LOCKED | PARKED;
            let timed_out = |_, was_last| {
                if was_last {
                    self.state.fetch_and(!PARKED, Ordering::Relaxed);
                }
            };
            match self.lot.park(self.key(), validate, timed_out, deadline) {
                ParkResult::Unparked(TOKEN_HANDOFF) => return true,
                ParkResult::Unparked(_) | ParkResult::Invalid => {}
                ParkResult::TimedOut => return false,
            }
            spin.reset();
            s = self.state.load(Ordering::Relaxed);
        }
    }

    #[cold]
    fn unlock_slow(&self, mut s: u8) -> bool {
        loop {
            if s & LOCKED == 0 {
                return false;
            }
            if s & PARKED != 0 {
                break;
            }
            match self
                .state
                .compare_exchange_weak(s, 0, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => return true,
                Err(x) => s = x,
            }
        }
        // Parked threads: wake one, under the lot's lock. The locked bit is still cleared by
        // compare-exchange there, because another release may have cleared it meanwhile
        // (then the woken thread just tries again).
        let mut released = false;
        let callback = |r: UnparkResult| {
            let mut s = self.state.load(Ordering::Relaxed);
            loop {
                if s & LOCKED == 0 {
                    return TOKEN_NORMAL;
                }
                let handoff = r.unparked_threads != 0 && r.be_fair;
                let parked = if r.have_more_threads { PARKED } else { 0 };
                let new = if handoff { LOCKED | parked } else { parked };
                match self
                    .state
                    .compare_exchange(s, new, Ordering::Release, Ordering::Relaxed)
                {
                    Ok(_) => {
                        released = true;
                        return if handoff { TOKEN_HANDOFF } else { TOKEN_NORMAL };
                    }
                    Err(x) => s = x,
                }
            }
        };
        self.lot.unpark_one(self.key(), callback);
        released
    }
}

impl RawLockApi for WordLock {
    /// Locks, waiting at most until `deadline`; false if it passed. `blocking` runs once
    /// before the first park.
    #[inline]
    fn lock_until(&self, deadline: Option<Instant>, blocking: impl FnOnce()) -> bool {
        if self
            .state
            .compare_exchange_weak(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            return true;
        }
        self.lock_slow(deadline, blocking)
    }

    #[inline]
    fn try_lock(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & LOCKED != 0 {
                return false;
            }
            match self.set_locked(s) {
                Ok(()) => return true,
                Err(x) => s = x,
            }
        }
    }

    /// Any thread may unlock: the compare-exchange fails, changing nothing, if it was not
    /// locked. (In production nothing is traced, so `on_release` may run after the fact.)
    #[inline]
    fn unlock(&self, on_release: impl FnOnce()) -> bool {
        let released =
            match self
                .state
                .compare_exchange(LOCKED, 0, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => true,
                Err(s) => self.unlock_slow(s),
            };
        if released {
            on_release();
        }
        released
    }

    #[inline]
    fn release(&self, on_release: impl FnOnce()) -> bool {
        self.unlock(on_release)
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) & LOCKED != 0
    }
}
