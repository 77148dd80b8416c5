//! Tables for the terminal (`comfy-table`): the verdict table of `check`/`merge`, and `list`.

use super::{Row, Status};
use comfy_table::{Cell, CellAlignment, Color, LineStyle, Table, TableStyle};
use std::collections::BTreeMap;
use std::fmt::Write;
use threadcheck_corpus::harness::strength::Strength;
use threadcheck_corpus::harness::{Model, Verdict};

/// A borderless table with an underlined header; colours only on a terminal without
/// `NO_COLOR`.
fn table(header: &[&str], right: &[usize]) -> Table {
    let mut t = Table::new();
    t.load_style(TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─')))
        .set_header(header.to_vec());
    if std::env::var_os("NO_COLOR").is_some() {
        t.force_no_tty();
    }
    for (i, c) in t.column_iter_mut().enumerate() {
        c.set_padding((0, 2));
        if right.contains(&i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// `s` cut to `max` characters, with an ellipsis when cut (full text: --json).
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// Numbered footnotes, each distinct text once.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    fn mark(&mut self, text: &str) -> String {
        let i = self.0.iter().position(|n| n == text).unwrap_or_else(|| {
            self.0.push(text.to_owned());
            self.0.len() - 1
        });
        format!("[{}]", i + 1)
    }
}

/// The verdict table: by default the rows that ran, then one line counting the rows of other
/// builds (`all_rows`: those too, each with the command that runs it).
pub fn verdicts(rows: &[Row<'_>], backends: &[&str], all_rows: bool) -> String {
    let mut out = format!(
        "threadcheck check — {} build{}\n",
        backends.join(" + "),
        if backends.len() > 1 { "s" } else { "" }
    );
    let mut notes = Notes::default();
    let header = [
        "model",
        "checker",
        "n",
        "expected",
        "got",
        "strength",
        "executions",
        "seconds",
        "status",
    ];
    let mut t = table(&header, &[2, 6, 7]);
    for r in rows.iter().filter(|r| all_rows || r.outcome.ran()) {
        let o = r.outcome;
        let status = r.status();
        let got = match &o.verdict {
            Verdict::Unavailable(how) => format!("n/a {}", notes.mark(how)),
            v => clip(&v.short(), 32),
        };
        let mut status_text = status.label().to_owned();
        if let (Status::KnownMiss, Some(k)) = (status, &o.known) {
            status_text = format!("{status_text} {}", notes.mark(&k.why));
        }
        let colour = match status {
            Status::Ok => Color::Green,
            Status::KnownMiss => Color::Yellow,
            Status::Fail => Color::Red,
            Status::NotRun => Color::DarkGrey,
        };
        let ran = o.ran();
        let strength = Cell::new(r.strength.to_string());
        t.add_row(vec![
            Cell::new(&o.model),
            Cell::new(o.checker.name()),
            Cell::new(if o.threads == 0 {
                "-".into()
            } else {
                o.threads.to_string()
            }),
            Cell::new(clip(&o.expected, 32)),
            Cell::new(got),
            match r.strength {
                Strength::Proven => strength.fg(Color::Green),
                Strength::Disagree(_) => strength.fg(Color::Red),
                _ => strength,
            },
            Cell::new(if ran {
                o.executions.to_string()
            } else {
                "".into()
            }),
            Cell::new(if ran {
                format!("{:.2}", o.seconds)
            } else {
                "".into()
            }),
            Cell::new(status_text).fg(colour),
        ]);
    }
    let _ = writeln!(out, "{}", t.trim_fmt());
    for (i, n) in notes.0.iter().enumerate() {
        let _ = writeln!(out, "[{}] {n}", i + 1);
    }
    out.push_str(&summary(rows, all_rows));
    out
}

/// The lines under the table: what ran and how it stood, how strong the verdicts are, and
/// what did not run here.
fn summary(rows: &[Row<'_>], all_rows: bool) -> String {
    let ran: Vec<&Row> = rows.iter().filter(|r| r.outcome.ran()).collect();
    let count = |s: Status| ran.iter().filter(|r| r.status() == s).count();
    let mut out = format!(
        "{} result{} ran: {} ok, {} known miss{}, {} failed\n",
        ran.len(),
        if ran.len() == 1 { "" } else { "s" },
        count(Status::Ok),
        count(Status::KnownMiss),
        if count(Status::KnownMiss) == 1 {
            ""
        } else {
            "es"
        },
        count(Status::Fail),
    );
    // Strength, grouped by kind (explored N (capped) counts once per kind, whatever N).
    let mut by: BTreeMap<usize, (String, usize)> = BTreeMap::new();
    for r in &ran {
        let (rank, name) = match &r.strength {
            Strength::Proven => (0, "proven".to_owned()),
            Strength::Exhaustive(_) => (1, r.strength.to_string()),
            Strength::Capped(_) => (3, "explored (capped)".into()),
            Strength::Bounded(..) => (4, "explored (bounded)".into()),
            Strength::Sampled => (5, "sampled".into()),
            Strength::Counterexample => (6, "counterexample".into()),
            Strength::KnownMiss => (7, "known miss".into()),
            Strength::Disagree(_) => (8, "DISAGREE".into()),
            Strength::NotRun | Strength::Broken => continue,
        };
        let rank = if rank == 1 && name.contains("dfs") {
            2
        } else {
            rank
        };
        by.entry(rank).or_insert((name, 0)).1 += 1;
    }
    let parts: Vec<String> = by.values().map(|(n, c)| format!("{c} {n}")).collect();
    if !parts.is_empty() {
        let _ = writeln!(out, "strength: {}", parts.join(" · "));
    }
    if all_rows {
        return out;
    }
    let (other, inapplicable): (Vec<&Row>, Vec<&Row>) = rows
        .iter()
        .filter(|r| !r.outcome.ran())
        .partition(|r| r.other_build());
    if !other.is_empty() {
        let mut per: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &other {
            *per.entry(r.outcome.checker.name()).or_default() += 1;
        }
        let per: Vec<String> = per.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(
            out,
            "{} row{} to other builds ({}): ci/check-all runs every build into one table (where a pass can be proven); --all-rows lists them with the command for each",
            other.len(),
            if other.len() == 1 { " belongs" } else { "s belong" },
            per.join(", ")
        );
    }
    if !inapplicable.is_empty() {
        let _ = writeln!(
            out,
            "{} row{} not run on real threads (their expected bug would hang them, or needs a schedule real threads rarely take): --all-rows lists them",
            inapplicable.len(),
            if inapplicable.len() == 1 { " is" } else { "s are" }
        );
    }
    out
}

/// `list`: name, expected verdict, about.
pub fn models(models: &[&Model]) -> String {
    let mut t = table(&["model", "expected", "about"], &[]);
    for m in models {
        let known = if m.known.is_empty() {
            String::new()
        } else {
            let who: Vec<&str> = m.known.iter().map(|k| k.checker.name()).collect();
            format!(" (known miss: {})", who.join(", "))
        };
        t.add_row(vec![
            m.name.to_owned(),
            clip(&m.expect.to_string(), 32),
            format!("{}{known}", m.about),
        ]);
    }
    t.trim_fmt()
}
