//! `threadcheck explain MODEL`: the model's story, sizes, known checker misses and where it
//! lives.

use super::select::find_model;
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct ExplainArgs {
    /// Model name, exactly as `list` prints it.
    model: String,
}

pub fn run(a: ExplainArgs) -> ExitCode {
    let m = find_model(&a.model);
    println!("{}", m.name);
    println!("  {}", m.about);
    println!("  expected: {}", m.expect);
    for k in m.known {
        println!(
            "  known miss: {} gives {} — {}",
            k.checker.name(),
            k.gives,
            k.why
        );
    }
    let loom: Vec<String> = m.threads.loom.iter().map(|n| n.to_string()).collect();
    println!(
        "  threads:  loom and dfs {} · random and pct {} · real {}",
        loom.join(", "),
        m.threads.shuttle,
        if m.real {
            m.threads.real.to_string()
        } else {
            "not run (see the story)".into()
        }
    );
    println!(
        "  loom preemption bound: {}",
        m.loom_preemptions
            .map_or("none (exhaustive)".to_string(), |p| p.to_string())
    );
    println!("  defined at: {}", m.file.trim_start_matches("src/../"));
    println!(
        "  check it:   cargo run -p threadcheck-corpus --release --features shuttle -- check {}",
        m.name
    );
    println!(
        "              RUSTFLAGS=\"--cfg loom\" cargo run -p threadcheck-corpus --release -- check --checker loom {}",
        m.name
    );
    println!("              ci/check-all {}", m.name);
    println!();
    for l in m.story.lines() {
        println!("  {}", l.strip_prefix(' ').unwrap_or(l));
    }
    ExitCode::SUCCESS
}
