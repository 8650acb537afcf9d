import { describe, expect, test } from '@jest/globals';
import type { MetricValue } from '../../../functions/callback/callback-metrics.ts';
import { embedMetrics } from '../../../functions/callback/emf.ts';
import { callbackMetrics as m } from '../../../functions/callback/metric-names.ts';
import { metricsIn } from '../../support/emf-documents.ts';

/** EMF inside a record's fields (emf.ts): as few documents as the values allow, each valid on its own. */
const options = { namespace: 'TencentImCallbacks', timestamp: 1_764_600_000_000 };
const value = (metric: MetricValue['metric'], dimensions: Record<string, string>, amount = 1) =>
  ({ metric, dimensions, unit: 'Count', value: amount }) as MetricValue;

describe('embedMetrics', () => {
  test('puts every value in the fields themselves, one directive per dimension set, shared by the metrics that have it', () => {
    const [document, ...more] = embedMetrics(
      { level: 'INFO', outcome: 'duplicate', command: 'Group.CallbackAfterCreateGroup' },
      [value(m.callbacks, { command: 'Group.CallbackAfterCreateGroup', outcome: 'duplicate' }), value(m.coldStart, {}), value(m.duplicates, {})],
      options,
    );
    expect(more).toEqual([]);
    expect(document).toMatchObject({ level: 'INFO', service: 'tencent-im-callbacks', Callbacks: 1, ColdStart: 1, Duplicates: 1 });
    expect(document!._aws).toEqual({
      Timestamp: 1_764_600_000_000,
      CloudWatchMetrics: [
        { Namespace: 'TencentImCallbacks', Dimensions: [['service', 'command', 'outcome']], Metrics: [{ Name: 'Callbacks', Unit: 'Count' }] },
        {
          Namespace: 'TencentImCallbacks',
          Dimensions: [['service']],
          Metrics: [
            { Name: 'ColdStart', Unit: 'Count' },
            { Name: 'Duplicates', Unit: 'Count' },
          ],
        },
      ],
    });
    expect(metricsIn(document!)).toEqual(['Callbacks{command=Group.CallbackAfterCreateGroup,outcome=duplicate}=1', 'ColdStart{}=1', 'Duplicates{}=1']);
  });

  test('writes a number field that a dimension names as the string the dimension needs', () => {
    const [document] = embedMetrics({ outcome: 'refused', code: 10150 }, [value(m.refusals, { code: '10150' })], options);
    expect(document).toMatchObject({ code: '10150', Refusals: 1 });
    expect(metricsIn(document!)).toEqual(['Refusals{code=10150}=1']);
  });

  test('gives a value whose dimension a field contradicts, or a second value of one metric, a document of its own, never a wrong one', () => {
    const documents = embedMetrics(
      { outcome: 'timed-out', command: 'Group.CallbackBeforeSendMsg', rule: [0, 2] },
      [
        value(m.policyTimeouts, { command: 'Group.CallbackBeforeSendMsg' }),
        value({ name: 'PolicyRuleHits', dimensions: ['rule'] } as never, { rule: 'links' }),
        value({ name: 'PolicyRuleHits', dimensions: ['rule'] } as never, { rule: 'darn' }),
      ],
      options,
    );
    expect(documents).toHaveLength(3);
    expect(documents[0]).toMatchObject({ rule: [0, 2], PolicyTimeouts: 1 });
    expect(documents.map((document) => metricsIn(document))).toEqual([
      ['PolicyTimeouts{command=Group.CallbackBeforeSendMsg}=1'],
      ['PolicyRuleHits{rule=links}=1'],
      ['PolicyRuleHits{rule=darn}=1'],
    ]);
    // The further documents hold metrics, not the record.
    expect(Object.keys(documents[1]!).sort()).toEqual(['PolicyRuleHits', '_aws', 'rule', 'service']);
  });

  test('with no values, leaves the fields as they are', () => {
    expect(embedMetrics({ outcome: 'allowed' }, [], options)).toEqual([{ outcome: 'allowed' }]);
  });
});
