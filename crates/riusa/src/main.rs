//! `riusa`: serve the platform, apply migrations, import and export data, rebuild the index.

mod bundled;
mod commands;
mod config;
mod italian_help;

use std::process::ExitCode;

use clap::FromArgMatches;

use crate::config::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&italian_help::command().get_matches()) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let config = match config::Config::load(&cli) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("errore nella configurazione: {error:#}");
            return ExitCode::from(2);
        }
    };
    config::init_logging(&config, matches!(cli.command, Command::Serve(_)));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("errore: impossibile avviare il runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.command, config)) {
        Ok(code) => code,
        Err(error) => {
            // One line, no backtrace: operators read this, not developers.
            eprintln!("errore: {error:#}");
            ExitCode::FAILURE
        }
    }
}
