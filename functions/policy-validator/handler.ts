import * as v from 'valibot';
import { loadPolicy } from '../policy/load-policy.ts';
import { SettingsSchema, settingVariables } from '../shared/settings.ts';

/**
 * The AppConfig validator of the policy profile (infra/policy-config.ts): AppConfig calls it with
 * every new version before it can be deployed, and refuses the version when it throws
 * (https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-configuration-and-profile-validators.html).
 * It runs the receiver's own checks (load-policy.ts): the same schema, the same paths, codes and
 * actions against each command's definition, the same pattern trial against the same deadline, so
 * a document that passes here is one the receiver puts in force. AppConfig's own JSON Schema
 * validator takes draft-04 only, which cannot say most of this.
 */
export interface ValidatorEvent {
  readonly applicationId?: string;
  readonly configurationProfileId?: string;
  readonly configurationVersion?: string;
  /** The document, base64. */
  readonly content: string;
  readonly uri?: string;
}

/** The receiver's deadline, which the stack gives both functions: the patterns are tried against it. */
const policyDeadlineMs = v.parse(SettingsSchema.entries.policyDeadlineMs, process.env[settingVariables.policyDeadlineMs]);

export class PolicyRefused extends Error {
  override name = 'PolicyRefused';
}

export async function handler(event: ValidatorEvent): Promise<void> {
  const text = Buffer.from(event.content ?? '', 'base64').toString('utf8');
  const loaded = loadPolicy(text, policyDeadlineMs);
  if (!loaded.ok) throw new PolicyRefused(`The policy is refused:\n${loaded.problems.join('\n')}`);
}
