//! The engine's hot numeric kernels, in their own crate for one reason: the release profile
//! builds this crate at opt-level 3 and everything else in the app for size ("z"). Scoring the
//! catalogue, the top-k selection and the small dense solves behind every answer are where the
//! browser spends its time; the rest of the engine (formats, imports, reasons, the session) is
//! not, and at "z" it costs ~25 KB less gzipped wasm.
//!
//! Nothing here knows a movie, a bundle or a profile: only slices, ndarray matrices, numbers
//! and bytes (CRC-32).
//! The engine (`moviematch`) re-exports every module under its old path (`moviematch::kernel`, …).

pub mod checksum;
pub mod ep;
pub mod kernel;
pub mod linalg;
pub mod score;
pub mod shift;
pub mod top;
