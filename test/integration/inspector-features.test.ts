/**
 * The inspector's parts from issue 22, in Debian's Chromium at two widths, 900 and 1600 px: every
 * column in view; invalid, unregistered and probe rows marked; request headers and the raw request;
 * search across bodies; export of the rows shown (JSON lines, HAR); the forwarder's deliveries beside
 * each stored event. Then npm start restarted under an open page: Send and Replay work without a
 * reload, and the callbacks of the run before are still there. Screenshots: test/.out/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { type ForwardTarget, startForwardTarget } from '../support/forward-target.ts';
import { portOf } from '../support/inspector-client.ts';
import { selectRow } from '../support/inspector-page.ts';
import { projectRoot } from '../support/processes.ts';
import { post, startTestReceiver, storedEvents, type TestReceiver } from '../support/receiver.ts';

const OUT = join(projectRoot, 'test/.out');
const WIDTHS = [900, 1600] as const;

let browser: Browser;
let launching: Promise<Browser> | undefined;
let receiver: TestReceiver;
let target: ForwardTarget;

/** Asks again until the answer matches: the page draws at its next frame. */
async function eventually<T>(ask: () => Promise<T>, matches: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (matches(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const after = (groupId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ CallbackCommand: 'Group.CallbackAfterCreateGroup', GroupId: groupId, Type: 'Public', Name: 'features', EventTime: Date.now(), ...extra });

async function openPage(width: number, url = receiver.inspectorUrl!): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 1000 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  Object.assign(page, { errors });
  await page.goto(url);
  await page.locator('.connection.live').waitFor();
  return page;
}
const errorsOf = (page: Page) => (page as Page & { errors: string[] }).errors;
const rows = (page: Page, selector = '') => page.locator(`[data-testid="callback-row"]${selector}`);

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  // Chromium starts while the receiver is set up below: neither waits on the other.
  launching = launchChromium();
  target = await startForwardTarget();
  // One group's events are refused by the target: their delivery keeps being retried.
  target.answer = (event) => (event.detail?.groupId === '@TGS#fwd-refused' ? 503 : 200);
  receiver = await startTestReceiver({ inspector: {}, forwardUrl: target.url, stream: { initialDelayMs: 20, maxDelayMs: 100, say: () => undefined } });
  expect(
    (await post(receiver, { command: 'Group.CallbackAfterCreateGroup', body: after('@TGS#plain', { Introduction: 'a needle-in-the-body here' }) })).status,
  ).toBe(200);
  // Invalid: GroupId must be a string. Stored all the same.
  expect(
    (
      await post(receiver, {
        command: 'Group.CallbackAfterCreateGroup',
        body: JSON.stringify({ CallbackCommand: 'Group.CallbackAfterCreateGroup', GroupId: 42 }),
      })
    ).status,
  ).toBe(200);
  // Unregistered: no definition, stored as received.
  expect(
    (
      await post(receiver, {
        command: 'Nobody.CallbackAfterSomething',
        body: JSON.stringify({ CallbackCommand: 'Nobody.CallbackAfterSomething', GroupId: '@TGS#unknown' }),
      })
    ).status,
  ).toBe(200);
  // A probe: a health check at a path no route serves.
  expect((await post(receiver, { path: '/healthz', body: '{}' })).status).toBe(404);
  await eventually(
    async () => target.received.length,
    (count) => count >= 3,
  );
  expect((await post(receiver, { command: 'Group.CallbackAfterCreateGroup', body: after('@TGS#fwd-refused') })).status).toBe(200);
  browser = await launching;
}, 60_000);

afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
  await receiver?.close();
  await target?.down();
});

