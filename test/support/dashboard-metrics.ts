/**
 * The metrics of the receiver's own namespace that the synthesized dashboard reads, each as
 * `<namespace> <name> {<dimension>,…}` (the dimension names sorted): from its SEARCH expressions, its
 * Metrics Insights queries and its plain metrics. What the deployed bundle emits is written the same
 * way, so the two can be compared.
 */
import type { Template } from 'aws-cdk-lib/assertions';

/** The dashboard body as JSON text, with every CloudFormation reference left as a placeholder. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  const [separator, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : '<ref>')).join(separator);
}

export function dashboardMetrics(template: Template, namespace = 'TencentImCallbacks'): string[] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const { widgets } = JSON.parse(bodyText(dashboard!.Properties.DashboardBody)) as { widgets: { properties: { metrics?: unknown[][] } }[] };
  const read = new Set<string>();
  const add = (name: string, dimensions: string[]) =>
    read.add(
      `${namespace} ${name} {${dimensions
        .map((dimension) => dimension.trim())
        .sort()
        .join(',')}}`,
    );
  for (const metric of widgets.flatMap((widget) => widget.properties.metrics ?? [])) {
    const [first] = metric;
    if (typeof first === 'object' && first !== null && 'expression' in first) {
      const expression = String((first as { expression: string }).expression);
      const search = new RegExp(`SEARCH\\('\\{"${namespace}",([^}]*)\\} MetricName="(\\w+)"`).exec(expression);
      if (search) add(search[2]!, search[1]!.split(','));
      const insights = new RegExp(`SELECT \\w+\\((\\w+)\\) FROM SCHEMA\\("${namespace}",([^)]*)\\)`).exec(expression);
      if (insights) add(insights[1]!, insights[2]!.split(','));
    } else if (first === namespace) {
      // [namespace, name, dimension, value, dimension, value, …, options?]
      const [, name, ...rest] = metric.filter((part) => typeof part === 'string') as string[];
      add(
        name!,
        rest.filter((_, index) => index % 2 === 0),
      );
    }
  }
  return [...read].sort();
}
