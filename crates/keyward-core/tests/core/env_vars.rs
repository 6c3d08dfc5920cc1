//! Braintrust env vars against the sandbox over HTTP: scoped to a project picked by name, its
//! value sent once and never kept, listed with its project and last use, changed, refused where
//! Braintrust refuses, and a minted key installed into one and replaced there.

use keyward_core::model::env_var::EnvVarScope;
use keyward_core::model::key_change::KeyUpdate;
use keyward_core::model::new_key::NewKey;
use keyward_core::model::{KeyKind, KeyQuery, KeyStatus, Service, SyncProgress};
use keyward_core::ops::install::InstallTarget;
use keyward_sandbox::{digest, SandboxConfig};
use secrecy::SecretString;

use crate::support::{account, on_disk, rig, Rig};

fn var(name: &str, project: Option<&str>, value: &str, replace: bool) -> NewKey {
    NewKey::BraintrustEnvVar {
        name: name.into(),
        object_type: if project.is_some() { EnvVarScope::Project } else { EnvVarScope::Organization },
        object_id: project.map(str::to_string),
        value: value.to_string().into(),
        secret_type: None,
        replace_existing: Some(replace),
    }
}

fn held(r: &Rig, provider_id: &str) -> Option<String> {
    r.sandbox.world().env_var_digests.get(provider_id).cloned()
}

fn temp_key(name: &str) -> NewKey {
    NewKey::RespanTempKey { name: Some(name.into()), expiry_date: None, max_usage: Some(100), rate_limit: None, spending_limit: None, is_test: None }
}

#[tokio::test]
async fn an_env_var_lives_in_a_project_picked_by_name_and_its_value_is_never_kept() {
    let r = rig(SandboxConfig::default()).await;
    let bt = account(&r, Service::Braintrust).await;
    let projects = r.core.list_projects(&bt).await.unwrap();
    assert_eq!(projects.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["support-bot", "checkout"], "newest first, every page");
    let checkout = r.core.find_project(&bt, "checkout").await.unwrap();
    let typo = r.core.find_project(&bt, "chekout").await.unwrap_err();
    assert_eq!(typo.field.as_deref(), Some("project"));
    assert!(typo.message.contains("Did you mean “checkout”"), "{}", typo.message);

    let value = "rs-live-value-7a1c";
    let made = r.core.create_key(&bt, var("RESPAN_API_KEY", Some(&checkout.id), value, false)).await.unwrap();
    assert!(made.secret.is_none(), "a given value is never shown back");
    let row = made.key;
    assert_eq!((row.kind, row.owner.as_deref()), (KeyKind::BraintrustEnvVar, Some("project checkout")));
    assert!(row.preview.as_deref().unwrap().ends_with("7a1c"), "{:?}", row.preview);
    assert_eq!(held(&r, &row.provider_id), Some(digest(value)));
    assert!(!on_disk(&r, value), "the value reached the data dir");

    // Braintrust answers a taken name with the existing variable unchanged: Keyward says so.
    let again = r.core.create_key(&bt, var("RESPAN_API_KEY", Some(&checkout.id), "rs-other-0000", false)).await.err().unwrap();
    assert_eq!(again.field.as_deref(), Some("name"));
    assert!(again.message.contains("project checkout already has a variable named RESPAN_API_KEY"), "{}", again.message);
    assert_eq!(held(&r, &row.provider_id), Some(digest(value)), "the stored value is untouched");
    let replaced = r.core.create_key(&bt, var("RESPAN_API_KEY", Some(&checkout.id), "rs-replaced-1111", true)).await.unwrap().key;
    assert_eq!(replaced.id, row.id, "the same variable, given a new value");
    assert_eq!(held(&r, &row.provider_id), Some(digest("rs-replaced-1111")));

    let renamed = r.core.update_key(&row.id, KeyUpdate::BraintrustEnvVar { name: Some("RESPAN_KEY".into()), value: None }).await.unwrap();
    assert_eq!(renamed.name, "RESPAN_KEY");
    assert_eq!(held(&r, &row.provider_id), Some(digest("rs-replaced-1111")), "a rename keeps the value");
    let new_value = KeyUpdate::BraintrustEnvVar { name: None, value: Some("rs-patched-2222".to_string().into()) };
    let patched = r.core.update_key(&row.id, new_value).await.unwrap();
    assert_eq!((patched.name.as_str(), patched.preview.as_deref().map(|p| p.ends_with("2222"))), ("RESPAN_KEY", Some(true)));
    assert_eq!(held(&r, &row.provider_id), Some(digest("rs-patched-2222")));
    let nothing = r.core.update_key(&row.id, KeyUpdate::BraintrustEnvVar { name: None, value: None }).await.unwrap_err();
    assert_eq!(nothing.field.as_deref(), Some("value"));

    // Listed by a sync with its project's name and, once used, when.
    r.core.create_key(&bt, var("ORG_WIDE", None, "org-value-3333", false)).await.unwrap();
    let id = row.provider_id.clone();
    let used_at = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    {
        let mut world = r.sandbox.world();
        let used = world.braintrust.env_vars.iter_mut().find(|v| v["id"] == id.as_str()).unwrap();
        used["used"] = serde_json::json!(used_at);
    }
    r.core.sync_account(&bt, &|_: SyncProgress| {}).await.unwrap();
    let vars = r.core.list_keys(&KeyQuery { kinds: Some(vec![KeyKind::BraintrustEnvVar]), ..Default::default() }).unwrap();
    let owners: Vec<_> = vars.iter().map(|k| (k.name.as_str(), k.owner.as_deref().unwrap_or(""))).collect();
    assert!(owners.contains(&("RESPAN_KEY", "project checkout")) && owners.contains(&("ORG_WIDE", "organization")), "{owners:?}");
    let listed = vars.iter().find(|k| k.id == row.id).unwrap();
    assert_eq!(listed.limits.last_used_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)), Some(used_at));
    // "Never used" and "not used in N days" ask only kinds whose service reports a last use.
    let unused = |days| {
        let q = KeyQuery { unused_days: Some(days), ..Default::default() };
        let mut names: Vec<String> = r.core.list_keys(&q).unwrap().into_iter().map(|k| k.name).collect();
        names.sort();
        names
    };
    assert_eq!(unused(0), ["ORG_WIDE"], "an API key that reports nothing is not 'never used'");
    assert_eq!(unused(1), ["ORG_WIDE", "RESPAN_KEY"]);
    assert_eq!(unused(30), ["ORG_WIDE"]);
    let details = r.core.key_details(&row.id).unwrap();
    assert_eq!((details["project_name"].as_str(), details["secret_category"].as_str()), (Some("checkout"), Some("env_var")));
    assert!(!on_disk(&r, "org-value-3333") && !on_disk(&r, "rs-patched-2222"));

    let deleted = r.core.revoke_key(&row.id).await.unwrap();
    assert_eq!(deleted.status, KeyStatus::Revoked);
    assert!(r.sandbox.world().braintrust.env_vars.iter().all(|v| v["id"] != id.as_str()));
}

