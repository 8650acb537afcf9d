/**
 * Events streamed through a listing's merge, over a stand-in DynamoDB that makes its pages up as they
 * are asked for: the listing holds pages, never the whole result, so memory stays flat.
 *
 * Sized for the test tier: 200,000 events of 1 KB bodies would take ~240 MB if the listing kept them
 * (measured), far above the heap bounds, like the million events of 200 bytes that `npm run bench -- --only
 * listing` streams (bench/listing-soak.ts, the same soak, the same bounds), at a fifth of the CPU.
 */
import { expect, test } from '@jest/globals';
import { listingSoak, SOAK_HEAP_BOUNDS } from '../../../bench/listing-soak.ts';

const EVENTS = 200_000;

test('200,000 events of 1 KB stream newest first, in order, with memory flat', async () => {
  const { count, inOrder, before, heap } = await listingSoak({ events: EVENTS, payloadBytes: 1_024 });
  expect(count).toBe(EVENTS);
  expect(inOrder).toBe(true);
  // Kept, the events would take ~240 MB and grow with every sample: the listing's own buffers
  // (ENTRY_BUDGET) stay far below, the same at the end as at the start.
  expect(heap).toHaveLength(10);
  expect(Math.max(...heap) - before).toBeLessThan(SOAK_HEAP_BOUNDS.aboveStart);
  expect(heap.at(-2)! - heap[0]!).toBeLessThan(SOAK_HEAP_BOUNDS.growth);
}, 120_000);
