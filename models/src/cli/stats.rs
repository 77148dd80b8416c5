//! `threadcheck stats`: how well each checker finds the corpus's known bugs, and that no
//! checker raises a false alarm on their correct twins.
//!
//! Each build measures its own columns (loom: `loom`; shuttle: random, PCT d=1..3, DFS) and
//! prints the table with the other build's columns `n/a`; `--json` prints one line per model
//! and column, and `--from` merges such files into one table without running anything
//! (`ci/stats` does both builds and the merge).

use super::bad;
use super::child::{run_job, ChildSettings, Job};
use super::select::{find_model, Pattern};
use crate::output::stats as out;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;
use threadcheck_corpus::harness::{self, Model};
use threadcheck_corpus::stats::{self, Cell, Column, Finding};

#[derive(Args)]
pub struct StatsArgs {
    /// Model name, substring or glob among the bug models and their twins (default: all).
    pattern: Option<String>,
    /// Seeds per random and PCT column for each bug model; each seed runs up to 1000
    /// iterations and stops at the first failure.
    #[arg(long, default_value_t = 1000)]
    seeds: u64,
    /// Seeds per random and PCT column for each twin (a twin always runs all 1000
    /// iterations, so it costs a bug's worst case).
    #[arg(long, default_value_t = 10)]
    twin_seeds: u64,
    /// Print JSON lines (one per model and column) instead of the table.
    #[arg(long)]
    json: bool,
    /// Run nothing: print the table from these `stats --json` files (one per build).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    from: Vec<PathBuf>,
    /// No progress bar (it is already off when stderr is not a terminal).
    #[arg(long)]
    no_progress: bool,
}

/// The models `pattern` selects among those stats measures; none is bad input.
fn select(pattern: Option<&str>) -> Vec<&'static Model> {
    let all = threadcheck_corpus::bugs::all();
    let Some(p) = pattern else { return all };
    let pat = Pattern::parse(p).unwrap_or_else(|e| bad(e));
    let v: Vec<&'static Model> = all.into_iter().filter(|m| pat.matches(m.name)).collect();
    if v.is_empty() {
        bad(format!(
            "no bug model or twin matches {p:?}; `threadcheck list bugs/` lists them"
        ));
    }
    v
}

/// Whether this build measures `column`.
fn measured_here(column: Column) -> bool {
    match column {
        Column::Loom => threadcheck::backend() == "loom",
        _ => threadcheck::backend() == "shuttle",
    }
}

/// How many runs `column` takes for `model` (the progress bar's unit).
fn runs(a: &StatsArgs, model: &Model, column: Column) -> u64 {
    match (measured_here(column), column.seeded()) {
        (false, _) => 0,
        (true, false) => 1,
        (true, true) if stats::is_twin(model) => a.twin_seeds,
        (true, true) => a.seeds,
    }
}

fn progress(total: u64, enabled: bool) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
            .expect("template"),
    );
    b.enable_steady_tick(std::time::Duration::from_millis(200));
    b
}

/// Measures `column` for `model` in this build: loom in a `__child` (loom issue #291), the
/// shuttle columns in a `__stats` child (shuttle prints every failure on stderr).
fn measure(a: &StatsArgs, model: &'static Model, column: Column, bar: &ProgressBar) -> Cell {
    if !measured_here(column) {
        return Cell::not_measured(model, column);
    }
    bar.set_message(format!("{} [{}]", model.name, column.title()));
    let runs = runs(a, model, column);
    let cell = if column == Column::Loom {
        let job = Job {
            model,
            checker: column.checker(0).expect("loom has a checker"),
            threads: stats::threads(model, column),
        };
        let settings = ChildSettings {
            stats: true,
            ..ChildSettings::default()
        };
        let o = run_job(&job, None, settings).remove(0);
        stats::single(model, column, &o)
    } else {
        shuttle_child(model, column, runs)
    };
    bar.inc(runs);
    cell
}

