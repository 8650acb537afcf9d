import * as v from 'valibot';
import { StateEnvironmentSchema } from '../synced-view/state-environment.ts';
import { TencentApiEnvironmentSchema } from '../tencent/tencent-environment.ts';

const positive = (name: string) => v.pipe(v.string(`${name} must be a number`), v.digits(`${name} must be a whole number`), v.transform(Number), v.minValue(1));

/** What the stack tells the reconciliation function (infra/reconcile.ts writes it). */
export const ReconcileEnvironmentSchema = v.object({
  ...StateEnvironmentSchema.entries,
  ...TencentApiEnvironmentSchema.entries,
  /** The groups to reconcile besides the view's: a JSON list. */
  RECONCILE_GROUPS: v.optional(
    v.pipe(
      v.string(),
      v.transform((text) => JSON.parse(text) as unknown),
      v.array(v.string(), 'RECONCILE_GROUPS must be a JSON list of group ids'),
    ),
    '[]',
  ),
  /** `false`: only the groups given. */
  RECONCILE_VIEW_GROUPS: v.optional(
    v.pipe(
      v.picklist(['true', 'false']),
      v.transform((on) => on === 'true'),
    ),
    'true',
  ),
  RECONCILE_CALLS_PER_SECOND: positive('RECONCILE_CALLS_PER_SECOND'),
  RECONCILE_MAX_GROUPS: positive('RECONCILE_MAX_GROUPS'),
});

export type ReconcileEnvironment = v.InferOutput<typeof ReconcileEnvironmentSchema>;
