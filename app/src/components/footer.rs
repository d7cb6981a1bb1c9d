//! Credits for the data the model was built from.

use yew::prelude::*;

/// A view function (nothing to keep between renders).
pub fn footer() -> Html {
    html! {
        <footer class="site-footer">
            <p>
                { "Ratings: the MovieLens datasets — F. Maxwell Harper and Joseph A. Konstan. 2015. " }
                <cite>{ "The MovieLens Datasets: History and Context" }</cite>
                { ". ACM Transactions on Interactive Intelligent Systems 5(4): 19. " }
                { "Titles and IMDb ratings: IMDb non-commercial datasets. " }
                { "The catalogue ends in 2019: newer movies are not in it." }
            </p>
            <p>{ "Your ratings never leave this device: they are kept in this browser’s local storage." }</p>
        </footer>
    }
}
