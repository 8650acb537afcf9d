/**
 * Where Tencent's Chat REST API answers: one domain per data centre, the one the SDKAppID was created
 * in (a domain of another data centre answers 60026). Source: https://cloud.tencent.com/document/product/269/1519
 * (the table of domains and their backups); Tokyo from the newer per-API pages, e.g.
 * https://cloud.tencent.com/document/product/269/1616. The backup domains (`*.my-imcloud.com`) are for
 * when DNS is hijacked: give one as the domain itself.
 */
export const restDomains = {
  china: 'console.tim.qq.com',
  singapore: 'adminapisgp.im.qcloud.com',
  seoul: 'adminapikr.im.qcloud.com',
  frankfurt: 'adminapiger.im.qcloud.com',
  mumbai: 'adminapiind.im.qcloud.com',
  'silicon-valley': 'adminapiusa.im.qcloud.com',
  jakarta: 'adminapiidn.im.qcloud.com',
  tokyo: 'adminapijpn.im.qcloud.com',
} as const;

export type RestRegion = keyof typeof restDomains;

/** China's: the domain the pages' examples use. */
export const defaultRestDomain: RestRegion = 'china';

const hostName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Why `domain` is neither a region name nor a host name, or undefined when it is fine. */
export function domainProblem(domain: string): string | undefined {
  if (Object.hasOwn(restDomains, domain) || hostName.test(domain)) return undefined;
  return `must be one of ${Object.keys(restDomains).join(', ')} or a host name such as ${restDomains.singapore}`;
}

/**
 * The REST API's base URL (ending in `/v4/`) for a region name or a host name; `baseUrl`, when
 * given (a stand-in's `http://127.0.0.1:PORT`), wins. Tencent serves HTTPS only.
 */
export function restBaseUrl(domain: string = defaultRestDomain, baseUrl?: string): URL {
  if (baseUrl !== undefined) return new URL('v4/', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const problem = domainProblem(domain);
  if (problem !== undefined) throw new TypeError(`The Tencent REST domain ${JSON.stringify(domain)} ${problem}`);
  const host = Object.hasOwn(restDomains, domain) ? restDomains[domain as RestRegion] : domain;
  return new URL(`https://${host}/v4/`);
}
