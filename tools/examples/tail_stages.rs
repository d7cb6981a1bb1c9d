//! Where the time of loading the site's tail goes, natively (the browser's total is
//! `tests/wasm_bench.rs`'s "the tail … decoded, joined and built"): inflating
//! `web/model-tail.bin`, decoding it, joining it to the head and building the model's two
//! halves (`ModelBuild`: the app runs each stage as a task of its own), three runs.
//! `cargo run --release -p moviematch-tools --example tail_stages`.

use std::time::Instant;

use moviematch::bundle::{gzip, Bundle};

fn main() -> anyhow::Result<()> {
    let head = Bundle::decode(&std::fs::read("web/model-head.bin")?)?;
    let tail = std::fs::read("web/model-tail.bin")?;
    for _ in 0..3 {
        let t0 = Instant::now();
        let raw = gzip::inflate_if_gzip(&tail, 1 << 30)?.unwrap_or_else(|| tail.clone());
        let t1 = Instant::now();
        let part = Bundle::decode(&raw)?;
        let t2 = Instant::now();
        let whole = head.join(&part)?;
        let t3 = Instant::now();
        let half = moviematch::ModelBuild::new(whole);
        let t4 = Instant::now();
        let model = half.finish();
        let t5 = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        println!(
            "inflate {:.1} ms, decode {:.1} ms, join {:.1} ms, build {:.1} + {:.1} ms ({} films)",
            ms(t0, t1),
            ms(t1, t2),
            ms(t2, t3),
            ms(t3, t4),
            ms(t4, t5),
            model.len()
        );
    }
    Ok(())
}
