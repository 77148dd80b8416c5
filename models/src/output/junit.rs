//! JUnit XML (`quick-junit`, as cargo-nextest writes it): one testsuite per checker, one
//! testcase per (model, thread count). Failed rows are failures (with the counterexample),
//! n/a rows are skipped (with how to enable them), known misses pass with a note.

use super::{Row, Status};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;
use std::time::Duration;
use threadcheck_corpus::harness::Verdict;

/// The JUnit document for `rows`, from the builds `backends`.
pub fn report(rows: &[Row<'_>], backends: &[&str]) -> String {
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    let mut total = Duration::ZERO;
    for r in rows {
        let o = r.outcome;
        let time = Duration::from_secs_f64(o.seconds.max(0.0));
        total += time;
        let body = o.report.clone().unwrap_or_else(|| match &o.verdict {
            Verdict::Deadlock(m) | Verdict::Panic(m) | Verdict::Error(m) => m.clone(),
            Verdict::Pass => format!(
                "expected {}, but no execution failed in the {} explored",
                o.expected, o.executions
            ),
            v => v.short(),
        });
        let status = match (r.status(), &o.verdict) {
            (Status::NotRun, Verdict::Unavailable(how)) => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(how.as_str());
                s
            }
            (Status::Fail, _) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(format!(
                    "expected {}, got {}; strength: {}",
                    o.expected,
                    o.verdict.short(),
                    r.strength
                ))
                .set_type("mismatch")
                .set_description(body.as_str());
                s
            }
            _ => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(format!("{} (n={})", o.model, o.threads), status);
        case.set_classname(format!("threadcheck.{}", o.checker.name()))
            .set_time(time);
        match (r.status(), &o.known) {
            (Status::KnownMiss, Some(k)) => {
                case.set_system_out(format!("known miss: {}\n{body}", k.why));
            }
            (Status::Ok, _) if o.report.is_some() => {
                case.set_system_out(body);
            }
            _ => {}
        }
        suites
            .entry(o.checker.name())
            .or_insert_with(|| {
                let mut s = TestSuite::new(format!("threadcheck.{}", o.checker.name()));
                s.set_time(Duration::ZERO);
                s
            })
            .add_test_case(case);
    }
    let mut report = Report::new(format!("threadcheck ({})", backends.join(" + ")));
    report.set_time(total);
    for (_, mut s) in suites {
        let time = s.test_cases.iter().filter_map(|c| c.time).sum();
        s.set_time(time);
        report.add_test_suite(s);
    }
    report.to_string().expect("JUnit serializes")
}
