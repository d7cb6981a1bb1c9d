//! One module per subcommand; `main.rs` only parses flags and dispatches.

pub mod calibrate;
pub mod drift;
pub mod eval;
pub mod head;
pub mod import;
pub mod inspect;
pub mod predict;
pub mod rate;
pub mod recommend;
pub mod report;
pub mod similar;
pub mod simulate;
pub mod synth;
pub mod train;
pub mod tune;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use moviematch::{Model, Profile, Visitor};

use crate::data::catalogue::CatalogueInfo;
use crate::data::inputs::load_inputs;
use crate::data::movielens::Ratings;
use crate::train::ials::IalsParams;

/// The data every evaluating command (eval, report, tune) reads. `tools train` names its
/// inputs explicitly instead: a product build should not change with what lies next to it.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// A MovieLens release folder (ratings.csv, movies.csv, links.csv).
    #[arg(long)]
    pub movielens: PathBuf,
    /// IMDb folder (title.ratings.tsv); default: the sibling folder `imdb/` when it exists.
    #[arg(long)]
    pub imdb: Option<PathBuf>,
    /// Extra catalogue folder; default: the sibling folder `ml-25m/` when it exists.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
}

impl DataArgs {
    /// The ratings and the catalogue (see [`load_inputs`]).
    pub fn load(&self) -> Result<(Ratings, CatalogueInfo)> {
        load_inputs(
            &self.movielens,
            self.imdb.as_deref(),
            self.catalogue.as_deref(),
        )
    }
}

/// The implicit model's settings (`tools train`, and the `ials` rows of `tools eval`); the
/// defaults are [`IalsParams::default`], chosen on the fold-in protocol.
#[derive(Debug, clap::Args)]
pub struct ImplicitArgs {
    /// Factors of the implicit model (iALS on who rated what); 0: no implicit model.
    #[arg(id = "implicit_k", long = "implicit-k", default_value_t = IalsParams::default().k)]
    pub k: usize,
    /// α₀, the weight of every film a user did not watch.
    #[arg(id = "implicit_alpha", long = "implicit-alpha", default_value_t = IalsParams::default().unobserved_weight)]
    pub alpha: f64,
    /// λ of the regulariser λ (n + α₀ N)^ν.
    #[arg(id = "implicit_reg", long = "implicit-reg", default_value_t = IalsParams::default().reg)]
    pub reg: f64,
    /// ν of the regulariser (0: a plain λ, 1: scaled by each user's and film's weight).
    #[arg(id = "implicit_nu", long = "implicit-nu", default_value_t = IalsParams::default().reg_exponent)]
    pub nu: f64,
    /// λ_c, the pull of each film's factors toward their content prediction (0: none).
    #[arg(id = "implicit_content", long = "implicit-content", default_value_t = IalsParams::default().content_reg)]
    pub content: f64,
    #[arg(id = "implicit_epochs", long = "implicit-epochs", default_value_t = IalsParams::default().epochs)]
    pub epochs: usize,
    /// A MovieTweetings folder (ratings.dat): its IMDb users' films join the implicit model's
    /// training as more users (never the rating model's).
    #[arg(long)]
    pub movietweetings: Option<PathBuf>,
    /// Fewest catalogue films a MovieTweetings user needs to be used.
    #[arg(long, default_value_t = 2)]
    pub movietweetings_min_films: usize,
}

impl ImplicitArgs {
    /// The settings, checked; `None` for `--implicit-k 0`.
    pub fn params(&self, seed: u64) -> Result<Option<IalsParams>> {
        if self.k == 0 {
            return Ok(None);
        }
        if self.k > 256 {
            bail!("--implicit-k {} is too large (at most 256)", self.k);
        }
        let positive = |x: f64| x > 0.0 && x.is_finite();
        if !(positive(self.alpha) && positive(self.reg)) {
            bail!("--implicit-alpha and --implicit-reg must be positive");
        }
        if !((0.0..=2.0).contains(&self.nu) && self.content >= 0.0 && self.content.is_finite()) {
            bail!("--implicit-nu must be in [0, 2] and --implicit-content at least 0");
        }
        Ok(Some(IalsParams {
            k: self.k,
            unobserved_weight: self.alpha,
            reg: self.reg,
            reg_exponent: self.nu,
            content_reg: self.content,
            epochs: self.epochs,
            seed,
        }))
    }
}

/// Reads and decodes a bundle, naming the file in any error. A head (`…-head.bin`, see
/// [`head::write_split`]) is joined with the tail beside it, so every `--bundle` reads the
/// split files the site ships as the whole model.
pub fn load_model(path: &Path) -> Result<Model> {
    Ok(Model::from_bundle(load_bundle(path)?))
}

