//! One person's export: every row matched through the engine's import plan, the rows that do
//! not name one catalogue film dropped (and counted), one rating per film (the last row), the
//! films split by a hash of their id into training and held-out, and the liked held-out films.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use moviematch::import::{decode_text, is_zip, ExportFormat};
use moviematch::import_plan::{plan_import, RowMatch};
use moviematch::{Model, Scale, StableId};
use serde::Serialize;

/// Fewest training films a person needs to be evaluated.
pub const MIN_TRAIN: usize = 10;
/// Fewest liked held-out films a person needs to be evaluated.
pub const MIN_LIKED: usize = 5;
/// One film in this many is held out (by [`fnv1a64`] of its id).
pub const HOLDOUT_MOD: u64 = 5;

/// FNV-1a, 64 bits.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The id a film's split is hashed from: its tconst as the bundle stores it ("tt0133093"), or
/// "ml:<movieId>" when it has none.
pub fn split_key(model: &Model, item: usize) -> String {
    let m = model.movie(item);
    m.tconst().unwrap_or_else(|| format!("ml:{}", m.movie_id))
}

/// Whether catalogue film `item` is held out: FNV-1a-64 of [`split_key`] ≡ 0 (mod 5).
pub fn is_heldout(model: &Model, item: usize) -> bool {
    fnv1a64(split_key(model, item).as_bytes()).is_multiple_of(HOLDOUT_MOD)
}

/// A liked rating: ≥ 8/10 on IMDb, ≥ 4 stars on Letterboxd.
pub fn is_liked(value: f32, scale: Scale) -> bool {
    match scale {
        Scale::Ten => value >= 8.0,
        Scale::Stars => value >= 4.0,
    }
}

/// Rows left out, by why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Dropped {
    /// Several catalogue films fit the title and year (Letterboxd).
    pub ambiguous: usize,
    /// No catalogue film fits the title and year (Letterboxd).
    pub unmatched: usize,
    /// An IMDb id the bundle does not know.
    pub not_in_catalogue: usize,
    /// A TV series, mini-series or episode (IMDb's `Title Type`, in any of its languages).
    pub tv: usize,
}

/// One person, read and split.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The file's path below the people folder.
    pub file: String,
    pub format: &'static str,
    /// The export's own scale (`Ten` for IMDb, `Stars` for Letterboxd).
    pub scale: Scale,
    /// Rated rows in the file.
    pub rows: usize,
    /// Rows naming one catalogue film (a film rated twice counts twice here).
    pub matched: usize,
    pub dropped: Dropped,
    /// (catalogue film, rating on the export's scale), one per film, in file order.
    pub train: Vec<(usize, f32)>,
    pub heldout: Vec<(usize, f32)>,
}

/// Why a person is not evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    FewTraining,
    FewLiked,
}

impl Person {
    /// The held-out films the person liked, in file order.
    pub fn liked(&self) -> Vec<usize> {
        self.heldout
            .iter()
            .filter(|h| is_liked(h.1, self.scale))
            .map(|h| h.0)
            .collect()
    }

    /// The training films the person liked, in file order.
    pub fn liked_train(&self) -> Vec<usize> {
        self.train
            .iter()
            .filter(|t| is_liked(t.1, self.scale))
            .map(|t| t.0)
            .collect()
    }

    /// `None` when the person is evaluated.
    pub fn skip(&self) -> Option<Skip> {
        if self.train.len() < MIN_TRAIN {
            Some(Skip::FewTraining)
        } else if self.liked().len() < MIN_LIKED {
            Some(Skip::FewLiked)
        } else {
            None
        }
    }
}

