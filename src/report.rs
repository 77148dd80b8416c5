//! Readable counterexamples: who held what, who waited for what, and the last steps of
//! each thread.
//!
//! In the model builds the primitives record what each thread does to each primitive (see
//! `trace.rs`). When an execution fails, that log becomes a [`Trace`]: the wait-for cycle of a
//! deadlock is computed from it, and it prints as text:
//!
//! ```text
//! deadlock: Thread-1 holds Lock A, waits for Lock B (held by Thread-2)
//!           Thread-2 holds Lock B, waits for Lock A (held by Thread-1)
//! last steps (one column per thread, time flows down):
//!   step  Thread-1          Thread-2
//!      5  acquired Lock A
//!      6                    acquired Lock B
//!      ...
//! ```
//!
//! The fields are public so tools can draw the same trace differently (the corpus tool draws
//! it as an SVG timeline). In production builds nothing is recorded and no trace exists.

use std::fmt::Write;

/// What a thread did to a primitive, as one step of a [`Trace`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// Started waiting for the primitive (it will block unless woken).
    Blocks,
    /// Stopped waiting without getting it (timeout, error, shutdown).
    GaveUp,
    /// Acquired (a lock, a permit, an item).
    Acquired,
    /// Released (a lock, a permit).
    Released,
    /// Woke another thread.
    Notified,
    /// A timed wait expired.
    TimedOut,
    /// Put an item.
    Put,
    /// Got an item.
    Got,
    /// Set (an event flag).
    Set,
    /// Woken from a wait (condition notified, event set, barrier tripped).
    Woke,
    /// Cleared (an event flag).
    Cleared,
}

impl Event {
    /// How the step reads in a counterexample: "acquired" (as in "acquired Lock A").
    pub fn verb(self) -> &'static str {
        match self {
            Event::Blocks => "waits for",
            Event::GaveUp => "gave up on",
            Event::Acquired => "acquired",
            Event::Released => "released",
            Event::Notified => "notified",
            Event::TimedOut => "timed out on",
            Event::Put => "put into",
            Event::Got => "got from",
            Event::Set => "set",
            Event::Woke => "woke on",
            Event::Cleared => "cleared",
        }
    }
}

/// One recorded step: indices into [`Trace::threads`] and [`Trace::objects`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Index into [`Trace::threads`].
    pub thread: usize,
    /// Index into [`Trace::objects`].
    pub object: usize,
    /// What the thread did.
    pub event: Event,
}

/// What one failing execution did, and who held and waited for what when it stopped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// Thread names in order of first appearance (`main` first).
    pub threads: Vec<String>,
    /// Primitives as they read in a report: "Lock A", or "Lock #2" for the second unnamed one.
    pub objects: Vec<String>,
    /// The recorded steps, oldest first (the oldest may have been dropped: see `dropped`).
    pub steps: Vec<Step>,
    /// Steps dropped from the front to bound memory; step numbers count them.
    pub dropped: usize,
    /// Per object: the threads holding it at the end.
    pub holders: Vec<Vec<usize>>,
    /// Per thread: the object it was blocked on at the end, if any.
    pub waiting: Vec<Option<usize>>,
    /// The wait-for cycle: each thread waits for an object the next one holds (empty if none).
    pub cycle: Vec<usize>,
}

/// Steps of each thread shown in the text swimlanes.
const STEPS_PER_THREAD: usize = 6;
/// Threads shown side by side in the text swimlanes.
const MAX_COLUMNS: usize = 5;

