// What the command palette lists beyond the window's fixed actions (actions.ts): a New … key for
// each kind the accounts' services allow, and Go to every account and key. Only the palette reads
// them (and the key forms they come from), so they load with it, not with the first screen.
import { formsFor } from '../forms/keyForms';
import { serviceName } from '../services';
import { staticActions, type Action, type ActionContext } from './actions';

/** "Temporary key" reads "temporary key" mid-sentence; "API key" stays as it is. */
const midSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label);

/** One "New … key" per kind the accounts' services allow, on the account the list shows when it
 * is of that service, else the first such account. */
export function newKeyActions(ctx: ActionContext): Action[] {
  const accounts = ctx.accounts();
  const out: Action[] = [];
  const seen = new Set<string>();
  for (const a of accounts) {
    for (const form of formsFor(a.service)) {
      if (seen.has(form.kind)) continue;
      seen.add(form.kind);
      const filtered = accounts.find((x) => x.id === ctx.accountFilter() && x.service === a.service);
      const target = filtered ?? a;
      const service = serviceName(a.service);
      out.push({
        id: `new:${form.kind}`, title: `New ${service} ${midSentence(form.title)}`, section: 'Keys', hint: `on ${target.label}`,
        keywords: ['create', form.kind], available: () => true, run: () => ctx.newKey({ accountId: target.id, kind: form.kind }),
      });
    }
  }
  return out;
}

/** "Go to" every account (the sidebar's selection) and every key the inventory lists (its panel). */
export function gotoActions(ctx: ActionContext): Action[] {
  const accounts = ctx.accounts();
  return [
    ...accounts.map((a): Action => ({
      id: `account:${a.id}`, title: a.label, section: 'Go to', hint: `${serviceName(a.service)} account`, keywords: ['account', serviceName(a.service)],
      available: () => true, run: () => ctx.showAccount(a.id),
    })),
    ...ctx.keys().map((k): Action => ({
      id: `key:${k.id}`, title: k.name, section: 'Go to', hint: `key on ${k.account_label}`, keywords: ['key'],
      available: () => true, run: () => ctx.showKey(k),
    })),
  ];
}

/** Every action, in table order: the palette's list before any query. */
export function allActions(ctx: ActionContext): Action[] {
  const fixed = staticActions(ctx);
  const keys = fixed.filter((a) => a.section === 'Keys');
  return [
    ...keys.slice(0, 1), ...newKeyActions(ctx), ...keys.slice(1),
    ...fixed.filter((a) => a.section !== 'Keys'),
    ...gotoActions(ctx),
  ];
}
