//! The visitor's profile: versioned JSON holding an append-only event log keyed by stable
//! ids. The browser keeps it in localStorage, the CLI reads and writes the same format.
//! **API boundary**: the JSON shape is a stored format; change it only with a new version and
//! a migration.
//!
//! ```json
//! {"version":2,"events":[
//!   {"type":"rating","item":{"movielens":2571},"value":4.5,"scale":"stars","at":1732280000000},
//!   {"type":"rating","item":{"imdb":"tt0133093"},"value":9,"scale":"ten","at":1732280000001},
//!   {"type":"unrate","item":{"movielens":2571},"at":1732280000002},
//!   {"type":"compare","a":{"movielens":1},"b":{"movielens":2},"answer":"a","at":1732280000003},
//!   {"type":"feedback","item":{"movielens":3},"action":"like","at":1732280000004}]}
//! ```
//!
//! Version 2 added `compare` and `feedback` events. A version-1 profile is a valid version-2
//! profile (its events are a subset), so reading migrates it and the next write says 2; a
//! build that only knows version 1 refuses a version-2 profile without touching it.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

mod answers;
mod merge;
mod read;
mod settings;

pub use crate::ids::StableId;
pub use crate::scale::Scale;
pub use answers::{Answer, AnswerEntry};
pub use merge::MergeSummary;
pub use settings::{
    Filter, Settings, DEFAULT_CAUTION, DEFAULT_DIVERSITY, DEFAULT_DRIFT, DEFAULT_EXPLORATION,
    DEFAULT_GENRE_DISTANCE, DEFAULT_POPULARITY,
};

/// Profile format version written by this build. 3 added the withdrawals of an "A or B?"
/// answer ([`Event::Uncompare`]) and of "haven't seen it" ([`Action::UndoUnseen`]), and the
/// skip ([`CompareAnswer::Skip`]); versions 1 and 2 are read as they are (each a subset).
pub const PROFILE_VERSION: u32 = 3;

/// One thing the visitor did. `at` is milliseconds since the unix epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", try_from = "read::RawEvent")]
pub enum Event {
    Rating {
        item: StableId,
        value: f32,
        scale: Scale,
        at: i64,
    },
    /// Withdraws the item's rating.
    Unrate { item: StableId, at: i64 },
    /// An answer to "which do you prefer, A or B?".
    Compare {
        a: StableId,
        b: StableId,
        answer: CompareAnswer,
        at: i64,
    },
    /// Withdraws every earlier answer to the pair (in either order). New in version 3.
    Uncompare { a: StableId, b: StableId, at: i64 },
    /// A reaction to a recommended movie.
    Feedback {
        item: StableId,
        action: Action,
        at: i64,
    },
}

impl Event {
    /// When it happened (ms since the epoch).
    pub fn at(&self) -> i64 {
        match self {
            Event::Rating { at, .. }
            | Event::Unrate { at, .. }
            | Event::Compare { at, .. }
            | Event::Uncompare { at, .. }
            | Event::Feedback { at, .. } => *at,
        }
    }
}

/// The answers a comparison question offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareAnswer {
    A,
    B,
    /// "Equally good".
    Tie,
    /// "Haven't seen A": says nothing about taste, only about what the visitor knows.
    UnseenA,
    UnseenB,
    /// Passed on: nothing about taste, but the pair is not asked again. New in version 3.
    Skip,
}

/// What a visitor can do with a recommended movie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Like,
    Dislike,
    /// Withdraws a like or dislike.
    Unlike,
    /// "Not interested": hidden from the lists.
    Hide,
    Unhide,
    /// On the watchlist.
    Save,
    Unsave,
    /// "Haven't seen it" (to a rate-this-movie question).
    Unseen,
    /// Withdraws "haven't seen it". New in version 3.
    UndoUnseen,
}

/// A comparison in the log (answers about taste only; "haven't seen" is in [`Profile::unseen`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CompareEvent {
    pub a: StableId,
    pub b: StableId,
    pub answer: CompareAnswer,
    pub at: i64,
}

/// A rating currently in force (the latest rating event of its item, not withdrawn).
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentRating {
    pub item: StableId,
    pub value: f32,
    pub scale: Scale,
    pub at: i64,
}

