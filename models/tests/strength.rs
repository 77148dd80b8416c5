//! How much a verdict is worth, as a user of the `threadcheck` binary sees it: the strength
//! column, `proven` where `merge` sees loom and a complete DFS agree, a disagreement failing
//! both rows, and known checker misses shown as such (and failing once the checker is fixed).
//!
//! The `merge` tests feed hand-written `check --json` lines, so they run in every build; the
//! others run what their build's binary can (`dfs` under shuttle, `loom` under loom).

mod common;
use common::threadcheck;
use serde_json::{json, Value};

/// A `check --json` line as a build would print it.
fn line(model: &str, checker: Value, n: usize, verdict: Value, complete: bool) -> Value {
    json!({
        "model": model, "checker": checker, "threads": n, "expected": "pass",
        "verdict": verdict, "matched": verdict["kind"] == "pass", "executions": 100,
        "seconds": 0.5, "complete": complete, "schedule": null, "report": null,
        "backend": if checker["checker"] == "loom" { "loom" } else { "shuttle" },
    })
}

fn loom() -> Value {
    json!({"checker": "loom", "preemptions": null})
}

fn dfs() -> Value {
    json!({"checker": "dfs", "max_iterations": 100000})
}

fn pass() -> Value {
    json!({"kind": "pass"})
}

