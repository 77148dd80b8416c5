//! The raw lock shapes under `Lock` and `RLock`: one small interface, a production shape that
//! is fast and a model shape that is cheap for the checkers (shared/DESIGN.md, "Model shapes
//! and production shapes"). `src/lock.rs` and `src/rlock.rs` are written once on top.
//!
//! | shape | production | loom | shuttle |
//! |---|---|---|---|
//! | [`RawLock`]: no owner, any thread unlocks (Python's `Lock`) | [`WordLock`]: one byte, one CAS to lock and one to unlock, parking_lot's algorithm on `parking_lot_core` | [`ModelLock`]: loom's `Mutex` held from lock to unlock | [`ModelLock`]: a one-permit semaphore |
//! | [`RawRLock`]: owner id + level count over a `RawLock` (Python's `RLock`) | [`Reentrant`] over `WordLock` | [`Reentrant`] over `ModelLock` | same |
//!
//! The production word is also built on loom's atomics and checked by the fast-path models
//! in `tests/fastpath.rs` (through [`fastpath`], loom build only).
//!
//! [`WordLock`]: super::word_lock::WordLock
//! [`ModelLock`]: super::model_lock::ModelLock

use super::cell::UnsafeCell;
use crate::clock::Instant;

/// What `Lock` needs from a raw lock. Callbacks feed the model builds' event trace (free in
/// production, where the trace is compiled out).
pub(crate) trait RawLockApi: Default + Send + Sync {
    /// Locks, waiting at most until `deadline` (`None`: forever); false if it passed first.
    /// `blocking` runs once, when the caller is about to wait.
    fn lock_until(&self, deadline: Option<Instant>, blocking: impl FnOnce()) -> bool;
    /// Locks if free, without waiting.
    fn try_lock(&self) -> bool;
    /// Unlocks, for a caller that believes it holds the lock (a guard); false if the lock
    /// was not locked after all (released behind the guard's back). `on_release` runs just
    /// before the lock is free.
    fn unlock(&self, on_release: impl FnOnce()) -> bool;
    /// Unlocks from any thread (Python's `release()`); false, changing nothing, if it was not
    /// locked. In the model builds this is a scheduling point on the lock, `unlock` is not.
    fn release(&self, on_release: impl FnOnce()) -> bool;
    /// Whether some thread holds the lock.
    fn is_locked(&self) -> bool;
}

/// This build's raw `Lock`.
#[cfg(not(threadcheck_model))]
pub(crate) type RawLock = super::word_lock::WordLock;
/// This build's raw `Lock`.
#[cfg(threadcheck_model)]
pub(crate) type RawLock = super::model_lock::ModelLock;

/// This build's raw `RLock`. The owner word is a plain (unmodelled) atomic in every build: in
/// production that is the real thing, and in the model builds it is free for the checkers
/// (its only question, "is it me?", has one answer whatever the interleaving, see
/// [`Reentrant`]). The fast-path models check it on loom's atomics instead.
pub(crate) type RawRLock = Reentrant<RawLock, std::sync::atomic::AtomicUsize>;

/// Where [`Reentrant`] keeps its owner's thread id.
pub(crate) trait OwnerWord: Send + Sync {
    fn new(id: usize) -> Self;
    fn get(&self) -> usize;
    fn set(&self, id: usize);
}

macro_rules! owner_word {
    ($t:ty) => {
        impl OwnerWord for $t {
            fn new(id: usize) -> Self {
                <$t>::new(id)
            }
            #[inline]
            fn get(&self) -> usize {
                self.load(std::sync::atomic::Ordering::Relaxed)
            }
            #[inline]
            fn set(&self, id: usize) {
                self.store(id, std::sync::atomic::Ordering::Relaxed)
            }
        }
    };
}
owner_word!(std::sync::atomic::AtomicUsize);
#[cfg(loom)]
owner_word!(loom::sync::atomic::AtomicUsize);

/// A reentrant lock: a [`RawLockApi`] lock plus its owner's id and level count, as
/// parking_lot's `ReentrantMutex`. The owner word is read by every acquirer but written only
/// by the owner, with `Relaxed`: a thread compares it with its own id only, and the only
/// thread that can have stored that id is itself (it clears it before unlocking), so no
/// interleaving changes the answer. The count is touched by the owner alone.
#[derive(Debug)]
pub(crate) struct Reentrant<L, O> {
    lock: L,
    owner: O,
    count: UnsafeCell<usize>,
}

// SAFETY: `count` is only touched by the thread whose id is in `owner`, which holds `lock`;
// ownership passes through `lock`'s unlock/lock, which order the accesses.
unsafe impl<L: Send, O: Send> Send for Reentrant<L, O> {}
// SAFETY: as above.
unsafe impl<L: Sync, O: Sync> Sync for Reentrant<L, O> {}

impl<L: RawLockApi, O: OwnerWord> Default for Reentrant<L, O> {
    fn default() -> Self {
        Reentrant {
            lock: L::default(),
            owner: O::new(0),
            count: UnsafeCell::new(0),
        }
    }
}

/// The calling thread's id for the owner word: nonzero, never reused in the process.
/// Production: a const-initialized thread-local read in one load (parking_lot reads the
/// address of one; ids here are never reused, so a thread that exits holding an `RLock` cannot
/// pass its ownership to a later thread). Model builds: the checker's thread id (all model
/// threads share one OS thread).
#[cfg(not(loom))]
#[cfg(not(feature = "shuttle"))]
#[inline]
pub(crate) fn me() -> usize {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    std::thread_local!(static ME: Cell<usize> = const { Cell::new(0) });
    ME.with(|me| match me.get() {
        0 => {
            let id = NEXT.fetch_add(1, Ordering::Relaxed);
            me.set(id);
            id
        }
        id => id,
    })
}
/// The calling thread's id for the owner word (the checker's thread id).
#[cfg(any(loom, feature = "shuttle"))]
pub(crate) fn me() -> usize {
    super::thread::current_id()
}

