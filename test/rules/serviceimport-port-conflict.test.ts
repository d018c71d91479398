import { describe, expect, it } from 'vitest';
import rule from '../../rules/serviceimport-port-conflict.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { exported, svc, svcExport } from '../helpers/mcs.js';
import { lintScenario } from '../helpers/scenario.js';
import { submariner } from '../helpers/manifests.js';

// With a namespace and no meta lines, port i of a Service sits on line 8+i, column 7.
const port = (i: number) => ({ line: 8 + i, column: 7 });
const lighthouse = (clusterID: string) => submariner({ clusterID, clusterCIDR: '10.0.0.0/16', serviceCIDR: '172.16.0.0/16', serviceDiscovery: true });

ruleTester(rule, {
  valid: [
    {
      name: 'identical ports in every cluster',
      files: {
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80', 'name: grpc, port: 9090, appProtocol: grpc'] }),
        'west/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: grpc, port: 9090, appProtocol: grpc', 'name: http, port: 80, protocol: TCP'] }),
      },
    },
    {
      name: 'a Service exported from one cluster only',
      files: { 'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }) },
    },
    {
      name: 'same name, different namespaces are different services',
      files: {
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'west/web.yaml': exported({ name: 'web', namespace: 'blog', ports: ['name: http, port: 8080'] }),
      },
    },
    {
      name: 'a Service without a ServiceExport does not join the ServiceImport',
      files: {
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'west/web.yaml': svc({ name: 'web', namespace: 'shop', ports: ['name: http, port: 8080'] }),
      },
    },
    {
      name: 'an export the controller rejects (ExternalName) does not merge',
      files: {
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'west/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 8080'], spec: ['type: ExternalName', 'externalName: web.example.com'] }),
      },
    },
    {
      name: 'tutorial alternatives: the same export twice in one cluster counts once',
      files: {
        'east/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'east/web-export-copy.yaml': svcExport({ name: 'web', namespace: 'shop' }),
        'west/web.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
      },
    },
  ],
  invalid: [
    {
      // mcs-api conformance "should expose the union of the constituent service ports".
      name: 'conformance: A [http 80/TCP], B [http 80/TCP, stcp 142/SCTP] → union, port conflict',
      files: {
        'a/hello.yaml': exported({ name: 'hello', namespace: 'demo', ports: ['name: http, port: 80, protocol: TCP'] }),
        'b/hello.yaml': exported({ name: 'hello', namespace: 'demo', ports: ['name: http, port: 80, protocol: TCP', 'name: stcp, port: 142, protocol: SCTP'] }),
      },
      findings: [
        {
          file: 'b/hello.yaml',
          ...port(1),
          severity: 1,
          cluster: 'b',
          messageId: 'partial',
          data: { port: 'stcp 142/SCTP', service: '"demo/hello"', cluster: 'b', missing: '"a"', number: '142/SCTP', ports: '[http 80/TCP, stcp 142/SCTP]' },
          related: [{ file: 'a/hello.yaml', line: 7, column: 3, cluster: 'a' }],
        },
      ],
    },
    {
      // mcs-api conformance "with conflicting ports": the same port, number + 1 in the second cluster.
      name: "conformance: the same port name with another number keeps the oldest export's",
      files: {
        'a/hello.yaml': exported({ name: 'hello', namespace: 'demo', ports: ['name: http, port: 42'], created: '2024-01-01T00:00:00Z' }),
        'b/hello.yaml': exported({ name: 'hello', namespace: 'demo', ports: ['name: http, port: 43'], created: '2023-06-01T00:00:00Z' }),
      },
      findings: [
        {
          file: 'a/hello.yaml',
          ...port(0),
          cluster: 'a',
          severity: 2,
          messageId: 'portNumber',
          data: {
            name: 'http',
            service: '"demo/hello"',
            port: '42/TCP',
            cluster: 'a',
            winnerPort: '43/TCP',
            winner: 'b',
            precedence: 'whose ServiceExport is the oldest (creationTimestamp 2023-06-01T00:00:00Z)',
            portText: 'http 42/TCP',
            ports: '[http 43/TCP]',
          },
          related: [{ file: 'b/hello.yaml', ...port(0), cluster: 'b' }],
        },
      ],
    },
    {
      // Cilium serviceimport_controller_test / Lighthouse port-merge cases.
      name: "A [http 8080, https 8443], B [http 8081, pop3 110/UDP appProtocol smtp] → A's http 8080 kept, conflict",
      files: {
        'a/svc.yaml': exported({ name: 'mail', namespace: 'ops', ports: ['name: http, port: 8080', 'name: https, port: 8443'] }),
        'b/svc.yaml': exported({ name: 'mail', namespace: 'ops', ports: ['name: http, port: 8081', 'name: pop3, port: 110, protocol: UDP, appProtocol: smtp'] }),
      },
      findings: [
        {
          file: 'b/svc.yaml',
          ...port(0),
          severity: 2,
          messageId: 'portNumber',
          data: {
            name: 'http',
            service: '"ops/mail"',
            port: '8081/TCP',
            cluster: 'b',
            winnerPort: '8080/TCP',
            winner: 'a',
            ports: '[http 8080/TCP, https 8443/TCP, pop3 110/UDP (appProtocol smtp)]',
          },
          related: [{ file: 'a/svc.yaml', ...port(0), cluster: 'a' }],
        },
        { file: 'a/svc.yaml', ...port(1), severity: 1, messageId: 'partial', data: { port: 'https 8443/TCP', service: '"ops/mail"', cluster: 'a', missing: '"b"' } },
        {
          file: 'b/svc.yaml',
          ...port(1),
          severity: 1,
          messageId: 'partial',
          data: { port: 'pop3 110/UDP (appProtocol smtp)', service: '"ops/mail"', cluster: 'b', missing: '"a"' },
        },
      ],
    },
    {
      name: 'the same (protocol, port) under different names',
      files: {
        'a/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'b/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: web, port: 80'] }),
      },
      findings: [
        {
          file: 'b/svc.yaml',
          ...port(0),
          messageId: 'portName',
          data: { port: '80/TCP', service: '"shop/api"', name: 'web', cluster: 'b', winnerName: 'http', winner: 'a' },
          related: [{ file: 'a/svc.yaml', ...port(0), cluster: 'a' }],
        },
      ],
    },
    {
      name: 'Lighthouse merges by name: the ServiceImport lists the port twice',
      files: {
        'a/submariner.yaml': lighthouse('a'),
        'a/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'b/submariner.yaml': lighthouse('b'),
        'b/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: web, port: 80'] }),
      },
      findings: [
        {
          file: 'b/svc.yaml',
          ...port(0),
          messageId: 'portNameLighthouse',
          data: { port: '80/TCP', name: 'web', cluster: 'b', winnerName: 'http', winner: 'a', ports: '[http 80/TCP, web 80/TCP]' },
        },
      ],
    },
    {
      name: 'Lighthouse words every conflict with its own verdict: number, appProtocol, a partial port',
      files: {
        'a/submariner.yaml': lighthouse('a'),
        'a/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: http, port: 80', 'name: grpc, port: 9090, appProtocol: grpc'] }),
        'b/submariner.yaml': lighthouse('b'),
        'b/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: http, port: 81', 'name: grpc, port: 9090, appProtocol: h2c', 'name: metrics, port: 9100'] }),
      },
      findings: [
        {
          file: 'b/svc.yaml',
          ...port(0),
          severity: 2,
          cluster: 'b',
          messageId: 'portNumberLighthouse',
          data: { name: 'http', port: '81/TCP', winnerPort: '80/TCP', winner: 'a' },
          related: [{ file: 'a/svc.yaml', ...port(0), cluster: 'a' }],
        },
        { file: 'b/svc.yaml', ...port(1), severity: 2, messageId: 'appProtocolLighthouse', data: { port: 'grpc 9090/TCP', appProtocol: 'h2c', winnerAppProtocol: 'grpc' } },
        {
          file: 'b/svc.yaml',
          ...port(2),
          severity: 1,
          messageId: 'partialLighthouse',
          data: { port: 'metrics 9100/TCP', cluster: 'b', missing: '"a"', ports: '[http 80/TCP, grpc 9090/TCP (appProtocol grpc), metrics 9100/TCP]' },
          related: [{ file: 'a/svc.yaml', line: 7, column: 3, cluster: 'a' }],
        },
      ],
    },
    {
      name: 'same port, different appProtocol',
      files: {
        'a/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: grpc, port: 9090, appProtocol: grpc'] }),
        'b/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: grpc, port: 9090, appProtocol: kubernetes.io/h2c'] }),
      },
      findings: [
        {
          file: 'b/svc.yaml',
          ...port(0),
          messageId: 'appProtocol',
          data: { port: 'grpc 9090/TCP', service: '"shop/api"', appProtocol: 'kubernetes.io/h2c', cluster: 'b', winnerAppProtocol: 'grpc', winner: 'a' },
        },
      ],
    },
    {
      name: 'unnamed single ports with different numbers',
      files: {
        'a/svc.yaml': exported({ name: 'db', namespace: 'data', ports: ['port: 5432'] }),
        'b/svc.yaml': exported({ name: 'db', namespace: 'data', ports: ['port: 5433'] }),
      },
      findings: [
        {
          file: 'b/svc.yaml',
          ...port(0),
          messageId: 'portNumber',
          data: { name: '(unnamed)', service: '"data/db"', port: '5433/TCP', cluster: 'b', winnerPort: '5432/TCP', winner: 'a' },
        },
      ],
    },
    {
      name: 'a third cluster names every missing cluster in one warning',
      files: {
        'a/svc.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'b/svc.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80'] }),
        'c/svc.yaml': exported({ name: 'web', namespace: 'shop', ports: ['name: http, port: 80', 'name: metrics, port: 9100'] }),
      },
      findings: [
        {
          file: 'c/svc.yaml',
          ...port(1),
          severity: 1,
          messageId: 'partial',
          data: { port: 'metrics 9100/TCP', cluster: 'c', missing: '"a", "b"' },
          related: [
            { file: 'a/svc.yaml', line: 7, column: 3, cluster: 'a' },
            { file: 'b/svc.yaml', line: 7, column: 3, cluster: 'b' },
          ],
        },
      ],
    },
    {
      name: 'namespaces left to apply time merge by name (tutorial repositories)',
      files: {
        'a/svc.yaml': exported({ name: 'web', ports: ['name: http, port: 80'] }),
        'b/svc.yaml': exported({ name: 'web', ports: ['name: http, port: 81'] }),
      },
      findings: [
        { file: 'b/svc.yaml', line: 7, column: 7, messageId: 'portNumber', data: { service: '"web" (namespace chosen at apply time)', port: '81/TCP', winnerPort: '80/TCP' } },
      ],
    },
  ],
});

