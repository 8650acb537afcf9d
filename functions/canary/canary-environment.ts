import * as v from 'valibot';
import { StoreEnvironmentSchema } from '../shared/function-environment.ts';
import { TencentApiEnvironmentSchema } from '../tencent/tencent-environment.ts';

const text = (name: string) => v.optional(v.pipe(v.string(`${name} must be text`), v.trim(), v.nonEmpty(`${name} must not be empty`)));

/** What the stack tells the canary function (infra/canary.ts writes it): where to send, how long to wait. */
export const CanaryEnvironmentSchema = v.pipe(
  v.object({
    ...StoreEnvironmentSchema.entries,
    ...TencentApiEnvironmentSchema.entries,
    /** The group the canary sends to (send_group_msg), or */
    CANARY_GROUP: text('CANARY_GROUP'),
    /** the account it sends to (sendmsg). */
    CANARY_ACCOUNT: text('CANARY_ACCOUNT'),
    /** Who sends; absent, the App admin (one-to-one) or the group's system (group). */
    CANARY_SENDER: text('CANARY_SENDER'),
    /** How long the callback may take to be stored, in ms. */
    CANARY_WAIT_MS: v.pipe(v.string('CANARY_WAIT_MS must be a number of ms'), v.transform(Number), v.integer(), v.minValue(1_000)),
  }),
  v.check(
    (environment) => (environment.CANARY_GROUP === undefined) !== (environment.CANARY_ACCOUNT === undefined),
    'give CANARY_GROUP or CANARY_ACCOUNT, not both',
  ),
);

export type CanaryEnvironment = v.InferOutput<typeof CanaryEnvironmentSchema>;
