import * as v from 'valibot';
import type { Body, CommandDefinition } from '../functions/commands/definition.ts';
import { readPath } from '../functions/commands/field-path.ts';
import { afterCommands, commandDefinition } from '../functions/commands/registry.ts';
import { answerFor } from '../functions/policy/answer.ts';
import { actingOf, type Decision, decisionOutcome } from '../functions/policy/decision.ts';
import { type CompiledPolicy, compilePolicy } from '../functions/policy/policy.ts';
import { MemoryPolicyCounters } from '../functions/policy/policy-counters.ts';
import type { Policy } from '../functions/policy/policy-schema.ts';
import type { EventReader, StoredEvent } from '../functions/store/event-store.ts';

/**
 * The backtest (docs/policy.md#backtest): the stored after-send messages replayed as the
 * before-callbacks they were (each definition's `replaysAs`), through a candidate policy and the
 * current one, event by event as the reader's pages come (memory stays flat for a million
 * messages). Per rule of the candidate: how often it acted, how often it would have as a shadow, and
 * how many answers would change, with a few examples each.
 *
 * Rate and repeat rules count in memory on each message's own time. Pages come newest first: a
 * rate rule's count per window is right (which messages of a window pass its limit is not), and a
 * repeat rule's refusals are counted but its penalties are not replayed (BacktestCounters).
 */

/** The after-commands a backtest replays, and the before-command each was. */
export const replayedCommands: readonly { readonly after: string; readonly before: string }[] = afterCommands.flatMap((after) => {
  const before = commandDefinition(after).replaysAs;
  return before === undefined ? [] : [{ after, before }];
});

export interface BacktestOptions {
  readonly candidate: Policy;
  readonly current: Policy;
  readonly reader: EventReader;
  readonly sdkAppIds: readonly string[];
  readonly since?: number;
  /** Only these commands, after- or before-names (`--command`). Default: every replayed command. */
  readonly commands?: readonly string[];
  readonly deadlineMs: number;
  /** Examples kept per rule. Default: 3. */
  readonly examples?: number;
  /** The clock for the throughput, ms. Default: `performance.now`. */
  readonly now?: () => number;
}

/** One replayed message whose answer would change. */
export interface BacktestExample {
  readonly eventId: string;
  readonly command: string;
  readonly at: string;
  readonly user?: string;
  readonly groupId?: string;
  /** The message's first text, cut short. */
  readonly text?: string;
  readonly current: string;
  readonly candidate: string;
}

export interface RuleReport {
  readonly id: string;
  readonly index: number;
  readonly mode: 'enforce' | 'shadow';
  /** Messages this rule decided or changed (an acting rule). */
  readonly hits: number;
  /** Messages this shadow rule would have acted on. */
  readonly shadowHits: number;
  /** Messages whose answer this rule changes against the current policy (a shadow rule: would change, were it enforced). */
  readonly changed: number;
  readonly examples: readonly BacktestExample[];
}

export interface BacktestReport {
  readonly commands: readonly string[];
  /** Messages replayed through both policies. */
  readonly evaluated: number;
  /** Stored messages whose body fails the before-command's schema: counted and skipped. */
  readonly skipped: number;
  /** Messages whose answer differs between the policies. */
  readonly changed: number;
  /** Changed to allow: the candidate lets through what the current policy stopped. */
  readonly allowedNow: { readonly count: number; readonly examples: readonly BacktestExample[] };
  readonly rules: readonly RuleReport[];
  /** Decisions (both policies) per second of decision time. */
  readonly messagesPerSecond: number;
  readonly elapsedMs: number;
}

const TEXT_SHOWN = 80;

/** A decision in a few words: `allowed`, `refused 10101`, `dropped`, `rewritten`. */
function describeDecision(decision: Decision): string {
  const outcome = decisionOutcome(decision);
  return decision.action === 'refuse' ? `${outcome} ${decision.code}` : outcome;
}

const firstText = (body: Body) =>
  readPath(body, 'MsgBody[].MsgContent.Text')
    .find((text): text is string => typeof text === 'string')
    ?.slice(0, TEXT_SHOWN);

/**
 * The counters of a backtest: in memory, with no penalties. The messages come newest first, so a
 * penalty a repeat offender earned would fall on the messages sent before the refusals that earned
 * it, which no one was penalized for: the refusals are counted, the penalties not replayed.
 */
class BacktestCounters extends MemoryPolicyCounters {
  override async penaltyUntil(): Promise<number | undefined> {
    return undefined;
  }
}

function compileForBacktest(policy: Policy, deadlineMs: number, clock: { at: number }): CompiledPolicy {
  return compilePolicy(policy, { deadlineMs, counters: new BacktestCounters(), wallClock: () => clock.at, rateBudgetMs: 1_000 });
}

