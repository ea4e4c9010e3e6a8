//! The growthdb command: parses arguments, picks the front end, maps the
//! outcome to an exit status. Everything else lives in the library.
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use growthdb::frontend::input::{ReaderSource, StdinSource};
use growthdb::frontend::{Flow, Origin, Session, Settings, report_startup_error, signals};
use growthdb::render::Format;
use growthdb::store::Store;

const EXAMPLES: &str = "\
Examples:
  growthdb --db alipay.db -f fixtures/alipay.growth
  growthdb --db alipay.db growth creators.monthly_active over 1y
  growthdb --db alipay.db --format csv -c 'growth users from 2022 to 2023 by line'
  printf 'insert 2024 users=1B\\n' | growthdb --db my.db

Run without commands at a terminal for the interactive prompt; type .help there.";

/// Historical metric snapshots in SQLite or PostgreSQL, and how much they grew.
#[derive(Parser, Debug)]
#[command(name = "growthdb", version, about, after_help = EXAMPLES)]
struct Cli {
    /// The store: a SQLite file (`:memory:` for a throw-away one), or a
    /// PostgreSQL database as postgres://USER@HOST[:PORT]/DB (password from
    /// PGPASSWORD or ~/.pgpass); created when missing.
    #[arg(
        long,
        value_name = "PATH",
        env = "GROWTHDB_DB",
        hide_env_values = true,
        default_value = "growth.db"
    )]
    db: String,

    /// Run the commands in PATH first.
    #[arg(long, value_name = "PATH")]
    init: Option<String>,

    /// Run the commands in PATH (`-` for stdin), then exit.
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    file: Option<String>,

    /// Run TEXT (commands separated by `;` or newlines); repeatable, runs after --file.
    #[arg(short = 'c', long = "command", value_name = "TEXT")]
    command: Vec<String>,

    /// Output format [default: table at a terminal, tsv otherwise].
    #[arg(long, value_name = "FMT", value_parser = Format::parse_named)]
    format: Option<Format>,

    /// Stop at the first failing command.
    #[arg(long)]
    bail: bool,

    /// Open the store read-only; data commands fail. Nothing is written,
    /// and a store in a directory that cannot be written is still read.
    #[arg(long)]
    readonly: bool,

    /// No confirmations or notes on stderr.
    #[arg(short, long)]
    quiet: bool,

    /// Print shell completions for SHELL (bash, zsh, fish, powershell, elvish) and exit.
    #[arg(long, value_name = "SHELL")]
    completions: Option<clap_complete::Shell>,

    /// Print the man page (roff) and exit.
    #[arg(long)]
    manpage: bool,

    /// A command to run last, as words: `growthdb growth users over 1y`.
    #[arg(value_name = "COMMAND WORDS")]
    words: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(shell) = cli.completions {
        // Made whole first: the generator panics when a write fails.
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "growthdb", &mut script);
        return match io::stdout().write_all(&script) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write the completions: {err}");
                ExitCode::from(1)
            }
        };
    }
    if cli.manpage {
        return match clap_mangen::Man::new(Cli::command()).render(&mut io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write the man page: {err}");
                ExitCode::from(1)
            }
        };
    }
    let format = cli.format.unwrap_or(if io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Tsv
    });
    let store = match Store::open(&cli.db, cli.readonly) {
        Ok(store) => store,
        Err(err) => {
            report_startup_error(format, &err.into());
            return ExitCode::from(1);
        }
    };
    let mut session = Session::new(
        store,
        Settings {
            format,
            bail: cli.bail,
            quiet: cli.quiet,
        },
    );
    let has_commands = cli.file.is_some() || !cli.command.is_empty() || !cli.words.is_empty();
    // At the prompt every command commits at once and Ctrl-C belongs to
    // the line editor; elsewhere a stop signal ends the input cleanly.
    if (has_commands || !io::stdin().is_terminal())
        && let Err(err) = signals::install()
    {
        eprintln!("error: cannot handle stop signals: {err}");
        return ExitCode::from(1);
    }
    run(&cli, &mut session);
    session.finish();
    if let Some(signal) = session.interrupted() {
        ExitCode::from(signal.exit_status())
    } else if session.failed() && !session.broken_pipe() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs the init file, then the commands given, or else the prompt or stdin.
fn run(cli: &Cli, session: &mut Session) {
    if let Some(path) = &cli.init
        && session.run_file(path, &Origin::File(path.clone())) == Flow::Stop
    {
        return;
    }
    let has_commands = cli.file.is_some() || !cli.command.is_empty() || !cli.words.is_empty();
    if has_commands {
        if let Some(path) = &cli.file {
            let flow = if path == "-" {
                session.run(&mut StdinSource::new(), &Origin::Batch)
            } else {
                session.run_file(path, &Origin::Batch)
            };
            if flow == Flow::Stop {
                return;
            }
        }
        for text in &cli.command {
            if session.run(&mut ReaderSource::new(text.as_bytes()), &Origin::Direct) == Flow::Stop {
                return;
            }
        }
        if !cli.words.is_empty() {
            let text = cli.words.join(" ");
            session.run(&mut ReaderSource::new(text.as_bytes()), &Origin::Direct);
        }
    } else if io::stdin().is_terminal() {
        session.run_prompt();
    } else {
        session.run(&mut StdinSource::new(), &Origin::Batch);
    }
}
