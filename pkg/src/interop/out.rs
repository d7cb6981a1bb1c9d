//! The plain objects the package hands to JavaScript (`Movie`, `Recommendation`, `Rating`,
//! `ImportSummary` in the TypeScript declarations), made from the engine's values. Keys are
//! camelCase; a missing value is `null`.

use moviematch::import_plan::{ApplySummary, ImportCounts};
use moviematch::session::Accuracy;
use moviematch::share::SharedRating;
use moviematch::{Calibration, FilmPrediction, ListEntry, Model, RatingScale, Scale, StableId};
use serde::Serialize;
use serde_json::Value;

use super::ids::js_id;
use super::options::genre_list;

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MovieOut {
    /// MovieLens movieId: the id the engine stores for a catalogue movie.
    pub id: u32,
    pub imdb: Option<String>,
    pub title: String,
    pub year: Option<u16>,
    pub genres: Vec<String>,
    pub imdb_rating: Option<f32>,
    pub imdb_votes: u32,
}

impl MovieOut {
    /// Catalogue movie `i`.
    pub fn new(model: &Model, i: usize) -> MovieOut {
        let m = model.movie(i);
        MovieOut {
            id: m.movie_id,
            imdb: m.tconst(),
            title: m.title.clone(),
            year: m.year,
            genres: genre_list(model, m.genres),
            imdb_rating: m.imdb_rating,
            imdb_votes: m.imdb_votes,
        }
    }
}

/// One recommendation: the movie (a `Movie`'s keys), the predicted rating with its 80%
/// interval (in stars), why, and whether only exploration put it in the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationOut {
    /// The movie: a `Movie`'s keys, at the top level of the object.
    #[serde(flatten)]
    pub movie: MovieOut,
    /// Predicted rating, 0.5–5 stars.
    pub mean: f32,
    /// The central 80% predictive interval.
    pub low: f32,
    pub high: f32,
    /// Predictive standard deviation, in stars.
    pub sd: f32,
    /// Why, in words ("because you liked Alien (4.5★)"), strongest first; may be empty.
    pub reasons: Vec<String>,
    /// In the list only because of the Thompson draw (`Recommendation::exploring`).
    pub exploring: bool,
}

impl RecommendationOut {
    /// A list entry in stars, its reasons worded by the engine (`Reason::describe`).
    pub fn new(model: &Model, entry: &ListEntry) -> RecommendationOut {
        let scale = model.header.scale;
        let stars = |v: f32| scale.convert(v, &RatingScale::STARS);
        let r = &entry.rec;
        RecommendationOut {
            movie: MovieOut::new(model, r.item),
            mean: stars(r.mean),
            low: stars(r.interval80.0),
            high: stars(r.interval80.1),
            sd: scale.convert_spread(r.sd, &RatingScale::STARS),
            reasons: entry.reasons.iter().map(|w| w.describe(model)).collect(),
            exploring: r.exploring,
        }
    }
}

/// "Would I like this one?": a movie as a list entry wherever it ranks, plus the visitor's own
/// rating. For a movie they rated, the prediction is made without that rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PredictionOut {
    #[serde(flatten)]
    pub entry: RecommendationOut,
    /// Their rating in stars (as the stars widget shows it), or `null`.
    pub your_rating: Option<f32>,
}

impl PredictionOut {
    pub fn new(model: &Model, film: &FilmPrediction) -> PredictionOut {
        PredictionOut {
            entry: RecommendationOut::new(model, &film.entry),
            your_rating: film.your_rating.as_ref().map(|r| r.stars()),
        }
    }
}

/// "How well do you know me?" (`engine.calibration`): `tools calibrate --report --json`'s
/// object, in stars (see `moviematch::Calibration`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationOut {
    /// The films the summary is over: those with an IMDb prediction.
    pub n: usize,
    pub model: ModelAccuracyOut,
    pub imdb: AccuracyOut,
    /// Every rated catalogue film, most recent first.
    pub films: Vec<HeldOutOut>,
}

/// The model's mean absolute error (stars), rank correlation and 80% coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelAccuracyOut {
    #[serde(flatten)]
    pub accuracy: AccuracyOut,
    pub coverage80: Option<f64>,
}

/// Mean absolute error (stars) and Spearman's rank correlation; `null` where undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccuracyOut {
    pub mae: Option<f64>,
    pub spearman: Option<f64>,
}

/// One rated film held out, in stars.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldOutOut {
    pub movie_id: u32,
    pub imdb_id: Option<String>,
    pub title: String,
    pub year: Option<u16>,
    pub your_rating: f32,
    pub mean: f32,
    pub low: f32,
    pub high: f32,
    /// The IMDb average mapped to the visitor's ratings (leave-one-out), or `null`.
    pub imdb: Option<f32>,
}

