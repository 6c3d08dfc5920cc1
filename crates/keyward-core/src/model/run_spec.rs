//! `keyward run`'s words: what a variable of the child's environment is set to. A value
//! `KIND@ACCOUNT?limit=value&...` names a key minted for that one process, e.g.
//! `respan-temp@Gateway?max_usage=100&spending_limit=5&ttl=1h` (KIND is the kind's
//! `command_word`, as in `keyward create`); any other value passes through as
//! it is, so one template also sets `OPENAI_BASE_URL` and the like. A template (`.env.keyward`)
//! is one `NAME=VALUE` a line, with `#` comments: it names keys, it never holds one.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::new_key::{NewKey, PROXY_TTL_MAX};
use super::KeyKind;
use crate::error::{Error, Result};

/// A key minted for a run that is not told otherwise lives this long.
pub const RUN_TTL_DEFAULT: Duration = Duration::from_secs(3600);
/// And at most this long: a run's key is bounded by its expiry should Keyward die with the run.
pub const RUN_TTL_MAX: Duration = Duration::from_secs(PROXY_TTL_MAX as u64);

/// The kinds a run can mint: each expires by itself, so none outlives a crash for long.
pub const RUN_KINDS: [KeyKind; 3] = [KeyKind::RespanTempKey, KeyKind::BraintrustProxyCredential, KeyKind::BarndoorGatewayKey];

/// The limits each kind takes, besides `ttl`.
fn limits_of(kind: KeyKind) -> &'static [&'static str] {
    match kind {
        KeyKind::RespanTempKey => &["max_usage", "rate_limit", "spending_limit", "is_test"],
        KeyKind::BraintrustProxyCredential => &["model", "logging_project"],
        // scopes=a,b: the scopes, comma-separated.
        KeyKind::BarndoorGatewayKey => &["scopes", "user_id", "user_email", "group_name"],
        _ => &[],
    }
}

/// A key to mint for a run: its kind, the account (id or label) and its limits.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    pub kind: KeyKind,
    pub account: String,
    pub ttl: Duration,
    /// The kind's limits as written, checked against `limits_of`.
    pub limits: Vec<(String, String)>,
}

/// What one variable of the child's environment is set to.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvValue {
    Mint(RunSpec),
    Plain(String),
}

