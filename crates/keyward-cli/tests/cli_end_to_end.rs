//! `keyward` end to end against the sandbox and the real keychain (run by `make test`, which
//! provides a private Secret Service and sets KEYWARD_REAL_KEYCHAIN=1).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

fn command(data: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keyward"));
    command.args(args).env("KEYWARD_DATA_DIR", data).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

fn keyward(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = command(data, args).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// The command with its stdout's reader gone before it has written anything (`| head -0`).
fn unread(data: &std::path::Path, args: &[&str]) -> Output {
    let mut child = command(data, args).stdin(Stdio::null()).spawn().unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn real_keychain() -> bool {
    let on = std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_some();
    if !on {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
    }
    on
}

/// A Respan account "Gateway" on a sandbox with two keys, synced.
async fn synced_respan() -> (keyward_sandbox::SandboxHandle, tempfile::TempDir) {
    let sb = spawn(SandboxConfig { seed_respan_keys: 2, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    add_account(dir.path(), "respan", "Gateway", &sb.base_url);
    let synced = keyward(dir.path(), &["sync"], "");
    assert!(synced.status.success(), "{}", text(&synced.stderr));
    (sb, dir)
}

fn add_account(data: &std::path::Path, service: &str, label: &str, host: &str) -> String {
    let add = keyward(data, &["accounts", "add", "--service", service, "--label", label, "--host", host], &format!("{DEFAULT_TOKEN}\n"));
    assert!(add.status.success(), "{}", text(&add.stderr));
    text(&add.stdout).trim().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn braintrust_proxy_credential_and_the_refused_api_key() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    add_account(data, "braintrust", "BT", &sb.base_url);

    let proxy = keyward(data, &["create", "braintrust-proxy", "--account", "BT", "--model", "gpt-4o", "--ttl", "3600"], "");
    assert!(proxy.status.success(), "{}", text(&proxy.stderr));
    let secret = text(&proxy.stdout);
    assert_eq!(secret.lines().count(), 1, "stdout holds the secret alone");
    assert!(secret.starts_with("eyJ"));
    assert!(text(&proxy.stderr).contains("expires"));

    let bad = keyward(data, &["create", "braintrust-proxy", "--account", "BT", "--ttl", "90000"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("86400"), "{}", text(&bad.stderr));
    assert!(bad.stdout.is_empty());

    let refused = keyward(data, &["create", "braintrust-api-key", "--account", "BT", "--name", "ci"], "");
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("service token"));

    let ai = keyward(data, &["create", "braintrust-ai-secret", "--account", "BT", "--name", "OPENAI", "--type", "openai"], "sk-ai-first-1111\n");
    assert!(ai.status.success(), "{}", text(&ai.stderr));
    let rotated = keyward(data, &["reissue", "OPENAI"], "sk-ai-second-2222\n");
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    assert_eq!(sb.world().braintrust.ai_secrets[0]["preview_secret"], "********2222");

    let listed = keyward(data, &["keys", "list", "--json"], "");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(rows.as_array().unwrap().iter().any(|r| r["kind"] == "braintrust_proxy_credential"));
    assert!(!text(&listed.stdout).contains("sk-ai-"));
    assert!(!text(&listed.stdout).contains(secret.trim()));
}

/// `keyward keys list | head`: a reader that goes away ends a listing quietly and successfully,
/// as it ends other tools (it was a panic); a secret that nobody could be shown is an error that
/// names the key to revoke.
#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_ends_a_listing_quietly_and_fails_a_secret_loudly() {
    if !real_keychain() {
        return;
    }
    let (_sb, dir) = synced_respan().await;
    let data = dir.path();
    for args in [&["keys", "list", "--json"][..], &["keys", "list"], &["accounts", "list"], &["export", "--format", "csv"], &["audit", "--csv"]] {
        let out = unread(data, args);
        assert!(out.status.success(), "{args:?}: {:?} {}", out.status, text(&out.stderr));
        assert!(out.stderr.is_empty(), "{args:?} said: {}", text(&out.stderr));
    }
    let minted = unread(data, &["create", "respan-temp", "--account", "Gateway", "--name", "unseen", "--expiry", "2099-12-31"]);
    assert_eq!(minted.status.code(), Some(1), "{}", text(&minted.stderr));
    let said = text(&minted.stderr);
    assert!(said.contains("nobody holds it") && said.contains("keyward revoke "), "{said}");
    let id = said.rsplit("keyward revoke ").next().unwrap().trim();
    let revoked = keyward(data, &["revoke", id], "");
    assert!(revoked.status.success(), "the key it names can be revoked: {}", text(&revoked.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_braintrust_env_var_in_a_project_picked_by_name() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    add_account(data, "braintrust", "BT", &sb.base_url);
    let create = |project: &str, value: &str, replace: bool| {
        let mut args = vec!["create", "braintrust-env-var", "--account", "BT", "--name", "RESPAN_API_KEY", "--project", project];
        if replace {
            args.push("--replace");
        }
        keyward(data, &args, &format!("{value}\n"))
    };
    let made = create("checkout", "rs-env-value-9a9a", false);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(made.stdout.is_empty(), "a given value is never printed");
    assert!(text(&made.stderr).contains("sent and not kept"), "{}", text(&made.stderr));
    let id = sb.world().braintrust.env_vars[0]["id"].as_str().unwrap().to_string();
    assert_eq!(sb.world().env_var_digests.get(&id), Some(&keyward_sandbox::digest("rs-env-value-9a9a")));

    let typo = create("chekout", "rs-x", false);
    assert_eq!(typo.status.code(), Some(2));
    assert!(text(&typo.stderr).contains("Did you mean “checkout”"), "{}", text(&typo.stderr));
    let taken = create("checkout", "rs-y", false);
    assert!(text(&taken.stderr).contains("already has a variable named RESPAN_API_KEY"), "{}", text(&taken.stderr));
    let replaced = create("checkout", "rs-env-second-8b8b", true);
    assert!(replaced.status.success(), "{}", text(&replaced.stderr));
    assert_eq!(sb.world().env_var_digests.get(&id), Some(&keyward_sandbox::digest("rs-env-second-8b8b")));
    let no_scope = keyward(data, &["create", "braintrust-env-var", "--account", "BT", "--name", "X"], "v\n");
    assert_eq!(no_scope.status.code(), Some(2), "clap asks for a scope");

    let listed = keyward(data, &["keys", "list", "--json"], "");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let row = rows.as_array().unwrap().iter().find(|r| r["kind"] == "braintrust_env_var").expect("listed");
    assert_eq!(row["owner"], "project checkout");
    assert!(!text(&listed.stdout).contains("rs-env-"));
}

#[tokio::test(flavor = "multi_thread")]
async fn respan_temporary_key_create_list_revoke_audit() {
    if !real_keychain() {
        return;
    }
    let (sb, dir) = synced_respan().await;
    let data = dir.path();

    let args = [
        "create",
        "respan-temp",
        "--account",
        "Gateway",
        "--name",
        "ci-bot",
        "--expiry",
        "2099-12-31",
        "--max-usage",
        "100",
        "--rate-limit",
        "30",
        "--spending-limit",
        "12.5",
        "--test",
    ];
    let made = keyward(data, &args, "");
    assert!(made.status.success(), "{}", text(&made.stderr));
    let secret = text(&made.stdout).trim().to_string();
    assert!(secret.contains('.'), "Respan keys are prefix.secret");

    let listed = keyward(data, &["keys", "list", "--json", "--search", "ci-bot"], "");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows[0]["usage_limit"], 100);
    assert_eq!(rows[0]["spend_limit"], 12.5);
    assert_eq!(rows[0]["is_test"], true);

    let shown = keyward(data, &["keys", "show", "ci-bot"], "");
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(detail["details"]["max_usage"], 100);
    assert!(detail["details"].get("api_key").is_none(), "the minted secret is not in the cached details");

    let past = keyward(data, &["create", "respan-temp", "--account", "Gateway", "--expiry", "2001-01-01"], "");
    assert_eq!(past.status.code(), Some(2));
    assert!(text(&past.stderr).contains("past"));

    let revoke = keyward(data, &["revoke", "ci-bot"], "");
    assert!(revoke.status.success(), "{}", text(&revoke.stderr));
    assert_eq!(sb.world().respan.keys.len(), 2);

    let audit = keyward(data, &["audit", "--json"], "");
    let log: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let actions: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["key.revoke", "key.create", "account.add"], "input refused before sending is not an action");
    assert!(!text(&audit.stdout).contains(&secret));
}

#[tokio::test(flavor = "multi_thread")]
async fn barndoor_credential_from_stdin_and_gateway_key() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    add_account(data, "barndoor", "Gateway", &sb.base_url);

    let upstream = "sk-upstream-from-stdin-7788";
    let args = [
        "create",
        "barndoor-credential",
        "--account",
        "Gateway",
        "--name",
        "OpenAI Production",
        "--model-provider",
        "openai",
        "--base-url",
        "https://api.openai.com/v1",
        "--settings",
        r#"{"organization": "org-1"}"#,
    ];
    let made = keyward(data, &args, &format!("{upstream}\n"));
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(made.stdout.is_empty(), "a given secret is not printed back");
    assert_eq!(sb.world().barndoor.connections[0]["key_last4"], "7788");

    let roles = [
        "create",
        "barndoor-credential",
        "--account",
        "Gateway",
        "--name",
        "Bedrock",
        "--model-provider",
        "bedrock",
        "--base-url",
        "https://bedrock-runtime.us-east-1.amazonaws.com",
        "--credentials-json",
    ];
    let role = keyward(data, &roles, "{\n  \"iam_role_arn\": \"arn:aws:iam::1:role/x\",\n  \"external_id\": \"e\"\n}\n");
    assert!(role.status.success(), "{}", text(&role.stderr));

    let key = keyward(data, &["create", "barndoor-gateway-key", "--account", "Gateway", "--name", "svc"], "");
    assert!(key.status.success(), "{}", text(&key.stderr));
    assert!(text(&key.stdout).trim().starts_with("bdai_"));

    let listed = text(&keyward(data, &["keys", "list"], "").stdout);
    assert!(listed.contains("OpenAI Production") && listed.contains("svc"));
    assert!(!listed.contains(upstream));
    for entry in std::fs::read_dir(data).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(upstream.len()).any(|w| w == upstream.as_bytes()));
    }
    let rotated = keyward(data, &["reissue", "OpenAI Production"], "sk-upstream-rotated-9911\n");
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    assert!(rotated.stdout.is_empty());
    assert_eq!(sb.world().barndoor.connections[0]["key_last4"], "9911");

    let gw = keyward(data, &["reissue", "svc"], "");
    assert!(gw.status.success(), "{}", text(&gw.stderr));
    let new_secret = text(&gw.stdout).trim().to_string();
    assert!(new_secret.starts_with("bdai_") && new_secret != text(&key.stdout).trim());
    // A new secret nobody could be shown is a failure that says how to get one that is.
    let unseen = unread(data, &["reissue", "svc"]);
    assert_eq!(unseen.status.code(), Some(1), "{}", text(&unseen.stderr));
    assert!(text(&unseen.stderr).contains("nobody holds it. Reissue the key again"), "{}", text(&unseen.stderr));
    // The name the services use, and Keyward used before, still works.
    let again = keyward(data, &["rotate", "svc"], "");
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("Reissued"));
    let third = text(&again.stdout).trim().to_string();
    assert!(third.starts_with("bdai_") && third != new_secret);
    let off = keyward(data, &["update", "svc", "--disabled", "true", "--expiry", "2099-01-01"], "");
    assert!(off.status.success(), "{}", text(&off.stderr));
    assert!(!sb.world().barndoor.api_keys[0]["disabled_at"].is_null());

    let rm = keyward(data, &["revoke", "OpenAI Production"], "");
    assert!(rm.status.success(), "{}", text(&rm.stderr));
    assert_eq!(sb.world().barndoor.connections.len(), 1);

    // Several at once: a name that is not found stops everything before anything is sent ...
    let typo = keyward(data, &["revoke", "svc", "Bedrok"], "");
    assert!(!typo.status.success());
    assert!(sb.world().barndoor.api_keys[0]["revoked_at"].is_null(), "nothing revoked when one name is unknown");
    // ... and a refusal (the credential is in use) does not stop the others.
    let bedrock_id = sb.world().barndoor.connections[0]["id"].as_str().unwrap().to_string();
    sb.world().barndoor.providers.push(("p1".into(), "bedrock-route".into(), bedrock_id));
    let both = keyward(data, &["revoke", "Bedrock", "svc"], "");
    assert!(!both.status.success());
    let err = text(&both.stderr);
    assert!(err.contains("Revoked Gateway key “svc”") && err.contains("Not revoked: “Bedrock”") && err.contains("bedrock-route"), "{err}");
    assert!(err.contains("1 of 2 keys were not revoked"), "{err}");
    assert!(!sb.world().barndoor.api_keys[0]["revoked_at"].is_null());
    assert_eq!(sb.world().barndoor.connections.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn add_sync_list_search_remove() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig { seed_keys: 120, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let wrong = keyward(data, &["accounts", "add", "--service", "braintrust", "--label", "Prod", "--host", &sb.base_url], "sk-wrong\n");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong.stderr).contains("refused by Braintrust (401)"));

    let add =
        keyward(data, &["accounts", "add", "--service", "braintrust", "--label", "Prod", "--host", &sb.base_url], &format!("{DEFAULT_TOKEN}\n"));
    assert!(add.status.success(), "{}", text(&add.stderr));
    let id = text(&add.stdout).trim().to_string();
    assert_eq!(id.len(), 36, "stdout holds only the new account's id");

    let sync = keyward(data, &["sync"], "");
    assert!(sync.status.success(), "{}", text(&sync.stderr));
    assert!(text(&sync.stderr).contains("120 keys"));

    let listed = keyward(data, &["keys", "list", "--json", "--search", "key-01"], "");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 21, "key-0100..key-0120");

    let table = keyward(data, &["accounts", "list"], "");
    assert!(text(&table.stdout).contains("Prod"));

    let bad = keyward(data, &["accounts", "add", "--service", "braintrust", "--label", "", "--host", "http://example.com"], "x\n");
    assert_eq!(bad.status.code(), Some(2), "invalid input exits 2");

    let rm = keyward(data, &["accounts", "remove", "prod"], "");
    assert!(rm.status.success(), "{}", text(&rm.stderr));
    let after = keyward(data, &["keys", "list", "--json"], "");
    assert_eq!(text(&after.stdout).trim(), "[]");
    let lookup = Command::new("secret-tool").args(["lookup", "service", "keyward", "username", &id]).output().unwrap();
    assert!(lookup.stdout.is_empty(), "the token left the keychain");

    // The token was never written to the data dir.
    for entry in std::fs::read_dir(data).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(DEFAULT_TOKEN.len()).any(|w| w == DEFAULT_TOKEN.as_bytes()));
    }
}