/// `merge --json` over files holding `lines`: exit code and the merged rows.
fn merge(lines: &[Value]) -> (i32, Vec<Value>) {
    let dir = std::env::temp_dir().join(format!(
        "threadcheck-strength-{}-{}",
        std::process::id(),
        lines.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let f = dir.join(format!("{i}.jsonl"));
        std::fs::write(&f, format!("{l}\n")).unwrap();
        files.push(f.to_str().unwrap().to_owned());
    }
    let mut args = vec!["merge", "--json"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, err) = threadcheck(&args);
    let _ = std::fs::remove_dir_all(&dir);
    let rows = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{err}")))
        .collect();
    (code, rows)
}

fn strengths(rows: &[Value]) -> Vec<&str> {
    rows.iter()
        .map(|r| r["strength"].as_str().unwrap())
        .collect()
}

#[test]
fn merge_calls_a_pass_proven_only_where_loom_and_a_complete_dfs_agree() {
    let m = "lock/mutual_exclusion";
    let (code, rows) = merge(&[
        line(m, loom(), 2, pass(), true),
        line(m, dfs(), 2, pass(), true),
        line(m, loom(), 3, pass(), true),
        line(m, dfs(), 3, pass(), false),
    ]);
    assert_eq!(code, 0, "{rows:?}");
    // Merged order: loom n=2, loom n=3, dfs n=2, dfs n=3.
    assert_eq!(
        strengths(&rows),
        [
            "proven",
            "exhaustive (loom only)",
            "proven",
            "explored 100 (capped)"
        ]
    );

    // The table says the same, and counts it.
    let dir = std::env::temp_dir().join(format!("threadcheck-proven-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("rows.jsonl");
    let text: Vec<String> = [
        line(m, loom(), 2, pass(), true),
        line(m, dfs(), 2, pass(), true),
    ]
    .iter()
    .map(Value::to_string)
    .collect();
    std::fs::write(&f, text.join("\n")).unwrap();
    let (code, out, err) = threadcheck(&["merge", f.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("loom + shuttle builds"), "{out}");
    assert!(out.contains("strength: 2 proven"), "{out}");
}

#[test]
fn outcome_sets_from_loom_and_dfs_must_be_equal() {
    let m = "event/wait_timeout_returns_false";
    let set = |v: &[&str]| json!({"kind": "outcomes", "detail": v});
    let (code, rows) = merge(&[
        line(m, loom(), 1, set(&["a", "b"]), true),
        line(m, dfs(), 1, set(&["a"]), true),
    ]);
    assert_eq!(code, 1, "a disagreement fails: {rows:?}");
    assert_eq!(
        strengths(&rows),
        [
            "DISAGREE: dfs saw outcomes{a}",
            "DISAGREE: loom saw outcomes{a, b}"
        ]
    );
    assert!(rows.iter().all(|r| r["ok"] == false), "{rows:?}");
}

#[test]
fn a_complete_pass_against_a_found_failure_names_the_checker_that_found_it() {
    let m = "lock/mutual_exclusion";
    let panic = json!({"kind": "panic", "detail": "boom"});
    let (code, rows) = merge(&[
        line(m, loom(), 2, pass(), true),
        line(m, dfs(), 2, panic, false),
    ]);
    assert_eq!(code, 1);
    assert_eq!(rows[0]["strength"], "DISAGREE: dfs found panic(\"boom\")");
    assert_eq!(rows[1]["strength"], "DISAGREE: loom passed every execution");
}

/// loom's row on the first-load model as the loom build prints it: the known miss (pass), or
/// the truth (the lost update) once loom is fixed.
fn first_load_loom_row(fixed: bool) -> Value {
    let mut l = line(
        "checkers/loom_misses_first_load_of_spawned_thread",
        loom(),
        2,
        if fixed {
            json!({"kind": "panic", "detail": "lost update: main wrote 1, then read 2"})
        } else {
            pass()
        },
        !fixed,
    );
    l["expected"] = json!("panic(\"lost update\")");
    l["matched"] = json!(fixed);
    l["known"] = json!({"gives": "pass", "why": "loom #166, #392"});
    l["known_miss"] = json!(!fixed);
    l
}

#[test]
fn a_known_miss_is_not_a_failure_until_the_checker_gets_it_right() {
    let (code, rows) = merge(&[first_load_loom_row(false)]);
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(rows[0]["strength"], "known miss");
    assert_eq!(rows[0]["ok"], true);

    let (code, rows) = merge(&[first_load_loom_row(true)]);
    assert_eq!(
        code, 1,
        "a fixed checker must make someone update the model"
    );
    assert_eq!(rows[0]["ok"], false);

    let dir = std::env::temp_dir().join(format!("threadcheck-known-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("loom.jsonl");
    std::fs::write(&f, first_load_loom_row(false).to_string()).unwrap();
    let (code, out, _) = threadcheck(&["merge", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("known miss [1]"), "{out}");
    assert!(out.contains("[1] loom #166, #392"), "{out}");
    std::fs::write(&f, first_load_loom_row(true).to_string()).unwrap();
    let (code, out, _) = threadcheck(&["merge", f.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    assert!(out.contains("FAIL"), "{out}");
    assert!(out.contains("delete the model's `known` entry"), "{out}");
}

threadcheck::if_model! {
    /// Runs `check ARGS --json` and returns the exit code and rows that ran.
    fn check(args: &[&str]) -> (i32, Vec<Value>) {
        let mut a = vec!["check", "--json"];
        a.extend_from_slice(args);
        let (code, out, err) = threadcheck(&a);
        let rows: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{err}")))
            .filter(|r: &Value| r["verdict"]["kind"] != "unavailable")
            .collect();
        (code, rows)
    }
}

threadcheck::if_shuttle! {
    #[test]
    fn dfs_rows_say_whether_they_finished_or_hit_their_cap() {
        let m = "lock/mutual_exclusion";
        let args = ["--checker", "dfs", "--threads", "2"];
        let (code, rows) = check(&[&[m, "--iterations", "50"][..], &args].concat());
        assert_eq!(code, 0);
        assert_eq!(rows[0]["strength"], "explored 50 (capped)");
        assert_eq!(rows[0]["complete"], false);
        let (code, rows) = check(&[&[m, "--iterations", "100000"][..], &args].concat());
        assert_eq!(code, 0);
        assert_eq!(rows[0]["strength"], "exhaustive (dfs only)", "{rows:?}");
        assert_eq!(rows[0]["complete"], true);
    }

    #[test]
    fn dfs_finds_the_lost_update_loom_misses() {
        let m = "checkers/loom_misses_first_load_of_spawned_thread";
        let (code, rows) = check(&[m, "--checker", "dfs"]);
        assert_eq!(code, 0, "{rows:?}");
        assert_eq!(rows[0]["verdict"]["kind"], "panic");
        assert_eq!(rows[0]["strength"], "counterexample");
        assert!(rows[0]["executions"].as_u64().unwrap() <= 10, "{rows:?}");
        // And the coherence loom breaks holds under every schedule DFS explores.
        let m = "checkers/loom_hides_own_store_after_racing_fetch_or";
        let (code, rows) = check(&[m, "--checker", "dfs"]);
        assert_eq!(code, 0, "{rows:?}");
        assert_eq!(rows[0]["strength"], "exhaustive (dfs only)");
    }
}

threadcheck::if_loom! {
    #[test]
    fn loom_gives_its_known_wrong_verdicts_and_the_table_says_so() {
        let (code, rows) = check(&["checkers/*", "--checker", "loom"]);
        assert_eq!(code, 0, "known misses are not failures: {rows:?}");
        assert_eq!(rows.len(), 2);
        for r in &rows {
            assert_eq!(r["known_miss"], true, "{r}");
            assert_eq!(r["matched"], false, "{r}");
            assert_eq!(r["strength"], "known miss");
        }
        // loom 0.7.3 ends its search of the first-load model after 13 executions.
        assert_eq!(rows[0]["verdict"]["kind"], "pass");
        assert_eq!(rows[0]["complete"], true);
        assert_eq!(rows[1]["verdict"]["kind"], "panic");
    }
}
