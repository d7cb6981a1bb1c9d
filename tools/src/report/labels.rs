//! Greedy placement of the latent map's title labels. Sixty titles around a dense centre overlap
//! badly when each sits at the same offset from its point; trying a ring of positions per label,
//! most important first, keeps them readable without a layout engine. Pure geometry in pixels,
//! so it is tested without drawing.

/// An axis-aligned box in pixels (y grows downwards, as in SVG).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn area(&self) -> f64 {
        (self.x1 - self.x0).max(0.0) * (self.y1 - self.y0).max(0.0)
    }

    /// Area shared with `o`.
    pub fn overlap(&self, o: &Rect) -> f64 {
        let w = self.x1.min(o.x1) - self.x0.max(o.x0);
        let h = self.y1.min(o.y1) - self.y0.max(o.y0);
        w.max(0.0) * h.max(0.0)
    }
}

/// Where one label went: its box, and whether it sits far enough from its point to need a
/// leader line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub rect: Rect,
    pub far: bool,
}

/// Half the side of the box a marker occupies.
const MARKER: f64 = 3.0;

/// Places a `sizes[j]` (width, height) label next to each `points[j]`, in order (most important
/// first): of a ring of candidate positions at growing distance, the one overlapping the least
/// (earlier labels, every marker, the outside of `bounds`), preferring nearer positions.
pub fn place_labels(points: &[(f64, f64)], sizes: &[(f64, f64)], bounds: Rect) -> Vec<Placed> {
    assert_eq!(points.len(), sizes.len(), "one size per point");
    let markers: Vec<Rect> = points
        .iter()
        .map(|&(x, y)| Rect {
            x0: x - MARKER,
            y0: y - MARKER,
            x1: x + MARKER,
            y1: y + MARKER,
        })
        .collect();
    let mut placed: Vec<Placed> = Vec::with_capacity(points.len());
    for (&(x, y), &(w, h)) in points.iter().zip(sizes) {
        let mut best: Option<(f64, Placed)> = None;
        for (step, gap) in [3.0, 10.0, 20.0, 34.0, 50.0].into_iter().enumerate() {
            // Right, left, above, below, then the four corners.
            let offsets = [
                (gap, -h / 2.0),
                (-w - gap, -h / 2.0),
                (-w / 2.0, -h - gap),
                (-w / 2.0, gap),
                (gap * 0.7, -h - gap * 0.7),
                (gap * 0.7, gap * 0.7),
                (-w - gap * 0.7, -h - gap * 0.7),
                (-w - gap * 0.7, gap * 0.7),
            ];
            for (dx, dy) in offsets {
                let rect = Rect {
                    x0: x + dx,
                    y0: y + dy,
                    x1: x + dx + w,
                    y1: y + dy + h,
                };
                let clash: f64 = placed.iter().map(|p| rect.overlap(&p.rect)).sum::<f64>()
                    + markers.iter().map(|m| rect.overlap(m)).sum::<f64>()
                    + (rect.area() - rect.overlap(&bounds));
                let cost = clash * 1000.0 + step as f64;
                if best.is_none_or(|b| cost < b.0) {
                    best = Some((
                        cost,
                        Placed {
                            rect,
                            far: gap > 5.0,
                        },
                    ));
                }
            }
            if best.is_some_and(|b| b.0 < (step + 1) as f64) {
                break; // a position at this distance overlaps nothing
            }
        }
        placed.push(best.expect("at least one candidate").1);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: 400.0,
        y1: 300.0,
    };

    #[test]
    fn a_lone_label_goes_right_of_its_point() {
        let p = place_labels(&[(100.0, 100.0)], &[(50.0, 10.0)], BOUNDS);
        assert_eq!(
            p[0].rect,
            Rect {
                x0: 103.0,
                y0: 95.0,
                x1: 153.0,
                y1: 105.0
            }
        );
        assert!(!p[0].far);
    }

    #[test]
    fn a_label_at_the_right_edge_goes_left() {
        let p = place_labels(&[(390.0, 100.0)], &[(50.0, 10.0)], BOUNDS);
        assert_eq!(p[0].rect.x1, 387.0);
    }

    /// A tight cluster: every label finds a place that overlaps no other label and no marker.
    #[test]
    fn clustered_labels_do_not_overlap() {
        let points: Vec<(f64, f64)> = (0..12)
            .map(|j| (200.0 + (j % 4) as f64 * 6.0, 150.0 + (j / 4) as f64 * 6.0))
            .collect();
        let sizes = vec![(60.0, 10.0); points.len()];
        let p = place_labels(&points, &sizes, BOUNDS);
        for a in 0..p.len() {
            assert_eq!(
                p[a].rect.overlap(&BOUNDS),
                p[a].rect.area(),
                "label {a} outside"
            );
            for b in 0..a {
                assert_eq!(p[a].rect.overlap(&p[b].rect), 0.0, "labels {a} and {b}");
            }
            for &(x, y) in &points {
                assert!(
                    !(x > p[a].rect.x0 && x < p[a].rect.x1 && y > p[a].rect.y0 && y < p[a].rect.y1),
                    "label {a} covers a marker"
                );
            }
        }
    }
}
