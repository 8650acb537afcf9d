import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Settings } from '../settings.ts';
import type { CallbackRecord } from './callback-record.ts';
import { SERVICE_NAME } from './metric-names.ts';

export { SERVICE_NAME };

/** Writes callback records through Powertools Logger: structured JSON, at the settings' level. */
export function powertoolsLog(settings: Pick<Settings, 'logLevel'>): (record: CallbackRecord) => void {
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: settings.logLevel });
  const write = { INFO: logger.info.bind(logger), WARN: logger.warn.bind(logger), ERROR: logger.error.bind(logger) };
  return function logRecord({ level, ...record }) {
    write[level]('callback', record);
  };
}

export const powertoolsMetrics = (settings: Pick<Settings, 'metricsNamespace'>) =>
  new Metrics({ namespace: settings.metricsNamespace, serviceName: SERVICE_NAME });
