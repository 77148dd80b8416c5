//! How well each checker finds the corpus's known bugs: the measurements behind `threadcheck
//! stats` and the README's "Which checker finds what".
//!
//! | column | build | what is measured |
//! |---|---|---|
//! | `loom` | loom | one exhaustive run: executions to the first failure (a bug) or to the end (a twin), seconds |
//! | `random`, `pct1`..`pct3` | shuttle | over N seeds, each run up to [`MAX_ITERATIONS`]: on how many seeds the bug is found within 1, 10, 100, 1000 iterations; the median iterations to find it |
//! | `dfs` | shuttle | deterministic, so one run capped at [`MAX_ITERATIONS`]: the execution that finds it |
//! | `lock-order` | shuttle | over N seeds, one iteration each with lock-order checking on: on how many seeds the first execution reports the bug (a lock cycle as a potential deadlock) |
//!
//! A bug model's column counts a seed only if the failure is the model's own `Expect`; a twin's
//! counts any failure as a false alarm. Every run, whatever its column, gets its builder from
//! [`builder`], so one place decides what a stats run checks: the scheduler columns run with
//! lock-order checking off (they measure their own search), the `lock-order` column with it on.

use crate::harness::{self, Checker, Expect, Model, Outcome, Verdict};
use serde::{Deserialize, Serialize};
use threadcheck::model::Builder;

/// The iteration counts the table reports detection within.
pub const MARKS: [usize; 4] = [1, 10, 100, 1000];

/// Each seed runs up to this many iterations (the last of [`MARKS`]); DFS is capped here.
pub const MAX_ITERATIONS: usize = 1000;

/// A column of the table: one checker with its settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// loom, exhaustive (the model's own preemption bound, usually none).
    Loom,
    /// shuttle's random scheduler.
    Random,
    /// shuttle's PCT scheduler with this bug depth.
    Pct(usize),
    /// shuttle's DFS, capped at [`MAX_ITERATIONS`].
    Dfs,
    /// The lock-order checker: shuttle's first execution with lock-order checking on.
    LockOrder,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 7] = [
        Column::Loom,
        Column::Random,
        Column::Pct(1),
        Column::Pct(2),
        Column::Pct(3),
        Column::Dfs,
        Column::LockOrder,
    ];

    /// The shuttle scheduler columns.
    pub const SCHEDULERS: [Column; 5] = [
        Column::Random,
        Column::Pct(1),
        Column::Pct(2),
        Column::Pct(3),
        Column::Dfs,
    ];

    /// The column's key in JSON: `loom`, `random`, `pct1`, `pct2`, `pct3`, `dfs`, `lock-order`.
    pub fn key(self) -> String {
        match self {
            Column::Loom => "loom".into(),
            Column::Random => "random".into(),
            Column::Pct(d) => format!("pct{d}"),
            Column::Dfs => "dfs".into(),
            Column::LockOrder => "lock-order".into(),
        }
    }

    /// The column's heading in the table.
    pub fn title(self) -> String {
        match self {
            Column::Pct(d) => format!("pct d={d}"),
            c => c.key(),
        }
    }

    /// The column with this key.
    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Whether seeds matter (random and PCT); DFS and loom are deterministic.
    pub fn seeded(self) -> bool {
        matches!(self, Column::Random | Column::Pct(_) | Column::LockOrder)
    }

    /// The corpus checker for this column with `seed`, or `None` for a column with no
    /// checker yet.
    pub fn checker(self, seed: u64) -> Option<Checker> {
        Some(match self {
            Column::Loom => Checker::Loom { preemptions: None },
            Column::Random => Checker::Random {
                iterations: MAX_ITERATIONS,
                seed: Some(seed),
            },
            Column::Pct(depth) => Checker::Pct {
                iterations: MAX_ITERATIONS,
                depth,
                seed: Some(seed),
            },
            Column::Dfs => Checker::Dfs {
                max_iterations: Some(MAX_ITERATIONS),
            },
            Column::LockOrder => Checker::Random {
                iterations: 1,
                seed: Some(seed),
            },
        })
    }
}

/// The library builder every stats run uses, loom's (in its child process) and shuttle's
/// alike: the checker's own, with settings that keep the columns apart.
pub fn builder(model: &Model, checker: &Checker) -> Builder {
    // A lock cycle is counted in the `lock-order` column; loom's and shuttle's columns
    // measure their own search.
    checker.builder(model).lock_order(false)
}

/// [`builder`] for `column`: the `lock-order` column turns lock-order checking on (unless
/// the model opts out, as its checks do).
pub fn column_builder(model: &Model, column: Column, checker: &Checker) -> Builder {
    let b = builder(model, checker);
    if column == Column::LockOrder && model.lock_order {
        b.lock_order(true)
    } else {
        b
    }
}

/// The thread count `model` runs with in `column`: loom's largest size, shuttle's own count
/// (the `lock-order` column runs under shuttle too).
pub fn threads(model: &Model, column: Column) -> usize {
    match column {
        Column::Loom => model.threads.loom.iter().copied().max().unwrap_or(1),
        _ => model.threads.shuttle,
    }
}

