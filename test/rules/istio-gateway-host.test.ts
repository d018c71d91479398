import rule from '../../rules/istio-gateway-host.js';
import { hostsOverlap } from '../../src/model/views/istio-gateway-hosts.js';
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../helpers/rule-tester.js';

/** A Gateway in `ns` with one server on port 443 accepting `hosts` (a flow list). Line 4 `name` (column 9). */
const gateway = (name: string, ns: string, hosts: string) =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: Gateway',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    '  selector: {istio: ingressgateway}',
    '  servers:',
    `    - port: {number: 443, name: https, protocol: HTTPS}`,
    `      hosts: ${hosts}`,
    '',
  ].join('\n');

/** A VirtualService in `ns` with `hosts` and `gateways` (flow lists). Line 8 `gateways` (first item column 14). */
const virtualService = (ns: string, hosts: string, gateways: string) =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata:',
    '  name: web',
    `  namespace: ${ns}`,
    'spec:',
    `  hosts: ${hosts}`,
    `  gateways: ${gateways}`,
    '  http:',
    '    - route:',
    '        - destination: {host: web}',
    '',
  ].join('\n');

ruleTester(rule, {
  valid: [
    {
      name: 'a host the server lists',
      files: { 'east/gw.yaml': gateway('public', 'edge', '["shop.example.com"]'), 'east/vs.yaml': virtualService('shop', '[shop.example.com]', '[edge/public]') },
    },
    {
      name: 'a wildcard server host',
      files: { 'east/gw.yaml': gateway('public', 'edge', '["*.example.com"]'), 'east/vs.yaml': virtualService('shop', '[shop.example.com]', '[edge/public]') },
    },
    { name: '*/* accepts every host', files: { 'east/gw.yaml': gateway('public', 'edge', '["*/*"]'), 'east/vs.yaml': virtualService('shop', '[a.example.org]', '[edge/public]') } },
    {
      name: 'a namespace-qualified host for the VirtualService namespace; ./host in the Gateway namespace',
      files: {
        'east/gw.yaml': gateway('public', 'shop', '["shop/shop.example.com", "./other.example.com"]'),
        'east/vs.yaml': virtualService('shop', '[other.example.com]', '[public]'),
      },
    },
    { name: 'mesh only', files: { 'east/gw.yaml': gateway('public', 'edge', '["x.example.com"]'), 'east/vs.yaml': virtualService('shop', '[web]', '[mesh]') } },
    {
      name: "a Gateway of another cluster (istio-reference-not-found's, not this rule's)",
      files: { 'west/gw.yaml': gateway('public', 'edge', '["x.example.com"]'), 'east/vs.yaml': virtualService('shop', '[shop.example.com]', '[edge/public]') },
    },
  ],
  invalid: [
    {
      name: 'no server host matches',
      files: { 'east/gw.yaml': gateway('public', 'edge', '["api.example.com"]'), 'east/vs.yaml': virtualService('shop', '[shop.example.com]', '[mesh, edge/public]') },
      findings: [
        {
          file: 'east/vs.yaml',
          line: 8,
          column: 20,
          messageId: 'notInGateway',
          data: { gateway: 'Gateway "edge/public"', cluster: 'east', hosts: '"shop.example.com"', gatewayHosts: '"api.example.com"' },
          severity: 1,
          related: [{ file: 'east/gw.yaml', line: 4, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: "a server host qualified with another namespace is not the VirtualService's",
      files: { 'east/gw.yaml': gateway('public', 'edge', '["billing/shop.example.com"]'), 'east/vs.yaml': virtualService('shop', '[shop.example.com]', '[edge/public]') },
      findings: [{ file: 'east/vs.yaml', line: 8, column: 14, messageId: 'notInGateway', data: { gatewayHosts: 'none for this namespace' } }],
    },
  ],
});

describe('hostsOverlap (Istio host.Name.Matches)', () => {
  it.each([
    ['a.example.com', 'a.example.com', true],
    ['*.example.com', 'a.example.com', true],
    ['a.example.com', '*.example.com', true],
    ['*.example.com', '*.a.example.com', true],
    ['*', 'anything', true],
    ['*.example.com', 'example.com', false],
    ['a.example.com', 'b.example.com', false],
    ['*.example.org', '*.example.com', false],
  ])('%s ~ %s → %s', (a, b, expected) => {
    expect(hostsOverlap(a, b)).toBe(expected);
  });
});
