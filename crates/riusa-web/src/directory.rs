//! The directory of administrations, shared by `/enti` and `/api/v1/organizations`: the
//! registry's lists the filters choose from, and the filters checked against them.

use riusa_store::OrganizationFilter;

use crate::AppState;
use crate::error::AppError;
use crate::params::{DirectoryParams, ParamProblem, bad};

/// The filters in force and the lists their select boxes offer.
pub struct Directory {
    pub filter: OrganizationFilter,
    /// IPA categories (code, registry name).
    pub categories: Vec<(String, String)>,
    pub regions: Vec<String>,
    /// Of the chosen region, or all.
    pub provinces: Vec<String>,
}

/// What to do with a province outside the chosen region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvinceOutsideRegion {
    /// The API: a bad value (400).
    Refuse,
    /// Pages: the person changed the region and kept the old province; the region wins.
    Drop,
}

pub async fn resolve(
    app: &AppState,
    params: &DirectoryParams,
    outside: ProvinceOutsideRegion,
) -> Result<Directory, AppError> {
    let repo = app.store.organizations();
    let categories = repo.categories().await?;
    let regions = repo.regions().await?;
    if let Some(category) = &params.category
        && !categories.iter().any(|(code, _)| code == category)
    {
        return Err(bad("category", ParamProblem::NotListed).into());
    }
    if let Some(region) = &params.region
        && !regions.contains(region)
    {
        return Err(bad("region", ParamProblem::NotListed).into());
    }
    let provinces = repo.provinces(params.region.as_deref()).await?;
    let mut province = params.province.clone();
    if let Some(name) = &province
        && !provinces.contains(name)
    {
        let anywhere = params.region.is_some() && repo.provinces(None).await?.contains(name);
        match (anywhere, outside) {
            (true, ProvinceOutsideRegion::Drop) => province = None,
            _ => return Err(bad("province", ParamProblem::NotListed).into()),
        }
    }
    let with_practices = match params.with_practices {
        Some(on) => on,
        None => repo.count_with_practices().await? > 0,
    };
    Ok(Directory {
        filter: OrganizationFilter {
            name: Some(params.q.clone()).filter(|q| !q.trim().is_empty()),
            category: params.category.clone(),
            region: params.region.clone(),
            province,
            with_practices,
        },
        categories,
        regions,
        provinces,
    })
}
