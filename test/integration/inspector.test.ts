/**
 * The inspector in a real browser: Debian's Chromium, driven by playwright-core. Without Chromium
 * this suite fails, saying how to install it (.ci/run does): a skipped browser test proves nothing.
 */

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { commandRegistry } from '../../functions/commands/registry.ts';
import { routes } from '../../local/inspector/routes.ts';
import { launchChromium } from '../support/chromium.ts';
import { deployedEnvelope } from '../support/deployed-envelope.ts';
import { action, pageToken, portOf } from '../support/inspector-client.ts';
import { selectRow } from '../support/inspector-page.ts';
import { projectRoot } from '../support/processes.ts';
import { post, SDK_APP_ID, startTestReceiver, type TestReceiver, testSettings } from '../support/receiver.ts';

const TOKEN = 'browser-test-token';
/**
 * Every run takes a screenshot, to look at (test/.out/, ignored by git); docs/local.md's copy in docs/
 * is replaced only when asked (UPDATE_SCREENSHOT=1), so a test run leaves the tree as it found it.
 */
const SCREENSHOT = join(projectRoot, process.env.UPDATE_SCREENSHOT ? 'docs/inspector.png' : 'test/.out/inspector.png');
const policy = { rules: [{ command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['forbidden'], refuse: { code: 10101, info: 'name not allowed' } }] };

let receiver: TestReceiver;
let browser: Browser;
let launching: Promise<Browser> | undefined;
let page: Page;
const consoleErrors: string[] = [];
const dialogs: string[] = [];

