/**
 * Istio manifest builders with fixed line layouts, so tests can state exact positions.
 */

/**
 * A Deployment in namespace `ns` whose pod template carries `labels`.
 * Layout: line 4 `name` (column 9), line 10 the pod template labels (column 15).
 */
export function deployment(name: string, ns: string, labels: Record<string, string>): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    '  selector: {matchLabels: {app: x}}',
    '  template:',
    '    metadata:',
    `      labels: ${JSON.stringify(labels)}`,
    '',
  ].join('\n');
}

/** A Service selecting `selector`. Line 4 `name` (column 9). */
export function meshService(name: string, ns: string, selector: Record<string, string>, ports = '[{name: http, port: 9080}]'): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    `  selector: ${JSON.stringify(selector)}`,
    `  ports: ${ports}`,
    '',
  ].join('\n');
}

/**
 * A DestinationRule with subsets `name: labels`. Layout: line 4 `name` (column 9), line 7 `host`
 * (column 9), line 8 `subsets:`, then per subset i: line 9+2i `- name:` (value column 13),
 * line 10+2i `labels:` (value column 15).
 */
export function destinationRule(name: string, ns: string, host: string, subsets: Record<string, Record<string, string>>, apiVersion = 'networking.istio.io/v1'): string {
  return [
    `apiVersion: ${apiVersion}`,
    'kind: DestinationRule',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    `  host: ${host}`,
    '  subsets:',
    ...Object.entries(subsets).flatMap(([n, l]) => [`    - name: ${n}`, `      labels: ${JSON.stringify(l)}`]),
    '',
  ].join('\n');
}

/**
 * A VirtualService with one http route to `destinations` (`host` or `host/subset`, optional
 * `:weight`). Layout: line 4 `name`, line 9 `- route:`, then per destination i: line 10+2i
 * `- destination: {host: H, subset: S}` and line 11+2i `weight:` when given.
 */
export function virtualService(name: string, ns: string, host: string, destinations: string[]): string {
  return [
    'apiVersion: networking.istio.io/v1beta1',
    'kind: VirtualService',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    `  hosts: [${host}]`,
    '  http:',
    '    - route:',
    ...destinations.flatMap((d) => {
      const [target, weight] = d.split(':');
      const [h, subset] = target.split('/');
      return [`        - destination: {host: ${h}${subset ? `, subset: ${subset}` : ''}}`, `          weight: ${weight ?? 0}`];
    }),
    '',
  ].join('\n');
}
