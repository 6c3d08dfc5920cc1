import { fireEvent } from '@testing-library/svelte';

/** Picks an option the way a person does: the option becomes selected, then `change` fires.
 * happy-dom does not match `:checked` on options, which Svelte's select binding reads. */
export async function choose(select: HTMLSelectElement, value: string) {
  const query = select.querySelector.bind(select);
  select.querySelector = ((q: string) => (q === ':checked' ? select.options[select.selectedIndex] ?? null : query(q))) as typeof select.querySelector;
  for (const o of select.options) o.selected = o.value === value;
  await fireEvent.change(select);
}