fn shuttle_child(model: &'static Model, column: Column, seeds: u64) -> Cell {
    let start = Instant::now();
    let exe =
        std::env::current_exe().unwrap_or_else(|e| bad(format!("cannot find own binary: {e}")));
    let out = Command::new(exe)
        .args(["__stats", model.name, &column.key(), &seeds.to_string()])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let parsed = out.ok().and_then(|o| {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        text.lines()
            .rev()
            .find_map(|l| serde_json::from_str::<Cell>(l).ok())
    });
    parsed.unwrap_or_else(|| {
        // The child died: every seed counts as gone wrong.
        let failed = vec![Finding::Wrong; seeds as usize];
        stats::cell(model, column, &failed, start.elapsed().as_secs_f64())
    })
}

#[derive(Args)]
pub struct StatsChildArgs {
    model: String,
    column: String,
    seeds: u64,
}

/// The child side of a shuttle column: runs its seeds (or DFS once), prints the cell.
pub fn child(a: StatsChildArgs) -> ExitCode {
    let model = find_model(&a.model);
    let column = Column::from_key(&a.column)
        .unwrap_or_else(|| bad(format!("__stats: unknown column {:?}", a.column)));
    let start = Instant::now();
    let cell = if column.seeded() {
        let findings: Vec<Finding> = (0..a.seeds)
            .map(|seed| stats::run_seed(model, column, seed))
            .collect();
        stats::cell(model, column, &findings, start.elapsed().as_secs_f64())
    } else {
        let checker = column
            .checker(0)
            .unwrap_or_else(|| bad(format!("__stats: column {:?} has no checker", a.column)));
        let n = stats::threads(model, column);
        let o = harness::run_with(model, &checker, n, stats::builder(model, &checker));
        stats::single(model, column, &o)
    };
    println!("{}", serde_json::to_string(&cell).expect("cell serializes"));
    ExitCode::SUCCESS
}

/// Reads the cells of `stats --json` files; a later file's measured cell replaces an
/// unmeasured one.
fn read(files: &[PathBuf]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = Vec::new();
    for c in super::read_json_lines::<Cell>(files, "stats") {
        match cells
            .iter_mut()
            .find(|x| x.model == c.model && x.column == c.column)
        {
            Some(slot) if !slot.measured() => *slot = c,
            Some(_) => {}
            None => cells.push(c),
        }
    }
    cells
}

pub fn run(a: StatsArgs) -> ExitCode {
    if a.seeds == 0 {
        bad("--seeds must be at least 1 (seeds per random and PCT column)");
    }
    if a.twin_seeds == 0 {
        bad("--twin-seeds must be at least 1 (seeds per random and PCT column for twins)");
    }
    if !a.from.is_empty() && a.pattern.is_some() {
        bad("--from prints the files as they are; drop the model pattern or --from");
    }
    let (cells, header) = if a.from.is_empty() {
        let models = select(a.pattern.as_deref());
        let total: u64 = models
            .iter()
            .flat_map(|m| Column::ALL.map(|c| runs(&a, m, c)))
            .sum();
        let bar = progress(total, !a.no_progress);
        let mut cells = Vec::new();
        for m in &models {
            for c in Column::ALL {
                let cell = measure(&a, m, c, &bar);
                // JSON lines go out as they are measured: a long run's partial results stay.
                if a.json {
                    println!("{}", serde_json::to_string(&cell).expect("cell serializes"));
                }
                cells.push(cell);
            }
        }
        bar.finish_and_clear();
        (cells, out::Header::new(a.seeds, a.twin_seeds))
    } else {
        let cells = read(&a.from);
        let header = out::Header::of(&cells);
        (cells, header)
    };
    if a.json && !a.from.is_empty() {
        for c in &cells {
            println!("{}", serde_json::to_string(c).expect("cell serializes"));
        }
    } else if !a.json {
        print!("{}", out::markdown(&cells, &header));
    }
    if out::false_alarms(&cells) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