/// Every create flag with a bad value: exit 2, the flag named, nothing sent.
#[tokio::test(flavor = "multi_thread")]
async fn bad_flags_name_the_flag_and_send_nothing() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig { allow_api_key_create: true, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    for (service, label) in [("braintrust", "Evals"), ("respan", "Gateway"), ("barndoor", "Platform")] {
        add_account(data, service, label, &sb.base_url);
    }
    let writes = || sb.world().requests.iter().filter(|(k, _)| !k.starts_with("GET")).map(|(_, n)| *n).sum::<u64>();
    let before = writes();
    let long = "a".repeat(10 * 1024);
    let rtl = "\u{202E}exe.txt";
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["create", "braintrust-api-key", "--account", "Evals", "--name", ""], "", "--name"),
        (vec!["create", "braintrust-api-key", "--account", "Evals", "--name", &long], "", "--name"),
        (vec!["create", "braintrust-api-key", "--account", "Evals", "--name", rtl], "", "--name"),
        (vec!["create", "braintrust-proxy", "--account", "Evals", "--ttl", "0"], "", "--ttl"),
        (vec!["create", "braintrust-proxy", "--account", "Evals", "--ttl", "86401"], "", "--ttl"),
        (vec!["create", "braintrust-proxy", "--account", "Evals", "--ttl", "ten"], "", "--ttl"),
        (vec!["create", "braintrust-proxy", "--account", "Evals", "--ttl", "-5"], "", "--ttl"),
        (vec!["create", "braintrust-service-token", "--account", "Evals", "--name", "bot", "--service-account-id", " "], "", "--service-account-id"),
        (vec!["create", "braintrust-ai-secret", "--account", "Evals", "--name", "K", "--metadata", "[]"], "sk-good-1234\n", "--metadata"),
        (vec!["create", "braintrust-ai-secret", "--account", "Evals", "--name", "K"], "sk with space\n", "the secret"),
        (vec!["create", "respan-temp", "--account", "Gateway", "--expiry", "yesterday"], "", "--expiry"),
        (vec!["create", "respan-temp", "--account", "Gateway", "--expiry", "2001-01-01"], "", "--expiry"),
        (vec!["create", "respan-temp", "--account", "Gateway", "--max-usage", "0"], "", "--max-usage"),
        (vec!["create", "respan-temp", "--account", "Gateway", "--max-usage", "many"], "", "--max-usage"),
        (vec!["create", "respan-temp", "--account", "Gateway", "--rate-limit", "-1"], "", "--rate-limit"),
        (vec!["create", "respan-temp", "--account", "Gateway", "--spending-limit", "-3"], "", "--spending-limit"),
        (vec!["create", "respan-temp", "--account", "Gateway", "--spending-limit", "lots"], "", "--spending-limit"),
        (
            vec!["create", "respan-provider", "--account", "Gateway", "--provider-id", "../x", "--provider-name", "P"],
            "sk-good-1234\n",
            "--provider-id",
        ),
        (
            vec!["create", "respan-provider", "--account", "Gateway", "--provider-id", "p", "--provider-name", "P", "--extra-kwargs", "{"],
            "sk-good-1234\n",
            "--extra-kwargs",
        ),
        (vec!["create", "barndoor-gateway-key", "--account", "Platform", "--name", "svc", "--expires-at", "2001-01-01"], "", "--expires-at"),
        (
            vec![
                "create",
                "barndoor-credential",
                "--account",
                "Platform",
                "--name",
                "C",
                "--model-provider",
                "nope",
                "--base-url",
                "https://x.example",
            ],
            "sk-good-1234\n",
            "--model-provider",
        ),
        (
            vec![
                "create",
                "barndoor-credential",
                "--account",
                "Platform",
                "--name",
                "C",
                "--model-provider",
                "openai",
                "--base-url",
                "http://x.example",
            ],
            "sk-good-1234\n",
            "--base-url",
        ),
        (
            vec!["create", "barndoor-credential", "--account", "Platform", "--name", "C", "--model-provider", "openai", "--base-url", "not a url"],
            "sk-good-1234\n",
            "--base-url",
        ),
        (vec!["accounts", "add", "--service", "respan", "--label", "X", "--host", "ftp://example.com"], "tok\n", "--host"),
        (vec!["accounts", "add", "--service", "nope", "--label", "X"], "tok\n", "--service"),
    ];
    for (args, stdin, flag) in &cases {
        let out = keyward(data, args, stdin);
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        assert!(said.contains(flag), "{args:?}: names {flag}: {said}");
        assert!(!said.contains(&long), "{args:?}: a 10 KB value is not echoed back");
    }
    assert_eq!(writes(), before, "nothing was sent");
    let listed: serde_json::Value = serde_json::from_slice(&keyward(data, &["keys", "list", "--json"], "").stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 0, "nothing was stored");
    println!("bad CLI flags tried: {}", cases.len());
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect();
    (header, rows)
}

