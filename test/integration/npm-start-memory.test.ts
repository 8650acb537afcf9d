/**
 * Issue 17: refused requests cost no memory that stays. `npm start` in a child process takes a flood
 * of 9.9 MB bodies that are all refused (a wrong SdkAppid; the right one but over maxBodyBytes; sent
 * by a browser) while a page reads the live stream, and its resident memory stays flat. Once, the
 * inspector kept each of them whole in its curl text, uncounted: 432 took it from 154 MB to 8.6 GB,
 * and V8 aborted.
 *
 * A bound on memory, not a timing: the requests go one after another, as fast as the machine goes.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MAX_REFUSED_BODY_BYTES } from '../../local/inspector/captured-callbacks.ts';
import { MAX_BACKLOG_BYTES } from '../../local/inspector/live-stream.ts';
import { type LiveReader, openLiveReader } from '../support/live-reader.ts';
import { residentBytes } from '../support/process-memory.ts';
import { type Started, startScript } from '../support/processes.ts';

const SDK_APP_ID = '1400000123';
const COMMAND = 'Group.CallbackAfterCreateGroup';
const BODY_BYTES = 9_900_000;
/** Rounds of the three refused kinds: 3 × 15 × 9.9 MB ≈ 450 MB sent. */
const ROUNDS = 15;
const WARMUP_ROUNDS = 3;
const GROWTH_LIMIT = 100 * 1024 * 1024;
/** A refused row on the live stream: the head of its body and a few lines around it. */
const REFUSED_FRAME_LIMIT = MAX_REFUSED_BODY_BYTES + 8 * 1024;

const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-memory-'));
const prefix = `{"CallbackCommand":"${COMMAND}","GroupId":"@TGS#flood","Name":"`;
/** One buffer, sent again and again: the test's own memory stays out of the measure. */
const body = Buffer.alloc(BODY_BYTES, 'x');
body.write(prefix);
body.write('"}', BODY_BYTES - 2);

interface Answer {
  readonly status: number;
  readonly answer: { ActionStatus: string; ErrorCode: number; ErrorInfo: string };
}

function send(port: number, query: string, headers: Record<string, string>, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: '127.0.0.1', port, method: 'POST', path: `/callback?${query}`, agent: false, headers: { 'content-length': String(bytes.length), ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, answer: JSON.parse(text) }));
      },
    );
    // A refusal may come before the whole body is written (a browser's): what matters is the answer.
    sent.on('error', reject);
    sent.end(bytes);
  });
}

/** A callback that is stored: what comes after it on the live stream was sent after it. */
const marker = (groupId: string) => Buffer.from(JSON.stringify({ CallbackCommand: COMMAND, GroupId: groupId, Type: 'Public' }));

const query = (sdkAppId: string) =>
  new URLSearchParams({ SdkAppid: sdkAppId, CallbackCommand: COMMAND, contenttype: 'json', ClientIP: '10.0.0.1', OptPlatform: 'RESTAPI' }).toString();

/** Ways to be refused, each with the answer it is owed. */
const refusals: { label: string; query: string; headers: Record<string, string>; status: number; code: number; info?: string }[] = [
  { label: 'a wrong SdkAppid', query: query('1400000999'), headers: {}, status: 403, code: 40302 },
  {
    label: 'over maxBodyBytes',
    query: query(SDK_APP_ID),
    headers: {},
    status: 413,
    code: 41300,
    info: `the body is ${BODY_BYTES} bytes, more than the 1048576 allowed`,
  },
  { label: 'sent by a browser', query: query(SDK_APP_ID), headers: { origin: 'https://attacker.example' }, status: 403, code: 40303 },
];

let server: Started;
let port: number;
let reader: LiveReader;
const run = { baseline: 0, peak: 0, end: 0, answers: [] as (Answer & { label: string })[] };

