// What the window says about each service; which ones can be added today.
import type { Service } from './bindings/Service';

export const SERVICES: { id: Service; name: string; available: boolean }[] = [
  { id: 'braintrust', name: 'Braintrust', available: true },
  { id: 'respan', name: 'Respan', available: true },
  { id: 'barndoor', name: 'Barndoor', available: true },
];

export function serviceName(id: Service): string {
  return SERVICES.find((s) => s.id === id)?.name ?? id;
}
