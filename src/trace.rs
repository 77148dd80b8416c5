//! Event recording for readable counterexamples.
//!
//! In the model builds the primitives record what each thread does to each primitive
//! (blocks on, acquires, releases, ...) so the harness can name a deadlock's wait-for cycle.
//! In production every call here compiles to nothing.
//!
//! loom and shuttle run every model thread on the calling OS thread, so the log is a plain
//! `std::thread_local!`: invisible to the checkers (no scheduling point, no modelled state).
//! Executions are told apart without help from the runner, so that a plain `loom::model` or
//! `shuttle::check_*` gets a log too: every model thread registers on its first use of the
//! crate through a value in the checker's own thread-locals, which live for one execution
//! (`rt::thread::ModelThread`). The body's thread registering starts a new log; the last
//! registered thread finishing ends it. The log is copied aside at the first panic of an
//! execution ([`on_failure`], [`plain_failure`], called from the panic hook), because loom
//! and shuttle tear the failing execution down afterwards and teardown would add noise.

/// Identity of one primitive instance, as it appears in a counterexample ("Lock A").
#[derive(Debug)]
pub(crate) struct Obj {
    #[cfg_attr(not(threadcheck_model), allow(dead_code))]
    pub(crate) kind: &'static str,
    pub(crate) name: Option<&'static str>,
    /// Tells two unnamed primitives apart in a counterexample (model builds only).
    #[cfg(threadcheck_model)]
    pub(crate) id: usize,
    /// The lock-order checker's per-lock state (production; the model builds key theirs by `id`).
    #[cfg_attr(threadcheck_model, allow(dead_code))]
    pub(crate) order: crate::lock_order::Slot,
}

impl Obj {
    #[cfg(not(threadcheck_model))]
    pub(crate) const fn new(kind: &'static str, name: Option<&'static str>) -> Self {
        Obj {
            kind,
            name,
            order: crate::lock_order::Slot::new(),
        }
    }

