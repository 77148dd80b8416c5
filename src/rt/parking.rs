//! Where the production lock word parks a thread: `parking_lot_core` in production, and a
//! small parking lot of loom's own mutex and park/unpark in the loom build, so that the very
//! same lock-word code ([`super::word_lock`]) runs on loom's atomics in its fast-path models.
//!
//! The loom lot keeps `parking_lot_core`'s contract: `validate` runs under the lot's lock and
//! decides whether to park; `unpark_one`'s callback runs under that lock too, after the thread
//! left the queue and before it wakes; `timed_out` runs under it when a timed park gives up.
//! Time is not modelled: a timed park may give up at any point after it queued (the lock it
//! takes to give up is a scheduling point, so loom tries every place the timeout can fire).

#[cfg(not(loom))]
pub(crate) use production::*;
#[cfg(not(loom))]
mod production {
    use parking_lot_core::DEFAULT_PARK_TOKEN;
    pub(crate) use parking_lot_core::{ParkResult, SpinWait, UnparkResult, UnparkToken};

    /// The process-wide parking lot, keyed by the address of the word that parks.
    #[derive(Debug, Default)]
    pub(crate) struct Lot;

    impl Lot {
        pub(crate) const fn new() -> Self {
            Lot
        }

        /// Parks on `key` if `validate` says so, until unparked or `deadline`.
        ///
        /// The callbacks must not panic nor call into the parking lot (`parking_lot_core`'s
        /// rule); `key` must be the address of a word this crate owns.
        #[inline]
        pub(crate) fn park(
            &self,
            key: usize,
            validate: impl FnOnce() -> bool,
            timed_out: impl FnOnce(usize, bool),
            deadline: Option<crate::clock::Instant>,
        ) -> ParkResult {
            // SAFETY: the caller keeps the contract above, which is parking_lot_core's.
            unsafe {
                parking_lot_core::park(
                    key,
                    validate,
                    || {},
                    timed_out,
                    DEFAULT_PARK_TOKEN,
                    deadline,
                )
            }
        }

        /// Unparks one thread parked on `key`; `callback` decides the token it wakes with.
        #[inline]
        pub(crate) fn unpark_one(
            &self,
            key: usize,
            callback: impl FnOnce(UnparkResult) -> UnparkToken,
        ) -> UnparkResult {
            // SAFETY: as `park`.
            unsafe { parking_lot_core::unpark_one(key, callback) }
        }
    }
}

#[cfg(loom)]
pub(crate) use model::*;
#[cfg(loom)]
mod model {
    use loom::sync::Mutex;
    use loom::thread::Thread;
    use std::collections::VecDeque;

    /// What a parked thread was woken with.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(crate) struct UnparkToken(pub(crate) usize);

    /// How a park ended (`parking_lot_core::ParkResult`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(crate) enum ParkResult {
        Unparked(UnparkToken),
        Invalid,
        TimedOut,
    }

    /// What `unpark_one` did (the fields of `parking_lot_core::UnparkResult` the word reads).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct UnparkResult {
        pub(crate) unparked_threads: usize,
        pub(crate) have_more_threads: bool,
        pub(crate) be_fair: bool,
    }

    /// Spins once, then tells the caller to park: the spinning path (a fresh look at the
    /// word) is explored without multiplying the schedules by production's spin count. No
    /// `yield_now`: loom would not run a yielded thread again before another thread moved,
    /// which hides exactly the schedules where the spinner parks before the holder unlocks.
    #[derive(Debug, Default)]
    pub(crate) struct SpinWait {
        spun: bool,
    }

    impl SpinWait {
        pub(crate) fn new() -> Self {
            SpinWait::default()
        }
        pub(crate) fn reset(&mut self) {
            self.spun = false;
        }
        pub(crate) fn spin(&mut self) -> bool {
            if self.spun {
                return false;
            }
            self.spun = true;
            true
        }
    }

    #[derive(Debug, Default)]
    struct Queue {
        next_ticket: u64,
        parked: VecDeque<(u64, Thread)>,
        woken: Vec<(u64, UnparkToken)>,
    }

    /// One word's parking lot: its queue under a loom mutex (the bucket lock).
    #[derive(Debug)]
    pub(crate) struct Lot {
        queue: Mutex<Queue>,
        /// `be_fair` on every unpark (production: about once every 0.5 ms). A model picks.
        fair: bool,
    }

    impl Default for Lot {
        fn default() -> Self {
            Lot::new()
        }
    }

    impl Lot {
        pub(crate) fn new() -> Self {
            Lot::with_fairness(false)
        }

        pub(crate) fn with_fairness(fair: bool) -> Self {
            Lot {
                queue: Mutex::new(Queue::default()),
                fair,
            }
        }

        pub(crate) fn park(
            &self,
            key: usize,
            validate: impl FnOnce() -> bool,
            timed_out: impl FnOnce(usize, bool),
            deadline: Option<crate::clock::Instant>,
        ) -> ParkResult {
            let ticket = {
                let mut q = self.queue.lock().unwrap();
                if !validate() {
                    return ParkResult::Invalid;
                }
                let t = q.next_ticket;
                q.next_ticket += 1;
                q.parked.push_back((t, loom::thread::current()));
                t
            };
            if deadline.is_some() {
                let mut q = self.queue.lock().unwrap();
                if let Some(i) = q.parked.iter().position(|p| p.0 == ticket) {
                    q.parked.remove(i);
                    timed_out(key, q.parked.is_empty());
                    return ParkResult::TimedOut;
                }
            }
            loop {
                {
                    let mut q = self.queue.lock().unwrap();
                    if let Some(i) = q.woken.iter().position(|w| w.0 == ticket) {
                        return ParkResult::Unparked(q.woken.swap_remove(i).1);
                    }
                }
                loom::thread::park();
            }
        }

        pub(crate) fn unpark_one(
            &self,
            _key: usize,
            callback: impl FnOnce(UnparkResult) -> UnparkToken,
        ) -> UnparkResult {
            let mut q = self.queue.lock().unwrap();
            let woke = q.parked.pop_front();
            let result = UnparkResult {
                unparked_threads: usize::from(woke.is_some()),
                have_more_threads: !q.parked.is_empty(),
                be_fair: self.fair && woke.is_some(),
            };
            let token = callback(result);
            if let Some((ticket, thread)) = woke {
                q.woken.push((ticket, token));
                thread.unpark();
            }
            result
        }
    }
}