export async function backtest(options: BacktestOptions): Promise<BacktestReport> {
  const { reader, sdkAppIds, since, deadlineMs, now = () => performance.now() } = options;
  const examplesPerRule = options.examples ?? 3;
  const wanted = options.commands;
  const replays = replayedCommands.filter(({ after, before }) => wanted === undefined || wanted.includes(after) || wanted.includes(before));
  const clock = { at: 0 };
  const candidate = compileForBacktest(options.candidate, deadlineMs, clock);
  const current = compileForBacktest(options.current, deadlineMs, clock);
  const rules = candidate.rules.map((ref) => ({
    id: ref.id,
    index: ref.index,
    mode: options.candidate.rules[ref.index]!.mode ?? 'enforce',
    hits: 0,
    shadowHits: 0,
    changed: 0,
    examples: [] as BacktestExample[],
  }));
  const allowedNow = { count: 0, examples: [] as BacktestExample[] };
  let evaluated = 0;
  let skipped = 0;
  let changed = 0;
  let deciding = 0;
  const started = now();

  const example = (event: StoredEvent, body: Body, command: string, was: Decision, would: Decision): BacktestExample => ({
    eventId: event.eventId,
    command,
    at: new Date(event.eventTime ?? event.receivedAt).toISOString(),
    ...(event.user === undefined ? {} : { user: event.user }),
    ...(event.groupId === undefined ? {} : { groupId: event.groupId }),
    ...(firstText(body) === undefined ? {} : { text: firstText(body) }),
    current: describeDecision(was),
    candidate: describeDecision(would),
  });

  for (const { after, before } of replays) {
    const definition: CommandDefinition = commandDefinition(before);
    for await (const page of reader.pages({ sdkAppIds, command: after, ...(since === undefined ? {} : { since }), limit: Number.POSITIVE_INFINITY })) {
      for (const event of page) {
        let body: Body;
        try {
          body = JSON.parse(event.payload) as Body;
        } catch {
          skipped++;
          continue;
        }
        if (!v.is(definition.schema, body)) {
          skipped++;
          continue;
        }
        clock.at = event.eventTime ?? event.receivedAt;
        const began = now();
        const would = await candidate.decide(definition, body);
        const was = await current.decide(definition, body);
        deciding += now() - began;
        evaluated++;
        const answerOf = (decision: Decision) => JSON.stringify(answerFor(definition, body, actingOf(decision)));
        const currentAnswer = answerOf(was);
        const differs = answerOf(would) !== currentAnswer;
        if (differs) changed++;
        for (const { index } of would.matched ?? []) {
          const rule = rules[index]!;
          rule.hits++;
          if (!differs) continue;
          rule.changed++;
          if (rule.examples.length < examplesPerRule) rule.examples.push(example(event, body, after, was, would));
        }
        if (differs && (would.matched ?? []).length === 0) {
          allowedNow.count++;
          if (allowedNow.examples.length < examplesPerRule) allowedNow.examples.push(example(event, body, after, was, would));
        }
        for (const hit of would.shadow ?? []) {
          const rule = rules[hit.rule.index]!;
          rule.shadowHits++;
          if (answerOf(hit.would) === currentAnswer) continue;
          rule.changed++;
          if (rule.examples.length < examplesPerRule) rule.examples.push(example(event, body, after, was, hit.would));
        }
      }
    }
  }
  return {
    commands: replays.map(({ after }) => after),
    evaluated,
    skipped,
    changed,
    allowedNow,
    rules,
    messagesPerSecond: deciding === 0 ? 0 : Math.round((evaluated * 1_000) / deciding),
    elapsedMs: Math.round(now() - started),
  };
}

/** The report for people: a line per rule, then the examples. */
export function formatBacktest(report: BacktestReport): string {
  const header = ['rule', 'mode', 'hits', 'shadow hits', 'changed'];
  const rows = report.rules.map((rule) => [rule.id, rule.mode, String(rule.hits), String(rule.shadowHits), String(rule.changed)]);
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  const lines = [
    `Replayed ${report.evaluated} messages (${report.commands.join(', ')}) through the candidate and the current policy: ${report.changed} answers would change.`,
    ...(report.skipped > 0 ? [`Skipped ${report.skipped} stored messages whose body fails its before-callback's schema.`] : []),
    `${report.messagesPerSecond} messages a second evaluated (${report.elapsedMs} ms in all, reading included).`,
    '',
    line(header),
    ...rows.map(line),
  ];
  const exampleLine = (found: BacktestExample) =>
    `  ${found.at} ${found.command} ${found.groupId ?? ''} ${found.user ?? ''}: ${found.current} -> ${found.candidate}${found.text === undefined ? '' : `  ${JSON.stringify(found.text)}`}`;
  for (const rule of report.rules) {
    if (rule.examples.length === 0) continue;
    lines.push('', `Rule ${rule.id}: ${rule.changed} answers would change, for example:`, ...rule.examples.map(exampleLine));
  }
  if (report.allowedNow.count > 0) {
    lines.push(
      '',
      `Allowed by the candidate, stopped by the current policy: ${report.allowedNow.count}, for example:`,
      ...report.allowedNow.examples.map(exampleLine),
    );
  }
  return lines.join('\n');
}