describe.each(WIDTHS)('at %i px', (width) => {
  let page: Page;
  beforeAll(async () => {
    page = await openPage(width);
    await rows(page, '[data-command="Nobody.CallbackAfterSomething"]').waitFor();
  });
  afterAll(async () => page?.close());

  test('every column is in view, and the time and event id of each row are shown whole', async () => {
    const list = await page
      .locator('.list')
      .evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth, right: element.getBoundingClientRect().right }));
    expect(list.scroll).toBeLessThanOrEqual(list.client);
    const headers = await page
      .locator('.list th')
      .evaluateAll((cells) =>
        cells.map((cell) => ({ text: cell.textContent, right: cell.getBoundingClientRect().right, cut: cell.scrollWidth > cell.clientWidth })),
      );
    expect(headers.map((header) => header.text)).toEqual(['Time', 'HTTP', 'Outcome', 'Command', 'ms', 'Group / user', 'Event', 'Fwd']);
    for (const header of headers) {
      expect(header.right).toBeLessThanOrEqual(list.right + 0.5);
      expect(header.cut).toBe(false);
    }
    const cut = await page
      .locator('[data-testid="callback-row"] td:first-child, [data-testid="callback-row"] td.event')
      .evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent));
    expect(cut).toEqual([]);
  });

  test('invalid, unregistered and probe rows are marked, in the list and in the detail', async () => {
    expect(await rows(page, '[data-marks~="invalid"]').count()).toBeGreaterThanOrEqual(1);
    expect(await rows(page, '[data-command="Nobody.CallbackAfterSomething"]').getAttribute('data-marks')).toBe('unregistered');
    expect(await rows(page, '[data-marks~="probe"]').first().getAttribute('data-outcome')).toBe('rejected');
    expect(await rows(page, '[data-command="Group.CallbackAfterCreateGroup"][data-marks=""]').count()).toBeGreaterThanOrEqual(1);
    await selectRow(rows(page, '[data-marks~="invalid"]').first());
    expect(await page.locator('[data-testid="detail-marks"]').textContent()).toContain('invalid: the body failed its command’s schema');
  });

  test("a live callback's detail shows its request headers and the raw request", async () => {
    await selectRow(rows(page, '[data-command="Nobody.CallbackAfterSomething"]'));
    const detail = page.locator('#detail');
    await detail.getByText('Request headers').waitFor();
    expect(await detail.textContent()).toMatch(new RegExp(`host127\\.0\\.0\\.1:${portOf(receiver)}`));
    await page.locator('[data-testid="raw-toggle"]').click();
    const raw = (await page.locator('[data-testid="detail-raw"]').textContent())!;
    expect(raw).toMatch(/^POST \/callback\?SdkAppid=1400000000&CallbackCommand=Nobody\.CallbackAfterSomething&.* HTTP\/1\.1\nhost: 127\.0\.0\.1:\d+\n/);
    expect(raw).toMatch(/\n\n\{"CallbackCommand":"Nobody\.CallbackAfterSomething","GroupId":"@TGS#unknown"\}$/);
  });

  test('search finds text anywhere in the bodies', async () => {
    await page.locator('[data-testid="filter-text"]').fill('NEEDLE-in-the');
    expect(
      await eventually(
        () => rows(page).count(),
        (count) => count === 1,
      ),
    ).toBe(1);
    expect(await rows(page).first().getAttribute('data-command')).toBe('Group.CallbackAfterCreateGroup');
  });

  test('export writes the rows shown: JSON lines, and a HAR of their requests and answers', async () => {
    // The search of the test before still holds: one row shown.
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-jsonl"]').click()]);
    expect(jsonl.suggestedFilename()).toBe('tencent-im-callbacks.jsonl');
    const lines = readFileSync((await jsonl.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line).body)).toEqual([expect.stringContaining('needle-in-the-body')]);
    await page.locator('[data-testid="filter-text"]').fill('');
    const shown = await eventually(
      () => rows(page).count(),
      (count) => count > 1,
    );
    const [har] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-har"]').click()]);
    const { log } = JSON.parse(readFileSync((await har.path())!, 'utf8'));
    expect(log.version).toBe('1.2');
    expect(log.entries).toHaveLength(shown);
    const unregistered = log.entries.find((entry: any) => entry.request.url.includes('Nobody.CallbackAfterSomething'));
    expect(unregistered.request).toMatchObject({
      method: 'POST',
      postData: { text: '{"CallbackCommand":"Nobody.CallbackAfterSomething","GroupId":"@TGS#unknown"}' },
    });
    expect(unregistered.request.headers).toContainEqual({ name: 'host', value: `127.0.0.1:${portOf(receiver)}` });
    expect(unregistered.response).toMatchObject({ status: 200, content: { text: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}' } });
  });

  test("the forwarder's deliveries beside each stored event: delivered, and one the target keeps refusing", async () => {
    const delivered = rows(page, '[data-command="Nobody.CallbackAfterSomething"] [data-testid="forwarded"]');
    expect(
      await eventually(
        () => delivered.textContent(),
        (text) => text === '✓ 200',
      ),
    ).toBe('✓ 200');
    const refusedRow = page.locator('[data-testid="callback-row"]', { hasText: '@TGS#fwd-refused' });
    const retries = await eventually(
      () =>
        refusedRow
          .locator('[data-testid="forwarded"]')
          .textContent({ timeout: 100 })
          .catch(() => ''),
      (text) => /^↻ \d+×$/.test(text ?? ''),
    );
    expect(retries).toMatch(/^↻ \d+×$/);
    await selectRow(refusedRow);
    expect(await page.locator('[data-testid="delivery-state"]').textContent()).toBe('retrying');
    expect(await page.locator('[data-testid="deliveries"]').textContent()).toMatch(/last answerHTTP 503 at /);
  });

  test('a sample is sent happening now: its EventTime is the moment it was sent, not the example’s 2022', async () => {
    await page.locator('select[data-testid="sample-command"]').selectOption('Group.CallbackAfterCreateGroup');
    const editor = page.locator('#sample-body');
    await editor.fill((await editor.inputValue()).replace('"MyFirstGroup"', `"sample-at-${width}"`));
    const before = Date.now();
    await page.locator('[data-testid="send-sample"]').click();
    expect(
      await eventually(
        () => page.locator('#sample-result').textContent(),
        (text) => /^HTTP /.test(text ?? ''),
      ),
    ).toMatch(/^HTTP 200 /);
    const sent = (await storedEvents(receiver)).find((event) => event.payload.includes(`sample-at-${width}`))!;
    expect(sent.eventTime).toBeGreaterThanOrEqual(before);
    expect(sent.eventTime).toBeLessThanOrEqual(Date.now());
  });

  test('a screenshot to look at, and nothing went wrong in the console', async () => {
    await selectRow(rows(page, '[data-command="Nobody.CallbackAfterSomething"]'));
    await page.screenshot({ path: join(OUT, `inspector-${width}.png`), fullPage: true });
    expect(errorsOf(page)).toEqual([]);
  });
});

