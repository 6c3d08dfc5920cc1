// A stand-in for Keyward's shell inside the page: the same commands and events over the same
// `__TAURI_INTERNALS__` hooks the real IPC uses. A test configures it through
// `window.__KEYWARD_FAKE_CONFIG__` before the page loads and drives it through `window.__fake`.
(() => {
  const config = Object.assign(
    { goodToken: 'sk-good-token', accounts: [], keysPerAccount: 40, offline: false, bigInventory: 0 },
    window.__KEYWARD_FAKE_CONFIG__ || {},
  );
  const presets = [
    { service: 'braintrust', label: 'Braintrust (US)', url: 'https://api.braintrust.dev', is_default: true },
    { service: 'braintrust', label: 'Braintrust (EU)', url: 'https://api-eu.braintrust.dev', is_default: false },
  ];
  const owners = ['ana@example.com', 'ben@example.com', 'chen@example.com'];
  const state = { accounts: [], keys: [], offline: config.offline, damaged: !!config.damaged, calls: [], secrets: {}, revealed: {}, clipboard: null,
    settings: { expiry_window_days: 7, rotate_after_days: 90, notify_expiry: true, clipboard_clear_secs: 30, theme: 'system' }, dismissed: {}, installs: [],
    audit: [], dialogs: [], exports: [] };
  // `settings` overrides some saved settings, e.g. `{ theme: 'dark' }`.
  Object.assign(state.settings, config.settings || {});
  const iso = (minutesAgo) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  // The day the shell names an export after, in the person's time zone.
  const localDay = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };

  // Each service's usual kinds, in turn, so every screen meets the kinds it must handle.
  const KINDS = {
    braintrust: ['braintrust_api_key'],
    respan: ['respan_temp_key', 'respan_provider'],
    barndoor: ['barndoor_credential', 'barndoor_gateway_key'],
  };
  // The variable each kind a run can mint is handed in, and the word `keyward run` names it by.
  const RUN_KINDS = {
    respan_temp_key: { env: 'RESPAN_API_KEY', word: 'respan-temp' },
    braintrust_proxy_credential: { env: 'BRAINTRUST_PROXY_CREDENTIAL', word: 'braintrust-proxy' },
    barndoor_gateway_key: { env: 'BARNDOOR_API_KEY', word: 'barndoor-gateway-key' },
  };
  // `runs: true` on an account: its second key was minted by a run still going on (pytest), its
  // fourth by one that ended (uvicorn, so the key is revoked); or a list of { key, command, ended }.
  const RUNS = [{ key: 2, command: 'pytest', pid: 48213 }, { key: 4, command: 'uvicorn', pid: 51077, ended: true }];
  const runMark = (r, kind, startedAgo) => ({
    run_id: `run-${r.command}-${r.key}`, command: r.command, pid: r.pid ?? 40000 + r.key, env_name: r.env_name ?? RUN_KINDS[kind]?.env ?? 'API_KEY',
    started_at: iso(startedAgo), ended_at: r.ended ? iso(startedAgo - 25) : null,
  });
  function markRuns(account, rows) {
    const runs = account.runs === true ? RUNS : account.runs ?? [];
    for (const r of runs) {
      const key = rows.find((k) => k.provider_id === `p${r.key}`);
      if (!key) continue;
      key.run = runMark(r, key.kind, 20 + r.key * 10);
      if (!account.names) key.name = `${key.run.env_name} for ${r.command} (keyward run)`;
      key.created_at = key.run.started_at;
      key.expires_at = new Date(Date.parse(key.run.started_at) + 3600_000).toISOString();
      if (r.ended) key.status = 'revoked';
    }
  }
  // What Barndoor returns for a gateway key beyond the row, by key id (kept for key_details), and
  // the row's `gateway` read from it as the core reads it: `kind` is the class, and a previous
  // secret's end only while it is ahead. Every other kind's row has `gateway: null`.
  const gatewayDetails = {};
  const GATEWAY_USER = '5f0c9a4e-2b7d-4c1a-9e3f-8d6b2a1c0e47';
  const gatewayState = (d = {}) => ({
    class: d.kind || null, scopes: Array.isArray(d.scopes) ? d.scopes.filter((x) => typeof x === 'string') : [],
    user_id: d.user_id || null, group_name: d.group_name || null, disabled_at: d.disabled_at || null, rotated_at: d.rotated_at || null,
    previous_key_expires_at: d.previous_key_expires_at && Date.parse(d.previous_key_expires_at) > Date.now() ? d.previous_key_expires_at : null,
  });
  /** Sets what Barndoor holds of a gateway key (merged into what it held), and the row's state from it. */
  function setGateway(key, details) {
    gatewayDetails[key.id] = { kind: 'user', scopes: [], user_id: null, group_name: null, disabled_at: null, rotated_at: null,
      previous_key_expires_at: null, ...gatewayDetails[key.id], ...details };
    key.gateway = gatewayState(gatewayDetails[key.id]);
  }
  // Each account's gateway keys in turn (`gateways` on an account to choose them): a plain user
  // key; one disabled 3 days ago; a machine key bound to a group; and one reissued a minute ago
  // whose previous secret works an hour more.
  const GATEWAYS = [
    {},
    { scopes: ['llm:invoke'], user_id: GATEWAY_USER, disabled_at: iso(3 * 24 * 60) },
    { kind: 'machine', scopes: ['llm:invoke', 'mcp:read'], group_name: 'engineering' },
    { scopes: ['llm:invoke', 'mcp:read', 'models:read'], user_id: GATEWAY_USER, rotated_at: iso(1), previous_key_expires_at: iso(-60) },
  ];
  function makeKeys(account, n) {
    const rows = [];
    const kinds = account.kinds ?? KINDS[account.service];
    const gateways = account.gateways ?? GATEWAYS;
    let gateway = 0;
    for (let i = 1; i <= n; i++) {
      rows.push({
        id: `${account.id}-k${i}`, account_id: account.id, account_label: account.label, service: account.service,
        kind: kinds[i % kinds.length], provider_id: `p${i}`, name: account.names?.[i - 1] ?? `key-${String(i).padStart(4, '0')}`,
        preview: `sk-****${(i % 65536).toString(16).padStart(4, '0')}`, owner: owners[i % 3],
        created_at: iso(n - i + 60), expires_at: null, status: 'active', last_seen_at: iso(1), rotate_due: (account.rotateDue ?? []).includes(i), run: null,
        ...(kinds[i % kinds.length] === 'respan_temp_key'
          ? { usage_count: (i * 37) % 100, usage_limit: 100, spend: ((i * 13) % 50) / 10, spend_limit: 5, is_test: i % 2 === 0,
              expires_at: new Date(Date.now() + i * 36 * 3600_000).toISOString(), status: i * 36 < 7 * 24 ? 'expiring' : 'active' }
          : {}),
        gateway: null,
      });
      if (rows.at(-1).kind === 'barndoor_gateway_key') setGateway(rows.at(-1), gateways[gateway++ % gateways.length]);
    }
    markRuns(account, rows);
    return rows.reverse();
  }

  // The Braintrust projects a token sees (`config.projects` to change them), newest first as
  // Braintrust lists them. `projectsFail: n` fails the first n asks; `projectsDelay` ms slows each.
  const PROJECTS = config.projects ?? [
    { id: '9b2e4f10-7a3c-4d5e-8f61-2c4b6d8e0a13', name: 'checkout', description: 'Checkout flow evals', created_at: iso(10 * 24 * 60) },
    { id: '5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01', name: 'support-bot', description: 'Customer support assistant', created_at: iso(30 * 24 * 60) },
  ];
  const ORG_ID = '0c6f3a1e-8b2d-4e9f-a1c3-5d7e9f1b3a5c';
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  // What Braintrust returns for an env var beyond the row (kept by key id for key_details).
  const envDetails = {};
  // As the core names an env var's scope in the owner column.
  const envOwner = (objectType, objectId) => {
    if (objectType === 'organization') return 'organization';
    const project = objectType === 'project' && PROJECTS.find((p) => p.id === objectId);
    return project ? `project ${project.name}` : `${objectType} ${String(objectId ?? '').slice(0, 8)}`;
  };
  const days = (n) => iso(n * 24 * 60);
  function envVarRow(account, id, v) {
    const objectId = v.object_type === 'organization' ? ORG_ID : v.object_id ?? PROJECTS.find((p) => p.name === v.project)?.id;
    const preview = `********${v.tail}`;
    envDetails[id] = { id: `ev-${id}`, name: v.name, object_type: v.object_type, object_id: objectId,
      ...(v.object_type === 'project' ? { project_name: PROJECTS.find((p) => p.id === objectId)?.name } : {}),
      preview_secret: preview, secret_type: v.secret_type ?? null, secret_category: v.category ?? 'env_var',
      used: v.used ?? null, secret_updated_at: v.changed ?? v.created, created: v.created, metadata: null };
    return { id, account_id: account.id, account_label: account.label, service: 'braintrust', kind: 'braintrust_env_var', provider_id: `ev-${id}`,
      name: v.name, preview, owner: envOwner(v.object_type, objectId), created_at: v.created, expires_at: null, status: 'active', last_seen_at: iso(1),
      rotate_due: false, run: null, gateway: null, is_test: null, usage_count: null, usage_limit: null, spend: null, spend_limit: null, rate_limit: null,
      last_used_at: v.used ?? null };
  }
  // `envVars: true` on a Braintrust account: three variables, one in each scope, used 3 days ago,
  // never, and 45 days ago.
  const ENV_VARS = [
    { name: 'RESPAN_API_KEY', object_type: 'project', project: 'checkout', tail: '7f3a', secret_type: 'respan', category: 'env_var',
      created: days(60), changed: days(12), used: days(3) },
    { name: 'OPENAI_API_KEY', object_type: 'organization', tail: 'c0de', secret_type: 'openai', category: 'ai_provider', created: days(90), changed: days(40), used: null },
    { name: 'E2B_API_KEY', object_type: 'function', object_id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', tail: 'e2b0', secret_type: 'e2b', category: 'sandbox_provider',
      created: days(120), changed: days(100), used: days(45) },
  ];

  // A key that expired yesterday, when a test asks for one.
  const expireOne = (rows, name) => rows.forEach((k) => { if (k.name === name) Object.assign(k, { expires_at: iso(24 * 60), status: 'expired' }); });
  for (const a of config.accounts) {
    const account = Object.assign(
      { id: `acc-${state.accounts.length + 1}`, service: 'braintrust', host: 'https://api.braintrust.dev', org_name: null,
        identity: 'organization demo', created_at: iso(600), last_synced_at: iso(12), last_sync_error: null, key_count: 0 },
      a,
    );
    state.accounts.push(account);
    const rows = makeKeys(account, a.keys ?? config.keysPerAccount);
    for (const name of a.expired ?? []) expireOne(rows, name);
    if (a.envVars) (a.envVars === true ? ENV_VARS : a.envVars).forEach((v, n) => rows.unshift(envVarRow(account, `${account.id}-ev${n + 1}`, v)));
    state.keys.push(...rows);
  }
  // `leftRun: { command, revoked, expiring, failed }`: a run a killed Keyward left, with that many
  // keys of each end to come. Its keys are in the inventory, still live; the first `reap_runs` ends
  // it (those that fail stay live, and the run open), later ones find nothing. `reapFails`: it throws.
  state.leftRuns = [];
  if (config.leftRun) {
    const { command = 'pytest', revoked = 0, expiring = 0, failed = 0 } = config.leftRun;
    const revocable = state.accounts.find((a) => a.service !== 'braintrust');
    const proxies = state.accounts.find((a) => a.service === 'braintrust');
    const run = { command, started_at: iso(95), keys: [] };
    const names = ['', 'JUDGE_', 'GRADER_', 'EVAL_'];
    const ends = [...Array(revoked).fill('revoked'), ...Array(failed).fill('failed'), ...Array(expiring).fill('expiring')];
    ends.forEach((end, n) => {
      const account = end === 'expiring' ? proxies : revocable;
      const kind = end === 'expiring' ? 'braintrust_proxy_credential' : account.service === 'respan' ? 'respan_temp_key' : 'barndoor_gateway_key';
      const env = `${names[n % names.length]}${RUN_KINDS[kind].env}`;
      const key = { id: `${account.id}-run${n + 1}`, account_id: account.id, account_label: account.label, service: account.service, kind,
        provider_id: `p-run${n + 1}`, name: `${env} for ${command} (keyward run)`, preview: end === 'expiring' ? null : `sk-****run${n + 1}`, owner: null,
        created_at: run.started_at, expires_at: iso(-25), status: 'expiring', last_seen_at: iso(1), rotate_due: false, is_test: null,
        usage_count: null, usage_limit: null, spend: null, spend_limit: null, rate_limit: null, last_used_at: null,
        run: { run_id: 'run-left', command, pid: 39127, env_name: env, started_at: run.started_at, ended_at: null }, gateway: null };
      if (kind === 'barndoor_gateway_key') setGateway(key, {});
      state.keys.unshift(key);
      run.keys.push({ id: key.id, end });
    });
    state.leftRuns.push(run);
  }
  // Ends a left run as the core does: revokes what it can; the rows carry the end only when no
  // key was left live (otherwise the run stays open, for the next start to try again).
  function reap(run) {
    const at = iso(0);
    const rows = run.keys.map(({ id, end }) => ({ key: state.keys.find((k) => k.id === id), end }));
    const failed = rows.filter((r) => r.end === 'failed');
    for (const r of rows) {
      if (r.end === 'revoked') r.key.status = 'revoked';
      if (failed.length === 0) r.key.run.ended_at = at;
    }
    countKeys();
    const of = (end) => rows.filter((r) => r.end === end).map((r) => structuredClone(r.key));
    return { command: run.command, started_at: run.started_at, end: { revoked: of('revoked'), expiring: of('expiring'),
      failed: of('failed').map((key) => ({ key, error: err('provider', `${key.service === 'respan' ? 'Respan' : 'Barndoor'} answered 503: Service Unavailable`) })) } };
  }

  // What `keyward run` would be given to mint a key like this one per process (the core's grammar,
  // in short): the kind's word at the account, with the limits chosen.
  function runHint(account, request) {
    const kind = RUN_KINDS[request.kind];
    if (!kind) return null;
    const limits = [];
    if (request.kind === 'respan_temp_key') {
      if (request.max_usage != null && request.max_usage !== -1) limits.push(`max_usage=${request.max_usage}`);
      if (request.rate_limit != null) limits.push(`rate_limit=${request.rate_limit}`);
      if (request.spending_limit != null) limits.push(`spending_limit=${request.spending_limit}`);
      if (request.is_test) limits.push('is_test=true');
    }
    if (request.kind === 'braintrust_proxy_credential') {
      if (request.model) limits.push(`model=${request.model}`);
      if (request.ttl_seconds) limits.push(`ttl=${request.ttl_seconds % 3600 ? `${Math.round(request.ttl_seconds / 60)}m` : `${request.ttl_seconds / 3600}h`}`);
    }
    const spec = `${kind.word}@${account.label}${limits.length ? `?${limits.join('&')}` : ''}`;
    const template_line = `${kind.env}=${spec}`;
    return { spec, template_line, command_line: `keyward run -e '${template_line.replace(/'/g, "'\\''")}' -- COMMAND` };
  }

  // The kinds whose service says when they were last used (the catalog's reports_last_use).
  const REPORTS_USE = ['respan_temp_key', 'barndoor_gateway_key', 'braintrust_env_var'];
  // As the core's `unused_days`: a reporting kind never used (0), or not in that many days.
  const unused = (k, n) => REPORTS_USE.includes(k.kind) &&
    (n === 0 ? !k.last_used_at : !k.last_used_at || Date.parse(k.last_used_at) < Date.now() - n * 86_400_000);

  // What a search looks in, lowercased once per key and again only when a field of it changes:
  // name, preview and owner, a line each (a word of a search never spans two). Kept on the row
  // under a symbol, which no copy of the row (structuredClone, a test's evaluate) carries.
  const SEARCHED = Symbol('searched');
  function searched(k) {
    const h = k[SEARCHED];
    if (h && h.name === k.name && h.preview === k.preview && h.owner === k.owner) return h.text;
    const text = `${k.name ?? ''}\n${k.preview ?? ''}\n${k.owner ?? ''}`.toLowerCase();
    k[SEARCHED] = { name: k.name, preview: k.preview, owner: k.owner, text };
    return text;
  }

  // The trigram index: for each three characters of the searched text, the positions in
  // state.keys of the keys holding them, in order. Built by the first search that needs it, and
  // again after any other command (one may have added, removed or renamed keys). `candidates`
  // gives the positions of the keys a search need check, or null for all of them.
  let trigrams = null;
  function candidates(words) {
    const long = words.filter((w) => w.length >= 3);
    if (long.length === 0) return null;
    if (!trigrams) {
      trigrams = new Map();
      state.keys.forEach((k, i) => {
        const text = searched(k);
        for (let j = 0; j + 3 <= text.length; j++) {
          const gram = text.slice(j, j + 3);
          const at = trigrams.get(gram);
          if (!at) trigrams.set(gram, [i]);
          else if (at[at.length - 1] !== i) at.push(i);
        }
      });
    }
    // The fewest keys any trigram of the words allows; each is then checked whole.
    let fewest = null;
    for (const w of long) for (let j = 0; j + 3 <= w.length; j++) {
      const at = trigrams.get(w.slice(j, j + 3)) ?? [];
      if (!fewest || at.length < fewest.length) fewest = at;
    }
    return fewest;
  }

  const countKeys = () => state.accounts.forEach((a) => {
    a.key_count = state.keys.filter((k) => k.account_id === a.id && k.status !== 'gone').length;
  });
  countKeys();

  // An audit log of `config.auditEntries` entries, every 37 minutes back from now: each account's
  // actions in turn (one in nine on an account since removed), some of them refused.
  const AUDIT_ACTIONS = [['key.create', 'ok'], ['key.revoke', 'ok'], ['key.create', 'forbidden'], ['key.update', 'ok'], ['key.reissue', 'ok'],
    ['account.add', 'ok'], ['key.revoke', 'conflict'], ['setup.check', 'invalid_input'], ['key.create', 'ok']];
  for (let i = 0; i < (config.auditEntries ?? 0); i++) {
    const account = i % 9 === 8 || state.accounts.length === 0 ? null : state.accounts[i % state.accounts.length];
    const [action, outcome] = AUDIT_ACTIONS[i % AUDIT_ACTIONS.length];
    const key = account && state.keys.find((k) => k.account_id === account.id && k.name.endsWith(String(i % 20 + 1).padStart(4, '0')));
    state.audit.push({ at: iso(i * 37 + 2), account_id: account?.id ?? 'acc-removed', action,
      target: action === 'account.add' ? account?.label ?? 'Old staging' : key?.name ?? `key-${String(i).padStart(4, '0')}`,
      outcome, detail: action.startsWith('key.') ? 'API key' : null });
  }
  const labelled = (e) => ({ ...e, account_label: state.accounts.find((a) => a.id === e.account_id)?.label ?? null });
  function auditRows(query) {
    const since = query.since ? Date.parse(query.since) : -Infinity;
    const until = query.until ? Date.parse(query.until) : Infinity;
    if (Number.isNaN(since)) throw err('invalid_input', `'${query.since}' is not a date; use a form like 2026-11-24 or 2026-11-24T09:30:00Z.`, 'since');
    if (until < since) throw err('invalid_input', 'The end of the range is before its start.', 'until');
    return state.audit
      .filter((e) => (!query.account_id || e.account_id === query.account_id) && (!query.action || e.action === query.action) &&
        Date.parse(e.at) >= since && Date.parse(e.at) <= until)
      .slice(0, query.limit ?? 500)
      .map(labelled);
  }
  // What building this fake inventory cost the page, so benchmarks can leave it out.
  state.initDoneAt = performance.now();

  const err = (code, message, field = null) => ({ code, message, field });
  // The core's checks of who a gateway key acts for, each naming its field.
  function gatewayProblems(request) {
    if (request.kind !== 'barndoor_gateway_key') return [];
    const problems = [];
    if (request.group_name && (request.user_id || request.user_email))
      problems.push({ field: 'group_name', message: 'A key acts for a user or an IdP group, not both.' });
    if (request.user_id && request.user_email)
      problems.push({ field: 'user_email', message: 'Name the user by id or by email, not both.' });
    if (request.user_email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(request.user_email))
      problems.push({ field: 'user_email', message: `“${request.user_email}” is not an email address.` });
    const scopes = request.scopes ?? [];
    if (new Set(scopes).size !== scopes.length) problems.push({ field: 'scopes', message: 'Each scope once: a scope is listed twice.' });
    return problems;
  }
  // The core's checks of a create request, each naming its field.
  function keyProblems(request) {
    const problems = [...gatewayProblems(request)];
    if (request.kind === 'braintrust_proxy_credential' && request.ttl_seconds !== undefined && (request.ttl_seconds < 1 || request.ttl_seconds > 86400))
      problems.push({ field: 'ttl_seconds', message: `A proxy credential lives 1 to 86400 seconds (24 hours); ${request.ttl_seconds} is outside that.` });
    if ('name' in request && request.kind !== 'respan_temp_key' && !String(request.name).trim())
      problems.push({ field: 'name', message: 'This cannot be empty.' });
    if (request.kind === 'braintrust_env_var') {
      if (/[=\s]/.test(String(request.name ?? '').trim()))
        problems.push({ field: 'name', message: "An environment variable's name has no spaces or '='; e.g. RESPAN_API_KEY." });
      const id = String(request.object_id ?? '').trim();
      if (request.object_type !== 'organization' && !id) problems.push({ field: 'object_id', message: `Pick the ${request.object_type} the variable is for.` });
      else if (id && !UUID.test(id))
        problems.push({ field: 'object_id', message: `A Braintrust ${request.object_type} id is a UUID, e.g. 5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01.` });
      if (!String(request.value ?? '').trim()) problems.push({ field: 'value', message: "Give the variable's value." });
    }
    return problems;
  }
  /** The fields a minted secret fills in an install: not the form's problem (as the core). */
  const SECRET_FIELDS = ['api_key', 'secret', 'credentials', 'value'];

  function validate(input) {
    const errors = [];
    if (!input.label.trim()) errors.push({ field: 'label', message: 'Give the account a name, e.g. "Production".' });
    if (!/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)/.test(input.host.trim()))
      errors.push({ field: 'host', message: 'Use https: a token is only sent over an encrypted connection.' });
    if (!input.token.trim()) errors.push({ field: 'token', message: 'Paste the API key for this account.' });
    return errors;
  }

  function settingsProblems(s) {
    const out = [];
    const within = (field, v, lo, hi, unit) => { if (!(v >= lo && v <= hi)) out.push({ field, message: `From ${lo} to ${hi} ${unit}.` }); };
    within('expiry_window_days', s.expiry_window_days, 1, 90, 'days');
    within('rotate_after_days', s.rotate_after_days, 1, 3650, 'days');
    within('clipboard_clear_secs', s.clipboard_clear_secs, 5, 600, 'seconds');
    return out;
  }

  // The core's in-place replacement of a gateway key: reissued with an hour's grace, installed
  // where chosen, and its previous secret left to lapse; nothing revoked, no successor (the
  // report's new and old key are the key itself). `failInstall` stops it at that place;
  // `failReissue` refuses the reissue, so nothing changes.
  const REPLACE_GRACE_SECS = 3600;
  const REPLACE_GRACE_WORDS = '1 h';
  const utcWords = (ms) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  async function replaceInPlace(key, targets) {
    const named = (t) => `“${state.keys.find((k) => k.id === t.key_id)?.name}”`;
    const report = { key_id: key.id, old_key: structuredClone(key), new_key: null, completed: false, replacement_unused: false, summary: '',
      steps: [{ label: `Issue “${key.name}” a new secret; the previous one keeps working ${REPLACE_GRACE_WORDS} more` },
        ...targets.map((t) => ({ label: `Install into ${named(t)} and check it` })), { label: 'Let the previous secret stop working' }]
        .map((s) => ({ ...s, state: 'pending', message: null })) };
    const step = async (i, st, message = null) => {
      report.steps[i] = { ...report.steps[i], state: st, message };
      emit('replace-progress', structuredClone(report));
      await new Promise((r) => setTimeout(r, 60));
    };
    await step(0, 'running');
    if (config.failReissue) {
      const why = 'Barndoor answered 503: Service Unavailable';
      await step(0, 'failed', why);
      report.summary = `Nothing changed: “${key.name}” was not given a new secret (${why}). Its secret works as before.`;
      return { report: structuredClone(report), reveal: null };
    }
    const now = Date.now();
    const until = now + REPLACE_GRACE_SECS * 1000;
    setGateway(key, { rotated_at: new Date(now).toISOString(), previous_key_expires_at: new Date(until).toISOString() });
    state.reissues = [...(state.reissues ?? []), { keyId: key.id, gracePeriodSecs: REPLACE_GRACE_SECS, by: 'replace' }];
    key.preview = `bd-****r${state.reissues.length}`;
    const reveal = { id: `r-${key.id}-replace${state.reissues.length}`, env_var: 'BARNDOOR_API_KEY', clear_after_secs: 30 };
    state.secrets[reveal.id] = `bd-fake-replaced-${key.id}-${state.reissues.length}`;
    report.new_key = structuredClone(key);
    report.old_key = structuredClone(key);
    await step(0, 'done', `The previous secret works until ${utcWords(until)}.`);
    const installed = [];
    for (let n = 0; n < targets.length; n++) {
      const t = state.keys.find((k) => k.id === targets[n].key_id);
      await step(n + 1, 'running');
      if (config.failInstall === t.name) {
        const why = 'Barndoor answered 500: Refused by the sandbox (injected).';
        report.steps[n + 1] = { ...report.steps[n + 1], state: 'failed', message: why };
        for (let j = n + 2; j < report.steps.length; j++) report.steps[j].state = 'skipped';
        const placed = installed.length ? `installed in ${installed.join(', ')}` : 'installed nowhere yet';
        report.summary = `Stopped. “${key.name}” has a new secret, ${placed}; installing into “${t.name}” failed: ${why} `
          + `The previous secret keeps working until ${utcWords(until)}: install the new one there by then (its secret is shown once now).`;
        return { report: structuredClone(report), reveal };
      }
      t.preview = `…${state.secrets[reveal.id].slice(-4)}`;
      installed.push(`“${t.name}”`);
      await step(n + 1, 'done', `${t.service === 'barndoor' ? 'Barndoor' : 'Braintrust'} shows the new secret's last 4 characters.`);
    }
    await step(report.steps.length - 1, 'done', `It stops by itself at ${utcWords(until)}; nothing is revoked.`);
    report.completed = true;
    report.summary = `“${key.name}” has a new secret${installed.length ? `, installed in ${installed.join(', ')}` : ''}; the previous one stops working at ${utcWords(until)}.`;
    return { report: structuredClone(report), reveal };
  }

  const listeners = new Map();
  const callbacks = new Map();
  let nextCallback = 1;
  function emit(event, payload) {
    for (const id of listeners.get(event) || []) callbacks.get(id)?.({ event, id, payload });
  }

  const commands = {
    host_presets: () => presets,
    list_accounts: () => {
      if (state.damaged)
        throw err('store_damaged', 'The local inventory at /home/ana/.local/share/keyward/keyward.db is damaged (file is not a database). Keyward can move it aside and rebuild it: accounts come back from accounts.json beside it, and their keys from the services.');
      return structuredClone(state.accounts);
    },
    recover_store: () => {
      state.damaged = false;
      return { moved_to: '/home/ana/.local/share/keyward/keyward.db.damaged-20261124T230000Z', accounts_restored: state.accounts.length };
    },
    reopen_store: () => null,
    window_ready: ({ keys }) => {
      state.ready = { keys, at: performance.now() };
      return null;
    },
    validate_account: ({ input }) => validate(input),
    add_account: ({ input }) => {
      const problems = validate(input);
      if (problems.length) throw err('invalid_input', problems[0].message, problems[0].field);
      if (input.host.includes('unreachable'))
        throw err('network', 'Could not reach Braintrust at unreachable.example (connection failed). Check the address and your connection.', 'host');
      if (input.token !== config.goodToken) throw err('unauthorized', 'This key was refused by Braintrust (401).', 'token');
      const account = { id: `acc-${state.accounts.length + 1}`, service: input.service, label: input.label.trim(), host: input.host,
        org_name: input.org_name, identity: 'organization demo', created_at: iso(0), last_synced_at: null, last_sync_error: null, key_count: 0 };
      state.accounts.push(account);
      return structuredClone(account);
    },
    update_account: ({ accountId, update }) => {
      const account = state.accounts.find((a) => a.id === accountId);
      if (update.token !== undefined && update.token !== config.goodToken) throw err('unauthorized', 'This key was refused by Braintrust (401).', 'token');
      if (update.label !== undefined) account.label = update.label;
      if (update.host !== undefined) account.host = update.host;
      if (update.token !== undefined) account.last_sync_error = null;
      return structuredClone(account);
    },
    remove_account: ({ accountId }) => {
      if (!state.accounts.some((a) => a.id === accountId)) throw err('not_found', 'No such account.');
      state.accounts = state.accounts.filter((a) => a.id !== accountId);
      state.keys = state.keys.filter((k) => k.account_id !== accountId);
      return null;
    },
    sync_account: async ({ accountId }) => {
      const account = state.accounts.find((a) => a.id === accountId);
      if (!account) throw err('not_found', 'No such account.');
      await new Promise((r) => setTimeout(r, 150));
      // A lost token stays lost until it is re-entered.
      if (account.last_sync_error?.code === 'token_missing') throw account.last_sync_error;
      if (state.offline) {
        account.last_sync_error = err('network', 'Could not reach Braintrust at api.braintrust.dev (connection failed).');
        throw account.last_sync_error;
      }
      if (!state.keys.some((k) => k.account_id === accountId)) state.keys.push(...makeKeys(account, config.keysPerAccount));
      // `newKeyOnSync`: each sync finds a key made since, listed first (newest).
      else if (config.newKeyOnSync) {
        const n = (state.synced = (state.synced ?? 0) + 1);
        const like = state.keys.find((k) => k.account_id === accountId);
        state.keys.unshift({ ...structuredClone(like), id: `${accountId}-new${n}`, provider_id: `p-new${n}`, name: `made-since-${n}`, created_at: iso(0) });
        countKeys();
      }
      emit('sync-progress', { account_id: accountId, pages: 1, fetched: config.keysPerAccount, done: false });
      account.last_synced_at = iso(0);
      account.last_sync_error = null;
      countKeys();
      return { account_id: accountId, fetched: config.keysPerAccount, added: 0, updated: config.keysPerAccount, gone: 0, skipped: 0, pages: 1, finished_at: iso(0) };
    },
    // Real IPC hands the page fresh copies; so does the fake. A search costs it about what it costs
    // the core: a word of three characters or more is looked up in a trigram index (the core's
    // FTS5 trigram table) and only the keys it names are checked; shorter words are matched by
    // scanning lowercased text (the core's LIKE). With the default order and a limit, the scan stops
    // once the limit is met (the core walks its index on created_at and stops there too); another
    // order sorts every match first, as SQLite must.
    list_keys: ({ query }) => {
      const words = (query.search || '').toLowerCase().split(/\s+/).filter(Boolean);
      const matches = (k) =>
        (!query.account_id || k.account_id === query.account_id) &&
        (query.include_gone || query.statuses?.length || k.status !== 'gone') &&
        (!query.service || k.service === query.service) &&
        (!query.kinds?.length || query.kinds.includes(k.kind)) &&
        (!query.statuses?.length || query.statuses.includes(k.status)) &&
        (query.from_run === undefined || !!k.run === query.from_run) &&
        (query.unused_days === undefined || unused(k, query.unused_days)) &&
        (words.length === 0 || words.every((w) => searched(k).includes(w)));
      const stopAt = query.limit && !query.sort ? query.limit : Infinity;
      const at = candidates(words);
      const rows = [];
      for (let j = 0, n = at ? at.length : state.keys.length; j < n && rows.length < stopAt; j++) {
        const k = state.keys[at ? at[j] : j];
        if (matches(k)) rows.push(k);
      }
      if (query.sort === 'name') rows.sort((a, b) => a.name.localeCompare(b.name) * (query.descending ? -1 : 1));
      const share = (k) => (k.usage_limit > 0 ? k.usage_count / k.usage_limit : -1);
      if (query.sort === 'usage') rows.sort((a, b) => (share(a) - share(b)) * (query.descending ? -1 : 1));
      // As SQLite orders it: no date (never used, or not reported) first ascending.
      const used = (k) => (k.last_used_at ? Date.parse(k.last_used_at) : -Infinity);
      if (query.sort === 'last_used') rows.sort((a, b) => (used(a) === used(b) ? 0 : used(a) < used(b) ? -1 : 1) * (query.descending ? -1 : 1));
      // Like SQL's LIMIT: only what is asked for is copied across. A gateway key's state is read
      // again from its details, as the core does (a grace period now over is no longer shown).
      const out = structuredClone(query.limit ? rows.slice(0, query.limit) : rows);
      for (const k of out) if (k.kind === 'barndoor_gateway_key') k.gateway = gatewayState(gatewayDetails[k.id]);
      return out;
    },
    validate_key: ({ request }) => keyProblems(request),
    // The projects of a Braintrust account, asked of the service each time (never cached).
    list_projects: async ({ accountId }) => {
      const account = state.accounts.find((a) => a.id === accountId);
      if (!account) throw err('not_found', 'No such account.');
      if (account.service !== 'braintrust') throw err('invalid_input', `${account.label} has no projects: only a Braintrust account does.`, 'account_id');
      state.projectCalls = (state.projectCalls ?? 0) + 1;
      if (config.projectsDelay) await new Promise((r) => setTimeout(r, config.projectsDelay));
      if (state.projectCalls <= (config.projectsFail ?? 0))
        throw err('network', 'Could not reach Braintrust at api.braintrust.dev (connection failed). Check your connection and try again.');
      return structuredClone(PROJECTS);
    },
    create_key: ({ accountId, request }) => {
      // As the core: what validate_key finds, create_key refuses, naming the field.
      const [problem] = request.kind === 'braintrust_env_var' ? keyProblems(request) : gatewayProblems(request);
      if (problem) throw err('invalid_input', problem.message, problem.field);
      const account = state.accounts.find((a) => a.id === accountId);
      if (request.kind === 'braintrust_env_var') {
        // `createRefusal`: the service refuses the next create so (once), e.g. a project deleted meanwhile.
        if (config.createRefusal && !state.refused) {
          state.refused = true;
          const r = config.createRefusal;
          throw err(r.code ?? 'invalid_input', r.message, r.field ?? null);
        }
        const owner = envOwner(request.object_type, request.object_id);
        if (!request.replace_existing && state.keys.some((k) => k.kind === 'braintrust_env_var' && k.status === 'active' && k.name === request.name.trim() && k.owner === owner))
          throw err('invalid_input', `${owner} already has a variable named ${request.name.trim()}: choose another name, or replace its value.`, 'name');
        const key = envVarRow(account, `new-${state.keys.length + 1}`, { name: request.name.trim(), object_type: request.object_type, object_id: request.object_id,
          tail: request.value.trim().slice(-4), secret_type: request.secret_type || null, created: iso(0), used: null });
        state.keys.unshift(key);
        countKeys();
        return { key: structuredClone(key), reveal: null, run_hint: null };
      }
      const expires = request.ttl_seconds ? new Date(Date.now() + request.ttl_seconds * 1000).toISOString() : request.expiry_date ?? null;
      const key = { id: `new-${state.keys.length + 1}`, account_id: accountId, account_label: account.label, service: account.service,
        kind: request.kind, provider_id: 'p-new', name: request.name || (request.model ? `Proxy credential · ${request.model}` : 'Proxy credential · all models'),
        preview: null, owner: null, created_at: iso(0), expires_at: expires, status: 'active', last_seen_at: iso(0), run: null, gateway: null };
      // What Barndoor returns for a gateway key: its scopes and who it acts for (by id), kept for key_details.
      if (request.kind === 'barndoor_gateway_key')
        setGateway(key, { scopes: request.scopes ?? [], group_name: request.group_name ?? null,
          user_id: request.user_id ?? (request.user_email ? GATEWAY_USER : null) });
      if (request.user_email) key.owner = request.user_email;
      state.keys.unshift(key);
      countKeys();
      const minted = !['braintrust_ai_secret', 'respan_provider', 'barndoor_credential'].includes(request.kind);
      // The service made the key and its answer lost the secret: the core's error names the row.
      if (minted && config.secretLost === key.name)
        throw { ...err('conflict', `Braintrust created the API key “${key.name}” but sent no secret back, so the key is live and nobody can use it. It is in your inventory: revoke it, then create another.`), key_id: key.id };
      if (minted) state.secrets[`r-${key.id}`] = `sk-fake-${key.id}-0123456789`;
      return { key, reveal: minted ? { id: `r-${key.id}`, env_var: 'BRAINTRUST_API_KEY', clear_after_secs: 30 } : null, run_hint: runHint(account, request) };
    },
    reap_runs: () => {
      if (config.reapFails) throw err('storage', 'The local inventory could not be read (disk I/O error).');
      const reaped = state.leftRuns;
      state.leftRuns = [];
      return reaped.map(reap);
    },
    reveal_secret: ({ revealId }) => {
      if (!(revealId in state.secrets)) throw err('not_found', 'This secret is no longer held.');
      if (state.revealed[revealId]) throw err('conflict', 'This secret was already shown once.');
      state.revealed[revealId] = true;
      return state.secrets[revealId];
    },
    copy_secret: ({ revealId, asEnvLine }) => {
      if (!(revealId in state.secrets)) throw err('not_found', 'This secret is no longer held.');
      state.clipboard = asEnvLine ? `BRAINTRUST_API_KEY=${state.secrets[revealId]}` : state.secrets[revealId];
      return 30;
    },
    revoke_key: ({ keyId }) => {
      const key = state.keys.find((k) => k.id === keyId);
      if (!key) throw err('not_found', 'No such key.');
      // Barndoor keeps a credential that providers still use (its 409).
      if (config.inUse?.includes(key.name))
        throw err('conflict', `Barndoor keeps this credential while providers still use it (connection is still used by providers gpt-route). Point those providers at another credential, or delete them, then delete this one.`);
      key.status = 'revoked';
      countKeys();
      return key;
    },
    revoke_keys: ({ keyIds }) => keyIds.map((id) => {
      const name = state.keys.find((k) => k.id === id)?.name ?? '';
      try {
        return { key_id: id, name, row: commands.revoke_key({ keyId: id }), error: null };
      } catch (e) {
        return { key_id: id, name, row: null, error: e };
      }
    }),
    validate_update: ({ update }) =>
      typeof update.name === 'string' && !update.name.trim() ? [{ field: 'name', message: 'name cannot be empty.' }] : [],
    update_key: ({ keyId, update }) => {
      const key = state.keys.find((k) => k.id === keyId);
      state.updates = [...(state.updates ?? []), { keyId, update }];
      if (update.name) key.name = update.name.trim();
      if (key.kind === 'barndoor_gateway_key' && update.disabled !== undefined) setGateway(key, { disabled_at: update.disabled ? iso(0) : null });
      const given = update.api_key ?? update.secret ?? update.value;
      if (given) key.preview = key.kind === 'braintrust_env_var' ? `********${given.trim().slice(-4)}` : `…${given.slice(-4)}`;
      if (key.kind === 'braintrust_env_var' && envDetails[key.id]) {
        if (update.name) envDetails[key.id].name = key.name;
        if (given) Object.assign(envDetails[key.id], { preview_secret: key.preview, secret_updated_at: iso(0) });
      }
      return structuredClone(key);
    },
    key_details: ({ keyId }) => {
      const key = state.keys.find((k) => k.id === keyId);
      if (key.kind === 'braintrust_env_var') return structuredClone(envDetails[key.id] ?? { id: key.provider_id, name: key.name });
      if (key.kind === 'barndoor_credential')
        return { id: key.provider_id, name: key.name, model_provider: 'openai', base_url: 'https://api.openai.com/v1', auth_type: 'api_key',
          key_last4: (key.preview ?? '').slice(-4), settings: { organization: 'org-1' }, last_change_note: null };
      if (key.kind === 'barndoor_gateway_key')
        return { id: key.provider_id, name: key.name, key_prefix: key.preview, last_used_at: key.last_used_at ?? null, ...structuredClone(gatewayDetails[key.id]) };
      return { id: key.provider_id, name: key.name, preview_name: key.preview, user_email: key.owner };
    },
    // A gateway key's new secret, in place; the previous one keeps working `gracePeriodSecs` (at most 7 days).
    reissue_key: ({ keyId, gracePeriodSecs }) => {
      const key = state.keys.find((k) => k.id === keyId);
      if (!key) throw err('not_found', 'No such key.');
      if (gracePeriodSecs != null && (gracePeriodSecs < 0 || gracePeriodSecs > 604800))
        throw err('invalid_input', `A grace period is at most 604800 seconds (7 days); ${gracePeriodSecs} is more.`, 'grace_period_secs');
      state.reissues = [...(state.reissues ?? []), { keyId, gracePeriodSecs }];
      const n = state.reissues.length;
      const now = Date.now();
      setGateway(key, { rotated_at: new Date(now).toISOString(),
        previous_key_expires_at: gracePeriodSecs ? new Date(now + gracePeriodSecs * 1000).toISOString() : null });
      key.preview = `bd-****r${n}`;
      const id = `r-${key.id}-reissue${n}`;
      state.secrets[id] = `bd-fake-reissued-${key.id}-${n}`;
      return { key: structuredClone(key), reveal: { id, env_var: 'BARNDOOR_API_KEY', clear_after_secs: 30 }, run_hint: null };
    },
    refresh_key: ({ keyId }) => state.keys.find((k) => k.id === keyId),
    close_reveal: ({ revealId }) => {
      delete state.secrets[revealId];
      return null;
    },
    // `settingsHeld` never answers, to show what the window does before the settings are read.
    settings: () => (config.settingsHeld ? new Promise(() => {}) : structuredClone(state.settings)),
    validate_settings: ({ settings }) => settingsProblems(settings),
    save_settings: ({ settings }) => {
      const p = settingsProblems(settings);
      if (p.length) throw err('invalid_input', p[0].message, p[0].field);
      state.settings = structuredClone(settings);
      return settings;
    },
    expiry_centre: () => {
      const now = Date.now();
      const win = state.settings.expiry_window_days;
      const keys = state.keys
        // As the core: a run's keys end with their process, so they need nobody's attention.
        .filter((k) => k.expires_at && !k.run && (k.status === 'active' || k.status === 'expiring' || k.status === 'expired') && !state.dismissed[k.id])
        .map((k) => {
          const left = (Date.parse(k.expires_at) - now) / 86_400_000;
          return { ...k, status: left <= 0 ? 'expired' : left <= win ? 'expiring' : 'active', left };
        })
        .filter((k) => k.left <= Math.max(30, win))
        .sort((a, b) => a.left - b.left)
        .map(({ left, ...k }) => k);
      return { window_days: win, horizon_days: Math.max(30, win), attention: keys.filter((k) => k.status !== 'active').length, keys };
    },
    dismiss_expired: ({ keyId }) => {
      state.dismissed[keyId] = true;
      return state.keys.find((k) => k.id === keyId);
    },
    validate_install: ({ target }) => (target.to === 'create' ? keyProblems(target.request).filter((p) => !SECRET_FIELDS.includes(p.field)) : []),
    install_secret: ({ revealId, target }) => {
      const secret = state.secrets[revealId];
      if (!secret) throw err('not_found', 'This secret is no longer held.');
      let key;
      if (target.to === 'existing') {
        key = state.keys.find((k) => k.id === target.key_id);
      } else if (target.request.kind === 'braintrust_env_var') {
        const [problem] = keyProblems(target.request).filter((p) => !SECRET_FIELDS.includes(p.field));
        if (problem) throw err('invalid_input', problem.message, problem.field);
        const account = state.accounts.find((a) => a.id === target.account_id);
        key = envVarRow(account, `new-${state.keys.length + 1}`, { ...target.request, name: target.request.name.trim(), tail: secret.slice(-4), created: iso(0), used: null });
        state.keys.unshift(key);
      } else {
        const account = state.accounts.find((a) => a.id === target.account_id);
        key = { id: `new-${state.keys.length + 1}`, account_id: account.id, account_label: account.label, service: account.service, kind: target.request.kind,
          provider_id: 'p-installed', name: target.request.name ?? target.request.provider_name, owner: null, created_at: iso(0), expires_at: null,
          status: 'active', last_seen_at: iso(0), rotate_due: false, run: null, gateway: null };
        state.keys.unshift(key);
      }
      key.preview = key.kind === 'braintrust_env_var' ? `********${secret.slice(-4)}` : `…${secret.slice(-4)}`;
      // What the page sent: a test proves the secret itself never was.
      state.installs.push({ revealId, target: structuredClone(target) });
      const shown = key.kind !== 'respan_provider';
      return { key: structuredClone(key), verified: shown ? true : null,
        check: shown ? `${key.service === 'barndoor' ? 'Barndoor' : 'Braintrust'} shows the new secret's last 4 characters.` : 'Respan shows nothing of a stored key.' };
    },
    replace_plan: ({ keyId }) => {
      const key = state.keys.find((k) => k.id === keyId);
      const tail = (key.preview ?? '').slice(-4);
      const targets = state.keys
        .filter((k) => ['barndoor_credential', 'braintrust_ai_secret', 'braintrust_env_var', 'respan_provider'].includes(k.kind) && k.status === 'active')
        .map((k) => ({ key: structuredClone(k), suggested: !!tail && (k.preview ?? '').endsWith(tail) }));
      // As the core: a gateway key keeps its settings and gets a new secret in place.
      const replacement = key.kind === 'barndoor_gateway_key'
        ? [{ label: 'Kind', value: 'Gateway key' }, { label: 'Name', value: key.name }, { label: 'Expires', value: key.expires_at ?? 'never' },
            { label: 'How', value: `A new secret for the same key; the previous one keeps working ${REPLACE_GRACE_WORDS} more` }]
        : [{ label: 'Kind', value: 'Temporary key' }, { label: 'Name', value: key.name },
            { label: 'Expires', value: '2027-01-10T00:00:00Z' }, { label: 'Spend', value: 'at most $5.00' }];
      return { key: structuredClone(key), replacement, targets };
    },
    replace_key: async ({ keyId, targets }) => {
      const old = state.keys.find((k) => k.id === keyId);
      if (old.kind === 'barndoor_gateway_key') return replaceInPlace(old, targets);
      const label = (t) => `Install into “${state.keys.find((k) => k.id === t.key_id)?.name}” and check it`;
      const report = { key_id: keyId, old_key: old, new_key: null, completed: false, replacement_unused: false, summary: '',
        steps: [{ label: `Mint a new Temporary key “${old.name}”` }, ...targets.map((t) => ({ label: label(t) })), { label: `Revoke the old key “${old.name}”` }]
          .map((s) => ({ ...s, state: 'pending', message: null })) };
      const step = async (i, st, message = null) => {
        report.steps[i] = { ...report.steps[i], state: st, message };
        emit('replace-progress', structuredClone(report));
        await new Promise((r) => setTimeout(r, 60));
      };
      await step(0, 'running');
      const fresh = { ...old, id: `new-${state.keys.length + 1}`, provider_id: 'p-rotated', created_at: iso(0), preview: 'rp0999…', rotate_due: false };
      state.keys.unshift(fresh);
      report.new_key = fresh;
      state.secrets[`r-${fresh.id}`] = `rp0999.fake-rotated-secret-${fresh.id}`;
      await step(0, 'done', 'Minted (rp0999…).');
      for (let n = 0; n < targets.length; n++) {
        const t = state.keys.find((k) => k.id === targets[n].key_id);
        await step(n + 1, 'running');
        if (config.failInstall === t.name) {
          await step(n + 1, 'failed', 'Barndoor answered 500: Refused by the sandbox (injected)');
          for (let j = n + 2; j < report.steps.length; j++) report.steps[j].state = 'skipped';
          report.replacement_unused = n === 0;
          report.summary = `Stopped before revoking anything. The new key “${fresh.name}” exists; installing into “${t.name}” failed. The old key “${old.name}” is still active and still works.`;
          return { report, reveal: { id: `r-${fresh.id}`, env_var: 'RESPAN_API_KEY', clear_after_secs: 30 } };
        }
        t.preview = '…cret';
        await step(n + 1, 'done', 'Barndoor shows the new secret\'s last 4 characters.');
      }
      const last = report.steps.length - 1;
      await step(last, 'running');
      old.status = 'revoked';
      await step(last, 'done');
      report.completed = true;
      report.summary = `“${old.name}” was replaced, and the old key is revoked.`;
      return { report, reveal: { id: `r-${fresh.id}`, env_var: 'RESPAN_API_KEY', clear_after_secs: 30 } };
    },
    audit_query: ({ query }) => auditRows(query),
    audit_actions: () => [...new Set(state.audit.map((e) => e.action))].sort(),
    // The real shell opens the save dialog itself and writes the file; the fake remembers what it
    // was asked (every argument, so a path sent by the page would show) and answers as a person
    // who kept the offered name, or who cancelled (null).
    export_audit: (args) => {
      state.dialogs.push({ cmd: 'export_audit' });
      if (config.saveCancelled) return null;
      const path = `/home/ana/Documents/keyward-audit-${localDay()}.csv`;
      const rows = auditRows(args.query).length;
      state.exports.push({ cmd: 'export_audit', ...args });
      state.audit.unshift({ at: iso(0), account_id: null, action: 'audit.export', target: path, outcome: 'ok', detail: `${rows} entries as CSV` });
      return { path, rows };
    },
    export_keys: (args) => {
      state.dialogs.push({ cmd: 'export_keys' });
      if (config.saveCancelled) return null;
      const rows = commands.list_keys({ query: args.query }).length;
      state.exports.push({ cmd: 'export_keys', ...args });
      return { path: `/home/ana/Documents/keyward-keys-${localDay()}.${args.format}`, rows };
    },
    'plugin:event|listen': ({ event, handler }) => {
      listeners.set(event, [...(listeners.get(event) || []), handler]);
      return handler;
    },
    'plugin:event|unlisten': () => null,
  };

  window.__TAURI_INTERNALS__ = {
    invoke: async (cmd, args) => {
      state.calls.push({ cmd, args });
      const handler = commands[cmd];
      if (!handler) throw `${cmd} not allowed`;
      if (cmd === 'list_keys') return handler(args || {});
      // Any other command may change the keys, while it runs too (a sync, a replace): the index
      // is built again by the next search after it starts and after it ends.
      trigrams = null;
      try {
        return await handler(args || {});
      } finally {
        trigrams = null;
      }
    },
    transformCallback: (cb) => {
      const id = nextCallback++;
      callbacks.set(id, cb);
      return id;
    },
    unregisterCallback: (id) => callbacks.delete(id),
    callbacks,
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => {} };
  window.__fake = state;
})();
