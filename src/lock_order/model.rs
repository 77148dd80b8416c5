//! The model builds' side: per execution, each model thread's held locks, the lock-order
//! graph, and who waits (with no deadline) for which lock — so that a wait-for cycle is
//! reported the moment it forms, while other threads can still run or time out (loom and
//! shuttle report a deadlock only when *every* thread is blocked).
//!
//! Plain memory on the checker's one OS thread (loom and shuttle run every model thread on
//! it and switch only at modelled operations): no scheduling point, nothing the checkers see.

use super::graph::{Graph, Id, Site};
use super::Wait;
use crate::trace::Obj;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::Location;

/// Nothing per lock in the model builds: the execution's state is keyed by the trace's id.
#[derive(Debug, Default)]
pub(crate) struct Slot;

impl Slot {
    pub(crate) fn new() -> Slot {
        Slot
    }
}

struct Held {
    id: Id,
    at: &'static Location<'static>,
    /// A `Lock` or `RLock` held by its guard: only its holder releases it, so a holder that
    /// waits forever keeps it held forever.
    owned: bool,
}

#[derive(Default)]
struct Exec {
    graph: Graph,
    /// Per model thread (the checker's id): what it holds, oldest first.
    held: HashMap<usize, Vec<Held>>,
    /// Model threads in an acquire with no deadline, and the lock they wait for.
    waiting: HashMap<usize, Id>,
    /// Thread names, for reports.
    names: HashMap<usize, String>,
}

thread_local! {
    static RUN: Cell<Option<bool>> = const { Cell::new(None) };
    static EXEC: RefCell<Exec> = RefCell::new(Exec::default());
}

pub(crate) fn run_setting() -> Option<bool> {
    RUN.try_with(Cell::get).ok().flatten()
}

pub(crate) fn set_run_setting(on: Option<bool>) -> Option<bool> {
    RUN.with(|r| r.replace(on))
}

/// A new execution starts on this OS thread (from the event trace): a fresh graph.
pub(crate) fn execution_begins() {
    let _ = EXEC.try_with(|e| *e.borrow_mut() = Exec::default());
}

fn with_exec<R>(f: impl FnOnce(&mut Exec) -> R) -> Option<R> {
    if crate::rt::teardown::torn_down() {
        return None;
    }
    EXEC.try_with(|e| e.try_borrow_mut().ok().map(|mut e| f(&mut e)))
        .ok()
        .flatten()
}

fn is_lock(obj: &Obj) -> bool {
    matches!(obj.kind, "Lock" | "RLock")
}

fn me() -> usize {
    crate::rt::thread::current_id()
}

pub(crate) fn before_acquire(obj: &Obj, at: &'static Location<'static>) {
    if !super::enabled() {
        return;
    }
    let tid = me();
    let id = obj.id as Id;
    let report = with_exec(|x| {
        let name = x
            .names
            .entry(tid)
            .or_insert_with(super::thread_name)
            .clone();
        x.graph.name(id, || super::lock_name(obj, id));
        let held = x.held.get(&tid).map(Vec::as_slice).unwrap_or(&[]);
        let mut ids: Vec<Id> = held.iter().map(|h| h.id).collect();
        ids.sort_unstable();
        ids.dedup();
        x.graph.add(id, &ids, |outer| Site {
            thread: name.clone(),
            outer_at: held
                .iter()
                .find(|h| h.id == outer)
                .map(|h| h.at)
                .unwrap_or(at),
            inner_at: at,
        })
    })
    .flatten();
    if let Some(report) = report {
        panic!("{report}");
    }
}

pub(crate) fn waits(obj: &Obj, wait: Wait) {
    if wait != Wait::Forever || !is_lock(obj) {
        return;
    }
    let tid = me();
    let id = obj.id as Id;
    let deadlock = with_exec(|x| {
        x.names.entry(tid).or_insert_with(super::thread_name);
        x.waiting.insert(tid, id);
        x.wait_cycle(tid, id)
    })
    .flatten();
    if let Some(report) = deadlock {
        panic!("{report}");
    }
}

impl Exec {
    /// The thread that holds lock `id` through its guard, if one does.
    fn owner(&self, id: Id) -> Option<usize> {
        self.held
            .iter()
            .find(|(_, hs)| hs.iter().any(|h| h.id == id && h.owned))
            .map(|(&t, _)| t)
    }

    /// Thread `tid` now waits forever for `id`: follow holder → what it waits for; back at
    /// `tid`, that is a deadlock, whatever the other threads do.
    fn wait_cycle(&self, tid: usize, id: Id) -> Option<String> {
        let mut threads = vec![tid];
        let mut lock = id;
        loop {
            let holder = self.owner(lock)?;
            if holder == tid {
                break;
            }
            if threads.contains(&holder) {
                return None; // a cycle without us: reported when it formed
            }
            threads.push(holder);
            lock = *self.waiting.get(&holder)?;
        }
        let names: Vec<String> = threads
            .iter()
            .map(|t| {
                self.names
                    .get(t)
                    .cloned()
                    .unwrap_or_else(|| format!("thread {t}"))
            })
            .collect();
        Some(if threads.len() == 1 {
            format!(
                "deadlock (wait-for cycle): {} waits for a lock it holds itself",
                names[0]
            )
        } else {
            format!(
                "deadlock (wait-for cycle): {} each wait for a lock the next one holds \
                 (reported as the cycle formed, while other threads may still run)",
                names.join(", ")
            )
        })
    }
}

pub(crate) fn acquired(obj: &Obj, at: &'static Location<'static>) {
    let tid = me();
    let id = obj.id as Id;
    let owned = is_lock(obj);
    with_exec(|x| {
        x.waiting.remove(&tid);
        x.names.entry(tid).or_insert_with(super::thread_name);
        x.held.entry(tid).or_default().push(Held { id, at, owned });
    });
}

pub(crate) fn gave_up(_obj: &Obj) {
    let tid = me();
    with_exec(|x| x.waiting.remove(&tid));
}

/// Removes one holding of `obj`: the caller's own, or (a `Lock` released by another thread)
/// its holder's.
pub(crate) fn released(obj: &Obj) {
    let tid = me();
    let id = obj.id as Id;
    with_exec(|x| {
        let mine = x
            .held
            .get(&tid)
            .is_some_and(|hs| hs.iter().any(|h| h.id == id));
        let holder = if mine {
            Some(tid)
        } else {
            x.held
                .iter()
                .find(|(_, hs)| hs.iter().any(|h| h.id == id))
                .map(|(&t, _)| t)
        };
        if let Some(hs) = holder.and_then(|t| x.held.get_mut(&t)) {
            if let Some(i) = hs.iter().rposition(|h| h.id == id) {
                hs.remove(i);
            }
        }
    });
}

pub(crate) fn leaked(obj: &Obj) {
    let tid = me();
    let id = obj.id as Id;
    with_exec(|x| {
        if let Some(h) = x
            .held
            .get_mut(&tid)
            .and_then(|hs| hs.iter_mut().rev().find(|h| h.id == id))
        {
            h.owned = false;
        }
    });
}
