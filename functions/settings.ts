import * as v from 'valibot';
import { allowEverything, PolicySchema } from './policy/policy-schema.ts';

/**
 * The receiver's settings, declared once for the deployment (cdk.json context or `-c key=value`,
 * checked at synth), the Lambda function (environment variables set by the stack) and `npm start`
 * (cdk.json context, overridden by the same environment variables).
 *
 * Context and environment variables carry strings, so every setting also accepts its text form.
 */

/** Parses JSON text; leaves anything else for the next schema in the pipe. */
const jsonText = v.rawTransform<unknown, unknown>(({ dataset, addIssue, NEVER }) => {
  if (typeof dataset.value !== 'string') return dataset.value;
  try {
    return JSON.parse(dataset.value) as unknown;
  } catch (error) {
    addIssue({ message: `is not valid JSON (${(error as Error).message})` });
    return NEVER;
  }
});

const integerOrText = v.union(
  [v.number(), v.pipe(v.string(), v.trim(), v.digits(), v.toNumber())],
  'must be a whole number',
);

const sdkAppId = v.pipe(v.string(), v.regex(/^[1-9]\d{0,19}$/, 'an SDKAppID is a number such as 1400000000'));

export const SettingsSchema = v.object({
  /** The SDKAppIDs whose callbacks are accepted; any other `SdkAppid` gets HTTP 403. Required. */
  sdkAppIds: v.pipe(
    v.union([v.array(v.union([v.string(), v.number()])), v.string(), v.number()], 'must be a list of SDKAppIDs'),
    v.transform((ids) => (Array.isArray(ids) ? ids : String(ids).split(',')).map((id) => String(id).trim())),
    v.filterItems((id) => id !== ''),
    v.array(sdkAppId),
    v.minLength(1, 'at least one SDKAppID is required'),
  ),
  /** The before-callback policy (functions/policy/policy-schema.ts). Default: allow everything. */
  policy: v.optional(v.pipe(v.unknown(), jsonText, PolicySchema), allowEverything),
  /** Days a stored event is kept before DynamoDB's TTL removes it. Default: 90. */
  eventRetentionDays: v.optional(v.pipe(integerOrText, v.integer(), v.minValue(1), v.maxValue(36_500)), 90),
});

export type Settings = v.InferOutput<typeof SettingsSchema>;
export type SettingName = keyof Settings;

/** The environment variable that carries each setting (the context key is the setting's own name). */
export const settingVariables = {
  sdkAppIds: 'IM_SDKAPPIDS',
  policy: 'IM_POLICY',
  eventRetentionDays: 'EVENT_RETENTION_DAYS',
} as const satisfies Record<SettingName, string>;

const settingNames = Object.keys(settingVariables) as SettingName[];

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/**
 * Validates raw settings. `source` tells the reader where each one came from, so an error names the
 * exact key to fix, for example `eventRetentionDays (cdk.json context or -c eventRetentionDays=…)`.
 */
export function parseSettings(raw: Partial<Record<SettingName, unknown>>, source: (name: SettingName) => string): Settings {
  const result = v.safeParse(SettingsSchema, raw);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const [name, ...rest] = (v.getDotPath(issue) ?? '').split('.');
    const where = settingNames.includes(name as SettingName) ? source(name as SettingName) : 'settings';
    const inner = rest.length > 0 ? ` at ${rest.join('.')}` : '';
    return `  - ${where}${inner}: ${issue.message}`;
  });
  throw new SettingsError(`Invalid settings:\n${problems.join('\n')}`);
}

/** What the deployed function reads: the stack writes these variables from the validated settings. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv): Settings {
  const raw = Object.fromEntries(settingNames.map((name) => [name, env[settingVariables[name]]]));
  return parseSettings(raw, (name) => `environment variable ${settingVariables[name]}`);
}

/** What `cdk synth` reads: context from cdk.json or `-c name=value`. */
export function settingsFromContext(context: (name: SettingName) => unknown): Settings {
  const raw = Object.fromEntries(settingNames.map((name) => [name, context(name)]));
  return parseSettings(raw, (name) => `${name} (cdk.json context or -c ${name}=…)`);
}

/** What `npm start` reads: the deployment's context, each setting overridden by its environment variable. */
export function settingsFromContextAndEnvironment(context: (name: SettingName) => unknown, env: NodeJS.ProcessEnv): Settings {
  const raw = Object.fromEntries(settingNames.map((name) => [name, env[settingVariables[name]] ?? context(name)]));
  return parseSettings(raw, (name) =>
    env[settingVariables[name]] === undefined ? `${name} (cdk.json context)` : `environment variable ${settingVariables[name]}`,
  );
}

/** The inverse of `settingsFromEnvironment`, for the stack to hand validated settings to the function. */
export function settingsToEnvironment(settings: Settings): Record<string, string> {
  return {
    [settingVariables.sdkAppIds]: settings.sdkAppIds.join(','),
    [settingVariables.policy]: JSON.stringify(settings.policy),
    [settingVariables.eventRetentionDays]: String(settings.eventRetentionDays),
  };
}
