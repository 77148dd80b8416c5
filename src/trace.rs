//! Event recording for readable counterexamples.
//!
//! In the model builds the primitives record what each thread does to each primitive
//! (blocks on, acquires, releases, ...) so the harness can name a deadlock's wait-for cycle.
//! In production every call here compiles to nothing.
//!
//! loom and shuttle run every model thread on the calling OS thread, so the log is a plain
//! `std::thread_local!`: invisible to the checkers (no scheduling point, no modelled state).
//! It is reset when each execution starts ([`begin_execution`]) and copied aside at the first
//! panic of a check ([`on_failure`], called from the harness's panic hook), because loom and
//! shuttle tear the failing execution down afterwards and teardown would add noise.

/// Identity of one primitive instance, as it appears in a counterexample ("Lock A").
#[derive(Debug)]
pub(crate) struct Obj {
    #[cfg_attr(not(threadcheck_model), allow(dead_code))]
    pub(crate) kind: &'static str,
    pub(crate) name: Option<&'static str>,
    /// Tells two unnamed primitives apart in a counterexample (model builds only).
    #[cfg(threadcheck_model)]
    pub(crate) id: usize,
}

impl Obj {
    #[cfg(not(threadcheck_model))]
    pub(crate) const fn new(kind: &'static str, name: Option<&'static str>) -> Self {
        Obj { kind, name }
    }

    #[cfg(threadcheck_model)]
    pub(crate) fn new(kind: &'static str, name: Option<&'static str>) -> Self {
        Obj {
            kind,
            name,
            id: crate::rt::next_object_id(),
        }
    }
}

pub(crate) use crate::report::Event;

/// Records `ev` on `obj` by the current thread. No-op in production builds.
#[cfg(not(threadcheck_model))]
#[inline(always)]
pub(crate) fn event(_obj: &Obj, _ev: Event) {}

/// The current thread is about to take `obj` and may block. No-op in production builds.
#[cfg(not(threadcheck_model))]
#[inline(always)]
pub(crate) fn may_block(_obj: &Obj) {}

/// A lock acquire with its trace: a tentative wait (see `may_block`), `Blocks` when `lock`
/// calls its argument (it is about to wait), then `Acquired` or `TimedOut` as `lock` returns.
#[inline(always)]
pub(crate) fn acquire(obj: &Obj, lock: impl FnOnce(&dyn Fn()) -> bool) -> bool {
    may_block(obj);
    let acquired = lock(&|| event(obj, Event::Blocks));
    event(
        obj,
        if acquired {
            Event::Acquired
        } else {
            Event::TimedOut
        },
    );
    acquired
}

#[cfg(threadcheck_model)]
pub(crate) use model::*;

#[cfg(threadcheck_model)]
mod model {
    use super::{Event, Obj};
    use std::cell::{Cell, RefCell};

    /// Keep at most this many steps per execution (the oldest go first).
    const MAX_STEPS: usize = 4096;

    use crate::report::Step;

    /// A primitive as seen in one execution.
    #[derive(Clone, Debug)]
    pub(crate) struct ObjInfo {
        pub(crate) id: usize,
        pub(crate) kind: &'static str,
        pub(crate) name: Option<&'static str>,
    }

    /// What one execution did, in the order it happened.
    #[derive(Clone, Debug, Default)]
    pub(crate) struct Log {
        /// (backend thread id, display name), in order of first appearance; `main` first.
        pub(crate) threads: Vec<(usize, String)>,
        pub(crate) objects: Vec<ObjInfo>,
        pub(crate) steps: Vec<Step>,
        /// Steps dropped from the front to respect [`MAX_STEPS`].
        pub(crate) dropped: usize,
        /// (thread, object) of threads inside a [`may_block`] that recorded nothing since.
        pending: Vec<(usize, usize)>,
    }

    impl Log {
        fn thread_index(&mut self, tid: usize) -> usize {
            if let Some(i) = self.threads.iter().position(|t| t.0 == tid) {
                return i;
            }
            let name = crate::rt::thread::current_name()
                .unwrap_or_else(|| format!("thread-{}", self.threads.len()));
            self.threads.push((tid, name));
            self.threads.len() - 1
        }

