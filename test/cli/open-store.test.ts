/**
 * The store a command-line tool opens (cli/open-store.ts): the local one with the settings' key rules,
 * so a data directory of an earlier design that a command opens before `npm start` does is copied
 * keyed by the busy accounts (IM_BUSY_ACCOUNTS), as `npm start` would copy it; and what was asked for
 * (askedSource).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, test } from '@jest/globals';
import { askedSource, openStore } from '../../cli/open-store.ts';
import { BUSY_ACCOUNTS_VARIABLE } from '../../functions/shared/busy-accounts.ts';
import { markerKey } from '../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { attributes as at } from '../../functions/store/events-table.ts';
import { LOCAL_TABLE_NAME, startEmbeddedStore } from '../../local/embedded-store.ts';
import { EARLIER_LOCAL_TABLE_NAMES } from '../../local/local-table-upgrade.ts';
import { storedMessage } from '../support/generated-callbacks.ts';
import { secondDesignTable } from '../support/second-design-table.ts';

const APP = '1400000057';
const dataDir = mkdtempSync(join(tmpdir(), 'open-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A one-to-one message to `to`, as the second design stored it. */
const messageTo = (to: string, n: number): StoredEvent => storedMessage(APP, to, n);

describe('openStore', () => {
  test('opens an old local data directory with the busy accounts of the settings, so its copy keys them wide', async () => {
    const old = await startEmbeddedStore({ dataDir, port: 0 });
    // The earlier design's table appears after this start's own upgrade: the next opener finds it.
    await secondDesignTable(old, EARLIER_LOCAL_TABLE_NAMES[0], [messageTo('support-desk', 1), messageTo('bob', 2)]);
    await old.close();

    const before = process.env[BUSY_ACCOUNTS_VARIABLE];
    process.env[BUSY_ACCOUNTS_VARIABLE] = 'support-desk';
    const store = await openStore(askedSource(undefined, undefined, dataDir), LOCAL_TABLE_NAME).finally(() => {
      if (before === undefined) delete process.env[BUSY_ACCOUNTS_VARIABLE];
      else process.env[BUSY_ACCOUNTS_VARIABLE] = before;
    });
    try {
      expect(store.tableName).toBe(LOCAL_TABLE_NAME);
      // A busy account's events go to its wide keys, whose marker the copy makes first (docs/key-design.md#markers); others' do not.
      const marker = async (account: string) =>
        (await store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { [at.partition]: markerKey(APP, 'u', account), [at.sort]: '#' } }))).Item;
      expect(await marker('support-desk')).toBeDefined();
      expect(await marker('bob')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('askedSource', () => {
  test('is the local store of DATA_DIR without --table, else the table and its region', () => {
    expect(askedSource(undefined, 'eu-west-1', '.data')).toEqual({ type: 'local', dataDir: '.data' });
    expect(askedSource('events', 'eu-west-1', '.data')).toEqual({ type: 'table', tableName: 'events', region: 'eu-west-1' });
  });
});
