//! `tools report` end to end on the committed synthetic fixture: every picture is written, is a
//! real chart (its title and axis labels are in the SVG), and the page shows each one.

mod common;

use std::path::Path;

use common::{on_fixture, train_fixture};

/// Each picture with texts it must contain (titles, axis descriptions, legend entries).
const EXPECTED: [(&str, &[&str]); 8] = [
    (
        "training.svg",
        &[
            "ELBO per training rating",
            "RMSE and σ by epoch",
            "epoch",
            "held-out RMSE",
        ],
    ),
    (
        "predictions_histogram.svg",
        &[
            "Predicted rating of every catalogue movie",
            "predicted rating (stars, not clipped)",
            "typical user",
            "no ratings (prior)",
        ],
    ),
    (
        "calibration.svg",
        &[
            "Calibration on held-out ratings",
            "mean held-out rating",
            "perfect calibration",
        ],
    ),
    (
        "coverage_by_popularity.svg",
        &[
            "Interval coverage on held-out ratings by movie popularity",
            "90% interval",
            "50% interval",
        ],
    ),
    (
        "rmse_by_popularity.svg",
        &[
            "Held-out RMSE by movie popularity",
            "mean predictive sd",
            "overall RMSE",
        ],
    ),
    (
        "prediction_vs_votes.svg",
        &[
            "Predicted rating against IMDb votes",
            "IMDb votes (log scale)",
            "top 20 of the list",
            "no ratings (prior)",
        ],
    ),
    (
        "factor_norm_vs_votes.svg",
        &[
            "latent factors against IMDb votes",
            "item-factor norm",
            "rated in training",
        ],
    ),
    (
        "latent_map.svg",
        &[
            "most-rated movies in latent space",
            "latent dimension 1",
            "latent dimension 2",
        ],
    ),
];

fn check_report(dir: &Path) {
    for (file, texts) in EXPECTED {
        let path = dir.join(file);
        let svg = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{file}"
        );
        for t in texts {
            assert!(svg.contains(t), "{file} lacks {t:?}");
        }
        // Drawn data, not just axes: markers or line paths beyond the frame.
        let marks = svg.matches("<circle").count() + svg.matches("<polyline").count();
        assert!(marks >= 5, "{file} holds only {marks} marks");
    }
    let map = std::fs::read_to_string(dir.join("latent_map.svg")).unwrap();
    assert!(
        map.matches("<text").count() >= 60 + 10,
        "60 titles plus the axes' labels"
    );
    let page = std::fs::read_to_string(dir.join("README.md")).expect("the page is written");
    for (file, _) in EXPECTED {
        assert!(
            page.contains(&format!("]({file})")),
            "README.md does not show {file}"
        );
    }
    for key in ["coverage", "RMSE", "min – max", "‖β‖"] {
        assert!(page.contains(key), "README.md lacks {key:?}");
    }
}

#[test]
fn report_on_the_split_model() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    on_fixture("report", &out, "6", &[]);
    check_report(&out);
    let page = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(page.contains("split-trained model"), "{page}");
}

#[test]
fn report_with_a_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "model.bin", "6");
    let out = tmp.path().join("report");
    on_fixture("report", &out, "6", &["--bundle", bundle.to_str().unwrap()]);
    check_report(&out);
    let page = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(page.contains("model.bin"), "{page}");
}