beforeAll(async () => {
  server = await startScript(
    'local/start.ts',
    {
      PORT: '0',
      DYNAMODB_PORT: '0',
      DATA_DIR: dataDir,
      IM_SDKAPPIDS: SDK_APP_ID,
      DYNAMODB_ENDPOINT: '',
      IM_FORWARD_URL: '',
      IM_CALLBACK_TOKEN: '',
      IM_MAX_BODY_BYTES: '',
    },
    'Ctrl-C stops it.',
  );
  port = Number(/Callback URL\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.output())![1]);
  reader = await openLiveReader(port);
  const pid = server.child.pid!;
  const flood = async (rounds: number) => {
    for (let round = 0; round < rounds; round++) {
      for (const refusal of refusals) {
        run.answers.push({ label: refusal.label, ...(await send(port, refusal.query, refusal.headers, body)) });
        run.peak = Math.max(run.peak, residentBytes(pid));
      }
    }
  };
  // The first rounds grow the heap to its working size (and compile what runs): the baseline is after.
  await flood(WARMUP_ROUNDS);
  run.baseline = residentBytes(pid);
  run.peak = run.baseline;
  await flood(ROUNDS);
  run.end = residentBytes(pid);
  // Each row reaches the stream once its answer is written: a callback after the flood, once read,
  // says every row before it was.
  await send(port, query(SDK_APP_ID), {}, marker('@TGS#flood-over'));
  await reader.until((callback) => callback.record.groupId === '@TGS#flood-over' && callback.source === 'live');
}, 300_000);

afterAll(async () => {
  reader?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

describe('npm start under a flood of refused 9.9 MB bodies', () => {
  test('answers each as before: 403 40302, 413 41300 naming the size, 403 40303', () => {
    expect(run.answers).toHaveLength((WARMUP_ROUNDS + ROUNDS) * refusals.length);
    for (const { label, status, answer } of run.answers) {
      const refusal = refusals.find((candidate) => candidate.label === label)!;
      expect({ label, status, answer }).toEqual({
        label,
        status: refusal.status,
        answer: { ActionStatus: 'FAIL', ErrorCode: refusal.code, ErrorInfo: refusal.info ?? expect.any(String) },
      });
    }
  });

  test(`keeps its resident memory within ${mb(GROWTH_LIMIT)} of where it started`, () => {
    process.stdout.write(
      `npm start RSS: ${mb(run.baseline)} after warm-up, ${mb(run.peak)} at most, ${mb(run.end)} at the end (${mb(ROUNDS * refusals.length * BODY_BYTES)} sent)\n`,
    );
    expect(run.peak - run.baseline).toBeLessThan(GROWTH_LIMIT);
    expect(run.end - run.baseline).toBeLessThan(GROWTH_LIMIT);
  });

  test('shows each refused callback with only the head of its body, marked as cut and not replayable', async () => {
    const refused = reader.frames.filter((frame) => frame.callback.answer?.status !== undefined && frame.callback.answer.status >= 400);
    // The browser's requests never reach the chain, nor the inspector.
    expect(refused).toHaveLength((WARMUP_ROUNDS + ROUNDS) * 2);
    for (const { bytes, callback } of refused) {
      expect(bytes).toBeLessThan(REFUSED_FRAME_LIMIT);
      expect(callback).toMatchObject({
        bodyBytes: BODY_BYTES,
        bodyClipped: true,
        replayable: false,
        cut: expect.stringContaining(`first ${MAX_REFUSED_BODY_BYTES} bytes`),
      });
      expect(callback.body).toBe(body.subarray(0, MAX_REFUSED_BODY_BYTES).toString());
      expect(callback.curl).toMatch(/^# The inspector kept only the start of the body \(9900000 bytes\)/);
    }
  });

  test('a page that opens afterwards gets a small backlog, not the bodies again', async () => {
    const late = await openLiveReader(port);
    try {
      // A callback after the backlog: once it is read, the backlog before it is all there.
      expect((await send(port, query(SDK_APP_ID), {}, marker('@TGS#marker'))).status).toBe(200);
      await late.until((callback) => callback.record.groupId === '@TGS#marker' && callback.source === 'live');
      const backlog = late.frames.slice(
        0,
        late.frames.findIndex((frame) => frame.callback.record.groupId === '@TGS#marker'),
      );
      const backlogBytes = backlog.reduce((sum, frame) => sum + frame.bytes, 0);
      expect(backlog.length).toBeGreaterThanOrEqual((WARMUP_ROUNDS + ROUNDS) * 2);
      expect(backlogBytes).toBeLessThan(backlog.length * REFUSED_FRAME_LIMIT);
      expect(backlogBytes).toBeLessThan(MAX_BACKLOG_BYTES);
    } finally {
      late.close();
    }
  });
});