        fn object_index(&mut self, obj: &Obj) -> usize {
            if let Some(i) = self.objects.iter().position(|o| o.id == obj.id) {
                return i;
            }
            self.objects.push(ObjInfo {
                id: obj.id,
                kind: obj.kind,
                name: obj.name,
            });
            self.objects.len() - 1
        }
    }

    thread_local! {
        static LOG: RefCell<Log> = RefCell::new(Log::default());
        /// The failing execution's log, copied at the first panic of a check.
        static FAILED: RefCell<Option<Log>> = const { RefCell::new(None) };
        /// Recording is on between `begin_execution` and a failure.
        static ON: Cell<bool> = const { Cell::new(false) };
    }

    /// Records `ev` on `obj` by the current model thread.
    pub(crate) fn event(obj: &Obj, ev: Event) {
        with_log(obj, |l, thread, object| {
            if l.steps.len() >= MAX_STEPS {
                l.steps.drain(..MAX_STEPS / 2);
                l.dropped += MAX_STEPS / 2;
            }
            l.steps.push(Step {
                thread,
                object,
                event: ev,
            });
        });
    }

    /// The current thread is about to take `obj` and may block there. A checker's own lock
    /// blocks a thread without telling us, at a point we cannot hook (after the scheduling
    /// point, so a look at the lock before it can be stale). So the wait is tentative: the
    /// thread's next step cancels it, and a failure shows it as "waits for" if it is still
    /// pending — that thread was blocked there.
    pub(crate) fn may_block(obj: &Obj) {
        with_log(obj, |l, thread, object| l.pending.push((thread, object)));
    }

    /// Runs `f` on the log with the current thread's and `obj`'s indices, after cancelling
    /// the thread's tentative wait (it is doing something else now). Nothing while recording
    /// is off or the thread unwinds (teardown must not touch the checker's thread-locals: a
    /// second panic there aborts).
    fn with_log(obj: &Obj, f: impl FnOnce(&mut Log, usize, usize)) {
        if !ON.with(Cell::get) || std::thread::panicking() {
            return;
        }
        let tid = crate::rt::thread::current_id();
        LOG.with(|l| {
            let mut l = l.borrow_mut();
            let thread = l.thread_index(tid);
            let object = l.object_index(obj);
            l.pending.retain(|p| p.0 != thread);
            f(&mut l, thread, object);
        });
    }

    /// Starts a fresh log; called on the model's main thread as each execution starts.
    pub(crate) fn begin_execution() {
        let tid = crate::rt::thread::current_id();
        LOG.with(|l| {
            *l.borrow_mut() = Log {
                threads: vec![(tid, "main".to_owned())],
                ..Log::default()
            }
        });
        ON.with(|o| o.set(true));
    }

    /// Keeps the current execution's log as the counterexample (first failure wins) and
    /// returns a copy. Called from a panic hook: touches nothing but thread-locals of this
    /// crate.
    pub(crate) fn on_failure() -> Option<Log> {
        if !ON.with(Cell::get) {
            return None;
        }
        ON.with(|o| o.set(false));
        FAILED
            .try_with(|f| {
                let mut f = f.borrow_mut();
                if f.is_none() {
                    *f = LOG
                        .try_with(|l| {
                            let mut log = l.borrow().clone();
                            for (thread, object) in std::mem::take(&mut log.pending) {
                                log.steps.push(Step {
                                    thread,
                                    object,
                                    event: Event::Blocks,
                                });
                            }
                            log
                        })
                        .ok();
                }
                f.clone()
            })
            .ok()
            .flatten()
    }

    /// Forgets any kept failure (a new check starts).
    pub(crate) fn clear_failure() {
        FAILED.with(|f| *f.borrow_mut() = None);
        ON.with(|o| o.set(false));
    }

    /// The failing execution's log, if a failure was kept.
    pub(crate) fn take_failure() -> Option<Log> {
        ON.with(|o| o.set(false));
        FAILED.with(|f| f.borrow_mut().take())
    }
}

/// Production: nothing is recorded.
#[cfg(not(threadcheck_model))]
#[allow(dead_code)]
pub(crate) fn clear_failure() {}

/// Production: there is no log.
#[cfg(not(threadcheck_model))]
pub(crate) enum Log {}
