//! Matching a title and year from another site (Letterboxd has no IMDb ids) against the
//! catalogue, with the engine's one title normaliser ([`crate::title`]). A match is only taken
//! when it is the single best candidate; otherwise the candidates go back to the visitor to
//! choose (never guessed silently).
//!
//! Candidates are scored: the display title or an alternate title ("Amélie" / "Le Fabuleux
//! Destin d'Amélie Poulain") with the same normalised key, and the year equal (best) or off by
//! one (release dates differ between countries and sites).

use std::collections::HashMap;

use crate::model::Model;
use crate::title::match_key;

/// How a title was matched.
#[derive(Debug, Clone, PartialEq)]
pub enum TitleMatch {
    /// One best candidate; `confidence` in (0, 1]: 1 for the display title and the exact year.
    Unique {
        item: usize,
        confidence: f32,
    },
    /// Several equally good candidates, best known first: the visitor chooses.
    Ambiguous(Vec<usize>),
    NotFound,
}

/// Normalised title → catalogue indices having it as display or alternate title, under the
/// exact key and under a loose one (see [`loose_key`]).
pub struct TitleIndex {
    by_key: HashMap<String, Vec<(usize, bool)>>,
    by_loose_key: HashMap<String, Vec<(usize, bool)>>,
}

/// The key with a leading article and every space dropped, so that "The Intouchables" finds
/// "Intouchables" and "Oldboy" finds "Old Boy". Only consulted when the exact key finds nothing
/// within a year, and a match through it is less sure.
pub fn loose_key(key: &str) -> String {
    const ARTICLES: [&str; 13] = [
        "the ", "a ", "an ", "le ", "la ", "les ", "l ", "el ", "il ", "der ", "die ", "das ",
        "los ",
    ];
    let rest = ARTICLES
        .iter()
        .find_map(|a| key.strip_prefix(a))
        .filter(|r| !r.is_empty())
        .unwrap_or(key);
    rest.replace(' ', "")
}

/// How much less sure a match through the loose key is.
const LOOSE: f32 = 0.85;

impl TitleIndex {
    pub fn build(model: &Model) -> TitleIndex {
        let mut index = TitleIndex {
            by_key: HashMap::new(),
            by_loose_key: HashMap::new(),
        };
        for (i, m) in model.movies().iter().enumerate() {
            index.add(&m.title, i, true);
            for alt in &m.alternates {
                index.add(alt, i, false);
            }
        }
        index
    }

    fn add(&mut self, title: &str, i: usize, display: bool) {
        let key = match_key(title);
        let loose = loose_key(&key);
        for (map, k) in [(&mut self.by_key, key), (&mut self.by_loose_key, loose)] {
            let list = map.entry(k).or_default();
            if !list.iter().any(|&(j, _)| j == i) {
                list.push((i, display));
            }
        }
    }

    /// The catalogue entry for `title` (`year` if known).
    pub fn find(&self, model: &Model, title: &str, year: Option<u16>) -> TitleMatch {
        let key = match_key(title);
        match self.find_in(&self.by_key, &key, model, year, 1.0) {
            TitleMatch::NotFound => {
                self.find_in(&self.by_loose_key, &loose_key(&key), model, year, LOOSE)
            }
            found => found,
        }
    }

