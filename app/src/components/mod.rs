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
mod export_links;
mod footer;
mod genre_chips;
mod genre_filter;
mod header;
mod icon;
mod import_panel;
mod import_preview;
mod know_me;
mod loading;
mod movie_card;
mod movie_view;
mod my_answers;
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
mod together;
mod watchlist;
mod welcome;
mod workspace;

pub use bar_fill::BarFill;
pub use certainty_meter::certainty_meter;
pub use compare_panel::ComparePanel;
pub use confirm::Confirm;
pub use data_panel::DataPanel;
pub use error_box::error_box;
pub use export_links::{export_links, rows_of};
pub use footer::footer;
pub use genre_chips::{genre_chips, Props as GenreChipsProps};
pub use genre_filter::{genre_filter, Props as GenreFilterProps};
pub use header::header;
pub use icon::{icon, Glyph};
pub use import_panel::ImportPanel;
pub use import_preview::{import_preview, Props as ImportPreviewProps};
pub use know_me::KnowMe;
pub use loading::{loading, Props as LoadingProps};
pub use movie_card::movie_card;
pub use movie_view::{movie_link, MovieView};
pub use my_answers::my_answers;
pub use my_ratings::{my_ratings, Props as MyRatingsProps};
pub use notices::{notices, Props as NoticesProps};
pub use pair_question::PairQuestion;
pub use partial_catalogue::{answers_waiting, partial_catalogue, Catalogue, Partial};
pub use popular_card::{popular_card, Props as PopularCardProps};
pub use popular_grid::PopularGrid;
pub use prediction::prediction_view;
pub use question_panel::QuestionPanel;
pub use rate_question::{rate_question, Props as RateQuestionProps};
pub use rated_item::{rated_item, Props as RatedProps};
pub use rec_feedback::{rec_feedback, Props as RecFeedbackProps};
pub use rec_item::{rec_item, Props as RecItemProps};
pub use recommendations::{recommendations, Props as RecommendationsProps};
pub use screen_nav::{screen_nav, Props as ScreenNavProps};
pub use search_panel::SearchPanel;
pub use search_result::{search_result, Props as SearchResultProps};
pub use settings_panel::{settings_panel, Props as SettingsPanelProps};
pub use share_box::ShareBox;
pub use shared_view::SharedView;
pub use slider_setting::slider_setting;
pub use star_rating::star_rating;
pub use together::Together;
pub use watchlist::{watchlist, Props as WatchlistProps};
pub use welcome::{welcome, Props as WelcomeProps};
pub use workspace::Workspace;
