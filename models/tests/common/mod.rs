//! Running the `threadcheck` binary as a user does.

use std::process::Command;

/// Runs `threadcheck ARGS`: exit code, stdout, stderr.
pub fn threadcheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_threadcheck"))
        .args(args)
        .output()
        .expect("run threadcheck");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
