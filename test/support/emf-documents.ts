/**
 * Reading CloudWatch EMF documents as CloudWatch would, for the tests of what the callback function
 * writes (functions/callback/record-line.ts, emf.ts) and of its deployed bundle.
 */
import { expect } from '@jest/globals';

interface Directive {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit?: string }[];
}

const directivesOf = (document: Record<string, any>) => document._aws.CloudWatchMetrics as Directive[];

/**
 * Each metric an EMF document carries, as `name{dimension=value,…}=value` (without `service`), after
 * checking the document as the specification requires
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * a millisecond timestamp; each directive a namespace, one dimension set starting with `service`, and
 * at most 100 metrics; every dimension a directive names a root member holding a string, every
 * metric a root member holding a number.
 */
export function metricsIn(document: Record<string, any>, namespace = 'TencentImCallbacks'): string[] {
  expect(document._aws.Timestamp).toEqual(expect.any(Number));
  return directivesOf(document).flatMap((directive) => {
    expect(directive.Namespace).toBe(namespace);
    expect(directive.Dimensions).toHaveLength(1);
    const [dimensions] = directive.Dimensions as [readonly string[]];
    expect(dimensions[0]).toBe('service');
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    for (const name of dimensions) expect(typeof document[name]).toBe('string');
    const shown = dimensions.filter((name) => name !== 'service').map((name) => `${name}=${document[name]}`);
    return directive.Metrics.map((metric) => {
      expect(typeof document[metric.Name]).toBe('number');
      return `${metric.Name}{${shown.join(',')}}=${document[metric.Name]}`;
    });
  });
}

/** Each metric of a document as `namespace name {dimensions, sorted}`: how test/support/dashboard-metrics.ts names what the dashboard reads. */
export const metricsAsRead = (document: Record<string, any>): string[] =>
  directivesOf(document).flatMap((directive) =>
    directive.Metrics.map((metric) => `${directive.Namespace} ${metric.Name} {${[...directive.Dimensions[0]!].sort().join(',')}}`),
  );
