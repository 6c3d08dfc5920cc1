//! What a sync caches of each key, against the sandbox: the free-form maps a person fills in
//! (Respan `extra_kwargs`, Braintrust `metadata`, Barndoor `settings`) go to the service whole,
//! and come back to SQLite, the detail panel and `keyward keys show` without any secret in them.

use keyward_core::model::new_key::NewKey;
use keyward_core::model::{Service, SyncProgress};
use keyward_sandbox::SandboxConfig;
use serde_json::json;

use crate::support;
use support::{account, on_disk, rig};

/// Secrets a person could put in a settings map, each under a name the old denylist let through.
const PLANTED: [&str; 5] = ["sk-apikey-0001", "at-token-0002", "aws-sak-0003", "Bearer bt-auth-0004", "xh-header-0005"];

fn settings_with_secrets(kept: serde_json::Value) -> String {
    let mut m = kept;
    m["apiKey"] = json!(PLANTED[0]);
    m["access_token"] = json!(PLANTED[1]);
    m["aws"] = json!({"region": "us-east-1", "secret_access_key": PLANTED[2]});
    m["Authorization"] = json!(PLANTED[3]);
    m["headers"] = json!({"X-Custom": PLANTED[4]});
    m.to_string()
}

#[tokio::test]
async fn secrets_in_free_form_settings_are_not_cached_by_a_sync() {
    let r = rig(SandboxConfig::default()).await;
    let (respan, braintrust, barndoor) =
        (account(&r, Service::Respan).await, account(&r, Service::Braintrust).await, account(&r, Service::Barndoor).await);

    let provider = NewKey::RespanProvider {
        provider_id: "team-openai".into(),
        provider_name: "Team OpenAI".into(),
        api_key: "sk-given-respan-9999".to_string().into(),
        extra_kwargs: Some(settings_with_secrets(json!({"base_url": "https://api.openai.com/v1", "timeout": 30}))),
    };
    let ai_secret = NewKey::BraintrustAiSecret {
        name: "OPENAI".into(),
        secret_type: Some("openai".into()),
        secret: "sk-given-braintrust-9999".to_string().into(),
        metadata: Some(settings_with_secrets(json!({"team": "evals"}))),
        replace_existing: None,
    };
    let credential = NewKey::BarndoorCredential {
        name: "OpenAI Production".into(),
        model_provider: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        auth_type: None,
        api_key: Some("sk-given-barndoor-0042".to_string().into()),
        credentials: None,
        settings: Some(settings_with_secrets(json!({"organization": "org-1"}))),
        change_note: None,
    };
    let mut made = Vec::new();
    for (account, request) in [(&respan, provider), (&braintrust, ai_secret), (&barndoor, credential)] {
        made.push(r.core.create_key(account, request).await.unwrap().key);
        r.core.sync_account(account, &|_: SyncProgress| {}).await.unwrap();
    }

    let [p, s, c] = [&made[0], &made[1], &made[2]].map(|k| r.core.key_details(&k.id).unwrap());
    assert_eq!(p["extra_kwargs"], json!({"base_url": "https://api.openai.com/v1", "timeout": 30, "aws": {"region": "us-east-1"}}));
    assert_eq!(s["metadata"], json!({"team": "evals", "aws": {"region": "us-east-1"}}));
    assert_eq!(c["settings"], json!({"organization": "org-1", "aws": {"region": "us-east-1"}}));
    assert_eq!((c["key_last4"].as_str(), c["auth_type"].as_str()), (Some("0042"), Some("api_key")), "what the panel shows stays");
    assert!(c.get("secret_path").is_none(), "where Barndoor keeps the secret is not cached: {c}");
    for planted in PLANTED {
        for details in [&p, &s, &c] {
            assert!(!details.to_string().contains(planted), "{planted} cached: {details}");
        }
        assert!(!on_disk(&r, planted), "{planted} reached the data dir");
    }
}
