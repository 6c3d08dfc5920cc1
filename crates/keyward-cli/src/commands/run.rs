//! `keyward run`: a command started with fresh keys in its environment, minted for it alone and
//! revoked when it exits. Keyward's own words go to stderr, prefixed, so the command's output is
//! its own; the exit code is the command's (documented in `cli.rs` and the README).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus};
use std::time::Duration;

use keyward_core::model::run_spec::{self, EnvEntry, EnvValue};
use keyward_core::ops::run::{RunEnd, StartedRun};
use keyward_core::{Error, ErrorCode, Keyward, Result};

/// The template `keyward run` reads when given no --env and no --env-file.
pub const TEMPLATE_FILE: &str = ".env.keyward";

/// The run never started: an entry was refused, or a key could not be minted (nothing is left live).
const EXIT_NOT_STARTED: u8 = 125;
/// The command was found but could not be run.
const EXIT_CANNOT_RUN: u8 = 126;
const EXIT_NOT_FOUND: u8 = 127;
/// The command ran, but a key minted for it could not be revoked (stderr names it).
const EXIT_KEY_LEFT_LIVE: u8 = 124;
/// A command asked to stop for a restart gets this long before it is killed.
const RESTART_GRACE: Duration = Duration::from_secs(10);

#[derive(clap::Args)]
pub struct RunArgs {
    /// NAME=VALUE for the command's environment. A VALUE of KIND@ACCOUNT?limit=value&... is a key
    /// minted for this run (KIND: respan-temp, braintrust-proxy or barndoor-gateway-key; ttl=15m
    /// sets its life, 1h unless given, at most 1 day); any other VALUE is set as it is. Repeat;
    /// wins over a file's line of the same NAME.
    #[arg(long = "env", short = 'e', value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    /// A template of NAME=VALUE lines (`#` comments). Repeat. With no --env and no --env-file,
    /// ./.env.keyward is read when it exists.
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Say nothing on stderr unless something goes wrong.
    #[arg(long, short)]
    pub quiet: bool,
    /// For a server that outlives its keys: shortly before the first key expires, mint fresh
    /// ones, stop the command (SIGTERM, then SIGKILL after 10 s), start it again with them, and
    /// revoke the old. Ends when the command exits by itself.
    #[arg(long)]
    pub restart_before_expiry: bool,
    /// The command and its arguments, after `--`.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

struct Voice {
    quiet: bool,
}

impl Voice {
    fn say(&self, text: &str) {
        if !self.quiet {
            eprintln!("keyward: {text}");
        }
    }

    /// Said even with --quiet.
    fn warn(&self, text: &str) {
        eprintln!("keyward: {text}");
    }

