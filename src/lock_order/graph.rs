//! The "acquired while holding" graph: one node per lock instance, an edge `outer → inner`
//! the first time some thread takes `inner` while holding `outer`, and a cycle check at each
//! new edge (Linux lockdep, FreeBSD witness, Guava's `CycleDetectingLockFactory`).
//!
//! Each edge also keeps its *gates*: the locks held at every acquisition that made it (the
//! intersection over all of them). A cycle whose edges were all taken under one common lock
//! G cannot deadlock — G lets one thread at a time into any of its edges — so it is not
//! reported (the "gate lock" that makes lockdep cry wolf). Gates only shrink, and an edge
//! whose gates shrink is checked again.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::panic::Location;

/// A lock instance, unique in the process (production) or the execution (model builds).
pub(crate) type Id = u64;

/// Where an edge was made: the thread, where it took the outer lock, where the inner.
#[derive(Clone, Debug)]
pub(crate) struct Site {
    pub(crate) thread: String,
    pub(crate) outer_at: &'static Location<'static>,
    pub(crate) inner_at: &'static Location<'static>,
}

#[derive(Debug)]
struct Edge {
    to: Id,
    /// Sorted; the locks held at every acquisition that made this edge.
    gates: Vec<Id>,
    /// The first acquisition that made it.
    site: Site,
}

/// The graph. Nodes are named when first seen.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    names: HashMap<Id, String>,
    out: HashMap<Id, Vec<Edge>>,
}

/// Explored (node, gates) states per cycle search, at most: a bound on the search in a huge
/// graph (a cycle beyond it goes unreported, never a false one).
const SEARCH_BUDGET: usize = 100_000;

impl Graph {
    /// Names `id` for reports, the first time it is seen.
    pub(crate) fn name(&mut self, id: Id, name: impl FnOnce() -> String) {
        self.names.entry(id).or_insert_with(name);
    }

    /// Forgets a lock that no longer exists (its id is never reused).
    #[allow(dead_code)] // production only
    pub(crate) fn remove(&mut self, id: Id) {
        self.names.remove(&id);
        self.out.remove(&id);
        for edges in self.out.values_mut() {
            edges.retain(|e| e.to != id);
        }
    }

    /// Records that `inner` was taken while holding `held` (sorted, every held lock), for
    /// each `outer` in `held`, with the site `site(outer)`. Returns the report of the first
    /// cycle a new or narrowed edge closes, if any.
    pub(crate) fn add(
        &mut self,
        inner: Id,
        held: &[Id],
        mut site: impl FnMut(Id) -> Site,
    ) -> Option<String> {
        let mut report = None;
        for &outer in held {
            if outer == inner {
                continue; // a Lock released by another thread may be waited for by its holder
            }
            let edges = self.out.entry(outer).or_default();
            let changed = match edges.iter_mut().find(|e| e.to == inner) {
                Some(e) => {
                    let before = e.gates.len();
                    e.gates.retain(|g| held.binary_search(g).is_ok());
                    e.gates.len() != before
                }
                None => {
                    edges.push(Edge {
                        to: inner,
                        gates: held.to_vec(),
                        site: site(outer),
                    });
                    true
                }
            };
            if changed && report.is_none() {
                report = self.cycle_through(outer, inner).map(|c| self.describe(&c));
            }
        }
        report
    }

    fn edge(&self, from: Id, to: Id) -> &Edge {
        self.out[&from]
            .iter()
            .find(|e| e.to == to)
            .expect("an edge on a found path")
    }

    /// A path `inner ⇝ outer` that, with the edge `outer → inner`, makes a cycle with no lock
    /// common to every edge's gates: the cycle's nodes, starting at `outer`.
    fn cycle_through(&self, outer: Id, inner: Id) -> Option<Vec<Id>> {
        let start_gates = self.edge(outer, inner).gates.clone();
        // Depth-first over (node, gates in common so far); a node reached with no common gate
        // needs no second visit.
        let mut done: HashSet<Id> = HashSet::new();
        let mut budget = SEARCH_BUDGET;
        let mut path = vec![outer, inner];
        let mut stack: Vec<(Vec<Id>, usize)> = vec![(start_gates, 0)];
        while let Some((gates, next)) = stack.last_mut() {
            let node = *path.last().expect("path holds the stack's nodes");
            let edges = self.out.get(&node).map(Vec::as_slice).unwrap_or(&[]);
            if *next >= edges.len() || budget == 0 {
                stack.pop();
                path.pop();
                continue;
            }
            let e = &edges[*next];
            *next += 1;
            budget -= 1;
            let common: Vec<Id> = gates
                .iter()
                .copied()
                .filter(|g| e.gates.binary_search(g).is_ok())
                .collect();
            if e.to == outer {
                if common.is_empty() {
                    return Some(path);
                }
                continue;
            }
            if path.contains(&e.to) || done.contains(&e.to) {
                continue;
            }
            if common.is_empty() {
                done.insert(e.to);
            }
            path.push(e.to);
            stack.push((common, 0));
        }
        None
    }

