//! The software catalog's pages (decision 0024): the list, one record and its
//! `publiccode.yml`.

mod list;
mod show;

pub use list::{list_software, software_filter};
pub use show::{show_publiccode, show_software};
