import type { MetricValue } from './callback-metrics.ts';
import { SERVICE_DIMENSION, SERVICE_NAME } from './metric-names.ts';

/**
 * CloudWatch's embedded metric format, written into JSON log lines: a line whose root holds an
 * `_aws` block is also a set of metric values. Per the specification
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * the root may hold any other members (the record's fields), `CloudWatchMetrics` may hold several
 * directives, each with its own dimension set, and every dimension and metric a directive names is a
 * root member: a dimension's value a string, a metric's a number.
 */
export interface EmfOptions {
  readonly namespace: string;
  /** When the values were taken, epoch ms: `_aws.Timestamp`. */
  readonly timestamp: number;
}

type Root = Record<string, unknown>;

interface Directive {
  readonly Namespace: string;
  readonly Dimensions: [string[]];
  readonly Metrics: { Name: string; Unit: string }[];
}

interface Document {
  readonly root: Root;
  readonly directives: Map<string, Directive>;
}

/**
 * Whether a root member can carry a dimension's value: it is absent, or says the same (a number
 * such as a refusal code is then written as the string the dimension needs).
 */
function agrees(root: Root, name: string, value: string): boolean {
  const held = root[name];
  return held === undefined || held === value || (typeof held === 'number' && String(held) === value);
}

/** Whether a value fits a document: its dimensions agree with the root, and its metric has no value there yet. */
const fits = (document: Document, { metric, dimensions }: MetricValue) =>
  document.root[metric.name] === undefined &&
  Object.entries({ [SERVICE_DIMENSION]: SERVICE_NAME, ...dimensions }).every(([name, value]) => agrees(document.root, name, value));

/**
 * `fields` with the metric values embedded, as few documents as the values allow: the first is
 * `fields` itself; a value whose dimensions say something else than a field of the same name (or
 * than a value already placed: two values of one metric) goes into a further document of its own,
 * holding only `service`, dimensions and values. With the callback's own metrics and its record
 * (callback-metrics.ts, record-line.ts) that never happens: one document, one line.
 */
export function embedMetrics(fields: Root, values: readonly MetricValue[], { namespace, timestamp }: EmfOptions): Root[] {
  const documents: Document[] = [{ root: { ...fields }, directives: new Map() }];
  for (const value of values) {
    let document = documents.find((candidate) => fits(candidate, value));
    if (document === undefined) {
      document = { root: {}, directives: new Map() };
      documents.push(document);
    }
    const dimensionNames = [SERVICE_DIMENSION, ...Object.keys(value.dimensions)];
    for (const [name, dimension] of Object.entries({ [SERVICE_DIMENSION]: SERVICE_NAME, ...value.dimensions })) document.root[name] = dimension;
    document.root[value.metric.name] = value.value;
    const key = dimensionNames.join(',');
    const directive = document.directives.get(key) ?? { Namespace: namespace, Dimensions: [dimensionNames], Metrics: [] };
    directive.Metrics.push({ Name: value.metric.name, Unit: value.unit });
    document.directives.set(key, directive);
  }
  return documents
    .filter((document, index) => index === 0 || document.directives.size > 0)
    .map(({ root, directives }) => (directives.size === 0 ? root : { ...root, _aws: { Timestamp: timestamp, CloudWatchMetrics: [...directives.values()] } }));
}
