//! `threadcheck`: check the corpus of concurrency models and tell the story of each failure.
//!
//! ```text
//! cargo run -p threadcheck-corpus --release --features shuttle -- check          # the shuttle build's rows
//! cargo run -p threadcheck-corpus --release --features shuttle -- check lock/two_lock_deadlock --checker pct
//! cargo run -p threadcheck-corpus --release --features shuttle -- replay lock/two_lock_deadlock <schedule> --threads 10
//! RUSTFLAGS="--cfg loom" cargo run -p threadcheck-corpus --release -- check --checker loom 'lock/*'
//! cargo run -p threadcheck-corpus --release -- check --checker real             # real threads (production build)
//! ci/check-all                                                                  # all three builds, one table
//! ci/stats                                                                      # how fast each checker finds each known bug
//! ```
//!
//! Exit codes: 0 every verdict that ran is what the corpus says; 1 some is not; 2 bad input
//! (the one-line error says how to fix it).
//!
//! | module | what |
//! |---|---|
//! | `cli/` | one file per subcommand (`list`, `check`, `replay`, `explain`, `merge`, `stats`), model selection, the child processes checks run in |
//! | `output/` | the `Reporter` (what the terminal shows) and one file per format: table, JSON, JUnit, SVG, the counterexamples |
//!
//! Data flows one way: `cli` runs the harness and hands outcomes to `output`; `output` reads
//! outcomes and knows nothing of the command line.

mod cli;
mod output;

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`threadcheck list | head`) would
    // panic; end quietly instead, as Unix tools do.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    cli::run()
}
