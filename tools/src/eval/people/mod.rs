//! Real people as a dev set (`tools eval --people DIR`): every IMDb or Letterboxd export below
//! a folder is matched through the engine's import, one film in five (by a hash of its id) is
//! held out, and each model ranks the catalogue from the person's other films. Measured: how
//! many of the held-out films the person liked (≥ 8/10, ≥ 4★) each model's top 100 finds, how
//! alike people's top 20s are, and how well predicted means order the held-out ratings.
//!
//! - [`read`]: one export read, its rows dropped or kept, the split and the skip rules.
//! - [`metrics`]: recall, ips-recall, NDCG, hit, overlap, Spearman.
//! - [`models`]: `list` (the app's `Visitor`), `ease`, `ials`, `imdb-votes`, `imdb-top`.

pub mod metrics;
pub mod models;
pub mod read;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use moviematch::Model;
use serde::Serialize;

use self::metrics::{
    combine, hit, ips_recall, mean, ndcg_capped, propensity_weight, recall_capped, spearman_user,
    ModelRow, PersonScore, HIT_AT, TOP,
};
use self::models::{Charts, EaseModel, ImplicitModel, Ranked, MODELS};
use self::read::{export_files, read_person, Dropped, Person};
use crate::data::movielens::Ratings;
use crate::train::ials::IalsParams;

/// One evaluated person (never committed: real people's data).
#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    pub file: String,
    pub format: &'static str,
    pub rows: usize,
    pub matched: usize,
    pub train: usize,
    pub heldout: usize,
    pub liked: usize,
    pub dropped: Dropped,
    pub imdb_spearman_user: Option<f64>,
    /// Each model's figures under its name.
    #[serde(flatten)]
    pub models: BTreeMap<String, PersonScore>,
}

/// What `tools eval --people` prints.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleReport {
    /// People evaluated.
    pub people: usize,
    /// People (or files) left out: too few training or liked films, or not an export.
    pub skipped: usize,
    pub models: Vec<ModelRow>,
    /// Spearman of the IMDb average vs the person's ratings on the same films as
    /// `spearman_user`, macro mean.
    pub imdb_spearman_user: Option<f64>,
    pub per_person: Vec<PersonRow>,
}

/// One model's figures for one person.
fn score(model: &Model, person: &Person, ranked: &Ranked) -> PersonScore {
    let liked: HashSet<usize> = person.liked().into_iter().collect();
    let weight = |i: &usize| propensity_weight(model.movie(*i).imdb_votes);
    PersonScore {
        recall: recall_capped(&ranked.list, &liked, TOP).unwrap_or(0.0),
        ips_recall: ips_recall(&ranked.list, &liked, TOP, weight).unwrap_or(0.0),
        ndcg: ndcg_capped(&ranked.list, &liked, TOP).unwrap_or(0.0),
        hit: hit(&ranked.list, &liked, HIT_AT) as u8 as f64,
        spearman_user: ranked.predicted.as_ref().and_then(|p| {
            let pairs: Vec<(f64, f64)> = with_imdb(model, person)
                .filter_map(|(i, r)| Some((*p.get(&i)?, r)))
                .collect();
            spearman_user(&pairs)
        }),
    }
}

/// The held-out films that have an IMDb average, with the person's rating.
fn with_imdb<'a>(model: &'a Model, person: &'a Person) -> impl Iterator<Item = (usize, f64)> + 'a {
    person
        .heldout
        .iter()
        .filter(|h| model.movie(h.0).imdb_rating.is_some())
        .map(|h| (h.0, h.1 as f64))
}

/// Runs the protocol on every export below `dir`; `ml` are the MovieLens ratings EASE and the
/// implicit model (settings `implicit`) learn from. Progress and skipped files go to stderr.
pub fn evaluate(
    model: &Model,
    ml: &Ratings,
    dir: &Path,
    implicit: &IalsParams,
) -> Result<PeopleReport> {
    let files = export_files(dir)?;
    let mut people = Vec::new();
    let mut skipped = 0;
    for path in &files {
        let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        let person = std::fs::read(path)
            .map_err(anyhow::Error::from)
            .and_then(|b| read_person(model, &name, &b));
        match person {
            Ok(p) => match p.skip() {
                None => people.push(p),
                Some(why) => {
                    eprintln!(
                        "skipped {name}: {why:?} ({} training, {} liked held out)",
                        p.train.len(),
                        p.liked().len()
                    );
                    skipped += 1;
                }
            },
            Err(e) => {
                eprintln!("skipped {name}: {e:#}");
                skipped += 1;
            }
        }
    }
    let params = EaseModel::params();
    eprintln!(
        "ease: λ = {}, items with ≥ {} MovieLens ratings",
        params.lambda, params.min_count
    );
    let ease = EaseModel::fit(model, ml);
    eprintln!("ease: {} items modelled", ease.n_items());
    eprintln!("ials: {implicit:?}");
    let ials = ImplicitModel::fit(model, ml, implicit);
    let charts = Charts::new(model);

    let pb = ProgressBar::new(people.len() as u64);
    pb.set_style(
        ProgressStyle::with_template("people {bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut lists: Vec<Vec<Vec<usize>>> = vec![Vec::new(); MODELS.len()];
    let mut scores: Vec<Vec<PersonScore>> = vec![Vec::new(); MODELS.len()];
    let mut per_person = Vec::new();
    for p in &people {
        let heldout: Vec<usize> = p.heldout.iter().map(|h| h.0).collect();
        let ranked = [
            models::list(model, p, TOP, &heldout),
            ease.rank(p, TOP),
            ials.rank(model, p, TOP),
            charts.imdb_votes(p, TOP),
            charts.imdb_top(p, TOP),
        ];
        let mut row = BTreeMap::new();
        for (m, r) in ranked.iter().enumerate() {
            let s = score(model, p, r);
            row.insert(MODELS[m].to_string(), s);
            scores[m].push(s);
            lists[m].push(r.list.iter().take(HIT_AT).copied().collect());
        }
        let imdb: Vec<(f64, f64)> = with_imdb(model, p)
            .filter_map(|(i, r)| Some((model.movie(i).imdb_rating? as f64, r)))
            .collect();
        per_person.push(PersonRow {
            file: p.file.clone(),
            format: p.format,
            rows: p.rows,
            matched: p.matched,
            train: p.train.len(),
            heldout: p.heldout.len(),
            liked: p.liked().len(),
            dropped: p.dropped,
            imdb_spearman_user: spearman_user(&imdb),
            models: row,
        });
        pb.inc(1);
    }
    pb.finish_and_clear();
    Ok(PeopleReport {
        people: people.len(),
        skipped,
        models: MODELS
            .iter()
            .enumerate()
            .map(|(m, name)| combine(name, &scores[m], &lists[m]))
            .collect(),
        imdb_spearman_user: mean(per_person.iter().map(|p| p.imdb_spearman_user)),
        per_person,
    })
}