impl CalibrationOut {
    pub fn new(model: &Model, c: &Calibration) -> CalibrationOut {
        let scale = model.header.scale;
        let stars = |v: f32| scale.convert(v, &RatingScale::STARS);
        let spread =
            |v: Option<f64>| v.map(|v| scale.convert_spread(v as f32, &RatingScale::STARS) as f64);
        let accuracy = |a: &Accuracy| AccuracyOut {
            mae: spread(a.mae),
            spearman: a.spearman,
        };
        CalibrationOut {
            n: c.n,
            model: ModelAccuracyOut {
                accuracy: accuracy(&c.model),
                coverage80: c.coverage80,
            },
            imdb: accuracy(&c.imdb),
            films: c
                .films
                .iter()
                .map(|f| {
                    let m = model.movie(f.item);
                    HeldOutOut {
                        movie_id: m.movie_id,
                        imdb_id: m.tconst(),
                        title: m.title.clone(),
                        year: m.year,
                        your_rating: stars(f.rating),
                        mean: stars(f.mean),
                        low: stars(f.interval80.0),
                        high: stars(f.interval80.1),
                        imdb: f.imdb.map(stars),
                    }
                })
                .collect(),
        }
    }
}

/// "More like this" (`engine.similar`): the film's nearest films re-ranked for the visitor.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimilarOut {
    /// The film asked about.
    pub movie: MovieOut,
    /// It has no ratings in the training data: neighbours from its content prior.
    pub from_content_prior: bool,
    /// Best first, at most 10, each a list entry.
    pub similar: Vec<RecommendationOut>,
}

/// One member's prediction in a group's list, in stars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberOut {
    pub mean: f32,
    pub low: f32,
    pub high: f32,
}

/// One film of a group's list (`engine.recommendFor`): the owner's entry (reasons included)
/// with `mean`, `low` and `high` the least happy member's (the lowest prediction), and every
/// member's prediction, the owner first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointOut {
    #[serde(flatten)]
    pub entry: RecommendationOut,
    pub members: Vec<MemberOut>,
}

/// A rating in force (or a shared one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingOut {
    /// The stored id: a number, a "tt…" string or `{title, year, source}` (see [`js_id`]).
    pub id: Value,
    pub rating: f32,
    /// "stars" or "ten" (the engine's serde name).
    pub scale: Scale,
}

impl RatingOut {
    pub fn new(id: &StableId, rating: f32, scale: Scale) -> RatingOut {
        RatingOut {
            id: js_id(id),
            rating,
            scale,
        }
    }
}

impl From<&SharedRating> for RatingOut {
    fn from(r: &SharedRating) -> RatingOut {
        RatingOut::new(&r.item, r.value, r.scale)
    }
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOut {
    /// "imdb" or "letterboxd".
    pub format: &'static str,
    /// Data rows in the file: `matched` + `ambiguous` + `unmatched`.
    pub rows: usize,
    pub matched: usize,
    /// Letterboxd rows several catalogue movies fit equally well (kept as unmatched entries).
    pub ambiguous: usize,
    pub unmatched: usize,
    /// Ratings written to the profile (a movie the file rates twice counts once).
    pub added: usize,
    /// Rows a merge skipped because the profile already rated the movie.
    pub kept_yours: usize,
    /// Ratings a replace withdrew first.
    pub withdrawn: usize,
}

impl ImportOut {
    /// The plan's counts and what applying it did.
    pub fn new(c: ImportCounts, done: ApplySummary) -> ImportOut {
        ImportOut {
            format: c.format,
            rows: c.rows,
            matched: c.matched,
            ambiguous: c.ambiguous,
            unmatched: c.unmatched,
            added: done.added,
            kept_yours: done.kept_yours,
            withdrawn: done.withdrawn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture;

    #[test]
    fn movie_objects_and_their_keys() {
        let m = Model::from_bundle(fixture::random_bundle(7, 400, 4, 200));
        let first = MovieOut::new(&m, 0);
        assert_eq!(first.imdb.as_deref(), Some("tt1000000"));
        assert_eq!(first.genres.len(), m.movie(0).genres.count_ones() as usize);
        let json = serde_json::to_value(&first).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "genres",
                "id",
                "imdb",
                "imdbRating",
                "imdbVotes",
                "title",
                "year"
            ]
        );
        let r = RatingOut::new(&StableId::Imdb("tt0078748".into()), 9.0, Scale::Ten);
        assert_eq!(
            serde_json::to_value(r).unwrap(),
            serde_json::json!({"id": "tt0078748", "rating": 9.0, "scale": "ten"})
        );
    }
}
