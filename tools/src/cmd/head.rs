//! `tools head`: the head of a bundle (the films a new visitor most likely knows, see
//! `Bundle::head`) for the first list before the whole catalogue arrives, with what it costs:
//! its size as written and gzipped (as the site ships it) and the time to decode and build it.
//! `--split` writes the head and its tail beside the bundle (see [`write_split`]), as `tools
//! train` does for every bundle it writes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use moviematch::bundle::gzip::compress as gzip;
use moviematch::{Bundle, Model};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// Films in the head (comma-separated: one head each, only the last one written).
    #[arg(long, value_delimiter = ',', default_value = "1000")]
    pub films: Vec<usize>,
    /// Where to write the head (default: only measure).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print one JSON object per head on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write the last head and its tail beside the bundle (`model.bin` → `model-head.bin`,
    /// `model-tail.bin`, `model-split.json`): what the site ships.
    #[arg(long)]
    pub split: bool,
}

/// Films in the head the site loads first: 123 KB gzipped for the default bundle, which with
/// the app's wasm, JS, CSS and HTML keeps the bytes before the first list under 600 KB (1,500
/// films would be 171 KB, 2,000 films 217 KB).
pub const HEAD_FILMS: usize = 1000;

/// The head, the tail and their manifest written beside `bundle_path`, all gzipped:
/// `<stem>-head.bin`, `<stem>-tail.bin` and `<stem>-split.json` (`{"head","tail","head_films",
/// "films","model_id"}`; the site's build reads it). Returns the three paths.
pub fn write_split(whole: &Bundle, bundle_path: &Path, films: usize) -> Result<[PathBuf; 3]> {
    let stem = bundle_path
        .file_stem()
        .and_then(|s| s.to_str())
        .context("the bundle path has no file name")?;
    let beside = |suffix: &str| bundle_path.with_file_name(format!("{stem}-{suffix}"));
    let (head_path, tail_path, manifest_path) =
        (beside("head.bin"), beside("tail.bin"), beside("split.json"));
    let (head, tail) = (whole.head(films), whole.tail(films));
    for (path, part) in [(&head_path, &head), (&tail_path, &tail)] {
        std::fs::write(path, gzip(&part.encode()))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let manifest = serde_json::json!({
        "head": name(&head_path), "tail": name(&tail_path),
        "head_films": head.len(), "films": whole.len(), "model_id": whole.header.model_id,
    });
    std::fs::write(&manifest_path, format!("{manifest:#}\n"))
        .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    Ok([head_path, tail_path, manifest_path])
}

pub fn run(a: &Args) -> Result<()> {
    let whole = super::load_bundle(&a.bundle)?;
    if a.films.contains(&0) {
        bail!("--films must be at least 1");
    }
    let mut last = None;
    for &n in &a.films {
        let head = whole.head(n);
        let raw = head.encode();
        let packed = gzip(&raw);
        let start = Instant::now();
        let model = Model::from_bytes(&packed)?;
        let ms = start.elapsed().as_secs_f64() * 1e3;
        if a.json {
            println!(
                "{}",
                serde_json::json!({"films": model.len(), "of": whole.len(), "bytes": raw.len(),
                    "gzip_bytes": packed.len(), "decode_ms": ms})
            );
        } else {
            eprintln!(
                "head of {} films (of {}): {} bytes, {} gzipped; inflate + decode + build {ms:.1} ms",
                model.len(),
                whole.len(),
                raw.len(),
                packed.len()
            );
        }
        last = Some(raw);
    }
    if let (Some(out), Some(raw)) = (&a.out, last) {
        std::fs::write(out, &raw).with_context(|| format!("cannot write {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    if a.split {
        let films = *a.films.last().expect("clap gives at least one");
        for path in write_split(&whole, &a.bundle, films)? {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split the site ships is derived from the committed default bundle: it must still be
    /// exactly its head and tail (rerun `tools head --split` after a new `web/model.bin`).
    #[test]
    fn the_committed_split_is_the_default_bundle_split() {
        let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web");
        let read = |name: &str| {
            let path = web.join(name);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Bundle::decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(web.join("model-split.json")).unwrap()).unwrap();
        let whole = read("model.bin");
        let (head, tail) = (read("model-head.bin"), read("model-tail.bin"));
        let films = manifest["head_films"].as_u64().unwrap() as usize;
        assert_eq!(manifest["films"].as_u64(), Some(whole.len() as u64));
        assert_eq!(
            manifest["model_id"].as_str(),
            Some(whole.header.model_id.as_str())
        );
        assert_eq!(
            head,
            whole.head(films),
            "web/model-head.bin is stale: rerun tools head --split"
        );
        assert_eq!(
            head.join(&tail).expect("joins"),
            whole,
            "the split does not join into web/model.bin"
        );
    }

    #[test]
    fn a_split_written_beside_a_bundle_reads_back_through_every_bundle_flag() {
        let dir = std::env::temp_dir().join(format!("mm-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let whole = moviematch::fixture::random_bundle(3, 120, 4, 80);
        let path = dir.join("m.bin");
        std::fs::write(&path, whole.encode()).unwrap();
        let [head, tail, manifest] = write_split(&whole, &path, 30).unwrap();
        assert_eq!(
            [&head, &tail, &manifest].map(|p| p.file_name().unwrap().to_str().unwrap().to_string()),
            ["m-head.bin", "m-tail.bin", "m-split.json"]
        );
        assert_eq!(super::super::load_bundle(&head).unwrap(), whole);
        assert_eq!(super::super::load_model(&head).unwrap().len(), 120);
        std::fs::remove_file(&tail).unwrap();
        assert_eq!(
            super::super::load_bundle(&head).unwrap().len(),
            30,
            "a head alone is a bundle"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
