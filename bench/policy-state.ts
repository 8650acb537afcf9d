import * as v from 'valibot';
import { backtest } from '../cli/policy-backtest.ts';
import { commandDefinition } from '../functions/commands/registry.ts';
import { compilePolicy } from '../functions/policy/policy.ts';
import { type Policy, PolicySchema } from '../functions/policy/policy-schema.ts';
import { LOCAL_COUNTERS_TABLE_NAME } from '../functions/store/counters-table.ts';
import { DynamoDbPolicyCounters } from '../functions/store/dynamodb-policy-counters.ts';
import type { EventFilter, EventReader, StoredEvent } from '../functions/store/event-store.ts';
import { startEmbeddedStore } from '../local/embedded-store.ts';
import { policyBenchBody, policyBenchPolicy } from './policy-decision-input.ts';
import { compared, type Row } from './report.ts';
import { type Summary, summarize } from './stats.ts';

/**
 * What issue 20's operation adds to the policy (its "Speed"), in this process, warm, on the policy
 * bench's input (policy-decision-input.ts: a 2 KB message against 10,000 words):
 *
 * - a shadow word list beside the acting one: decisions with and without it, interleaved;
 * - a rate rule per sender counting in dynalite (the embedded store `npm start` runs, on its thread):
 *   decisions with and without it, interleaved; its limit is never reached, so every decision
 *   writes its counter, the costly case. In AWS the same is one UpdateItem in the Region;
 * - a backtest of stored group messages through that policy (and a shadow rule) against an empty
 *   current one, its messages read from memory, so that the evaluation is measured, not dynalite:
 *   messages a second, and how far the process's memory grew from the first tenth to the end.
 */
export interface PolicyStateOptions {
  readonly iterations: number;
  readonly warmup: number;
  readonly backtestMessages: number;
}

export interface PolicyStateResult {
  /** Decisions of the word list alone, and with a shadow rule, µs. */
  readonly statelessUs: Summary;
  readonly shadowUs: Summary;
  /** Decisions of the word list alone, and with a rate rule counting in dynalite, µs (interleaved with each other). */
  readonly withoutRateUs: Summary;
  readonly withRateUs: Summary;
  readonly backtest: {
    readonly messages: number;
    /** Decisions through both policies per second of decision time, as the CLI reports it. */
    readonly messagesPerSecond: number;
    /** The same over the whole run, reading and comparing included. */
    readonly overallPerSecond: number;
    /** Resident memory from a tenth of the messages to the end, MB. */
    readonly rssGrowthMb: number;
  };
}

const SEND = commandDefinition('Group.CallbackBeforeSendMsg');
const words = () => policyBenchPolicy().rules[0]!;
const parse = (policy: unknown): Policy => v.parse(PolicySchema, policy);
/** A word list being tried: shadow rules' containsAny join the policy's one automaton, as acting ones do. */
const shadowRule = {
  id: 'trial',
  mode: 'shadow',
  command: SEND.command,
  field: 'MsgBody[].MsgContent.Text',
  containsAny: ['zzqxa', 'qqzxv', 'xxqzz'],
  drop: true,
};
const rateRule = { id: 'flood', command: SEND.command, rate: { per: 'From_Account', limit: 1_000_000_000, window: '1h' }, drop: true };

/** Decisions of two policies, alternated so that the machine's moments fall on both alike, µs. */
async function interleaved(
  first: (index: number) => Promise<unknown>,
  second: (index: number) => Promise<unknown>,
  { iterations, warmup }: PolicyStateOptions,
): Promise<[Summary, Summary]> {
  const times: [number[], number[]] = [[], []];
  for (let index = 0; index < warmup + iterations; index++) {
    for (const [which, decide] of [first, second].entries()) {
      const began = performance.now();
      await decide(index);
      if (index >= warmup) times[which]!.push((performance.now() - began) * 1_000);
    }
  }
  return [summarize(times[0]), summarize(times[1])];
}

const bodyFrom = (index: number) => ({ ...policyBenchBody, From_Account: `user${index % 100}` });

