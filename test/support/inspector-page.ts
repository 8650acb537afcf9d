import type { Locator } from 'playwright-core';

/**
 * Selects a row of the inspector's list, as a click on it does, and waits until the page shows it
 * selected (its detail drawn). The event is dispatched on the row itself, not at its place on the
 * screen: the list is newest first and redrawn as callbacks arrive, so on a busy machine a row can
 * move between Playwright finding it and the mouse going down, and a click at its old place selects
 * its neighbour (two CI runs read the neighbour's detail).
 */
export async function selectRow(row: Locator): Promise<void> {
  const id = await row.getAttribute('data-id');
  await row.dispatchEvent('click');
  await row.page().locator(`[data-testid="callback-row"].selected[data-id="${id}"]`).waitFor();
}
