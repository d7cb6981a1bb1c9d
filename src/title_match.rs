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

/// Normalised title → catalogue indices having it as display or alternate title.
pub struct TitleIndex {
    by_key: HashMap<String, Vec<(usize, bool)>>,
}

impl TitleIndex {
    pub fn build(model: &Model) -> TitleIndex {
        let mut by_key: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        for (i, m) in model.movies().iter().enumerate() {
            by_key
                .entry(match_key(&m.title))
                .or_default()
                .push((i, true));
            for alt in &m.alternates {
                let key = match_key(alt);
                let list = by_key.entry(key).or_default();
                if !list.iter().any(|&(j, _)| j == i) {
                    list.push((i, false));
                }
            }
        }
        TitleIndex { by_key }
    }

    /// The catalogue entry for `title` (`year` if known).
    pub fn find(&self, model: &Model, title: &str, year: Option<u16>) -> TitleMatch {
        let Some(cands) = self.by_key.get(&match_key(title)) else {
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
                Some((year_score * if display { 1.0 } else { 0.9 }, i))
            })
            .collect();
        let best = scored.iter().map(|s| s.0).fold(0.0f32, f32::max);
        let mut top: Vec<usize> = scored.iter().filter(|s| s.0 == best).map(|s| s.1).collect();
        match top.len() {
            0 => TitleMatch::NotFound,
            1 => TitleMatch::Unique {
                item: top[0],
                confidence: best,
            },
            _ => {
                top.sort_by(|&a, &b| model.popularity()[b].total_cmp(&model.popularity()[a]));
                TitleMatch::Ambiguous(top)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{bundle, FixtureMovie};

    fn movie(id: u32, title: &'static str, year: u16) -> FixtureMovie {
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
        assert_eq!(find("No Such Film", Some(1999)), TitleMatch::NotFound);
    }
}
