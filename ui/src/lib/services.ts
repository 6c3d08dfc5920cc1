// What the window says about each service: the core's catalog (bindings/catalog.ts), indexed.
import { CATALOG } from './bindings/catalog';
import type { Service } from './bindings/Service';

/** Every service the core names has a provider, so each can be added (`available` keeps the
 * account form ready for one that cannot yet). */
export const SERVICES: { id: Service; name: string; available: boolean }[] = CATALOG.services.map((s) => ({ id: s.service, name: s.name, available: true }));

export function serviceName(id: Service): string {
  return SERVICES.find((s) => s.id === id)?.name ?? id;
}
