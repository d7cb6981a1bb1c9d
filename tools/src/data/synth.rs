//! Synthetic MovieLens-format data with planted structure: r = μ + b_u + b_m + θ_u·β_m + ε,
//! long-tailed (Zipf-like) movie popularity and user activity. Training must recover it;
//! at ml-25m's shape it proves the trainer's speed and memory.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use rand::{rngs::StdRng, RngExt, SeedableRng};

use crate::data::movielens::Ratings;

#[derive(Debug, Clone, PartialEq)]
pub struct SynthParams {
    pub users: usize,
    pub movies: usize,
    pub ratings: usize,
    pub k: usize,
    /// Planted noise σ.
    pub noise: f64,
    pub seed: u64,
    /// Standard deviation of planted factor entries.
    pub factor_sd: f64,
}

/// The generated ratings plus the planted truth.
pub struct Synthetic {
    /// Continuous ratings (not rounded), ids 1-based as in MovieLens.
    pub ratings: Ratings,
    pub item_bias: Vec<f64>,
}

/// A few real MovieLens title forms so that fixtures exercise the title normaliser.
const REAL_TITLES: &[(&str, &str)] = &[
    ("Matrix, The (1999)", "Action|Sci-Fi|Thriller"),
    (
        "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
        "Comedy|Romance",
    ),
    (
        "Toy Story (1995)",
        "Adventure|Animation|Children|Comedy|Fantasy",
    ),
    ("Pulp Fiction (1994)", "Comedy|Crime|Drama|Thriller"),
    ("Titanic (1997)", "Drama|Romance"),
    ("Notebook, The (2004)", "Drama|Romance"),
    ("Seven (a.k.a. Se7en) (1995)", "Mystery|Thriller"),
    ("Emma (1996)", "Comedy|Drama|Romance"),
    ("Emma (1996)", "Comedy|Drama|Romance"),
    ("Babylon 5", "Sci-Fi"),
];
const GENRES: &[&str] = &[
    "Action",
    "Comedy",
    "Drama",
    "Horror",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "Documentary",
];

