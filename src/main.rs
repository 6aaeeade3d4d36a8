//! `crossdock`: run the gateway, or check a config.

use clap::{Parser, Subcommand};
use crossdock::{app, config};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "crossdock",
    version,
    about = "A unified customer / vehicle API over vendor backends"
)]
struct Cli {
    /// The config file (TOML); every key can be overridden with
    /// CROSSDOCK__SECTION__KEY environment variables.
    #[arg(long, global = true, default_value = config::DEFAULT_PATH)]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the config and exit (0 when valid), printing the effective
    /// config (file + environment + defaults) as TOML with every secret
    /// redacted.
    CheckConfig,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let plan = app::Plan::from_file(&cli.config, std::env::vars());
    let plan = match plan {
        Ok(p) => p,
        Err(errors) => {
            eprintln!(
                "crossdock: invalid config {}:\n{errors}",
                cli.config.display()
            );
            return ExitCode::from(2);
        }
    };
    if let Some(Command::CheckConfig) = cli.command {
        return match plan.effective_toml() {
            Ok(text) => {
                println!(
                    "# config {} is valid; effective config (file + environment + defaults), secrets redacted:\n{text}",
                    cli.config.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("crossdock: config is valid but cannot be printed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    crossdock::telemetry::init(&plan.config().logging);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("crossdock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(plan)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "crossdock stopped");
            eprintln!("crossdock: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(plan: app::Plan) -> std::io::Result<()> {
    let running = app::start(plan).await?;
    tracing::info!(public = %running.public, admin = %running.admin, "crossdock listening");
    shutdown_signal().await;
    tracing::info!("shutting down: draining in-flight requests");
    running.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
