//! Builds the runtime library (`runtime-support/`, `libwalic_runtime.a`) and hands it to the
//! compiler, which embeds it (`src/runtime_archive.rs`), so a copied or `cargo install`ed walic
//! links programs with nothing beside it.
//!
//! Cargo cannot depend on another package's staticlib on stable, so this script runs cargo on the
//! runtime package with a target directory of its own inside `OUT_DIR` (the outer build holds the
//! lock of the workspace's target directory). That directory survives between builds, so a
//! rebuild only recompiles what changed. The runtime is always built with the release profile:
//! programs linked by a debug walic must behave exactly as those linked by a release one.
//!
//! The archive's debug information is stripped before embedding: the link drops it anyway
//! (`--strip-debug`), and stripping halves what walic carries.
//!
//! `WALIC_PREBUILT_RUNTIME=<path>` embeds that archive instead of building one (for packagers
//! whose build already produced it).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let workspace = manifest_dir.parent().expect("compiler/ has a parent");
    println!("cargo:rerun-if-env-changed=WALIC_PREBUILT_RUNTIME");

    let built = match std::env::var_os("WALIC_PREBUILT_RUNTIME") {
        Some(path) => {
            let path = PathBuf::from(path);
            println!("cargo:rerun-if-changed={}", path.display());
            path
        }
        None => {
            for input in ["runtime-support", "loader", "Cargo.lock", "Cargo.toml"] {
                println!("cargo:rerun-if-changed={}", workspace.join(input).display());
            }
            build_runtime(workspace, &out_dir)
        }
    };
    let embedded = out_dir.join("libwalic_runtime.a");
    strip_debug(&built, &embedded);
    // Linking the walic executable with a GNU build-id note gives `walic run` a cheap, exact
    // identity of this build for its cache key (src/cli/build_id.rs).
    println!("cargo:rustc-link-arg-bins=-Wl,--build-id=sha1");
}

/// Runs `cargo build --release -p walic-runtime` into `out_dir/runtime-target`; returns the
/// archive's path.
fn build_runtime(workspace: &Path, out_dir: &Path) -> PathBuf {
    let target_dir = out_dir.join("runtime-target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .args(["build", "--release", "--quiet", "-p", "walic-runtime"])
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    // Under `cargo clippy` the wrapper would lint the runtime a second time; the runtime is
    // linted as a workspace member of its own. The outer build's target directory must not leak
    // in either.
    command
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("running cargo to build the runtime library: {e}"));
    assert!(
        status.success(),
        "building the runtime library (cargo build --release -p walic-runtime) failed"
    );
    target_dir.join("release").join("libwalic_runtime.a")
}

/// Copies `archive` to `out` without debug sections, deterministically (`strip -D`).
fn strip_debug(archive: &Path, out: &Path) {
    let status = Command::new("strip")
        .args(["--strip-debug", "-D", "-o"])
        .arg(out)
        .arg(archive)
        .status()
        .unwrap_or_else(|e| panic!("running `strip` (binutils) on {}: {e}", archive.display()));
    assert!(
        status.success(),
        "strip --strip-debug {} failed",
        archive.display()
    );
}