/// Exports hold the inventory's metadata, the same rows `keys list --json` prints, and never a
/// minted secret, a given secret or the account token (raw or base64).
#[tokio::test(flavor = "multi_thread")]
async fn exports_parse_back_as_the_listed_rows_and_hold_no_secret() {
    use base64::Engine;
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig { allow_api_key_create: true, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.as_path();
    add_account(data, "braintrust", "Evals, EU", &sb.base_url);
    add_account(data, "respan", "Gateway", &sb.base_url);

    let mut secrets = vec![DEFAULT_TOKEN.to_string()];
    let mut mint = |args: &[&str]| {
        let out = keyward(data, args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let secret = text(&out.stdout).trim().to_string();
        assert!(secret.len() >= 12, "{args:?} printed its secret");
        secrets.push(secret);
    };
    mint(&["create", "braintrust-api-key", "--account", "Evals, EU", "--name", "=HYPERLINK(\"https://evil.example\")"]);
    mint(&["create", "braintrust-proxy", "--account", "Evals, EU", "--model", "gpt-4o", "--ttl", "600"]);
    mint(&["create", "respan-temp", "--account", "Gateway", "--name", "ci, \"nightly\" ✓", "--max-usage", "5", "--test"]);
    let given = "sk-given-upstream-5150";
    let ai =
        keyward(data, &["create", "braintrust-ai-secret", "--account", "Evals, EU", "--name", "OPENAI", "--type", "openai"], &format!("{given}\n"));
    assert!(ai.status.success(), "{}", text(&ai.stderr));
    secrets.push(given.to_string());

    let listed = keyward(data, &["keys", "list", "--json"], "");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 4);

    let json = keyward(data, &["export", "--format", "json"], "");
    assert!(json.status.success(), "{}", text(&json.stderr));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&json.stdout).unwrap(), rows, "the JSON export is the listed rows");

    let csv_out = keyward(data, &["export", "--format", "csv"], "");
    assert!(csv_out.status.success(), "{}", text(&csv_out.stderr));
    let (header, records) = read_csv(&csv_out.stdout);
    assert_eq!(header[..5], ["id", "account", "service", "kind", "name"]);
    assert_eq!(records.len(), 4);
    for (csv_row, json_row) in records.iter().zip(rows.as_array().unwrap()) {
        let s = |k: &str| json_row[k].as_str().unwrap_or("").to_string();
        assert_eq!(csv_row["id"], s("id"), "same rows, same order");
        let name = s("name");
        let shown = if name.starts_with('=') { format!("'{name}") } else { name };
        assert_eq!(csv_row["name"], shown, "a formula is kept as text, the rest as listed");
        for column in ["service", "kind", "status", "preview"] {
            assert_eq!(csv_row[column], s(column), "{column}");
        }
        assert_eq!(csv_row["account"], s("account_label"));
        let expires = json_row["expires_at"].as_str().map(|t| t.parse::<chrono::DateTime<chrono::Utc>>().unwrap());
        assert_eq!(csv_row["expires_at"].parse().ok(), expires);
        assert_eq!(csv_row["usage_limit"], json_row["usage_limit"].as_i64().map(|n| n.to_string()).unwrap_or_default());
        assert_eq!(csv_row["is_test"], json_row["is_test"].as_bool().map(|b| b.to_string()).unwrap_or_default());
    }

    // Into a file: what stdout would have held, private, and said where on stderr.
    let file = dir.path().join("inventory.csv");
    let to_file = keyward(data, &["export", "--format", "csv", "--output", file.to_str().unwrap(), "--search", "nightly"], "");
    assert!(to_file.status.success(), "{}", text(&to_file.stderr));
    assert!(to_file.stdout.is_empty(), "nothing on stdout when a file is named");
    assert!(text(&to_file.stderr).contains(&format!("Exported 1 key to {}", file.display())), "{}", text(&to_file.stderr));
    let (_, in_file) = read_csv(&std::fs::read(&file).unwrap());
    assert_eq!(in_file.len(), 1);
    assert_eq!(in_file[0]["name"], "ci, \"nightly\" ✓");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let missing = keyward(data, &["export", "--format", "json", "--output", dir.path().join("nope/x.json").to_str().unwrap()], "");
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("--output") && text(&missing.stderr).contains("does not exist"), "{}", text(&missing.stderr));
    let bad_format = keyward(data, &["export", "--format", "xlsx"], "");
    assert_eq!(bad_format.status.code(), Some(2));
    assert!(text(&bad_format.stderr).contains("csv or json"));

    let audit = keyward(data, &["audit", "--action", "key.create", "--csv"], "");
    assert!(audit.status.success(), "{}", text(&audit.stderr));
    let (header, creates) = read_csv(&audit.stdout);
    assert_eq!(header, ["at", "account_id", "account", "action", "target", "outcome", "detail"]);
    assert_eq!(creates.len(), 4, "the four creates, and nothing else");
    assert!(creates.iter().all(|e| e["action"] == "key.create" && e["outcome"] == "ok"));
    assert!(creates.iter().any(|e| e["target"] == "ci, \"nightly\" ✓" && e["account"] == "Gateway"));
    let on_gateway = keyward(data, &["audit", "--account", "Gateway", "--since", "2000-01-01", "--until", "2999-12-31", "--json"], "");
    let entries: serde_json::Value = serde_json::from_slice(&on_gateway.stdout).unwrap();
    let actions: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["key.create", "account.add"]);
    let future = keyward(data, &["audit", "--since", "2999-01-01", "--csv"], "");
    assert_eq!(read_csv(&future.stdout).1.len(), 0);
    let bad_date = keyward(data, &["audit", "--until", "last week"], "");
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(text(&bad_date.stderr).contains("--until"), "{}", text(&bad_date.stderr));
    let everything = keyward(data, &["audit", "--csv"], "");
    assert!(read_csv(&everything.stdout).1.iter().any(|e| e["action"] == "inventory.export"), "an export to a file is in the log");

    let b64 = [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE_NO_PAD];
    let outputs = [json.stdout, csv_out.stdout, std::fs::read(&file).unwrap(), audit.stdout, everything.stdout];
    for (i, bytes) in outputs.iter().enumerate() {
        for secret in &secrets {
            let mut needles = vec![secret.clone()];
            needles.extend(b64.iter().map(|e| e.encode(secret)));
            for n in needles {
                assert!(!bytes.windows(n.len()).any(|w| w == n.as_bytes()), "export {i} holds {}…", &secret[..6]);
            }
        }
    }
}

