import rule from '../../rules/istio-serviceentry-conflict.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** A ServiceEntry for one host and port: `protocol:` on line 12, its value at column 15; `exportTo` after line 13. */
function entry(name: string, protocol: string | undefined, opts: { host?: string; port?: number; namespace?: string; exportTo?: string[] } = {}): string {
  const lines = ['apiVersion: networking.istio.io/v1', 'kind: ServiceEntry', 'metadata:', `  name: ${name}`, `  namespace: ${opts.namespace ?? 'default'}`, 'spec:'];
  lines.push('  hosts:', `  - ${opts.host ?? 'api.example.com'}`, '  ports:', `  - number: ${opts.port ?? 443}`, `    name: ${name}`);
  lines.push(protocol === undefined ? '    targetPort: 443' : `    protocol: ${protocol}`, '  resolution: DNS');
  if (opts.exportTo) lines.push('  exportTo:', ...opts.exportTo.map((e) => `  - "${e}"`));
  return lines.join('\n') + '\n';
}
const protocol = { line: 12, column: 15 };
const mesh = (id: string) =>
  `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: istio\n  namespace: istio-system\nspec:\n  values:\n    global:\n      meshID: ${id}\n`;

ruleTester(rule, {
  valid: [
    {
      name: 'the same protocol (in any case) in two entries and two clusters',
      files: { 'east/a.yaml': entry('api-a', 'TLS'), 'east/b.yaml': entry('api-b', 'tls'), 'west/a.yaml': entry('api-a', 'TLS') },
    },
    {
      name: 'different ports or hosts',
      files: { 'east/a.yaml': entry('api-a', 'TLS'), 'east/b.yaml': entry('api-b', 'HTTP', { port: 80 }), 'east/c.yaml': entry('api-c', 'HTTP', { host: 'www.example.com' }) },
    },
    {
      name: 'entries exported to different namespaces only',
      files: { 'east/a.yaml': entry('api-a', 'TLS', { exportTo: ['.'] }), 'east/b.yaml': entry('api-b', 'HTTP', { namespace: 'shop', exportTo: ['.'] }) },
    },
    {
      name: 'an entry without protocol is left to protocol sniffing',
      files: { 'east/a.yaml': entry('api-a', 'TLS'), 'east/b.yaml': entry('api-b', undefined) },
    },
    {
      name: 'clusters of different meshes',
      files: { 'east/a.yaml': entry('api-a', 'TLS'), 'east/istio.yaml': mesh('mesh-a'), 'west/a.yaml': entry('api-a', 'HTTP'), 'west/istio.yaml': mesh('mesh-b') },
    },
  ],
  invalid: [
    {
      name: 'two entries of one cluster (the istioctl example): each reported once',
      files: { 'east/http.yaml': entry('api-http', 'HTTP'), 'east/tls.yaml': entry('api-tls', 'TLS') },
      findings: [
        {
          file: 'east/http.yaml',
          ...protocol,
          severity: 1,
          cluster: 'east',
          messageId: 'conflict',
          data: {
            entries: 'ServiceEntry "default/api-http" (HTTP) in cluster "east", ServiceEntry "default/api-tls" (TLS) in cluster "east"',
            host: 'api.example.com',
            port: 443,
            protocols: 'HTTP, TLS',
          },
          related: [{ file: 'east/tls.yaml', ...protocol, cluster: 'east' }],
        },
        { file: 'east/tls.yaml', ...protocol, messageId: 'conflict', related: [{ file: 'east/http.yaml', ...protocol }] },
      ],
    },
    {
      name: 'an entry exported to its namespace sees the entries exported everywhere',
      files: { 'east/a.yaml': entry('api-a', 'TLS', { exportTo: ['.'] }), 'east/b.yaml': entry('api-b', 'HTTPS', { namespace: 'shop' }) },
      findings: [
        { file: 'east/a.yaml', ...protocol, messageId: 'conflict', data: { protocols: 'HTTPS, TLS' } },
        { file: 'east/b.yaml', ...protocol, messageId: 'conflict', data: { protocols: 'HTTPS, TLS' } },
      ],
    },
    {
      name: 'two clusters of one mesh disagree',
      files: { 'east/a.yaml': entry('api', 'TLS'), 'east/istio.yaml': mesh('mesh-a'), 'west/a.yaml': entry('api', 'HTTP'), 'west/istio.yaml': mesh('mesh-a') },
      findings: [
        {
          file: 'east/a.yaml',
          ...protocol,
          cluster: 'east',
          messageId: 'conflictAcrossClusters',
          data: { entries: 'ServiceEntry "default/api" (TLS) in cluster "east", ServiceEntry "default/api" (HTTP) in cluster "west"', protocols: 'HTTP, TLS' },
          related: [{ file: 'west/a.yaml', ...protocol, cluster: 'west' }],
        },
        { file: 'west/a.yaml', ...protocol, cluster: 'west', messageId: 'conflictAcrossClusters', related: [{ file: 'east/a.yaml', ...protocol, cluster: 'east' }] },
      ],
    },
  ],
});
