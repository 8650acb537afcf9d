import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { MAX_KEY_PART_LENGTH } from '../../../functions/store/key-part.ts';
import { deltaOf } from '../../../functions/synced-view/delta.ts';
import type { DynamoDbStateStore } from '../../../functions/synced-view/dynamodb-state-store.ts';
import { generationLease, pointerKey, RebuildRefusedError } from '../../../functions/synced-view/state-generations.ts';
import { stateLimits } from '../../../functions/synced-view/state-item.ts';
import type { SourcedPatches } from '../../../functions/synced-view/state-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../../local/local-state-table.ts';
import { describeEachKind } from '../../support/dynamodb-servers.ts';
import { batches, lives, propertySeed, schedules, storedEventOf } from '../../support/group-lives.ts';
import { referenceFold, referenceGroup, referenceUser } from '../../support/state-reference.ts';
import { type StateTableServer, startStateTableServer } from '../../support/state-table-server.ts';

const sourced = (events: readonly StoredEvent[]): SourcedPatches[] => events.map((event) => ({ source: event.eventId, patches: deltaOf(event) }));

/** Applies events as one batch and expects every one of them written. */
async function applyAll(state: DynamoDbStateStore, events: readonly StoredEvent[]) {
  expect(await state.apply(sourced(events))).toEqual([]);
}

const callback = (app: string, body: Record<string, unknown>, receivedAt = 1) =>
  storedEventOf(app, { command: String(body.CallbackCommand), body: JSON.stringify(body), platform: 'Web' }, receivedAt);
const join = (app: string, groupId: string, accounts: string[], time: number) =>
  callback(app, {
    CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
    GroupId: groupId,
    NewMemberList: accounts.map((Member_Account) => ({ Member_Account })),
    EventTime: time,
  });
const attributes = (app: string, groupId: string, pairs: Record<string, string>, time: number, OptionType = 'modify') =>
  callback(app, {
    CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
    GroupId: groupId,
    OptionType,
    GroupAttr: Object.entries(pairs).map(([key, value]) => ({ key, value })),
    EventTime: time,
  });
const holder = { host: 'test', pid: 1 };

