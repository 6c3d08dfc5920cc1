//! `keyward run`'s core against the sandbox: a run's keys minted at once, marked, and revoked at
//! its end; a refused mint that leaves nothing live; bad entries refused before anything is
//! minted; revocations retried; and runs whose processes are gone ended by the next start.

use keyward_core::model::run_spec::{parse_entry, parse_template, EnvEntry};
use keyward_core::model::{KeyKind, KeyQuery, KeyStatus, Service};
use keyward_core::store::AuditQuery;
use keyward_sandbox::{digest, Faults, SandboxConfig};

use crate::support::{account, on_disk, rig, Rig};

const TEMPLATE: &str = "\
# what the test suite needs
OPENAI_BASE_URL=https://api.respan.ai/api/
RESPAN_KEY=respan-temp@Respan?max_usage=50&spending_limit=2.5&ttl=30m
GATEWAY_KEY=barndoor-gateway-key@Barndoor?ttl=10m
PROXY_KEY=braintrust-proxy@Braintrust?model=gpt-4o&ttl=15m
";

fn entries() -> Vec<EnvEntry> {
    parse_template(TEMPLATE, ".env.keyward").unwrap()
}

async fn three_accounts(r: &Rig) {
    account(r, Service::Respan).await;
    account(r, Service::Barndoor).await;
    account(r, Service::Braintrust).await;
}

fn gateway_revoked(r: &Rig) -> Vec<bool> {
    r.sandbox.world().barndoor.api_keys.iter().map(|k| !k["revoked_at"].is_null()).collect()
}

fn posts(r: &Rig) -> u64 {
    r.sandbox.world().requests.iter().filter(|(k, _)| k.starts_with("POST ")).map(|(_, n)| n).sum()
}

#[tokio::test]
async fn a_runs_keys_are_minted_marked_and_revoked_at_its_end() {
    let r = rig(SandboxConfig::default()).await;
    three_accounts(&r).await;
    let before = chrono::Utc::now();
    let run = r.core.start_run(&entries(), "/usr/local/bin/pytest").await.unwrap();

    let names: Vec<&str> = run.secrets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["RESPAN_KEY", "GATEWAY_KEY", "PROXY_KEY"], "the plain value is not minted");
    let minted = r.sandbox.world().minted_digests.clone();
    for (name, secret) in &run.secrets {
        assert!(minted.contains(&digest(secret.expose())), "{name} is what the service minted");
        assert!(!on_disk(&r, secret.expose()), "{name}'s secret is on no disk");
    }
    let respan = r.sandbox.world().respan.keys.clone();
    assert_eq!(respan.len(), 1);
    assert_eq!(respan[0].name, "RESPAN_KEY for pytest (keyward run)");
    assert_eq!((respan[0].max_usage, respan[0].spending_limit), (50, Some(2.5)));
    let ends = respan[0].expiry_date.unwrap();
    assert!(ends > before + chrono::Duration::minutes(29) && ends < before + chrono::Duration::minutes(31), "ttl=30m: {ends}");

    let listed = r.core.list_keys(&KeyQuery { from_run: Some(true), ..Default::default() }).unwrap();
    assert_eq!(listed.len(), 3);
    for key in &listed {
        let mark = key.run.as_ref().unwrap();
        assert_eq!((mark.command.as_str(), mark.pid, mark.ended_at), ("pytest", std::process::id(), None));
        assert!(key.expires_at.is_some(), "{} expires by itself", key.name);
    }

    let end = r.core.finish_run(&run).await.unwrap();
    assert_eq!(end.revoked.len(), 2);
    assert_eq!(
        end.expiring.iter().map(|k| k.kind).collect::<Vec<_>>(),
        [KeyKind::BraintrustProxyCredential],
        "a proxy credential is bounded by its ttl"
    );
    assert!(end.failed.is_empty());
    assert!(r.sandbox.world().respan.keys.is_empty(), "the Respan key was deleted");
    assert_eq!(gateway_revoked(&r), [true]);
    for key in r.core.list_keys(&KeyQuery { from_run: Some(true), include_gone: Some(true), ..Default::default() }).unwrap() {
        assert!(key.run.unwrap().ended_at.is_some());
        if key.kind != KeyKind::BraintrustProxyCredential {
            assert_eq!(key.status, KeyStatus::Revoked);
        }
    }
    let audit = r.core.audit(&AuditQuery::default()).unwrap();
    let of = |action: &str| audit.iter().filter(|e| e.action == action).map(|e| e.target.clone()).collect::<Vec<_>>();
    assert_eq!(of("run.start"), ["pytest"]);
    assert_eq!(of("run.end"), ["pytest"]);
    let creates: Vec<_> = audit.iter().filter(|e| e.action == "key.create").collect();
    assert_eq!(creates.len(), 3);
    assert!(creates.iter().all(|e| e.detail.as_deref().is_some_and(|d| d.ends_with(" · keyward run pytest"))), "{creates:?}");
    assert_eq!(of("key.revoke").len(), 2);
}

#[tokio::test]
async fn one_refused_mint_revokes_the_others_and_names_the_variable() {
    let r = rig(SandboxConfig::default()).await;
    three_accounts(&r).await;
    // Barndoor now refuses this token: the gateway key cannot be minted, the Respan key can.
    r.sandbox.world().barndoor.non_admin_tokens.push(keyward_sandbox::DEFAULT_TOKEN.into());
    let err = r.core.start_run(&entries(), "server").await.err().unwrap();
    assert!(err.message.starts_with("GATEWAY_KEY: "), "{}", err.message);
    assert!(err.message.contains("The command was not started."), "{}", err.message);
    assert!(err.message.contains("were revoked"), "{}", err.message);
    assert!(r.sandbox.world().respan.keys.is_empty(), "the Respan key minted beside it was revoked");
    let live: Vec<_> = r.core.list_keys(&KeyQuery { from_run: Some(true), ..Default::default() }).unwrap();
    assert!(live.iter().all(|k| k.status == KeyStatus::Revoked || k.kind == KeyKind::BraintrustProxyCredential), "{live:?}");
}

