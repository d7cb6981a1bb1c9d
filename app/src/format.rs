//! Pure text formatting for the views, kept apart so it can be unit-tested on the host.

use moviematch::{Model, RatingScale, StableId};

/// Rating values as the widget and its `data-rating` attributes write them: "5", "4.5".
pub fn rating_str(v: f32) -> String {
    format!("{v}")
}

/// The word that fits a count: `plural(1, "rating", "ratings")` is "rating", any other count
/// "ratings". The app's one pluralising rule; [`count`] puts the number in front.
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "1 rating", "15 ratings".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// The counts that are not zero, each with its word, as one list: "2 ratings, 1 comparison
/// and 3 other answers" (`None` when every count is zero).
pub fn counts_listed(counts: &[(usize, &str, &str)]) -> Option<String> {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| count(n, one, many))
        .collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

/// A count with thousands separators: 62709 → "62,709".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An IMDb vote count as a list row shows it: "2.1M votes", "312K votes", "4.5K votes",
/// "950 votes", "1 vote" (rounded to the nearest shown digit, in integers).
pub fn votes(n: u32) -> String {
    let unit = |n: u32, size: u32, suffix: &str| {
        let tenths = (n as u64 * 10 + size as u64 / 2) / size as u64;
        if tenths >= 100 {
            format!("{}{suffix}", (n as u64 + size as u64 / 2) / size as u64)
        } else if tenths.is_multiple_of(10) {
            format!("{}{suffix}", tenths / 10)
        } else {
            format!("{}.{}{suffix}", tenths / 10, tenths % 10)
        }
    };
    match n {
        1 => "1 vote".into(),
        0..=999 => format!("{n} votes"),
        1_000..=999_499 => format!("{} votes", unit(n, 1_000, "K")),
        _ => format!("{} votes", unit(n, 1_000_000, "M")),
    }
}

/// The ten half-star values 0.5, 1, …, 5.
pub fn half_stars() -> impl Iterator<Item = f32> {
    (1..=10).map(|i| i as f32 * 0.5)
}

/// A prediction in stars with its 80% interval, one decimal each: ("4.1", "3.4", "4.8").
pub fn predicted_stars(
    model: &Model,
    mean: f32,
    interval80: (f32, f32),
) -> (String, String, String) {
    let scale = model.header.scale;
    let stars = |v: f32| format!("{:.1}", scale.convert(v, &RatingScale::STARS));
    (stars(mean), stars(interval80.0), stars(interval80.1))
}

/// "3.4 MB" with one decimal.
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// Whole percent, capped at 100 (a server may understate the length).
pub fn percent(received: u64, total: u64) -> u32 {
    if total == 0 {
        return 0;
    }
    ((received as f64 / total as f64) * 100.0)
        .floor()
        .min(100.0) as u32
}

/// "1999 · Action, Sci-Fi" (either part may be missing).
pub fn year_and_genres(model: &Model, i: usize) -> String {
    let year = model.movie(i).year.map(|y| y.to_string());
    let genres = model.genre_label(i);
    let genres = (!genres.is_empty() && genres != "(no genres listed)").then_some(genres);
    [year, genres]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The movie's page on IMDb, from its tconst ("tt0133093").
pub fn imdb_url(tconst: &str) -> String {
    format!("https://www.imdb.com/title/{tconst}/")
}

/// "3 ratings, 2 comparisons and 1 like" (the kinds present, in that order).
pub fn answers_phrase(ratings: usize, comparisons: usize, likes: usize) -> String {
    counts_listed(&[
        (ratings, "rating", "ratings"),
        (comparisons, "comparison", "comparisons"),
        (likes, "like or dislike", "likes and dislikes"),
    ])
    .unwrap_or_default()
}

/// The id to rate catalogue movie `item` under: the one already stored for it if it is rated
/// (a second id for the same movie would count twice), else the catalogue's.
pub fn rating_id(model: &Model, item: usize, current: Option<&(StableId, f32)>) -> StableId {
    current
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| model.stable_id(item))
}

/// How to name a profile entry this bundle does not know.
pub fn describe_unknown(id: &StableId) -> String {
    match id {
        StableId::Movielens(m) => format!("MovieLens movie #{m}"),
        StableId::Imdb(t) => format!("IMDb {t}"),
        StableId::Unmatched { title, year, .. } => match year {
            Some(y) => format!("{title} ({y})"),
            None => title.clone(),
        },
    }
}

/// A stored id as a list key (unique per id; no `Debug` formatting in the wasm).
pub fn id_key(id: &StableId) -> String {
    match id {
        StableId::Movielens(m) => format!("m{m}"),
        StableId::Imdb(t) => format!("i{t}"),
        StableId::Unmatched {
            title,
            year,
            source,
        } => format!("u{title}\u{1f}{}\u{1f}{source}", year.unwrap_or(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_strings_match_the_test_contract() {
        let all: Vec<String> = half_stars().map(rating_str).collect();
        assert_eq!(all.first().unwrap(), "0.5");
        assert_eq!(all[1], "1");
        assert_eq!(all[8], "4.5");
        assert_eq!(all.last().unwrap(), "5");
        assert_eq!(all.len(), 10);
    }

    #[test]
    fn vote_counts_read_short() {
        assert_eq!(votes(0), "0 votes");
        assert_eq!(votes(1), "1 vote");
        assert_eq!(votes(950), "950 votes");
        assert_eq!(votes(4_460), "4.5K votes");
        assert_eq!(votes(9_960), "10K votes");
        assert_eq!(votes(312_400), "312K votes");
        assert_eq!(votes(999_499), "999K votes");
        assert_eq!(votes(999_500), "1M votes");
        assert_eq!(votes(2_104_331), "2.1M votes");
        assert_eq!(votes(2_960_000), "3M votes");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(62709), "62,709");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn answer_phrases() {
        assert_eq!(answers_phrase(0, 0, 0), "");
        assert_eq!(answers_phrase(1, 0, 0), "1 rating");
        assert_eq!(answers_phrase(5, 2, 0), "5 ratings and 2 comparisons");
        assert_eq!(
            answers_phrase(5, 1, 3),
            "5 ratings, 1 comparison and 3 likes and dislikes"
        );
    }

    #[test]
    fn one_pluralising_rule() {
        assert_eq!(plural(1, "rating", "ratings"), "rating");
        assert_eq!(plural(0, "rating", "ratings"), "ratings");
        assert_eq!(count(1, "row", "rows"), "1 row");
        assert_eq!(count(15, "row", "rows"), "15 rows");
        assert_eq!(counts_listed(&[(0, "a", "as")]), None);
        assert_eq!(
            counts_listed(&[(2, "a", "as"), (0, "b", "bs"), (1, "c", "cs")]),
            Some("2 as and 1 c".to_string())
        );
    }

    #[test]
    fn imdb_links() {
        assert_eq!(
            imdb_url("tt0133093"),
            "https://www.imdb.com/title/tt0133093/"
        );
    }

    #[test]
    fn progress_and_rounding() {
        assert_eq!(percent(50, 200), 25);
        assert_eq!(percent(300, 200), 100);
        assert_eq!(percent(1, 0), 0);
        assert_eq!(mb(3_450_000), "3.5 MB");
    }
}