impl Trace {
    /// Builds a trace from its steps and computes who holds and waits for what at the end,
    /// and the wait-for cycle.
    pub fn new(
        threads: Vec<String>,
        objects: Vec<String>,
        steps: Vec<Step>,
        dropped: usize,
    ) -> Trace {
        let mut holders = vec![Vec::new(); objects.len()];
        let mut waiting = vec![None; threads.len()];
        for s in &steps {
            // A blocked thread does nothing else: any step of its own ends its wait.
            waiting[s.thread] = None;
            match s.event {
                Event::Blocks => waiting[s.thread] = Some(s.object),
                Event::Acquired => holders[s.object].push(s.thread),
                Event::Released => {
                    let h: &mut Vec<usize> = &mut holders[s.object];
                    // A Lock may be released by a thread that does not hold it.
                    match h.iter().position(|&t| t == s.thread) {
                        Some(i) => drop(h.remove(i)),
                        None if !h.is_empty() => drop(h.remove(0)),
                        None => {}
                    }
                }
                _ => {}
            }
        }
        let mut t = Trace {
            threads,
            objects,
            steps,
            dropped,
            holders,
            waiting,
            cycle: Vec::new(),
        };
        t.cycle = t.find_cycle();
        t
    }

    fn find_cycle(&self) -> Vec<usize> {
        for start in 0..self.threads.len() {
            let mut path = vec![start];
            let mut t = start;
            while let Some(next) = self.waiting[t].and_then(|o| self.holders[o].first().copied()) {
                if let Some(i) = path.iter().position(|&p| p == next) {
                    let mut c = path.split_off(i);
                    // Start the cycle at its lowest thread (Thread-1 before Thread-2).
                    let m = (0..c.len())
                        .min_by_key(|&i| self.name_key(c[i]))
                        .unwrap_or(0);
                    c.rotate_left(m);
                    return c;
                }
                path.push(next);
                t = next;
            }
        }
        Vec::new()
    }

    /// The objects thread `t` holds at the end.
    pub fn held_by(&self, t: usize) -> Vec<usize> {
        (0..self.holders.len())
            .filter(|&o| self.holders[o].contains(&t))
            .collect()
    }

    fn holds_text(&self, t: usize) -> String {
        let held: Vec<&str> = self
            .held_by(t)
            .iter()
            .map(|&o| self.objects[o].as_str())
            .collect();
        if held.is_empty() {
            "holds nothing".into()
        } else {
            format!("holds {}", held.join(" and "))
        }
    }

    fn waits_text(&self, t: usize) -> String {
        let Some(o) = self.waiting[t] else {
            return String::new();
        };
        let holders: Vec<&str> = self.holders[o]
            .iter()
            .map(|&h| self.threads[h].as_str())
            .collect();
        if holders.is_empty() {
            format!("waits for {}", self.objects[o])
        } else {
            format!(
                "waits for {} (held by {})",
                self.objects[o],
                holders.join(", ")
            )
        }
    }

