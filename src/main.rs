//! `crossdock`: run the gateway, or check a config.

use clap::{Parser, Subcommand};
use crossdock::{app, config};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: per-thread free lists instead of glibc's arena locks. The
/// profile of `bench/load.sh` showed glibc malloc/free at about a quarter
/// of the gateway's user time (docs/benchmarks.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        // Valid, but likely not meant: said, and the exit stays 0.
        for w in plan.warnings() {
            eprintln!("crossdock: warning: {w}");
        }
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
    // `server.worker_threads` and `server.runtime`: src/runtime.rs. On
    // one thread, or one per core (the default), no runtime schedules
    // work across threads (docs/benchmarks.md).
    let server = &plan.config().server;
    let rt = match crossdock::runtime::build(server) {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("crossdock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Logs, and spans over OTLP when `[telemetry.otlp]` is set (the
    // exporter sends on the runtime).
    let cfg = plan.config();
    let exporter =
        crossdock::telemetry::init_with(&cfg.logging, cfg.telemetry.otlp.as_ref(), rt.handle());
    if server.runtime != crossdock::runtime::mode(server) {
        tracing::warn!(
            "server.runtime = \"thread_per_core\" needs Linux's SO_REUSEPORT balancing; running work_stealing"
        );
    }
    for w in plan.warnings() {
        tracing::warn!(warning = %w, "config warning");
    }
    let code = match rt.block_on(run(plan, cli.config.clone())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "crossdock stopped");
            eprintln!("crossdock: {e}");
            ExitCode::FAILURE
        }
    };
    // The spans still queued are sent (off the runtime's threads, which
    // carry the POST).
    if let Some(exporter) = exporter {
        let _ = rt.block_on(rt.spawn_blocking(move || exporter.shutdown()));
    }
    code
}

async fn run(plan: app::Plan, path: PathBuf) -> std::io::Result<()> {
    let poll_ms = plan.config().server.reload_poll_ms;
    let running = app::start(plan).await?;
    tracing::info!(public = %running.public, admin = %running.admin, "crossdock listening");
    let stop = shutdown_signal();
    tokio::pin!(stop);
    let mut reloads = reload_signals(poll_ms, path.clone(), running.watched_files());
    loop {
        tokio::select! {
            _ = &mut stop => break,
            Some(()) = reloads.recv() => {
                let _ = running.reload_file(&path, std::env::vars()).await;
            }
        }
    }
    tracing::info!("shutting down: /readyz answers 503");
    // A second signal skips what is left of the drain delay.
    running.shutdown_with(shutdown_signal()).await;
    Ok(())
}

/// A message per reload request: SIGHUP, or the modification time of the
/// config file or of a `[server.tls]` file changed (checked every
/// `poll_ms`; 0 turns the check off).
fn reload_signals(
    poll_ms: u64,
    path: PathBuf,
    watched: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
) -> tokio::sync::mpsc::Receiver<()> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    #[cfg(unix)]
    {
        let tx = tx.clone();
        tokio::spawn(async move {
            let Ok(mut hup) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
            else {
                return;
            };
            while hup.recv().await.is_some() {
                let _ = tx.try_send(());
            }
        });
    }
    if poll_ms > 0 {
        tokio::spawn(async move {
            let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
            let stamps = || {
                let files = watched.lock().map(|w| w.clone()).unwrap_or_default();
                std::iter::once(&path)
                    .chain(&files)
                    .map(|p| (p.clone(), modified(p)))
                    .collect::<Vec<_>>()
            };
            let mut last = stamps();
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(poll_ms));
            loop {
                tick.tick().await;
                let now = stamps();
                if now != last {
                    last = now;
                    let _ = tx.try_send(());
                }
            }
        });
    }
    rx
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