    fn label(&self, id: Id) -> &str {
        self.names.get(&id).map(String::as_str).unwrap_or("a lock")
    }

    /// The report of cycle `c` (`c[0] → c[1] → ... → c[0]`, the edge `c[0] → c[1]` the one
    /// just made).
    fn describe(&self, c: &[Id]) -> String {
        let closing = (c[0], c[1]);
        // Start at the lock that was created first (A before B).
        let m = (0..c.len()).min_by_key(|&i| c[i]).unwrap_or(0);
        let mut c = c.to_vec();
        c.rotate_left(m);
        let mut out = String::from("potential deadlock (lock order): ");
        for &n in &c {
            let _ = write!(out, "{} → ", self.label(n));
        }
        let _ = writeln!(out, "{}", self.label(c[0]));
        for i in 0..c.len() {
            let (from, to) = (c[i], c[(i + 1) % c.len()]);
            let s = &self.edge(from, to).site;
            let _ = writeln!(
                out,
                "  {} took {} at {} while holding {} (taken at {}){}",
                s.thread,
                self.label(to),
                s.inner_at,
                self.label(from),
                s.outer_at,
                if (from, to) == closing {
                    "  <- this acquisition"
                } else {
                    ""
                }
            );
        }
        out.push_str(
            "  no thread waits yet, but threads running these orders at once each hold one lock \
             and wait for the next, forever\n  \
             (if the order is inverted on purpose — always under one outer lock, or never at \
             the same time — turn the check off for this run: Builder::lock_order(false), \
             THREADCHECK_LOCK_ORDER=0, or `lock_order: false` in a corpus model)\n",
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(t: &str) -> Site {
        Site {
            thread: t.into(),
            outer_at: Location::caller(),
            inner_at: Location::caller(),
        }
    }

    fn graph() -> Graph {
        let mut g = Graph::default();
        for (id, n) in [(1, "Lock A"), (2, "Lock B"), (3, "Lock C"), (9, "Lock G")] {
            g.name(id, || n.into());
        }
        g
    }

    #[test]
    fn two_orders_of_two_locks_are_a_cycle() {
        let mut g = graph();
        assert!(g.add(2, &[1], |_| site("main")).is_none());
        let r = g.add(1, &[2], |_| site("main")).expect("A → B → A");
        assert!(
            r.starts_with("potential deadlock (lock order): Lock A → Lock B → Lock A\n"),
            "{r}"
        );
        assert_eq!(r.matches("main took").count(), 2, "{r}");
    }

    #[test]
    fn a_cycle_under_one_gate_lock_is_not_reported_until_an_edge_leaves_the_gate() {
        let mut g = graph();
        assert!(g.add(1, &[9], |_| site("t1")).is_none());
        assert!(g.add(2, &[1, 9], |_| site("t1")).is_none());
        assert!(g.add(2, &[9], |_| site("t2")).is_none());
        assert!(g.add(1, &[2, 9], |_| site("t2")).is_none(), "gated by G");
        // The same inversion once without G: now it can deadlock.
        let r = g.add(1, &[2], |_| site("t3")).expect("ungated");
        assert!(r.contains("Lock A → Lock B → Lock A"), "{r}");
    }

    #[test]
    fn a_ring_of_three_is_found_at_its_last_edge() {
        let mut g = graph();
        assert!(g.add(2, &[1], |_| site("t1")).is_none());
        assert!(g.add(3, &[2], |_| site("t2")).is_none());
        let r = g.add(1, &[3], |_| site("t3")).expect("ring");
        assert!(r.contains("Lock A → Lock B → Lock C → Lock A"), "{r}");
        assert!(r.contains("t3 took Lock A"), "{r}");
    }
}
