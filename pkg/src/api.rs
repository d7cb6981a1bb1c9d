//! The package's logic in plain Rust types, so that it is tested natively (`cargo test -p
//! moviematch-js`): id parsing, options → settings and ranking options, the objects handed to
//! JavaScript, and the same engine calls the app makes (see `app/src/hooks/use_personal.rs`).
//! `lib.rs` only converts between these types and JavaScript values.

use moviematch::explain::{reasons_for, MIN_REASON_STARS, REASONS};
use moviematch::import::{plan_import, ImportMode};
use moviematch::model::{format_tconst, parse_tconst};
use moviematch::profile::{Action, CompareAnswer, Settings};
use moviematch::rank::list_exclusions;
use moviematch::share::{self, SharedRating};
use moviematch::{Evidence, Model, Posterior, Profile, RankOptions, RatingScale, Scale, StableId};
use serde::{Deserialize, Serialize};

/// How many recommendations a list has unless `top` says otherwise (the app's list length).
pub const DEFAULT_TOP: usize = 20;
/// Largest seed a JavaScript number holds exactly (2⁵³).
const MAX_SEED: f64 = 9_007_199_254_740_992.0;

/// A stored id as JavaScript sees it: a MovieLens id is a number, an IMDb id the "tt…" string,
/// an entry no catalogue knew (from an import or a share link) an object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum JsId {
    Movielens(u32),
    Imdb(String),
    Unmatched {
        title: String,
        year: Option<u16>,
        source: String,
    },
}

impl From<&StableId> for JsId {
    fn from(id: &StableId) -> JsId {
        match id {
            StableId::Movielens(m) => JsId::Movielens(*m),
            StableId::Imdb(t) => JsId::Imdb(t.clone()),
            StableId::Unmatched {
                title,
                year,
                source,
            } => JsId::Unmatched {
                title: title.clone(),
                year: *year,
                source: source.clone(),
            },
        }
    }
}

const ID_HELP: &str =
    "a movie id is a MovieLens id (a positive whole number) or an IMDb id (\"tt0133093\")";

/// A movie id given as a JavaScript number: a MovieLens movieId.
pub fn parse_id_number(v: f64) -> Result<StableId, String> {
    if v.is_finite() && v.fract() == 0.0 && v >= 1.0 && v <= u32::MAX as f64 {
        Ok(StableId::Movielens(v as u32))
    } else {
        Err(format!("{v} is not a movie id: {ID_HELP}"))
    }
}

/// A movie id given as a string: "tt0133093" (an IMDb id, zero-padded to seven digits as IMDb
/// writes it) or the digits of a MovieLens id.
pub fn parse_id_text(s: &str) -> Result<StableId, String> {
    let t = s.trim();
    if t.starts_with("tt") && t[2..].bytes().all(|b| b.is_ascii_digit()) {
        if let Some(n) = parse_tconst(t) {
            return Ok(StableId::Imdb(format_tconst(n)));
        }
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse::<u32>() {
            if n > 0 {
                return Ok(StableId::Movielens(n));
            }
        }
    }
    Err(format!("{s:?} is not a movie id: {ID_HELP}"))
}

/// "stars" (0.5–5 in half stars, the default) or "ten" (IMDb's whole numbers 1–10).
pub fn parse_scale(s: Option<&str>) -> Result<Scale, String> {
    match s.map(str::trim) {
        None | Some("stars") => Ok(Scale::Stars),
        Some("ten") => Ok(Scale::Ten),
        Some(other) => Err(format!(
            "unknown rating scale {other:?}: use \"stars\" (0.5 to 5) or \"ten\" (1 to 10)"
        )),
    }
}

/// A rating someone could give on `scale`, or why not.
pub fn check_rating(value: f32, scale: Scale) -> Result<(), String> {
    if scale.range().accepts(value) {
        Ok(())
    } else {
        Err(match scale {
            Scale::Stars => format!("rating {value} is not 0.5 to 5 stars in half stars"),
            Scale::Ten => format!("rating {value} is not a whole number from 1 to 10"),
        })
    }
}