/// One `NAME=VALUE` of `--env` or a template.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvEntry {
    pub name: String,
    pub value: EnvValue,
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=VALUE`, as `--env` takes it. `field` names where it came from in an error.
pub fn parse_entry(text: &str, field: &str) -> Result<EnvEntry> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(Error::invalid(field, format!("“{}” is not NAME=VALUE.", super::rules::clip(text))));
    };
    let name = name.trim();
    if !valid_name(name) {
        return Err(Error::invalid(
            field,
            format!("“{}” is not a variable name (letters, digits and _, not first a digit).", super::rules::clip(name)),
        ));
    }
    let value = parse_value(value).map_err(|e| Error::invalid(field, format!("{name}: {}", e.message)))?;
    Ok(EnvEntry { name: name.to_string(), value })
}

/// The kinds a run mints, as a person types them.
fn run_words() -> String {
    RUN_KINDS.iter().map(|k| k.command_word()).collect::<Vec<_>>().join(", ")
}

/// A value is a key to mint when it starts with a run kind and `@`. One that starts with another
/// kind, or with a near miss of a run kind, is refused rather than handed on as text (the
/// command would get "respan-tmp@Gateway" for a key); anything else is plain.
pub fn parse_value(value: &str) -> Result<EnvValue> {
    let Some((kind_word, rest)) = value.split_once('@') else { return Ok(EnvValue::Plain(value.to_string())) };
    let Some(&kind) = RUN_KINDS.iter().find(|k| k.command_word() == kind_word) else {
        if let Some(other) = KeyKind::ALL.iter().find(|k| k.command_word() == kind_word) {
            return Err(Error::invalid(
                "kind",
                format!("A run cannot mint a {}: it mints {} (each expires by itself).", other.command_word(), run_words()),
            ));
        }
        let near_miss = |word: &str| {
            strsim::levenshtein(word, kind_word) <= 2 || (kind_word.len() >= 6 && (word.starts_with(kind_word) || kind_word.starts_with(word)))
        };
        if let Some(near) = RUN_KINDS.iter().find(|k| near_miss(k.command_word())) {
            return Err(Error::invalid(
                "kind",
                format!(
                    "“{}” is not a kind a run mints: did you mean {}? (It mints {}.)",
                    super::rules::clip(kind_word),
                    near.command_word(),
                    run_words()
                ),
            ));
        }
        return Ok(EnvValue::Plain(value.to_string()));
    };
    let (account, query) = rest.split_once('?').unwrap_or((rest, ""));
    let account = account.trim();
    if account.is_empty() {
        return Err(Error::invalid("account", format!("{kind_word}@ names no account: {kind_word}@ACCOUNT, the account's label or id.")));
    }
    let mut spec = RunSpec { kind, account: account.to_string(), ttl: RUN_TTL_DEFAULT, limits: Vec::new() };
    let mut seen: Vec<&str> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let Some((name, limit)) = pair.split_once('=') else {
            return Err(Error::invalid("limit", format!("“{}” is not limit=value.", super::rules::clip(pair))));
        };
        if seen.contains(&name) {
            return Err(Error::invalid("limit", format!("{} is given twice.", super::rules::clip(name))));
        }
        seen.push(name);
        if name == "ttl" {
            spec.ttl = parse_ttl(limit)?;
        } else if limits_of(kind).contains(&name) {
            spec.limits.push((name.to_string(), limit.to_string()));
        } else {
            let takes: Vec<&str> = limits_of(kind).iter().copied().chain(["ttl"]).collect();
            return Err(Error::invalid(
                "limit",
                format!("A {} takes no “{}”: it takes {}.", kind.label(), super::rules::clip(name), takes.join(", ")),
            ));
        }
    }
    Ok(EnvValue::Mint(spec))
}

fn parse_ttl(text: &str) -> Result<Duration> {
    let ttl = humantime::parse_duration(text.trim())
        .map_err(|_| Error::invalid("ttl", format!("ttl “{}” is not a duration such as 90s, 15m or 1h.", super::rules::clip(text))))?;
    if ttl < Duration::from_secs(1) || ttl > RUN_TTL_MAX {
        return Err(Error::invalid("ttl", format!("ttl is from 1s to {}.", humantime::format_duration(RUN_TTL_MAX))));
    }
    Ok(ttl)
}

/// A template: `NAME=VALUE` lines, blank lines, `#` comments, an optional `export `, a value in
/// matching quotes taken inside them. An error names the file and the line.
pub fn parse_template(text: &str, file: &str) -> Result<Vec<EnvEntry>> {
    let mut out: Vec<EnvEntry> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let at = format!("{file}:{}", i + 1);
        let unquoted = match line.split_once('=') {
            Some((name, value)) => {
                let v = value.trim();
                let quoted = v.len() >= 2 && (v.starts_with('"') && v.ends_with('"') || v.starts_with('\'') && v.ends_with('\''));
                format!("{name}={}", if quoted { &v[1..v.len() - 1] } else { v })
            }
            None => line.to_string(),
        };
        let entry = parse_entry(&unquoted, "env_file").map_err(|e| Error::invalid("env_file", format!("{at}: {}", e.message)))?;
        if out.iter().any(|e| e.name == entry.name) {
            return Err(Error::invalid("env_file", format!("{at}: {} is set twice.", entry.name)));
        }
        out.push(entry);
    }
    Ok(out)
}

/// What a run is called in the store, the audit log and its keys' names: the program's file
/// name, never its arguments (they may hold secrets of their own), in plain characters.
pub fn command_name(program: &str) -> String {
    let file = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let name: String = file.chars().map(|c| if c.is_ascii_alphanumeric() || "._+-".contains(c) { c } else { '_' }).take(COMMAND_NAME_MAX).collect();
    if name.is_empty() {
        "command".into()
    } else {
        name
    }
}

const COMMAND_NAME_MAX: usize = 40;

/// The name a run's key is minted with, so the service's own console says what it is for.
pub fn key_name(command: &str, env_name: &str) -> String {
    format!("{env_name} for {command} (keyward run)")
}

