//! `threadcheck list`: the models, their expected verdicts and what they do.

use super::select::select;
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct ListArgs {
    /// Model name, substring, or glob (`lock/*`, `*deadlock*`, `{lock,rlock}/*`).
    pattern: Option<String>,
    /// Print a JSON array instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(a: ListArgs) -> ExitCode {
    let models = select(a.pattern.as_deref());
    if a.json {
        println!("{}", crate::output::json::models(&models));
    } else {
        println!("{}", crate::output::table::models(&models));
    }
    ExitCode::SUCCESS
}
