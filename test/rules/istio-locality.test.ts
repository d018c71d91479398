import rule from '../../rules/istio-locality.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { yaml } from '../helpers/scenario.js';
import { deployment } from '../helpers/istio.js';

/** A DestinationRule whose top-level loadBalancer.localityLbSetting is `lb` (indented 6, starting on line 10). */
const dr = (lb: string, extra = '    outlierDetection: {consecutive5xxErrors: 1}\n') =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    '  name: helloworld',
    '  namespace: sample',
    'spec:',
    '  host: helloworld',
    '  trafficPolicy:',
    '    loadBalancer:',
    '      localityLbSetting:',
    ...lb
      .split('\n')
      .filter(Boolean)
      .map((l) => `        ${l}`),
    extra,
  ].join('\n');

const node = (name: string, region: string, zone: string) => yaml`
  apiVersion: v1
  kind: Node
  metadata:
    name: ${name}
    labels: {topology.kubernetes.io/region: ${region}, topology.kubernetes.io/zone: ${zone}}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'failover between regions with outlier detection (Istio task)',
      files: { 'primary/dr.yaml': dr('enabled: true\nfailover:\n  - from: region1\n    to: region2') },
    },
    {
      name: 'a subzone may hold slashes (Istio splits a locality into at most 3 parts)',
      files: {
        'primary/dr.yaml': dr('distribute:\n  - from: region1/zone1/a/\n    to:\n      "region1/zone1/*": 100', ''),
        'a/node.yaml': node('n1', 'region1', 'zone1'),
      },
    },
    {
      name: 'distribute weights totalling 100 to localities of the set',
      files: {
        'primary/dr.yaml': dr('distribute:\n  - from: region1/zone1/*\n    to:\n      "region1/zone1/*": 70\n      "region1/zone2/*": 20\n      "region3/*": 10', ''),
        'a/node.yaml': node('n1', 'region1', 'zone1'),
        'b/node.yaml': node('n2', 'region1', 'zone2'),
        'c/node.yaml': node('n3', 'region3', 'zone4'),
      },
    },
    {
      name: 'failoverPriority with labels Istio sets and labels on workloads',
      files: {
        'a/app.yaml': deployment('helloworld', 'sample', { app: 'helloworld', tier: 'gold' }),
        'primary/dr.yaml': dr('failoverPriority:\n  - topology.istio.io/network\n  - tier=gold\n  - topology.kubernetes.io/region'),
      },
    },
  ],
  invalid: [
    {
      name: 'distribute and failover together (Istio stops there)',
      files: { 'primary/dr.yaml': dr('distribute:\n  - from: region1/*\n    to: {"region1/*": 50}\nfailover:\n  - from: region1\n    to: region1') },
      findings: [
        { file: 'primary/dr.yaml', line: 14, column: 9, severity: 2, messageId: 'distributeAndFailover', data: { destinationRule: 'sample/helloworld', level: 'top level' } },
      ],
    },
    {
      name: 'weights outside 1..100 and a from entry not totalling 100',
      files: { 'primary/dr.yaml': dr('distribute:\n  - from: region1/zone1/*\n    to:\n      "region1/zone1/*": 0\n      "region1/zone2/*": 120') },
      findings: [
        { file: 'primary/dr.yaml', line: 14, column: 34, messageId: 'weightRange', data: { weight: 0, locality: 'region1/zone1/*' } },
        { file: 'primary/dr.yaml', line: 15, column: 34, messageId: 'weightRange', data: { weight: 120, locality: 'region1/zone2/*' } },
        { file: 'primary/dr.yaml', line: 13, column: 13, messageId: 'weightTotalFrom', data: { total: 120, from: 'region1/zone1/*' } },
      ],
    },
    {
      name: 'distribute localities with a wildcard in the middle, and overlapping from entries',
      files: { 'primary/dr.yaml': dr('distribute:\n  - from: "region1/*"\n    to: {"region1/*/sub": 100}\n  - from: region1/zone2\n    to: {"region2": 100}', '') },
      findings: [
        {
          file: 'primary/dr.yaml',
          line: 13,
          column: 35,
          messageId: 'distributeTo',
          data: { problem: `locality region1/*/sub wildcard '*' number can not exceed 1 and must be in the end` },
        },
        { file: 'primary/dr.yaml', line: 14, column: 19, messageId: 'distributeFrom', data: { problem: 'locality region1/zone2 overlap with previous specified ones' } },
      ],
    },
    {
      name: 'failover from equal to to, naming zones and wildcards; no outlier detection (warning)',
      files: { 'primary/dr.yaml': dr('failover:\n  - from: region1\n    to: region1\n  - from: region1/zone1\n    to: "region2*"', '') },
      findings: [
        { file: 'primary/dr.yaml', line: 11, column: 9, severity: 1, messageId: 'noOutlierDetection', data: { field: 'failover' } },
        { file: 'primary/dr.yaml', line: 13, column: 17, messageId: 'failoverToItself', data: { from: 'region1' } },
        { file: 'primary/dr.yaml', line: 14, column: 19, messageId: 'failoverZone', data: { locality: 'region1/zone1' } },
        { file: 'primary/dr.yaml', line: 15, column: 17, messageId: 'failoverWildcard', data: { locality: 'region2*' } },
      ],
    },
    {
      name: 'failoverPriority with failover using a topology label',
      files: { 'primary/dr.yaml': dr('failover:\n  - {from: region1, to: region2}\nfailoverPriority:\n  - topology.kubernetes.io/zone') },
      findings: [{ file: 'primary/dr.yaml', line: 14, column: 13, messageId: 'failoverTopologyLabel', data: { label: 'topology.kubernetes.io/zone' } }],
    },
    {
      name: 'outlier detection must be at the same level: a subset policy without it',
      files: {
        'primary/dr.yaml': yaml`
          apiVersion: networking.istio.io/v1beta1
          kind: DestinationRule
          metadata: {name: helloworld, namespace: sample}
          spec:
            host: helloworld
            trafficPolicy:
              outlierDetection: {consecutive5xxErrors: 1}
            subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  loadBalancer:
                    localityLbSetting:
                      failoverPriority: [topology.istio.io/network]
        `,
      },
      findings: [{ file: 'primary/dr.yaml', line: 14, column: 31, severity: 1, messageId: 'noOutlierDetection', data: { level: 'subset "v1"', field: 'failoverPriority' } }],
    },
    {
      name: 'localities matching no region/zone of the set, and failoverPriority labels on no workload (warnings)',
      files: {
        'a/node.yaml': node('n1', 'us-east-1', 'us-east-1a'),
        'a/app.yaml': deployment('helloworld', 'sample', { app: 'helloworld' }),
        'b/node.yaml': node('n2', 'us-west-2', 'us-west-2a'),
        'primary/dr.yaml': docs(dr('failover:\n  - from: us-east-1\n    to: us-west1\nfailoverPriority:\n  - tier')),
      },
      findings: [
        {
          file: 'primary/dr.yaml',
          line: 13,
          column: 17,
          severity: 1,
          messageId: 'unknownFailoverLocality',
          data: { role: 'failover to', locality: 'us-west1', known: '"us-east-1/us-east-1a", "us-west-2/us-west-2a"' },
        },
        { file: 'primary/dr.yaml', line: 15, column: 13, severity: 1, messageId: 'unusedPriorityLabel', data: { label: 'tier', namespace: 'sample' } },
      ],
    },
    {
      name: 'a distribute entry without from totalling 90, to a locality the set does not have (warning)',
      files: {
        'a/node.yaml': node('n1', 'region1', 'zone1'),
        'primary/dr.yaml': dr('distribute:\n  - to:\n      "region1/zone1/*": 60\n      "region9/*": 30', ''),
      },
      findings: [
        { file: 'primary/dr.yaml', line: 12, column: 13, severity: 2, messageId: 'weightTotal', data: { destinationRule: 'sample/helloworld', level: 'top level', total: 90 } },
        {
          file: 'primary/dr.yaml',
          line: 14,
          column: 28,
          severity: 1,
          messageId: 'unknownLocality',
          data: { role: 'distribute to', locality: 'region9/*', known: '"region1/zone1"' },
        },
      ],
    },
  ],
});
