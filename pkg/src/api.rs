//! The package's calls in plain Rust (tested natively, `cargo test -p moviematch-js`): thin
//! over the engine's visitor session (`moviematch::session::Visitor`), which is where a profile
//! becomes a posterior, exclusions, a list and its reasons. Nothing here re-implements a step of
//! that pipeline; this module only checks the caller's input and shapes the output
//! ([`crate::interop`]). The wasm-bindgen exports (`crate::bindings`) call these functions.

use moviematch::import_plan::{plan_import, ImportMode};
use moviematch::profile::Settings;
use moviematch::share;
use moviematch::together;
use moviematch::{ListRequest, Model, Profile, Scale, StableId, Visitor};

use crate::error::PkgError;
use crate::interop::{
    parse_answer, CalibrationOut, ImportOut, JointOut, MemberOut, MovieOut, Options, PredictionOut,
    RatingOut, RecommendationOut, SimilarOut,
};

/// Title search, best matches first.
pub fn search(model: &Model, query: &str, limit: usize) -> Vec<MovieOut> {
    model
        .search(query, limit.min(model.len()))
        .into_iter()
        .map(|i| MovieOut::new(model, i))
        .collect()
}

/// The catalogue movie a stored id names, if the catalogue knows it.
pub fn movie(model: &Model, id: &StableId) -> Option<MovieOut> {
    model.resolve(id).map(|i| MovieOut::new(model, i))
}

/// The list the options ask for over the stored settings (each given field replaces the
/// stored one; `genresAny` replaces the stored genre filter).
pub fn request(model: &Model, stored: &Settings, o: &Options) -> Result<ListRequest, PkgError> {
    o.request(model, stored)
}

/// A fitted visitor's list, as JavaScript gets it.
pub fn list(
    model: &Model,
    visitor: &Visitor,
    request: &ListRequest,
) -> Result<Vec<RecommendationOut>, PkgError> {
    Ok(visitor
        .recommend(model, request)?
        .iter()
        .map(|e| RecommendationOut::new(model, e))
        .collect())
}

/// The visitor's recommendations under the profile's settings overridden by `o`: what
/// `engine.recommend(profile, options)` returns (the engine there reuses the visitor while
/// the profile's events do not change). The golden tests call this natively.
pub fn recommend(
    model: &Model,
    profile: &Profile,
    o: &Options,
) -> Result<Vec<RecommendationOut>, PkgError> {
    let request = request(model, &profile.settings, o)?;
    list(
        model,
        &Visitor::with_settings(model, profile, &request.settings),
        &request,
    )
}

/// "Would I like this one?" for movie `id`: its entry as the list under `request` would show
/// it, wherever it ranks, with the visitor's own rating (see [`PredictionOut`]).
pub fn predict(
    model: &Model,
    visitor: &Visitor,
    id: &StableId,
    request: &ListRequest,
) -> Result<PredictionOut, PkgError> {
    let item = catalogue_movie(model, id)?;
    let film = visitor.film(model, item, request)?;
    Ok(PredictionOut::new(model, &film))
}

/// "How well do you know me?" for the visitor (see `Visitor::calibration`).
pub fn calibration(model: &Model, visitor: &Visitor) -> Result<CalibrationOut, PkgError> {
    Ok(CalibrationOut::new(model, &visitor.calibration(model)?))
}

/// "More like this" for movie `id`, re-ranked for the visitor under `request`.
pub fn similar(
    model: &Model,
    visitor: &Visitor,
    id: &StableId,
    request: &ListRequest,
) -> Result<SimilarOut, PkgError> {
    let item = catalogue_movie(model, id)?;
    let similar = visitor.similar(model, item, request)?;
    Ok(SimilarOut {
        movie: MovieOut::new(model, item),
        from_content_prior: similar.from_content_prior,
        similar: similar
            .entries
            .iter()
            .map(|e| RecommendationOut::new(model, e))
            .collect(),
    })
}