    /// An entry's error is named by its flag ("--env KEY: …"); the rest as the core says them.
    fn error(&self, e: &Error) {
        match e.field.as_deref() {
            Some(field @ ("env" | "env_file")) => self.warn(&format!("error: {} {}", crate::flag_for(field), e.message)),
            _ => self.warn(&format!("error: {}", e.message)),
        }
    }
}

pub async fn run(core: &Keyward, args: RunArgs) -> ExitCode {
    let voice = Voice { quiet: args.quiet };
    let entries = match entries(&args, &voice) {
        Ok(e) => e,
        Err(e) => {
            voice.error(&e);
            return ExitCode::from(EXIT_NOT_STARTED);
        }
    };
    let program = args.command[0].clone();
    let command = run_spec::command_name(&program.to_string_lossy());
    let mut run = match start(core, &entries, &command, &voice).await {
        Ok(run) => run,
        Err(code) => return code,
    };
    let forwarding = Forwarding::start();
    let code = loop {
        let mut child = match spawn(&args.command, &entries, &run) {
            Ok(child) => child,
            Err(e) => {
                let code = if e.kind() == std::io::ErrorKind::NotFound { EXIT_NOT_FOUND } else { EXIT_CANNOT_RUN };
                voice.warn(&format!("error: {} cannot be run: {e}", program.to_string_lossy()));
                let left = finish(core, &run, &voice).await;
                break if left { EXIT_KEY_LEFT_LIVE } else { code };
            }
        };
        let pid = child.id();
        if let Err(e) = core.run_command_started(&run.id, pid) {
            voice.warn(&format!("could not note the command's pid ({}); its keys end at their expiry if keyward is killed", e.message));
        }
        forwarding.to(pid);
        let waiting = tokio::task::spawn_blocking(move || child.wait());
        tokio::pin!(waiting);
        let restart_at = if args.restart_before_expiry { restart_delay(&run) } else { None };
        let mut next = None;
        let status = match restart_at {
            None => (&mut waiting).await,
            Some(delay) => tokio::select! {
                status = &mut waiting => status,
                () = tokio::time::sleep(delay) => {
                    next = renew(core, &entries, &command, &voice).await;
                    if next.is_some() && !waiting.is_finished() {
                        voice.say(&format!("restarting {command} with fresh keys before they expire"));
                        let _ = keyward_core::process::ask_to_stop(pid);
                        match tokio::time::timeout(RESTART_GRACE, &mut waiting).await {
                            Ok(status) => status,
                            Err(_) => {
                                let _ = keyward_core::process::end_now(pid);
                                (&mut waiting).await
                            }
                        }
                    } else {
                        // It ended by itself while the fresh keys were minted: it is not restarted.
                        if let Some(fresh) = next.take() {
                            if waiting.is_finished() {
                                finish(core, &fresh, &voice).await;
                            } else {
                                next = Some(fresh);
                            }
                        }
                        (&mut waiting).await
                    }
                }
            },
        };
        forwarding.to(0);
        let left = finish(core, &run, &voice).await;
        let status = match status {
            Ok(Ok(status)) => status,
            Ok(Err(e)) => {
                voice.warn(&format!("error: lost track of {command}: {e}"));
                break EXIT_KEY_LEFT_LIVE;
            }
            Err(e) => {
                voice.warn(&format!("error: lost track of {command}: {e}"));
                break EXIT_KEY_LEFT_LIVE;
            }
        };
        match next {
            Some(fresh) if !left => run = fresh,
            Some(fresh) => {
                // The old keys could not all be revoked: stop here rather than pile up more.
                finish(core, &fresh, &voice).await;
                break EXIT_KEY_LEFT_LIVE;
            }
            None => {
                let code = exit_code(status);
                if left {
                    voice.warn(&format!("{command} exited with {code}; exiting with {EXIT_KEY_LEFT_LIVE} because a key is still live"));
                    break EXIT_KEY_LEFT_LIVE;
                }
                break code;
            }
        }
    };
    forwarding.close();
    ExitCode::from(code)
}

/// The entries of the files, then --env over them; the default template when given neither.
fn entries(args: &RunArgs, voice: &Voice) -> Result<Vec<EnvEntry>> {
    let files: Vec<PathBuf> = if args.env.is_empty() && args.env_file.is_empty() {
        let default = PathBuf::from(TEMPLATE_FILE);
        if !default.exists() {
            return Err(Error::invalid(
                "env",
                format!("names nothing to mint: give --env NAME=KIND@ACCOUNT, --env-file FILE, or put a {TEMPLATE_FILE} in this folder."),
            ));
        }
        let shown = std::env::current_dir().map(|d| d.join(TEMPLATE_FILE)).unwrap_or(default.clone());
        voice.say(&format!("using {}", shown.display()));
        vec![default]
    } else {
        args.env_file.clone()
    };
    let mut out: Vec<(EnvEntry, String)> = Vec::new();
    for file in &files {
        for entry in read_template(file)? {
            if let Some((_, other)) = out.iter().find(|(e, _)| e.name == entry.name) {
                return Err(Error::invalid("env_file", format!("{}: {} is set in {other} too.", file.display(), entry.name)));
            }
            out.push((entry, file.display().to_string()));
        }
    }
    for text in &args.env {
        let entry = run_spec::parse_entry(text, "env")?;
        out.retain(|(e, _)| e.name != entry.name);
        out.push((entry, "--env".into()));
    }
    Ok(out.into_iter().map(|(e, _)| e).collect())
}

fn read_template(file: &Path) -> Result<Vec<EnvEntry>> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::invalid("env_file", format!("{}: {e}", file.display())))?;
    run_spec::parse_template(&text, &file.display().to_string())
}

async fn start(core: &Keyward, entries: &[EnvEntry], command: &str, voice: &Voice) -> std::result::Result<StartedRun, ExitCode> {
    match core.start_run(entries, command).await {
        Ok(run) => {
            voice.say(&minted_words(&run, command));
            Ok(run)
        }
        Err(e) => {
            voice.error(&e);
            Err(ExitCode::from(EXIT_NOT_STARTED))
        }
    }
}

fn minted_words(run: &StartedRun, command: &str) -> String {
    if run.keys.is_empty() {
        return format!("this run mints no key; starting {command}");
    }
    let each: Vec<String> = run
        .keys
        .iter()
        .map(|k| {
            let name = k.run.as_ref().map(|r| r.env_name.as_str()).unwrap_or(&k.name);
            let until = k.expires_at.map(|e| format!(", until {}", e.with_timezone(&chrono::Local).format("%H:%M"))).unwrap_or_default();
            format!("{name} ({} on {} '{}'{until})", k.kind.label(), k.service.display_name(), k.account_label)
        })
        .collect();
    let n = run.keys.len();
    format!("minted {n} {} for {command}: {}; revoked when it exits", if n == 1 { "key" } else { "keys" }, each.join(", "))
}

/// The next set of keys for a restart; `None` (and the command keeps running) when they cannot be minted.
async fn renew(core: &Keyward, entries: &[EnvEntry], command: &str, voice: &Voice) -> Option<StartedRun> {
    match core.start_run(entries, command).await {
        Ok(run) => Some(run),
        Err(e) => {
            voice.warn(&format!("could not mint fresh keys for a restart ({}); {command} keeps running until its keys expire", e.message));
            None
        }
    }
}

