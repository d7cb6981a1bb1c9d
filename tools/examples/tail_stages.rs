//! Where the time of loading the site's tail goes, natively (the browser's total is
//! `tests/wasm_bench.rs`'s "the tail … decoded, joined and built"): inflating
//! `web/model-tail.bin`, decoding it, joining it to the head and building the model, three
//! runs. `cargo run --release -p moviematch-tools --example tail_stages`.

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
        let model = moviematch::Model::from_bundle(whole);
        let t4 = Instant::now();
        println!(
            "inflate {:.1} ms, decode {:.1} ms, join {:.1} ms, build {:.1} ms ({} films)",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            (t3 - t2).as_secs_f64() * 1e3,
            (t4 - t3).as_secs_f64() * 1e3,
            model.len()
        );
    }
    Ok(())
}
