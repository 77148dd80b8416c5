//! A failure's trace drawn as an SVG timeline: one lane per thread, held locks as bars,
//! waits dashed, the wait-for cycle in red. Built from the library's public
//! [`threadcheck::report::Trace`], for people who would rather look than read.

use std::fmt::Write;
use threadcheck::report::{Event, Trace};

/// Steps drawn.
const SVG_STEPS: usize = 40;

/// The timeline as an SVG: one lane per thread, held locks as bars, waits dashed,
/// the wait-for cycle in red.
pub fn svg(tr: &Trace, model: &str, kind: &str, msg: &str) -> String {
    const LEFT: usize = 130;
    const STEP: usize = 46;
    const LANE: usize = 74;
    let (lanes, _) = tr.columns(12);
    // Time axis: the last steps of the drawn lanes only (other threads take no room).
    let mine: Vec<usize> = (0..tr.steps.len())
        .filter(|&i| lanes.contains(&tr.steps[i].thread))
        .collect();
    let shown = &mine[mine.len().saturating_sub(SVG_STEPS)..];
    let w0 = shown.first().copied().unwrap_or(0);
    let cols = shown.len().max(1);
    let lock_order = kind.starts_with("potential deadlock");
    let head_lines: Vec<String> = if kind == "deadlock" {
        tr.summary().lines().map(str::to_owned).collect()
    } else if lock_order {
        // The cycle and its edges, without the explanation under them.
        msg.lines()
            .take_while(|l| !l.starts_with("  no thread waits yet"))
            .map(str::to_owned)
            .collect()
    } else {
        vec![format!("panic: {}", msg.lines().next().unwrap_or(""))]
    };
    let top = 40 + 18 * head_lines.len() + 30;
    let width = LEFT + STEP * (cols + 1) + 60;
    let height = top + LANE * lanes.len() + 40;
    let x = |i: usize| LEFT + STEP * shown.partition_point(|&j| j < i).min(cols - 1) + STEP / 2;
    let lane_y = |t: usize| top + LANE * lanes.iter().position(|&l| l == t).unwrap_or(0);
    let palette = [
        "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#bab0ac",
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
        let color = if (kind == "deadlock" && i < tr.cycle.len()) || lock_order {
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
            i + 1 + tr.dropped
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
            esc(&tr.threads[t])
        );
    }
    // Held (bars) and waited (dashed) intervals.
    let end_x = LEFT + STEP * cols;
    let clip = |i: usize| if i < w0 { LEFT } else { x(i) };
    // Nested holds stack downwards: (thread, obj, start, level).
    let mut open_holds: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut open_wait: Vec<Option<(usize, usize)>> = vec![None; tr.threads.len()];
    // (thread, obj, x0, x1, Some(level) for a hold / None for a wait)
    let mut bars: Vec<(usize, usize, usize, usize, Option<usize>)> = Vec::new();
    for (i, st) in tr.steps.iter().enumerate() {
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
                esc(&tr.threads[t]),
                esc(&tr.objects[o]),
                x0 + 4,
                y + 14 + 14 * level,
                esc(&tr.objects[o])
            );
        } else {
            // The waits the deadlock is made of: the cycle's, or every final one if
            // there is no cycle (a wakeup that never comes).
            let red = x1 == end_x
                && tr.waiting[t] == Some(o)
                && (tr.cycle.contains(&t) || (tr.cycle.is_empty() && kind == "deadlock"));
            let stroke = if red { "#d62728" } else { color };
            let _ = writeln!(
                s,
                r#"<rect x="{x0}" y="{}" width="{wlen}" height="12" fill="none" stroke="{stroke}" stroke-width="2" stroke-dasharray="5,3"><title>{} waits for {}</title></rect><text x="{}" y="{}" fill="{stroke}" font-size="10">waits {}</text>"#,
                y + 48,
                esc(&tr.threads[t]),
                esc(&tr.objects[o]),
                x0 + 4,
                y + 70,
                esc(&tr.objects[o])
            );
        }
    }
    // Events as dots with a tooltip.
    for (i, st) in tr.steps.iter().enumerate().skip(w0) {
        if !lanes.contains(&st.thread) {
            continue;
        }
        let _ = writeln!(
            s,
            r##"<circle cx="{}" cy="{}" r="3" fill="#222"><title>step {}: {} {}</title></circle>"##,
            x(i),
            lane_y(st.thread) + 46,
            i + 1 + tr.dropped,
            esc(&tr.threads[st.thread]),
            esc(&tr.step_text(i))
        );
    }
    // The wait-for cycle: an arrow from each waiter to the holder of what it waits for.
    for (k, &t) in tr.cycle.iter().enumerate() {
        let h = tr.cycle[(k + 1) % tr.cycle.len()];
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use threadcheck::report::{Event, Step, Trace};

    #[test]
    fn the_svg_is_well_formed_and_draws_the_cycle_red() {
        let steps = [
            (1, 0, Event::Acquired),
            (2, 1, Event::Acquired),
            (1, 1, Event::Blocks),
            (2, 0, Event::Blocks),
        ];
        let t = Trace::new(
            vec!["main".into(), "Thread-1".into(), "Thread-2".into()],
            vec!["Lock A".into(), "Lock B".into()],
            steps
                .iter()
                .map(|&(thread, object, event)| Step {
                    thread,
                    object,
                    event,
                })
                .collect(),
            0,
        );
        let svg = super::svg(&t, "lock/two_lock_deadlock", "deadlock", "deadlock");
        roxmltree::Document::parse(&svg).expect("well-formed");
        assert_eq!(svg.matches("marker-end=\"url(#arrow)\"").count(), 2);
        assert!(svg.contains("#d62728"), "the cycle is drawn red");
    }
}