    /// The deadlock, one line per thread: the wait-for cycle first (or, with no cycle, a line
    /// saying so), then the other blocked threads.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for (i, &t) in self.cycle.iter().enumerate() {
            let lead = if i == 0 { "deadlock: " } else { "          " };
            let _ = writeln!(
                out,
                "{lead}{} {}, {}",
                self.threads[t],
                self.holds_text(t),
                self.waits_text(t)
            );
        }
        if self.cycle.is_empty() {
            out.push_str(
                "deadlock: every thread is blocked, none on a lock another holds (a wakeup that never comes):\n",
            );
        }
        let others = self.by_name(
            (0..self.threads.len())
                .filter(|t| !self.cycle.contains(t) && self.waiting[*t].is_some()),
        );
        for (i, &t) in others.iter().enumerate() {
            let lead = if i == 0 && !self.cycle.is_empty() {
                "also:     "
            } else {
                "          "
            };
            let holds = if self.held_by(t).is_empty() {
                String::new()
            } else {
                format!("{}, ", self.holds_text(t))
            };
            let _ = writeln!(
                out,
                "{lead}{} {holds}{}",
                self.threads[t],
                self.waits_text(t)
            );
        }
        out
    }

    /// The threads to show, at most `max`: the cycle, then the other blocked threads, then
    /// (if that leaves fewer than two) the threads with the latest steps; and how many were
    /// left out.
    pub fn columns(&self, max: usize) -> (Vec<usize>, usize) {
        let active = |t: &usize| self.steps.iter().any(|s| s.thread == *t);
        let mut cols: Vec<usize> = self.cycle.clone();
        cols.extend(
            self.by_name(
                (0..self.threads.len())
                    .filter(|t| !cols.contains(t) && self.waiting[*t].is_some() && active(t)),
            ),
        );
        let mut rest: Vec<usize> = Vec::new();
        for st in self.steps.iter().rev() {
            if !cols.contains(&st.thread) && !rest.contains(&st.thread) {
                rest.push(st.thread);
            }
        }
        let total = cols.len() + rest.len();
        if cols.is_empty() {
            rest = self.by_name(rest.into_iter().take(max));
        }
        let want = if cols.len() >= 2 {
            cols.len().min(max)
        } else {
            max.min(total).max(cols.len().min(max))
        };
        cols.extend(rest);
        cols.truncate(want);
        let hidden = total - cols.len();
        (cols, hidden)
    }

    /// Threads sorted by name, numbers compared as numbers (Thread-2 before Thread-10).
    fn by_name(&self, ts: impl Iterator<Item = usize>) -> Vec<usize> {
        let mut v: Vec<usize> = ts.collect();
        v.sort_by_key(|&t| self.name_key(t));
        v
    }

    fn name_key(&self, t: usize) -> (String, u64) {
        let n = &self.threads[t];
        if n == "main" {
            return (String::new(), 0);
        }
        let digits = n.len() - n.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (stem, num) = n.split_at(n.len() - digits);
        (stem.to_owned(), num.parse::<u64>().unwrap_or(0))
    }

    /// Step `i` as it reads in a report: "acquired Lock A".
    pub fn step_text(&self, i: usize) -> String {
        let s = &self.steps[i];
        format!("{} {}", s.event.verb(), self.objects[s.object])
    }

    /// The last steps of each shown thread, one column per thread, time flowing down.
    pub fn swimlanes(&self) -> String {
        let mut out = String::new();
        if self.steps.is_empty() {
            out.push_str("steps: none recorded (the program uses no threadcheck primitive)\n");
            return out;
        }
        let (cols, hidden) = self.columns(MAX_COLUMNS);
        let mut shown: Vec<usize> = Vec::new();
        for &t in &cols {
            let mine: Vec<usize> = (0..self.steps.len())
                .filter(|&i| self.steps[i].thread == t)
                .collect();
            shown.extend(&mine[mine.len().saturating_sub(STEPS_PER_THREAD)..]);
        }
        shown.sort_unstable();
        shown.dedup();
        let width = cols
            .iter()
            .map(|&t| self.threads[t].len())
            .chain(shown.iter().map(|&i| self.step_text(i).len()))
            .max()
            .unwrap_or(10)
            .clamp(10, 28)
            + 2;
        let num_w = (self.steps.len() + self.dropped).to_string().len().max(4);
        let more = match hidden {
            0 => String::new(),
            1 => "; 1 more thread not shown".into(),
            n => format!("; {n} more threads not shown"),
        };
        let _ = writeln!(
            out,
            "last steps (one column per thread, time flows down{more}):"
        );
        let mut row = format!("  {:>num_w$}  ", "step");
        for &t in &cols {
            let _ = write!(row, "{:<width$}", self.threads[t]);
        }
        let _ = writeln!(out, "{}", row.trim_end());
        let mut prev: Option<usize> = None;
        for &i in &shown {
            if prev.is_some_and(|p| i > p + 1) {
                let _ = writeln!(out, "  {:>num_w$}", "...");
            }
            prev = Some(i);
            let mut row = format!("  {:>num_w$}  ", i + 1 + self.dropped);
            for &t in &cols {
                let cell = if self.steps[i].thread == t {
                    self.step_text(i)
                } else {
                    String::new()
                };
                let _ = write!(row, "{cell:<width$}");
            }
            let _ = writeln!(out, "{}", row.trim_end());
        }
        if cols.iter().any(|&t| self.waiting[t].is_some()) {
            let mut row = format!("  {:>num_w$}  ", "");
            for &t in &cols {
                let cell = if self.waiting[t].is_some() {
                    "(blocked)"
                } else {
                    ""
                };
                let _ = write!(row, "{cell:<width$}");
            }
            let _ = writeln!(out, "{}", row.trim_end());
        }
        out
    }
}

