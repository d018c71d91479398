import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/istio-gateway-conflict.js';
import entryRule from '../../rules/istio-serviceentry-conflict.js';
import { lint } from '../../src/lint.js';
import { ruleTester } from '../helpers/rule-tester.js';

/**
 * A Gateway: selector on lines 8.. (one line per label), then `servers:`; each server is
 * `- port:` / `number:` / `name:` / `protocol:` / `hosts:` and one line per host.
 */
function gateway(name: string, servers: [number, string[]][], selector: Record<string, string> = { istio: 'ingressgateway' }, namespace = 'istio-ingress'): string {
  const lines = ['apiVersion: networking.istio.io/v1', 'kind: Gateway', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'spec:', '  selector:'];
  for (const [k, v] of Object.entries(selector)) lines.push(`    ${k}: ${v}`);
  lines.push('  servers:');
  for (const [port, hosts] of servers) {
    lines.push('  - port:', `      number: ${port}`, '      name: https', '      protocol: HTTPS', '    hosts:', ...hosts.map((h) => `    - "${h}"`));
  }
  return lines.join('\n') + '\n';
}
/** The `number:` value of server `i` when every earlier server has `hosts` host lines and the selector one label. */
const portAt = (i: number, hostsBefore = 1, labels = 1) => ({ line: 10 + labels + i * (5 + hostsBefore), column: 15 });

/**
 * A Gateway with one server of the given protocol in namespace `istio-system`, selector
 * `istio: ingressgateway`: its `number:` value at 11:15 (`tls` adds a `tls:` block before `hosts:`).
 */
function server(name: string, port: number, protocol: string, hosts: string[], tls?: string): string {
  const lines = ['apiVersion: networking.istio.io/v1', 'kind: Gateway', 'metadata:', `  name: ${name}`, '  namespace: istio-system', 'spec:', '  selector:'];
  lines.push('    istio: ingressgateway', '  servers:', '  - port:', `      number: ${port}`, `      name: p${port}`);
  lines.push(`      protocol: ${protocol}`);
  if (tls) lines.push(`    tls: ${tls}`);
  lines.push('    hosts:', ...hosts.map((h) => `    - "${h}"`));
  return lines.join('\n') + '\n';
}
const PORT = { line: 11, column: 15 };

