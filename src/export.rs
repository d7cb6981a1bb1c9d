//! Taking the list elsewhere: the current list or the watchlist as CSV text, in Letterboxd's
//! list-import format (`Title,Year,imdbID`: Letterboxd matches a row by its IMDb id, else by
//! title and year) and as a plain table with the visitor's predictions in stars
//! (`imdb_id,title,year,predicted,low,high`). The page offers both as downloads; nothing leaves
//! the browser unless the visitor takes the file somewhere.
//!
//! The fields are quoted here (RFC 4180: a field holding a comma, a quote or a line break is
//! quoted, its quotes doubled) rather than by the `csv` crate's writer, which would add its
//! code to the page's wasm for two headers and a handful of rows; the tests read every file
//! back with the `csv` crate.

use crate::model::Model;
use crate::scale::RatingScale;

/// One film to export, with the visitor's prediction on the model's scale when there is one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExportRow {
    /// Catalogue index.
    pub item: usize,
    /// Predicted rating and its 80% interval (model scale), if predicted.
    pub prediction: Option<(f32, (f32, f32))>,
}

/// Letterboxd's list-import columns.
pub const LETTERBOXD_HEADER: &str = "Title,Year,imdbID";
/// The plain table's columns (predictions in stars, one decimal).
pub const PREDICTIONS_HEADER: &str = "imdb_id,title,year,predicted,low,high";

/// The films as a Letterboxd list import (an empty year or imdbID when the catalogue has none).
pub fn letterboxd_csv(model: &Model, rows: &[ExportRow]) -> String {
    let mut out = format!("{LETTERBOXD_HEADER}\r\n");
    for r in rows {
        let m = model.movie(r.item);
        push_record(
            &mut out,
            &[
                &m.title,
                &year(model, r.item),
                &m.tconst().unwrap_or_default(),
            ],
        );
    }
    out
}

/// The films with the visitor's predictions in stars (empty when not predicted).
pub fn predictions_csv(model: &Model, rows: &[ExportRow]) -> String {
    let stars = |v: f32| format!("{:.1}", model.header.scale.convert(v, &RatingScale::STARS));
    let mut out = format!("{PREDICTIONS_HEADER}\r\n");
    for r in rows {
        let m = model.movie(r.item);
        let (mean, low, high) = match r.prediction {
            Some((mean, (lo, hi))) => (stars(mean), stars(lo), stars(hi)),
            None => Default::default(),
        };
        push_record(
            &mut out,
            &[
                &m.tconst().unwrap_or_default(),
                &m.title,
                &year(model, r.item),
                &mean,
                &low,
                &high,
            ],
        );
    }
    out
}

fn year(model: &Model, item: usize) -> String {
    model
        .movie(item)
        .year
        .map(|y| y.to_string())
        .unwrap_or_default()
}

/// Appends one CSV record (CRLF-terminated, as RFC 4180 and spreadsheet programs expect).
fn push_record(out: &mut String, fields: &[&str]) {
    for (k, f) in fields.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;
    use crate::title_match::{TitleIndex, TitleMatch};
    use proptest::prelude::*;

    fn read(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    }

    /// A model whose titles need quoting: commas, quotes, a line break.
    fn awkward_model() -> Model {
        let mut b = random_bundle(3, 30, 2, 10);
        let c = &mut b.catalogue;
        for i in 0..c.title.len() {
            c.imdb_id[i] = 1_000_000 + i as u32;
            c.title[i] = match i {
                0 => "Crouching Tiger, Hidden Dragon".into(),
                1 => "\"Crocodile\" Dundee".into(),
                2 => "Two\nLines, \"Quoted\"".into(),
                _ => format!("Film number {i}"),
            };
            if c.year[i] != 0 {
                c.title[i] = format!("{} ({})", c.title[i], c.year[i]);
            }
        }
        c.year[3] = 0;
        c.title[3] = "Film number 3".into();
        c.imdb_id[4] = 0;
        Model::from_bundle(b)
    }

    /// Every exported row reads back (with the `csv` crate) as the film it came from: its
    /// imdbID resolves to it, and its Title and Year find it through the importer's title
    /// matcher.
    #[test]
    fn a_letterboxd_list_reads_back_as_the_same_films() {
        let model = awkward_model();
        let rows: Vec<ExportRow> = (0..model.len())
            .map(|item| ExportRow {
                item,
                prediction: None,
            })
            .collect();
        let (header, records) = read(&letterboxd_csv(&model, &rows));
        assert_eq!(header.join(","), LETTERBOXD_HEADER);
        assert_eq!(records.len(), model.len());
        let index = TitleIndex::build(&model);
        for (r, rec) in rows.iter().zip(&records) {
            let m = model.movie(r.item);
            assert_eq!(rec[0], m.title);
            match crate::ids::parse_tconst(&rec[2]) {
                Some(t) => assert_eq!(model.by_imdb_id(t), Some(r.item), "{rec:?}"),
                None => assert!(m.imdb_id.is_none() && rec[2].is_empty()),
            }
            let year = rec[1].parse().ok();
            assert_eq!(year, m.year);
            match index.find(&model, &rec[0], year) {
                TitleMatch::Unique { item, .. } => assert_eq!(item, r.item, "{rec:?}"),
                other => panic!("{rec:?} matches {other:?}"),
            }
        }
    }

    /// The plain table gives the predictions in stars, one decimal, and leaves them empty for a
    /// film without one.
    #[test]
    fn the_plain_table_gives_predictions_in_stars() {
        let model = awkward_model();
        let scale = model.header.scale;
        let from_stars = |v: f32| RatingScale::STARS.convert(v, &scale);
        let rows = [
            ExportRow {
                item: 2,
                prediction: Some((from_stars(4.04), (from_stars(3.0), from_stars(5.0)))),
            },
            ExportRow {
                item: 0,
                prediction: None,
            },
        ];
        let (header, records) = read(&predictions_csv(&model, &rows));
        assert_eq!(header.join(","), PREDICTIONS_HEADER);
        assert_eq!(records[0][1], model.movie(2).title);
        assert_eq!(records[0][3..], ["4.0", "3.0", "5.0"]);
        assert_eq!(records[1][1], "Crouching Tiger, Hidden Dragon");
        assert_eq!(records[1][3..], ["", "", ""]);
    }

    proptest! {
        /// Any text survives the quoting: the `csv` crate reads back exactly the fields written
        /// (three per record, as in the Letterboxd file, after its header line).
        #[test]
        fn any_fields_read_back(fields in proptest::collection::vec(".*", 3)) {
            let mut out = format!("{LETTERBOXD_HEADER}\r\n");
            push_record(&mut out, &fields.iter().map(String::as_str).collect::<Vec<_>>());
            let (_, records) = read(&out);
            prop_assert_eq!(&records[..], &[fields][..]);
        }
    }
}