describe('npm start restarted under an open page', () => {
  // The page tries again 50 ms after its stream broke, not after npm start's 2 s: the second run is up at once.
  const RECONNECTING = { reconnectMs: 50 };
  let dataDir: string;
  let first: TestReceiver;
  let page: Page;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'inspector-restart-'));
    first = await startTestReceiver({ inspector: RECONNECTING, dataDir, onReplay: () => undefined });
  });
  afterAll(async () => {
    await page?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the page takes the new token itself: Send and Replay work without a reload; the run before’s refusals are still listed', async () => {
    // A refusal of the first run: never stored, so only the inspector's own file can bring it back.
    expect((await post(first, { command: 'Group.CallbackAfterCreateGroup', body: after('@TGS#first-run'), sdkAppId: '1400000999' })).status).toBe(403);
    page = await openPage(1600, first.inspectorUrl!);
    await rows(page, '[data-outcome="rejected"]').waitFor();
    const port = portOf(first);
    await first.close();
    await page.locator('.connection:not(.live)').waitFor();
    const second = await startTestReceiver({ inspector: RECONNECTING, dataDir, port, onReplay: () => undefined });
    try {
      await page.locator('.connection.live').waitFor({ timeout: 15_000 });
      await page.locator('select[data-testid="sample-command"]').selectOption('Group.CallbackAfterCreateGroup');
      await page.locator('[data-testid="send-sample"]').click();
      expect(
        await eventually(
          () => page.locator('#sample-result').textContent(),
          (text) => /^HTTP /.test(text ?? ''),
        ),
      ).toMatch(/^HTTP 200 /);
      await rows(page, '[data-command="Group.CallbackAfterCreateGroup"][data-outcome="stored"]').first().waitFor();
      await selectRow(rows(page, '[data-command="Group.CallbackAfterCreateGroup"][data-outcome="stored"]').first());
      await page.locator('[data-testid="replay"]').click();
      expect(
        await eventually(
          () => page.locator('#detail .row .muted').first().textContent(),
          (text) => /^replay/.test(text ?? ''),
        ),
      ).toMatch(/^replayed: HTTP 200 /);
      // A page opened now: the first run's refusal is listed, marked as an earlier run's.
      const fresh = await openPage(1600, second.inspectorUrl!);
      try {
        const earlier = fresh.locator('[data-testid="callback-row"][data-outcome="rejected"]', { hasText: 'earlier run' });
        await earlier.first().waitFor();
        expect(await earlier.count()).toBe(1);
      } finally {
        await fresh.close();
      }
    } finally {
      await second.close();
    }
  }, 60_000);
});