ruleTester(rule, {
  valid: [
    {
      name: 'distinct hosts on the same port and selector',
      files: { 'east/a.yaml': gateway('a', [[443, ['a.example.com']]]), 'east/b.yaml': gateway('b', [[443, ['b.example.com']]]) },
    },
    {
      name: 'the same host on different ports, or for different selectors',
      files: {
        'east/a.yaml': gateway('a', [[443, ['a.example.com']]]),
        'east/b.yaml': gateway('b', [[8443, ['a.example.com']]]),
        'east/c.yaml': gateway('c', [[443, ['a.example.com']]], { istio: 'eastwestgateway' }),
      },
    },
    {
      name: 'the same Gateway in two clusters (each istiod programs its own gateway)',
      files: { 'east/a.yaml': gateway('a', [[443, ['*']]]), 'west/a.yaml': gateway('b', [[443, ['*']]]) },
    },
    {
      name: 'garbage: servers that are not objects, ports that are not numbers, no hosts',
      files: {
        'east/a.yaml':
          'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: a\nspec:\n  selector: {istio: x}\n  servers: [1, {port: {number: "443"}, hosts: ["*"]}, {port: {number: 443}}]\n',
        'east/b.yaml':
          'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: b\nspec:\n  selector: {istio: x}\n  servers: [{port: {number: 443}, hosts: [7, "${HOST}"]}]\n',
      },
    },
    {
      name: 'plain-HTTP servers of different hosts: nothing to say, merged or not',
      files: { 'east/a.yaml': server('a', 80, 'HTTP', ['a.example.com']), 'east/b.yaml': server('b', 80, 'HTTP', ['b.example.com']) },
    },
    {
      name: 'wildcards that do not overlap',
      files: { 'east/a.yaml': gateway('a', [[443, ['*.shop.example.com']]]), 'east/b.yaml': gateway('b', [[443, ['*.blog.example.com']]]) },
    },
  ],
  invalid: [
    {
      name: 'one host on one port and selector in two Gateways: both reported',
      files: { 'east/a.yaml': gateway('a', [[443, ['shop.example.com']]]), 'east/b.yaml': gateway('b', [[443, ['shop.example.com']]]) },
      findings: [
        {
          file: 'east/a.yaml',
          ...portAt(0),
          severity: 2,
          cluster: 'east',
          messageId: 'conflict',
          data: { gateway: 'Gateway "istio-ingress/a"', hosts: '"shop.example.com"', port: 443, selector: 'istio=ingressgateway', others: 'Gateway "istio-ingress/b"' },
          related: [{ file: 'east/b.yaml', ...portAt(0), cluster: 'east' }],
        },
        { file: 'east/b.yaml', ...portAt(0), messageId: 'conflict', data: { gateway: 'Gateway "istio-ingress/b"' }, related: [{ file: 'east/a.yaml', ...portAt(0) }] },
      ],
    },
    {
      name: 'a wildcard overlaps a name, a namespace/ prefix is ignored, selectors compare in any key order',
      files: {
        'east/a.yaml': gateway(
          'a',
          [
            [80, ['x.example.com']],
            [443, ['*.example.com']],
          ],
          { istio: 'ingressgateway', app: 'gw' },
        ),
        'east/b.yaml': gateway('b', [[443, ['shop/api.example.com']]], { app: 'gw', istio: 'ingressgateway' }, 'shop'),
      },
      findings: [
        {
          file: 'east/a.yaml',
          ...portAt(1, 1, 2),
          data: { gateway: 'Gateway "istio-ingress/a"', hosts: '"*.example.com"', selector: 'app=gw,istio=ingressgateway', others: 'Gateway "shop/b"' },
          related: [{ file: 'east/b.yaml', ...portAt(0, 1, 2) }],
        },
        {
          file: 'east/b.yaml',
          ...portAt(0, 1, 2),
          data: { gateway: 'Gateway "shop/b"', others: 'Gateway "istio-ingress/a"' },
          related: [{ file: 'east/a.yaml', ...portAt(1, 1, 2) }],
        },
      ],
    },
    {
      // bookinfo-gateway and the cert-manager ACME gateway: istiod merges both into route config http.80.
      name: 'two plain-HTTP Gateways on port 80 with hosts "*": merged by istiod, a warning citing IST0145',
      files: { 'east/bookinfo.yaml': server('bookinfo-gateway', 80, 'HTTP', ['*']), 'east/acme.yaml': server('cert-manager-gateway', 80, 'http', ['*']) },
      findings: [
        {
          file: 'east/acme.yaml',
          ...PORT,
          severity: 1,
          cluster: 'east',
          messageId: 'mergedHttp',
          data: {
            gateway: 'Gateway "istio-system/cert-manager-gateway"',
            hosts: '"*"',
            port: 80,
            selector: 'istio=ingressgateway',
            others: 'Gateway "istio-system/bookinfo-gateway"',
          },
          related: [{ file: 'east/bookinfo.yaml', ...PORT, cluster: 'east' }],
        },
        { file: 'east/bookinfo.yaml', ...PORT, severity: 1, messageId: 'mergedHttp', data: { gateway: 'Gateway "istio-system/bookinfo-gateway"' } },
      ],
    },
    {
      name: 'HTTP and GRPC share one route table; one httpsRedirect server alone is no repeat',
      files: { 'east/a.yaml': server('a', 8080, 'HTTP', ['api.example.com'], '{httpsRedirect: true}'), 'east/b.yaml': server('b', 8080, 'GRPC', ['*.example.com']) },
      findings: [
        { file: 'east/a.yaml', ...PORT, severity: 1, messageId: 'mergedHttp' },
        { file: 'east/b.yaml', ...PORT, severity: 1, messageId: 'mergedHttp' },
      ],
    },
    {
      name: 'HTTP servers that both have a tls block and repeat a host: istiod skips the later one, an error',
      files: {
        'east/a.yaml': server('a', 80, 'HTTP', ['shop.example.com'], '{httpsRedirect: true}'),
        'east/b.yaml': server('b', 80, 'HTTP', ['shop/shop.example.com'], '{httpsRedirect: true}'),
      },
      findings: [
        { file: 'east/a.yaml', ...PORT, severity: 2, messageId: 'conflict' },
        { file: 'east/b.yaml', ...PORT, severity: 2, messageId: 'conflict' },
      ],
    },
    {
      name: 'HTTP against TCP, HTTPS against HTTPS, and a protocol left to apply time: errors',
      files: {
        'east/http.yaml': server('http', 9000, 'HTTP', ['*']),
        'east/tcp.yaml': server('tcp', 9000, 'TCP', ['*']),
        'east/shop.yaml': server('shop', 443, 'HTTPS', ['shop.example.com'], '{mode: SIMPLE, credentialName: shop}'),
        'east/wild.yaml': server('wild', 443, 'HTTPS', ['*.example.com'], '{mode: SIMPLE, credentialName: wild}'),
        'east/x.yaml': server('plain', 81, '${PROTOCOL}', ['*']),
        'east/y.yaml': server('web', 81, 'HTTP', ['*']),
      },
      findings: [
        { file: 'east/http.yaml', ...PORT, severity: 2, messageId: 'conflict', data: { port: 9000 } },
        { file: 'east/tcp.yaml', ...PORT, severity: 2, messageId: 'conflict', data: { port: 9000 } },
        { file: 'east/shop.yaml', ...PORT, severity: 2, messageId: 'conflict', data: { port: 443 } },
        { file: 'east/wild.yaml', ...PORT, severity: 2, messageId: 'conflict', data: { port: 443 } },
        { file: 'east/x.yaml', ...PORT, severity: 2, messageId: 'conflict', data: { port: 81 } },
        { file: 'east/y.yaml', ...PORT, severity: 2, messageId: 'conflict', data: { port: 81 } },
      ],
    },
  ],
});

describe('fixtures/istio-conflict-mesh (IST0145 and IST0177 in a two-cluster mesh)', () => {
  it('reports both Gateways, the ServiceEntries of one cluster and those of the two clusters, each at its line', async () => {
    const root = resolve(import.meta.dirname, '..', '..', 'fixtures', 'istio-conflict-mesh');
    const result = await lint({ dirs: [root], rules: [rule, entryRule] });
    const rel = (f: string) => relative(root, f).split('\\').join('/');
    const found = result.findings.map((f) => `${rel(f.file)}:${f.line}:${f.column} ${f.messageId} ${f.related.map((r) => `${rel(r.file)}:${r.line}:${r.column}`).join(' ')}`);
    expect(found.sort()).toEqual(
      [
        'east/gateways.yaml:11:15 conflict east/gateways.yaml:36:15',
        'east/gateways.yaml:36:15 conflict east/gateways.yaml:11:15',
        'east/api-entries.yaml:12:15 conflict east/api-entries.yaml:26:15',
        'east/api-entries.yaml:26:15 conflict east/api-entries.yaml:12:15',
        'east/api-entries.yaml:40:15 conflictAcrossClusters west/api-entries.yaml:12:15',
        'west/api-entries.yaml:12:15 conflictAcrossClusters east/api-entries.yaml:40:15',
      ].sort(),
    );
  });
});