const row = (selector = '') => page.locator(`[data-testid="callback-row"]${selector}`);
const signed = () => {
  const time = String(Math.floor(Date.now() / 1000));
  return { RequestTime: time, Sign: createHash('sha256').update(`${TOKEN}${time}`).digest('hex') };
};
/** Asks again until the answer matches: the page draws at its next frame. `timeoutMs` only bounds a hang. */
async function eventually<T>(ask: () => Promise<T>, matches: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (matches(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const send = (command: string, body: Record<string, unknown>) =>
  post(receiver, { command, body: JSON.stringify({ CallbackCommand: command, ...body }), query: signed() });

beforeAll(async () => {
  // Chromium starts while the receiver is set up: neither waits on the other.
  // A name of our own for 127.0.0.1, to be a DNS-rebinding page's Host.
  launching = launchChromium(['--host-resolver-rules=MAP rebind.test 127.0.0.1']);
  receiver = await startTestReceiver({
    settings: testSettings({ policy }),
    tokens: [TOKEN],
    inspector: {
      stateOf: async (kind, id) =>
        kind === 'group' && id === '@TGS#2J4SZEAEL' ? { GroupId: id, Name: 'MyFirstGroup', members: ['leckie', 'bob', 'peter'] } : undefined,
    },
  });
  // Before the page opens: shown all the same, from memory and from the table.
  await send('Group.CallbackAfterCreateGroup', {
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Name: 'MyFirstGroup',
    Owner_Account: 'leckie',
    EventTime: Date.now(),
  });
  browser = await launching;
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(receiver.inspectorUrl!);
  await page.locator('.connection.live').waitFor();
}, 30_000);

afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
  await receiver?.close();
});

describe('the inspector page', () => {
  test('shows what came before it opened, then each new callback live', async () => {
    await row('[data-command="Group.CallbackAfterCreateGroup"][data-outcome="stored"][data-event-id]').first().waitFor();
    await send('Group.CallbackBeforeCreateTopic', { GroupId: '@TGS#2J4SZEAEL', Name: 'forbidden', Operator_Account: 'leckie' });
    await send('Group.CallbackAfterCreateTopic', { GroupId: '@TGS#2J4SZEAEL', TopicId: '@TGS#_@TGS#2J4SZEAEL@TOPIC#_t1', Operator_Account: 'leckie' });
    await post(receiver, { command: 'Group.CallbackAfterCreateGroup', body: '{}' });
    await row('[data-command="Group.CallbackBeforeCreateTopic"][data-outcome="refused"]').waitFor();
    await row('[data-command="Group.CallbackAfterCreateTopic"][data-outcome="stored"]').waitFor();
    await row('[data-outcome="rejected"]').waitFor();
  });

  test('a hostile body shows as text and never runs', async () => {
    const hostile = '<img src=x onerror=window.__pwned=1;alert(1)><script>window.__pwned=2;alert(2)</script>';
    await send('Group.CallbackAfterGroupInfoChanged', { GroupId: 'hostile-group', Name: hostile, Introduction: '</pre><svg onload=alert(3)>' });
    await selectRow(row('[data-command="Group.CallbackAfterGroupInfoChanged"]'));
    const shown = await page.locator('[data-testid="detail-body"]').textContent();
    expect(shown).toContain(hostile);
    expect(shown).toContain('</pre><svg onload=alert(3)>');
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#rows img, #detail img, #detail svg, body script:not([src])').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  test('replay sends the selected callback again: a new row for the same event', async () => {
    const original = row('[data-command="Group.CallbackAfterCreateTopic"]').first();
    const eventId = (await original.getAttribute('data-event-id'))!;
    await selectRow(original);
    await page.locator('[data-testid="replay"]').click();
    await row(`[data-event-id="${eventId}"][data-outcome="duplicate"]`).waitFor();
    expect(await row(`[data-event-id="${eventId}"]`).count()).toBe(2);
  });

  test('"Edit as a sample" sends the selected body again, changed: a new event', async () => {
    const command = 'Group.CallbackAfterCreateTopic';
    await selectRow(row(`[data-command="${command}"][data-outcome="stored"]`).first());
    await page.getByRole('button', { name: 'Edit as a sample' }).click();
    expect(await page.locator('select[data-testid="sample-command"]').inputValue()).toBe(command);
    const editor = page.locator('#sample-body');
    await editor.fill((await editor.inputValue()).replace('leckie', 'edited-operator'));
    await page.locator('[data-testid="send-sample"]').click();
    await row(`[data-command="${command}"][data-outcome="stored"]`).nth(1).waitFor();
    const ids = await row(`[data-command="${command}"][data-outcome="stored"]`).evaluateAll((rows) => rows.map((found) => found.getAttribute('data-event-id')));
    expect(new Set(ids).size).toBe(2);
  });

  test('the picker offers every registry command, and a sample of each family is received', async () => {
    expect(await page.locator('select[data-testid="sample-command"] option').count()).toBe(commandRegistry.size);
    const families = new Map<string, string>();
    for (const definition of commandRegistry.values()) if (!families.has(definition.family)) families.set(definition.family, definition.command);
    for (const command of families.values()) {
      const before = await row(`[data-command="${command}"]`).count();
      await page.locator('select[data-testid="sample-command"]').selectOption(command);
      await page.locator('[data-testid="send-sample"]').click();
      // Its row, waited for in the page itself (no polling from here), and only that one.
      await row(`[data-command="${command}"]`).nth(before).waitFor();
      expect(await row(`[data-command="${command}"]`).count()).toBe(before + 1);
      expect(await row(`[data-command="${command}"]`).first().getAttribute('data-outcome')).toMatch(/^(allowed|stored|duplicate)$/);
    }
  });

  test('filters by outcome and by group or user; the detail shows the decision, the answer and the synced state', async () => {
    await page.locator('#filter-outcome').selectOption('refused');
    expect(
      await eventually(
        () => row().count(),
        (count) => count === 1,
      ),
    ).toBe(1);
    await page.locator('#filter-outcome').selectOption('');
    await page.locator('#filter-subject').fill('hostile');
    expect(
      await eventually(
        () => row().count(),
        (count) => count === 1,
      ),
    ).toBe(1);
    await page.locator('#filter-subject').fill('');
    await selectRow(row('[data-outcome="refused"]'));
    const detail = () => page.locator('#detail').textContent().then(String);
    // The decision as the record has it (a record that names its rule gets the rule shown too).
    expect(await eventually(detail, (text) => text.includes('"members"'))).toMatch(/Decisionoutcomerefusedcode10101.*"ErrorInfo": "name not allowed"/s);
    // The rule that refused it, by its id, with its body as it was when it decided (page/detail-view.ts).
    expect(JSON.parse((await page.locator('[data-testid="matched-rule"]').textContent())!)).toEqual(policy.rules[0]);
    expect(await page.locator('#detail').textContent()).toContain('Policy rule 0:');
  });

  test('marks an unknown command, its tag naming the nearest registered one, and an invalid body (docs/commands.md#unknown)', async () => {
    await send('Group.CallbackAfterCreatGroup', { GroupId: '@TGS#typo' });
    await send('Group.CallbackAfterCreateGroup', { GroupId: '@TGS#bad', MemberList: 'bob' });
    const typo = row('[data-command="Group.CallbackAfterCreatGroup"]');
    await typo.waitFor();
    expect(await typo.getAttribute('data-marks')).toBe('unregistered');
    expect(await typo.locator('.tag.mark-unregistered').getAttribute('title')).toBe('unknown command: nearest Group.CallbackAfterCreateGroup');
    await row('[data-command="Group.CallbackAfterCreateGroup"][data-marks="invalid"]').waitFor();
  });

  test('a deployed event that listen brings shows marked deployed, its detail whole, and the filters find it (docs/production.md#listen-inspector)', async () => {
    const body = { CallbackCommand: 'Group.CallbackAfterSendMsg', GroupId: '@TGS#from-aws', From_Account: 'deployed-ann', MsgBody: [] };
    const event = deployedEnvelope({
      eventId: 'a'.repeat(32),
      sdkAppId: SDK_APP_ID,
      command: body.CallbackCommand,
      kind: 'after',
      groupId: body.GroupId,
      user: 'deployed-ann',
      receivedAt: Date.now(),
      body,
    });
    // As `listen --inspector` posts it (test/integration/listen-cli.test.ts takes it there from the bus through moto).
    expect(await action(receiver, routes.deployed, event, await pageToken(receiver))).toEqual({ status: 200, body: { pages: 1 } });
    const deployed = row('[data-source="deployed"]');
    await deployed.waitFor();
    expect(await deployed.getAttribute('data-outcome')).toBe('published');
    expect(await deployed.locator('.tag.source-deployed').textContent()).toBe('deployed');
    await selectRow(deployed);
    expect(await page.locator('[data-testid="detail-deployed"]').textContent()).toContain('ap-singapore-1');
    expect(JSON.parse((await page.locator('[data-testid="detail-body"]').textContent())!)).toEqual(body);
    const shown = (selector: string) => row().evaluateAll((rows, wanted) => rows.map((found) => found.getAttribute(wanted)), selector);
    await page.locator('#filter-subject').fill('deployed-ann');
    expect(
      await eventually(
        () => shown('data-source'),
        (sources) => sources.length === 1,
      ),
    ).toEqual(['deployed']);
    await page.locator('#filter-subject').fill('');
    await page.locator('#filter-outcome').selectOption('published');
    expect(
      await eventually(
        () => shown('data-source'),
        (sources) => sources.length === 1,
      ),
    ).toEqual(['deployed']);
    await page.locator('#filter-outcome').selectOption('');
  });

  test('a screenshot for docs/local.md, and nothing went wrong in the console', async () => {
    await selectRow(row('[data-command="Group.CallbackBeforeCreateTopic"][data-outcome="refused"]'));
    await page.screenshot({ path: SCREENSHOT });
    expect(consoleErrors).toEqual([]);
  });

  test('a page reached under another name is refused (DNS rebinding)', async () => {
    const other = await browser.newPage();
    try {
      const response = await other.goto(`http://rebind.test:${portOf(receiver)}/`);
      expect(response!.status()).toBe(421);
      expect(await other.textContent('body')).toContain(`127.0.0.1:${portOf(receiver)}`);
    } finally {
      await other.close();
    }
  });
});
