//! `riusa --help` entirely in Italian (decision 0010). Clap writes its own headings, the
//! `--help`/`--version` descriptions, the `help` subcommand and `[OPTIONS]` in English and has
//! no translation hook, so every command gets our template, our own help flag and a usage line
//! computed once from clap's and translated.

use clap::{Arg, ArgAction, Command, CommandFactory};

use crate::config::Cli;

const TEMPLATE: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";
const ARGUMENTS: &str = "Argomenti";
const OPTIONS: &str = "Opzioni";
const SHARED_ORDER: usize = 1000;

/// The command line of `riusa`, with every word of its help in Italian.
pub fn command() -> Command {
    // The options every command shares come after each command's own, help and version last.
    let shared_last = Cli::command().mut_args(|arg| {
        if arg.is_global_set() {
            arg.display_order(SHARED_ORDER)
        } else {
            arg
        }
    });
    let italian = in_italian(shared_last).disable_version_flag(true).arg(
        Arg::new("versione")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("Mostra la versione")
            .help_heading(OPTIONS)
            .display_order(SHARED_ORDER + 2),
    );
    // Usage lines exist only once clap has built the tree (it adds the global options to each
    // subcommand and names it `riusa import practices`): build a copy and read them from it.
    let mut built = italian.clone();
    built.build();
    with_italian_usage(italian, &built)
}

fn in_italian(command: Command) -> Command {
    command
        .help_template(TEMPLATE)
        .subcommand_help_heading("Comandi")
        .subcommand_value_name("COMANDO")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        // Defaults, possible values and variables are written in each option's own text:
        // clap would add them as `[default: …]`, `[possible values: …]`, `[env: …=]`.
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                ARGUMENTS
            } else {
                OPTIONS
            };
            let arg = arg.help_heading(heading).hide_env(true);
            if arg.get_action().takes_values() {
                arg.hide_default_value(true).hide_possible_values(true)
            } else {
                arg
            }
        })
        .arg(
            Arg::new("aiuto")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Mostra questo aiuto")
                .help_heading(OPTIONS)
                .display_order(SHARED_ORDER + 1),
        )
        .mut_subcommands(in_italian)
}

fn with_italian_usage(command: Command, built: &Command) -> Command {
    let usage = built.clone().render_usage().to_string();
    let usage = usage
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[OPZIONI]");
    command.override_usage(usage).mut_subcommands(|sub| {
        match built.find_subcommand(sub.get_name()) {
            Some(built_sub) => with_italian_usage(sub, built_sub),
            None => sub,
        }
    })
}

#[cfg(test)]
mod tests {
    use clap::FromArgMatches;

    use super::*;

    #[test]
    fn the_italian_command_parses_like_the_derived_one() {
        let matches = command()
            .try_get_matches_from([
                "riusa",
                "--data",
                "/tmp/x",
                "serve",
                "--listen",
                "127.0.0.1:1",
            ])
            .unwrap();
        let cli = Cli::from_arg_matches(&matches).unwrap();
        assert_eq!(cli.global.data_dir, Some("/tmp/x".into()));
    }
}