/// "a", "b", "tie", "unseen_a" or "unseen_b".
pub fn parse_answer(s: &str) -> Result<CompareAnswer, String> {
    match s.trim() {
        "a" => Ok(CompareAnswer::A),
        "b" => Ok(CompareAnswer::B),
        "tie" => Ok(CompareAnswer::Tie),
        "unseen_a" => Ok(CompareAnswer::UnseenA),
        "unseen_b" => Ok(CompareAnswer::UnseenB),
        other => Err(format!(
            "unknown answer {other:?}: use \"a\", \"b\", \"tie\", \"unseen_a\" or \"unseen_b\""
        )),
    }
}

/// A reaction to a movie, by its name in the profile format.
pub fn parse_action(s: &str) -> Result<Action, String> {
    Ok(match s.trim() {
        "like" => Action::Like,
        "dislike" => Action::Dislike,
        "unlike" => Action::Unlike,
        "hide" => Action::Hide,
        "unhide" => Action::Unhide,
        "save" => Action::Save,
        "unsave" => Action::Unsave,
        "unseen" => Action::Unseen,
        other => {
            return Err(format!(
                "unknown action {other:?}: use like, dislike, unlike, hide, unhide, save, unsave or unseen"
            ))
        }
    })
}

/// Records a comparison after checking it compares two different movies.
pub fn compare(
    profile: &mut Profile,
    a: StableId,
    b: StableId,
    answer: &str,
    at: i64,
) -> Result<(), String> {
    let answer = parse_answer(answer)?;
    if a == b {
        return Err("a movie cannot be compared with itself".into());
    }
    profile.compare(a, b, answer, at);
    Ok(())
}

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

pub fn movie_out(model: &Model, i: usize) -> MovieOut {
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

fn genre_list(model: &Model, mask: u32) -> Vec<String> {
    model
        .genre_names()
        .iter()
        .enumerate()
        .filter(|(b, _)| *b < 32 && mask & (1 << b) != 0)
        .map(|(_, n)| n.clone())
        .collect()
}

/// Title search, best matches first.
pub fn search(model: &Model, query: &str, limit: usize) -> Vec<MovieOut> {
    model
        .search(query, limit.min(model.len()))
        .into_iter()
        .map(|i| movie_out(model, i))
        .collect()
}

/// One recommendation: the movie, the predicted rating with its 80% interval (in stars), and
/// why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationOut {
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
}

/// What a list asks for. Every field is optional: a missing one takes the profile's settings
/// (the tuned defaults in a new profile). Unknown fields are refused, so a typo is an error
/// rather than silently ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploration: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub popularity: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caution: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diversity: Option<f32>,
    /// Every one of these genres (per list only: not part of the stored settings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genres_all: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genres_any: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genres_none: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_min: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_max: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imdb_min: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes_min: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_saved: Option<bool>,
}

/// The fields [`Options`] has, as JavaScript spells them. serde-wasm-bindgen only looks up the
/// fields a struct declares, so `deny_unknown_fields` alone would not catch a typo there:
/// [`check_option_keys`] does.
pub const OPTION_FIELDS: [&str; 14] = [
    "top",
    "seed",
    "exploration",
    "popularity",
    "caution",
    "diversity",
    "genresAll",
    "genresAny",
    "genresNone",
    "yearMin",
    "yearMax",
    "imdbMin",
    "votesMin",
    "excludeSaved",
];

