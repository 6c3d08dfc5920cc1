// The window's screens. The inventory is home; the others sit beside it in the sidebar.
export type View = 'keys' | 'expiry' | 'audit';
