//! Readable counterexamples, built from the events the primitives record (see `trace`).
//!
//! A deadlock report names the wait-for cycle, then shows the last steps of each thread as
//! swimlanes (one column per thread, time flowing down), then the command that replays the
//! failing execution:
//!
//! ```text
//! deadlock: Thread-1 holds Lock A, waits for Lock B (held by Thread-2)
//!           Thread-2 holds Lock B, waits for Lock A (held by Thread-1)
//! ```
//!
//! A panic report gives the message, the steps and the replay command. The same timeline is
//! also drawn as an SVG ([`take_svg`]): held locks as bars, waits as dashed bars, the
//! wait-for cycle in red.
//!
//! In production builds nothing is recorded, so a report is the checker's message and, where
//! the checker has one, the replay command.

use crate::check::{Checker, Outcome, Verdict};
use std::cell::RefCell;
use std::path::PathBuf;

thread_local! {
    static LAST_SVG: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The SVG timeline of the last counterexample built on this thread (by a check or a
/// replay run in this process), if it had recorded steps.
pub fn take_svg() -> Option<String> {
    LAST_SVG.with(|s| s.borrow_mut().take())
}

/// The command that replays `o`'s failing execution, if its checker can replay.
///
/// shuttle replays its schedule string; loom's search is deterministic (depth-first, same
/// order every run), so re-running it stops at the same first failing execution.
pub fn replay_command(o: &Outcome) -> Option<String> {
    match &o.checker {
        Checker::Loom { preemptions } => Some(format!(
            "RUSTFLAGS=\"--cfg loom\" cargo run --release -- replay {} loom --threads {}{}",
            o.model,
            o.threads,
            preemptions
                .map(|p| format!(" --preemptions {p}"))
                .unwrap_or_default()
        )),
        Checker::Random { .. } | Checker::Pct { .. } | Checker::Dfs { .. } => {
            o.schedule.as_ref().map(|s| {
                format!(
                    "cargo run --release --features shuttle -- replay {} {} --threads {}",
                    o.model,
                    s.split_whitespace().collect::<String>(),
                    o.threads
                )
            })
        }
        Checker::Real { .. } => None,
    }
}

/// The counterexample for `o`, if it failed (deadlock or panic). Uses the failing
/// execution's recorded steps when the build recorded them.
pub(crate) fn take_report(o: &Outcome) -> Option<String> {
    #[cfg(threadcheck_model)]
    let log = crate::trace::take_failure();
    #[cfg(not(threadcheck_model))]
    let log: Option<()> = None;
    let (text, svg) = build(o, log.as_ref())?;
    LAST_SVG.with(|s| *s.borrow_mut() = svg);
    Some(text)
}

#[cfg(threadcheck_model)]
type LogRef<'a> = &'a crate::trace::Log;
#[cfg(not(threadcheck_model))]
type LogRef<'a> = &'a ();

/// The report text and, when steps were recorded, the SVG.
#[cfg_attr(not(threadcheck_model), allow(unused_variables))]
fn build(o: &Outcome, log: Option<LogRef<'_>>) -> Option<(String, Option<String>)> {
    let (kind, msg) = match &o.verdict {
        Verdict::Deadlock(m) => ("deadlock", m),
        Verdict::Panic(m) => ("panic", m),
        _ => return None,
    };
    let mut out = String::new();
    #[allow(unused_mut)]
    let mut svg = None;
    #[cfg(threadcheck_model)]
    if let Some(log) = log {
        let a = model::Analysis::new(log);
        if kind == "deadlock" {
            out.push_str(&a.deadlock_text());
        } else {
            out.push_str(&format!("panic: {}\n", msg.trim_end()));
        }
        out.push_str(&a.swimlanes());
        svg = Some(a.svg(&o.model, kind, msg));
    }
    if out.is_empty() {
        // Nothing recorded (production build, or a model without threadcheck primitives).
        out.push_str(&format!("{kind}: {}\n", msg.trim_end()));
    }
    match replay_command(o) {
        Some(c) => out.push_str(&format!("replay: {c}\n")),
        None if matches!(o.checker, Checker::Real { .. }) => out.push_str(
            "replay: real threads cannot replay a schedule; check the model under shuttle or loom\n",
        ),
        None => {}
    }
    Some((out, svg))
}

/// Where a child writes its counterexample the moment the failure happens.
#[cfg_attr(not(threadcheck_model), allow(dead_code))]
struct Early {
    outcome: Outcome,
    report: PathBuf,
    svg: Option<PathBuf>,
}

thread_local! {
    static EARLY: RefCell<Option<Early>> = const { RefCell::new(None) };
}

/// For the CLI's child processes: when the first failure of the coming check happens, write
/// its report to `report` (and its SVG to `svg`) right away, from the panic hook. After a
/// deadlock loom may abort the process during teardown (loom issue #291), before the outcome
/// could carry the report back.
#[doc(hidden)]
pub fn write_at_failure(
    model: &str,
    checker: &Checker,
    threads: usize,
    report: PathBuf,
    svg: Option<PathBuf>,
) {
    let outcome = Outcome {
        model: model.to_owned(),
        checker: checker.clone(),
        threads,
        expected: String::new(),
        verdict: Verdict::Pass,
        matched: false,
        executions: 0,
        seconds: 0.0,
        schedule: None,
        report: None,
    };
    EARLY.with(|e| {
        *e.borrow_mut() = Some(Early {
            outcome,
            report,
            svg,
        })
    });
}

/// Called from the panic hook (via `trace::on_failure`) with the failing execution's log.
#[cfg(threadcheck_model)]
pub(crate) fn at_failure(msg: &str, log: &crate::trace::Log) {
    let _ = EARLY.try_with(|e| {
        let Some(early) = e.borrow_mut().take() else {
            return;
        };
        let mut o = early.outcome;
        o.verdict = crate::check::classify(msg.to_owned());
        if let Some((text, svg)) = build(&o, Some(log)) {
            let _ = std::fs::write(&early.report, text);
            if let (Some(p), Some(svg)) = (early.svg, svg) {
                let _ = std::fs::write(p, svg);
            }
        }
    });
}

#[cfg(threadcheck_model)]
mod model {
    use crate::trace::{Event, Log};
    use std::fmt::Write;

    /// Steps of each thread shown in the text swimlanes.
    const STEPS_PER_THREAD: usize = 6;
    /// Threads shown side by side in the text swimlanes.
    const MAX_COLUMNS: usize = 5;
    /// Steps drawn in the SVG.
    const SVG_STEPS: usize = 40;

    /// Who held and waited for what when the failing execution stopped.
    pub(super) struct Analysis<'a> {
        log: &'a Log,
        /// Per object: the threads holding it.
        holders: Vec<Vec<usize>>,
        /// Per thread: the object it is blocked on.
        waiting: Vec<Option<usize>>,
        /// Threads of the wait-for cycle, each waiting for an object the next one holds.
        cycle: Vec<usize>,
    }

    impl<'a> Analysis<'a> {
        pub(super) fn new(log: &'a Log) -> Self {
            let mut holders = vec![Vec::new(); log.objects.len()];
            let mut waiting = vec![None; log.threads.len()];
            for s in &log.steps {
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
            let mut a = Analysis {
                log,
                holders,
                waiting,
                cycle: Vec::new(),
            };
            a.cycle = a.find_cycle();
            a
        }

        fn find_cycle(&self) -> Vec<usize> {
            for start in 0..self.log.threads.len() {
                let mut path = vec![start];
                let mut t = start;
                while let Some(next) =
                    self.waiting[t].and_then(|o| self.holders[o].first().copied())
                {
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

        fn thread(&self, t: usize) -> &str {
            &self.log.threads[t].1
        }

        /// "Lock A", or "Lock #2" for the second unnamed Lock.
        fn object(&self, o: usize) -> String {
            let info = &self.log.objects[o];
            match info.name {
                Some(n) => format!("{} {n}", info.kind),
                None => {
                    let n = self.log.objects[..=o]
                        .iter()
                        .filter(|x| x.kind == info.kind && x.name.is_none())
                        .count();
                    format!("{} #{n}", info.kind)
                }
            }
        }

        fn held_by(&self, t: usize) -> Vec<usize> {
            (0..self.holders.len())
                .filter(|&o| self.holders[o].contains(&t))
                .collect()
        }

        fn holds_text(&self, t: usize) -> String {
            let held: Vec<String> = self.held_by(t).iter().map(|&o| self.object(o)).collect();
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
            let holders: Vec<&str> = self.holders[o].iter().map(|&h| self.thread(h)).collect();
            if holders.is_empty() {
                format!("waits for {}", self.object(o))
            } else {
                format!(
                    "waits for {} (held by {})",
                    self.object(o),
                    holders.join(", ")
                )
            }
        }

        /// The cycle, then the other blocked threads.
        pub(super) fn deadlock_text(&self) -> String {
            let mut out = String::new();
            let mut lines = Vec::new();
            for &t in &self.cycle {
                lines.push(format!(
                    "{} {}, {}",
                    self.thread(t),
                    self.holds_text(t),
                    self.waits_text(t)
                ));
            }
            if lines.is_empty() {
                out.push_str(
                    "deadlock: every thread is blocked, none on a lock another holds (a wakeup that never comes):\n",
                );
            } else {
                for (i, l) in lines.iter().enumerate() {
                    let lead = if i == 0 { "deadlock: " } else { "          " };
                    let _ = writeln!(out, "{lead}{l}");
                }
            }
            let others = self.by_name(
                (0..self.log.threads.len())
                    .filter(|t| !self.cycle.contains(t) && self.waiting[*t].is_some()),
            );
            for (i, &t) in others.iter().enumerate() {
                let lead = match (i, lines.is_empty()) {
                    (_, true) => "          ",
                    (0, false) => "also:     ",
                    _ => "          ",
                };
                let held = self.held_by(t);
                let holds = if held.is_empty() {
                    String::new()
                } else {
                    format!("{}, ", self.holds_text(t))
                };
                let _ = writeln!(
                    out,
                    "{lead}{} {holds}{}",
                    self.thread(t),
                    self.waits_text(t)
                );
            }
            out
        }

        /// The threads to show: the cycle, then the other blocked threads, then (if that
        /// leaves fewer than two) the threads with the latest steps; and how many were left out.
        fn columns(&self, max: usize) -> (Vec<usize>, usize) {
            let active = |t: &usize| self.log.steps.iter().any(|s| s.thread == *t);
            let mut cols: Vec<usize> = self.cycle.clone();
            cols.extend(
                self.by_name(
                    (0..self.log.threads.len())
                        .filter(|t| !cols.contains(t) && self.waiting[*t].is_some() && active(t)),
                ),
            );
            let mut rest: Vec<usize> = Vec::new();
            for st in self.log.steps.iter().rev() {
                if !cols.contains(&st.thread) && !rest.contains(&st.thread) {
                    rest.push(st.thread);
                }
            }
            let total = cols.len() + rest.len();
            if cols.is_empty() {
                rest = self.by_name(rest.into_iter().take(max));
            }
            let want = max.min(total).max(cols.len().min(max));
            let want = if cols.len() >= 2 {
                cols.len().min(max)
            } else {
                want
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
            let n = self.thread(t);
            if n == "main" {
                return (String::new(), 0);
            }
            let digits = n.len() - n.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (stem, num) = n.split_at(n.len() - digits);
            (stem.to_owned(), num.parse::<u64>().unwrap_or(0))
        }

        fn step_text(&self, i: usize) -> String {
            let s = &self.log.steps[i];
            format!("{} {}", s.event.verb(), self.object(s.object))
        }

        /// The last steps of each shown thread, one column per thread, time flowing down.
        pub(super) fn swimlanes(&self) -> String {
            let mut out = String::new();
            if self.log.steps.is_empty() {
                out.push_str("steps: none recorded (the model uses no threadcheck primitive)\n");
                return out;
            }
            let (cols, hidden) = self.columns(MAX_COLUMNS);
            let mut shown: Vec<usize> = Vec::new();
            for &t in &cols {
                let mine: Vec<usize> = (0..self.log.steps.len())
                    .filter(|&i| self.log.steps[i].thread == t)
                    .collect();
                shown.extend(&mine[mine.len().saturating_sub(STEPS_PER_THREAD)..]);
            }
            shown.sort_unstable();
            shown.dedup();
            let width = cols
                .iter()
                .map(|&t| self.thread(t).len())
                .chain(shown.iter().map(|&i| self.step_text(i).len()))
                .max()
                .unwrap_or(10)
                .clamp(10, 28)
                + 2;
            let num_w = (self.log.steps.len() + self.log.dropped)
                .to_string()
                .len()
                .max(4);
            let _ = writeln!(
                out,
                "last steps (one column per thread, time flows down{}):",
                if hidden > 0 {
                    format!(
                        "; {hidden} more thread{} not shown",
                        if hidden == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                }
            );
            let mut header = format!("  {:>num_w$}  ", "step");
            for &t in &cols {
                let _ = write!(header, "{:<width$}", self.thread(t));
            }
            out.push_str(header.trim_end());
            out.push('\n');
            let mut prev: Option<usize> = None;
            for &i in &shown {
                if prev.is_some_and(|p| i > p + 1) {
                    let _ = writeln!(out, "  {:>num_w$}", "...");
                }
                prev = Some(i);
                let s = &self.log.steps[i];
                let mut row = format!("  {:>num_w$}  ", i + 1 + self.log.dropped);
                for &t in &cols {
                    let cell = if s.thread == t {
                        self.step_text(i)
                    } else {
                        String::new()
                    };
                    let _ = write!(row, "{cell:<width$}");
                }
                out.push_str(row.trim_end());
                out.push('\n');
            }
            if cols.iter().any(|&t| self.waiting[t].is_some()) {
                let mut row = format!("  {:>num_w$}  ", "");
                for &t in &cols {
                    let cell = if self.waiting[t].is_some() {
                        "(blocked)".to_owned()
                    } else {
                        String::new()
                    };
                    let _ = write!(row, "{cell:<width$}");
                }
                out.push_str(row.trim_end());
                out.push('\n');
            }
            out
        }

        /// The timeline as an SVG: one lane per thread, held locks as bars, waits dashed,
        /// the wait-for cycle in red.
        pub(super) fn svg(&self, model: &str, kind: &str, msg: &str) -> String {
            const LEFT: usize = 130;
            const STEP: usize = 46;
            const LANE: usize = 74;
            let (lanes, _) = self.columns(12);
            // Time axis: the last steps of the drawn lanes only (other threads take no room).
            let mine: Vec<usize> = (0..self.log.steps.len())
                .filter(|&i| lanes.contains(&self.log.steps[i].thread))
                .collect();
            let shown = &mine[mine.len().saturating_sub(SVG_STEPS)..];
            let w0 = shown.first().copied().unwrap_or(0);
            let cols = shown.len().max(1);
            let head_lines: Vec<String> = if kind == "deadlock" {
                self.deadlock_text().lines().map(str::to_owned).collect()
            } else {
                vec![format!("panic: {}", msg.lines().next().unwrap_or(""))]
            };
            let top = 40 + 18 * head_lines.len() + 30;
            let width = LEFT + STEP * (cols + 1) + 60;
            let height = top + LANE * lanes.len() + 40;
            let x =
                |i: usize| LEFT + STEP * shown.partition_point(|&j| j < i).min(cols - 1) + STEP / 2;
            let lane_y = |t: usize| top + LANE * lanes.iter().position(|&l| l == t).unwrap_or(0);
            let palette = [
                "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f",
                "#bab0ac",
            ];
            let mut s = String::new();
            let _ = writeln!(
                s,
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="12">"#
            );
            let _ = writeln!(
                s,
                r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d62728"/></marker></defs>"##
            );
            let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
            let _ = writeln!(
                s,
                r#"<text x="10" y="22" font-size="15" font-weight="bold">{}: {kind}</text>"#,
                esc(model)
            );
            for (i, l) in head_lines.iter().enumerate() {
                let color = if kind == "deadlock" && i < self.cycle.len() {
                    "#d62728"
                } else {
                    "#333"
                };
                let _ = writeln!(
                    s,
                    r#"<text x="10" y="{}" fill="{color}" xml:space="preserve">{}</text>"#,
                    44 + 18 * i,
                    esc(l)
                );
            }
            // Step axis.
            for &i in shown {
                let _ = writeln!(
                    s,
                    r##"<text x="{}" y="{}" fill="#888" text-anchor="middle" font-size="10">{}</text>"##,
                    x(i),
                    top - 8,
                    i + 1 + self.log.dropped
                );
            }
            // Lanes.
            for &t in &lanes {
                let y = lane_y(t);
                let _ = writeln!(
                    s,
                    r##"<line x1="{LEFT}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/><text x="10" y="{}" font-weight="bold">{}</text>"##,
                    y + 46,
                    width - 20,
                    y + 46,
                    y + 34,
                    esc(self.thread(t))
                );
            }
            // Held (bars) and waited (dashed) intervals.
            let end_x = LEFT + STEP * cols;
            let clip = |i: usize| if i < w0 { LEFT } else { x(i) };
            // Nested holds stack downwards: (thread, obj, start, level).
            let mut open_holds: Vec<(usize, usize, usize, usize)> = Vec::new();
            let mut open_wait: Vec<Option<(usize, usize)>> = vec![None; self.log.threads.len()];
            // (thread, obj, x0, x1, Some(level) for a hold / None for a wait)
            let mut bars: Vec<(usize, usize, usize, usize, Option<usize>)> = Vec::new();
            for (i, st) in self.log.steps.iter().enumerate() {
                if let Some((o, start)) = open_wait[st.thread].take() {
                    bars.push((st.thread, o, clip(start), x(i).max(clip(start)), None));
                }
                match st.event {
                    Event::Blocks => open_wait[st.thread] = Some((st.object, i)),
                    Event::Acquired => {
                        let level = open_holds.iter().filter(|h| h.0 == st.thread).count();
                        open_holds.push((st.thread, st.object, i, level.min(2)));
                    }
                    Event::Released => {
                        let p = open_holds
                            .iter()
                            .position(|h| h.1 == st.object && h.0 == st.thread)
                            .or_else(|| open_holds.iter().position(|h| h.1 == st.object));
                        if let Some(p) = p {
                            let (t, o, start, level) = open_holds.remove(p);
                            if i >= w0 {
                                bars.push((t, o, clip(start), x(i), Some(level)));
                            }
                        }
                    }
                    _ => {}
                }
            }
            for (t, o, start, level) in open_holds {
                bars.push((t, o, clip(start), end_x, Some(level)));
            }
            for (t, w) in open_wait.iter().enumerate() {
                if let Some((o, start)) = w {
                    bars.push((t, *o, clip(*start), end_x, None));
                }
            }
            for &(t, o, x0, x1, hold) in &bars {
                if !lanes.contains(&t) {
                    continue;
                }
                let y = lane_y(t);
                let color = palette[o % palette.len()];
                let wlen = x1.saturating_sub(x0).max(4);
                if let Some(level) = hold {
                    let _ = writeln!(
                        s,
                        r#"<rect x="{x0}" y="{}" width="{wlen}" height="13" rx="3" fill="{color}"><title>{} holds {}</title></rect><text x="{}" y="{}" fill="white" font-size="10">{}</text>"#,
                        y + 4 + 14 * level,
                        esc(self.thread(t)),
                        esc(&self.object(o)),
                        x0 + 4,
                        y + 14 + 14 * level,
                        esc(&self.object(o))
                    );
                } else {
                    // The waits the deadlock is made of: the cycle's, or every final one if
                    // there is no cycle (a wakeup that never comes).
                    let red = x1 == end_x
                        && self.waiting[t] == Some(o)
                        && (self.cycle.contains(&t)
                            || (self.cycle.is_empty() && kind == "deadlock"));
                    let stroke = if red { "#d62728" } else { color };
                    let _ = writeln!(
                        s,
                        r#"<rect x="{x0}" y="{}" width="{wlen}" height="12" fill="none" stroke="{stroke}" stroke-width="2" stroke-dasharray="5,3"><title>{} waits for {}</title></rect><text x="{}" y="{}" fill="{stroke}" font-size="10">waits {}</text>"#,
                        y + 48,
                        esc(self.thread(t)),
                        esc(&self.object(o)),
                        x0 + 4,
                        y + 70,
                        esc(&self.object(o))
                    );
                }
            }
            // Events as dots with a tooltip.
            for (i, st) in self.log.steps.iter().enumerate().skip(w0) {
                if !lanes.contains(&st.thread) {
                    continue;
                }
                let _ = writeln!(
                    s,
                    r##"<circle cx="{}" cy="{}" r="3" fill="#222"><title>step {}: {} {}</title></circle>"##,
                    x(i),
                    lane_y(st.thread) + 46,
                    i + 1 + self.log.dropped,
                    esc(self.thread(st.thread)),
                    esc(&self.step_text(i))
                );
            }
            // The wait-for cycle: an arrow from each waiter to the holder of what it waits for.
            for (k, &t) in self.cycle.iter().enumerate() {
                let h = self.cycle[(k + 1) % self.cycle.len()];
                if !lanes.contains(&t) || !lanes.contains(&h) {
                    continue;
                }
                let (y0, y1) = (lane_y(t) + 54, lane_y(h) + 10);
                let xa = end_x + 8 + 14 * k;
                let _ = writeln!(
                    s,
                    r##"<path d="M{},{y0} C{},{y0} {},{y1} {},{y1}" fill="none" stroke="#d62728" stroke-width="2.5" marker-end="url(#arrow)"/>"##,
                    end_x - 4,
                    xa + 30,
                    xa + 30,
                    end_x - 2
                );
            }
            s.push_str("</svg>\n");
            s
        }
    }

    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
}

#[cfg(all(test, threadcheck_model))]
mod tests {
    use super::model::Analysis;
    use crate::trace::{Event, Log, ObjInfo, Step};

    /// A log from `(thread, object, event)` steps; thread 0 is `main`, object names are A, B...
    fn log(threads: usize, objects: &[&'static str], steps: &[(usize, usize, Event)]) -> Log {
        let mut l = Log {
            threads: (0..=threads)
                .map(|t| {
                    let n = if t == 0 {
                        "main".into()
                    } else {
                        format!("Thread-{t}")
                    };
                    (t, n)
                })
                .collect(),
            objects: objects
                .iter()
                .enumerate()
                .map(|(i, n)| ObjInfo {
                    id: i,
                    kind: "Lock",
                    name: Some(n),
                })
                .collect(),
            ..Log::default()
        };
        l.steps = steps
            .iter()
            .map(|&(thread, object, event)| Step {
                thread,
                object,
                event,
            })
            .collect();
        l
    }

    use Event::{Acquired as Acq, Blocks, Released as Rel};

    #[test]
    fn three_threads_in_a_ring_are_one_cycle() {
        let l = log(
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
        let text = Analysis::new(&l).deadlock_text();
        assert_eq!(
            text,
            "deadlock: Thread-1 holds Lock A, waits for Lock B (held by Thread-2)\n\
             \x20         Thread-2 holds Lock B, waits for Lock C (held by Thread-3)\n\
             \x20         Thread-3 holds Lock C, waits for Lock A (held by Thread-1)\n"
        );
    }

    #[test]
    fn bystanders_are_listed_after_the_cycle() {
        let l = log(
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
        let a = Analysis::new(&l);
        let text = a.deadlock_text();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("deadlock: Thread-1 holds Lock A, waits for Lock B"));
        assert!(lines[1].contains("Thread-2 holds Lock B, waits for Lock A (held by Thread-1)"));
        assert_eq!(
            lines[2],
            "also:     Thread-3 waits for Lock A (held by Thread-1)"
        );
        let lanes = a.swimlanes();
        let header = lanes.lines().nth(1).unwrap();
        assert!(
            header.contains("Thread-1")
                && header.contains("Thread-2")
                && header.contains("Thread-3")
        );
    }

    #[test]
    fn a_lock_released_by_another_thread_is_free_again() {
        let l = log(
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
        let text = Analysis::new(&l).deadlock_text();
        assert!(text.contains("main waits for Lock signal\n"), "{text}");
        assert!(!text.contains("held by"), "{text}");
    }

    #[test]
    fn the_svg_is_well_formed_and_draws_the_cycle_red() {
        let l = log(
            2,
            &["A", "B"],
            &[(1, 0, Acq), (2, 1, Acq), (1, 1, Blocks), (2, 0, Blocks)],
        );
        let svg = Analysis::new(&l).svg("lock/two_lock_deadlock", "deadlock", "deadlock");
        roxmltree::Document::parse(&svg).expect("well-formed");
        assert_eq!(svg.matches("marker-end=\"url(#arrow)\"").count(), 2);
    }
}