fn normal(rng: &mut StdRng) -> f64 {
    // Box–Muller: enough for planting structure, and no extra dependency.
    let u1 = rng.random::<f64>().max(1e-300);
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Index drawn with probability ∝ 1/(rank+offset)^s via the inverse CDF of a continuous power law.
fn zipf(rng: &mut StdRng, n: usize, s: f64) -> usize {
    let u = rng.random::<f64>();
    let a = 1.0 - s;
    let max = ((n as f64 + 10.0).powf(a) - 10f64.powf(a)) * u + 10f64.powf(a);
    ((max.powf(1.0 / a) - 10.0) as usize).min(n - 1)
}

/// Generates ratings with planted factors; (user, movie) pairs are unique.
pub fn synthesize(p: &SynthParams) -> Synthetic {
    let mut rng = StdRng::seed_from_u64(p.seed);
    let k = p.k;
    let theta: Vec<f64> = (0..p.users * k)
        .map(|_| normal(&mut rng) * p.factor_sd)
        .collect();
    let beta: Vec<f64> = (0..p.movies * k)
        .map(|_| normal(&mut rng) * p.factor_sd)
        .collect();
    let bu: Vec<f64> = (0..p.users).map(|_| normal(&mut rng) * 0.4).collect();
    let bm: Vec<f64> = (0..p.movies).map(|_| normal(&mut rng) * 0.5).collect();
    // Pairs, de-duplicated (sort packed keys), topped up until there are exactly `p.ratings`.
    let target = p.ratings.min(p.users * p.movies);
    let mut keys: Vec<u64> = Vec::with_capacity(target);
    while keys.len() < target {
        let missing = target - keys.len();
        keys.extend((0..missing).map(|_| {
            let u = zipf(&mut rng, p.users, 0.6) as u64;
            let m = zipf(&mut rng, p.movies, 0.9) as u64;
            (u << 32) | m
        }));
        keys.sort_unstable();
        keys.dedup();
    }
    let mut r = Ratings {
        user_ids: (1..=p.users as u32).collect(),
        item_ids: (1..=p.movies as u32).collect(),
        ..Ratings::default()
    };
    r.user.reserve(keys.len());
    r.item.reserve(keys.len());
    r.value.reserve(keys.len());
    r.time.reserve(keys.len());
    for (n, key) in keys.into_iter().enumerate() {
        let (u, m) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
        let dot: f64 = (0..k).map(|c| theta[u * k + c] * beta[m * k + c]).sum();
        let v = 3.5 + bu[u] + bm[m] + dot + normal(&mut rng) * p.noise;
        r.user.push(u as u32);
        r.item.push(m as u32);
        r.value.push(v as f32);
        r.time.push(1_000_000_000 + n as u32);
    }
    Synthetic {
        ratings: r,
        item_bias: bm,
    }
}

/// Writes `ratings.csv` (half stars), `movies.csv`, `links.csv` into `dir`, and IMDb's
/// `title.ratings.tsv` into `imdb_dir` when given (averages follow the planted item bias).
pub fn write_dataset(s: &Synthetic, dir: &Path, imdb_dir: Option<&Path>, seed: u64) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let r = &s.ratings;
    let mut w = BufWriter::new(File::create(dir.join("ratings.csv"))?);
    writeln!(w, "userId,movieId,rating,timestamp")?;
    for j in 0..r.len() {
        let v = ((r.value[j] * 2.0).round() / 2.0).clamp(0.5, 5.0);
        writeln!(
            w,
            "{},{},{:.1},{}",
            r.user_ids[r.user[j] as usize], r.item_ids[r.item[j] as usize], v, r.time[j]
        )?;
    }
    w.flush()?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let mut movies = csv::Writer::from_path(dir.join("movies.csv"))?;
    movies.write_record(["movieId", "title", "genres"])?;
    let mut links = BufWriter::new(File::create(dir.join("links.csv"))?);
    writeln!(links, "movieId,imdbId,tmdbId")?;
    for (m, &id) in r.item_ids.iter().enumerate() {
        let (title, genres) = match REAL_TITLES.get(m) {
            Some((t, g)) => (t.to_string(), g.to_string()),
            None => {
                let year = 1950 + rng.random_range(0..70u32);
                let g: Vec<&str> = GENRES
                    .iter()
                    .copied()
                    .filter(|_| rng.random::<f64>() < 0.25)
                    .collect();
                let g = if g.is_empty() {
                    "(no genres listed)".to_string()
                } else {
                    g.join("|")
                };
                (format!("Synthetic Film {id} ({year})"), g)
            }
        };
        movies.write_record([id.to_string(), title, genres])?;
        writeln!(links, "{id},{:07},{}", 1_000_000 + id, 5000 + id)?;
    }
    movies.flush()?;
    links.flush()?;
    if let Some(imdb) = imdb_dir {
        fs::create_dir_all(imdb)?;
        let mut t = BufWriter::new(File::create(imdb.join("title.ratings.tsv"))?);
        writeln!(t, "tconst\taverageRating\tnumVotes")?;
        for (m, &id) in r.item_ids.iter().enumerate() {
            if m % 10 == 9 {
                continue; // some titles IMDb does not know
            }
            let avg = (6.5 + 1.5 * s.item_bias[m]).clamp(1.0, 10.0);
            writeln!(
                t,
                "tt{:07}\t{:.1}\t{}",
                1_000_000 + id,
                avg,
                100 + rng.random_range(0..100_000u32)
            )?;
        }
        t.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_count_unique_pairs_long_tail() {
        let p = SynthParams {
            users: 300,
            movies: 500,
            ratings: 20_000,
            k: 2,
            noise: 0.5,
            seed: 1,
            factor_sd: 0.5,
        };
        let r = synthesize(&p).ratings;
        assert_eq!(r.len(), 20_000);
        let mut pairs: Vec<(u32, u32)> =
            r.user.iter().copied().zip(r.item.iter().copied()).collect();
        pairs.sort_unstable();
        pairs.dedup();
        assert_eq!(pairs.len(), 20_000, "duplicate (user, movie) pairs");
        let mut counts = vec![0usize; p.movies];
        for &i in &r.item {
            counts[i as usize] += 1;
        }
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let head: usize = counts[..p.movies / 10].iter().sum();
        assert!(
            head * 100 / r.len() >= 30,
            "top 10% of movies hold only {head} of {} ratings",
            r.len()
        );
    }
}
