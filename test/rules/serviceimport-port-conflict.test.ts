import rule from '../../rules/serviceimport-port-conflict.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { exported, svc, svcExport } from '../helpers/mcs.js';
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
          message: [
            'Port stcp 142/SCTP of Service "demo/hello" exists in cluster "b" but not in cluster "a"',
            'Conflict=True (reason PortConflict)',
            'The resulting ServiceImport ports: [http 80/TCP, stcp 142/SCTP].',
          ],
          related: [{ file: 'a/hello.yaml', line: 7, column: 3, cluster: 'a' }],
        },
      ],
    },
    {
      // mcs-api conformance "with conflicting ports": the same port, number + 1 in the second cluster.
      name: 'conformance: the same port name with another number keeps the oldest export\'s',
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
          message: [
            'Port "http" of Service "demo/hello" is 42/TCP in cluster "a" but 43/TCP in cluster "b", whose ServiceExport is the oldest (creationTimestamp 2023-06-01T00:00:00Z), so the older definition wins',
            'The resulting ServiceImport ports: [http 43/TCP].',
          ],
          related: [{ file: 'b/hello.yaml', ...port(0), cluster: 'b' }],
        },
      ],
    },
    {
      // Cilium serviceimport_controller_test / Lighthouse port-merge cases.
      name: 'A [http 8080, https 8443], B [http 8081, pop3 110/UDP appProtocol smtp] → A\'s http 8080 kept, conflict',
      files: {
        'a/svc.yaml': exported({ name: 'mail', namespace: 'ops', ports: ['name: http, port: 8080', 'name: https, port: 8443'] }),
        'b/svc.yaml': exported({ name: 'mail', namespace: 'ops', ports: ['name: http, port: 8081', 'name: pop3, port: 110, protocol: UDP, appProtocol: smtp'] }),
      },
      findings: [
        {
          file: 'b/svc.yaml',
          ...port(0),
          severity: 2,
          message: [
            'Port "http" of Service "ops/mail" is 8081/TCP in cluster "b" but 8080/TCP in cluster "a"',
            'mclint assumes the controllers\' tie-break by cluster name',
            'The resulting ServiceImport ports: [http 8080/TCP, https 8443/TCP, pop3 110/UDP (appProtocol smtp)].',
          ],
          related: [{ file: 'a/svc.yaml', ...port(0), cluster: 'a' }],
        },
        { file: 'a/svc.yaml', ...port(1), severity: 1, message: ['Port https 8443/TCP of Service "ops/mail" exists in cluster "a" but not in cluster "b"'] },
        { file: 'b/svc.yaml', ...port(1), severity: 1, message: ['Port pop3 110/UDP (appProtocol smtp) of Service "ops/mail" exists in cluster "b" but not in cluster "a"'] },
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
          message: ['Port 80/TCP of Service "shop/api" is named "web" in cluster "b" but "http" in cluster "a"', 'keeps the name "http"', 'Use the same port name'],
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
          message: ['Lighthouse merges ports by name', 'Submariner Lighthouse sets Conflict=True', '[http 80/TCP, web 80/TCP]'],
        },
      ],
    },
    {
      name: 'same port, different appProtocol',
      files: {
        'a/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: grpc, port: 9090, appProtocol: grpc'] }),
        'b/svc.yaml': exported({ name: 'api', namespace: 'shop', ports: ['name: grpc, port: 9090, appProtocol: kubernetes.io/h2c'] }),
      },
      findings: [{ file: 'b/svc.yaml', ...port(0), message: ['has appProtocol "kubernetes.io/h2c" but "grpc" in cluster "a"'] }],
    },
    {
      name: 'unnamed single ports with different numbers',
      files: {
        'a/svc.yaml': exported({ name: 'db', namespace: 'data', ports: ['port: 5432'] }),
        'b/svc.yaml': exported({ name: 'db', namespace: 'data', ports: ['port: 5433'] }),
      },
      findings: [{ file: 'b/svc.yaml', ...port(0), message: ['Port "(unnamed)" of Service "data/db" is 5433/TCP in cluster "b" but 5432/TCP in cluster "a"'] }],
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
          message: ['exists in cluster "c" but not in cluster "a", "b"'],
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
      findings: [{ file: 'b/svc.yaml', line: 7, column: 7, message: ['Service "web" (namespace chosen at apply time)'] }],
    },
  ],
});
