import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { callbackMetrics } from '../../functions/callback/metric-names.ts';
import { emfSearch, serviceMetric } from './dashboard.ts';

/**
 * The policy's row of the dashboard (docs/policy.md#per-rule-counts): per rule, how often it acted,
 * how often a shadow rule would have, and how many decisions it took part in (written once a minute
 * per function instance); and the counter calls that missed their budget. One line per rule id: the
 * rule dimension is bounded to the policy's first 100 rules (functions/policy/rule-dimension.ts).
 */
export function policyWidgets(namespace: string): cloudwatch.IWidget[] {
  const m = callbackMetrics;
  const graph = (title: string, left: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, width: 8, left, leftYAxis: { min: 0 } });
  return [
    graph('Policy: hits and shadow hits by rule', [
      emfSearch(namespace, m.policyRuleHits, 'Sum', 'hits'),
      emfSearch(namespace, m.policyShadowHits, 'Sum', 'shadow'),
    ]),
    graph('Policy: evaluations by rule', [emfSearch(namespace, m.policyRuleEvaluations, 'Sum', 'evaluated')]),
    graph('Policy: counters and deadline', [
      serviceMetric(namespace, m.policyCounterMisses, 'counter calls past rateBudgetMs or failed'),
      emfSearch(namespace, m.policyTimeouts, 'Sum', 'decisions past the deadline'),
    ]),
  ];
}
