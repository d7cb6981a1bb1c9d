//! `tools report`'s pieces. The numbers (calibration bins, popularity deciles, label placement,
//! summaries) are plain functions with unit tests; [`plots`] only draws them and [`page`] only
//! writes them down, so what a picture claims is tested without looking at it.
//!
//! - [`fit`]: the split-trained model and its held-out scores (eval's `irt-int8`).
//! - [`calibration`]: binned calibration, coverage and RMSE by popularity decile.
//! - [`catalogue`]: visitors' predictions over the whole catalogue through the engine.
//! - [`labels`]: where the latent map's titles go.
//! - [`plots`]: the SVGs; [`pictures`]: which data goes into which picture.
//! - [`page`]: the Markdown page; [`intro`]: its opening facts; [`files`]: the pictures' file
//!   names.

pub mod calibration;
pub mod catalogue;
pub mod files;
pub mod fit;
pub mod intro;
pub mod labels;
pub mod page;
pub mod pictures;
pub mod plots;
