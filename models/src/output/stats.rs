//! `stats`' Markdown: a table of the bug models (how fast each checker finds each bug), a
//! table of their twins (false alarms), and the setting that finds every bug on every seed.

use std::fmt::Write;
use threadcheck_corpus::stats::{Cell, Column, MARKS, MAX_ITERATIONS};

/// What the table was measured with.
pub struct Header {
    /// Seeds per random/PCT column for a bug model.
    pub seeds: u64,
    /// Seeds per random/PCT column for a twin.
    pub twin_seeds: u64,
    /// The builds that measured something.
    pub backends: Vec<String>,
}

impl Header {
    /// The header of a run in this build.
    pub fn new(seeds: u64, twin_seeds: u64) -> Header {
        Header {
            seeds,
            twin_seeds,
            backends: vec![threadcheck::backend().into()],
        }
    }

    /// The header of merged cells: the seed counts they were measured with.
    pub fn of(cells: &[Cell]) -> Header {
        let seeded = |twin: bool| {
            cells
                .iter()
                .filter(|c| (c.expect == "pass") == twin)
                .filter(|c| Column::from_key(&c.column).is_some_and(Column::seeded))
                .map(|c| c.seeds)
                .max()
                .unwrap_or(0)
        };
        let mut backends: Vec<String> = Vec::new();
        for c in cells.iter().filter(|c| c.measured()) {
            if !backends.contains(&c.backend) {
                backends.push(c.backend.clone());
            }
        }
        Header {
            seeds: seeded(false),
            twin_seeds: seeded(true),
            backends,
        }
    }
}

/// Runs of twins that failed: false alarms (and checker errors).
pub fn false_alarms(cells: &[Cell]) -> u64 {
    cells
        .iter()
        .filter(|c| c.expect == "pass")
        .map(|c| c.wrong)
        .sum()
}

fn models(cells: &[Cell], twins: bool) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    for c in cells.iter().filter(|c| (c.expect == "pass") == twins) {
        if !v.contains(&c.model.as_str()) {
            v.push(&c.model);
        }
    }
    v
}

fn find<'a>(cells: &'a [Cell], model: &str, column: Column) -> Option<&'a Cell> {
    let key = column.key();
    cells.iter().find(|c| c.model == model && c.column == key)
}

/// A bug's cell: loom and DFS say at which execution they found it; random and PCT on how
/// many seeds within 1/10/100/1000 iterations, and the median.
fn bug_cell(c: &Cell) -> String {
    if !c.measured() {
        return "n/a".into();
    }
    let wrong = if c.wrong > 0 {
        format!(" ⚠ {} other failure(s)", c.wrong)
    } else {
        String::new()
    };
    let col = Column::from_key(&c.column);
    if col.is_some_and(Column::seeded) {
        let within: Vec<String> = c.within.iter().map(u64::to_string).collect();
        let median = c
            .median
            .map_or_else(|| format!(">{MAX_ITERATIONS}"), |m| m.to_string());
        return format!("{} (med {median}){wrong}", within.join("/"));
    }
    let execs = c.executions.unwrap_or(0);
    if c.median.is_some() {
        let secs = if col == Some(Column::Loom) {
            format!(", {:.2} s", c.seconds)
        } else {
            String::new()
        };
        format!("✓ at {execs}{secs}")
    } else {
        let how = if c.complete == Some(true) {
            "none in all"
        } else {
            "none in first"
        };
        format!("✗ {how} {execs}{wrong}")
    }
}

/// A twin's cell: runs with no failure, or the false alarms.
fn twin_cell(c: &Cell) -> String {
    if !c.measured() {
        return "n/a".into();
    }
    let col = Column::from_key(&c.column);
    if c.wrong > 0 {
        return format!("✗ {} false alarm(s) in {}", c.wrong, c.seeds);
    }
    match col {
        Some(Column::Loom) => {
            let how = if c.complete == Some(true) {
                "exhaustive"
            } else {
                "bounded"
            };
            format!(
                "pass, {} ({how}, {:.2} s)",
                c.executions.unwrap_or(0),
                c.seconds
            )
        }
        Some(Column::Dfs) => {
            let how = if c.complete == Some(true) {
                "complete"
            } else {
                "capped"
            };
            format!("pass, {} ({how})", c.executions.unwrap_or(0))
        }
        _ => format!("pass × {} seeds", c.seeds),
    }
}

fn threads(cells: &[Cell], model: &str) -> String {
    let t = |col| find(cells, model, col).map_or(0, |c| c.threads);
    format!("{}/{}", t(Column::Loom), t(Column::Random))
}

fn table(out: &mut String, cells: &[Cell], twins: bool) {
    let mut head = vec![
        if twins { "twin" } else { "bug" }.to_owned(),
        "expect".into(),
        "threads (loom/shuttle)".into(),
    ];
    head.extend(Column::ALL.iter().map(|c| c.title()));
    if twins {
        head.remove(1);
    }
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
    for m in models(cells, twins) {
        let mut row = vec![format!("`{m}`")];
        if !twins {
            let e = find(cells, m, Column::Loom).map_or("", |c| c.expect.as_str());
            row.push(e.replace('|', "\\|"));
        }
        row.push(threads(cells, m));
        for col in Column::ALL {
            row.push(match find(cells, m, col) {
                Some(c) if twins => twin_cell(c),
                Some(c) => bug_cell(c),
                None => "n/a".into(),
            });
        }
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// For each seeded scheduler: the fewest iterations that found every bug on every seed.
fn recommendation(out: &mut String, cells: &[Cell]) {
    let bugs = models(cells, false);
    let _ = writeln!(
        out,
        "\nFewest iterations finding every bug above on every seed measured:\n"
    );
    for col in Column::SCHEDULERS.into_iter().filter(|c| c.seeded()) {
        let mine: Vec<&Cell> = bugs.iter().filter_map(|m| find(cells, m, col)).collect();
        if mine.is_empty() || mine.iter().any(|c| !c.measured()) {
            let _ = writeln!(out, "- {}: not measured", col.title());
            continue;
        }
        let best = (0..MARKS.len()).find(|&i| mine.iter().all(|c| c.all_within(i)));
        let _ = match best {
            Some(i) => writeln!(out, "- {}: {} iterations", col.title(), MARKS[i]),
            None => {
                let missed: Vec<&str> = mine
                    .iter()
                    .filter(|c| !c.all_within(MARKS.len() - 1))
                    .map(|c| c.model.as_str())
                    .collect();
                writeln!(
                    out,
                    "- {}: none up to {MAX_ITERATIONS} (misses on some seed: {})",
                    col.title(),
                    missed.join(", ")
                )
            }
        };
    }
}

/// The whole report.
pub fn markdown(cells: &[Cell], h: &Header) -> String {
    let mut out = String::new();
    let builds = if h.backends.is_empty() {
        "none".to_owned()
    } else {
        h.backends.join(" + ")
    };
    let _ = writeln!(
        out,
        "threadcheck stats — measured in: {builds} build(s); random/PCT: {} seeds per bug, {} per twin, each up to {MAX_ITERATIONS} iterations; DFS capped at {MAX_ITERATIONS}\n",
        h.seeds, h.twin_seeds
    );
    let _ = writeln!(
        out,
        "Bugs — loom, dfs: the execution that found it; random, pct: seeds that found it within {} iterations (median iterations over all seeds)\n",
        MARKS.map(|m| m.to_string()).join("/")
    );
    table(&mut out, cells, false);
    recommendation(&mut out, cells);
    let _ = writeln!(
        out,
        "\nTwins (correct versions): no checker may fail them\n"
    );
    table(&mut out, cells, true);
    out
}