    fn find_in(
        &self,
        map: &HashMap<String, Vec<(usize, bool)>>,
        key: &str,
        model: &Model,
        year: Option<u16>,
        sureness: f32,
    ) -> TitleMatch {
        let Some(cands) = map.get(key) else {
            return TitleMatch::NotFound;
        };
        // Confidence per candidate; years more than one apart do not match at all.
        let scored: Vec<(f32, usize)> = cands
            .iter()
            .filter_map(|&(i, display)| {
                let year_score = match (year, model.movie(i).year) {
                    (Some(a), Some(b)) if a == b => 1.0,
                    (Some(a), Some(b)) if a.abs_diff(b) == 1 => 0.8,
                    (Some(_), Some(_)) => return None,
                    _ => 0.7,
                };
                Some((sureness * year_score * if display { 1.0 } else { 0.9 }, i))
            })
            .collect();
        let best = scored.iter().map(|s| s.0).fold(0.0f32, f32::max);
        let top: Vec<usize> = scored.iter().filter(|s| s.0 == best).map(|s| s.1).collect();
        match top.len() {
            0 => TitleMatch::NotFound,
            1 => TitleMatch::Unique {
                item: top[0],
                confidence: best,
            },
            _ => {
                // Most likely seen first, ties by catalogue order.
                let mut by_seen: Vec<(f64, usize)> = top
                    .iter()
                    .map(|&i| (model.seen_logits()[i] as f64, i))
                    .collect();
                moviematch_math::top::sort_best(&mut by_seen);
                TitleMatch::Ambiguous(by_seen.into_iter().map(|(_, i)| i).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{bundle, FixtureMovie};
    use crate::StableId;

    fn movie(id: u32, title: &'static str, year: u16) -> FixtureMovie {
        FixtureMovie::titled(id, title, year)
    }

    #[test]
    fn exact_near_alternate_ambiguous_and_missing() {
        let model = Model::from_bundle(bundle(
            &["Drama"],
            &[
                movie(1, "Matrix, The (1999)", 1999),
                movie(
                    2,
                    "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
                    2001,
                ),
                movie(3, "Hamlet (1990)", 1990),
                movie(4, "Hamlet (1996)", 1996),
                movie(5, "Solaris (1972)", 1972),
                movie(6, "Solaris (2002)", 2002),
                movie(7, "Twin Film (2005)", 2005),
                movie(8, "Twin Film (2005)", 2005),
            ],
        ));
        let idx = TitleIndex::build(&model);
        let find = |t: &str, y: Option<u16>| idx.find(&model, t, y);
        assert_eq!(
            find("The Matrix", Some(1999)),
            TitleMatch::Unique {
                item: 0,
                confidence: 1.0
            }
        );
        // A year off by one still matches, with less confidence.
        assert_eq!(
            find("the matrix", Some(2000)),
            TitleMatch::Unique {
                item: 0,
                confidence: 0.8
            }
        );
        // The alternate (original) title, accents and punctuation aside.
        assert!(matches!(
            find("Le Fabuleux Destin d'Amelie Poulain", Some(2001)),
            TitleMatch::Unique { item: 1, .. }
        ));
        // Two films of one name: the year decides; without a year the visitor chooses.
        assert_eq!(
            find("Hamlet", Some(1996)),
            TitleMatch::Unique {
                item: 3,
                confidence: 1.0
            }
        );
        assert_eq!(find("Solaris", None), TitleMatch::Ambiguous(vec![5, 4]));
        assert_eq!(
            find("Twin Film", Some(2005)),
            TitleMatch::Ambiguous(vec![7, 6])
        );
        assert_eq!(find("Hamlet", Some(2010)), TitleMatch::NotFound);
        // Loose keys: an article the catalogue leaves out, words run together; less sure.
        assert_eq!(
            find("The Twin Film", Some(2005)),
            TitleMatch::Ambiguous(vec![7, 6])
        );
        assert_eq!(
            find("Sola Ris", Some(2002)),
            TitleMatch::Unique {
                item: 5,
                confidence: 0.85
            }
        );
        assert_eq!(loose_key("the matrix"), "matrix");
        assert_eq!(loose_key("the"), "the");
        assert_eq!(loose_key("old boy"), "oldboy");

        // What a profile's unmatched entries resolve to: a title and year only when one movie
        // has them; an IMDb id kept in the source by that id alone.
        let unmatched = |title: &str, year: Option<u16>, source: &str| StableId::Unmatched {
            title: title.into(),
            year,
            source: source.into(),
        };
        assert_eq!(
            model.resolve(&unmatched("Hamlet", Some(1996), "letterboxd")),
            Some(3)
        );
        assert_eq!(
            model.resolve(&unmatched("Twin Film", Some(2005), "letterboxd")),
            None
        );
        assert_eq!(
            model.resolve(&unmatched("The Matrix", Some(1999), "imdb:tt9999999")),
            None
        );
        assert_eq!(
            model.resolve(&unmatched("Another Name", None, "imdb:tt0001001")),
            Some(0)
        );
        assert_eq!(find("No Such Film", Some(1999)), TitleMatch::NotFound);
    }
}
