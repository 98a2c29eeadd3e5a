use std::io::{BufWriter, Write};

use anyhow::Context;
use riusa_domain::catalog::Status;
use riusa_formats::write_practice_line;
use riusa_store::{PracticeFilter, Store};

use crate::config::PracticeExport;

const PAGE: u64 = 500;

/// Writes practices as JSON Lines, ordered by slug, in the exact shape `import practices` reads.
pub async fn practices(store: &Store, args: &PracticeExport) -> anyhow::Result<()> {
    let status = match &args.status {
        None => None,
        Some(value) => Some(Status::parse(value).with_context(|| {
            format!("stato «{value}» sconosciuto: usa draft, in_review, published o archived")
        })?),
    };
    let filter = PracticeFilter { status };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("impossibile scrivere {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let mut after: Option<String> = None;
    let mut written = 0usize;
    loop {
        let views = store
            .catalog()
            .views_after_slug(after.as_deref(), PAGE, filter)
            .await?;
        let Some(last) = views.last() else { break };
        after = Some(last.slug.clone());
        for view in &views {
            write_practice_line(&view.to_interchange(), &mut out)
                .context("scrittura non riuscita")?;
        }
        written += views.len();
    }
    out.flush().context("scrittura non riuscita")?;
    if args.output.is_some() {
        println!("Esportate {written} buone pratiche.");
    }
    Ok(())
}
