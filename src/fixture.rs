//! Small valid bundles built in code, for tests and examples: the engine's unit tests, the wasm
//! browser tests and anyone trying the engine without a trained model. Not used at run time.

use rand::{RngExt, SeedableRng};

use crate::bundle::{
    quantize_row, Bundle, Catalogue, Header, ImplicitParams, ItemParams, TrainingParams,
    VisitorModel,
};
use crate::features::{FeatureSpec, RawFeatures};
use crate::scale::RatingScale;

/// One catalogue entry of a fixture, with its item parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureMovie {
    pub movie_id: u32,
    pub imdb_id: u32,
    /// MovieLens-style title, e.g. "Matrix, The (1999)".
    pub title: &'static str,
    pub year: u16,
    /// Bitmask over the genre names given to [`bundle`].
    pub genres: u32,
    pub ml_count: u32,
    pub imdb_rating_x10: u8,
    pub imdb_votes: u32,
    /// β, K values (all rated movies of a fixture have the same K); empty: an unrated movie,
    /// covered by the content prior alone.
    pub factors: Vec<f32>,
    pub bias: f32,
    pub bias_sd: f32,
}

impl FixtureMovie {
    /// A rated catalogue entry where only the title matters (title matching and import tests):
    /// IMDb id 1000 + `id`, better known (more counts and votes) the larger `id` is.
    pub fn titled(id: u32, title: &'static str, year: u16) -> FixtureMovie {
        FixtureMovie {
            movie_id: id,
            imdb_id: 1000 + id,
            title,
            year,
            genres: 1,
            ml_count: id,
            imdb_rating_x10: 70,
            imdb_votes: 1000 * id,
            factors: vec![0.1, 0.2],
            bias: 0.0,
            bias_sd: 0.1,
        }
    }
}

