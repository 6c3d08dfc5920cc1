//! The expiry centre, expiry notices and the settings behind them, against the sandbox: keys born
//! and expiring when the test says, synced over HTTP.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use keyward_core::model::settings::Settings;
use keyward_core::model::{KeyStatus, NewAccount, Service, SyncProgress};
use keyward_core::ops::expiry::NoticeStage;
use keyward_core::vault::MemoryVault;
use keyward_core::{ErrorCode, HttpConfig, Keyward};
use keyward_sandbox::{spawn, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};

fn open(dir: &std::path::Path) -> Keyward {
    let http = HttpConfig { min_backoff: Duration::from_millis(5), max_backoff: Duration::from_millis(50), ..Default::default() };
    Keyward::open(dir, Arc::new(MemoryVault::default()), http).unwrap()
}

/// Respan keys at known distances from their expiry, synced into a fresh store.
async fn synced() -> (Keyward, SandboxHandle, tempfile::TempDir) {
    let sandbox = spawn(SandboxConfig::default()).await.unwrap();
    {
        let mut w = sandbox.world();
        let now = Utc::now();
        let h = |n: i64| now + chrono::Duration::hours(n);
        w.respan.place("three-days-left", h(-24 * 60), h(24 * 3));
        w.respan.place("half-an-hour-left", h(-24 * 60), h(0) + chrono::Duration::minutes(30));
        w.respan.place("born-short", h(0), h(0) + chrono::Duration::minutes(10));
        w.respan.place("ten-days-left", h(-24 * 60), h(24 * 10));
        w.respan.place("expired-yesterday", h(-24 * 60), h(-24));
        w.respan.place("next-year", h(-24), h(24 * 365));
    }
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path());
    let input = NewAccount {
        service: Service::Respan,
        label: "Gateway".into(),
        host: sandbox.base_url.clone(),
        org_name: None,
        token: DEFAULT_TOKEN.to_string().into(),
    };
    let id = core.add_account(input).await.unwrap().id;
    core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    (core, sandbox, dir)
}

fn names(keys: &[keyward_core::model::KeyRow]) -> Vec<&str> {
    keys.iter().map(|k| k.name.as_str()).collect()
}

#[tokio::test]
async fn the_centre_lists_what_expired_or_expires_soonest_first() {
    let (core, _sb, _dir) = synced().await;
    let centre = core.expiry_centre().unwrap();
    assert_eq!((centre.window_days, centre.horizon_days), (7, 30));
    assert_eq!(names(&centre.keys), ["expired-yesterday", "born-short", "half-an-hour-left", "three-days-left", "ten-days-left"]);
    assert_eq!(centre.attention, 4, "the ten-day key is on the timeline, not yet in need of attention");
    assert_eq!(centre.keys[4].status, KeyStatus::Active);

    // An expired key can be set aside; one that is only expiring cannot.
    let expired = centre.keys[0].id.clone();
    assert_eq!(core.dismiss_expired(&centre.keys[3].id).unwrap_err().code, ErrorCode::InvalidInput);
    core.dismiss_expired(&expired).unwrap();
    assert_eq!(core.expiry_centre().unwrap().attention, 3);
    assert_eq!(core.find_key(&expired, None).unwrap().status, KeyStatus::Expired, "it stays in the inventory");
}

#[tokio::test]
async fn a_wider_window_makes_more_keys_expiring_and_bad_settings_change_nothing() {
    let (core, _sb, dir) = synced().await;
    let bad = Settings { expiry_window_days: 0, ..Settings::default() };
    let e = core.save_settings(bad).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("expiry_window_days"));
    assert_eq!(core.settings(), Settings::default());

    core.save_settings(Settings { expiry_window_days: 14, ..Settings::default() }).unwrap();
    let centre = core.expiry_centre().unwrap();
    assert_eq!(centre.attention, 5);
    assert_eq!(centre.keys.iter().find(|k| k.name == "ten-days-left").unwrap().status, KeyStatus::Expiring);
    drop(core);
    assert_eq!(open(dir.path()).settings().expiry_window_days, 14, "kept across a restart");
}

#[tokio::test]
async fn notices_come_once_each_and_not_again_after_a_restart() {
    let (core, _sb, dir) = synced().await;
    let notices = core.due_notices(Utc::now()).unwrap();
    let got: Vec<(String, NoticeStage)> = notices.iter().map(|n| (n.title.clone(), n.stage)).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "Temporary key “half-an-hour-left” expires in 30 minutes");
    assert_eq!(got[0].1, NoticeStage::Hour);
    assert_eq!((got[1].0.as_str(), got[1].1), ("Temporary key “three-days-left” expires in 3 days", NoticeStage::Window));
    assert!(notices[1].body.starts_with("Respan · Gateway. It expires "), "{}", notices[1].body);

    assert!(core.due_notices(Utc::now()).unwrap().is_empty(), "each is raised once");
    drop(core);
    let core = open(dir.path());
    assert!(core.due_notices(Utc::now()).unwrap().is_empty(), "and not again after a restart");
    // Later, the three-day key's last hour: its second notice.
    let later = Utc::now() + chrono::Duration::hours(24 * 3 - 1) + chrono::Duration::minutes(10);
    let last_hour = core.due_notices(later).unwrap();
    assert_eq!(last_hour.iter().map(|n| n.stage).collect::<Vec<_>>(), [NoticeStage::Hour]);
}

/// The window and the notices timer (`keyward notices raise`) are two processes on one store,
/// and may look at the same moment: each notice is raised by one of them, never by both.
#[tokio::test]
async fn two_keywards_looking_at_once_raise_each_notice_once_between_them() {
    let (core, _sb, dir) = synced().await;
    drop(core);
    let (window, timer) = (Arc::new(open(dir.path())), Arc::new(open(dir.path())));
    let now = Utc::now();
    let start = Arc::new(std::sync::Barrier::new(2));
    let look = |core: Arc<Keyward>| {
        let start = start.clone();
        std::thread::spawn(move || {
            start.wait();
            core.due_notices(now).unwrap().into_iter().map(|n| n.title).collect::<Vec<_>>()
        })
    };
    let (a, b) = (look(window), look(timer));
    let mut raised = [a.join().unwrap(), b.join().unwrap()].concat();
    raised.sort();
    assert_eq!(raised, ["Temporary key “half-an-hour-left” expires in 30 minutes", "Temporary key “three-days-left” expires in 3 days"]);
}

#[tokio::test]
async fn notices_can_be_turned_off() {
    let (core, _sb, _dir) = synced().await;
    core.save_settings(Settings { notify_expiry: false, ..Settings::default() }).unwrap();
    assert!(core.due_notices(Utc::now()).unwrap().is_empty());
    core.save_settings(Settings::default()).unwrap();
    assert_eq!(core.due_notices(Utc::now()).unwrap().len(), 2, "turning them off did not mark them raised");
}

#[tokio::test]
async fn old_keys_are_flagged_for_rotation_by_the_settings_age() {
    let (core, _sb, _dir) = synced().await;
    let flagged = |core: &Keyward| {
        let mut v: Vec<String> = core.list_keys(&Default::default()).unwrap().into_iter().filter(|k| k.rotate_due).map(|k| k.name).collect();
        v.sort();
        v
    };
    // 60 days old and live: not yet at 90; the expired one is never flagged.
    assert!(flagged(&core).is_empty());
    core.save_settings(Settings { rotate_after_days: 30, ..Settings::default() }).unwrap();
    assert_eq!(flagged(&core), ["half-an-hour-left", "ten-days-left", "three-days-left"]);
}
