//! The IPA registry's pages: the list of administrations and one administration.

mod list;
mod show;

pub use list::list_organizations;
pub use show::show_organization;
