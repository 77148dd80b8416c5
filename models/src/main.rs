//! `threadcheck`: check the corpus of concurrency models and tell the story of each failure.
//!
//! ```text
//! cargo run -p threadcheck-corpus --release --features shuttle -- check          # the whole table (shuttle build)
//! cargo run -p threadcheck-corpus --release --features shuttle -- check lock/two_lock_deadlock --checker pct
//! cargo run -p threadcheck-corpus --release --features shuttle -- replay lock/two_lock_deadlock <schedule> --threads 10
//! RUSTFLAGS="--cfg loom" cargo run -p threadcheck-corpus --release -- check --checker loom 'lock/*'
//! cargo run -p threadcheck-corpus --release -- check --checker real             # real threads (production build)
//! ```
//!
//! Exit codes: 0 every verdict that ran matched its model's expectation; 1 some did not;
//! 2 bad input (the one-line error says how to fix it).

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use threadcheck_corpus as models;
use threadcheck_corpus::harness::{self as check, isolate, Checker, Model, Outcome, Verdict};

const JSON_FIELDS: &str = "\
JSON (--json): one object per line, one line per (model, checker, thread count):
  model       string   corpus name, e.g. \"lock/two_lock_deadlock\"
  checker     object   {\"checker\": \"loom\"|\"random\"|\"pct\"|\"dfs\"|\"real\", ...settings}:
                       loom {preemptions}, random {iterations, seed}, pct {iterations, depth,
                       seed}, dfs {max_iterations}, real {runs}; null = default/unbounded
  threads     number   thread count the model ran with
  expected    string   the model's expectation: pass | deadlock | panic(\"..\") | outcomes{..}
  verdict     object   {\"kind\": \"pass\"|\"deadlock\"|\"panic\"|\"outcomes\"|\"unavailable\"|\"error\",
                        \"detail\": checker message | observed outcomes | how to enable}
  matched     bool     the verdict satisfies the expectation
  executions  number   executions explored
  seconds     number   wall time
  schedule    string?  shuttle schedule string replaying the failure (else null)
  report      string?  readable counterexample (deadlock cycle, steps, replay) (else null)
  replay      string?  command that replays the failure (else null)
  backend     string   build that produced the line: production | loom | shuttle
Exit code: 0 if every verdict that ran matched, 1 if one did not, 2 for bad input.
Rows marked n/a did not run in this build; they name the command that enables them.";

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
    List {
        /// Model name, substring, or glob (`lock/*`, `*deadlock*`).
        pattern: Option<String>,
        /// Print a JSON array instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Run the models under the checkers and compare each verdict with the expected one.
    #[command(after_long_help = JSON_FIELDS)]
    Check(CheckArgs),
    /// Replay a failing execution and print its counterexample (exit code 0 if it matches the
    /// model's expectation, 1 if not).
    Replay {
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
    },
    /// Tell a model's story: what it does, what can go wrong, and where it is defined.
    Explain {
        /// Model name, exactly as `list` prints it.
        model: String,
    },
    /// Merge `check --json` outputs from several builds into one table (used by ci/check-all).
    Merge {
        /// Files of JSON lines written by `check --json`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the merged JSON lines instead of the table.
        #[arg(long)]
        json: bool,
        /// Also write the merged results as JUnit XML.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
    },
    /// Internal: replay one shuttle schedule and print the outcome for the parent.
    #[command(name = "__replay", hide = true)]
    ReplayChild {
        model: String,
        schedule: String,
        threads: usize,
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Internal: run one (model, checker, size) and print the outcome for the parent.
    #[command(name = "__child", hide = true)]
    Child {
        model: String,
        checker: String,
        threads: usize,
        #[arg(long)]
        svg: Option<PathBuf>,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Model name, substring, or glob (`lock/*`, `*deadlock*`); default: every model.
    pattern: Option<String>,
    /// Checkers to run (repeat or comma-separate); default: all, the ones this build lacks
    /// shown as n/a with the command that enables them.
    #[arg(long, value_enum, value_delimiter = ',')]
    checker: Vec<Kind>,
    /// Executions per shuttle scheduler (random, pct), cap for dfs, runs for real.
    /// Default: 1000 for random/pct, 100000 for dfs (as tests/shuttle.rs), 200 for real.
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
    /// Print every counterexample and the checkers' own messages.
    #[arg(long, short)]
    verbose: bool,
    /// No progress bar (it is already off when stderr is not a terminal).
    #[arg(long)]
    no_progress: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Kind {
    Loom,
    Random,
    Pct,
    Dfs,
    Real,
}

const ALL_KINDS: [Kind; 5] = [Kind::Loom, Kind::Random, Kind::Pct, Kind::Dfs, Kind::Real];

/// `--early-timeouts`, when given: replay commands must repeat it.
static EARLY_TIMEOUTS: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();

/// `cmd` (a replay command) with the clock setting the failure was found with.
fn with_clock(cmd: &str) -> String {
    match EARLY_TIMEOUTS.get().copied().flatten() {
        Some(e) => format!("{cmd} --early-timeouts {e}"),
        None => cmd.to_owned(),
    }
}

/// Bad input: one line saying what is wrong and how to fix it, exit code 2.
fn bad(msg: impl std::fmt::Display) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`threadcheck list | head`) would
    // panic; end quietly instead, as Unix tools do.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
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
        Cmd::List { pattern, json } => list(pattern.as_deref(), json),
        Cmd::Check(a) => check_cmd(a),
        Cmd::Replay {
            model,
            schedule,
            threads,
            preemptions,
            svg,
            early_timeouts,
            verbose,
        } => {
            let _ = EARLY_TIMEOUTS.set(early_timeouts);
            replay(&model, &schedule, threads, preemptions, svg, verbose)
        }
        Cmd::Explain { model } => explain(&model),
        Cmd::Merge { files, json, junit } => merge(&files, json, junit),
        Cmd::ReplayChild {
            model,
            schedule,
            threads,
            svg,
        } => replay_child(&model, &schedule, threads, svg),
        Cmd::Child {
            model,
            checker,
            threads,
            svg,
        } => child(&model, &checker, threads, svg),
    }
}

// ---------------------------------------------------------------- selecting models

/// Whether `pat` (glob with `*`, `?`, `[...]`) matches all of `name`.
fn glob(pat: &[char], name: &[char]) -> bool {
    match pat.first() {
        None => name.is_empty(),
        Some('*') => (0..=name.len()).any(|i| glob(&pat[1..], &name[i..])),
        Some('?') => !name.is_empty() && glob(&pat[1..], &name[1..]),
        Some('[') => {
            let Some(close) = pat.iter().skip(2).position(|&c| c == ']').map(|p| p + 2) else {
                return false;
            };
            let (set, neg) = match pat[1] {
                '!' | '^' => (&pat[2..close], true),
                _ => (&pat[1..close], false),
            };
            let Some(&c) = name.first() else {
                return false;
            };
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == '-' {
                    hit |= set[i] <= c && c <= set[i + 2];
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != neg && glob(&pat[close + 1..], &name[1..])
        }
        Some(&c) => name.first() == Some(&c) && glob(&pat[1..], &name[1..]),
    }
}

/// Checks a pattern's syntax: brackets must close and not be empty.
fn validate_pattern(p: &str) -> Result<(), String> {
    if p.trim().is_empty() {
        return Err("empty model pattern: give a name or glob such as 'lock/*', or omit it".into());
    }
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '[' => {
                let start = i + 1 + usize::from(matches!(chars.get(i + 1), Some('!' | '^')));
                match chars.iter().skip(start + 1).position(|&c| c == ']') {
                    Some(off) => i = start + 1 + off,
                    None if chars.get(start) == Some(&']') => {
                        return Err(format!("malformed pattern {p:?}: empty brackets '[]'; write e.g. 'lock/[a-m]*'"))
                    }
                    None => {
                        return Err(format!("malformed pattern {p:?}: '[' is never closed; close it ('lock/[st]*') or quote the name exactly"))
                    }
                }
            }
            ']' => {
                return Err(format!(
                    "malformed pattern {p:?}: ']' without '['; use a model name or a glob like 'lock/*'"
                ))
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn is_glob(p: &str) -> bool {
    p.contains(['*', '?', '['])
}

fn select(pattern: Option<&str>) -> Vec<&'static Model> {
    let all = models::all();
    let Some(p) = pattern else { return all };
    if let Err(e) = validate_pattern(p) {
        bad(e)
    }
    let pc: Vec<char> = p.chars().collect();
    let picked: Vec<&'static Model> = all
        .iter()
        .copied()
        .filter(|m| {
            if is_glob(p) {
                glob(&pc, &m.name.chars().collect::<Vec<_>>())
            } else {
                m.name.contains(p)
            }
        })
        .collect();
    if picked.is_empty() {
        bad(format!(
            "no model matches {p:?}{}; `threadcheck list` prints every name",
            suggestion(p)
        ));
    }
    picked
}

fn find_model(name: &str) -> &'static Model {
    models::find(name).unwrap_or_else(|| {
        bad(format!(
            "unknown model {name:?}{}; `threadcheck list` prints every name",
            suggestion(name)
        ))
    })
}

/// " (did you mean \"x\"?)" for the closest model name, if it is close.
fn suggestion(name: &str) -> String {
    fn dist(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                cur.push(
                    (prev[j] + usize::from(ca != *cb))
                        .min(prev[j + 1] + 1)
                        .min(cur[j] + 1),
                );
            }
            prev = cur;
        }
        prev[b.len()]
    }
    models::all()
        .iter()
        .map(|m| {
            let short = m.name.rsplit('/').next().unwrap_or(m.name);
            (dist(name, m.name).min(dist(name, short)), m.name)
        })
        .min()
        .filter(|(d, _)| *d <= name.len().max(4) / 2)
        .map(|(_, n)| format!(" (did you mean {n:?}?)"))
        .unwrap_or_default()
}

// ---------------------------------------------------------------- list, explain

fn list(pattern: Option<&str>, json: bool) -> ExitCode {
    let ms = select(pattern);
    if json {
        let v: Vec<serde_json::Value> = ms
            .iter()
            .map(|m| {
                serde_json::json!({
                    "name": m.name, "about": m.about, "expected": m.expect.to_string(),
                    "threads": {"loom": m.threads.loom, "shuttle": m.threads.shuttle,
                                "real": if m.real { Some(m.threads.real) } else { None }},
                    "file": m.file,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
        return ExitCode::SUCCESS;
    }
    let w = ms.iter().map(|m| m.name.len()).max().unwrap_or(5).max(5);
    let e = ms
        .iter()
        .map(|m| m.expect.to_string().len())
        .max()
        .unwrap_or(8)
        .max(8);
    let e = e.min(32);
    println!("{:<w$}  {:<e$}  about", "model", "expected");
    for m in ms {
        println!(
            "{:<w$}  {:<e$}  {}",
            m.name,
            clip(&m.expect.to_string(), 32),
            m.about
        );
    }
    ExitCode::SUCCESS
}

fn explain(name: &str) -> ExitCode {
    let m = find_model(name);
    println!("{}", m.name);
    println!("  {}", m.about);
    println!("  expected: {}", m.expect);
    let loom: Vec<String> = m.threads.loom.iter().map(|n| n.to_string()).collect();
    println!(
        "  threads:  loom {} · shuttle {} · real {}",
        loom.join(", "),
        m.threads.shuttle,
        if m.real {
            m.threads.real.to_string()
        } else {
            "not run (its bug would hang real threads)".into()
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
    println!();
    for l in m.story.lines() {
        println!("  {}", l.strip_prefix(' ').unwrap_or(l));
    }
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------- check

fn checkers(a: &CheckArgs) -> Vec<Checker> {
    let kinds: Vec<Kind> = if a.checker.is_empty() {
        ALL_KINDS.to_vec()
    } else {
        let mut k: Vec<Kind> = Vec::new();
        for c in &a.checker {
            if !k.contains(c) {
                k.push(*c);
            }
        }
        k
    };
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
                max_iterations: Some(it.unwrap_or(100_000)),
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

fn sizes(m: &Model, c: &Checker, over: Option<usize>) -> Vec<usize> {
    if let Some(n) = over {
        return vec![n];
    }
    check::sizes(m, c)
}

struct Job {
    model: &'static Model,
    checker: Checker,
    threads: usize,
}

fn check_cmd(a: CheckArgs) -> ExitCode {
    let _ = EARLY_TIMEOUTS.set(a.early_timeouts);
    let ms = select(a.pattern.as_deref());
    let cs = checkers(&a);
    let jobs: Vec<Job> = ms
        .iter()
        .flat_map(|&m| {
            cs.iter().flat_map(move |c| {
                sizes(m, c, None).into_iter().map(move |n| Job {
                    model: m,
                    checker: c.clone(),
                    threads: n,
                })
            })
        })
        .collect();
    // `--threads` replaces each model's sizes (one row per model and checker).
    let jobs: Vec<Job> = match a.threads {
        None => jobs,
        Some(n) => {
            let mut seen = std::collections::HashSet::new();
            jobs.into_iter()
                .filter(|j| seen.insert((j.model.name, j.checker.name())))
                .map(|j| Job { threads: n, ..j })
                .collect()
        }
    };
    let bar = if a.no_progress || a.json && !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b =
            ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}",
            )
            .expect("template"),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(200));
        b
    };
    let svg_tmp = a.svg.as_ref().map(|p| p.with_extension("svg.part"));
    let mut svg_done = false;
    let mut outcomes = Vec::new();
    for j in &jobs {
        bar.set_message(format!(
            "{} [{} n={}]",
            j.model.name,
            j.checker.name(),
            j.threads
        ));
        let svg = if svg_done { None } else { svg_tmp.as_deref() };
        outcomes.extend(run_job(j, svg, a.verbose, a.early_timeouts));
        if let (Some(tmp), Some(dst), false) = (&svg_tmp, &a.svg, svg_done) {
            if tmp.exists() {
                std::fs::rename(tmp, dst)
                    .unwrap_or_else(|e| bad(format!("cannot write {}: {e}", dst.display())));
                svg_done = true;
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    finish(
        &outcomes,
        a.json,
        a.junit.as_deref(),
        a.verbose,
        &[threadcheck::backend()],
    );
    if let Some(p) = &a.svg {
        if svg_done {
            eprintln!("svg: wrote {}", p.display());
        } else {
            eprintln!("svg: no counterexample with recorded steps to draw (nothing failed, or this is the production build)");
        }
    }
    exit_code(&outcomes)
}

/// Runs one job: checkers this build lacks (and models a checker does not apply to) are
/// judged here without running; the rest run in a child process, so that loom aborting the
/// process after a deadlock (loom issue #291) or a hang on real threads loses one row only,
/// and the checkers' own stderr noise stays out of the table.
fn run_job(
    j: &Job,
    svg: Option<&Path>,
    verbose: bool,
    early_timeouts: Option<usize>,
) -> Vec<Outcome> {
    if j.checker.available().is_err() || !isolate::applicable(j.model, &j.checker) {
        return vec![check::run_one(j.model, &j.checker, j.threads)];
    }
    let exe =
        std::env::current_exe().unwrap_or_else(|e| bad(format!("cannot find own binary: {e}")));
    let mut cmd = Command::new(exe);
    cmd.arg("__child")
        .arg(j.model.name)
        .arg(serde_json::to_string(&j.checker).expect("checker serializes"))
        .arg(j.threads.to_string());
    if let Some(p) = svg {
        cmd.arg("--svg").arg(p);
    }
    if verbose {
        // The checkers' own output (loom's and shuttle's panic messages, shuttle's schedule).
        cmd.env("THREADCHECK_VERBOSE", "1")
            .stderr(std::process::Stdio::inherit());
    }
    if let Some(e) = early_timeouts.or(EARLY_TIMEOUTS.get().copied().flatten()) {
        cmd.env("THREADCHECK_EARLY_ADVANCES", e.to_string());
    }
    let mut out = isolate::run_in_child(cmd, j.model, &j.checker, j.threads);
    out.iter_mut().for_each(clock_in_report);
    out
}

/// Adds the clock setting to the replay line of `o`'s report.
fn clock_in_report(o: &mut Outcome) {
    if let Some(r) = &o.report {
        let lines: Vec<String> = r
            .lines()
            .map(|l| match l.strip_prefix("replay: ") {
                Some(c) if c.contains(" -- replay ") => format!("replay: {}", with_clock(c)),
                _ => l.to_owned(),
            })
            .collect();
        o.report = Some(lines.join("\n") + "\n");
    }
}

fn child(model: &str, checker: &str, threads: usize, svg: Option<PathBuf>) -> ExitCode {
    let m = find_model(model);
    let c: Checker = serde_json::from_str(checker)
        .unwrap_or_else(|e| bad(format!("__child: bad checker {checker:?}: {e}")));
    let o = check::run_with(m, &c, threads, child_builder(m, c.builder(m), svg));
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
            let _ = std::fs::write(p, models::svg::svg(t, m.name, f.kind_name(), &f.message));
        }
    })
}

fn exit_code(outcomes: &[Outcome]) -> ExitCode {
    if outcomes.iter().all(|o| o.matched || not_run(o)) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn not_run(o: &Outcome) -> bool {
    matches!(o.verdict, Verdict::Unavailable(_))
}

// ---------------------------------------------------------------- output

fn json_line(o: &Outcome, backend: &str) -> String {
    let mut v = serde_json::to_value(o).expect("outcome serializes");
    v["replay"] = match &o.verdict {
        Verdict::Deadlock(_) | Verdict::Panic(_) => {
            serde_json::json!(check::replay_command(o).map(|c| with_clock(&c)))
        }
        _ => serde_json::Value::Null,
    };
    if v.get("backend").is_none() {
        v["backend"] = serde_json::json!(backend);
    }
    serde_json::to_string(&v).expect("json")
}

fn status(o: &Outcome) -> &'static str {
    if not_run(o) {
        "n/a"
    } else if o.matched {
        "ok"
    } else {
        "FAIL"
    }
}

fn finish(
    outcomes: &[Outcome],
    json: bool,
    junit: Option<&Path>,
    verbose: bool,
    backends: &[&str],
) {
    if let Some(p) = junit {
        std::fs::write(p, junit_xml(outcomes, backends))
            .unwrap_or_else(|e| bad(format!("cannot write --junit {}: {e}", p.display())));
    }
    if json {
        for o in outcomes {
            println!("{}", json_line(o, backends[0]));
        }
        return;
    }
    print_table(outcomes, backends);
    print_reports(outcomes, verbose);
}

/// `s` cut to `max` characters, with an ellipsis when cut (full text: --json).
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn print_table(outcomes: &[Outcome], backends: &[&str]) {
    // Footnotes: each distinct "how to enable" once.
    let mut notes: Vec<String> = Vec::new();
    let got = |o: &Outcome, notes: &mut Vec<String>| match &o.verdict {
        Verdict::Unavailable(how) => {
            let i = notes.iter().position(|n| n == how).unwrap_or_else(|| {
                notes.push(how.clone());
                notes.len() - 1
            });
            format!("n/a [{}]", i + 1)
        }
        v => v.short(),
    };
    let rows: Vec<[String; 7]> = outcomes
        .iter()
        .map(|o| {
            [
                o.model.clone(),
                o.checker.name().to_owned(),
                if o.threads == 0 {
                    "-".into()
                } else {
                    o.threads.to_string()
                },
                clip(&o.expected, 32),
                clip(&got(o, &mut notes), 32),
                if not_run(o) {
                    String::new()
                } else {
                    o.executions.to_string()
                },
                if not_run(o) {
                    String::new()
                } else {
                    format!("{:.2}", o.seconds)
                },
            ]
        })
        .collect();
    let head = [
        "model",
        "checker",
        "n",
        "expected",
        "got",
        "executions",
        "seconds",
    ];
    let mut w: Vec<usize> = head.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    println!(
        "threadcheck check — {} build{}",
        backends.join(" + "),
        if backends.len() > 1 { "s" } else { "" }
    );
    let line = |cells: &[&str], st: &str| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = w[i] - c.chars().count();
            if i == 2 || i >= 5 {
                s.push_str(&format!("{}{c}  ", " ".repeat(pad)));
            } else {
                s.push_str(&format!("{c}{}  ", " ".repeat(pad)));
            }
        }
        s.push_str(st);
        println!("{}", s.trim_end());
    };
    line(&head, "");
    for (r, o) in rows.iter().zip(outcomes) {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        line(&cells, status(o));
    }
    for (i, n) in notes.iter().enumerate() {
        println!("[{}] {n}", i + 1);
    }
    let ran: Vec<&Outcome> = outcomes.iter().filter(|o| !not_run(o)).collect();
    let bad_n = ran.iter().filter(|o| !o.matched).count();
    println!(
        "{} of {} results ran: {} matched, {} did not{}",
        ran.len(),
        outcomes.len(),
        ran.len() - bad_n,
        bad_n,
        if outcomes.len() > ran.len() {
            format!(
                "; {} n/a (not in the build{} that ran)",
                outcomes.len() - ran.len(),
                if backends.len() > 1 { "s" } else { "" }
            )
        } else {
            String::new()
        }
    );
}

/// Counterexamples after the table: every mismatch, and one per model for expected
/// failures (all of them with --verbose).
fn print_reports(outcomes: &[Outcome], verbose: bool) {
    let mut shown: Vec<&str> = Vec::new();
    for o in outcomes {
        let failing = matches!(
            o.verdict,
            Verdict::Deadlock(_) | Verdict::Panic(_) | Verdict::Error(_)
        );
        if (!failing && o.matched) || not_run(o) {
            continue;
        }
        if o.matched && !verbose && shown.contains(&o.model.as_str()) {
            continue;
        }
        shown.push(&o.model);
        println!();
        println!(
            "── {} [{} n={}] expected {}, got {}{}",
            o.model,
            o.checker.name(),
            o.threads,
            o.expected,
            o.verdict.short(),
            if o.matched { " ✓" } else { " ✗ MISMATCH" }
        );
        match (&o.report, &o.verdict) {
            (Some(r), _) => print!("{r}"),
            (None, Verdict::Error(e)) => println!("error: {e}"),
            (None, Verdict::Pass) => println!(
                "no execution failed in {} explored{}",
                o.executions,
                if o.checker.exhaustive() {
                    " (all of them)"
                } else {
                    "; a capped or random search can miss it: raise --iterations or try pct"
                }
            ),
            (None, v) => println!("{}", v.short()),
        }
        if verbose {
            if let Verdict::Deadlock(m) | Verdict::Panic(m) = &o.verdict {
                println!("checker said: {}", m.trim_end());
            }
        }
    }
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || c == '\t' || c >= ' ')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: one testsuite per checker, one testcase per (model, thread count). Mismatches
/// are failures (with the counterexample), n/a rows are skipped (with how to enable them).
fn junit_xml(outcomes: &[Outcome], backends: &[&str]) -> String {
    let mut suites: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        suites.entry(o.checker.name()).or_default().push(o);
    }
    let total_fail = outcomes
        .iter()
        .filter(|o| !o.matched && !not_run(o))
        .count();
    let total_time: f64 = outcomes.iter().map(|o| o.seconds).sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"threadcheck ({})\" tests=\"{}\" failures=\"{total_fail}\" time=\"{total_time:.3}\">\n",
        xml_escape(&backends.join(" + ")),
        outcomes.len()
    ));
    for (name, os) in suites {
        let fails = os.iter().filter(|o| !o.matched && !not_run(o)).count();
        let skipped = os.iter().filter(|o| not_run(o)).count();
        let time: f64 = os.iter().map(|o| o.seconds).sum();
        x.push_str(&format!(
            "  <testsuite name=\"threadcheck.{name}\" tests=\"{}\" failures=\"{fails}\" errors=\"0\" skipped=\"{skipped}\" time=\"{time:.3}\">\n",
            os.len()
        ));
        for o in os {
            x.push_str(&format!(
                "    <testcase classname=\"threadcheck.{name}\" name=\"{} (n={})\" time=\"{:.3}\"",
                xml_escape(&o.model),
                o.threads,
                o.seconds
            ));
            let body = o.report.clone().unwrap_or_else(|| match &o.verdict {
                Verdict::Deadlock(m) | Verdict::Panic(m) | Verdict::Error(m) => m.clone(),
                Verdict::Pass => format!(
                    "expected {}, but no execution failed in the {} explored",
                    o.expected, o.executions
                ),
                v => v.short(),
            });
            if let Verdict::Unavailable(how) = &o.verdict {
                x.push_str(&format!(
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    xml_escape(how)
                ));
            } else if !o.matched {
                x.push_str(&format!(
                    ">\n      <failure message=\"expected {}, got {}\" type=\"mismatch\">{}</failure>\n    </testcase>\n",
                    xml_escape(&o.expected),
                    xml_escape(&o.verdict.short()),
                    xml_escape(&body)
                ));
            } else if o.report.is_some() {
                x.push_str(&format!(
                    ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                    xml_escape(&body)
                ));
            } else {
                x.push_str("/>\n");
            }
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

// ---------------------------------------------------------------- replay

fn replay(
    name: &str,
    schedule: &str,
    threads: Option<usize>,
    preemptions: Option<usize>,
    svg: Option<PathBuf>,
    verbose: bool,
) -> ExitCode {
    let m = find_model(name);
    if threads == Some(0) {
        bad("--threads must be at least 1");
    }
    let o = if schedule == "loom" {
        let c = Checker::Loom { preemptions };
        if let Err(how) = c.available() {
            bad(format!("replaying with loom needs the loom build: {how}"));
        }
        let j = Job {
            model: m,
            checker: c,
            threads: threads.unwrap_or(m.threads.loom[0]),
        };
        let tmp = svg.as_ref().map(|p| p.with_extension("svg.part"));
        let o = run_job(&j, tmp.as_deref(), verbose, None).remove(0);
        if let (Some(t), Some(p)) = (tmp, &svg) {
            if t.exists() {
                std::fs::rename(t, p)
                    .unwrap_or_else(|e| bad(format!("cannot write {}: {e}", p.display())));
            }
        }
        o
    } else {
        let hex: String = schedule.split_whitespace().collect();
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            bad(format!(
                "bad schedule string {schedule:?}: expected the hex string printed on the failure's replay line, or `loom`"
            ));
        }
        if preemptions.is_some() {
            bad(
                "--preemptions only applies to `replay MODEL loom`; drop it for a shuttle schedule",
            );
        }
        replay_shuttle(
            m,
            schedule,
            threads.unwrap_or(m.threads.shuttle),
            svg.as_deref(),
        )
    };
    println!(
        "replayed {} [{} n={}]: expected {}, got {}{}",
        o.model,
        if schedule == "loom" {
            "loom"
        } else {
            "shuttle schedule"
        },
        o.threads,
        o.expected,
        o.verdict.short(),
        if o.matched { " ✓" } else { " ✗" }
    );
    if let Some(r) = &o.report {
        print!("{r}");
    }
    if verbose {
        if let Verdict::Deadlock(msg) | Verdict::Panic(msg) = &o.verdict {
            println!("checker said: {}", msg.trim_end());
        }
    }
    if let Some(p) = &svg {
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

fn replay_shuttle(m: &Model, schedule: &str, threads: usize, svg: Option<&Path>) -> Outcome {
    let schedule: String = schedule.split_whitespace().collect();
    let schedule = schedule.as_str();
    let hint = "copy the hex string after `replay MODEL` from the failure's replay line";
    if let Err(e) = threadcheck::model::parse_schedule(schedule) {
        bad(format!("bad schedule string: {e}; {hint}"));
    }
    // In a child, like a check: shuttle's own panic hook prints to stderr on every failure.
    let exe =
        std::env::current_exe().unwrap_or_else(|e| bad(format!("cannot find own binary: {e}")));
    let mut cmd = Command::new(exe);
    cmd.args(["__replay", m.name, schedule, &threads.to_string()]);
    if let Some(p) = svg {
        cmd.arg("--svg").arg(p);
    }
    if let Some(e) = EARLY_TIMEOUTS.get().copied().flatten() {
        cmd.env("THREADCHECK_EARLY_ADVANCES", e.to_string());
    }
    let one = Checker::Dfs {
        max_iterations: Some(1),
    };
    let mut o = isolate::run_in_child(cmd, m, &one, threads).remove(0);
    clock_in_report(&mut o);
    o
}

/// The child side of a shuttle replay.
fn replay_child(model: &str, schedule: &str, threads: usize, svg: Option<PathBuf>) -> ExitCode {
    let m = find_model(model);
    let schedule = threadcheck::model::parse_schedule(schedule).unwrap_or_else(|e| bad(e));
    let checker = Checker::Dfs {
        max_iterations: Some(1),
    };
    let b = threadcheck::model::Builder::defaults()
        .checker(threadcheck::model::Checker::Dfs)
        .replay(schedule.clone());
    let mut o = check::run_with(m, &checker, threads, child_builder(m, b, svg));
    o.schedule = Some(schedule);
    isolate::emit(&[o]);
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------- merge

fn merge(files: &[PathBuf], json: bool, junit: Option<PathBuf>) -> ExitCode {
    let mut rows: Vec<(Outcome, String)> = Vec::new();
    let mut backends: Vec<String> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f)
            .unwrap_or_else(|e| bad(format!("cannot read {}: {e}", f.display())));
        for (i, l) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| {
                bad(format!(
                    "{}:{}: not a `check --json` line: {e}",
                    f.display(),
                    i + 1
                ))
            });
            let o: Outcome = serde_json::from_value(v.clone()).unwrap_or_else(|e| {
                bad(format!(
                    "{}:{}: not a `check --json` line: {e}",
                    f.display(),
                    i + 1
                ))
            });
            let b = v["backend"].as_str().unwrap_or("?").to_owned();
            if !not_run(&o) && !backends.contains(&b) {
                backends.push(b.clone());
            }
            // One row per (model, checker, n): the build that ran it wins over n/a.
            let key = |o: &Outcome| (o.model.clone(), o.checker.name(), o.threads);
            match rows.iter_mut().find(|(r, _)| key(r) == key(&o)) {
                Some(slot) if not_run(&slot.0) => *slot = (o, b),
                Some(_) => {}
                None => rows.push((o, b)),
            }
        }
    }
    // Corpus order (as `list` prints it), then checker, then thread count.
    let corpus: Vec<&str> = models::all().iter().map(|m| m.name).collect();
    let key = |o: &Outcome| {
        (
            corpus
                .iter()
                .position(|n| *n == o.model)
                .unwrap_or(usize::MAX),
            o.model.clone(),
            ALL_KINDS
                .iter()
                .position(|k| format!("{k:?}").to_lowercase() == o.checker.name()),
            o.threads,
        )
    };
    rows.sort_by_key(|r| key(&r.0));
    let outcomes: Vec<Outcome> = rows.iter().map(|r| r.0.clone()).collect();
    let bnames: Vec<&str> = backends.iter().map(String::as_str).collect();
    let bnames = if bnames.is_empty() {
        vec!["no"]
    } else {
        bnames
    };
    if json {
        for (o, b) in &rows {
            println!("{}", json_line(o, b));
        }
        if let Some(p) = &junit {
            std::fs::write(p, junit_xml(&outcomes, &bnames))
                .unwrap_or_else(|e| bad(format!("cannot write --junit {}: {e}", p.display())));
        }
    } else {
        finish(&outcomes, false, junit.as_deref(), false, &bnames);
    }
    exit_code(&outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(p: &str, n: &str) -> bool {
        glob(
            &p.chars().collect::<Vec<_>>(),
            &n.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn globs_match_whole_names() {
        assert!(g("lock/*", "lock/two_lock_deadlock"));
        assert!(g("*deadlock*", "lock/self_deadlock"));
        assert!(!g("lock/*", "rlock/count_blocks_others"));
        assert!(g("[lr]lock/*", "rlock/x"));
        assert!(g("lock/[!a-m]*", "lock/two"));
        assert!(g("lock/?elf_deadlock", "lock/self_deadlock"));
    }

    #[test]
    fn malformed_patterns_are_named() {
        assert!(validate_pattern("lock/[ab").is_err());
        assert!(validate_pattern("lock/]").is_err());
        assert!(validate_pattern("lock/[]").is_err());
        assert!(validate_pattern("").is_err());
        assert!(validate_pattern("lock/[ab]*").is_ok());
    }
}
