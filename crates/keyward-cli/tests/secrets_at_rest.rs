//! No secret at rest: accounts of all three services, one minted secret of every kind, every
//! given-secret kind created and rotated, a `keyward run` with three keys, all with logging at
//! its most verbose. Then the data dir
//! (db, -wal, -shm), HOME (config, cache, CSV and JSON exports), the temp dir and the captured
//! logs are searched for every token and secret, raw, JSON-escaped and base64: there must be no
//! hit. The session also meets a service that echoes a refused request (a PEM, JSON-escaped and
//! multi-line), one that redirects a create elsewhere, and a host change. Needs the real keychain
//! (`make test`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use keyward_sandbox::{spawn, SandboxConfig};

struct Rig {
    root: tempfile::TempDir,
    logs: Vec<u8>,
}

impl Rig {
    fn dir(&self, name: &str) -> PathBuf {
        let d = self.root.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Runs `keyward` with everything it could write to inside the rig; keeps stderr as the log.
    fn run(&mut self, args: &[&str], stdin: &str) -> String {
        let (ok, stdout, stderr) = self.attempt(args, stdin);
        assert!(ok, "keyward {args:?} failed: {}", stderr.lines().rev().take(5).collect::<Vec<_>>().join("\n"));
        stdout
    }

    /// Like `run`, for a command that must fail; its stderr.
    fn fails(&mut self, args: &[&str], stdin: &str) -> String {
        let (ok, _, stderr) = self.attempt(args, stdin);
        assert!(!ok, "keyward {args:?} succeeded");
        stderr
    }

    fn attempt(&mut self, args: &[&str], stdin: &str) -> (bool, String, String) {
        let home = self.dir("home");
        let mut child = Command::new(env!("CARGO_BIN_EXE_keyward"))
            .args(args)
            .env("KEYWARD_DATA_DIR", self.dir("data"))
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("TMPDIR", self.dir("tmp"))
            .env("KEYWARD_LOG", "trace")
            .env("RUST_LOG", "trace")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        self.logs.extend_from_slice(&out.stderr);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.success(), String::from_utf8(out.stdout).unwrap().trim().to_string(), stderr)
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_or_secret_is_found_anywhere_after_a_full_session() {
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
        return;
    }
    let salt = uuid::Uuid::new_v4().simple().to_string();
    let tokens: Vec<String> = ["braintrust", "respan", "barndoor"].iter().map(|s| format!("tok-{s}-{salt}")).collect();
    let sb = spawn(SandboxConfig { tokens: tokens.clone(), allow_api_key_create: true, seed_keys: 3, seed_respan_keys: 2, ..Default::default() })
        .await
        .unwrap();
    let mut rig = Rig { root: tempfile::tempdir().unwrap(), logs: Vec::new() };
    let mut secrets: Vec<String> = tokens.clone();

    for (service, token) in ["braintrust", "respan", "barndoor"].iter().zip(&tokens) {
        rig.run(&["accounts", "add", "--service", service, "--label", service, "--host", &sb.base_url], &format!("{token}\n"));
    }
    rig.run(&["sync"], "");

    // One minted secret of every kind that mints, plus a rotation.
    let mut minted = |rig: &mut Rig, args: &[&str]| {
        let s = rig.run(args, "");
        assert!(s.len() >= 12, "a minted secret on stdout: {args:?}");
        secrets.push(s);
    };
    minted(&mut rig, &["create", "braintrust-api-key", "--account", "braintrust", "--name", "at-rest-key"]);
    minted(&mut rig, &["create", "braintrust-proxy", "--account", "braintrust", "--model", "gpt-4o", "--ttl", "600"]);
    minted(&mut rig, &["create", "braintrust-service-token", "--account", "braintrust", "--name", "at-rest-token", "--service-account-id", "sa-1"]);
    minted(&mut rig, &["create", "respan-temp", "--account", "respan", "--name", "at-rest-temp", "--max-usage", "5"]);
    minted(&mut rig, &["create", "barndoor-gateway-key", "--account", "barndoor", "--name", "at-rest-gw"]);
    minted(&mut rig, &["reissue", "at-rest-gw"]);

    // Every kind whose secret the person gives, created and then given a new one.
    let given = |what: &str| format!("given-{what}-{salt}");
    let ai = given("ai-secret");
    rig.run(&["create", "braintrust-ai-secret", "--account", "braintrust", "--name", "OPENAI_API_KEY", "--type", "openai"], &format!("{ai}\n"));
    let provider = given("respan-provider");
    rig.run(
        &["create", "respan-provider", "--account", "respan", "--provider-id", "my-openai", "--provider-name", "My OpenAI"],
        &format!("{provider}\n"),
    );
    let credential = given("barndoor-credential");
    rig.run(
        &[
            "create",
            "barndoor-credential",
            "--account",
            "barndoor",
            "--name",
            "OpenAI Production",
            "--model-provider",
            "openai",
            "--base-url",
            "https://api.openai.com/v1",
        ],
        &format!("{credential}\n"),
    );
    let aws = format!("{{\"iam_role_arn\": \"arn:aws:iam::1:role/x\", \"external_id\": \"{}\"}}", given("aws-external-id"));
    rig.run(
        &[
            "create",
            "barndoor-credential",
            "--account",
            "barndoor",
            "--name",
            "Bedrock",
            "--model-provider",
            "bedrock",
            "--base-url",
            "https://bedrock-runtime.us-east-1.amazonaws.com",
            "--credentials-json",
        ],
        &format!("{aws}\n"),
    );
    let env_var = given("env-var");
    rig.run(
        &["create", "braintrust-env-var", "--account", "braintrust", "--name", "RESPAN_API_KEY", "--project", "checkout"],
        &format!("{env_var}\n"),
    );
    let rotated: Vec<String> = ["ai-rotated", "provider-rotated", "credential-rotated", "env-var-rotated"].iter().map(|w| given(w)).collect();
    rig.run(&["reissue", "OPENAI_API_KEY"], &format!("{}\n", rotated[0]));
    rig.run(&["reissue", "My OpenAI"], &format!("{}\n", rotated[1]));
    rig.run(&["reissue", "OpenAI Production"], &format!("{}\n", rotated[2]));
    rig.run(&["reissue", "RESPAN_API_KEY"], &format!("{}\n", rotated[3]));
    secrets.extend([ai, provider, credential, env_var, given("aws-external-id")]);
    secrets.extend(rotated);

    // A service that echoes a refused create: the PEM comes back JSON-escaped and multi-line, and
    // reaches the terminal, the log and the audit log only as [redacted].
    let pem = format!("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg{salt}\nkqhkiG9w0BAQEFAASC{salt}\n-----END PRIVATE KEY-----\n");
    let service_account = serde_json::json!({ "type": "service_account", "private_key": pem, "client_email": "ci@example.iam" }).to_string();
    sb.world().faults = keyward_sandbox::Faults { echo_next: 2, ..Default::default() };
    for _ in 0..2 {
        let said = rig.fails(
            &[
                "create",
                "barndoor-credential",
                "--account",
                "barndoor",
                "--name",
                "Vertex",
                "--model-provider",
                "vertex",
                "--base-url",
                "https://us-central1-aiplatform.googleapis.com",
                "--credentials-json",
            ],
            &format!("{service_account}\n"),
        );
        assert!(said.contains("rejected the request (400)") && said.contains("[redacted]"), "{said}");
    }
    secrets.extend(pem.lines().filter(|l| l.contains(&salt)).map(str::to_string));
    secrets.push(pem);

    // A service that answers a create with a 307 elsewhere: not followed, so the other host never
    // sees the upstream key (or the token).
    let elsewhere = spawn(SandboxConfig { tokens: tokens.clone(), ..Default::default() }).await.unwrap();
    sb.world().faults = keyward_sandbox::Faults { redirect_next: 1, redirect_to: elsewhere.base_url.clone(), ..Default::default() };
    let redirected = given("redirected-upstream");
    let said = rig.fails(
        &[
            "create",
            "barndoor-credential",
            "--account",
            "barndoor",
            "--name",
            "Redirected",
            "--model-provider",
            "openai",
            "--base-url",
            "https://api.openai.com/v1",
        ],
        &format!("{redirected}\n"),
    );
    assert!(said.contains("redirect (307)") && said.contains("follows no redirect"), "{said}");
    assert!(elsewhere.world().log.is_empty(), "the redirect was followed: {:?}", elsewhere.world().log);
    secrets.push(redirected);

    // A host change: refused without the token typed again, and the new host hears nothing; with
    // it, the new host gets that token alone.
    let said = rig.fails(&["accounts", "edit", "braintrust", "--host", &elsewhere.base_url], "");
    assert!(said.contains("typed again"), "{said}");
    assert!(elsewhere.world().log.is_empty(), "the stored token went to the new host: {:?}", elsewhere.world().log);
    rig.run(&["accounts", "edit", "braintrust", "--host", &elsewhere.base_url, "--new-token"], &format!("{}\n", tokens[0]));
    assert!(!elsewhere.world().log.is_empty(), "verified at the new host");
    rig.run(&["accounts", "edit", "braintrust", "--host", &sb.base_url, "--new-token"], &format!("{}\n", tokens[0]));

    // Installing and the rotation assistant: minted secrets that go from memory to a credential.
    let held = |sb: &keyward_sandbox::SandboxHandle| {
        let w = sb.world();
        let id = w.barndoor.connections.iter().find(|c| c["name"] == "OpenAI Production").unwrap()["id"].as_str().unwrap().to_string();
        w.barndoor.held_keys[&id].clone()
    };
    let installed =
        rig.run(&["create", "respan-temp", "--account", "respan", "--name", "at-rest-upstream", "--install-into", "OpenAI Production"], "");
    assert!(installed.is_empty(), "an installed secret is not printed");
    secrets.push(held(&sb));
    let replacement = rig.run(&["replace", "at-rest-upstream", "--install-into", "OpenAI Production", "--print-secret"], "");
    assert_eq!(replacement, held(&sb), "the credential holds the replacement");
    secrets.push(replacement);

    // A run: three keys minted for one process and handed to it in its environment only. It
    // prints them to the test's memory, so the search below looks for them too.
    let template = rig.dir("project").join(".env.keyward");
    std::fs::write(
        &template,
        "# a template names keys, never holds one\nRESPAN_KEY=respan-temp@respan?max_usage=5&ttl=10m\n\
         GATEWAY_KEY=barndoor-gateway-key@barndoor?ttl=10m\nPROXY_KEY=braintrust-proxy@braintrust?model=gpt-4o&ttl=10m\n",
    )
    .unwrap();
    let script = r#"printf '%s\n%s\n%s\n' "$RESPAN_KEY" "$GATEWAY_KEY" "$PROXY_KEY""#;
    let handed = rig.run(&["run", "--env-file", template.to_str().unwrap(), "--", "sh", "-c", script], "");
    let handed: Vec<String> = handed.lines().map(str::to_string).collect();
    assert_eq!(handed.len(), 3, "the command was handed three keys");
    assert!(handed.iter().all(|s| s.len() >= 12), "each a minted secret");
    secrets.extend(handed);

    rig.run(&["keys", "list", "--json"], "");
    rig.run(&["audit", "--json"], "");
    // Exports are files a person takes away: they are searched with the rest.
    let exports = rig.dir("home").join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    for format in ["csv", "json"] {
        rig.run(&["export", "--format", format, "--include-gone", "--output", exports.join("inventory").to_str().unwrap()], "");
    }
    rig.run(&["revoke", "at-rest-temp"], "");

    std::fs::write(rig.dir("logs").join("keyward-trace.log"), &rig.logs).unwrap();
    let mut all = Vec::new();
    files(rig.root.path(), &mut all);
    let names: Vec<String> = all.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n == "keyward.db"), "the db is among the files searched: {names:?}");
    assert!(names.iter().any(|n| n == "inventory.csv") && names.iter().any(|n| n == "inventory.json"), "so are the exports: {names:?}");
    let log_lines = rig.logs.split(|b| *b == b'\n').count();
    assert!(log_lines > 100, "trace logging was on ({log_lines} lines)");

    let b64 = [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE_NO_PAD];
    let mut hits = Vec::new();
    let mut bytes_searched = 0usize;
    for path in &all {
        let data = std::fs::read(path).unwrap();
        bytes_searched += data.len();
        for secret in &secrets {
            let mut needles = vec![secret.as_bytes().to_vec()];
            needles.extend(b64.iter().map(|e| e.encode(secret).into_bytes()));
            let escaped = serde_json::Value::String(secret.clone()).to_string();
            needles.push(escaped.trim_matches('"').as_bytes().to_vec());
            for n in needles {
                if data.windows(n.len()).any(|w| w == n.as_slice()) {
                    hits.push(format!("{} in {}", &secret[..secret.len().min(12)], path.display()));
                }
            }
        }
    }
    println!(
        "secrets at rest: {} hits for {} secrets and tokens (raw, JSON-escaped, 2 base64 forms) in {} files, {} bytes, {} log lines at trace level",
        hits.len(),
        secrets.len(),
        all.len(),
        bytes_searched,
        log_lines
    );
    assert!(hits.is_empty(), "found at rest: {hits:#?}");
}