/// How to get a key like one just chosen for each run instead: its `keyward run` value, the
/// template line and the command line, with the limits chosen. Never a secret.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RunHint {
    /// e.g. `respan-temp@Gateway?max_usage=100&ttl=1h`.
    pub spec: String,
    /// `NAME=spec`, for a `.env.keyward`.
    pub template_line: String,
    /// `keyward run -e 'NAME=spec' -- COMMAND`, quoted for a POSIX shell.
    pub command_line: String,
}

/// The hint for a request on `account` (named by its label, or its id when the label holds a
/// character the spec grammar uses); `None` for the kinds a run cannot mint.
pub fn hint_for(request: &NewKey, account: &super::Account, now: DateTime<Utc>) -> Option<RunHint> {
    let kind = request.kind();
    if !RUN_KINDS.contains(&kind) {
        return None;
    }
    let label = account.label.trim();
    let plain = !label.is_empty() && label == account.label && !label.contains(['?', '&', '=', '\n', '\'', '#']);
    let mut limits: Vec<(&str, String)> = Vec::new();
    // An expiry within a run's longest life becomes its ttl; a later one is left to the default.
    let ttl_until = |at: Option<&str>| {
        let at = DateTime::parse_from_rfc3339(at?).ok()?.with_timezone(&Utc);
        let left = (at - now).to_std().ok()?;
        (left >= Duration::from_secs(60) && left <= RUN_TTL_MAX).then(|| Duration::from_secs(left.as_secs() / 60 * 60))
    };
    let ttl = match request {
        NewKey::RespanTempKey { expiry_date, max_usage, rate_limit, spending_limit, is_test, .. } => {
            limits.extend(max_usage.filter(|n| *n != -1).map(|n| ("max_usage", n.to_string())));
            limits.extend(rate_limit.map(|n| ("rate_limit", n.to_string())));
            limits.extend(spending_limit.map(|n| ("spending_limit", n.to_string())));
            limits.extend(is_test.filter(|t| *t).map(|t| ("is_test", t.to_string())));
            ttl_until(expiry_date.as_deref())
        }
        NewKey::BraintrustProxyCredential { model, ttl_seconds, logging_project } => {
            limits.extend(model.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(|m| ("model", m.to_string())));
            limits.extend(logging_project.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(|p| ("logging_project", p.to_string())));
            ttl_seconds.map(|s| Duration::from_secs(s.into()))
        }
        NewKey::BarndoorGatewayKey { expires_at, access, .. } => {
            let scopes = access.scopes();
            if !scopes.is_empty() {
                limits.push(("scopes", scopes.join(",")));
            }
            limits.extend(access.user_id().map(|v| ("user_id", v.to_string())));
            limits.extend(access.user_email().map(|v| ("user_email", v.to_string())));
            limits.extend(access.group_name().map(|v| ("group_name", v.to_string())));
            ttl_until(expires_at.as_deref())
        }
        _ => None,
    };
    if let Some(ttl) = ttl.filter(|t| *t != RUN_TTL_DEFAULT) {
        limits.push(("ttl", humantime::format_duration(ttl).to_string().replace(' ', "")));
    }
    // A value holding `&` or `=` cannot be written in the grammar: such a limit is left out.
    limits.retain(|(_, v)| !v.contains(['&', '=', '\n']));
    let query: Vec<String> = limits.iter().map(|(n, v)| format!("{n}={v}")).collect();
    let account_word = if plain { label } else { account.id.as_str() };
    let spec = if query.is_empty() {
        format!("{}@{account_word}", kind.command_word())
    } else {
        format!("{}@{account_word}?{}", kind.command_word(), query.join("&"))
    };
    let template_line = format!("{}={spec}", kind.env_var());
    let command_line = format!("keyward run -e '{}' -- COMMAND", template_line.replace('\'', "'\\''"));
    Some(RunHint { spec, template_line, command_line })
}