/// Whether `model` is a correct twin (expects a pass) rather than a bug.
pub fn is_twin(model: &Model) -> bool {
    model.expect == Expect::Pass
}

/// One model's measurement in one column: a line of `stats --json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The model's name.
    pub model: String,
    /// What the model expects (`pass` for a twin).
    pub expect: String,
    /// The column's key ([`Column::key`]).
    pub column: String,
    /// The build that measured it (`loom`, `shuttle`), or `none` for a column not measured.
    pub backend: String,
    /// Threads the model ran with.
    pub threads: usize,
    /// Seeds run (1 for loom and DFS, 0 when not measured).
    pub seeds: u64,
    /// For a bug: seeds that found it within each of [`MARKS`] iterations (loom and DFS: 1 or
    /// 0). For a twin: unused (zeros).
    pub within: Vec<u64>,
    /// Seeds (runs) whose failure was not the model's expectation: any failure of a twin, a
    /// bug's failure of another kind, or a checker error.
    pub wrong: u64,
    /// Median iterations to the first detection over all seeds (`None`: found on fewer than
    /// half of them within [`MAX_ITERATIONS`]). For loom and DFS: the execution that found it.
    pub median: Option<u64>,
    /// Executions of the one run (loom, DFS): to the first failure, or all explored.
    pub executions: Option<u64>,
    /// Whether the one run (loom, DFS) searched every execution.
    pub complete: Option<bool>,
    /// The verdict of the one run (loom, DFS), as the `check` table shows it.
    pub verdict: Option<String>,
    /// Wall seconds for the whole column.
    pub seconds: f64,
}

impl Cell {
    /// The column's cell for `model` with nothing measured.
    pub fn not_measured(model: &Model, column: Column) -> Cell {
        Cell {
            model: model.name.into(),
            expect: model.expect.to_string(),
            column: column.key(),
            backend: "none".into(),
            threads: threads(model, column),
            seeds: 0,
            within: vec![0; MARKS.len()],
            wrong: 0,
            median: None,
            executions: None,
            complete: None,
            verdict: None,
            seconds: 0.0,
        }
    }

    /// Whether this cell was measured by some build.
    pub fn measured(&self) -> bool {
        self.seeds > 0
    }

    /// Whether a bug was found on every seed within `MARKS[mark]` iterations, and nothing
    /// else went wrong.
    pub fn all_within(&self, mark: usize) -> bool {
        self.measured() && self.wrong == 0 && self.within[mark] == self.seeds
    }
}

/// What one run says about the model: found its bug at execution `k`, raised something else,
/// or found nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The model's own expectation, at this execution.
    Found(u64),
    /// A failure that is not the model's expectation (or a checker error).
    Wrong,
    /// Nothing failed.
    Nothing,
}

/// Judges one outcome of `model`.
pub fn finding(model: &Model, o: &Outcome) -> Finding {
    match &o.verdict {
        Verdict::Pass | Verdict::Outcomes(_) => Finding::Nothing,
        v if v.is_failure() && !is_twin(model) && o.matched => Finding::Found(o.executions),
        _ => Finding::Wrong,
    }
}

/// Folds the findings of a column's runs (one per seed) into its cell.
pub fn cell(model: &Model, column: Column, findings: &[Finding], seconds: f64) -> Cell {
    let mut c = Cell::not_measured(model, column);
    c.backend = threadcheck::backend().into();
    c.seeds = findings.len() as u64;
    c.seconds = seconds;
    let mut found: Vec<u64> = Vec::new();
    for f in findings {
        match *f {
            Finding::Found(k) => {
                found.push(k);
                for (i, m) in MARKS.iter().enumerate() {
                    if k <= *m as u64 {
                        c.within[i] += 1;
                    }
                }
            }
            Finding::Wrong => c.wrong += 1,
            Finding::Nothing => {}
        }
    }
    // The (lower) median over every seed, a miss counting as more than the cap: defined
    // only when at least half the seeds found the bug.
    found.sort_unstable();
    let mid = (findings.len().max(1) - 1) / 2;
    c.median = found.get(mid).copied();
    c
}

/// Runs one shuttle seed of `model` in `column` in this process.
pub fn run_seed(model: &Model, column: Column, seed: u64) -> Finding {
    let Some(checker) = column.checker(seed) else {
        return Finding::Nothing;
    };
    let n = threads(model, column);
    let o = harness::run_with(model, &checker, n, column_builder(model, column, &checker));
    finding(model, &o)
}

/// A one-run column (loom, DFS) from its outcome.
pub fn single(model: &Model, column: Column, o: &Outcome) -> Cell {
    let mut c = cell(model, column, &[finding(model, o)], o.seconds);
    c.threads = o.threads;
    c.executions = Some(o.executions);
    c.complete = Some(o.complete);
    c.verdict = Some(o.verdict.short());
    c
}
