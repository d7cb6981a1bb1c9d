//! MovieTweetings (`ratings.dat`: `user::imdbId::rating::unix_seconds`, ratings 0–10 tweeted from
//! IMDb's apps): a second source of *who watched what*, from IMDb users, for the implicit model.
//! Its films are found in the catalogue by IMDb id; the users join the MovieLens ones as new rows
//! ([`Ratings::with_extra_users`]).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::data::movielens::Ratings;

/// Added to a MovieTweetings user id so it never equals a MovieLens userId.
pub const USER_ID_OFFSET: u32 = 1 << 31;

/// One MovieTweetings rating whose film is in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtraRating {
    /// The source's user id plus [`USER_ID_OFFSET`].
    pub user_id: u32,
    pub movie_id: u32,
    /// On the 0–10 scale as tweeted.
    pub value: f32,
    pub time: u32,
}

/// What reading kept and dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExtraStats {
    pub rows: usize,
    /// Rows whose film is not in the catalogue.
    pub not_in_catalogue: usize,
    /// Rows of users with fewer than `min_films` catalogue films.
    pub sparse_users: usize,
    pub kept: usize,
    pub users: usize,
}

/// Reads `DIR/ratings.dat`, keeping the rows whose IMDb id is in `movie_of_imdb` and whose user
/// has at least `min_films` such rows (a user with one film says nothing about what goes with
/// what).
pub fn read_movietweetings(
    dir: &Path,
    movie_of_imdb: &HashMap<u32, u32>,
    min_films: usize,
) -> Result<(Vec<ExtraRating>, ExtraStats)> {
    let path = dir.join("ratings.dat");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    parse_movietweetings(&text, movie_of_imdb, min_films)
        .with_context(|| format!("reading {}", path.display()))
}

/// [`read_movietweetings`] on the file's text.
pub fn parse_movietweetings(
    text: &str,
    movie_of_imdb: &HashMap<u32, u32>,
    min_films: usize,
) -> Result<(Vec<ExtraRating>, ExtraStats)> {
    let mut stats = ExtraStats::default();
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        stats.rows += 1;
        let f: Vec<&str> = line.split("::").collect();
        let parsed = (f.len() == 4)
            .then(|| {
                Some((
                    f[0].trim().parse::<u32>().ok()?,
                    f[1].trim().parse::<u32>().ok()?,
                    f[2].trim().parse::<f32>().ok()?,
                    f[3].trim().parse::<u64>().ok()?,
                ))
            })
            .flatten();
        let Some((user, imdb, value, time)) = parsed else {
            bail!(
                "line {}: expected user::imdbId::rating::unix_seconds",
                n + 1
            );
        };
        if !(0.0..=10.0).contains(&value) || user >= USER_ID_OFFSET {
            bail!("line {}: rating or user id out of range", n + 1);
        }
        let Some(&movie_id) = movie_of_imdb.get(&imdb) else {
            stats.not_in_catalogue += 1;
            continue;
        };
        rows.push(ExtraRating {
            user_id: user + USER_ID_OFFSET,
            movie_id,
            value,
            time: time.min(u32::MAX as u64) as u32,
        });
    }
    let mut films: HashMap<u32, usize> = HashMap::new();
    for r in &rows {
        *films.entry(r.user_id).or_default() += 1;
    }
    let before = rows.len();
    rows.retain(|r| films[&r.user_id] >= min_films);
    stats.sparse_users = before - rows.len();
    stats.kept = rows.len();
    stats.users = films.values().filter(|&&n| n >= min_films).count();
    Ok((rows, stats))
}

impl Ratings {
    /// These ratings followed by `extra` as new users (in order of first appearance); films keep
    /// their dense index, new films are appended, so indices into `self` stay valid. Values are
    /// taken as given (the implicit model uses only who watched what).
    pub fn with_extra_users(&self, extra: &[ExtraRating]) -> Ratings {
        let mut r = self.clone();
        let mut items: HashMap<u32, u32> = r
            .item_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i as u32))
            .collect();
        let mut users: HashMap<u32, u32> = HashMap::new();
        for e in extra {
            let next_u = r.user_ids.len() as u32;
            let u = *users.entry(e.user_id).or_insert_with(|| {
                r.user_ids.push(e.user_id);
                next_u
            });
            let next_i = r.item_ids.len() as u32;
            let i = *items.entry(e.movie_id).or_insert_with(|| {
                r.item_ids.push(e.movie_id);
                next_i
            });
            r.user.push(u);
            r.item.push(i);
            r.value.push(e.value);
            r.time.push(e.time);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> HashMap<u32, u32> {
        // IMDb id → movieId
        HashMap::from([(133093, 2571), (110912, 296), (1375666, 79132)])
    }

    #[test]
    fn keeps_catalogue_films_of_users_with_enough_of_them() {
        let text = "1::0133093::9::100\n1::0110912::8::101\n2::0133093::7::102\n\
                    2::9999999::5::103\n3::1375666::10::104\n3::0110912::0::105\n";
        let (rows, stats) = parse_movietweetings(text, &catalogue(), 2).unwrap();
        assert_eq!(stats.rows, 6);
        assert_eq!(stats.not_in_catalogue, 1);
        // User 2 has one catalogue film left.
        assert_eq!(stats.sparse_users, 1);
        assert_eq!((stats.kept, stats.users), (4, 2));
        assert_eq!(
            rows[0],
            ExtraRating {
                user_id: 1 + USER_ID_OFFSET,
                movie_id: 2571,
                value: 9.0,
                time: 100
            }
        );
        assert!(rows.iter().all(|r| r.user_id != 2 + USER_ID_OFFSET));
    }

    #[test]
    fn malformed_lines_are_refused_with_their_number() {
        for bad in ["1::0133093::9", "x::0133093::9::1", "1::0133093::11::1"] {
            let text = format!("1::0110912::8::101\n{bad}\n");
            let err = parse_movietweetings(&text, &catalogue(), 1).unwrap_err();
            assert!(err.to_string().contains("line 2"), "{err}");
        }
    }

    #[test]
    fn extra_users_are_appended_and_known_films_keep_their_index() {
        let base = Ratings {
            user: vec![0, 0],
            item: vec![0, 1],
            value: vec![4.0, 3.0],
            time: vec![1, 2],
            user_ids: vec![7],
            item_ids: vec![296, 2571],
        };
        let (rows, _) =
            parse_movietweetings("5::0133093::9::10\n5::1375666::6::11\n", &catalogue(), 1)
                .unwrap();
        let r = base.with_extra_users(&rows);
        assert_eq!(r.user_ids, vec![7, 5 + USER_ID_OFFSET]);
        assert_eq!(r.item_ids, vec![296, 2571, 79132]);
        assert_eq!(&r.user[2..], &[1, 1]);
        assert_eq!(&r.item[2..], &[1, 2]);
        assert_eq!(r.len(), 4);
    }
}
