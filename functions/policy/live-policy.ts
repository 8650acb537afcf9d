import { loadPolicy } from './load-policy.ts';
import type { CompiledPolicy } from './policy.ts';
import type { Policy } from './policy-schema.ts';

/**
 * The policy in force, changed without a deploy (docs/policy.md#without-a-deploy): a callback asks
 * `current()` and never waits; a new document is fetched in the background, checked whole as every
 * loader checks it (load-policy.ts), compiled, and only then put in force. A document that fails a
 * check, a source that cannot be reached, a compile that throws: the last good policy stays, and
 * `report` says why in one line.
 *
 * In Lambda nothing runs between invocations, so the refresh is started by a callback (when the
 * last one is `refreshMs` old) and runs beside it: it ends during that invocation or a later one.
 */

/** How often the receiver asks AppConfig for a newer policy unless told otherwise, ms: the AppConfig agent's default poll (45 s). */
export const defaultPolicyRefreshMs = 45_000;

/**
 * How long a cold start waits for AppConfig's policy before it serves the layer's copy, ms: a cold
 * start is not a callback's time, but Tencent's 2 s include it for the first one.
 */
export const COLD_START_POLICY_WAIT_MS = 1_000;

/** The `message` of the log line each refresh leaves (applied, refused, unreachable). */
export const POLICY_REFRESH_MESSAGE = 'policy refresh';

/** Where newer documents come from: the bytes or text of the latest, or `undefined` when nothing is there. */
export type PolicyDocumentSource = () => Promise<string | Uint8Array | undefined>;

/** What a refresh did, for one line of the log. */
export type RefreshOutcome =
  | { readonly type: 'applied'; readonly rules: number }
  | { readonly type: 'unchanged' }
  | { readonly type: 'refused'; readonly problems: readonly string[] }
  | { readonly type: 'unreachable'; readonly error: string };

export interface LivePolicyOptions {
  /** The policy in force until a document replaces it: the settings' (the layer's copy, in Lambda). */
  readonly initial: Policy;
  readonly compile: (policy: Policy) => CompiledPolicy;
  /** The deadline the documents' patterns are tried against (load-policy.ts). */
  readonly deadlineMs: number;
  readonly source?: PolicyDocumentSource;
  /** How long after a refresh began the next may begin, ms. Default: 45 s. */
  readonly refreshMs?: number;
  /** The clock, ms. Default: `Date.now`. */
  readonly now?: () => number;
  /** Told what each refresh did (not `unchanged`). Default: nothing. */
  readonly report?: (outcome: RefreshOutcome) => void;
}

const textOf = (document: string | Uint8Array) => (typeof document === 'string' ? document : new TextDecoder().decode(document));

export class LivePolicy {
  #current: CompiledPolicy;
  #lastText: string | undefined;
  #lastStart: number;
  #refreshing: Promise<RefreshOutcome> | undefined;
  readonly #options: LivePolicyOptions;
  readonly #now: () => number;

  constructor(options: LivePolicyOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#current = options.compile(options.initial);
    this.#lastStart = this.#now();
  }

  /** The policy in force. Starts a background refresh when the last is `refreshMs` old; never waits for it. */
  current(): CompiledPolicy {
    if (
      this.#options.source !== undefined &&
      this.#refreshing === undefined &&
      this.#now() - this.#lastStart >= (this.#options.refreshMs ?? defaultPolicyRefreshMs)
    ) {
      void this.refresh();
    }
    return this.#current;
  }

  /** Fetches, checks and puts in force a newer document; resolves with what happened. One at a time. */
  refresh(): Promise<RefreshOutcome> {
    if (this.#refreshing !== undefined) return this.#refreshing;
    this.#lastStart = this.#now();
    this.#refreshing = this.#fetchAndApply().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Puts a document in force if it passes every check (the local file watcher's way in). */
  apply(document: string | Uint8Array): RefreshOutcome {
    const text = textOf(document);
    if (text === this.#lastText) return { type: 'unchanged' };
    const loaded = loadPolicy(text, this.#options.deadlineMs);
    if (!loaded.ok) return this.#told({ type: 'refused', problems: loaded.problems });
    let compiled: CompiledPolicy;
    try {
      compiled = this.#options.compile(loaded.policy);
    } catch (error) {
      return this.#told({ type: 'refused', problems: [(error as Error).message] });
    }
    this.#current = compiled;
    this.#lastText = text;
    return this.#told({ type: 'applied', rules: loaded.policy.rules.length });
  }

  async #fetchAndApply(): Promise<RefreshOutcome> {
    let document: string | Uint8Array | undefined;
    try {
      document = await this.#options.source!();
    } catch (error) {
      const cause = (error as Error).cause instanceof Error ? `: ${((error as Error).cause as Error).message}` : '';
      return this.#told({ type: 'unreachable', error: `${(error as Error).message}${cause}` });
    }
    if (document === undefined || document.length === 0) return { type: 'unchanged' };
    return this.apply(document);
  }

  #told(outcome: RefreshOutcome): RefreshOutcome {
    if (outcome.type !== 'unchanged') this.#options.report?.(outcome);
    return outcome;
  }
}