/// How long until a restart: a tenth of the shortest key's life before it ends, at most 5 minutes.
fn restart_delay(run: &StartedRun) -> Option<Duration> {
    let now = chrono::Utc::now();
    let (born, ends) =
        run.keys.iter().filter_map(|k| k.expires_at.map(|e| (k.run.as_ref().map(|r| r.started_at).unwrap_or(now), e))).min_by_key(|(_, e)| *e)?;
    let life = (ends - born).to_std().unwrap_or_default();
    let margin = (life / 10).min(Duration::from_secs(300));
    Some((ends - now).to_std().unwrap_or_default().saturating_sub(margin))
}

fn spawn(command: &[OsString], entries: &[EnvEntry], run: &StartedRun) -> std::io::Result<std::process::Child> {
    let mut child = Command::new(&command[0]);
    child.args(&command[1..]);
    for entry in entries {
        if let EnvValue::Plain(value) = &entry.value {
            child.env(&entry.name, value);
        }
    }
    for (name, secret) in &run.secrets {
        child.env(name, secret.expose());
    }
    child.spawn()
}

/// Revokes the run's keys and says how it went; true when a key is left live.
async fn finish(core: &Keyward, run: &StartedRun, voice: &Voice) -> bool {
    match core.finish_run(run).await {
        Ok(end) => tell_end(&end, voice.quiet, ""),
        Err(e) => {
            voice.warn(&format!("error: the run's keys could not be revoked: {}", e.message));
            for k in &run.keys {
                voice.warn(&format!("still live: {} “{}”; to revoke it: keyward revoke {}", k.kind.label(), k.name, k.id));
            }
            true
        }
    }
}

/// Says what became of a run's keys; true when one is left live.
fn tell_end(end: &RunEnd, quiet: bool, of: &str) -> bool {
    let say = |t: &str| {
        if !quiet {
            eprintln!("keyward: {t}");
        }
    };
    if !end.revoked.is_empty() {
        let n = end.revoked.len();
        say(&format!("revoked {n} {}{of}", if n == 1 { "key" } else { "keys" }));
    }
    for k in &end.expiring {
        let until = k.expires_at.map(|e| format!(" at {}", e.with_timezone(&chrono::Local).format("%H:%M"))).unwrap_or_default();
        say(&format!("{} “{}”{of} cannot be revoked; it expires by itself{until}", k.kind.label(), k.name));
    }
    for f in &end.failed {
        let k = &f.key;
        eprintln!("keyward: not revoked: {} “{}”{of}: {}. To revoke it: keyward revoke {}", k.kind.label(), k.name, f.error.message, k.id);
    }
    !end.failed.is_empty()
}

/// The command's code, or 128 + the signal that ended it, as a shell reports it.
fn exit_code(status: ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128u8.saturating_add(signal as u8);
        }
    }
    status.code().map(|c| c as u8).unwrap_or(1)
}

/// Passes SIGINT, SIGTERM and SIGHUP on to the command, and keeps them from ending Keyward
/// before it has revoked the keys. A signal the terminal sent (Ctrl-C, a hang-up) already
/// reached the command, which is in the same foreground process group, so only a signal sent
/// to Keyward itself (`kill`) is passed on: the command gets each signal once.
struct Forwarding {
    /// The command's pid; 0 between commands (a restart), when nothing is passed on.
    pid: std::sync::Arc<std::sync::atomic::AtomicU32>,
    #[cfg(unix)]
    handle: Option<signal_hook::iterator::Handle>,
}

impl Forwarding {
    fn start() -> Forwarding {
        let pid = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            use signal_hook::iterator::exfiltrator::WithOrigin;
            use signal_hook::iterator::SignalsInfo;
            use signal_hook::low_level::siginfo::Cause;
            let handle = match SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM, SIGHUP]) {
                Ok(mut signals) => {
                    let handle = signals.handle();
                    let to = pid.clone();
                    std::thread::spawn(move || {
                        for origin in signals.forever() {
                            let pid = to.load(std::sync::atomic::Ordering::SeqCst);
                            if pid != 0 && !matches!(origin.cause, Cause::Kernel) {
                                let _ = keyward_core::process::send_signal(pid, origin.signal);
                            }
                        }
                    });
                    Some(handle)
                }
                Err(e) => {
                    eprintln!("keyward: signals will not reach the command ({e})");
                    None
                }
            };
            Forwarding { pid, handle }
        }
        #[cfg(not(unix))]
        Forwarding { pid }
    }

    fn to(&self, pid: u32) {
        self.pid.store(pid, std::sync::atomic::Ordering::SeqCst);
    }

    fn close(self) {
        #[cfg(unix)]
        if let Some(handle) = self.handle {
            handle.close();
        }
    }
}

/// Says what the start found: runs whose processes are gone, ended now. Failures are said and
/// left for the next start.
pub async fn reap(core: &Keyward) {
    match core.reap_runs().await {
        Ok(reaped) => {
            for r in reaped {
                let started = r.started_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M");
                tell_end(&r.end, false, &format!(" left by a run of {} (started {started}) that ended without keyward", r.command));
            }
        }
        Err(e) if e.code == ErrorCode::StoreLocked => {}
        Err(e) => eprintln!("keyward: runs that ended without keyward could not be checked: {}", e.message),
    }
}