/// "Watch together": the group's list for `profiles` (the owner first, whose settings and
/// filters apply; see `moviematch::together`), exploration off.
pub fn recommend_for(
    model: &Model,
    profiles: &[Profile],
    o: &Options,
) -> Result<Vec<JointOut>, PkgError> {
    let Some(owner) = profiles.first() else {
        return Err(PkgError::BadOption(
            "recommendFor needs at least one profile (the owner's first)".into(),
        ));
    };
    let request = request(model, &owner.settings, o)?;
    let visitors = together::visitors(model, profiles, &request.settings);
    let members: Vec<&Visitor> = visitors.iter().collect();
    let list = together::group_list(model, &members, &request)?;
    let stars = |v: f32| {
        model
            .header
            .scale
            .convert(v, &moviematch::RatingScale::STARS)
    };
    Ok(list
        .iter()
        .map(|g| JointOut {
            entry: RecommendationOut::new(model, &g.entry),
            members: g
                .joint
                .members
                .iter()
                .map(|p| MemberOut {
                    mean: stars(p.mean),
                    low: stars(p.interval80.0),
                    high: stars(p.interval80.1),
                })
                .collect(),
        })
        .collect())
}

/// The catalogue index of `id`, or `unknown_movie`.
fn catalogue_movie(model: &Model, id: &StableId) -> Result<usize, PkgError> {
    model.resolve(id).ok_or_else(|| {
        let shown = match id {
            StableId::Movielens(n) => n.to_string(),
            StableId::Imdb(t) => t.clone(),
            StableId::Unmatched { title, .. } => title.clone(),
        };
        PkgError::UnknownMovie(format!("no catalogue movie has the id {shown}"))
    })
}

/// The stored settings, as options.
pub fn settings(model: &Model, stored: &Settings) -> Options {
    Options::from_settings(model, stored)
}

/// Stores the options' settings (fields not given are kept; `top`, `seed` and `genresAll`
/// are refused).
pub fn set_settings(model: &Model, stored: &mut Settings, o: &Options) -> Result<(), PkgError> {
    *stored = o.settings_over(model, stored)?;
    Ok(())
}

/// A rating someone could give on `scale`, or why not.
pub fn check_rating(value: f32, scale: Scale) -> Result<(), PkgError> {
    if scale.range().accepts(value) {
        Ok(())
    } else {
        Err(PkgError::BadOption(match scale {
            Scale::Stars => format!("rating {value} is not 0.5 to 5 stars in half stars"),
            Scale::Ten => format!("rating {value} is not a whole number from 1 to 10"),
        }))
    }
}

/// Records a rating after checking it is on its scale.
pub fn rate(
    profile: &mut Profile,
    id: StableId,
    value: f32,
    scale: Scale,
    at: i64,
) -> Result<(), PkgError> {
    check_rating(value, scale)?;
    profile.rate(id, value, scale, at);
    Ok(())
}

/// Records a comparison after checking it compares two different movies.
pub fn compare(
    profile: &mut Profile,
    a: StableId,
    b: StableId,
    answer: &str,
    at: i64,
) -> Result<(), PkgError> {
    let answer = parse_answer(answer)?;
    if a == b {
        return Err(PkgError::BadOption(
            "a movie cannot be compared with itself".into(),
        ));
    }
    profile.compare(a, b, answer, at);
    Ok(())
}

/// The profile's ratings in force, most recent first.
pub fn ratings(profile: &Profile) -> Vec<RatingOut> {
    profile
        .ratings()
        .iter()
        .map(|r| RatingOut::new(&r.item, r.value, r.scale))
        .collect()
}

/// The ratings in a share link (the text after `#share=`, or the whole URL).
pub fn decode_share(link: &str) -> Result<Vec<RatingOut>, PkgError> {
    Ok(share::decode(link)?.iter().map(RatingOut::from).collect())
}

/// A new profile holding a share link's ratings, stamped `at`.
pub fn profile_from_share(link: &str, at: i64) -> Result<Profile, PkgError> {
    let mut p = Profile::default();
    for r in share::decode(link)? {
        p.rate(r.item, r.value, r.scale, at);
    }
    Ok(p)
}

/// Imports an export (IMDb "Your Ratings" CSV, Letterboxd ratings.csv or its export zip) with
/// the engine's plan: match every row, then write it into the profile (stamped `at`). A file
/// that is not an export changes nothing.
pub fn import_csv(
    model: &Model,
    profile: &mut Profile,
    bytes: &[u8],
    mode: ImportMode,
    at: i64,
) -> Result<ImportOut, PkgError> {
    let plan = plan_import(model, bytes)?;
    let done = plan.apply(model, profile, mode, at);
    Ok(ImportOut::new(plan.counts(), done))
}

#[cfg(test)]
mod tests;
