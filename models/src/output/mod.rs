//! What the user sees: the [`Reporter`] owns the terminal (progress while checks run, then the
//! verdict table or JSON lines, the counterexamples, the JUnit file); one module per format.
//!
//! Reads outcomes only: nothing here knows the command line.

pub mod json;
pub mod junit;
pub mod stats;
mod stories;
pub mod svg;
pub mod table;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use threadcheck_corpus::harness::strength::{assess, Strength};
use threadcheck_corpus::harness::{isolate, Outcome};

/// How results are printed on stdout.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    /// The verdict table, then the counterexamples.
    Table {
        /// Every counterexample (not one per model) and the checkers' own messages.
        verbose: bool,
        /// Rows of checkers no build here ran, too.
        all_rows: bool,
    },
    /// One JSON object per result.
    Json,
}

/// Where a result stands with the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The checker is not in the build(s) that ran.
    NotRun,
    /// What the corpus says.
    Ok,
    /// The checker's documented wrong verdict.
    KnownMiss,
    /// Not what the corpus says, or two exhaustive searches disagree.
    Fail,
}

impl Status {
    /// The status column's text.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotRun => "n/a",
            Status::Ok => "ok",
            Status::KnownMiss => "known miss",
            Status::Fail => "FAIL",
        }
    }
}

/// One result, weighed against the others.
pub struct Row<'a> {
    pub outcome: &'a Outcome,
    pub strength: Strength,
}

impl Row<'_> {
    pub fn status(&self) -> Status {
        let o = self.outcome;
        if !o.ran() {
            Status::NotRun
        } else if self.strength.fails() || !o.ok() {
            Status::Fail
        } else if o.known_miss {
            Status::KnownMiss
        } else {
            Status::Ok
        }
    }

    /// A row of a checker no build here has (not a model the checker does not apply to).
    pub fn other_build(&self) -> bool {
        !self.outcome.ran()
            && threadcheck_corpus::find(&self.outcome.model)
                .is_none_or(|m| isolate::applicable(m, &self.outcome.checker))
    }
}

/// Each outcome with its strength.
pub fn rows(outcomes: &[Outcome]) -> Vec<Row<'_>> {
    outcomes
        .iter()
        .zip(assess(outcomes))
        .map(|(outcome, strength)| Row { outcome, strength })
        .collect()
}

/// Owns what the terminal shows for `check` and `merge`.
pub struct Reporter {
    format: Format,
    junit: Option<PathBuf>,
    backends: Vec<String>,
    bar: ProgressBar,
}

impl Reporter {
    /// A reporter printing `format`, also writing JUnit to `junit`, for results of `backends`.
    pub fn new(format: Format, junit: Option<PathBuf>, backends: Vec<&str>) -> Reporter {
        Reporter {
            format,
            junit,
            backends: backends.into_iter().map(str::to_owned).collect(),
            bar: ProgressBar::hidden(),
        }
    }

    /// Shows a progress bar over `jobs` on stderr, if `enabled` and stderr is a terminal.
    pub fn progress(&mut self, jobs: usize, enabled: bool) {
        if !enabled || !std::io::stderr().is_terminal() {
            return;
        }
        let b = ProgressBar::with_draw_target(Some(jobs as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}",
            )
            .expect("template"),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(200));
        self.bar = b;
    }

    /// A job starts (the previous one, if any, is done).
    pub fn running(&self, model: &str, checker: &str, threads: usize) {
        if self.bar.message().is_empty() {
            self.bar.set_position(0);
        } else {
            self.bar.inc(1);
        }
        self.bar
            .set_message(format!("{model} [{checker} n={threads}]"));
    }

    /// Prints the results, writes the JUnit file; the exit code (1 if a row failed).
    pub fn finish(self, outcomes: &[Outcome]) -> Result<ExitCode, String> {
        self.bar.finish_and_clear();
        let rows = rows(outcomes);
        let backends: Vec<&str> = self.backends.iter().map(String::as_str).collect();
        if let Some(p) = &self.junit {
            std::fs::write(p, junit::report(&rows, &backends))
                .map_err(|e| format!("cannot write --junit {}: {e}", p.display()))?;
        }
        match self.format {
            Format::Json => {
                for r in &rows {
                    println!("{}", json::line(r));
                }
            }
            Format::Table { verbose, all_rows } => {
                print!("{}", table::verdicts(&rows, &backends, all_rows));
                print!("{}", stories::counterexamples(&rows, verbose));
            }
        }
        Ok(if rows.iter().any(|r| r.status() == Status::Fail) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }
}
