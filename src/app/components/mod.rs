//! View components, one small file each. They receive plain values and send changes up
//! through callbacks; only `Workspace` calls the memoising hooks.

mod error_box;
mod footer;
mod genre_filter;
mod header;
mod loading;
mod my_ratings;
mod notices;
mod rated_item;
mod rec_item;
mod recommendations;
mod search_panel;
mod search_result;
mod star_rating;
mod workspace;

pub use error_box::ErrorBox;
pub use footer::Footer;
pub use genre_filter::GenreFilter;
pub use header::Header;
pub use loading::Loading;
pub use my_ratings::MyRatings;
pub use notices::Notices;
pub use rated_item::RatedItem;
pub use rec_item::RecItem;
pub use recommendations::Recommendations;
pub use search_panel::SearchPanel;
pub use search_result::SearchResult;
pub use star_rating::StarRating;
pub use workspace::Workspace;
