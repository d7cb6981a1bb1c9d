//! View components, one small file each. They receive plain values and send changes up
//! through callbacks (mostly one `Callback<Intent>`); `Workspace` and `QuestionPanel` call the
//! memoising hooks.
//!
//! One callback style: a value goes up as `props.on_x.reform(|event| value)`. `Callback::from`
//! is for callbacks that do something themselves: change the component's own state, read a
//! file, copy to the clipboard, or send several values.

mod bar_fill;
mod certainty_meter;
mod compare_panel;
mod confirm;
mod data_panel;
mod error_box;
mod footer;
mod genre_chips;
mod genre_filter;
mod header;
mod icon;
mod import_panel;
mod import_preview;
mod loading;
mod movie_card;
mod my_ratings;
mod notices;
mod pair_question;
mod partial_catalogue;
mod popular_card;
mod popular_grid;
mod prediction;
mod question_panel;
mod rate_question;
mod rated_item;
mod rec_feedback;
mod rec_item;
mod recommendations;
mod screen_nav;
mod search_panel;
mod search_result;
mod settings_panel;
mod share_box;
mod shared_view;
mod slider_setting;
mod star_rating;
mod watchlist;
mod welcome;
mod workspace;

pub use bar_fill::BarFill;
pub use certainty_meter::CertaintyMeter;
pub use compare_panel::ComparePanel;
pub use confirm::Confirm;
pub use data_panel::DataPanel;
pub use error_box::ErrorBox;
pub use footer::Footer;
pub use genre_chips::GenreChips;
pub use genre_filter::GenreFilter;
pub use header::Header;
pub use icon::{Glyph, Icon};
pub use import_panel::ImportPanel;
pub use import_preview::ImportPreview;
pub use loading::Loading;
pub use movie_card::MovieCard;
pub use my_ratings::MyRatings;
pub use notices::Notices;
pub use pair_question::PairQuestion;
pub use partial_catalogue::{answers_waiting, Catalogue, Partial, PartialCatalogue};
pub use popular_card::PopularCard;
pub use popular_grid::PopularGrid;
pub use prediction::prediction_view;
pub use question_panel::QuestionPanel;
pub use rate_question::RateQuestion;
pub use rated_item::RatedItem;
pub use rec_feedback::RecFeedback;
pub use rec_item::RecItem;
pub use recommendations::Recommendations;
pub use screen_nav::ScreenNav;
pub use search_panel::SearchPanel;
pub use search_result::SearchResult;
pub use settings_panel::SettingsPanel;
pub use share_box::ShareBox;
pub use shared_view::SharedView;
pub use slider_setting::SliderSetting;
pub use star_rating::StarRating;
pub use watchlist::Watchlist;
pub use welcome::Welcome;
pub use workspace::Workspace;