impl RunSpec {
    /// The request that mints this key, named `name`, expiring `ttl` from `now`.
    pub fn request(&self, name: &str, now: DateTime<Utc>) -> Result<NewKey> {
        let ends = now + chrono::Duration::from_std(self.ttl).map_err(|_| Error::invalid("ttl", "ttl is too long."))?;
        let limit = |name: &str| self.limits.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let number = |field: &str| -> Result<Option<i64>> {
            limit(field)
                .map(|v| v.parse().map_err(|_| Error::invalid(field, format!("{field} “{}” is not a whole number.", super::rules::clip(v)))))
                .transpose()
        };
        Ok(match self.kind {
            KeyKind::RespanTempKey => NewKey::RespanTempKey {
                name: Some(name.to_string()),
                expiry_date: Some(ends.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                max_usage: number("max_usage")?,
                rate_limit: number("rate_limit")?,
                spending_limit: limit("spending_limit")
                    .map(|v| {
                        v.parse()
                            .map_err(|_| Error::invalid("spending_limit", format!("spending_limit “{}” is not an amount.", super::rules::clip(v))))
                    })
                    .transpose()?,
                is_test: limit("is_test")
                    .map(|v| v.parse().map_err(|_| Error::invalid("is_test", format!("is_test “{}” is not true or false.", super::rules::clip(v)))))
                    .transpose()?,
            },
            KeyKind::BraintrustProxyCredential => NewKey::BraintrustProxyCredential {
                model: limit("model").map(str::to_string),
                ttl_seconds: Some(self.ttl.as_secs() as u32),
                logging_project: limit("logging_project").map(str::to_string),
            },
            KeyKind::BarndoorGatewayKey => NewKey::BarndoorGatewayKey {
                name: name.to_string(),
                expires_at: Some(ends.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                access: super::new_key::GatewayAccess {
                    scopes: limit("scopes").map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()),
                    user_id: limit("user_id").map(str::to_string),
                    user_email: limit("user_email").map(str::to_string),
                    group_name: limit("group_name").map(str::to_string),
                },
            },
            other => return Err(Error::invalid("kind", format!("A run cannot mint a {}.", other.label()))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mint(value: &str) -> RunSpec {
        match parse_value(value).unwrap() {
            EnvValue::Mint(spec) => spec,
            plain => panic!("{value} read as {plain:?}"),
        }
    }

    #[test]
    fn the_issues_examples_read_as_keys_to_mint() {
        let r = mint("respan-temp@Gateway?max_usage=100&spending_limit=5&ttl=1h");
        assert_eq!((r.kind, r.account.as_str(), r.ttl), (KeyKind::RespanTempKey, "Gateway", Duration::from_secs(3600)));
        assert_eq!(r.limits, [("max_usage".to_string(), "100".to_string()), ("spending_limit".into(), "5".into())]);
        let b = mint("braintrust-proxy@Production?model=gpt-4o&ttl=15m&logging_project=demo");
        assert_eq!((b.kind, b.ttl), (KeyKind::BraintrustProxyCredential, Duration::from_secs(900)));
        let g = mint("barndoor-gateway-key@Platform?ttl=1h");
        assert_eq!((g.kind, g.account.as_str()), (KeyKind::BarndoorGatewayKey, "Platform"));
        assert_eq!(mint("barndoor-gateway-key@My Platform").ttl, RUN_TTL_DEFAULT, "no ttl: the default");
    }

    #[test]
    fn anything_else_passes_through() {
        for plain in ["https://gateway.example/v1", "me@example.com", "", "a=b=c", "openai-key@x?ttl=1h"] {
            assert_eq!(parse_value(plain).unwrap(), EnvValue::Plain(plain.to_string()), "{plain}");
        }
    }

    #[test]
    fn a_mistyped_or_unmintable_kind_is_refused_not_passed_on() {
        let message = |v: &str| parse_value(v).unwrap_err().message;
        assert!(message("respan-tmp@Gateway").contains("did you mean respan-temp?"), "{}", message("respan-tmp@Gateway"));
        assert!(message("barndoor-gateway@Platform?ttl=1h").contains("did you mean barndoor-gateway-key?"));
        assert!(message("respan@Gateway").contains("did you mean respan-temp?"));
        assert!(message("braintrust-api-key@Production")
            .starts_with("A run cannot mint a braintrust-api-key: it mints respan-temp, braintrust-proxy, barndoor-gateway-key"));
        for plain in ["support@respan.ai", "barndoor-team@example.com", "ops@braintrust.dev"] {
            assert_eq!(parse_value(plain).unwrap(), EnvValue::Plain(plain.into()), "{plain}");
        }
    }

    #[test]
    fn bad_specs_name_what_is_wrong() {
        let message = |v: &str| parse_value(v).unwrap_err().message;
        assert!(message("respan-temp@?ttl=1h").contains("names no account"));
        assert!(message("respan-temp@G?model=gpt-4o").contains("takes no “model”: it takes max_usage, rate_limit, spending_limit, is_test, ttl"));
        assert!(message("barndoor-gateway-key@P?ttl=soon").contains("not a duration"));
        assert!(message("barndoor-gateway-key@P?ttl=2d").contains("from 1s to 1day"));
        assert!(message("barndoor-gateway-key@P?ttl=1h&ttl=2h").contains("given twice"));
        assert!(message("respan-temp@G?max_usage=1&max_usage=2").contains("given twice"));
        assert!(message("respan-temp@G?max_usage").contains("not limit=value"));
    }

    #[test]
    fn an_entry_is_a_name_and_a_value() {
        let e = parse_entry("RESPAN_API_KEY=respan-temp@Gateway", "env").unwrap();
        assert_eq!(e.name, "RESPAN_API_KEY");
        assert!(matches!(e.value, EnvValue::Mint(_)));
        for bad in ["NOEQUALS", "1ABC=x", "A-B=x", "=x"] {
            let err = parse_entry(bad, "env").unwrap_err();
            assert_eq!(err.field.as_deref(), Some("env"), "{bad}");
        }
        let err = parse_entry("KEY=respan-temp@G?colour=red", "env").unwrap_err();
        assert!(err.message.starts_with("KEY: "), "{}", err.message);
    }

    #[test]
    fn a_template_has_comments_quotes_and_export_and_names_its_bad_lines() {
        let text = "# keys for the test suite\n\nexport OPENAI_BASE_URL=\"https://api.respan.ai/v1\"\nOPENAI_API_KEY = respan-temp@Gateway?ttl=30m\nMODE='ci'\n";
        let entries = parse_template(text, ".env.keyward").unwrap();
        assert_eq!(entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["OPENAI_BASE_URL", "OPENAI_API_KEY", "MODE"]);
        assert_eq!(entries[0].value, EnvValue::Plain("https://api.respan.ai/v1".into()));
        assert_eq!(entries[2].value, EnvValue::Plain("ci".into()));
        let twice = parse_template("A=1\nA=2\n", ".env.keyward").unwrap_err();
        assert_eq!(twice.message, ".env.keyward:2: A is set twice.");
        let bad = parse_template("A=1\n\nnot a line\n", "t").unwrap_err();
        assert!(bad.message.starts_with("t:3: "), "{}", bad.message);
    }

    fn account(label: &str) -> crate::model::Account {
        crate::model::Account {
            id: "acc-1".into(),
            service: crate::model::Service::Respan,
            label: label.into(),
            host: "https://api.respan.ai".into(),
            org_name: None,
            identity: None,
            created_at: Utc::now(),
            last_synced_at: None,
            last_sync_error: None,
            key_count: 0,
        }
    }

    #[test]
    fn a_hint_reads_back_as_the_limits_chosen() {
        let now: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        let respan = NewKey::RespanTempKey {
            name: Some("ci".into()),
            expiry_date: Some("2026-12-01T10:30:00Z".into()),
            max_usage: Some(100),
            rate_limit: None,
            spending_limit: Some(5.0),
            is_test: Some(true),
        };
        let hint = hint_for(&respan, &account("Gateway"), now).unwrap();
        assert_eq!(hint.spec, "respan-temp@Gateway?max_usage=100&spending_limit=5&is_test=true&ttl=30m");
        assert_eq!(hint.template_line, format!("RESPAN_API_KEY={}", hint.spec));
        assert_eq!(hint.command_line, format!("keyward run -e 'RESPAN_API_KEY={}' -- COMMAND", hint.spec));
        let EnvValue::Mint(back) = parse_entry(&hint.template_line, "env").unwrap().value else { panic!("a key to mint") };
        assert_eq!((back.kind, back.account.as_str(), back.ttl), (KeyKind::RespanTempKey, "Gateway", Duration::from_secs(1800)));
        let request = back.request("x", now).unwrap();
        assert!(matches!(request, NewKey::RespanTempKey { max_usage: Some(100), spending_limit: Some(s), is_test: Some(true), .. } if s == 5.0));

        let proxy = NewKey::BraintrustProxyCredential { model: Some("gpt-4o".into()), ttl_seconds: Some(900), logging_project: Some("demo".into()) };
        assert_eq!(
            hint_for(&proxy, &account("Production"), now).unwrap().spec,
            "braintrust-proxy@Production?model=gpt-4o&logging_project=demo&ttl=15m"
        );
        let far = NewKey::BarndoorGatewayKey { name: "gw".into(), expires_at: Some("2027-06-01T00:00:00Z".into()), access: Default::default() };
        let scoped = NewKey::BarndoorGatewayKey {
            name: "gw".into(),
            expires_at: None,
            access: crate::model::new_key::GatewayAccess {
                scopes: Some(vec!["llm:invoke".into(), "models:read".into()]),
                group_name: Some("eng".into()),
                ..Default::default()
            },
        };
        let hint = hint_for(&scoped, &account("Platform"), now).unwrap();
        assert_eq!(hint.spec, "barndoor-gateway-key@Platform?scopes=llm:invoke,models:read&group_name=eng");
        let EnvValue::Mint(back) = parse_value(&hint.spec).unwrap() else { panic!("a key to mint") };
        let NewKey::BarndoorGatewayKey { access, .. } = back.request("x", now).unwrap() else { panic!("a gateway key") };
        assert_eq!((access.scopes(), access.group_name()), (vec!["llm:invoke", "models:read"], Some("eng")), "scopes and group read back");
        assert_eq!(hint_for(&far, &account("Platform"), now).unwrap().spec, "barndoor-gateway-key@Platform", "a far expiry leaves the default ttl");
        assert_eq!(hint_for(&far, &account("Q&A?"), now).unwrap().spec, "barndoor-gateway-key@acc-1", "a label the grammar cannot hold: the id");
        let quoted = hint_for(&far, &account("it's"), now).unwrap();
        assert_eq!(quoted.command_line, "keyward run -e 'BARNDOOR_API_KEY=barndoor-gateway-key@acc-1' -- COMMAND");
        let api_key = NewKey::BraintrustApiKey { name: "t".into() };
        assert_eq!(hint_for(&api_key, &account("x"), now), None, "a run cannot mint it");
    }

    #[test]
    fn a_run_is_named_by_its_program_alone() {
        assert_eq!(command_name("/usr/bin/python3"), "python3");
        assert_eq!(command_name("./scripts/run tests.sh"), "run_tests.sh");
        assert_eq!(command_name("C:\\tools\\app.exe"), "app.exe");
        assert_eq!(command_name("/bin/"), "command");
        assert_eq!(command_name("\u{202e}evil"), "_evil", "no hidden character reaches a name");
        assert_eq!(command_name(&"x".repeat(100)).len(), 40);
        assert_eq!(key_name("pytest", "OPENAI_API_KEY"), "OPENAI_API_KEY for pytest (keyward run)");
    }

    #[test]
    fn each_spec_becomes_a_request_that_expires() {
        let now = "2026-12-01T10:00:00Z".parse().unwrap();
        let r = mint("respan-temp@G?max_usage=100&spending_limit=5.5&is_test=true&ttl=1h").request("run: pytest", now).unwrap();
        let NewKey::RespanTempKey { name, expiry_date, max_usage, spending_limit, is_test, rate_limit } = r else { panic!() };
        assert_eq!(
            (name.as_deref(), expiry_date.as_deref(), max_usage, spending_limit, is_test, rate_limit),
            (Some("run: pytest"), Some("2026-12-01T11:00:00Z"), Some(100), Some(5.5), Some(true), None)
        );
        let b = mint("braintrust-proxy@P?model=gpt-4o&ttl=15m").request("run", now).unwrap();
        assert!(
            matches!(b, NewKey::BraintrustProxyCredential { ttl_seconds: Some(900), model: Some(ref m), logging_project: None } if m == "gpt-4o")
        );
        let g = mint("barndoor-gateway-key@P").request("run: make", now).unwrap();
        assert!(matches!(g, NewKey::BarndoorGatewayKey { ref expires_at, .. } if expires_at.as_deref() == Some("2026-12-01T11:00:00Z")));
        let bad = mint("respan-temp@G?max_usage=lots").request("run", now).unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("max_usage"));
    }
}
