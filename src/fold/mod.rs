//! Accent and compatibility folding for match keys: a character's NFKD form without its
//! combining marks ("é" → "e", "ﬁ" → "fi", "²" → "2", "Ⅻ" → "XII"), over the blocks titles
//! are written in (Latin, Greek, Cyrillic and their extensions, punctuation, letterlike and
//! number forms, ligatures, full-width forms); any other character folds to itself.
//!
//! Why not `unicode-normalization` at run time: its tables are ~120 KB of the app's wasm (a
//! quarter of the first-load budget). The table here is generated from the Unicode data
//! (`scripts/gen_fold_table.py`) and tested against that crate, a dev-dependency, over every
//! character of the covered blocks.

mod table;

/// Combining marks that may follow a base letter in already-decomposed text (NFD input):
/// dropped, as the NFKD fold drops them.
const MARKS: &[(char, char)] = &[
    ('\u{0300}', '\u{036f}'),
    ('\u{1ab0}', '\u{1af0}'),
    ('\u{1dc0}', '\u{1dff}'),
    ('\u{20d0}', '\u{20f0}'),
    ('\u{fe20}', '\u{fe2f}'),
];

/// What `c` contributes to a match key before lower-casing: itself, its folded form, or
/// nothing (a combining mark).
pub fn fold(c: char) -> Folded {
    if c.is_ascii() {
        return Folded::Char(c);
    }
    if MARKS.iter().any(|&(a, b)| (a..=b).contains(&c)) {
        return Folded::Str("");
    }
    match table::FOLDS.binary_search_by_key(&c, |&(k, _)| k) {
        Ok(i) => Folded::Str(table::FOLDS[i].1),
        Err(_) => Folded::Char(c),
    }
}

/// A folded character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folded {
    Char(char),
    Str(&'static str),
}

impl Folded {
    pub fn chars(self) -> impl Iterator<Item = char> {
        let (one, many) = match self {
            Folded::Char(c) => (Some(c), ""),
            Folded::Str(s) => (None, s),
        };
        one.into_iter().chain(many.chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;

    fn nfkd_without_marks(c: char) -> String {
        std::iter::once(c)
            .nfkd()
            .filter(|&x| !is_combining_mark(x))
            .collect()
    }

    #[test]
    fn the_table_is_sorted() {
        assert!(table::FOLDS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// Every character of the covered blocks, and every combining mark dropped, folds exactly
    /// as unicode-normalization's NFKD without combining marks.
    #[test]
    fn the_fold_equals_nfkd_without_marks_over_the_covered_blocks() {
        let mut differ = Vec::new();
        let blocks = table::BLOCKS.iter().chain(MARKS);
        for &(a, b) in blocks {
            for c in a..=b {
                let ours: String = fold(c).chars().collect();
                if ours != nfkd_without_marks(c) {
                    differ.push(format!(
                        "U+{:04X} {ours:?} vs {:?}",
                        c as u32,
                        nfkd_without_marks(c)
                    ));
                }
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ: {}",
            differ.len(),
            differ.join(", ")
        );
    }

    #[test]
    fn titles_fold_as_a_reader_expects() {
        let f = |s: &str| s.chars().flat_map(|c| fold(c).chars()).collect::<String>();
        assert_eq!(f("Amélie"), "Amelie");
        assert_eq!(f("Ame\u{301}lie"), "Amelie", "decomposed input too");
        assert_eq!(f("Alien³"), "Alien3");
        assert_eq!(f("Ⅻ ﬁlms"), "XII films");
        assert_eq!(f("Łódź"), "Łodz", "ł has no decomposition, as in NFKD");
        assert_eq!(f("Ｍａｔｒｉｘ"), "Matrix");
        assert_eq!(f("千と千尋"), "千と千尋", "outside the blocks: unchanged");
    }
}