fn held(sb: &keyward_sandbox::SandboxHandle, credential: &str) -> String {
    let world = sb.world();
    let id = world.barndoor.connections.iter().find(|c| c["name"] == credential).unwrap()["id"].as_str().unwrap().to_string();
    world.barndoor.held_keys[&id].clone()
}

fn respan_named(sb: &keyward_sandbox::SandboxHandle, name: &str) -> Vec<String> {
    sb.world().respan.keys.iter().filter(|k| k.name == name).map(|k| k.prefix.clone()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn install_replace_and_expiring_from_the_command_line() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    {
        let now = chrono::Utc::now();
        sb.world().respan.place("expires-soon", now - chrono::Duration::days(60), now + chrono::Duration::days(2));
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    add_account(data, "respan", "Gateway", &sb.base_url);
    add_account(data, "barndoor", "Barndoor", &sb.base_url);
    assert!(keyward(data, &["sync"], "").status.success());
    let cred = [
        "create",
        "barndoor-credential",
        "--account",
        "Barndoor",
        "--name",
        "Upstream",
        "--model-provider",
        "custom",
        "--base-url",
        "https://api.respan.ai/api/",
    ];
    assert!(keyward(data, &cred, "sk-placeholder-0000\n").status.success());

    // Minted and installed from memory: nothing on stdout.
    let made = keyward(data, &["create", "respan-temp", "--account", "Gateway", "--name", "upstream", "--install-into", "Upstream"], "");
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(made.stdout.is_empty(), "an installed secret is not printed");
    assert!(
        text(&made.stderr).contains("Installed into Credential “Upstream”: Barndoor shows the new secret's last 4 characters."),
        "{}",
        text(&made.stderr)
    );
    let first = held(&sb, "Upstream");
    assert!(first.starts_with(&respan_named(&sb, "upstream")[0]), "the credential holds the Respan key just minted");

    // A place that is not there: found before minting, so nothing is minted.
    let before = sb.world().respan.keys.len();
    let bad = keyward(data, &["create", "respan-temp", "--account", "Gateway", "--name", "x", "--install-into", "No such"], "");
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("No cached key has the id or name 'No such'"), "{}", text(&bad.stderr));
    assert_eq!(sb.world().respan.keys.len(), before);
    // A place that cannot take a secret (a temporary key): refused by name, nothing minted.
    let wrong = keyward(data, &["create", "respan-temp", "--account", "Gateway", "--name", "x", "--install-into", "upstream"], "");
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong.stderr));
    assert!(text(&wrong.stderr).contains("“upstream”: A Temporary key cannot take a secret"), "{}", text(&wrong.stderr));
    assert_eq!(sb.world().respan.keys.len(), before);

    // The assistant: replacement minted, installed, checked, old key revoked.
    let replaced = keyward(data, &["replace", "upstream", "--account", "Gateway", "--install-into", "Upstream"], "");
    let log = text(&replaced.stderr);
    assert!(replaced.status.success(), "{log}");
    assert!(replaced.stdout.is_empty());
    assert!(log.contains("[done] Mint a new Temporary key “upstream”") && log.contains("[done] Revoke the old key “upstream”"), "{log}");
    assert!(log.contains("was replaced, installed in “Upstream”, and the old key is revoked."), "{log}");
    let second = held(&sb, "Upstream");
    assert_ne!(second, first);
    assert_eq!(respan_named(&sb, "upstream").len(), 1, "the old key is gone from Respan");

    // Barndoor refusing the install: stopped before revoking; --print-secret keeps the new secret.
    sb.world().faults =
        keyward_sandbox::Faults { refuse_prefix: "PUT /api/llm-gateway/admin/connections/".into(), refuse_status: 500, ..Default::default() };
    let stopped = keyward(data, &["replace", "upstream", "--install-into", "Upstream", "--print-secret"], "");
    let log = text(&stopped.stderr);
    assert!(!stopped.status.success());
    assert!(log.contains("[FAILED] Install into “Upstream” and check it") && log.contains("[skipped] Revoke the old key"), "{log}");
    assert!(log.contains("The old key “upstream” is still active and still works."), "{log}");
    assert_eq!(text(&stopped.stdout).lines().count(), 1, "the replacement's secret, once");
    assert_eq!(held(&sb, "Upstream"), second, "the credential kept the working key");
    assert_eq!(respan_named(&sb, "upstream").len(), 2, "old and new both at Respan");
    // Installed nowhere, so the stop says how to undo it, by id (both keys are named "upstream").
    let hint = "The replacement is installed nowhere; to put everything back as it was: keyward revoke ";
    let fresh = log.lines().find_map(|l| l.strip_prefix(hint)).unwrap_or_else(|| panic!("{log}")).trim().to_string();
    sb.world().faults = keyward_sandbox::Faults::default();
    let undo = keyward(data, &["revoke", &fresh], "");
    assert!(undo.status.success(), "{}", text(&undo.stderr));
    assert_eq!(respan_named(&sb, "upstream").len(), 1, "only the working key is left at Respan");
    assert_eq!(held(&sb, "Upstream"), second, "and the credential still holds it");

    let expiring = keyward(data, &["expiring", "--json"], "");
    assert!(expiring.status.success(), "{}", text(&expiring.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&expiring.stdout).unwrap();
    assert_eq!(rows[0]["name"], "expires-soon");
    assert_eq!(rows[0]["status"], "expiring");
    assert!(text(&expiring.stderr).starts_with("Needing attention: 1 key (expiry window 7 days)."), "{}", text(&expiring.stderr));
}

