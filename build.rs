// Emits `cfg(threadcheck_model)` for the two model-checking builds (loom, shuttle), so that
// the clock and the trace recorder can switch implementation without naming a backend:
// only `src/rt/` names loom or shuttle.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(threadcheck_model)");
    println!("cargo::rustc-check-cfg=cfg(loom)");
    println!("cargo::rerun-if-changed=build.rs");
    let loom = std::env::var_os("CARGO_CFG_LOOM").is_some();
    let shuttle = std::env::var_os("CARGO_FEATURE_SHUTTLE").is_some();
    if loom || shuttle {
        println!("cargo::rustc-cfg=threadcheck_model");
    }
}
