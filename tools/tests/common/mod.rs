//! What the whole-program tests share: running `tools` from the repository root, on the
//! committed synthetic fixture (tests/fixtures, made by `tools synth`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn tools(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tools"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("tools runs")
}

/// `tools args`, which must succeed; its stdout.
pub fn ok(args: &[&str]) -> String {
    let out = tools(args);
    assert!(
        out.status.success(),
        "tools {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `tools cmd` on the fixture with k = 4 and `epochs` epochs, writing `out`, with `extra`
/// arguments; it must succeed.
pub fn on_fixture(cmd: &str, out: &Path, epochs: &str, extra: &[&str]) -> String {
    let mut args = vec![
        cmd,
        "--movielens",
        "tests/fixtures/ml-tiny",
        "--imdb",
        "tests/fixtures/imdb-tiny",
        "--out",
        out.to_str().unwrap(),
        "--k",
        "4",
        "--epochs",
        epochs,
    ];
    args.extend_from_slice(extra);
    ok(&args)
}

/// A bundle trained on the fixture with a fixed creation date, written to `dir/name`.
pub fn train_fixture(dir: &Path, name: &str, epochs: &str) -> PathBuf {
    let out = dir.join(name);
    on_fixture("train", &out, epochs, &["--created", "2026-11-22"]);
    out
}
