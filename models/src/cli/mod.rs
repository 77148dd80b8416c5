//! The command line: one module per subcommand. Each owns its arguments (a clap `Args`) and
//! a `run` that returns the exit code; bad input ends the process through [`bad`].

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod check;
mod child;
mod explain;
mod list;
mod merge;
mod replay;
mod select;
mod stats;

/// Check threadcheck's corpus of concurrency models with loom, shuttle and real threads.
#[derive(Parser)]
#[command(name = "threadcheck", version)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// List the models: name, expected verdict, what they do.
    List(list::ListArgs),
    /// Run the models under the checkers and compare each verdict with the expected one.
    #[command(after_long_help = crate::output::json::FIELDS)]
    Check(check::CheckArgs),
    /// Replay a failing execution and print its counterexample (exit code 0 if it matches the
    /// model's expectation, 1 if not).
    Replay(replay::ReplayArgs),
    /// Tell a model's story: what it does, what can go wrong, and where it is defined.
    Explain(explain::ExplainArgs),
    /// Merge `check --json` outputs from several builds into one table (used by ci/check-all):
    /// where loom and a complete DFS agree, a pass is `proven`.
    Merge(merge::MergeArgs),
    /// How well each checker finds the corpus's known bugs (and that their twins pass): one
    /// table row per model; each build measures its own columns, `--from` merges them
    /// (ci/stats runs both builds).
    Stats(stats::StatsArgs),
    /// Internal: replay one shuttle schedule and print the outcome for the parent.
    #[command(name = "__replay", hide = true)]
    ReplayChild(child::ReplayChildArgs),
    /// Internal: measure one stats column of one model and print its cell for the parent.
    #[command(name = "__stats", hide = true)]
    StatsChild(stats::StatsChildArgs),
    /// Internal: run one (model, checker, size) and print the outcome for the parent.
    #[command(name = "__child", hide = true)]
    Child(child::ChildArgs),
}

/// Parses the command line and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::try_parse().unwrap_or_else(|e| {
        use clap::error::ErrorKind::*;
        if matches!(
            e.kind(),
            DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand
        ) {
            e.exit()
        }
        // One line, like every other bad-input error: clap's message and its hint.
        let text = e.render().to_string();
        let parts: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
            .collect();
        bad(parts.join("; ").trim_start_matches("error: "))
    });
    match cli.cmd {
        Cmd::List(a) => list::run(a),
        Cmd::Check(a) => check::run(a),
        Cmd::Replay(a) => replay::run(a),
        Cmd::Explain(a) => explain::run(a),
        Cmd::Merge(a) => merge::run(a),
        Cmd::Stats(a) => stats::run(a),
        Cmd::StatsChild(a) => stats::child(a),
        Cmd::ReplayChild(a) => child::replay_child(a),
        Cmd::Child(a) => child::child(a),
    }
}

/// The JSON lines of `files` in order, each parsed as a `T` (`what` names the command whose
/// `--json` lines they must be); an unreadable file or a line that is not one is bad input,
/// named by file and line.
pub fn read_json_lines<T: serde::de::DeserializeOwned>(
    files: &[std::path::PathBuf],
    what: &str,
) -> Vec<T> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f)
            .unwrap_or_else(|e| bad(format!("cannot read {}: {e}", f.display())));
        for (i, l) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            out.push(serde_json::from_str(l).unwrap_or_else(|e| {
                bad(format!(
                    "{}:{}: not a `{what} --json` line: {e}",
                    f.display(),
                    i + 1
                ))
            }));
        }
    }
    out
}

/// Bad input: one line saying what is wrong and how to fix it, exit code 2.
pub fn bad(msg: impl std::fmt::Display) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
