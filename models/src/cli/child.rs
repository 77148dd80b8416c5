//! Checks run in child processes of this binary (`__child`, `__replay`): loom can abort the
//! process after a deadlock (loom issue #291), real threads can hang, and the checkers print
//! their own noise on stderr. A child that dies loses one row, never the table.

use super::bad;
use super::select::find_model;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use threadcheck_corpus::harness::{self, isolate, Checker, Model, Outcome};

/// One (model, checker, thread count) to run.
pub struct Job {
    pub model: &'static Model,
    pub checker: Checker,
    pub threads: usize,
}

/// How the parent runs its children.
#[derive(Clone, Copy, Default)]
pub struct ChildSettings {
    /// Pass the checkers' own stderr through.
    pub verbose: bool,
    /// `--early-timeouts`: the model clock setting (replays must repeat it).
    pub early_timeouts: Option<usize>,
    /// The child builds its checker with `threadcheck_corpus::stats::builder` (`stats`).
    pub stats: bool,
}

fn own_binary() -> Command {
    let exe =
        std::env::current_exe().unwrap_or_else(|e| bad(format!("cannot find own binary: {e}")));
    Command::new(exe)
}

fn with_settings(cmd: &mut Command, svg: Option<&Path>, s: ChildSettings) {
    if let Some(p) = svg {
        cmd.arg("--svg").arg(p);
    }
    if s.verbose {
        // The checkers' own output (loom's and shuttle's panic messages, shuttle's schedule).
        cmd.env("THREADCHECK_VERBOSE", "1")
            .stderr(std::process::Stdio::inherit());
    }
    if let Some(e) = s.early_timeouts {
        cmd.env("THREADCHECK_EARLY_ADVANCES", e.to_string());
    }
}

/// Runs one job. Checkers this build lacks (and models a checker does not apply to) are
/// judged here without running; the rest run in a child process.
pub fn run_job(j: &Job, svg: Option<&Path>, s: ChildSettings) -> Vec<Outcome> {
    if j.checker.available().is_err() || !isolate::applicable(j.model, &j.checker) {
        return vec![harness::run_one(j.model, &j.checker, j.threads)];
    }
    let mut cmd = own_binary();
    cmd.arg("__child")
        .arg(j.model.name)
        .arg(serde_json::to_string(&j.checker).expect("checker serializes"))
        .arg(j.threads.to_string());
    if s.stats {
        cmd.arg("--stats");
    }
    with_settings(&mut cmd, svg, s);
    let mut out = isolate::run_in_child(cmd, j.model, &j.checker, j.threads);
    out.iter_mut()
        .for_each(|o| o.set_early_timeouts(s.early_timeouts));
    out
}

/// Replays a shuttle `schedule` of `m` in a child (shuttle's own panic hook prints to stderr
/// on every failure).
pub fn run_replay(
    m: &'static Model,
    schedule: &str,
    threads: usize,
    svg: Option<&Path>,
    s: ChildSettings,
) -> Outcome {
    let mut cmd = own_binary();
    cmd.args(["__replay", m.name, schedule, &threads.to_string()]);
    with_settings(
        &mut cmd,
        svg,
        ChildSettings {
            verbose: false,
            ..s
        },
    );
    let one = Checker::Dfs {
        max_iterations: Some(1),
    };
    let mut o = isolate::run_in_child(cmd, m, &one, threads).remove(0);
    o.set_early_timeouts(s.early_timeouts);
    o
}

#[derive(Args)]
pub struct ChildArgs {
    model: String,
    checker: String,
    threads: usize,
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Build the checker as `stats` does.
    #[arg(long)]
    stats: bool,
}

/// The child side of a check.
pub fn child(a: ChildArgs) -> ExitCode {
    let m = find_model(&a.model);
    let c: Checker = serde_json::from_str(&a.checker)
        .unwrap_or_else(|e| bad(format!("__child: bad checker {:?}: {e}", a.checker)));
    let b = if a.stats {
        threadcheck_corpus::stats::builder(m, &c)
    } else {
        c.builder(m)
    };
    let o = harness::run_with(m, &c, a.threads, child_builder(m, b, a.svg));
    isolate::emit(&[o]);
    ExitCode::SUCCESS
}

#[derive(Args)]
pub struct ReplayChildArgs {
    model: String,
    schedule: String,
    threads: usize,
    #[arg(long)]
    svg: Option<PathBuf>,
}

/// The child side of a shuttle replay.
pub fn replay_child(a: ReplayChildArgs) -> ExitCode {
    let m = find_model(&a.model);
    let schedule = threadcheck::model::parse_schedule(&a.schedule).unwrap_or_else(|e| bad(e));
    let checker = Checker::Dfs {
        max_iterations: Some(1),
    };
    let b = threadcheck::model::Builder::defaults()
        .checker(threadcheck::model::Checker::Dfs)
        .replay(schedule.clone());
    let mut o = harness::run_with(m, &checker, a.threads, child_builder(m, b, a.svg));
    o.schedule = Some(schedule);
    isolate::emit(&[o]);
    ExitCode::SUCCESS
}

/// A child's builder: at the first failure, before anything can abort the process (loom
/// issue #291), print it for the parent and draw its SVG.
fn child_builder(
    m: &'static Model,
    b: threadcheck::model::Builder,
    svg: Option<PathBuf>,
) -> threadcheck::model::Builder {
    b.on_failure(move |f| {
        isolate::report_failure(f);
        if let (Some(p), Some(t)) = (&svg, &f.trace) {
            let drawn = crate::output::svg::svg(t, m.name, f.kind_name(), &f.message);
            let _ = std::fs::write(p, drawn);
        }
    })
}
