//! Search-as-you-type over display and alternate titles, through the title normaliser.
//! A linear scan over precomputed keys: 62k titles take a few milliseconds, with no index
//! to keep in sync.

use crate::movie::Movie;
use crate::title::{match_key, title_keys};

/// Precomputed match keys per movie.
#[derive(Debug, Default)]
pub struct SearchIndex {
    keys: Vec<Vec<String>>,
    /// How well known each film is (IMDb votes, or 200 per MovieLens rating if more): breaks
    /// ties, the better-known film first.
    renown: Vec<u32>,
}

impl SearchIndex {
    pub fn build(movies: &[Movie]) -> SearchIndex {
        let keys = movies
            .iter()
            .map(|m| title_keys(&m.title, &m.alternates))
            .collect();
        let renown = movies
            .iter()
            .map(|m| m.imdb_votes.max(m.ml_count.saturating_mul(200)))
            .collect();
        SearchIndex { keys, renown }
    }

    /// Ranks movies by how well their titles match `query`: exact, prefix, all words as word
    /// prefixes, substring. A four-digit word in the query that is a year filters by year
    /// ("heat 1995").
    pub fn search(&self, movies: &[Movie], query: &str, limit: usize) -> Vec<usize> {
        let q = match_key(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut words: Vec<&str> = q.split(' ').collect();
        let mut year = None;
        if words.len() > 1 {
            if let Some(last) = words
                .last()
                .and_then(|w| w.parse::<u16>().ok())
                .filter(|y| (1870..=2100).contains(y))
            {
                year = Some(last);
                words.pop();
            }
        }
        let text = words.join(" ");
        // (match quality, then renown, as one exact number; film): best first, ties by index.
        let mut hits: Vec<(f64, usize)> = Vec::new();
        for (i, keys) in self.keys.iter().enumerate() {
            if year.is_some() && movies[i].year != year {
                continue;
            }
            let best = keys
                .iter()
                .map(|k| score(k, &text, &words))
                .max()
                .unwrap_or(0);
            if best > 0 {
                hits.push((best as f64 * 4_294_967_296.0 + self.renown[i] as f64, i));
            }
        }
        moviematch_math::top::keep_best(&mut hits, limit);
        hits.into_iter().map(|(_, i)| i).collect()
    }
}

fn score(key: &str, text: &str, words: &[&str]) -> u8 {
    if key == text {
        4
    } else if key.starts_with(text) && key[text.len()..].starts_with(' ') {
        3
    } else if words
        .iter()
        .all(|w| key.split(' ').any(|kw| kw.starts_with(w)))
    {
        2
    } else if key.contains(text) {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use crate::bundle::tests::tiny_bundle;
    use crate::model::Model;

    fn titles(m: &Model, q: &str) -> Vec<String> {
        m.search(q, 10)
            .into_iter()
            .map(|i| m.movie(i).title.clone())
            .collect()
    }

    #[test]
    fn finds_by_any_form_of_the_title() {
        let m = Model::from_bundle(tiny_bundle());
        for q in ["the matrix", "matrix", "MATRIX", "matr", "Matrix 1999"] {
            assert_eq!(
                titles(&m, q).first().map(String::as_str),
                Some("The Matrix"),
                "query {q:?}"
            );
        }
        for q in ["amelie", "Amélie", "fabuleux destin", "destin amelie"] {
            assert_eq!(
                titles(&m, q).first().map(String::as_str),
                Some("Amelie"),
                "query {q:?}"
            );
        }
        assert!(titles(&m, "matrix 2005").is_empty());
        assert!(titles(&m, "   ").is_empty());
        assert!(titles(&m, "zzzz").is_empty());
    }

    #[test]
    fn duplicate_titles_both_found_most_known_first() {
        let m = Model::from_bundle(tiny_bundle());
        let hits = m.search("emma", 10);
        assert_eq!(hits, vec![3, 4]);
    }
}
