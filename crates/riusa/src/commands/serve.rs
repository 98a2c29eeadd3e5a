use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use riusa_search::{Follower, SearchIndex};
use riusa_web::{AppState, WebConfig};
use tokio::sync::watch;

use crate::config::{Config, ServeArgs};

/// Listens before the search index is built or brought up to the change feed: a new node of a
/// large hub rebuilds for a minute or more, and meanwhile `/healthz` answers, `/readyz` and
/// searches answer 503, and practice pages render without their similar practices.
pub async fn run(config: Config, args: ServeArgs) -> anyhow::Result<()> {
    tracing::info!(?config, "starting");
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("impossibile ascoltare su {}", config.listen))?;
    let store = super::open_store(&config).await?;
    if args.demo {
        super::import::demo(&store)
            .await
            .context("caricamento dei contenuti dimostrativi non riuscito")?;
    }
    let index = SearchIndex::open(&config.index_dir()).with_context(|| {
        format!(
            "impossibile aprire l'indice in {}",
            config.index_dir().display()
        )
    })?;
    let index = Arc::new(index);
    let follower = Follower::new(store.clone(), Arc::clone(&index))
        .context("indice di ricerca illeggibile")?;
    let (stop, stopped) = watch::channel(false);
    let following =
        tokio::spawn(follower.run(Duration::from_millis(config.follow_interval_ms), stopped));

    let web = WebConfig {
        request_timeout: Duration::from_secs(config.request_timeout_secs),
        #[cfg(feature = "bench")]
        bench_routes: args.bench_routes,
        page_cache_bytes: config.page_cache_mb * 1024 * 1024,
        result_cache_bytes: config.search_cache_mb * 1024 * 1024,
        ..WebConfig::default()
    };
    let app = riusa_web::router(AppState::new(store.clone(), index, web));
    println!(
        "Riusa è in ascolto su http://{}",
        listener.local_addr().unwrap_or(config.listen)
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server interrotto")?;
    let _ = stop.send(true);
    let _ = following.await;
    store.close().await?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