/// The trace of the recorded log `log` (model builds only).
#[cfg(threadcheck_model)]
pub(crate) fn from_log(log: &crate::trace::Log) -> Trace {
    // "Lock A", or "Lock #2" for the second unnamed Lock.
    let objects = (0..log.objects.len())
        .map(|o| {
            let info = &log.objects[o];
            match info.name {
                Some(n) => format!("{} {n}", info.kind),
                None => {
                    let n = log.objects[..=o]
                        .iter()
                        .filter(|x| x.kind == info.kind && x.name.is_none())
                        .count();
                    format!("{} #{n}", info.kind)
                }
            }
        })
        .collect();
    Trace::new(
        log.threads.iter().map(|t| t.1.clone()).collect(),
        objects,
        log.steps.clone(),
        log.dropped,
    )
}

#[cfg(test)]
mod tests {
    use super::{Event, Step, Trace};
    use Event::{Acquired as Acq, Blocks, Released as Rel};

    /// A trace from `(thread, object, event)` steps; thread 0 is `main`, objects are Locks.
    fn trace(threads: usize, objects: &[&str], steps: &[(usize, usize, Event)]) -> Trace {
        Trace::new(
            (0..=threads)
                .map(|t| {
                    if t == 0 {
                        "main".into()
                    } else {
                        format!("Thread-{t}")
                    }
                })
                .collect(),
            objects.iter().map(|n| format!("Lock {n}")).collect(),
            steps
                .iter()
                .map(|&(thread, object, event)| Step {
                    thread,
                    object,
                    event,
                })
                .collect(),
            0,
        )
    }

    #[test]
    fn three_threads_in_a_ring_are_one_cycle() {
        let t = trace(
            3,
            &["A", "B", "C"],
            &[
                (1, 0, Acq),
                (2, 1, Acq),
                (3, 2, Acq),
                (1, 1, Blocks),
                (2, 2, Blocks),
                (3, 0, Blocks),
            ],
        );
        assert_eq!(
            t.summary(),
            "deadlock: Thread-1 holds Lock A, waits for Lock B (held by Thread-2)\n\
             \x20         Thread-2 holds Lock B, waits for Lock C (held by Thread-3)\n\
             \x20         Thread-3 holds Lock C, waits for Lock A (held by Thread-1)\n"
        );
    }

    #[test]
    fn bystanders_are_listed_after_the_cycle() {
        let t = trace(
            3,
            &["A", "B"],
            &[
                (2, 1, Acq),
                (1, 0, Acq),
                (3, 0, Blocks),
                (1, 1, Blocks),
                (2, 0, Blocks),
            ],
        );
        let text = t.summary();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("deadlock: Thread-1 holds Lock A, waits for Lock B"));
        assert!(lines[1].contains("Thread-2 holds Lock B, waits for Lock A (held by Thread-1)"));
        assert_eq!(
            lines[2],
            "also:     Thread-3 waits for Lock A (held by Thread-1)"
        );
        let header = t.swimlanes().lines().nth(1).unwrap().to_owned();
        assert!(
            header.contains("Thread-1")
                && header.contains("Thread-2")
                && header.contains("Thread-3")
        );
    }

    #[test]
    fn a_lock_released_by_another_thread_is_free_again() {
        let t = trace(
            1,
            &["signal"],
            &[
                (0, 0, Acq),
                (1, 0, Rel),
                (0, 0, Acq),
                (0, 0, Rel),
                (0, 0, Blocks),
            ],
        );
        // main waits on a free lock: no holder, no cycle.
        let text = t.summary();
        assert!(text.contains("main waits for Lock signal\n"), "{text}");
        assert!(!text.contains("held by"), "{text}");
    }
}