/// A bundle over `movies` with μ = 3.5, σ = 0.8, a zero content prior mean (G = 0, so rated
/// movies' residuals are their factors), τ² = 0.04, s_m = 0.5 for rated movies and the visitor
/// prior N(0, diag(¼ for θ and b_u, 1/25 for the feature weights w)).
pub fn bundle(genre_names: &[&str], movies: &[FixtureMovie]) -> Bundle {
    let k = movies
        .iter()
        .map(|m| m.factors.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let raw: Vec<RawFeatures> = movies
        .iter()
        .map(|m| RawFeatures {
            imdb_rating: (m.imdb_rating_x10 > 0).then(|| m.imdb_rating_x10 as f32 / 10.0),
            imdb_votes: m.imdb_votes,
            year: (m.year > 0).then_some(m.year),
            genres: m.genres,
        })
        .collect();
    let features = FeatureSpec::fit(&raw, genre_names.len());
    let f = features.len();
    let mut items = ItemParams::default();
    for (i, m) in movies.iter().enumerate() {
        if !m.factors.is_empty() {
            assert_eq!(
                m.factors.len(),
                k,
                "every rated fixture movie needs K = {k} factors"
            );
            let (q, s) = quantize_row(&m.factors);
            items.residual_rows.push(i as u32);
            items.residual_q.extend(q);
            items.residual_scale.push(s);
        }
        items.bias.push(m.bias);
        items.bias_sd.push(m.bias_sd);
        items
            .factor_sd_scale
            .push(if m.factors.is_empty() { 1.0 } else { 0.5 });
    }
    let d = k + f + 1;
    let prior_precision = (0..d * d)
        .map(|i| match (i / d, i % d) {
            (r, c) if r != c => 0.0,
            (r, _) if r >= k && r < k + f => 25.0,
            _ => 4.0,
        })
        .collect();
    let catalogue = Catalogue {
        movie_id: movies.iter().map(|m| m.movie_id).collect(),
        imdb_id: movies.iter().map(|m| m.imdb_id).collect(),
        title: movies.iter().map(|m| m.title.to_string()).collect(),
        year: movies.iter().map(|m| m.year).collect(),
        genres: movies.iter().map(|m| m.genres).collect(),
        ml_count: movies.iter().map(|m| m.ml_count).collect(),
        imdb_rating_x10: movies.iter().map(|m| m.imdb_rating_x10).collect(),
        imdb_votes: movies.iter().map(|m| m.imdb_votes).collect(),
    };
    let header = Header {
        model_id: "fixture".into(),
        k: k as u32,
        scale: RatingScale::STARS,
        global_mean: 3.5,
        sigma: 0.8,
        prior_mean: vec![0.0; d],
        prior_precision,
        factor_prior_mean: vec![0.0; k * (f + 1)],
        factor_prior_var: vec![0.04; k],
        bias_prior_var: 0.25,
        features,
        dataset: "fixture".into(),
        n_ratings: movies.iter().map(|m| m.ml_count as u64).sum(),
        n_users: 10,
        n_rated_items: movies.len() as u32,
        training: TrainingParams {
            algorithm: "fixture".into(),
            epochs: 0,
            reg_factors: 1.0,
            reg_bias: 1.0,
            seed: 0,
            holdout_fraction: 0.0,
            holdout_rmse: 0.0,
            holdout_rmse_bias_only: 0.0,
        },
        created_unix: 0,
        genre_names: genre_names.iter().map(|g| g.to_string()).collect(),
    };
    Bundle {
        visitor: VisitorModel::legacy(&header),
        implicit: None,
        blend: None,
        header,
        catalogue,
        items,
    }
}

/// A random catalogue in the real bundle's shape, for ranking tests and benchmarks: `n` movies
/// of which the first `rated` have K residual factors, 19 overlapping genres, a long tail of
/// IMDb votes, a non-zero content prior G and decreasing τ² (as training leaves them).
pub fn random_bundle(seed: u64, n: usize, k: usize, rated: usize) -> Bundle {
    const GENRES: [&str; 19] = [
        "Action",
        "Adventure",
        "Animation",
        "Children",
        "Comedy",
        "Crime",
        "Documentary",
        "Drama",
        "Fantasy",
        "Film-Noir",
        "Horror",
        "IMAX",
        "Musical",
        "Mystery",
        "Romance",
        "Sci-Fi",
        "Thriller",
        "War",
        "Western",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let movies: Vec<FixtureMovie> = (0..n)
        .map(|i| FixtureMovie {
            movie_id: i as u32 + 1,
            imdb_id: 1_000_000 + i as u32,
            title: "Some Movie (2001)",
            year: rng.random_range(1920..2020),
            genres: rng.random_range(0..1u32 << 19) & rng.random_range(0..1u32 << 19),
            ml_count: if i < rated {
                rng.random_range(1..300)
            } else {
                0
            },
            imdb_rating_x10: rng.random_range(0..=95),
            imdb_votes: 10f32.powf(rng.random_range(0.5..6.0)) as u32,
            factors: if i < rated {
                (0..k).map(|_| rng.random_range(-0.6..0.6)).collect()
            } else {
                Vec::new()
            },
            bias: rng.random_range(-0.8..0.8),
            bias_sd: rng.random_range(0.02..0.5),
        })
        .collect();
    let mut b = bundle(&GENRES, &movies);
    let g_len = b.header.factor_prior_mean.len();
    b.header.factor_prior_mean = (0..g_len).map(|_| rng.random_range(-0.3..0.3)).collect();
    b.header.factor_prior_var = (0..k).map(|d| 0.3 / (1.0 + d as f32)).collect();
    with_implicit(&mut b, 16, seed);
    b
}

/// Gives `b` a random implicit model with `k` factors: a content regression A, a residual for
/// every movie with MovieLens ratings, and the Gramian of the trained movies' stored factors
/// (as `tools train` computes it), α₀ = 0.05, λ = 0.02, ν = 1.
pub fn with_implicit(b: &mut Bundle, k: usize, seed: u64) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x1a15);
    let f = b.header.features.len();
    let content: Vec<f32> = (0..k * (f + 1))
        .map(|_| rng.random_range(-0.15..0.15))
        .collect();
    let mut p = ImplicitParams {
        k: k as u32,
        unobserved_weight: 0.05,
        reg: 0.02,
        reg_exponent: 1.0,
        n_items: 0,
        gramian: vec![0.0; k * k],
        content,
        content_var: (0..k).map(|d| 0.2 / (1.0 + d as f32)).collect(),
        residual_rows: Vec::new(),
        residual_q: Vec::new(),
        residual_scale: Vec::new(),
    };
    let mut x = vec![0f32; f + 1];
    let mut h = vec![0f32; k];
    for i in 0..b.len() {
        if b.catalogue.ml_count[i] == 0 {
            continue;
        }
        let residual: Vec<f32> = (0..k).map(|_| rng.random_range(-0.5..0.5)).collect();
        let (q, s) = quantize_row(&residual);
        crate::bundle::dequantize_row(&q, s, &mut h);
        content_row(b, i, &mut x);
        for (d, hd) in h.iter_mut().enumerate() {
            let a = &p.content[d * (f + 1)..(d + 1) * (f + 1)];
            *hd += a.iter().zip(&x).map(|(a, x)| a * x).sum::<f32>();
        }
        for r in 0..k {
            for c in 0..k {
                p.gramian[r * k + c] += h[r] * h[c];
            }
        }
        p.residual_rows.push(i as u32);
        p.residual_q.extend(q);
        p.residual_scale.push(s);
        p.n_items += 1;
    }
    b.implicit = Some(p);
}

