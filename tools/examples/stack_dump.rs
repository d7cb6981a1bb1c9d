//! Probe (not committed): per person, train LOO E[r] and held-out E[r] with IMDb avg, votes, rating.
use moviematch::loo::LeaveOneOut;
use moviematch::{Model, Visitor};
use moviematch_tools::eval::people::{models, read_people};
use rayon::prelude::*;
use std::io::Write;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let model = Model::from_bytes(&std::fs::read(&args[1])?)?;
    let (people, _) = read_people(&model, std::path::Path::new(&args[2]))?;
    let rows: Vec<String> = people
        .par_iter()
        .map(|p| {
            let visitor = Visitor::new(&model, &models::profile_of(&model, p));
            let mut out = String::new();
            let Ok(post) = visitor.posterior() else {
                return out;
            };
            let ev = visitor.evidence();
            let Ok(loo) = LeaveOneOut::new(&model, ev, post) else {
                return out;
            };
            for (j, o) in ev.observations.iter().enumerate() {
                let m = model.movie(o.item);
                let Some(imdb) = m.imdb_rating else { continue };
                let Ok(d) = loo.predictive(&model, j) else {
                    continue;
                };
                out += &format!(
                    "{}\ttrain\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    p.file,
                    o.item,
                    d.mean,
                    imdb,
                    m.imdb_votes,
                    o.rating,
                    m.year.unwrap_or(0)
                );
            }
            for &(i, r) in &p.heldout {
                let m = model.movie(i);
                let Some(imdb) = m.imdb_rating else { continue };
                out += &format!(
                    "{}\theld\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    p.file,
                    i,
                    post.predict_mean(&model, i),
                    imdb,
                    m.imdb_votes,
                    r,
                    m.year.unwrap_or(0)
                );
            }
            out
        })
        .collect();
    let mut f = std::fs::File::create(&args[3])?;
    for r in rows {
        f.write_all(r.as_bytes())?;
    }
    Ok(())
}