/// Refuses an options object with a field [`Options`] does not have (a typo would otherwise be
/// silently ignored).
pub fn check_option_keys<S: AsRef<str>>(keys: &[S]) -> Result<(), String> {
    match keys
        .iter()
        .map(AsRef::as_ref)
        .find(|k| !OPTION_FIELDS.contains(k))
    {
        Some(k) => Err(format!(
            "unknown field `{k}`, expected one of {}",
            OPTION_FIELDS
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => Ok(()),
    }
}

/// The bitmask of genres named (case-insensitive); an unknown name is an error listing the
/// bundle's genres.
pub fn genre_mask(model: &Model, names: &[String]) -> Result<u32, String> {
    let mut mask = 0;
    for g in names {
        match model.genre_mask(g) {
            Some(m) => mask |= m,
            None => {
                return Err(format!(
                    "unknown genre {g:?}; genres: {}",
                    model.genre_names().join(", ")
                ))
            }
        }
    }
    Ok(mask)
}

/// `base` with every field `o` gives replaced. Knobs must be finite numbers (out-of-range values
/// are clamped to their ranges when the list is made, as for a stored profile).
pub fn settings_with(model: &Model, base: &Settings, o: &Options) -> Result<Settings, String> {
    let mut s = base.clone();
    for (name, given, knob) in [
        ("exploration", o.exploration, &mut s.exploration),
        ("popularity", o.popularity, &mut s.popularity),
        ("caution", o.caution, &mut s.caution),
        ("diversity", o.diversity, &mut s.diversity),
    ] {
        if let Some(v) = given {
            if !v.is_finite() {
                return Err(format!("{name} must be a finite number, not {v}"));
            }
            *knob = v;
        }
    }
    let f = &mut s.filter;
    if let Some(g) = &o.genres_any {
        f.genres_any = genre_mask(model, g)?;
    }
    if let Some(g) = &o.genres_none {
        f.genres_none = genre_mask(model, g)?;
    }
    f.year_min = o.year_min.or(f.year_min);
    f.year_max = o.year_max.or(f.year_max);
    if let Some(r) = o.imdb_min {
        if !r.is_finite() {
            return Err(format!("imdbMin must be a finite number, not {r}"));
        }
        f.imdb_min = Some(r);
    }
    f.votes_min = o.votes_min.or(f.votes_min);
    if let Some(x) = o.exclude_saved {
        s.exclude_saved = x;
    }
    Ok(s)
}

/// The stored settings as options (what [`settings_with`] would give back).
pub fn options_of(model: &Model, s: &Settings) -> Options {
    Options {
        exploration: Some(s.exploration),
        popularity: Some(s.popularity),
        caution: Some(s.caution),
        diversity: Some(s.diversity),
        genres_any: Some(genre_list(model, s.filter.genres_any)),
        genres_none: Some(genre_list(model, s.filter.genres_none)),
        year_min: s.filter.year_min,
        year_max: s.filter.year_max,
        imdb_min: s.filter.imdb_min,
        votes_min: s.filter.votes_min,
        exclude_saved: Some(s.exclude_saved),
        ..Options::default()
    }
}

/// Stores the options' settings in the profile (`top`, `seed` and `genresAll` are per list
/// and refused here, so nobody believes they were kept).
pub fn set_settings(model: &Model, profile: &mut Profile, o: &Options) -> Result<(), String> {
    if o.top.is_some() || o.seed.is_some() || o.genres_all.is_some() {
        return Err(
            "top, seed and genresAll belong to one list, not to the stored settings".into(),
        );
    }
    profile.settings = settings_with(model, &profile.settings, o)?;
    Ok(())
}

/// The ranking options and the settings a list uses: the profile's settings overridden by `o`;
/// Thompson sampling's seed defaults to the number of events (the app's rule: the list changes
/// when, and only when, the profile does).
pub fn rank_options(
    model: &Model,
    profile: &Profile,
    o: &Options,
) -> Result<(RankOptions, Settings), String> {
    let settings = settings_with(model, &profile.settings, o)?;
    let top = o.top.map_or(DEFAULT_TOP, |t| t as usize).min(model.len());
    let seed = match o.seed {
        None => profile.events.len() as u64,
        Some(s) if s.is_finite() && s >= 0.0 && s.fract() == 0.0 && s <= MAX_SEED => s as u64,
        Some(s) => {
            return Err(format!(
                "seed must be a whole number from 0 to 2^53, not {s}"
            ))
        }
    };
    let genres = match &o.genres_all {
        Some(g) => genre_mask(model, g)?,
        None => 0,
    };
    let opts = RankOptions {
        genres,
        ..settings.rank_options(top, seed)
    };
    Ok((opts, settings))
}

/// The app's sequence: the profile's evidence, the visitor's posterior, the list's exclusions,
/// the ranking, and each entry's reasons.
pub fn recommend(
    model: &Model,
    profile: &Profile,
    o: &Options,
) -> Result<Vec<RecommendationOut>, String> {
    let (opts, settings) = rank_options(model, profile, o)?;
    let evidence = Evidence::from_profile(model, profile);
    let post = Posterior::fit_evidence(model, &evidence)
        .map_err(|e| format!("the model could not be fitted to these answers ({e:?})"))?;
    let exclude = list_exclusions(model, profile, &settings);
    let scale = model.header.scale;
    let stars = |v: f32| scale.convert(v, &RatingScale::STARS);
    Ok(moviematch::recommend(model, &post, &exclude, &opts)
        .into_iter()
        .map(|r| RecommendationOut {
            movie: movie_out(model, r.item),
            mean: stars(r.mean),
            low: stars(r.interval80.0),
            high: stars(r.interval80.1),
            sd: scale.convert_spread(r.sd, &RatingScale::STARS),
            reasons: reasons_for(
                model,
                &post,
                &evidence.observations,
                &r,
                REASONS,
                MIN_REASON_STARS,
            )
            .iter()
            .map(|w| w.describe(model))
            .collect(),
        })
        .collect())
}

/// A rating in force (or a shared one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingOut {
    pub id: JsId,
    pub rating: f32,
    /// "stars" or "ten".
    pub scale: Scale,
}

/// The profile's ratings in force, most recent first.
pub fn ratings(profile: &Profile) -> Vec<RatingOut> {
    profile
        .ratings()
        .iter()
        .map(|r| RatingOut {
            id: (&r.item).into(),
            rating: r.value,
            scale: r.scale,
        })
        .collect()
}

/// Reads a share link (the text after `#share=`, or the whole URL).
pub fn decode_share(link: &str) -> Result<Vec<SharedRating>, String> {
    share::decode(link).map_err(|e| e.to_string())
}

pub fn shared_out(shared: &[SharedRating]) -> Vec<RatingOut> {
    shared
        .iter()
        .map(|r| RatingOut {
            id: (&r.item).into(),
            rating: r.value,
            scale: r.scale,
        })
        .collect()
}

/// A new profile holding a share link's ratings, stamped `at`.
pub fn profile_from_share(link: &str, at: i64) -> Result<Profile, String> {
    let mut p = Profile::default();
    for r in decode_share(link)? {
        p.rate(r.item, r.value, r.scale, at);
    }
    Ok(p)
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

/// "merge" (the default: ratings the visitor already has win) or "replace" (every rating in
/// force is withdrawn first; comparisons, reactions and settings stay).
pub fn parse_mode(s: Option<&str>) -> Result<ImportMode, String> {
    match s.map(str::trim) {
        None | Some("merge") => Ok(ImportMode::Merge),
        Some("replace") => Ok(ImportMode::Replace),
        Some(other) => Err(format!(
            "unknown import mode {other:?}: use \"merge\" or \"replace\""
        )),
    }
}

/// Imports an export (IMDb "Your Ratings" CSV, Letterboxd ratings.csv or its export zip) with
/// the engine's plan: match every row, then write it into the profile (stamped `at`).
pub fn import_csv(
    model: &Model,
    profile: &mut Profile,
    bytes: &[u8],
    mode: ImportMode,
    at: i64,
) -> Result<ImportOut, String> {
    let plan = plan_import(model, bytes).map_err(|e| e.to_string())?;
    let c = plan.counts();
    let done = plan.apply(model, profile, mode, at);
    Ok(ImportOut {
        format: c.format,
        rows: c.rows,
        matched: c.matched,
        ambiguous: c.ambiguous,
        unmatched: c.unmatched,
        added: done.added,
        kept_yours: done.kept_yours,
        withdrawn: done.withdrawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture;

    fn model() -> Model {
        Model::from_bundle(fixture::random_bundle(7, 400, 4, 200))
    }

    #[test]
    fn ids_from_numbers_and_strings() {
        assert_eq!(parse_id_number(2571.0), Ok(StableId::Movielens(2571)));
        for bad in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 5e9] {
            assert!(parse_id_number(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_id_text("tt0133093"),
            Ok(StableId::Imdb("tt0133093".into()))
        );
        assert_eq!(
            parse_id_text(" tt133093 "),
            Ok(StableId::Imdb("tt0133093".into())),
            "padded as IMDb writes it"
        );
        assert_eq!(parse_id_text("2571"), Ok(StableId::Movielens(2571)));
        for bad in [
            "",
            "tt",
            "tt12x",
            "tt+5",
            "0",
            "-3",
            "matrix",
            "99999999999",
        ] {
            let e = parse_id_text(bad).unwrap_err();
            assert!(e.contains("not a movie id"), "{bad}: {e}");
        }
        assert_eq!(
            serde_json_like(&JsId::from(&StableId::Movielens(1))),
            "1".to_string()
        );
    }

    /// The id shapes JavaScript gets, written as JSON.
    fn serde_json_like(id: &JsId) -> String {
        match id {
            JsId::Movielens(m) => m.to_string(),
            JsId::Imdb(t) => format!("{t:?}"),
            JsId::Unmatched { title, .. } => format!("{{title:{title:?}}}"),
        }
    }

    #[test]
    fn ratings_answers_and_actions_are_checked() {
        assert_eq!(parse_scale(None), Ok(Scale::Stars));
        assert_eq!(parse_scale(Some("ten")), Ok(Scale::Ten));
        assert!(parse_scale(Some("percent")).is_err());
        assert!(check_rating(4.5, Scale::Stars).is_ok());
        for bad in [0.0, 4.3, 5.5, f32::NAN] {
            assert!(check_rating(bad, Scale::Stars).is_err(), "{bad}");
        }
        assert!(check_rating(7.0, Scale::Ten).is_ok());
        assert!(check_rating(7.5, Scale::Ten).is_err());
        assert_eq!(parse_answer("tie"), Ok(CompareAnswer::Tie));
        assert_eq!(parse_answer("unseen_b"), Ok(CompareAnswer::UnseenB));
        assert!(parse_answer("c").is_err());
        assert_eq!(parse_action("save"), Ok(Action::Save));
        assert!(parse_action("love").is_err());
        let mut p = Profile::default();
        let a = StableId::Movielens(1);
        assert!(compare(&mut p, a.clone(), a.clone(), "a", 1).is_err());
        compare(&mut p, a, StableId::Movielens(2), "b", 1).unwrap();
        assert_eq!(p.comparisons().len(), 1);
    }

    #[test]
    fn options_override_the_profiles_settings_field_by_field() {
        let m = model();
        let mut p = Profile::default();
        p.settings.filter.year_min = Some(1950);
        p.settings.caution = 2.0;
        let o = Options {
            popularity: Some(0.5),
            genres_any: Some(vec!["action".into(), "Drama".into()]),
            year_max: Some(2000),
            ..Options::default()
        };
        let s = settings_with(&m, &p.settings, &o).unwrap();
        assert_eq!((s.caution, s.popularity), (2.0, 0.5));
        assert_eq!(s.filter.year_min, Some(1950), "kept from the profile");
        assert_eq!(s.filter.year_max, Some(2000));
        assert_eq!(
            s.filter.genres_any,
            m.genre_mask("Action").unwrap() | m.genre_mask("Drama").unwrap()
        );
        let e = settings_with(
            &m,
            &p.settings,
            &Options {
                genres_none: Some(vec!["Sci Fi".into()]),
                ..Options::default()
            },
        )
        .unwrap_err();
        assert!(
            e.contains("unknown genre \"Sci Fi\"") && e.contains("Sci-Fi"),
            "{e}"
        );
        assert!(settings_with(
            &m,
            &p.settings,
            &Options {
                caution: Some(f32::NAN),
                ..Options::default()
            }
        )
        .is_err());
        // Round trip through the stored settings.
        set_settings(&m, &mut p, &o).unwrap();
        assert_eq!(
            settings_with(&m, &Settings::default(), &options_of(&m, &p.settings)).unwrap(),
            p.settings
        );
        assert!(set_settings(
            &m,
            &mut p,
            &Options {
                top: Some(5),
                ..Options::default()
            }
        )
        .is_err());
    }

    /// The list of fields is the struct's, and anything else is refused.
    #[test]
    fn option_fields_are_exactly_the_structs() {
        let all = Options {
            top: Some(1),
            seed: Some(1.0),
            exploration: Some(1.0),
            popularity: Some(1.0),
            caution: Some(1.0),
            diversity: Some(1.0),
            genres_all: Some(vec![]),
            genres_any: Some(vec![]),
            genres_none: Some(vec![]),
            year_min: Some(1),
            year_max: Some(1),
            imdb_min: Some(1.0),
            votes_min: Some(1),
            exclude_saved: Some(true),
        };
        let json = serde_json::to_value(&all).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut want = OPTION_FIELDS.to_vec();
        keys.sort_unstable();
        want.sort_unstable();
        assert_eq!(keys, want);
        assert!(check_option_keys(&OPTION_FIELDS).is_ok());
        let e = check_option_keys(&["top", "yearmin"]).unwrap_err();
        assert!(e.starts_with("unknown field `yearmin`"), "{e}");
        // serde's own check, for callers that deserialize from JSON.
        assert!(serde_json::from_str::<Options>(r#"{"yearmin":1}"#).is_err());
    }

    #[test]
    fn rank_options_defaults_seed_and_top() {
        let m = model();
        let mut p = Profile::default();
        p.rate(StableId::Movielens(1), 4.0, Scale::Stars, 1);
        let (r, _) = rank_options(&m, &p, &Options::default()).unwrap();
        assert_eq!((r.top, r.seed, r.genres), (DEFAULT_TOP, 1, 0));
        let (r, _) = rank_options(
            &m,
            &p,
            &Options {
                top: Some(u32::MAX),
                seed: Some(42.0),
                genres_all: Some(vec!["Comedy".into()]),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!((r.top, r.seed), (m.len(), 42));
        assert_eq!(r.genres, m.genre_mask("comedy").unwrap());
        for bad in [-1.0, 0.5, 1e300, f64::NAN] {
            let o = Options {
                seed: Some(bad),
                ..Options::default()
            };
            assert!(rank_options(&m, &p, &o).is_err(), "{bad}");
        }
    }

    #[test]
    fn recommendations_leave_out_rated_movies_and_obey_filters() {
        let m = model();
        let mut p = Profile::default();
        for (i, r) in [(0, 5.0), (1, 4.5), (2, 1.0)] {
            p.rate(m.stable_id(i), r, Scale::Stars, i as i64);
        }
        let list = recommend(&m, &p, &Options::default()).unwrap();
        assert_eq!(list.len(), DEFAULT_TOP);
        let rated: Vec<u32> = (0..3).map(|i| m.movie(i).movie_id).collect();
        for r in &list {
            assert!(!rated.contains(&r.movie.id));
            assert!(r.low <= r.mean && r.mean <= r.high, "{r:?}");
            assert!((0.5..=5.0).contains(&r.mean));
            assert!(r.reasons.len() <= REASONS);
        }
        let o = Options {
            year_min: Some(2000),
            genres_any: Some(vec!["Drama".into()]),
            top: Some(5),
            ..Options::default()
        };
        let list = recommend(&m, &p, &o).unwrap();
        assert!(!list.is_empty() && list.len() <= 5);
        for r in &list {
            assert!(r.movie.year.unwrap() >= 2000);
            assert!(r.movie.genres.iter().any(|g| g == "Drama"), "{r:?}");
        }
        assert!(recommend(
            &m,
            &p,
            &Options {
                top: Some(0),
                ..Options::default()
            }
        )
        .unwrap()
        .is_empty());
    }

    /// With exploration, exactly the movies the plain list leaves out say "exploring" first.
    #[test]
    fn exploring_movies_say_so_first() {
        let m = model();
        let mut p = Profile::default();
        for (i, r) in [(0, 5.0), (1, 4.5), (2, 1.0)] {
            p.rate(m.stable_id(i), r, Scale::Stars, i as i64);
        }
        let list = |exploration: f32| {
            let o = Options {
                exploration: Some(exploration),
                ..Options::default()
            };
            recommend(&m, &p, &o).unwrap()
        };
        let plain: Vec<u32> = list(0.0).iter().map(|r| r.movie.id).collect();
        let explored = list(3.0);
        let mut n = 0;
        for r in &explored {
            let exploring =
                r.reasons.first().map(String::as_str) == Some(moviematch::explain::EXPLORING);
            assert_eq!(exploring, !plain.contains(&r.movie.id), "{r:?}");
            assert!(r.reasons.len() <= REASONS);
            n += exploring as usize;
        }
        assert!(n > 0, "exploration 3 changed nothing");
    }

    #[test]
    fn search_and_movie_objects() {
        let m = model();
        let hits = search(&m, "some movie", 3);
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0].title, "Some Movie");
        assert!(search(&m, "some movie", usize::MAX).len() <= m.len());
        assert!(search(&m, "", 10).is_empty());
        let first = movie_out(&m, 0);
        assert_eq!(first.imdb.as_deref(), Some("tt1000000"));
        assert_eq!(first.genres.len(), m.movie(0).genres.count_ones() as usize);
    }

    #[test]
    fn share_links_round_trip_and_bad_ones_say_why() {
        let mut p = Profile::default();
        p.rate(StableId::Movielens(2571), 5.0, Scale::Stars, 1);
        p.rate(StableId::Imdb("tt0078748".into()), 9.0, Scale::Ten, 2);
        let link = share::encode_profile(&p);
        let mut back = shared_out(&decode_share(&link).unwrap());
        back.sort_by_key(|r| format!("{:?}", r.id));
        assert_eq!(
            back,
            vec![
                RatingOut {
                    id: JsId::Imdb("tt0078748".into()),
                    rating: 9.0,
                    scale: Scale::Ten
                },
                RatingOut {
                    id: JsId::Movielens(2571),
                    rating: 5.0,
                    scale: Scale::Stars
                },
            ]
        );
        let q = profile_from_share(&format!("https://example.org/#share={link}"), 7).unwrap();
        assert_eq!(q.ratings().len(), 2);
        // Change one character in the middle: the checksum catches it.
        let mut bytes = link.into_bytes();
        let mid = bytes.len() / 2;
        bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
        let e = decode_share(&String::from_utf8(bytes).unwrap()).unwrap_err();
        assert!(e.contains("checksum"), "{e}");
        assert!(decode_share("").is_err());
    }

    #[test]
    fn imports_an_imdb_export_merging_or_replacing() {
        let m = model();
        let csv = "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n\
tt1000000,9,2024-01-02,Some Movie,https://www.imdb.com/title/tt1000000/,Movie,8.7,136,2001,Drama,2000,2001-03-31,X\n\
tt1000001,3,2024-01-03,Some Movie,https://www.imdb.com/title/tt1000001/,Movie,6.0,100,2001,Drama,2000,2001-03-31,X\n\
tt9999999,7,2024-01-04,Not Here,https://www.imdb.com/title/tt9999999/,Movie,6.0,100,2001,Drama,2000,2001-03-31,X\n";
        let mut p = Profile::default();
        p.rate(m.stable_id(1), 5.0, Scale::Stars, 1);
        p.rate(m.stable_id(5), 5.0, Scale::Stars, 1);
        let out = import_csv(&m, &mut p, csv.as_bytes(), parse_mode(None).unwrap(), 2).unwrap();
        assert_eq!(
            (
                out.format,
                out.rows,
                out.matched,
                out.ambiguous,
                out.unmatched
            ),
            ("imdb", 3, 2, 0, 1)
        );
        assert_eq!((out.added, out.kept_yours, out.withdrawn), (2, 1, 0));
        assert_eq!(p.ratings().len(), 4);
        let out = import_csv(
            &m,
            &mut p,
            csv.as_bytes(),
            parse_mode(Some("replace")).unwrap(),
            3,
        )
        .unwrap();
        assert_eq!((out.added, out.withdrawn), (3, 4));
        assert_eq!(p.ratings().len(), 3);
        assert!(parse_mode(Some("append")).is_err());
        let e = import_csv(&m, &mut p, b"hello,world\n1,2\n", ImportMode::Merge, 4).unwrap_err();
        assert!(!e.is_empty());
        assert!(import_csv(&m, &mut p, b"", ImportMode::Merge, 4).is_err());
        assert_eq!(p.ratings().len(), 3, "a refused file changes nothing");
    }
}