/// Movie i's [x_i; 1] as the engine computes it from the catalogue.
fn content_row(b: &Bundle, i: usize, out: &mut [f32]) {
    let c = &b.catalogue;
    let raw = RawFeatures {
        imdb_rating: (c.imdb_rating_x10[i] > 0).then(|| c.imdb_rating_x10[i] as f32 / 10.0),
        imdb_votes: c.imdb_votes[i],
        year: (c.year[i] > 0).then_some(c.year[i]),
        genres: c.genres[i],
    };
    let f = b.header.features.len();
    b.header.features.compute(&raw, &mut out[..f]);
    out[f] = 1.0;
}

/// A visitor who has rated `ratings` movies and answered `pairs` "A or B?" questions (about
/// the best-known movies of `model`): what benchmarks of "one more answer" start from.
pub fn answered(
    model: &crate::model::Model,
    ratings: usize,
    pairs: usize,
) -> crate::profile::Profile {
    use crate::profile::{CompareAnswer, Profile, Scale};
    let by_pop: Vec<usize> = model.most_seen().iter().map(|&i| i as usize).collect();
    let mut p = Profile::default();
    for (j, &i) in by_pop.iter().take(ratings).enumerate() {
        p.rate(
            model.stable_id(i),
            1.0 + (j % 9) as f32 / 2.0,
            Scale::Stars,
            j as i64,
        );
    }
    for j in 0..pairs {
        let (a, b) = (by_pop[ratings + 2 * j], by_pop[ratings + 2 * j + 1]);
        let answer = if j % 2 == 0 {
            CompareAnswer::A
        } else {
            CompareAnswer::B
        };
        p.compare(
            model.stable_id(a),
            model.stable_id(b),
            answer,
            (ratings + j) as i64,
        );
    }
    p
}

/// Six movies alike in every feature (one genre, same year, votes and IMDb rating), so a
/// visitor's feature weights and bias move them all alike: five the model is sure about (tiny
/// factors; biases 0.5, 0.4, 0.3, 0.2, 0.1) and, last, one it is unsure about (factors (2, 0):
/// a draw of the visitor's first taste dimension moves its prediction 200 times as much) whose
/// bias, 0.25, ranks it 4th by the posterior mean. With caution and popularity 0 and a top 3,
/// the plain list is movies 0, 1, 2, and exploration lifts movie 5 into it exactly when the
/// draw's first dimension is positive enough.
pub fn exploration_bundle() -> Bundle {
    let movie = |i: u32, title: &'static str, factors: Vec<f32>, bias: f32| FixtureMovie {
        movie_id: i + 1,
        imdb_id: 100 + i,
        title,
        year: 2000,
        genres: 1,
        ml_count: 100,
        imdb_rating_x10: 70,
        imdb_votes: 1_000_000,
        factors,
        bias,
        bias_sd: 0.05,
    };
    let sure = [0.01, 0.0];
    bundle(
        &["Drama"],
        &[
            movie(0, "Sure One (2000)", sure.to_vec(), 0.5),
            movie(1, "Sure Two (2000)", sure.to_vec(), 0.4),
            movie(2, "Sure Three (2000)", sure.to_vec(), 0.3),
            movie(3, "Sure Four (2000)", sure.to_vec(), 0.2),
            movie(4, "Sure Five (2000)", sure.to_vec(), 0.1),
            movie(5, "Unsure (2000)", vec![2.0, 0.0], 0.25),
        ],
    )
}

/// A zip archive of `files` (name, bytes), deflated: the shape of a Letterboxd export.
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).expect("writing to memory");
        w.write_all(data).expect("writing to memory");
    }
    w.finish().expect("writing to memory").into_inner()
}
