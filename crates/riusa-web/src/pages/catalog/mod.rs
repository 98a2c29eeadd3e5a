//! The catalog's pages: home, the search and a practice sheet.

mod home;
mod practice;
mod search;

pub use home::show_home;
#[cfg(feature = "bench")]
pub(in crate::pages) use practice::render_practice;
pub use practice::show_practice;
pub use search::list_practices;
