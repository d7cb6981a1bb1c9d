//! `tools inspect`: what a bundle holds. The first line is `N movies`.

use std::path::PathBuf;

use anyhow::Result;

use moviematch::bundle::{Blend, ImplicitParams};
use moviematch::Model;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// How many of the most-rated movies to list.
    #[arg(long, default_value_t = 5)]
    pub movies: usize,
}

pub fn run(a: &Args) -> Result<()> {
    let bundle = super::load_bundle(&a.bundle)?;
    let implicit = bundle.implicit.clone();
    let blend = bundle.blend.clone();
    let model = Model::from_bundle(bundle);
    print!("{}", describe(&model, implicit.as_ref(), a.movies));
    print!("{}", describe_blend(blend.as_ref()));
    Ok(())
}

/// The ranking's blend, one line per term: its weight at 0 answers and per ln(1 + answers),
/// and a `late:` term's slope past its knot.
pub fn describe_blend(blend: Option<&Blend>) -> String {
    let Some(b) = blend else {
        return "blend: none (the legacy ranking, or the fallback with an implicit model)\n".into();
    };
    let mut s = format!(
        "blend ({} terms, discovery step {}):\n",
        b.terms.len(),
        b.discovery_step
    );
    for t in &b.terms {
        s += &match Blend::late_base(&t.name) {
            (_, true) => format!(
                "  {:<13} {:+.4} per ln(1 + answers) past {} answers\n",
                t.name,
                t.weight,
                moviematch::bundle::LATE_KNOT
            ),
            _ => format!(
                "  {:<13} {:+.4} {:+.4} per ln(1 + answers)\n",
                t.name, t.weight, t.per_log_answer
            ),
        };
    }
    s
}

/// The report: `model` and, when the bundle has one, its implicit model's parameters.
pub fn describe(model: &Model, implicit: Option<&ImplicitParams>, n: usize) -> String {
    let h = &model.header;
    let t = &h.training;
    let mut s = format!("{} movies\n", model.len());
    s += &format!(
        "model: {} (bundle format v{})\n",
        h.model_id,
        moviematch::bundle::FORMAT_VERSION
    );
    s += &format!(
        "dataset: {}: {} ratings, {} users, {} rated items\n",
        h.dataset, h.n_ratings, h.n_users, h.n_rated_items
    );
    s += &format!(
        "K = {}, global mean {:.3}, σ = {:.3}, scale {}–{} step {}\n",
        h.k, h.global_mean, h.sigma, h.scale.min, h.scale.max, h.scale.step
    );
    s += &format!(
        "training: {} for {} epochs, seed {}; held-out ({:.0}%) RMSE {:.4} (bias-only {:.4})\n",
        t.algorithm,
        t.epochs,
        t.seed,
        t.holdout_fraction * 100.0,
        t.holdout_rmse,
        t.holdout_rmse_bias_only
    );
    s += &format!(
        "content prior: {} features, τ = {:.3} (first dimension), σ_b = {:.3}; {} movies carry residual factors\n",
        h.features.len(),
        h.factor_prior_var.first().map_or(0.0, |v| v.sqrt()),
        h.bias_prior_var.sqrt(),
        h.n_rated_items
    );
    let v = model.visitor();
    s += &format!(
        "visitor noise: σ_u² ~ InvGamma({:.2}, {:.3}), E[σ_u] ≈ {:.3}; P(seen) logit coefficients {:?}, offset sd {}\n",
        v.noise.shape,
        v.noise.rate,
        (v.noise.rate / (v.noise.shape - 1.0).max(1e-3)).sqrt(),
        v.seen_coef,
        v.seen_offset_sd
    );
    s += &match implicit {
        Some(p) => format!(
            "implicit: iALS K = {}, α₀ = {}, λ = {}, ν = {}; {} of {} movies carry residual factors, the rest are placed by their features (content sd {:.3})\n",
            p.k,
            p.unobserved_weight,
            p.reg,
            p.reg_exponent,
            p.residual_rows.len(),
            model.len(),
            (p.content_var.iter().map(|&v| v as f64).sum::<f64>() / p.k.max(1) as f64).sqrt()
        ),
        None => "implicit: none (the list ranks on ratings alone)\n".into(),
    };
    s += &format!("created: unix {}\n", h.created_unix);
    s += &format!("genres: {}\n", h.genre_names.join(", "));
    let mut idx: Vec<usize> = (0..model.len()).collect();
    idx.sort_by_key(|&i| std::cmp::Reverse(model.movie(i).ml_count));
    for &i in idx.iter().take(n) {
        let m = model.movie(i);
        s += &format!(
            "  {:>6}  {} ({})  {}  ratings {}  IMDb {}\n",
            m.movie_id,
            m.title,
            m.year.map_or("?".into(), |y| y.to_string()),
            m.tconst().unwrap_or_default(),
            m.ml_count,
            m.imdb_rating.map_or("–".into(), |r| format!("{r:.1}")),
        );
    }
    s
}