impl<L: RawLockApi, O: OwnerWord> Reentrant<L, O> {
    /// Counts one more level if thread `me` ([`me()`]) owns the lock. Not a scheduling point.
    #[inline]
    pub(crate) fn reenter(&self, me: usize) -> bool {
        if self.owner.get() != me {
            return false;
        }
        // SAFETY: we own the lock (see the type's docs).
        self.count.with_mut(|c| unsafe { *c += 1 });
        true
    }

    /// First-level lock (the caller checked [`Self::reenter`]), as [`RawLockApi::lock_until`].
    #[inline]
    pub(crate) fn lock_until(
        &self,
        me: usize,
        deadline: Option<Instant>,
        blocking: impl FnOnce(),
    ) -> bool {
        let ok = self.lock.lock_until(deadline, blocking);
        if ok {
            self.enter(me);
        }
        ok
    }

    /// First-level lock if free (the caller checked [`Self::reenter`]).
    #[inline]
    pub(crate) fn try_lock(&self, me: usize) -> bool {
        let ok = self.lock.try_lock();
        if ok {
            self.enter(me);
        }
        ok
    }

    #[inline]
    fn enter(&self, me: usize) {
        self.owner.set(me);
        // SAFETY: we own the lock now.
        self.count.with_mut(|c| unsafe { *c = 1 });
    }

    /// Releases one level; false if the calling thread does not own the lock. `on_release`
    /// runs before the last level lets the lock go.
    #[inline]
    pub(crate) fn unlock(&self, on_release: impl FnOnce()) -> bool {
        if self.owner.get() != me() {
            return false;
        }
        // SAFETY: we own the lock.
        let left = self.count.with_mut(|c| unsafe {
            *c -= 1;
            *c
        });
        if left == 0 {
            self.owner.set(0);
            let unlocked = self.lock.unlock(on_release);
            debug_assert!(unlocked, "an RLock's owner found its lock unlocked");
        }
        true
    }

    /// Levels the calling thread holds (0 if it is not the owner). Not a scheduling point.
    pub(crate) fn depth(&self) -> usize {
        if self.owner.get() != me() {
            return 0;
        }
        // SAFETY: we own the lock.
        self.count.with(|c| unsafe { *c })
    }

    /// Whether some thread holds the lock.
    pub(crate) fn is_locked(&self) -> bool {
        self.depth() > 0 || self.lock.is_locked()
    }
}

/// The production lock word and reentrant layer on loom's atomics, for the fast-path models
/// in `tests/fastpath.rs`. Not API: loom build only, hidden, may change at any time.
#[cfg(loom)]
pub mod fastpath {
    use super::{RawLockApi, Reentrant};
    use crate::rt::word_lock::WordLock as Word;

    /// The production `Lock` word (`src/rt/word_lock.rs`) on loom's atomics.
    #[derive(Debug)]
    pub struct WordLock(Word);

    impl WordLock {
        /// A free lock; `fair` makes every wake a handoff (production: about once per 0.5 ms).
        pub fn new(fair: bool) -> Self {
            WordLock(Word::with_fairness(fair))
        }
        /// Blocks until locked.
        pub fn lock(&self) {
            assert!(self.0.lock_until(None, || {}));
        }
        /// A timed lock whose timeout may fire at any point once it has parked.
        pub fn lock_or_time_out(&self) -> bool {
            self.0.lock_until(Some(crate::clock::now()), || {})
        }
        /// Locks if free.
        pub fn try_lock(&self) -> bool {
            self.0.try_lock()
        }
        /// Unlocks from any thread; false if it was not locked.
        pub fn unlock(&self) -> bool {
            self.0.release(|| {})
        }
        /// Whether it is locked.
        pub fn is_locked(&self) -> bool {
            self.0.is_locked()
        }
        /// A deliberately broken unlock that clears the word and wakes nobody: the models
        /// must catch the lost wakeup it causes.
        pub fn unlock_forgetting_waiters(&self) {
            self.0.clear_without_waking()
        }
    }

    /// The production `RLock` layer over the word, owner word on loom's atomics too.
    #[derive(Debug)]
    pub struct ReentrantWord(Reentrant<Word, loom::sync::atomic::AtomicUsize>);

    impl Default for ReentrantWord {
        fn default() -> Self {
            ReentrantWord::new()
        }
    }

    impl ReentrantWord {
        /// A free reentrant lock.
        pub fn new() -> Self {
            ReentrantWord(Reentrant::default())
        }
        /// Blocks until the calling thread owns it (at once if it already does).
        pub fn lock(&self) {
            let me = super::me();
            if !self.0.reenter(me) {
                assert!(self.0.lock_until(me, None, || {}));
            }
        }
        /// Locks if free or already ours.
        pub fn try_lock(&self) -> bool {
            let me = super::me();
            self.0.reenter(me) || self.0.try_lock(me)
        }
        /// Releases one level; false if the calling thread is not the owner.
        pub fn unlock(&self) -> bool {
            self.0.unlock(|| {})
        }
        /// Levels held by the calling thread.
        pub fn depth(&self) -> usize {
            self.0.depth()
        }
    }
}
