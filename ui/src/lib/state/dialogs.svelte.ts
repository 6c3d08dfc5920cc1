// The one dialog the window shows, if any: a native modal makes the page behind it inert, so
// there is never more than one. Each kind carries what its dialog is about.
import type { Account } from '../bindings/Account';
import type { MintedKey } from '../bindings/MintedKey';
import type { KeyKind } from '../bindings/KeyKind';
import type { KeyRow } from '../bindings/KeyRow';
import type { RevealTicket } from '../bindings/RevealTicket';

/** A minted key whose secret can be shown once. */
export type RevealedKey = MintedKey & { reveal: RevealTicket };

export type Dialog =
  | { kind: 'add-account' }
  | { kind: 'edit-account'; account: Account }
  | { kind: 'remove-account'; account: Account }
  | { kind: 'create'; accountId?: string; keyKind?: KeyKind }
  | { kind: 'reveal'; created: RevealedKey }
  | { kind: 'edit-key'; key: KeyRow; reissue: boolean }
  | { kind: 'revoke'; key: KeyRow }
  | { kind: 'reissue'; key: KeyRow }
  | { kind: 'bulk-revoke' }
  | { kind: 'settings' }
  | { kind: 'assist'; keyId: string }
  | { kind: 'palette' }
  | { kind: 'shortcuts' };

export type DialogKind = Dialog['kind'];

export class Dialogs {
  current = $state<Dialog | null>(null);

  open(dialog: Dialog) {
    this.current = dialog;
  }

  /** Closes the dialog of this kind; one that has already replaced it stays open. */
  close(kind: DialogKind) {
    if (this.current?.kind === kind) this.current = null;
  }
}
