//! `threadcheck check`: run the selected models under the checkers and compare each verdict
//! with what the corpus says.

use super::bad;
use super::child::{run_job, ChildSettings, Job};
use super::select::select;
use crate::output::{Format, Reporter};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use threadcheck_corpus::harness::{self, Checker, DFS_CAP};

#[derive(Args)]
pub struct CheckArgs {
    /// Model name, substring, or glob (`lock/*`, `*deadlock*`); default: every model.
    pattern: Option<String>,
    /// Checkers to run (repeat or comma-separate); default: all. Rows of checkers this build
    /// lacks are counted in one line that names the command running them (`--all-rows`
    /// shows each).
    #[arg(long, value_enum, value_delimiter = ',')]
    checker: Vec<Kind>,
    /// Executions per shuttle scheduler (random, pct), cap for dfs, runs for real.
    /// Default: 1000 for random/pct, 100000 for dfs (as tests/shuttle.rs; a model may raise
    /// it), 200 for real.
    #[arg(long)]
    iterations: Option<usize>,
    /// Seed for random and pct (default: fresh each run; the schedule replays anyway).
    #[arg(long)]
    seed: Option<u64>,
    /// PCT bug depth (default 3).
    #[arg(long)]
    depth: Option<usize>,
    /// loom preemption bound (default: the model's own, usually unbounded).
    #[arg(long)]
    preemptions: Option<usize>,
    /// Early advances of the model clock per execution: a timed wait may expire while other
    /// threads could still run, at most this many times (0: time passes only when every
    /// thread is blocked). Default: $THREADCHECK_EARLY_ADVANCES, else 1.
    #[arg(long)]
    early_timeouts: Option<usize>,
    /// Run every model with this many threads instead of its per-checker sizes.
    #[arg(long)]
    threads: Option<usize>,
    /// Print JSON lines on stdout instead of the table (fields below).
    #[arg(long)]
    json: bool,
    /// Also write the results as JUnit XML (GitHub, GitLab and Jenkins render it).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Draw the first counterexample found as an SVG timeline.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Show the rows of checkers this build lacks too (n/a, with the command that runs them).
    #[arg(long)]
    all_rows: bool,
    /// Print every counterexample and the checkers' own messages.
    #[arg(long, short)]
    verbose: bool,
    /// No progress bar (it is already off when stderr is not a terminal).
    #[arg(long)]
    no_progress: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Loom,
    Random,
    Pct,
    Dfs,
    Real,
}

const ALL_KINDS: [Kind; 5] = [Kind::Loom, Kind::Random, Kind::Pct, Kind::Dfs, Kind::Real];

/// The checkers `a` asks for, with their settings; contradictory flags are bad input.
fn checkers(a: &CheckArgs) -> Vec<Checker> {
    let mut kinds: Vec<Kind> = Vec::new();
    for k in if a.checker.is_empty() {
        &ALL_KINDS[..]
    } else {
        &a.checker
    } {
        if !kinds.contains(k) {
            kinds.push(*k);
        }
    }
    let has = |k: Kind| kinds.contains(&k);
    if a.iterations == Some(0) {
        bad("--iterations must be at least 1 (it is the number of executions per checker)");
    }
    if a.threads == Some(0) {
        bad("--threads must be at least 1");
    }
    if a.depth == Some(0) {
        bad("--depth must be at least 1 (PCT's bug depth: 1 finds ordering bugs, 2-3 deadlocks)");
    }
    if !a.checker.is_empty() {
        if a.depth.is_some() && !has(Kind::Pct) {
            bad("--depth only applies to --checker pct; add pct or drop --depth");
        }
        if a.preemptions.is_some() && !has(Kind::Loom) {
            bad("--preemptions only applies to --checker loom; add loom or drop --preemptions");
        }
        if a.seed.is_some() && !has(Kind::Random) && !has(Kind::Pct) {
            bad("--seed only applies to --checker random or pct; add one or drop --seed");
        }
    }
    let it = a.iterations;
    let list: Vec<Checker> = kinds
        .iter()
        .map(|k| match k {
            Kind::Loom => Checker::Loom {
                preemptions: a.preemptions,
            },
            Kind::Random => Checker::Random {
                iterations: it.unwrap_or(1000),
                seed: a.seed,
            },
            Kind::Pct => Checker::Pct {
                iterations: it.unwrap_or(1000),
                depth: a.depth.unwrap_or(3),
                seed: a.seed,
            },
            Kind::Dfs => Checker::Dfs {
                max_iterations: Some(it.unwrap_or(DFS_CAP)),
            },
            Kind::Real => Checker::Real {
                runs: it.unwrap_or(200),
            },
        })
        .collect();
    if !a.checker.is_empty() {
        for c in &list {
            if let Err(how) = c.available() {
                bad(format!(
                    "checker {} is not in this {} build: {how}",
                    c.name(),
                    threadcheck::backend()
                ));
            }
        }
    }
    list
}

/// One job per model, checker and size (`--threads` replaces each model's sizes: one row per
/// model and checker).
fn jobs(a: &CheckArgs, cs: &[Checker]) -> Vec<Job> {
    let mut jobs = Vec::new();
    for m in select(a.pattern.as_deref()) {
        for c in cs {
            let c = &c.for_model(m);
            let sizes = match a.threads {
                Some(n) => vec![n],
                None => harness::sizes(m, c),
            };
            jobs.extend(sizes.into_iter().map(|n| Job {
                model: m,
                checker: c.clone(),
                threads: n,
            }));
        }
    }
    jobs
}

pub fn run(a: CheckArgs) -> ExitCode {
    let cs = checkers(&a);
    let jobs = jobs(&a, &cs);
    let format = if a.json {
        Format::Json
    } else {
        Format::Table {
            verbose: a.verbose,
            all_rows: a.all_rows,
        }
    };
    let mut reporter = Reporter::new(format, a.junit.clone(), vec![threadcheck::backend()]);
    reporter.progress(jobs.len(), !a.no_progress);
    let settings = ChildSettings {
        verbose: a.verbose,
        early_timeouts: a.early_timeouts,
        stats: false,
    };
    // Each child may draw its first failure; keep the first drawing only.
    let svg_tmp = a.svg.as_ref().map(|p| p.with_extension("svg.part"));
    let mut svg_done = false;
    let mut outcomes = Vec::new();
    for j in &jobs {
        reporter.running(j.model.name, j.checker.name(), j.threads);
        let svg = if svg_done { None } else { svg_tmp.as_deref() };
        outcomes.extend(run_job(j, svg, settings));
        if let (Some(tmp), Some(dst), false) = (&svg_tmp, &a.svg, svg_done) {
            if tmp.exists() {
                std::fs::rename(tmp, dst)
                    .unwrap_or_else(|e| bad(format!("cannot write {}: {e}", dst.display())));
                svg_done = true;
            }
        }
    }
    let code = reporter.finish(&outcomes).unwrap_or_else(|e| bad(e));
    if let Some(p) = &a.svg {
        if svg_done {
            eprintln!("svg: wrote {}", p.display());
        } else {
            eprintln!("svg: no counterexample with recorded steps to draw (nothing failed, or this is the production build)");
        }
    }
    code
}