/// Why a stored profile could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProfileError {
    #[error("the profile is not valid JSON: {0}")]
    Syntax(String),
    #[error("the profile was written by a newer version of this site (format {found}, this one reads up to {supported})")]
    FutureVersion { found: u32, supported: u32 },
    #[error("the profile does not have the expected shape: {0}")]
    Shape(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub version: u32,
    pub events: Vec<Event>,
    /// The visitor's list settings and filters (absent in older profiles: the defaults).
    #[serde(default)]
    pub settings: Settings,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            version: PROFILE_VERSION,
            events: Vec::new(),
            settings: Settings::default(),
        }
    }
}

impl Profile {
    /// Reads a stored profile. A future version is refused (never half-read), so the caller
    /// can keep the stored text untouched.
    pub fn from_json(text: &str) -> Result<Profile, ProfileError> {
        // The version first (every other field ignored), so that a future version is refused
        // as such rather than as a shape error; then the profile itself, from the same text.
        // (Reading through `serde_json::Value` once instead cost the page's wasm ~4 KB.)
        #[derive(Deserialize)]
        struct Versioned {
            version: Option<u64>,
        }
        let no_version = || ProfileError::Shape("no numeric `version` field".into());
        if !text.trim_start().starts_with('{') {
            // Not an object (serde would read a struct from an array too): valid JSON of
            // another shape, or not JSON at all.
            return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                Ok(_) => no_version(),
                Err(e) => ProfileError::Syntax(e.to_string()),
            });
        }
        let version = match serde_json::from_str::<Versioned>(text) {
            Ok(v) => v.version.ok_or_else(no_version)?,
            Err(e) if e.is_syntax() || e.is_eof() => {
                return Err(ProfileError::Syntax(e.to_string()))
            }
            Err(_) => return Err(no_version()),
        };
        if version > PROFILE_VERSION as u64 {
            let found = u32::try_from(version).unwrap_or(u32::MAX);
            return Err(ProfileError::FutureVersion {
                found,
                supported: PROFILE_VERSION,
            });
        }
        let mut p: Profile =
            serde_json::from_str(text).map_err(|e| ProfileError::Shape(e.to_string()))?;
        // Older versions are subsets of this one: migrating is relabelling.
        p.version = PROFILE_VERSION;
        Ok(p)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("profile serialises")
    }

    /// Records a rating; the latest rating of an item wins.
    pub fn rate(&mut self, item: StableId, value: f32, scale: Scale, at: i64) {
        self.events.push(Event::Rating {
            item,
            value,
            scale,
            at,
        });
    }

    /// Withdraws an item's rating (the earlier events stay in the log).
    pub fn unrate(&mut self, item: StableId, at: i64) {
        self.events.push(Event::Unrate { item, at });
    }

    /// Ratings in force, most recent first. Ratings outside their scale are ignored here
    /// (but kept in the log).
    pub fn ratings(&self) -> Vec<CurrentRating> {
        let mut current: HashMap<&StableId, (usize, Option<CurrentRating>)> = HashMap::new();
        for (seq, e) in self.events.iter().enumerate() {
            match e {
                Event::Rating {
                    item,
                    value,
                    scale,
                    at,
                } if scale.range().accepts(*value) => {
                    let r = CurrentRating {
                        item: item.clone(),
                        value: *value,
                        scale: *scale,
                        at: *at,
                    };
                    current.insert(item, (seq, Some(r)));
                }
                Event::Rating { .. } => {}
                Event::Unrate { item, .. } => {
                    current.insert(item, (seq, None));
                }
                Event::Compare { .. } | Event::Uncompare { .. } | Event::Feedback { .. } => {}
            }
        }
        let (seqs, out): (Vec<usize>, Vec<CurrentRating>) = current
            .into_values()
            .filter_map(|(seq, r)| r.map(|r| (seq, r)))
            .unzip();
        // Most recent first (sequence numbers are distinct and far below 2⁵³).
        moviematch_math::top::in_best_order(out, seqs.into_iter().map(|s| s as f64))
    }

    /// Records an answer to a comparison question.
    pub fn compare(&mut self, a: StableId, b: StableId, answer: CompareAnswer, at: i64) {
        self.events.push(Event::Compare { a, b, answer, at });
    }

    /// Records a reaction to a movie.
    pub fn feedback(&mut self, item: StableId, action: Action, at: i64) {
        self.events.push(Event::Feedback { item, action, at });
    }

    /// Every comparison answered with a preference or a tie and not withdrawn since, in the
    /// order given.
    pub fn comparisons(&self) -> Vec<CompareEvent> {
        self.compare_events()
            .into_iter()
            .filter(|(_, _, answer, _)| {
                matches!(
                    answer,
                    CompareAnswer::A | CompareAnswer::B | CompareAnswer::Tie
                )
            })
            .map(|(a, b, answer, at)| CompareEvent {
                a: a.clone(),
                b: b.clone(),
                answer,
                at,
            })
            .collect()
    }

    /// Likes (true) and dislikes (false) in force: the latest of like, dislike or unlike per
    /// item decides.
    pub fn likes(&self) -> Vec<(StableId, bool)> {
        self.latest(|a| match a {
            Action::Like => Some(Some(true)),
            Action::Dislike => Some(Some(false)),
            Action::Unlike => Some(None),
            _ => None,
        })
    }

    /// When each like or dislike in force ([`Profile::likes`]) was given.
    pub fn like_times(&self) -> HashMap<StableId, i64> {
        let mut at_of = HashMap::new();
        for e in &self.events {
            if let Event::Feedback {
                item,
                action: Action::Like | Action::Dislike,
                at,
            } = e
            {
                at_of.insert(item.clone(), *at);
            }
        }
        at_of
    }

    /// The newest event's time: what taste drift measures every answer's age from
    /// (`crate::drift`), so that the same profile always weighs its answers alike.
    pub fn newest_event(&self) -> Option<i64> {
        self.events.iter().map(Event::at).max()
    }

    /// Movies hidden and not un-hidden.
    pub fn hidden(&self) -> Vec<StableId> {
        self.flags(Action::Hide, Action::Unhide)
    }

    /// The watchlist.
    pub fn saved(&self) -> Vec<StableId> {
        self.flags(Action::Save, Action::Unsave)
    }

    /// Movies the visitor said they have not seen (from either kind of question), answers
    /// withdrawn since left out.
    pub fn unseen(&self) -> Vec<StableId> {
        let mut out: Vec<StableId> = Vec::new();
        for (a, b, answer, _) in self.compare_events() {
            let id = match answer {
                CompareAnswer::UnseenA => a,
                CompareAnswer::UnseenB => b,
                _ => continue,
            };
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        for id in self.flags(Action::Unseen, Action::UndoUnseen) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// For each item, the value of its latest feedback event that `pick` maps to `Some`;
    /// items whose latest value is `None` are left out. In log order of that last event.
    fn latest<T: Clone>(&self, pick: impl Fn(Action) -> Option<Option<T>>) -> Vec<(StableId, T)> {
        let mut last: HashMap<&StableId, (usize, Option<T>)> = HashMap::new();
        for (seq, e) in self.events.iter().enumerate() {
            if let Event::Feedback { item, action, .. } = e {
                if let Some(v) = pick(*action) {
                    last.insert(item, (seq, v));
                }
            }
        }
        let (seqs, out): (Vec<usize>, Vec<(StableId, T)>) = last
            .into_iter()
            .filter_map(|(id, (seq, v))| v.map(|v| (seq, (id.clone(), v))))
            .unzip();
        // In log order: the lowest sequence number first.
        moviematch_math::top::in_best_order(out, seqs.into_iter().map(|s| -(s as f64)))
    }

    pub(super) fn flags(&self, on: Action, off: Action) -> Vec<StableId> {
        self.latest(|a| {
            if a == on {
                Some(Some(()))
            } else if a == off {
                Some(None)
            } else {
                None
            }
        })
        .into_iter()
        .map(|(id, ())| id)
        .collect()
    }

    /// The rating in force for one item, if any.
    pub fn rating_of(&self, item: &StableId) -> Option<CurrentRating> {
        self.ratings().into_iter().find(|r| &r.item == item)
    }

    /// How many answers of each kind the profile holds, for "this file has …" previews.
    pub fn answer_counts(&self) -> AnswerCounts {
        let feedback_unseen: HashSet<&StableId> = self
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Feedback {
                    item,
                    action: Action::Unseen,
                    ..
                } => Some(item),
                _ => None,
            })
            .collect();
        AnswerCounts {
            ratings: self.ratings().len(),
            comparisons: self
                .events
                .iter()
                .filter(|e| matches!(e, Event::Compare { .. }))
                .count(),
            other: self.likes().len()
                + self.hidden().len()
                + self.saved().len()
                + feedback_unseen.len(),
        }
    }
}

