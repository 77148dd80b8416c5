//! `threadcheck replay MODEL SCHEDULE`: re-run one failing execution (a shuttle schedule, or
//! loom's deterministic search to its first failure) and print its counterexample.

use super::bad;
use super::child::{run_job, run_replay, ChildSettings, Job};
use super::select::find_model;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use threadcheck_corpus::harness::{Checker, Verdict};

#[derive(Args)]
pub struct ReplayArgs {
    /// Model name, exactly as `list` prints it.
    model: String,
    /// A shuttle schedule string (printed with the failure), or `loom` to re-run loom's
    /// deterministic search to its first failure (loom build).
    schedule: String,
    /// Thread count the failure was found with (default: the model's for that checker).
    #[arg(long)]
    threads: Option<usize>,
    /// loom only: the preemption bound the failure was found with.
    #[arg(long)]
    preemptions: Option<usize>,
    /// Also draw the failing execution as an SVG timeline.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Early advances of the model clock per execution, as in the failing check.
    #[arg(long)]
    early_timeouts: Option<usize>,
    /// Show the checker's own message too.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(a: ReplayArgs) -> ExitCode {
    let m = find_model(&a.model);
    if a.threads == Some(0) {
        bad("--threads must be at least 1");
    }
    let settings = ChildSettings {
        verbose: a.verbose,
        early_timeouts: a.early_timeouts,
        stats: false,
    };
    let by_loom = a.schedule == "loom";
    let o = if by_loom {
        let c = Checker::Loom {
            preemptions: a.preemptions,
        };
        if let Err(how) = c.available() {
            bad(format!("replaying with loom needs the loom build: {how}"));
        }
        let j = Job {
            model: m,
            checker: c,
            threads: a.threads.unwrap_or(m.threads.loom[0]),
        };
        let tmp = a.svg.as_ref().map(|p| p.with_extension("svg.part"));
        let o = run_job(&j, tmp.as_deref(), settings).remove(0);
        if let (Some(t), Some(p)) = (tmp, &a.svg) {
            if t.exists() {
                std::fs::rename(t, p)
                    .unwrap_or_else(|e| bad(format!("cannot write {}: {e}", p.display())));
            }
        }
        o
    } else {
        let schedule: String = a.schedule.split_whitespace().collect();
        if schedule.is_empty() || !schedule.chars().all(|c| c.is_ascii_hexdigit()) {
            bad(format!(
                "bad schedule string {:?}: expected the hex string printed on the failure's replay line, or `loom`",
                a.schedule
            ));
        }
        if a.preemptions.is_some() {
            bad(
                "--preemptions only applies to `replay MODEL loom`; drop it for a shuttle schedule",
            );
        }
        if let Err(e) = threadcheck::model::parse_schedule(&schedule) {
            bad(format!(
                "bad schedule string: {e}; copy the hex string after `replay MODEL` from the failure's replay line"
            ));
        }
        let threads = a.threads.unwrap_or(m.threads.shuttle);
        run_replay(m, &schedule, threads, a.svg.as_deref(), settings)
    };
    println!(
        "replayed {} [{} n={}]: expected {}, got {}{}",
        o.model,
        if by_loom { "loom" } else { "shuttle schedule" },
        o.threads,
        o.expected,
        o.verdict.short(),
        if o.matched { " ✓" } else { " ✗" }
    );
    if let Some(r) = &o.report {
        print!("{r}");
    }
    if a.verbose {
        if let Verdict::Deadlock(msg) | Verdict::Panic(msg) = &o.verdict {
            println!("checker said: {}", msg.trim_end());
        }
    }
    if let Some(p) = &a.svg {
        if p.exists() {
            eprintln!("svg: wrote {}", p.display());
        }
    }
    if o.matched {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
