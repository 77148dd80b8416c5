//! `threadcheck merge FILES...`: one table from the `check --json` lines of several builds.
//! Here loom's rows (loom build) meet DFS's (shuttle build), so a pass can be `proven`.

use super::bad;
use crate::output::{Format, Reporter};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use threadcheck_corpus::harness::Outcome;

#[derive(Args)]
pub struct MergeArgs {
    /// Files of JSON lines written by `check --json`.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print the merged JSON lines instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write the merged results as JUnit XML.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Show rows no build ran too (n/a).
    #[arg(long)]
    all_rows: bool,
}

/// The order rows are shown in: corpus order (as `list` prints it), then checker, then size.
fn order(o: &Outcome) -> (usize, String, Option<usize>, usize) {
    let corpus = threadcheck_corpus::all();
    (
        corpus
            .iter()
            .position(|m| m.name == o.model)
            .unwrap_or(usize::MAX),
        o.model.clone(),
        threadcheck::model::Checker::ALL
            .iter()
            .position(|k| k.name() == o.checker.name()),
        o.threads,
    )
}

pub fn run(a: MergeArgs) -> ExitCode {
    let mut rows: Vec<Outcome> = Vec::new();
    let mut backends: Vec<String> = Vec::new();
    for o in super::read_json_lines::<Outcome>(&a.files, "check") {
        if o.ran() && !backends.contains(&o.backend) {
            backends.push(o.backend.clone());
        }
        // One row per (model, checker, n): the build that ran it wins over n/a.
        let key = |o: &Outcome| (o.model.clone(), o.checker.name(), o.threads);
        match rows.iter_mut().find(|r| key(r) == key(&o)) {
            Some(slot) if !slot.ran() => *slot = o,
            Some(_) => {}
            None => rows.push(o),
        }
    }
    rows.sort_by_key(order);
    let backends: Vec<&str> = match backends.len() {
        0 => vec!["no"],
        _ => backends.iter().map(String::as_str).collect(),
    };
    let format = if a.json {
        Format::Json
    } else {
        Format::Table {
            verbose: false,
            all_rows: a.all_rows,
        }
    };
    Reporter::new(format, a.junit, backends)
        .finish(&rows)
        .unwrap_or_else(|e| bad(e))
}