/// Every `*.csv` and `*.zip` below `dir` (recursively), sorted.
pub fn export_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))?;
        for e in entries {
            let path = e?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("csv") || x.eq_ignore_ascii_case("zip"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A `Title Type` that is television rather than a film: series, mini-series and episodes in
/// the export's language ("TV Series", "tvEpisode", "Fernsehserie", "Serie TV", "Episodio TV").
/// TV films, specials and shorts are films here.
pub fn is_tv(title_type: &str) -> bool {
    let t = title_type.to_lowercase();
    t.contains("serie") || t.contains("episod")
}

/// tconst → `Title Type` of an IMDb export (empty when it has no such column).
fn title_types(bytes: &[u8]) -> HashMap<String, String> {
    let text = decode_text(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok(headers) = rdr.headers().cloned() else {
        return HashMap::new();
    };
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(c_const), Some(c_type)) = (col("Const"), col("Title Type")) else {
        return HashMap::new();
    };
    rdr.records()
        .filter_map(|r| r.ok())
        .filter_map(|r| Some((r.get(c_const)?.trim().into(), r.get(c_type)?.trim().into())))
        .collect()
}

/// Reads one export (`file` names it in the output) and splits it.
pub fn read_person(model: &Model, file: &str, bytes: &[u8]) -> Result<Person> {
    let plan = plan_import(model, bytes).with_context(|| format!("{file}: not an export"))?;
    let types = if plan.format == ExportFormat::Imdb && !is_zip(bytes) {
        title_types(bytes)
    } else {
        HashMap::new()
    };
    let scale = match plan.format {
        ExportFormat::Imdb => Scale::Ten,
        ExportFormat::Letterboxd => Scale::Stars,
    };
    let mut dropped = Dropped::default();
    let mut matched = 0;
    let mut films: Vec<(usize, f32)> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for row in &plan.rows {
        let tv = match &row.source_id {
            Some(StableId::Imdb(tt)) => types.get(tt).is_some_and(|t| is_tv(t)),
            _ => false,
        };
        let item = match (&row.status, tv) {
            (_, true) => {
                dropped.tv += 1;
                continue;
            }
            (RowMatch::Matched { item, .. }, false) => *item,
            (RowMatch::Ambiguous { .. }, false) => {
                dropped.ambiguous += 1;
                continue;
            }
            (RowMatch::Unmatched, false) => {
                if row.source_id.is_some() {
                    dropped.not_in_catalogue += 1;
                } else {
                    dropped.unmatched += 1;
                }
                continue;
            }
        };
        matched += 1;
        match slot.get(&item) {
            Some(&s) => films[s].1 = row.value,
            None => {
                slot.insert(item, films.len());
                films.push((item, row.value));
            }
        }
    }
    let (heldout, train) = films.into_iter().partition(|f| is_heldout(model, f.0));
    Ok(Person {
        file: file.to_string(),
        format: plan.format.name(),
        scale,
        rows: plan.rows.len(),
        matched,
        dropped,
        train,
        heldout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture::{bundle, FixtureMovie};

    /// The published test vectors.
    #[test]
    fn fnv1a64_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn liked_thresholds() {
        assert!(is_liked(8.0, Scale::Ten) && !is_liked(7.0, Scale::Ten));
        assert!(is_liked(4.0, Scale::Stars) && !is_liked(3.5, Scale::Stars));
    }

    #[test]
    fn tv_title_types() {
        for t in [
            "TV Series",
            "TV Mini Series",
            "TV Episode",
            "tvEpisode",
            "Fernsehserie",
        ] {
            assert!(is_tv(t), "{t}");
        }
        for t in [
            "Movie",
            "movie",
            "Film",
            "TV Movie",
            "Short",
            "TV Special",
            "",
        ] {
            assert!(!is_tv(t), "{t}");
        }
    }

    /// Films 1..=100, "Film Number {id} ({1900 + id})", IMDb id 1000 + id, and two
    /// look-alikes "Twin (1990)".
    fn catalogue() -> Model {
        let mut movies: Vec<FixtureMovie> = (1..=100u32)
            .map(|id| {
                let title: &'static str =
                    Box::leak(format!("Film Number {id} ({})", 1900 + id).into_boxed_str());
                FixtureMovie::titled(id, title, 1900 + id as u16)
            })
            .collect();
        movies.push(FixtureMovie::titled(101, "Twin (1990)", 1990));
        movies.push(FixtureMovie::titled(102, "Twin (1990)", 1990));
        Model::from_bundle(bundle(&["Drama"], &movies))
    }

    /// Held out by the rule, computed from the tconst as IMDb writes it.
    fn held(id: u32) -> bool {
        fnv1a64(format!("tt{:07}", 1000 + id).as_bytes()).is_multiple_of(5)
    }

    const IMDB_HEADER: &str = "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,\
        Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n";

    fn imdb_row(tt: &str, rating: u32, title: &str, kind: &str, year: u32) -> String {
        format!("{tt},{rating},2024-01-02,{title},https://x,{kind},7.0,90,{year},Drama,10,,\n")
    }

    #[test]
    fn imdb_export_split_liked_and_dropped() {
        let model = catalogue();
        let rating = |id: u32| 10 - id % 4; // 10, 9, 8 liked; 7 not
        let mut csv = IMDB_HEADER.to_string();
        for id in 1..=100u32 {
            // Film 5 is called a series by the export: dropped although the catalogue has it.
            let kind = if id == 5 { "TV Series" } else { "Movie" };
            let tt = format!("tt{:07}", 1000 + id);
            csv += &imdb_row(
                &tt,
                rating(id),
                &format!("Film Number {id}"),
                kind,
                1900 + id,
            );
        }
        csv += &imdb_row("tt9999999", 9, "Unknown", "Movie", 2000);
        csv += &imdb_row("tt8888888", 9, "Some Show", "TV Episode", 2000);
        // Film 1 again: the last row wins.
        csv += &imdb_row("tt0001001", 3, "Film Number 1", "Movie", 1901);
        let p = read_person(&model, "a/b.csv", csv.as_bytes()).unwrap();
        assert_eq!(
            (p.file.as_str(), p.format, p.scale),
            ("a/b.csv", "imdb", Scale::Ten)
        );
        assert_eq!(p.rows, 103);
        assert_eq!(p.matched, 100, "99 films and film 1's second row");
        let want = Dropped {
            ambiguous: 0,
            unmatched: 0,
            not_in_catalogue: 1,
            tv: 2,
        };
        assert_eq!(p.dropped, want);
        let ids = |v: &[(usize, f32)]| -> Vec<u32> {
            v.iter().map(|f| model.movie(f.0).movie_id).collect()
        };
        let kept: Vec<u32> = (1..=100).filter(|&id| id != 5).collect();
        let want_held: Vec<u32> = kept.iter().copied().filter(|&id| held(id)).collect();
        let want_train: Vec<u32> = kept.iter().copied().filter(|&id| !held(id)).collect();
        assert_eq!(ids(&p.heldout), want_held);
        assert_eq!(ids(&p.train), want_train);
        assert!(want_held.len() > 10 && want_held.len() < 30);
        let value_of = |id: u32| {
            p.train
                .iter()
                .chain(&p.heldout)
                .find(|f| model.movie(f.0).movie_id == id)
                .unwrap()
                .1
        };
        assert_eq!(value_of(1), 3.0);
        let liked: Vec<u32> = p.liked().iter().map(|&i| model.movie(i).movie_id).collect();
        let want_liked: Vec<u32> = want_held
            .iter()
            .copied()
            .filter(|&id| id != 1 && rating(id) >= 8)
            .collect();
        assert_eq!(liked, want_liked);
        assert!(want_liked.len() >= MIN_LIKED);
        assert_eq!(p.skip(), None);
    }

    #[test]
    fn letterboxd_export_and_skip_rules() {
        let model = catalogue();
        let header = "Date,Name,Year,Letterboxd URI,Rating\n";
        let row = |name: &str, year: u32, stars: f32| {
            format!("2024-01-02,{name},{year},https://boxd.it/x,{stars}\n")
        };
        let mut csv = header.to_string();
        for id in 1..=100u32 {
            let stars = if id % 2 == 0 { 4.0 } else { 3.5 };
            csv += &row(&format!("Film Number {id}"), 1900 + id, stars);
        }
        csv += &row("Twin", 1990, 5.0);
        csv += &row("Nothing Like It", 1977, 5.0);
        let p = read_person(&model, "lb.csv", csv.as_bytes()).unwrap();
        assert_eq!(
            (p.format, p.scale, p.rows, p.matched),
            ("letterboxd", Scale::Stars, 102, 100)
        );
        let want = Dropped {
            ambiguous: 1,
            unmatched: 1,
            not_in_catalogue: 0,
            tv: 0,
        };
        assert_eq!(p.dropped, want);
        let held_ids: Vec<u32> = p
            .heldout
            .iter()
            .map(|f| model.movie(f.0).movie_id)
            .collect();
        assert_eq!(
            held_ids,
            (1..=100).filter(|&id| held(id)).collect::<Vec<_>>()
        );
        let liked = p.liked().len();
        assert_eq!(liked, held_ids.iter().filter(|&&id| id % 2 == 0).count());
        assert_eq!(p.skip(), None);

        // Everything at 3.5★: no liked film held out.
        let flat = csv.replace(",4\n", ",3.5\n");
        let p = read_person(&model, "lb.csv", flat.as_bytes()).unwrap();
        assert_eq!(p.skip(), Some(Skip::FewLiked));
        // The first 9 films: fewer than 10 training films.
        let few: String = csv.lines().take(10).map(|l| format!("{l}\n")).collect();
        let p = read_person(&model, "lb.csv", few.as_bytes()).unwrap();
        assert!(p.train.len() < MIN_TRAIN, "{}", p.train.len());
        assert_eq!(p.skip(), Some(Skip::FewTraining));
    }
}