/** Stored group messages, made as they are read: a page at a time, never all in memory. */
function syntheticReader(messages: number, onProgress: (read: number) => void): EventReader {
  const payload = (index: number) => JSON.stringify({ ...bodyFrom(index), CallbackCommand: 'Group.CallbackAfterSendMsg', MsgSeq: index });
  const event = (index: number): StoredEvent => ({
    eventId: index.toString(16).padStart(32, '0'),
    command: 'Group.CallbackAfterSendMsg',
    kind: 'after',
    sdkAppId: '1400000001',
    groupId: policyBenchBody.GroupId,
    user: `user${index % 100}`,
    eventTime: 1_767_225_600_000 + index,
    receivedAt: 1_767_225_600_000 + index,
    payload: payload(index),
    valid: true,
    expiresAt: 0,
  });
  return {
    list: () => Promise.reject(new Error('the backtest reads pages')),
    async *pages(filter: EventFilter) {
      if (filter.command !== 'Group.CallbackAfterSendMsg') return;
      for (let start = 0; start < messages; start += 1_000) {
        onProgress(start);
        yield Array.from({ length: Math.min(1_000, messages - start) }, (_, offset) => event(start + offset));
      }
    },
  };
}

export async function measurePolicyState(options: PolicyStateOptions): Promise<PolicyStateResult> {
  const stateless = compilePolicy(parse({ rules: [words()] }));
  const shadowed = compilePolicy(parse({ rules: [words(), shadowRule] }));
  const [statelessUs, shadowUs] = await interleaved(
    async (index) => stateless.decide(SEND, bodyFrom(index)),
    async (index) => shadowed.decide(SEND, bodyFrom(index)),
    options,
  );

  const store = await startEmbeddedStore({ port: 0 });
  let withoutRateUs: Summary;
  let withRateUs: Summary;
  try {
    const counters = new DynamoDbPolicyCounters(store.client, LOCAL_COUNTERS_TABLE_NAME);
    const rated = compilePolicy(parse({ rules: [words(), rateRule] }), { counters });
    [withoutRateUs, withRateUs] = await interleaved(
      async (index) => stateless.decide(SEND, bodyFrom(index)),
      async (index) => rated.decide(SEND, bodyFrom(index)),
      options,
    );
  } finally {
    await store.close();
  }

  let rssAtTenth: number | undefined;
  const started = performance.now();
  const report = await backtest({
    candidate: parse({ rules: [words(), shadowRule] }),
    current: { rules: [] },
    reader: syntheticReader(options.backtestMessages, (read) => {
      if (rssAtTenth === undefined && read >= options.backtestMessages / 10) rssAtTenth = process.memoryUsage().rss;
    }),
    sdkAppIds: ['1400000001'],
    deadlineMs: 1_000,
    commands: ['Group.CallbackAfterSendMsg'],
  });
  const elapsedMs = performance.now() - started;
  return {
    statelessUs,
    shadowUs,
    withoutRateUs,
    withRateUs,
    backtest: {
      messages: report.evaluated,
      messagesPerSecond: report.messagesPerSecond,
      overallPerSecond: Math.round((report.evaluated * 1_000) / elapsedMs),
      rssGrowthMb: ((process.memoryUsage().rss - (rssAtTenth ?? 0)) / 2 ** 20) | 0,
    },
  };
}

/** Its rows in the bench's table, each against what the same decision costs without the part measured. */
export function policyStateRows(result: PolicyStateResult): Row[] {
  return [
    compared('policy state: decision with a shadow rule, p50 (floor: without it)', 'µs', result.shadowUs.p50, result.statelessUs.p50),
    compared('policy state: decision with a shadow rule, p99 (floor: without it)', 'µs', result.shadowUs.p99, result.statelessUs.p99),
    compared('policy state: decision with a rate rule in dynalite, p50 (floor: without it)', 'µs', result.withRateUs.p50, result.withoutRateUs.p50),
    compared('policy state: decision with a rate rule in dynalite, p99 (floor: without it)', 'µs', result.withRateUs.p99, result.withoutRateUs.p99),
    // Two decisions a message (the candidate and the current policy): the floor is the warm decision's rate, halved.
    compared(
      `policy state: backtest of ${result.backtest.messages.toLocaleString('en-US')} messages, decision time (floor: two warm decisions each, p50)`,
      'req/s',
      result.backtest.messagesPerSecond,
      Math.round(1_000_000 / (2 * result.statelessUs.p50)),
    ),
    compared(
      'policy state: backtest, whole run, reading included (floor: its decision time)',
      'req/s',
      result.backtest.overallPerSecond,
      result.backtest.messagesPerSecond,
    ),
  ];
}