#[tokio::test]
async fn what_braintrust_refuses_is_named_by_field() {
    let r = rig(SandboxConfig::default()).await;
    let bt = account(&r, Service::Braintrust).await;
    let respan = account(&r, Service::Respan).await;
    let before = r.sandbox.world().requests.values().sum::<u64>();
    let no_project = NewKey::BraintrustEnvVar {
        name: "X".into(),
        object_type: EnvVarScope::Project,
        object_id: None,
        value: "v".to_string().into(),
        secret_type: None,
        replace_existing: None,
    };
    assert_eq!(r.core.create_key(&bt, no_project).await.err().unwrap().field.as_deref(), Some("object_id"));
    assert_eq!(r.core.create_key(&bt, var("HAS SPACE", None, "v", false)).await.err().unwrap().field.as_deref(), Some("name"));
    assert_eq!(r.core.create_key(&bt, var("EMPTY", None, "  ", false)).await.err().unwrap().field.as_deref(), Some("value"));
    assert_eq!(r.sandbox.world().requests.values().sum::<u64>(), before, "nothing was sent");

    let gone_project = "0f0f0f0f-0000-4000-8000-000000000000";
    let refused = r.core.create_key(&bt, var("X", Some(gone_project), "value-1", false)).await.err().unwrap();
    assert!(refused.message.contains("does not exist"), "{}", refused.message);
    assert!(!refused.message.contains("value-1"));
    assert_eq!(r.core.list_projects(&respan).await.unwrap_err().field.as_deref(), Some("account_id"));
}

#[tokio::test]
async fn a_minted_key_is_installed_into_a_project_env_var_and_replaced_there() {
    let r = rig(SandboxConfig::default()).await;
    let bt = account(&r, Service::Braintrust).await;
    let respan = account(&r, Service::Respan).await;
    let checkout = r.core.find_project(&bt, "checkout").await.unwrap();
    let minted = r.core.create_key(&respan, temp_key("checkout-prod")).await.unwrap();
    let secret = minted.secret.as_ref().unwrap().expose().to_string();
    let target = InstallTarget::Create { account_id: bt.clone(), request: var("RESPAN_API_KEY", Some(&checkout.id), "", false) };
    let installed = r.core.install_secret(&SecretString::from(secret.clone()), target, "checkout-prod").await.unwrap();
    assert_eq!(installed.verified, Some(true), "{}", installed.check);
    assert_eq!(held(&r, &installed.key.provider_id), Some(digest(&secret)));

    let plan = r.core.replace_plan(&minted.key.id).unwrap();
    assert!(plan.targets.iter().any(|t| t.key.id == installed.key.id), "the env var is offered as a target");
    let done = r.core.replace_key(&minted.key.id, vec![InstallTarget::Existing { key_id: installed.key.id.clone() }], &|_| {}).await.unwrap();
    assert!(done.report.completed, "{}", done.report.summary);
    let new_secret = done.secret.unwrap().expose().to_string();
    assert_eq!(held(&r, &installed.key.provider_id), Some(digest(&new_secret)), "the env var holds the replacement");
    assert!(!on_disk(&r, &secret) && !on_disk(&r, &new_secret));
}
