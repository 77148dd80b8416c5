//! The `threadcheck` binary, as a user meets it: bad input is one line and exit code 2,
//! `--json` and `--junit` parse, and (in the model builds) the two-lock deadlock's report
//! names the cycle and its replay command reproduces it.
//!
//! Runs in every build; each build tests what its binary can do:
//! - `cargo test --test cli`: errors, list, explain, JSON and JUnit (real threads, n/a rows);
//! - `cargo test --release --features shuttle --test cli`: the deadlock report, its replay
//!   command run as printed, the SVG;
//! - `RUSTFLAGS="--cfg loom" cargo test --release --test cli`: the same under loom.
//!
//! # The SVG renders (manual check, not run here: the suite must not need a browser)
//!
//! ```text
//! cargo run --release --features shuttle -- check lock/two_lock_deadlock --checker pct \
//!     --svg /tmp/deadlock.svg
//! chromium --headless --no-sandbox --disable-gpu --screenshot=/tmp/deadlock.png \
//!     --window-size=1200,800 file:///tmp/deadlock.svg
//! ```
//!
//! Look at `/tmp/deadlock.png`: a header with the cycle in red ("Thread-a holds Lock B,
//! waits for Lock A (held by Thread-b)" and its mirror), then one lane per blocked thread.
//! Held locks are solid bars (Lock A blue, Lock B orange; a nested hold stacks under the
//! outer one), waits are dashed boxes, the two waits of the cycle are red, and two red arrows
//! run from each waiter to the bar of the lock it waits for. Last checked with Debian's
//! chromium on 2026-11-25. What the suite does check: the SVG is well-formed XML (parsed
//! below), names both locks, and draws the cycle in red.

mod common;
use common::threadcheck;

/// Bad input: exit code 2 and exactly one line on stderr, which names the fix.
fn rejects(args: &[&str], says: &str) {
    let (code, out, err) = threadcheck(args);
    assert_eq!(code, 2, "{args:?}: exit code {code}; stderr: {err}");
    assert_eq!(
        err.trim().lines().count(),
        1,
        "{args:?}: want one line, got: {err}"
    );
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?}: {err:?} should say {says:?}");
    assert!(out.is_empty(), "{args:?}: nothing on stdout, got {out}");
}

#[test]
fn unknown_model_is_an_error_with_a_suggestion() {
    rejects(&["check", "no/such_model"], "no model matches");
    rejects(
        &["explain", "lock/two_lock_deadlok"],
        "did you mean \"lock/two_lock_deadlock\"",
    );
    rejects(&["replay", "lock/nope", "loom"], "threadcheck list");
}

#[test]
fn malformed_pattern_is_an_error() {
    rejects(&["check", "lock/[ab"], "'[' is never closed");
    rejects(&["list", "lock/]"], "malformed pattern");
    rejects(&["check", ""], "empty model pattern");
}

#[test]
fn bad_schedule_string_is_an_error() {
    rejects(
        &["replay", "lock/two_lock_deadlock", "not-a-schedule"],
        "bad schedule string",
    );
    if threadcheck::backend() == "shuttle" {
        // Hex, but not a schedule shuttle can decode.
        rejects(
            &["replay", "lock/two_lock_deadlock", "9104"],
            "bad schedule string",
        );
    }
}

#[test]
fn zero_iterations_is_an_error() {
    rejects(
        &["check", "--iterations", "0"],
        "--iterations must be at least 1",
    );
    rejects(&["check", "--threads", "0"], "--threads must be at least 1");
    rejects(
        &["check", "--checker", "pct", "--depth", "0"],
        "--depth must be at least 1",
    );
}

#[test]
fn conflicting_flags_are_an_error() {
    rejects(
        &["check", "--checker", "random", "--depth", "3"],
        "--depth only applies to --checker pct",
    );
    rejects(
        &["check", "--checker", "real", "--preemptions", "2"],
        "--preemptions only applies to --checker loom",
    );
    rejects(
        &["check", "--checker", "dfs", "--seed", "7"],
        "--seed only applies",
    );
    rejects(
        &[
            "replay",
            "lock/two_lock_deadlock",
            "9104",
            "--preemptions",
            "2",
        ],
        "--preemptions only applies to `replay MODEL loom`",
    );
}

#[test]
fn unknown_checker_or_flag_is_one_line_too() {
    rejects(
        &["check", "--checker", "foo"],
        "possible values: loom, random, pct, dfs, real",
    );
    rejects(&["check", "--bogus"], "unexpected argument '--bogus'");
    rejects(&["check", "--iterations", "many"], "invalid value 'many'");
}