describe('serviceimport-port-conflict wording', () => {
  it('the message names clusters and values in one sentence; the hint keeps precedence, the verdict, the resulting ports and the fix', async () => {
    const { relFindings } = await lintScenario(
      {
        'a/svc.yaml': exported({ name: 'mail', namespace: 'ops', ports: ['name: http, port: 8080'] }),
        'b/svc.yaml': exported({ name: 'mail', namespace: 'ops', ports: ['name: http, port: 8081'] }),
      },
      { rules: [rule] },
    );
    expect(relFindings.map((f) => [f.messageId, f.message])).toEqual([['portNumber', 'Port "http" of Service "ops/mail" is 8081/TCP in cluster "b" but 8080/TCP in cluster "a".']]);
    expect(relFindings[0].hint).toBe(
      'Cluster "a", whose ServiceExport counts as the oldest (no creationTimestamp in the manifests: mclint assumes the controllers\' tie-break by cluster name; ' +
        'in a live ClusterSet the export created first wins), wins: the older definition is kept and "b"\'s http 8081/TCP is left out of the ServiceImport; ' +
        'the MCS controller sets Conflict=True (reason PortConflict) on every constituent ServiceExport. The resulting ServiceImport ports: [http 8080/TCP]. ' +
        'Give the port the same number and protocol in every cluster, or a different name.',
    );
  });
});