/// [`load_model`]'s bundle, before the engine's tables are built.
pub fn load_bundle(path: &Path) -> Result<moviematch::Bundle> {
    let read = |path: &Path| -> Result<moviematch::Bundle> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read bundle {}", path.display()))?;
        moviematch::Bundle::decode(&bytes)
            .with_context(|| format!("{} is not a usable bundle", path.display()))
    };
    let bundle = read(path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let Some(stem) = name.strip_suffix("-head.bin") else {
        return Ok(bundle);
    };
    let tail_path = path.with_file_name(format!("{stem}-tail.bin"));
    if !tail_path.exists() {
        return Ok(bundle);
    }
    bundle
        .join(&read(&tail_path)?)
        .with_context(|| format!("{} and {} do not join", path.display(), tail_path.display()))
}

/// Reads a profile (the browser's format) if the file exists, else an empty one. A profile that
/// cannot be read is an error and the file is left untouched.
/// A catalogue film named as a visitor would type it, and the bundle to look in (`predict`,
/// `similar`, `rate`).
#[derive(Debug, clap::Args)]
pub struct FilmArgs {
    /// The film, as you would type it in the search box.
    pub title: String,
    /// Its release year, to pick among titles of the same name.
    #[arg(long)]
    pub year: Option<u16>,
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
}

/// `--drift on|off`: taste drift for this run, whatever the profile's `drift` setting says
/// (never written back to the profile).
#[derive(Debug, clap::Args)]
pub struct DriftArg {
    /// Taste drift (recent answers weigh more, half-life 90 days from the profile's newest
    /// answer): `on` or `off`; default: the profile's setting.
    #[arg(long, value_enum)]
    pub drift: Option<OnOff>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl DriftArg {
    /// The flag as a list option (`None`: the profile's setting).
    pub fn option(&self) -> Option<bool> {
        self.drift.map(|d| d == OnOff::On)
    }

    /// The visitor of `profile` with the flag's drift, if given (`Visitor::with_settings`).
    pub fn visitor(&self, model: &Model, profile: &Profile) -> Visitor {
        let mut settings = profile.settings.clone();
        settings.drift = self.option().unwrap_or(settings.drift);
        Visitor::with_settings(model, profile, &settings)
    }
}

/// A title the catalogue does not know (`tools predict` exits with status 2 on it).
#[derive(Debug, thiserror::Error)]
#[error("unknown_movie: no film in the catalogue is titled {title:?}{}", year.map_or(String::new(), |y| format!(" ({y})")))]
pub struct UnknownMovie {
    pub title: String,
    pub year: Option<u16>,
}

/// The catalogue film `title` (and `year`, if given) names, matched as imports match titles
/// (accents, case, punctuation and a leading article aside). Several films of that title: the
/// best known, the others named on stderr.
pub fn find_title(model: &Model, title: &str, year: Option<u16>) -> Result<usize> {
    use moviematch::title_match::{TitleIndex, TitleMatch};
    match TitleIndex::build(model).find(model, title, year) {
        TitleMatch::Unique { item, .. } => Ok(item),
        TitleMatch::Ambiguous(items) => {
            let best = *items
                .iter()
                .max_by_key(|&&i| (model.movie(i).imdb_votes, std::cmp::Reverse(i)))
                .expect("ambiguous means several");
            let others: Vec<String> = items
                .iter()
                .filter(|&&i| i != best)
                .map(|&i| {
                    let m = model.movie(i);
                    format!(
                        "{} ({})",
                        m.title,
                        m.year.map_or("?".into(), |y| y.to_string())
                    )
                })
                .collect();
            eprintln!(
                "{} films match {title:?}: the best known is used; --year picks another of {}",
                items.len(),
                others.join(", ")
            );
            Ok(best)
        }
        TitleMatch::NotFound => Err(UnknownMovie {
            title: title.to_string(),
            year,
        }
        .into()),
    }
}

pub fn load_profile(path: &Path) -> Result<Profile> {
    if !path.exists() {
        return Ok(Profile::default());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Profile::from_json(&text).with_context(|| {
        format!(
            "{} is not a usable profile (left untouched)",
            path.display()
        )
    })
}

/// Writes a profile through a sibling file and a rename: a crash never leaves half a profile.
pub fn save_profile(path: &Path, profile: &Profile) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, profile.to_json())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Milliseconds since the unix epoch, for profile events.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
