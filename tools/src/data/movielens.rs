//! Reading MovieLens releases (ratings.csv, movies.csv, links.csv) and IMDb's title.ratings.tsv
//! with the csv crate. Ratings stream into compact columns (16 bytes a rating), so ml-25m's
//! 25M rows need ~400 MB, not the gigabytes a row-of-structs would.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

/// Ratings as parallel columns; users and items are dense indices.
#[derive(Debug, Clone, Default)]
pub struct Ratings {
    pub user: Vec<u32>,
    pub item: Vec<u32>,
    pub value: Vec<f32>,
    /// Unix seconds.
    pub time: Vec<u32>,
    /// Dense user index → MovieLens userId.
    pub user_ids: Vec<u32>,
    /// Dense item index → MovieLens movieId.
    pub item_ids: Vec<u32>,
}

impl Ratings {
    pub fn len(&self) -> usize {
        self.value.len()
    }
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
    pub fn n_users(&self) -> usize {
        self.user_ids.len()
    }
    pub fn n_items(&self) -> usize {
        self.item_ids.len()
    }

    /// RMSE of `predict(user, item)` over these ratings.
    pub fn rmse(&self, predict: impl Fn(usize, usize) -> f32) -> f64 {
        let se: f64 = (0..self.len())
            .map(|j| {
                ((predict(self.user[j] as usize, self.item[j] as usize) - self.value[j]) as f64)
                    .powi(2)
            })
            .sum();
        (se / self.len().max(1) as f64).sqrt()
    }

    /// The subset of rows in `rows` (same id maps, so indices stay comparable).
    pub fn select(&self, rows: &[usize]) -> Ratings {
        Ratings {
            user: rows.iter().map(|&r| self.user[r]).collect(),
            item: rows.iter().map(|&r| self.item[r]).collect(),
            value: rows.iter().map(|&r| self.value[r]).collect(),
            time: rows.iter().map(|&r| self.time[r]).collect(),
            user_ids: self.user_ids.clone(),
            item_ids: self.item_ids.clone(),
        }
    }
}

/// One movies.csv row joined with links.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct MovieRow {
    pub movie_id: u32,
    pub title: String,
    pub genres: Vec<String>,
    /// Numeric IMDb id (links.csv imdbId), if present.
    pub imdb_id: Option<u32>,
}

/// IMDb consensus for one title.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImdbRating {
    pub average: f32,
    pub votes: u32,
}

fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(
            "{msg:>12} [{bar:40}] {binary_bytes}/{binary_total_bytes} ({eta})",
        )
        .unwrap()
        .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

/// Streams `DIR/ratings.csv` (`userId,movieId,rating,timestamp`) into columns.
pub fn read_ratings(dir: &Path) -> Result<Ratings> {
    let path = dir.join("ratings.csv");
    let file = File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = progress_bar(len, "ratings.csv");
    let mut rdr = csv::ReaderBuilder::new()
        .from_reader(pb.wrap_read(BufReader::with_capacity(1 << 20, file)));
    let headers = rdr.byte_headers()?.clone();
    let expect = ["userId", "movieId", "rating", "timestamp"];
    if headers.len() < 4
        || !expect
            .iter()
            .zip(headers.iter())
            .all(|(e, h)| h.eq_ignore_ascii_case(e.as_bytes()))
    {
        bail!(
            "{}: expected the header userId,movieId,rating,timestamp",
            path.display()
        );
    }
    let mut r = Ratings::default();
    let mut users: HashMap<u32, u32> = HashMap::new();
    let mut items: HashMap<u32, u32> = HashMap::new();
    let mut rec = csv::ByteRecord::new();
    let mut line = 1u64;
    while rdr
        .read_byte_record(&mut rec)
        .with_context(|| format!("{}: line {}", path.display(), line + 1))?
    {
        line += 1;
        let field = |i: usize| {
            std::str::from_utf8(rec.get(i).unwrap_or(b""))
                .unwrap_or("")
                .trim()
        };
        let parse_err = || format!("{}: line {line}: malformed row", path.display());
        let uid: u32 = field(0).parse().with_context(parse_err)?;
        let mid: u32 = field(1).parse().with_context(parse_err)?;
        let value: f32 = field(2).parse().with_context(parse_err)?;
        let time: u64 = field(3).parse().with_context(parse_err)?;
        if !(0.0..=10.0).contains(&value) {
            bail!(
                "{}: line {line}: rating {value} out of range",
                path.display()
            );
        }
        let next_u = users.len() as u32;
        let u = *users.entry(uid).or_insert_with(|| {
            r.user_ids.push(uid);
            next_u
        });
        let next_i = items.len() as u32;
        let i = *items.entry(mid).or_insert_with(|| {
            r.item_ids.push(mid);
            next_i
        });
        r.user.push(u);
        r.item.push(i);
        r.value.push(value);
        r.time.push(time.min(u32::MAX as u64) as u32);
    }
    pb.finish_and_clear();
    if r.is_empty() {
        bail!("{}: no ratings", path.display());
    }
    Ok(r)
}

/// Reads `DIR/movies.csv` joined with `DIR/links.csv` (links optional), keyed by movieId.
pub fn read_movies(dir: &Path) -> Result<Vec<MovieRow>> {
    let path = dir.join("movies.csv");
    let mut rdr =
        csv::Reader::from_path(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let links = read_links(dir)?;
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", path.display(), n + 2))?;
        let movie_id: u32 = rec
            .get(0)
            .unwrap_or("")
            .trim()
            .parse()
            .with_context(|| format!("{}: row {}: bad movieId", path.display(), n + 2))?;
        let title = rec.get(1).unwrap_or("").to_string();
        let genres = rec
            .get(2)
            .unwrap_or("")
            .split('|')
            .map(str::trim)
            .filter(|g| !g.is_empty() && *g != "(no genres listed)")
            .map(String::from)
            .collect();
        out.push(MovieRow {
            movie_id,
            title,
            genres,
            imdb_id: links.get(&movie_id).copied(),
        });
    }
    Ok(out)
}

fn read_links(dir: &Path) -> Result<HashMap<u32, u32>> {
    let path = dir.join("links.csv");
    let mut map = HashMap::new();
    if !path.exists() {
        return Ok(map);
    }
    let mut rdr = csv::Reader::from_path(&path)?;
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("reading {}", path.display()))?;
        if let (Some(Ok(m)), Some(Ok(i))) = (
            rec.get(0).map(|s| s.trim().parse::<u32>()),
            rec.get(1).map(|s| s.trim().parse::<u32>()),
        ) {
            map.insert(m, i);
        }
    }
    Ok(map)
}

/// Reads IMDb's `DIR/title.ratings.tsv` (tconst, averageRating, numVotes), keyed by numeric id.
pub fn read_imdb_ratings(dir: &Path) -> Result<HashMap<u32, ImdbRating>> {
    let path = dir.join("title.ratings.tsv");
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .from_path(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let mut map = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("reading {}", path.display()))?;
        let id = rec.get(0).and_then(moviematch::ids::parse_tconst);
        let avg = rec.get(1).and_then(|s| s.parse::<f32>().ok());
        let votes = rec.get(2).and_then(|s| s.parse::<u32>().ok());
        if let (Some(id), Some(average), Some(votes)) = (id, avg, votes) {
            map.insert(id, ImdbRating { average, votes });
        }
    }
    Ok(map)
}