#[test]
fn a_checker_this_build_lacks_is_named_with_the_command_that_enables_it() {
    let (missing, how) = if threadcheck::backend() == "loom" {
        ("pct", "--features shuttle")
    } else {
        ("loom", "RUSTFLAGS=\"--cfg loom\"")
    };
    rejects(&["check", "--checker", missing], how);
}

#[test]
fn list_filters_by_glob_and_prints_json() {
    let (code, out, _) = threadcheck(&["list", "lock/*", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("list --json is JSON");
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"lock/two_lock_deadlock"), "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("lock/")), "{names:?}");
}

#[test]
fn explain_tells_the_story_and_where_it_lives() {
    let (code, out, _) = threadcheck(&["explain", "lock/two_lock_deadlock"]);
    assert_eq!(code, 0);
    assert!(out.contains("expected: deadlock"), "{out}");
    assert!(out.contains("models/src/lock.rs:"), "{out}");
    assert!(out.contains("f1"), "{out}");
}

/// Every checker over one passing model: the ones this build has run, the others are n/a
/// rows that name the command enabling them. Returns the parsed JSON lines.
fn json_rows(pattern: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["check", pattern, "--json", "--iterations", "20"];
    args.extend_from_slice(extra);
    let (code, out, err) = threadcheck(&args);
    let rows = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{err}")))
        .collect();
    (code, rows)
}

#[test]
fn json_has_stable_fields() {
    let (code, rows) = json_rows("lock/ordered_locks", &[]);
    assert_eq!(code, 0, "{rows:?}");
    let kinds: Vec<&str> = rows
        .iter()
        .map(|r| r["checker"]["checker"].as_str().unwrap())
        .collect();
    for k in ["loom", "random", "pct", "dfs", "real"] {
        assert!(kinds.contains(&k), "no {k} row: {kinds:?}");
    }
    for r in &rows {
        for f in [
            "model",
            "checker",
            "threads",
            "expected",
            "verdict",
            "matched",
            "executions",
            "seconds",
            "schedule",
            "report",
            "replay",
            "backend",
            "strength",
            "ok",
            "complete",
            "known",
            "known_miss",
        ] {
            assert!(r.get(f).is_some(), "missing field {f}: {r}");
        }
        assert_eq!(r["model"], "lock/ordered_locks");
        assert_eq!(r["expected"], "pass");
        assert_eq!(r["backend"], threadcheck::backend());
        let kind = r["verdict"]["kind"].as_str().unwrap();
        if kind == "unavailable" {
            let how = r["verdict"]["detail"].as_str().unwrap();
            assert!(how.contains("cargo run"), "n/a without a command: {how}");
            assert_eq!(r["matched"], false);
            assert_eq!(r["ok"], false);
            assert_eq!(r["strength"], "");
        } else {
            assert_eq!(kind, "pass", "{r}");
            assert_eq!(r["matched"], true, "{r}");
            assert_eq!(r["ok"], true, "{r}");
            assert!(r["executions"].as_u64().unwrap() >= 1);
            // Every search here is cut short (20 executions), so nothing is proven.
            let s = r["strength"].as_str().unwrap();
            assert!(
                ["sampled", "explored 20 (capped)", "exhaustive (loom only)"].contains(&s),
                "{r}"
            );
        }
    }
}

#[test]
fn junit_is_valid_xml_with_one_testcase_per_result() {
    let path = std::env::temp_dir().join(format!("threadcheck-cli-{}.xml", std::process::id()));
    let p = path.to_str().unwrap();
    let (code, rows) = json_rows("lock/ordered_locks", &["--junit", p]);
    assert_eq!(code, 0);
    let xml = std::fs::read_to_string(&path).expect("junit written");
    let _ = std::fs::remove_file(&path);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), rows.len());
    let skipped = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
        .count();
    let na = rows
        .iter()
        .filter(|r| r["verdict"]["kind"] == "unavailable")
        .count();
    assert_eq!(skipped, na, "n/a rows are <skipped/>");
    assert_eq!(root.attribute("failures"), Some("0"));
    for s in root.children().filter(|n| n.has_tag_name("testsuite")) {
        assert!(s.attribute("name").unwrap().starts_with("threadcheck."));
        assert!(s.attribute("tests").unwrap().parse::<usize>().unwrap() >= 1);
    }
}

