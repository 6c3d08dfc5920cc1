//! The services misbehaving in the middle of a sync, on every service: a 429 storm with
//! Retry-After is waited out (and given up politely when it lasts), 5xx and broken connections
//! mid-listing end in either a complete sync or the previous cache untouched. Nothing in between.

use std::sync::Arc;
use std::time::{Duration, Instant};

use keyward_core::model::new_key::NewKey;
use keyward_core::model::{KeyQuery, NewAccount, Service, SyncProgress};
use keyward_core::vault::MemoryVault;
use keyward_core::{ErrorCode, HttpConfig, Keyward};
use keyward_sandbox::{spawn, Faults, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};

struct Rig {
    core: Keyward,
    sb: SandboxHandle,
    id: String,
    _dir: tempfile::TempDir,
}

/// One sandbox per service, so each one's faults hit only its own sync; several pages or lists.
async fn rig(service: Service) -> Rig {
    let sb = spawn(SandboxConfig { seed_keys: 230, seed_respan_keys: 230, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let http = HttpConfig { min_backoff: Duration::from_millis(5), max_backoff: Duration::from_millis(50), ..Default::default() };
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http).unwrap();
    let input =
        NewAccount { service, label: format!("{service:?}"), host: sb.base_url.clone(), org_name: None, token: DEFAULT_TOKEN.to_string().into() };
    let id = core.add_account(input).await.unwrap().id;
    if service == Service::Barndoor {
        for n in 0..3 {
            core.create_key(&id, NewKey::BarndoorGatewayKey { name: format!("gw-{n}"), expires_at: None, access: Default::default() }).await.unwrap();
        }
    }
    core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    Rig { core, sb, id, _dir: dir }
}

fn requests(r: &Rig) -> u64 {
    r.sb.world().requests.values().sum()
}

fn cached(r: &Rig) -> Vec<String> {
    let mut ids: Vec<String> = r.core.list_keys(&KeyQuery::default()).unwrap().into_iter().map(|k| k.id).collect();
    ids.sort();
    ids
}

/// Something new at the service, so a completed sync and a failed one leave different caches.
async fn change_at_service(r: &Rig, service: Service, n: usize) {
    match service {
        Service::Braintrust => r.sb.world().braintrust.add_seeded(1),
        Service::Respan => {
            r.core
                .create_key(
                    &r.id,
                    NewKey::RespanTempKey {
                        name: Some(format!("new-{n}")),
                        expiry_date: None,
                        max_usage: None,
                        rate_limit: None,
                        spending_limit: None,
                        is_test: None,
                    },
                )
                .await
                .unwrap();
        }
        Service::Barndoor => {
            r.core
                .create_key(&r.id, NewKey::BarndoorGatewayKey { name: format!("new-{n}"), expires_at: None, access: Default::default() })
                .await
                .unwrap();
        }
    }
}

/// Clean sync cost, in requests, measured rather than assumed.
async fn clean_cost(r: &Rig) -> u64 {
    let before = requests(r);
    r.core.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
    requests(r) - before
}

async fn storm(service: Service) {
    let r = rig(service).await;
    let cost = clean_cost(&r).await;
    assert!(cost >= 2, "{service:?}: a sync of several requests ({cost})");

    // Three 429s in a row after the first request, each asking for a second.
    r.sb.world().faults = Faults { pass_next: 1, rate_limit_next: 3, retry_after_secs: 1, ..Default::default() };
    let (before, started) = (requests(&r), Instant::now());
    r.core.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap_or_else(|e| panic!("{service:?}: {}", e.message));
    let (waited, spent) = (started.elapsed(), requests(&r) - before);
    assert!(waited >= Duration::from_secs(3), "{service:?}: Retry-After honoured ({waited:?})");
    assert_eq!(spent, cost + 3, "{service:?}: one retry per 429, no tight loop");

    // A storm that outlasts the retries: the sync gives up, says when to try, and keeps the cache.
    let kept = cached(&r);
    r.sb.world().faults = Faults { rate_limit_next: 1_000, retry_after_secs: 1, ..Default::default() };
    let (before, started) = (requests(&r), Instant::now());
    let err = r.core.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap_err();
    let spent = requests(&r) - before;
    assert_eq!(err.code, ErrorCode::RateLimited, "{service:?}");
    assert!(err.message.contains("Try again in 1 s"), "{service:?}: {}", err.message);
    assert_eq!(spent, 1 + HttpConfig::default().max_retries as u64, "{service:?}: gave up after the retries");
    assert!(started.elapsed() >= Duration::from_secs(HttpConfig::default().max_retries as u64), "{service:?}: waited each time");
    assert_eq!(cached(&r), kept, "{service:?}: the cache is untouched");
    r.sb.world().faults = Faults::default();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_storm_on_every_service_is_waited_out_or_given_up_politely() {
    tokio::join!(storm(Service::Braintrust), storm(Service::Respan), storm(Service::Barndoor));
}

async fn mid_listing(service: Service) -> (u32, u32) {
    let r = rig(service).await;
    let (mut completed, mut kept) = (0, 0);
    let cost = clean_cost(&r).await as u32;
    let faults: Vec<(&str, Faults)> = (1..cost)
        .flat_map(|pass| {
            [
                ("500 then recovery", Faults { pass_next: pass, error_500_next: 2, ..Default::default() }),
                ("reset then recovery", Faults { pass_next: pass, reset_next: 2, ..Default::default() }),
                ("500 for good", Faults { pass_next: pass, error_500_next: 1_000, ..Default::default() }),
                ("reset for good", Faults { pass_next: pass, reset_next: 1_000, ..Default::default() }),
                ("malformed", Faults { pass_next: pass, malformed_next: 1, ..Default::default() }),
            ]
        })
        .collect();
    for (n, (what, fault)) in faults.into_iter().enumerate() {
        change_at_service(&r, service, n).await;
        let before = cached(&r);
        r.sb.world().faults = fault;
        let outcome = r.core.sync_account(&r.id, &|_: SyncProgress| {}).await;
        r.sb.world().faults = Faults::default();
        let after = cached(&r);
        match outcome {
            Ok(_) => {
                completed += 1;
                let (_, fresh) = (clean_cost(&r).await, cached(&r));
                assert_eq!(after, fresh, "{service:?} {what} #{n}: a sync that succeeds has everything");
            }
            Err(e) => {
                kept += 1;
                assert_eq!(after, before, "{service:?} {what} #{n}: a failed sync leaves the cache as it was ({})", e.message);
                assert!(r.core.get_account(&r.id).unwrap().last_sync_error.is_some());
                r.core.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
            }
        }
    }
    (completed, kept)
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_and_resets_mid_listing_complete_or_keep_the_previous_cache() {
    let (b, r, d) = tokio::join!(mid_listing(Service::Braintrust), mid_listing(Service::Respan), mid_listing(Service::Barndoor));
    for (service, (completed, kept)) in [("Braintrust", b), ("Respan", r), ("Barndoor", d)] {
        assert!(completed > 0 && kept > 0, "{service}: both outcomes were exercised ({completed} completed, {kept} kept)");
        println!("{service}: {completed} syncs completed through faults, {kept} failed with the cache kept");
    }
}
