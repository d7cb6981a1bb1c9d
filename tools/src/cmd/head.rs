//! `tools head`: the head of a bundle (the films a new visitor most likely knows, see
//! `Bundle::head`) for the first list before the whole catalogue arrives, with what it costs:
//! its size as written and gzipped (as the site ships it) and the time to decode and build it.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use moviematch::bundle::gzip::compress as gzip;
use moviematch::{Bundle, Model};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// Films in the head (comma-separated: one head each, only the last one written).
    #[arg(long, value_delimiter = ',', default_value = "3000")]
    pub films: Vec<usize>,
    /// Where to write the head (default: only measure).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print one JSON object per head on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<()> {
    let bytes = std::fs::read(&a.bundle)
        .with_context(|| format!("cannot read bundle {}", a.bundle.display()))?;
    let whole = Bundle::decode(&bytes)
        .with_context(|| format!("{} is not a usable bundle", a.bundle.display()))?;
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
    Ok(())
}