#[test]
fn table_shows_the_rows_that_ran_and_counts_the_others_in_one_line() {
    let (code, out, err) = threadcheck(&["check", "lock/ordered_locks", "--iterations", "20"]);
    assert_eq!(code, 0, "{out}{err}");
    for h in [
        "model",
        "checker",
        "expected",
        "got",
        "strength",
        "executions",
        "seconds",
        "status",
    ] {
        assert!(out.contains(h), "{out}");
    }
    assert!(
        !out.contains("n/a"),
        "n/a rows are hidden by default: {out}"
    );
    let others = out
        .lines()
        .find(|l| l.contains("to other builds"))
        .unwrap_or_else(|| panic!("no line counting the other builds' rows: {out}"));
    assert!(others.contains("ci/check-all"), "{others}");
    assert!(others.contains("--all-rows"), "{others}");

    let (code, out, err) = threadcheck(&[
        "check",
        "lock/ordered_locks",
        "--iterations",
        "20",
        "--all-rows",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("n/a [1]"), "{out}");
    assert!(out.contains("[1] "), "footnote naming the command: {out}");
    assert!(!out.contains("to other builds"), "{out}");
}

threadcheck::if_model! {
    /// Pulls the argument list out of a report's `replay: cargo run ... -- ARGS` line.
    fn replay_args(report: &str) -> Vec<String> {
        let line = report
            .lines()
            .find(|l| l.starts_with("replay: "))
            .unwrap_or_else(|| panic!("no replay line in:\n{report}"));
        let (_, args) = line
            .split_once(" -- ")
            .expect("replay line runs the binary");
        args.split_whitespace().map(str::to_owned).collect()
    }

    /// A lock-order report of the two locks: the cycle, then each edge with its thread and
    /// both source locations in `models/src/lock.rs` (the tutorial's `f1` and `f2`).
    fn assert_named_cycle(report: &str) {
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(
            lines[0], "potential deadlock (lock order): Lock A → Lock B → Lock A",
            "{report}"
        );
        for (edge, inner, outer) in [(1, "Lock B", "Lock A"), (2, "Lock A", "Lock B")] {
            let l = lines[edge];
            assert!(
                l.starts_with("  Thread-")
                    && l.contains(&format!("took {inner} at models/src/lock.rs:"))
                    && l.contains(&format!("while holding {outer} (taken at models/src/lock.rs:")),
                "not an edge line: {l:?}\n{report}"
            );
        }
        assert!(report.contains("last steps"), "{report}");
    }

    #[test]
    fn two_lock_deadlock_report_names_the_cycle_and_its_replay_reproduces_it() {
        let checker = if threadcheck::backend() == "loom" {
            "loom"
        } else {
            "pct"
        };
        let svg = std::env::temp_dir().join(format!("threadcheck-cli-{}.svg", std::process::id()));
        let (code, out, err) = threadcheck(&[
            "check",
            "lock/two_lock_deadlock",
            "--checker",
            checker,
            "--json",
            "--svg",
            svg.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}{err}");
        let row: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        // Found as the inverted lock order, before any schedule deadlocks.
        assert_eq!(row["verdict"]["kind"], "deadlock");
        let report = row["report"].as_str().expect("a report");
        assert_named_cycle(report);
        assert_eq!(
            row["replay"].as_str(),
            report.lines().last().unwrap().strip_prefix("replay: ")
        );

        // The SVG: well-formed, names both locks, the cycle in red.
        let text = std::fs::read_to_string(&svg).expect("svg written");
        let _ = std::fs::remove_file(&svg);
        let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(text.contains("Lock A") && text.contains("Lock B"));
        assert!(
            text.contains(r##"fill="#d62728" xml:space="preserve">potential deadlock (lock order): Lock A → Lock B → Lock A"##),
            "the cycle heads the picture, in red:\n{text}"
        );

        // Run the replay command as printed.
        let args = replay_args(report);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(args[0], "replay");
        let (code, out, err) = threadcheck(&args);
        assert_eq!(code, 0, "replay failed: {out}{err}");
        assert!(out.starts_with("replayed lock/two_lock_deadlock"), "{out}");
        assert!(out.contains("got deadlock (lock order) ✓"), "{out}");
        let replayed = out.split_once('\n').unwrap().1;
        assert_named_cycle(replayed);
        // Same execution, same story.
        let cycle = |r: &str| r.lines().take(2).collect::<Vec<_>>().join("\n");
        assert_eq!(cycle(replayed), cycle(report));
    }
}
