//! `threadcheck stats`, as a user runs it: a small-seed table of a few bug models and their
//! twins, in whichever build this is (each build measures its own columns), its JSON lines,
//! the merge of such files with `--from`, and bad input (one line, exit code 2).
//!
//! Kept small (3 seeds, 1 per twin, a handful of models) so it runs in `ci/test`; the README's
//! table comes from `ci/stats`.

mod common;
use common::threadcheck;
use threadcheck_corpus::stats::Cell;

/// Bad input: exit code 2 and exactly one line on stderr, which names the fix.
fn rejects(args: &[&str], says: &str) {
    let (code, out, err) = threadcheck(args);
    assert_eq!(code, 2, "{args:?}: exit code {code}; stderr: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?}: {err:?} should say {says:?}");
    assert!(out.is_empty(), "{args:?}: nothing on stdout, got {out}");
}

#[test]
fn stats_bad_arguments_are_one_line_errors() {
    rejects(&["stats", "--seeds", "0"], "--seeds must be at least 1");
    rejects(
        &["stats", "--twin-seeds", "0"],
        "--twin-seeds must be at least 1",
    );
    rejects(&["stats", "--seeds", "many"], "invalid value 'many'");
    rejects(
        &["stats", "lock/mutual_exclusion"],
        "no bug model or twin matches",
    );
    rejects(&["stats", "bugs/[ab"], "'[' is never closed");
    rejects(
        &["stats", "--from", "/no/such/stats.jsonl"],
        "cannot read /no/such/stats.jsonl",
    );
    rejects(
        &["stats", "bugs/account", "--from", "x.jsonl"],
        "drop the model pattern or --from",
    );
}

/// What this build measures.
fn measured_columns() -> &'static [&'static str] {
    match threadcheck::backend() {
        "loom" => &["loom"],
        "shuttle" => &["random", "pct1", "pct2", "pct3", "dfs", "lock-order"],
        _ => &[],
    }
}

const PATTERN: &str = "bugs/{account,account_locked,deadlock01,deadlock01_ordered,sync01}";

#[test]
fn stats_measures_each_bug_and_twin_in_this_build() {
    let (code, out, err) = threadcheck(&[
        "stats",
        PATTERN,
        "--seeds",
        "3",
        "--twin-seeds",
        "1",
        "--json",
    ]);
    assert_eq!(code, 0, "no twin may fail: {out}\n{err}");
    let cells: Vec<Cell> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    // Every model has every column, measured here or n/a.
    assert_eq!(cells.len(), 5 * 7, "{out}");
    for c in &cells {
        let here = measured_columns().contains(&c.column.as_str());
        assert_eq!(c.measured(), here, "{c:?}");
        if !here {
            continue;
        }
        let seeded = c.column.starts_with("random")
            || c.column.starts_with("pct")
            || c.column == "lock-order";
        let twin = c.expect == "pass";
        let want = match (seeded, twin) {
            (true, false) => 3,
            (true, true) => 1,
            (false, _) => 1,
        };
        assert_eq!(c.seeds, want, "{c:?}");
        assert_eq!(c.wrong, 0, "a failure that is not the model's own: {c:?}");
        if twin {
            assert_eq!(c.within, vec![0; 4], "{c:?}");
        }
    }
    let cell = |m: &str, col: &str| {
        cells
            .iter()
            .find(|c| c.model == m && c.column == col)
            .unwrap_or_else(|| panic!("no cell {m} {col}"))
    };
    match threadcheck::backend() {
        "loom" => {
            // Exhaustive: loom finds each bug, and explores each twin to the end.
            for m in ["bugs/account", "bugs/deadlock01", "bugs/sync01"] {
                let c = cell(m, "loom");
                assert!(c.median.is_some() && c.executions >= Some(1), "{c:?}");
            }
            assert_eq!(cell("bugs/deadlock01_ordered", "loom").complete, Some(true));
        }
        "shuttle" => {
            // PCT with 3 priority changes finds both of these on each of 3 seeds within 100
            // iterations; d=1 (no preemption) cannot split account's check from its debit.
            for m in ["bugs/account", "bugs/deadlock01"] {
                assert_eq!(cell(m, "pct3").within[2], 3, "{m}");
            }
            assert_eq!(cell("bugs/account", "pct1").within[3], 0);
            // The lock-order checker reports deadlock01's lock cycle in the first execution
            // of every seed; account's bug is not a lock cycle, so one execution seldom finds it.
            assert_eq!(cell("bugs/deadlock01", "lock-order").within[0], 3);
            // sync01 hangs in the first execution under every scheduler.
            for col in measured_columns() {
                assert_eq!(
                    cell("bugs/sync01", col).within[0],
                    cell("bugs/sync01", col).seeds
                );
            }
        }
        _ => {}
    }
}

#[test]
fn stats_table_merges_builds_from_json() {
    let dir = std::env::temp_dir().join(format!("threadcheck-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (code, json, err) = threadcheck(&[
        "stats",
        "bugs/deadlock01*",
        "--seeds",
        "2",
        "--twin-seeds",
        "1",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let file = dir.join("this-build.jsonl");
    std::fs::write(&file, &json).unwrap();
    let (code, table, err) = threadcheck(&["stats", "--from", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for want in [
        "| bug | expect | threads (loom/shuttle) | loom | random | pct d=1 | pct d=2 | pct d=3 | dfs | lock-order |",
        "| `bugs/deadlock01` | deadlock | 2/2 |",
        "| `bugs/deadlock01_ordered` | 2/2 |",
        "Fewest iterations finding every bug above on every seed measured",
    ] {
        assert!(table.contains(want), "{want:?} not in:\n{table}");
    }
    // The lock-order column is measured by the shuttle build only.
    let row = table
        .lines()
        .find(|l| l.starts_with("| `bugs/deadlock01` "))
        .unwrap();
    assert_eq!(
        row.ends_with("| n/a |"),
        threadcheck::backend() != "shuttle",
        "{row}"
    );
    // A line that is not a stats cell is bad input, with its place.
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"model\": 1}\n").unwrap();
    rejects(
        &["stats", "--from", bad.to_str().unwrap()],
        "bad.jsonl:1: not a `stats --json` line",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