#[tokio::test]
async fn bad_entries_are_refused_by_name_before_anything_is_minted() {
    let r = rig(SandboxConfig::default()).await;
    three_accounts(&r).await;
    let posts_before = posts(&r);
    let core = &r.core;
    let refused = |line: &'static str| async move {
        let entry = parse_entry(line, "env").unwrap();
        core.start_run(&[entry], "job").await.err().unwrap()
    };
    let e = refused("KEY=respan-temp@Nobody").await;
    assert_eq!(e.field.as_deref(), Some("env"));
    assert!(e.message.starts_with("KEY: No account has the id or label 'Nobody'"), "{}", e.message);
    let e = refused("KEY=respan-temp@Barndoor").await;
    assert!(e.message.contains("is a Barndoor account; respan-temp is minted on a Respan account"), "{}", e.message);
    let e = refused("KEY=respan-temp@Respan?max_usage=0").await;
    assert!(e.message.starts_with("KEY: Allow at least 1 use"), "{}", e.message);
    let e = refused("KEY=respan-temp@Respan?spending_limit=lots").await;
    assert!(e.message.contains("not an amount"), "{}", e.message);
    assert_eq!(posts(&r), posts_before, "nothing was sent");
    assert!(r.core.list_keys(&KeyQuery { from_run: Some(true), ..Default::default() }).unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_revocation_is_retried_and_one_that_keeps_failing_is_tried_again_later() {
    let r = rig(SandboxConfig::default()).await;
    account(&r, Service::Respan).await;
    let entry = parse_entry("KEY=respan-temp@Respan?ttl=5m", "env").unwrap();

    let run = r.core.start_run(std::slice::from_ref(&entry), "worker").await.unwrap();
    r.sandbox.world().faults = Faults { error_500_next: 2, ..Default::default() };
    let end = r.core.finish_run(&run).await.unwrap();
    assert_eq!((end.revoked.len(), end.failed.len()), (1, 0), "two 500s are ridden out");
    assert!(r.sandbox.world().respan.keys.is_empty());

    let run = r.core.start_run(&[entry], "worker").await.unwrap();
    r.sandbox.world().faults = Faults { error_500_next: 1_000, ..Default::default() };
    let end = r.core.finish_run(&run).await.unwrap();
    assert_eq!(end.failed.len(), 1);
    assert_eq!(end.failed[0].key.id, run.keys[0].id, "the key still live is named");
    assert_eq!(r.sandbox.world().respan.keys.len(), 1);
    let key = r.core.list_keys(&KeyQuery { from_run: Some(true), ..Default::default() }).unwrap();
    assert!(key.iter().any(|k| k.id == run.keys[0].id && k.run.as_ref().unwrap().ended_at.is_none()), "the run is still open");

    r.sandbox.world().faults = Faults::default();
    let end = r.core.finish_run(&run).await.unwrap();
    assert_eq!((end.revoked.len(), end.failed.len()), (1, 0));
    assert!(r.sandbox.world().respan.keys.is_empty());
}

/// Points a run at other processes, as if another `keyward` had started it.
fn hand_over(r: &Rig, run_id: &str, keeper: u32, child: Option<u32>) {
    let conn = rusqlite::Connection::open(r.dir.path().join("keyward.db")).unwrap();
    conn.execute(
        "UPDATE runs SET keeper_pid = ?2, keeper_started = NULL, child_pid = ?3, child_started = NULL WHERE id = ?1",
        rusqlite::params![run_id, keeper, child],
    )
    .unwrap();
}

fn ended_pid() -> u32 {
    let mut p = std::process::Command::new("true").spawn().unwrap();
    p.wait().unwrap();
    p.id()
}

#[tokio::test]
async fn a_run_whose_processes_are_gone_is_ended_by_the_next_start_and_a_live_one_is_not() {
    let r = rig(SandboxConfig::default()).await;
    account(&r, Service::Respan).await;
    account(&r, Service::Barndoor).await;
    let entries =
        vec![parse_entry("A=respan-temp@Respan?ttl=5m", "env").unwrap(), parse_entry("B=barndoor-gateway-key@Barndoor?ttl=5m", "env").unwrap()];
    let dead = r.core.start_run(&entries, "crashed").await.unwrap();
    let alive = r.core.start_run(&entries[..1], "still-going").await.unwrap();
    hand_over(&r, &dead.id, ended_pid(), Some(ended_pid()));
    let mut command = std::process::Command::new("sleep").arg("30").spawn().unwrap();
    hand_over(&r, &alive.id, ended_pid(), Some(command.id()));

    let reaped = r.core.reap_runs().await.unwrap();
    assert_eq!(reaped.len(), 1, "only the run with no process left");
    assert_eq!(reaped[0].command, "crashed");
    assert_eq!(reaped[0].end.revoked.len(), 2);
    assert_eq!(gateway_revoked(&r), [true]);
    assert_eq!(r.sandbox.world().respan.keys.len(), 1, "the live run's key stays");
    assert!(r.core.reap_runs().await.unwrap().is_empty(), "ended once");

    command.kill().unwrap();
    command.wait().unwrap();
    let reaped = r.core.reap_runs().await.unwrap();
    assert_eq!(reaped.iter().map(|r| r.command.as_str()).collect::<Vec<_>>(), ["still-going"], "its command has ended now");
    assert!(r.sandbox.world().respan.keys.is_empty());
}
