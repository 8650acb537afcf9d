import * as v from 'valibot';
import type { KeyRules } from '../store/event-keys.ts';
import { MAX_KEY_PART_LENGTH } from '../store/key-part.ts';

/**
 * The `busyAccounts` setting: accounts that receive so many events (a system account, a service
 * account sending notices, a support desk) that their place keys must be spread wide, as a chatbot's
 * (`@RBT#…`) always are (docs/key-design.md#busy-accounts). Its own module, as the drain and the
 * fan-out read it from their environment without the rest of the settings (settings.ts).
 */

/** The environment variable that carries it, to every function that writes events or their derived items. */
export const BUSY_ACCOUNTS_VARIABLE = 'IM_BUSY_ACCOUNTS';

/**
 * At most this many: the list rides in the environment of three functions (Lambda's holds 4 KB in
 * all), and an account with more traffic than a tenth of a key's writes is rare; more suggests the
 * setting is used for what it does not do.
 */
export const MAX_BUSY_ACCOUNTS = 50;
/** And at most this many bytes joined, for the same 4 KB. */
export const MAX_BUSY_ACCOUNTS_BYTES = 1_024;

const accountId = v.pipe(
  v.string(),
  v.maxLength(MAX_KEY_PART_LENGTH, `an account id is at most ${MAX_KEY_PART_LENGTH} characters`),
  // The list's separator in the environment, and what no account id holds.
  v.regex(/^[^,\s\p{Cc}]+$/u, 'an account id has no comma, space or control character'),
);

/** A list, or its comma-separated text (context and environment carry text); blanks dropped, each id once. */
export const BusyAccountsSchema = v.pipe(
  v.union([v.array(v.string()), v.string()], 'must be a list of account ids'),
  v.transform((ids) => (Array.isArray(ids) ? ids : ids.split(',')).map((id) => id.trim())),
  v.filterItems((id) => id !== ''),
  v.transform((ids) => [...new Set(ids)]),
  v.array(accountId),
  v.maxLength(MAX_BUSY_ACCOUNTS, `at most ${MAX_BUSY_ACCOUNTS} accounts`),
  v.check((ids) => Buffer.byteLength(ids.join(',')) <= MAX_BUSY_ACCOUNTS_BYTES, `at most ${MAX_BUSY_ACCOUNTS_BYTES} bytes joined by commas`),
);

/** The key rules of a deployment's busy accounts (event-keys.ts `KeyRules`), for every writer of the events table. */
export const keyRulesOf = (busyAccounts: readonly string[]): KeyRules => ({ busyAccounts: new Set(busyAccounts) });
