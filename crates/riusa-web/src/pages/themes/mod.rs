//! The taxonomy's pages: every theme and one theme with its practices.

mod list;
mod show;

pub use list::list_themes;
pub use show::show_theme;
