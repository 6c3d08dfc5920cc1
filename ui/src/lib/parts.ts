// The parts of the window that load on first use (lazy.ts), each in its own chunk: every dialog,
// the expiry centre (with its timeline), the audit log and a key's panel. The first paint is the
// keys view and needs none of them. In the order they are preloaded after it: what opens from the
// keyboard or from a row first, so that what is typed next lands in it.
import { lazy } from './lazy';

export const parts = {
  CommandPalette: lazy('The command palette', () => import('./components/CommandPalette.svelte')),
  KeyDetail: lazy("The key's details", () => import('./components/KeyDetail.svelte')),
  CreateKeyDialog: lazy('The new key dialog', () => import('./components/CreateKeyDialog.svelte')),
  AddAccountDialog: lazy('The add account dialog', () => import('./components/AddAccountDialog.svelte')),
  ShortcutsSheet: lazy('The keyboard shortcuts', () => import('./components/ShortcutsSheet.svelte')),
  ExpiryCentre: lazy('The expiry centre', () => import('./components/ExpiryCentre.svelte')),
  RevealDialog: lazy('The new secret dialog', () => import('./components/RevealDialog.svelte')),
  ConfirmRevokeDialog: lazy('The revoke dialog', () => import('./components/ConfirmRevokeDialog.svelte')),
  EditKeyDialog: lazy('The edit key dialog', () => import('./components/EditKeyDialog.svelte')),
  ReissueDialog: lazy('The reissue dialog', () => import('./components/ReissueDialog.svelte')),
  BulkRevokeDialog: lazy('The bulk revoke dialog', () => import('./components/BulkRevokeDialog.svelte')),
  EditAccountDialog: lazy('The edit account dialog', () => import('./components/EditAccountDialog.svelte')),
  ConfirmRemoveDialog: lazy('The remove account dialog', () => import('./components/ConfirmRemoveDialog.svelte')),
  SettingsDialog: lazy('The settings', () => import('./components/SettingsDialog.svelte')),
  ReplaceAssistant: lazy('The replace assistant', () => import('./components/ReplaceAssistant.svelte')),
  InstallSecretDialog: lazy('The install dialog', () => import('./components/InstallSecretDialog.svelte')),
  AuditView: lazy('The audit log', () => import('./components/AuditView.svelte')),
};

/** Every part, in the order the window preloads them. */
export const PRELOAD_ORDER = Object.values(parts);