    #[cfg(threadcheck_model)]
    pub(crate) fn new(kind: &'static str, name: Option<&'static str>) -> Self {
        Obj {
            kind,
            name,
            id: crate::rt::next_object_id(),
            order: crate::lock_order::Slot::new(),
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

/// A lock acquire at `at` with its trace: the lock-order check (which may panic with a report,
/// before any wait), a tentative wait (see `may_block`) and the wait-for check (which may
/// panic with a deadlock), `Blocks` when `lock` calls its argument (it is about to wait), then
/// `Acquired` or `TimedOut` as `lock` returns.
#[inline(always)]
pub(crate) fn acquire(
    obj: &Obj,
    at: &'static std::panic::Location<'static>,
    wait: crate::lock_order::Wait,
    lock: impl FnOnce(&dyn Fn()) -> bool,
) -> bool {
    crate::lock_order::before_acquire(obj, at);
    may_block(obj);
    crate::lock_order::waits(obj, wait);
    let acquired = lock(&|| event(obj, Event::Blocks));
    event(
        obj,
        if acquired {
            Event::Acquired
        } else {
            Event::TimedOut
        },
    );
    if acquired {
        crate::lock_order::acquired(obj, at);
    } else {
        crate::lock_order::gave_up(obj);
    }
    acquired
}

#[cfg(threadcheck_model)]
pub(crate) use model::*;

#[cfg(threadcheck_model)]
mod model {
    use super::{Event, Obj};
    use crate::report::Step;
    use std::cell::RefCell;

    /// Keep at most this many steps per execution (the oldest go first).
    const MAX_STEPS: usize = 4096;

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
        /// (backend thread id, display name), in order of registration; `main` first.
        pub(crate) threads: Vec<(usize, String)>,
        pub(crate) objects: Vec<ObjInfo>,
        pub(crate) steps: Vec<Step>,
        /// Steps dropped from the front to respect [`MAX_STEPS`].
        pub(crate) dropped: usize,
        /// Per thread: its last step was `Blocks` (it is waiting).
        waiting: Vec<bool>,
        /// (thread, object) of threads inside a [`may_block`] that recorded nothing since.
        pending: Vec<(usize, usize)>,
    }

    impl Log {
        fn thread_index(&self, tid: usize) -> Option<usize> {
            self.threads.iter().position(|t| t.0 == tid)
        }

        fn add_thread(&mut self, tid: usize, main: bool, name: Option<String>) -> usize {
            let name = match (main, name) {
                (true, _) => "main".to_owned(),
                (false, Some(n)) => n,
                (false, None) => format!("thread-{}", self.threads.len()),
            };
            self.threads.push((tid, name));
            self.waiting.push(false);
            self.threads.len() - 1
        }

        /// A copy for a report: a tentative wait still pending is a wait (that thread was
        /// blocked there).
        fn snapshot(&self) -> Log {
            let mut log = self.clone();
            for (thread, object) in std::mem::take(&mut log.pending) {
                log.steps.push(Step {
                    thread,
                    object,
                    event: Event::Blocks,
                });
                log.waiting[thread] = true;
            }
            log
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

    /// The execution the log is recording.
    struct Running {
        /// The body's own thread has registered.
        main: bool,
        /// Registered threads that have not finished.
        live: usize,
        /// A failure was seen: stop recording (teardown would only add noise).
        failed: bool,
    }

    #[derive(Default)]
    struct State {
        log: Log,
        /// `None` between executions. The log of one that ended with threads still waiting
        /// (shuttle reports a deadlock after tearing the execution down) is kept for the
        /// report: `kept`.
        running: Option<Running>,
        kept: bool,
        /// The failing execution's log, copied at the first failure of a check.
        failed: Option<Log>,
    }

    impl State {
        fn fresh(&mut self, main: bool) {
            self.log = Log::default();
            self.kept = false;
            self.running = Some(Running {
                main,
                live: 0,
                failed: false,
            });
            crate::rt::teardown::execution_begins();
            crate::lock_order::execution_begins();
        }

        /// The current execution's log at its failure (once), or a kept one.
        fn failure(&mut self) -> Option<Log> {
            match &mut self.running {
                Some(r) if !r.failed => r.failed = true,
                Some(_) => return None,
                None if self.kept => self.kept = false,
                None => return None,
            }
            Some(self.log.snapshot())
        }
    }

    thread_local! {
        // loom and shuttle run every model thread on the calling OS thread: one state each.
        static STATE: RefCell<State> = RefCell::new(State::default());
    }

    fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
        STATE.try_with(|s| f(&mut s.borrow_mut())).ok()
    }

    /// A model thread uses the crate for the first time in this execution (from the
    /// facade's per-thread value, see `rt::thread::ModelThread`). The body's own thread
    /// starts a new execution, unless threads it started by other means registered first;
    /// any thread starts one when none is running.
    pub(crate) fn thread_started(tid: usize, main: bool, name: Option<String>) {
        // A plain loom or shuttle run reports its failures through the hook too.
        crate::check::hook::install();
        with_state(|s| {
            match &mut s.running {
                Some(r) if main && !r.main => r.main = true,
                Some(_) if !main => {}
                _ => s.fresh(main),
            }
            if let Some(r) = &mut s.running {
                r.live += 1;
            }
            s.log.add_thread(tid, main, name);
        });
    }

    /// A registered model thread has finished, or its execution was dropped. When the last
    /// one goes, the execution is over.
    pub(crate) fn thread_finished(_tid: usize) {
        with_state(|s| {
            let Some(r) = &mut s.running else { return };
            r.live = r.live.saturating_sub(1);
            if r.live > 0 {
                return;
            }
            let failed = r.failed;
            s.running = None;
            s.kept = !failed && (s.log.waiting.iter().any(|&w| w) || !s.log.pending.is_empty());
            if !s.kept {
                s.log = Log::default();
            }
        });
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
            l.waiting[thread] = ev == Event::Blocks;
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

    /// Runs `f` on the running execution's log with the current thread's and `obj`'s
    /// indices, after cancelling the thread's tentative wait (it is doing something else
    /// now). Nothing between executions, after a failure, or out of a torn-down execution
    /// (asking the checker who we are would panic again inside a destructor).
    fn with_log(obj: &Obj, f: impl FnOnce(&mut Log, usize, usize)) {
        if crate::rt::teardown::torn_down() {
            return;
        }
        let tid = crate::rt::thread::current_id();
        with_state(|s| {
            if !s.running.as_ref().is_some_and(|r| !r.failed) {
                return;
            }
            let l = &mut s.log;
            let thread = match l.thread_index(tid) {
                Some(t) => t,
                None => l.add_thread(tid, false, crate::rt::thread::current_name()),
            };
            let object = l.object_index(obj);
            l.pending.retain(|p| p.0 != thread);
            f(l, thread, object);
        });
    }

    /// Called on the model's main thread as each execution of `threadcheck::model` starts:
    /// registers it, which starts a fresh log.
    pub(crate) fn begin_execution() {
        let _ = crate::rt::thread::current_id();
    }

    /// Makes sure the calling model thread is registered (a spawn registers its parent
    /// first, so the body's thread is known before its children).
    pub(crate) fn touch() {
        let _ = crate::rt::thread::current_id();
    }

    /// The name the current model thread has in the log.
    pub(crate) fn current_thread_name() -> Option<String> {
        let tid = crate::rt::thread::current_id();
        with_state(|s| s.log.thread_index(tid).map(|i| s.log.threads[i].1.clone()))
            .flatten()
            .or_else(crate::rt::thread::current_name)
    }

    /// At a failure outside a check (a plain `loom::model` or `shuttle::check_*`): the
    /// failing execution's log, once. Called from a panic hook: touches nothing but this
    /// crate's thread-locals.
    pub(crate) fn plain_failure() -> Option<Log> {
        with_state(State::failure).flatten()
    }

    /// At the first failure of a check: keeps the failing execution's log as the
    /// counterexample (first failure wins) and returns a copy. Called from a panic hook.
    pub(crate) fn on_failure() -> Option<Log> {
        with_state(|s| {
            if let Some(log) = s.failure() {
                s.failed.get_or_insert(log);
            }
            s.failed.clone()
        })
        .flatten()
    }

    /// Forgets any kept failure (a new check starts).
    pub(crate) fn clear_failure() {
        with_state(|s| s.failed = None);
    }

    /// The failing execution's log, if a failure was kept.
    pub(crate) fn take_failure() -> Option<Log> {
        with_state(|s| s.failed.take()).flatten()
    }
}

/// Production: nothing is recorded.
#[cfg(not(threadcheck_model))]
#[allow(dead_code)]
pub(crate) fn clear_failure() {}

/// Production: nothing to register.
#[cfg(not(threadcheck_model))]
#[inline(always)]
pub(crate) fn touch() {}

/// Production: the OS thread's name.
#[cfg(not(threadcheck_model))]
pub(crate) fn current_thread_name() -> Option<String> {
    std::thread::current().name().map(str::to_owned)
}

/// Production: there is no log.
#[cfg(not(threadcheck_model))]
pub(crate) enum Log {}