/// A profile's answers by kind ([`Profile::answer_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AnswerCounts {
    /// Ratings in force.
    pub ratings: usize,
    /// Every "A or B?" answer, "haven't seen" ones included.
    pub comparisons: usize,
    /// Likes and dislikes, hidden movies and the watchlist in force, and "haven't seen it".
    pub other: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::NoCatalogue;
    use crate::model::Model;

    #[test]
    fn latest_rating_wins_and_unrate_removes() {
        let mut p = Profile::default();
        let a = StableId::Movielens(1);
        let b = StableId::Imdb("tt0133093".into());
        p.rate(a.clone(), 3.0, Scale::Stars, 1);
        p.rate(b.clone(), 9.0, Scale::Ten, 2);
        p.rate(a.clone(), 4.5, Scale::Stars, 3);
        let r = p.ratings();
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].item.clone(), r[0].value), (a.clone(), 4.5));
        p.unrate(a.clone(), 4);
        assert_eq!(p.ratings().len(), 1);
        assert_eq!(p.rating_of(&b).unwrap().value, 9.0);
        // Invalid values stay in the log but are not used.
        p.rate(b.clone(), 11.0, Scale::Ten, 5);
        assert_eq!(p.rating_of(&b).unwrap().value, 9.0);
    }

    #[test]
    fn json_round_trip_and_shape() {
        let mut p = Profile::default();
        p.rate(StableId::Movielens(2571), 4.5, Scale::Stars, 10);
        p.rate(
            StableId::Unmatched {
                title: "Some Show".into(),
                year: None,
                source: "imdb".into(),
            },
            8.0,
            Scale::Ten,
            11,
        );
        let json = p.to_json();
        assert!(
            json.contains(
                r#"{"type":"rating","item":{"movielens":2571},"value":4.5,"scale":"stars","at":10}"#
            ),
            "{json}"
        );
        assert_eq!(Profile::from_json(&json).unwrap(), p);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        assert!(matches!(
            Profile::from_json(""),
            Err(ProfileError::Syntax(_))
        ));
        assert!(matches!(
            Profile::from_json("{\"version\":1,"),
            Err(ProfileError::Syntax(_))
        ));
        let e = Profile::from_json("[1,2]");
        assert!(matches!(e, Err(ProfileError::Shape(_))), "{e:?}");
        assert_eq!(
            Profile::from_json(r#"{"version":7,"events":"whatever the future holds"}"#),
            Err(ProfileError::FutureVersion {
                found: 7,
                supported: 3
            })
        );
        assert!(matches!(
            Profile::from_json(r#"{"version":1,"events":[{"type":"rating"}]}"#),
            Err(ProfileError::Shape(_))
        ));
    }

    #[test]
    fn version_1_and_2_profiles_are_read_and_written_back_as_version_3() {
        let v1 = r#"{"version":1,"events":[{"type":"rating","item":{"movielens":1},"value":4.0,"scale":"stars","at":5}]}"#;
        let p = Profile::from_json(v1).unwrap();
        assert_eq!(p.ratings().len(), 1);
        assert!(p.to_json().starts_with(r#"{"version":3,"#));
        let v2 = v1.replace(r#""version":1"#, r#""version":2"#);
        assert_eq!(Profile::from_json(&v2).unwrap(), p);
        assert_eq!(p.settings, Settings::default());
    }

    /// Settings round-trip; tampered values are clamped when used, not trusted.
    #[test]
    fn settings_round_trip_and_are_clamped() {
        let mut p = Profile::default();
        p.settings.popularity = 1.5;
        p.settings.filter.year_min = Some(1990);
        p.settings.exclude_saved = true;
        let back = Profile::from_json(&p.to_json()).unwrap();
        assert_eq!(back.settings, p.settings);
        let tampered = r#"{"version":2,"events":[],"settings":{"exploration":1e30,"caution":-5,"diversity":7}}"#;
        let t = Profile::from_json(tampered).unwrap();
        let r = t.settings.clamped();
        assert_eq!((r.exploration, r.caution, r.diversity), (3.0, 0.0, 3.0));
        assert_eq!(r.popularity, DEFAULT_POPULARITY);
        assert!(Profile::from_json(
            r#"{"version":2,"events":[],"settings":{"filter":{"year_min":-3}}}"#
        )
        .is_err());
    }

    #[test]
    fn comparisons_and_feedback_round_trip_and_resolve_to_what_is_in_force() {
        let (a, b, c) = (
            StableId::Movielens(1),
            StableId::Movielens(2),
            StableId::Imdb("tt0000003".into()),
        );
        let mut p = Profile::default();
        p.compare(a.clone(), b.clone(), CompareAnswer::A, 1);
        p.compare(a.clone(), c.clone(), CompareAnswer::UnseenB, 2);
        p.compare(b.clone(), c.clone(), CompareAnswer::Tie, 3);
        p.feedback(a.clone(), Action::Like, 4);
        p.feedback(b.clone(), Action::Dislike, 5);
        p.feedback(a.clone(), Action::Unlike, 6);
        p.feedback(c.clone(), Action::Save, 7);
        p.feedback(b.clone(), Action::Hide, 8);
        p.feedback(c.clone(), Action::Unsave, 9);
        p.feedback(b.clone(), Action::Unseen, 10);
        let json = p.to_json();
        assert!(
            json.contains(
                r#"{"type":"compare","a":{"movielens":1},"b":{"movielens":2},"answer":"a","at":1}"#
            ),
            "{json}"
        );
        assert!(json.contains(r#""answer":"unseen_b""#), "{json}");
        assert!(
            json.contains(
                r#"{"type":"feedback","item":{"movielens":2},"action":"dislike","at":5}"#
            ),
            "{json}"
        );
        let back = Profile::from_json(&json).unwrap();
        assert_eq!(back, p);
        let comps = back.comparisons();
        assert_eq!(comps.len(), 2, "the unseen answer is not a preference");
        assert_eq!(comps[1].answer, CompareAnswer::Tie);
        assert_eq!(back.likes(), vec![(b.clone(), false)]);
        assert_eq!(back.hidden(), vec![b.clone()]);
        assert!(back.saved().is_empty());
        assert_eq!(back.unseen(), vec![c, b]);
        assert!(back.ratings().is_empty());
    }

    fn model() -> Model {
        Model::from_bundle(crate::fixture::random_bundle(3, 12, 2, 6))
    }

    /// Movie `i` of the fixture under its MovieLens id and under its IMDb id.
    fn ml(i: u32) -> StableId {
        StableId::Movielens(i + 1)
    }
    fn imdb(i: u32) -> StableId {
        StableId::Imdb(crate::ids::format_tconst(1_000_000 + i))
    }

    #[test]
    fn merge_adds_what_is_new_and_keeps_mine_wherever_both_answer() {
        let m = model();
        assert_eq!(m.resolve(&imdb(4)), m.resolve(&ml(4)), "fixture ids agree");
        let mut mine = Profile::default();
        mine.rate(ml(0), 2.0, Scale::Stars, 1);
        mine.rate(ml(1), 3.0, Scale::Stars, 2);
        mine.compare(ml(0), ml(1), CompareAnswer::A, 3);
        mine.feedback(ml(2), Action::Like, 4);
        mine.feedback(ml(3), Action::Hide, 5);
        mine.rate(ml(12), 4.0, Scale::Stars, 6);
        mine.unrate(ml(12), 7); // removed on purpose: a merge must not bring it back
        mine.settings.caution = 2.0;

        let mut theirs = Profile::default();
        theirs.rate(imdb(0), 9.0, Scale::Ten, 10); // the same film as my ml(0), by IMDb id
        theirs.rate(ml(4), 4.5, Scale::Stars, 11);
        theirs.rate(ml(5), 1.0, Scale::Stars, 12);
        theirs.unrate(ml(5), 13);
        theirs.rate(imdb(6), 7.0, Scale::Ten, 14);
        theirs.compare(imdb(0), ml(1), CompareAnswer::A, 15); // answered already
        theirs.compare(ml(0), ml(1), CompareAnswer::B, 15); // contradicts mine: mine wins
        theirs.compare(ml(1), imdb(0), CompareAnswer::B, 15); // the same pair the other way round
        theirs.rate(ml(12), 5.0, Scale::Stars, 15);
        theirs.compare(ml(4), ml(6), CompareAnswer::B, 16);
        theirs.compare(ml(7), ml(8), CompareAnswer::UnseenA, 17);
        theirs.feedback(ml(2), Action::Dislike, 18); // mine says like: mine wins
        theirs.feedback(ml(9), Action::Like, 19);
        theirs.feedback(ml(10), Action::Save, 20);
        theirs.feedback(ml(10), Action::Unsave, 21); // not in force: nothing to add
        theirs.feedback(imdb(3), Action::Hide, 22); // already hidden here
        theirs.feedback(ml(11), Action::Unseen, 23);
        theirs.settings.caution = 0.0;

        let before = mine.clone();
        let done = mine.merge_from(&theirs, &m, 99);
        assert_eq!(
            done,
            MergeSummary {
                ratings: 2,
                kept_yours: 2,
                comparisons: 2,
                other: 2
            }
        );
        assert!(
            mine.rating_of(&ml(12)).is_none(),
            "a removed rating stays removed"
        );
        assert_eq!(
            mine.comparisons()
                .iter()
                .filter(|c| m.resolve(&c.a) == Some(0) || m.resolve(&c.b) == Some(0))
                .count(),
            1,
            "only my own answer about movies 0 and 1"
        );
        assert_eq!(&mine.events[..before.events.len()], &before.events[..]);
        // Ratings keep the time they were given there (taste drift measures their age); every
        // other added event is stamped with the merge's time.
        assert!(mine.events[before.events.len()..].iter().all(|e| matches!(
            e,
            Event::Rating { at: 11 | 14, .. }
                | Event::Compare { at: 99, .. }
                | Event::Feedback { at: 99, .. }
        )));
        assert_eq!(mine.rating_of(&ml(0)).unwrap().value, 2.0, "mine wins");
        assert!(mine.rating_of(&imdb(0)).is_none());
        assert_eq!(mine.rating_of(&ml(4)).unwrap().value, 4.5);
        assert!(
            mine.rating_of(&ml(5)).is_none(),
            "withdrawn there: not added"
        );
        assert_eq!(mine.rating_of(&imdb(6)).unwrap().scale, Scale::Ten);
        assert_eq!(mine.likes(), vec![(ml(2), true), (ml(9), true)]);
        assert_eq!(mine.hidden(), vec![ml(3)]);
        assert!(mine.saved().is_empty());
        assert_eq!(mine.unseen(), vec![ml(7), ml(11)]);
        assert_eq!(mine.settings.caution, 2.0, "my settings stay");

        // Merging the same profile again adds nothing.
        let again = mine.merge_from(&theirs, &m, 100);
        assert_eq!((again.ratings, again.comparisons, again.other), (0, 0, 0));
        assert_eq!(again.kept_yours, theirs.ratings().len());
    }

    #[test]
    fn merge_without_a_model_compares_ids_and_counts_answers() {
        let mut mine = Profile::default();
        mine.rate(ml(0), 2.0, Scale::Stars, 1);
        let mut theirs = Profile::default();
        theirs.rate(imdb(0), 9.0, Scale::Ten, 2);
        theirs.rate(ml(0), 5.0, Scale::Stars, 3);
        theirs.compare(ml(0), ml(1), CompareAnswer::UnseenB, 4);
        theirs.feedback(ml(1), Action::Save, 5);
        theirs.feedback(ml(2), Action::Unseen, 6);
        theirs.feedback(ml(2), Action::Unseen, 7);
        assert_eq!(
            theirs.answer_counts(),
            AnswerCounts {
                ratings: 2,
                comparisons: 1,
                other: 2
            }
        );
        let add = mine.ratings_to_merge(&theirs, &NoCatalogue);
        assert_eq!(add.len(), 1, "unknown to each other without the model");
        assert_eq!(add[0].item, imdb(0));
        let done = mine.merge_from(&theirs, &NoCatalogue, 9);
        assert_eq!((done.ratings, done.kept_yours), (1, 1));
        assert_eq!(mine.ratings().len(), 2);
    }
}