describeEachKind('the state table (%s)', (kind) => {
  let table: StateTableServer;
  let state: DynamoDbStateStore;
  let run = 0;
  /** A SDKAppID per test or run: they share one table. */
  const nextApp = () => `14${String(++run).padStart(8, '0')}`;
  beforeAll(async () => {
    table = await startStateTableServer(kind);
    state = table.store();
  }, 120_000);
  afterAll(() => table?.close());

  test('concurrent writers, each with its share of a shuffled, repeated schedule in batches, lose no update', async () => {
    const seed = propertySeed(`state table ${kind}`);
    const property = fc.asyncProperty(
      lives(25).chain((life) =>
        fc.tuple(fc.constant(life), schedules(life.map((_, index) => index)), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 8 })),
      ),
      async ([life, schedule, writers, batchSize]) => {
        const app = nextApp();
        const events = life.map((callback, index) => storedEventOf(app, callback, 1_700_000_000_000 + index));
        await Promise.all(
          batches(schedule, writers).map(async (share) => {
            for (let start = 0; start < share.length; start += batchSize) {
              await applyAll(
                state,
                share.slice(start, start + batchSize).map((index) => events[index]!),
              );
            }
          }),
        );
        const fold = referenceFold(events);
        for (const groupId of ['@TGS#g1', '@TGS#g2']) expect(await state.group(app, groupId)).toEqual(referenceGroup(app, groupId, fold));
        for (const account of ['ann', 'bob', 'cy', 'dee']) expect(await state.user(app, account)).toEqual(referenceUser(app, account, fold));
      },
    );
    await fc.assert(property, { seed, numRuns: kind === 'dynalite' ? 12 : 6 });
  }, 120_000);

  test('many writers on one member at once: every write is conditional, so the latest still wins', async () => {
    const app = nextApp();
    const cards = Array.from({ length: 20 }, (_, index) =>
      callback(app, {
        CallbackCommand: 'Group.CallbackAfterMemberFieldChanged',
        GroupId: 'hot',
        Modified_Account: 'ann',
        NameCard: `card ${index}`,
        EventTime: 1000 + index,
      }),
    );
    await Promise.all(cards.reverse().map((event) => applyAll(state, [event])));
    expect((await state.group(app, 'hot'))?.members).toEqual([{ account: 'ann', nameCard: 'card 19' }]);
  });

  test('two events of the same millisecond are ordered by their ids, whichever is written first', async () => {
    const app = nextApp();
    const card = (NameCard: string) =>
      callback(app, { CallbackCommand: 'Group.CallbackAfterMemberFieldChanged', GroupId: 'g', Modified_Account: 'ann', NameCard, EventTime: 500 });
    const [first, second] = [card('one'), card('two')].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)) as [StoredEvent, StoredEvent];
    const expected = JSON.parse(second.payload).NameCard;
    await applyAll(state, [second]);
    await applyAll(state, [first]);
    expect((await state.group(app, 'g'))?.members).toEqual([{ account: 'ann', nameCard: expected }]);
  });

  test('a batch costs one read of the generation pointer and one write per entity it changed, in order or not', async () => {
    const app = nextApp();
    const create = callback(app, {
      CallbackCommand: 'Group.CallbackAfterCreateGroup',
      GroupId: 'g',
      Type: 'Public',
      Name: 'n',
      Owner_Account: 'ann',
      MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'cy' }, { Member_Account: 'dee' }],
      EventTime: 10,
    });
    const renames = [11, 12, 13].map((time) =>
      callback(app, { CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: 'g', Name: `n${time}`, EventTime: time }),
    );
    table.calls.length = 0;
    await applyAll(state, [create, ...renames]);
    // The profile and four members: five writes, no read of them.
    expect(table.calls.toSorted()).toEqual(['GetItem', ...Array(5).fill('UpdateItem')]);

    // One late event (older than what the profile holds): its write fails its condition and merges.
    table.calls.length = 0;
    const late = callback(app, { CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: 'g', Introduction: 'late', Name: 'old', EventTime: 9 });
    await applyAll(state, [late]);
    // DynamoDB Local returns the item with the failed condition; dynalite does not, so it is read.
    expect(table.calls).toEqual(['GetItem', 'UpdateItem', ...(kind === 'dynalite' ? ['GetItem'] : []), 'PutItem']);
    expect(await state.group(app, 'g')).toMatchObject({ name: 'n13', introduction: 'late' });

    // The same events again change nothing: no write succeeds, nothing is put.
    table.calls.length = 0;
    await applyAll(state, [create, late]);
    expect(table.calls.filter((call) => call === 'PutItem')).toEqual([]);
  });

  test('ids too long for a key are hashed in it and kept in the item: a group, a member of 1,500 bytes, a user', async () => {
    const app = nextApp();
    const [group, member, user] = ['g', 'm', 'u'].map((first) => `${first}${'x'.repeat(MAX_KEY_PART_LENGTH * 3)}`) as [string, string, string];
    // 500 characters, within the key part's 512, but 1,500 bytes: more than a sort key holds.
    const wide = '群'.repeat(500);
    const events = [
      join(app, group, [member, 'ann', wide], 1000),
      callback(app, { CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: group, Name: 'long', EventTime: 1000 }),
      callback(app, { CallbackCommand: 'State.StateChange', EventTime: 1000, Info: { Action: 'Login', To_Account: user } }),
    ];
    await applyAll(state, events);
    expect(await state.group(app, group)).toMatchObject({
      groupId: group,
      name: 'long',
      members: [{ account: 'ann' }, { account: member }, { account: wide }],
    });
    expect(await state.user(app, user)).toMatchObject({ account: user, online: true });
    expect(await state.group(app, group.slice(0, MAX_KEY_PART_LENGTH))).toBeUndefined();
  });

  test('values too long are cut and the item says so; names too long are hashed and the register says so', async () => {
    const app = nextApp();
    const long = 'v'.repeat(stateLimits.valueBytes + 10);
    const longKey = `k${'é'.repeat(stateLimits.registerNameBytes)}`;
    await applyAll(state, [
      attributes(app, 'g', { short: 'x', [longKey]: 'y', big: long }, 5),
      callback(app, { CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: 'g', Introduction: long, EventTime: 6 }),
    ]);
    const view = await state.group(app, 'g');
    expect(view?.introduction).toBe(long.slice(0, stateLimits.valueBytes));
    expect(view?.attributes).toEqual({
      big: long.slice(0, stateLimits.valueBytes),
      short: 'x',
      [longKey.slice(0, 1 + Math.floor((stateLimits.registerNameBytes - 1) / 2))]: 'y',
    });
    const { Items = [] } = await table.client.send(
      new ScanCommand({ TableName: LOCAL_STATE_TABLE_NAME, FilterExpression: 'sdkAppId = :app', ExpressionAttributeValues: { ':app': app } }),
    );
    const item = (sk: string) => Items.find((found) => found.sk === sk)!;
    expect(item('profile')['r:introduction']).toMatchObject({ cut: stateLimits.valueBytes + 10 });
    expect(item('attributes')['r:big']).toMatchObject({ cut: stateLimits.valueBytes + 10 });
    const hashed = Object.keys(item('attributes')).filter((name) => name.startsWith('h:'));
    expect(hashed).toHaveLength(1);
    expect(item('attributes')[hashed[0]!]).toMatchObject({ v: 'y', nameBytes: Buffer.byteLength(longKey) });
  });

  test("an entity over DynamoDB's item limit fails its own event alone, permanently, and says why", async () => {
    const app = nextApp();
    const value = 'v'.repeat(stateLimits.valueBytes);
    // Each event adds ten 4 KB attributes: the tenth event's would take the item past 400 KB.
    const events = Array.from({ length: 11 }, (_, event) =>
      attributes(app, 'g', Object.fromEntries(Array.from({ length: 10 }, (_, key) => [`k${event}-${key}`, value])), 100 + event),
    );
    const member = join(app, 'g', ['ann'], 50);
    const failures = await state.apply(sourced([...events, member]));
    expect(failures.map(({ source, permanent }) => [source, permanent])).toEqual([
      [events[9]!.eventId, true],
      [events[10]!.eventId, true],
    ]);
    expect(failures[0]!.error.message).toMatch(/attributes of group g would take \d+ KB, over DynamoDB's 400 KB item limit/);
    const view = await state.group(app, 'g');
    expect(Object.keys(view?.attributes ?? {})).toHaveLength(90);
    expect(view?.members).toEqual([{ account: 'ann', role: 'Member' }]);
  });

  test('items written before generations (a registers map, updatedAt) read the same, and are rewritten by the next change', async () => {
    const app = nextApp();
    const stamp = { t: 1000, e: 'a'.repeat(32) };
    await table.client.send(
      new PutCommand({
        TableName: LOCAL_STATE_TABLE_NAME,
        Item: {
          pk: `G#${app}#g`,
          sk: 'member#bob',
          sdkAppId: app,
          version: 3,
          updatedAt: 1000,
          registers: { present: { v: true, ...stamp }, role: { v: 'Admin', ...stamp } },
        },
      }),
    );
    expect((await state.group(app, 'g'))?.members).toEqual([{ account: 'bob', role: 'Admin' }]);
    await applyAll(state, [
      callback(app, { CallbackCommand: 'Group.CallbackAfterMemberFieldChanged', GroupId: 'g', Modified_Account: 'bob', NameCard: 'B', EventTime: 900 }),
    ]);
    expect((await state.group(app, 'g'))?.members).toEqual([{ account: 'bob', role: 'Admin', nameCard: 'B' }]);
    const { Item } = await table.client.send(new GetCommand({ TableName: LOCAL_STATE_TABLE_NAME, Key: { pk: `G#${app}#g`, sk: 'member#bob' } }));
    expect(Item).toMatchObject({ version: 4, latest: stamp, 'r:role': { v: 'Admin' } });
    expect(Item?.registers).toBeUndefined();
  });

  test('an unknown group or user is undefined', async () => {
    expect(await state.group('1', 'nobody')).toBeUndefined();
    expect(await state.user('1', 'nobody')).toBeUndefined();
  });

  describe('generations', () => {
    test('a new generation is built beside the view, gets the changes made meanwhile, and replaces it whole', async () => {
      const app = nextApp();
      await applyAll(state, [join(app, 'g', ['ann', 'stale'], 10)]);
      const build = await state.openGeneration([app], { holder });
      expect(build.generations).toEqual(new Map([[app, 1]]));
      // The rebuild writes only the new generation; the consumer writes both while the lease runs.
      expect(await build.apply(sourced([join(app, 'g', ['ann'], 10)]))).toEqual([]);
      await applyAll(state, [join(app, 'g', ['bob'], 20)]);
      expect((await state.group(app, 'g'))?.members.map(({ account }) => account)).toEqual(['ann', 'bob', 'stale']);
      expect(await build.swap()).toBe(3);
      expect((await state.group(app, 'g'))?.members.map(({ account }) => account)).toEqual(['ann', 'bob']);
      // The consumer now writes the new generation alone.
      await applyAll(state, [join(app, 'g', ['cy'], 30)]);
      expect((await state.group(app, 'g'))?.members.map(({ account }) => account)).toEqual(['ann', 'bob', 'cy']);
      const { Items = [] } = await table.client.send(
        new ScanCommand({ TableName: LOCAL_STATE_TABLE_NAME, FilterExpression: 'sdkAppId = :app', ExpressionAttributeValues: { ':app': app } }),
      );
      expect(Items.map((item) => item.pk).toSorted()).toEqual([`G#${app}:1#g`, `G#${app}:1#g`, `G#${app}:1#g`, `V#${app}`]);
    });

    test("groups() lists the current generation's groups of one app, each once: what a reconciliation reads", async () => {
      const [app, other] = [nextApp(), nextApp()];
      const listed = async () => {
        const ids: string[] = [];
        for await (const id of state.groups(app)) ids.push(id);
        return ids.toSorted();
      };
      await applyAll(state, [join(app, 'g1', ['ann', 'bob'], 10), join(app, 'g2', ['ann'], 10), join(other, 'g3', ['cy'], 10)]);
      expect(await listed()).toEqual(['g1', 'g2']);
      const build = await state.openGeneration([app], { holder });
      expect(await build.apply(sourced([join(app, 'g1', ['ann'], 10)]))).toEqual([]);
      // While the rebuild runs, the view is still the old generation.
      expect(await listed()).toEqual(['g1', 'g2']);
      await build.swap();
      expect(await listed()).toEqual(['g1']);
    });

    test('a second rebuild is refused, naming the first; an abandoned one leaves the view as it was', async () => {
      const app = nextApp();
      await applyAll(state, [join(app, 'g', ['ann'], 10)]);
      const first = await state.openGeneration([app], { holder: { host: 'builder', pid: 42 } });
      await expect(state.openGeneration([app], { holder })).rejects.toThrow(RebuildRefusedError);
      await expect(state.openGeneration([app], { holder })).rejects.toThrow(/already under way \(builder, pid 42, since .*\): let it finish/);
      await first.apply(sourced([join(app, 'g', ['other'], 10)]));
      await first.abandon();
      expect((await state.group(app, 'g'))?.members).toEqual([{ account: 'ann', role: 'Member' }]);
      // The next rebuild opens a generation of its own, never the abandoned one's.
      const second = await state.openGeneration([app], { holder });
      expect(second.generations.get(app)).toBe(2);
      await second.apply(sourced([join(app, 'g', ['ann'], 10)]));
      await second.swap();
      expect((await state.group(app, 'g'))?.members).toEqual([{ account: 'ann', role: 'Member' }]);
    });

    test("a lease whose holder is gone is taken over; the old holder's swap then fails and changes nothing", async () => {
      const app = nextApp();
      await applyAll(state, [join(app, 'g', ['ann'], 10)]);
      const first = await state.openGeneration([app], { holder: { host: 'builder', pid: 42 } });
      const taker = await state.openGeneration([app], { holder, abandoned: (lease) => lease.pid === 42 });
      await expect(first.swap()).rejects.toThrow(/lost its lease \(another rebuild took it over\)/);
      await taker.apply(sourced([join(app, 'g', ['bob'], 10)]));
      await taker.swap();
      expect((await state.group(app, 'g'))?.members).toEqual([{ account: 'bob', role: 'Member' }]);
    });

    test('a lapsed lease: the consumer stops writing twice, another rebuild may start, and the lapsed one cannot swap', async () => {
      const app = nextApp();
      let now = Date.now();
      const clocked = table.store({ now: () => now });
      const lapsed = await clocked.openGeneration([app], { holder });
      now += generationLease.durationMs + 1;
      table.calls.length = 0;
      await applyAll(clocked, [join(app, 'g', ['ann'], 10)]);
      expect(table.calls).toEqual(['GetItem', 'UpdateItem']);
      await expect(lapsed.swap()).rejects.toThrow(/lost its lease \(not renewed since/);
      const next = await clocked.openGeneration([app], { holder });
      expect(next.generations.get(app)).toBe(2);
      await next.abandon();
      const { Item } = await table.client.send(new GetCommand({ TableName: LOCAL_STATE_TABLE_NAME, Key: pointerKey(app) }));
      expect(Item).toMatchObject({ current: 0, highest: 2 });
      expect(Item?.building).toBeUndefined();
    });
  });
});