/// Respan made the key but its answer lost the secret: the CLI says the key is live and prints
/// the `keyward revoke` that removes it, and that command works.
#[tokio::test(flavor = "multi_thread")]
async fn a_key_whose_secret_never_arrived_is_named_with_its_revoke() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    add_account(data, "respan", "Gateway", &sb.base_url);
    sb.world().faults = keyward_sandbox::Faults { strip_secret_next: 1, ..Default::default() };
    let lost = keyward(data, &["create", "respan-temp", "--account", "Gateway", "--name", "orphan"], "");
    let log = text(&lost.stderr);
    assert!(!lost.status.success(), "{log}");
    assert!(lost.stdout.is_empty(), "no secret to print");
    assert!(log.contains("“orphan” but sent no secret back, so the key is live"), "{log}");
    let hint = "To revoke the key this left behind: keyward revoke ";
    let id = log.lines().find_map(|l| l.strip_prefix(hint)).unwrap_or_else(|| panic!("{log}")).trim().to_string();
    assert_eq!(sb.world().respan.keys.len(), 1, "the key is live at Respan");
    let revoke = keyward(data, &["revoke", &id], "");
    assert!(revoke.status.success(), "{}", text(&revoke.stderr));
    assert!(sb.world().respan.keys.is_empty(), "and gone after the revoke");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scoped_group_bound_gateway_key_and_a_reissue_with_a_grace_period() {
    if !real_keychain() {
        return;
    }
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    add_account(data, "barndoor", "Platform", &sb.base_url);
    let made = keyward(
        data,
        &[
            "create",
            "barndoor-gateway-key",
            "--account",
            "Platform",
            "--name",
            "team",
            "--scope",
            "llm:invoke",
            "--scope",
            "models:read",
            "--group",
            "engineering",
        ],
        "",
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let key = sb.world().barndoor.api_keys[0].clone();
    assert_eq!(key["scopes"], serde_json::json!(["llm:invoke", "models:read"]));
    assert_eq!(key["group_name"], "engineering");

    let both = keyward(
        data,
        &["create", "barndoor-gateway-key", "--account", "Platform", "--name", "x", "--user-email", "a@example.com", "--group", "eng"],
        "",
    );
    assert_eq!(both.status.code(), Some(2));
    assert!(text(&both.stderr).contains("error: --group: A key acts for a user or for a group, not both."), "{}", text(&both.stderr));

    let graced = keyward(data, &["reissue", "team", "--grace", "2h"], "");
    let said = text(&graced.stderr);
    assert!(graced.status.success(), "{said}");
    assert!(said.contains("The previous secret keeps working for 2h."), "{said}");
    assert!(text(&graced.stdout).trim().starts_with("bdai_"), "the new secret alone on stdout");
    assert!(sb.world().barndoor.api_keys[0]["previous_key_expires_at"].is_string());

    let too_long = keyward(data, &["reissue", "team", "--grace", "8days"], "");
    assert_eq!(too_long.status.code(), Some(2));
    assert!(text(&too_long.stderr).contains("error: --grace: The previous secret can keep working for at most 7 days"), "{}", text(&too_long.stderr));
}
