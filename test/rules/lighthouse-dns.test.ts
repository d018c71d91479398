import { resolve, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/lighthouse-dns.js';
import { lint } from '../../src/lint.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** A DNS ConfigMap (`coredns` or `node-local-dns` in kube-system): the `Corefile` value on line 7, column 13; Corefile line n is file line 7 + n. */
const dnsConfigMap = (corefile: string, name = 'coredns', namespace = 'kube-system') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  Corefile: |\n${corefile
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
const COREFILE = { line: 7, column: 13 };

/** A Submariner CR deploying Lighthouse (the object starts at line 1, column 1). */
const submariner = (serviceDiscovery = true) =>
  `apiVersion: submariner.io/v1alpha1\nkind: Submariner\nmetadata:\n  name: submariner\n  namespace: submariner-operator\nspec:\n  serviceDiscoveryEnabled: ${serviceDiscovery}\n`;
const serviceDiscovery =
  'apiVersion: submariner.io/v1alpha1\nkind: ServiceDiscovery\nmetadata:\n  name: service-discovery\n  namespace: submariner-operator\nspec:\n  clusterID: east\n';
const CR = { line: 1, column: 1 };

/** The Lighthouse DNS Service with `clusterIP` on line 7, its value at column 14. */
const lighthouseService = (ip: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: submariner-lighthouse-coredns\n  namespace: submariner-operator\nspec:\n  clusterIP: ${ip}\n  ports:\n    - name: udp\n      port: 53\n      protocol: UDP\n`;
const CLUSTER_IP = { line: 7, column: 14 };

const ROOT = `.:53 {
    errors
    health
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
    cache 30
}`;
const patched = (ip: string, domain = 'clusterset.local') =>
  `#lighthouse-start AUTO-GENERATED SECTION. DO NOT EDIT\n${domain}:53 {\n    forward . ${ip}\n}\n#lighthouse-end\n${ROOT}`;
const NODE_LOCAL = `cluster.local:53 {
    cache 30
    bind 169.254.20.10
    forward . __PILLAR__CLUSTER__DNS__ {
        force_tcp
    }
}
.:53 {
    cache 30
    forward . __PILLAR__UPSTREAM__SERVERS__
}`;

ruleTester(rule, {
  valid: [
    {
      name: "the operator's block forwards clusterset.local to the Lighthouse DNS Service's ClusterIP",
      files: { 'east/sub.yaml': submariner(), 'east/svc.yaml': lighthouseService('10.96.200.7'), 'east/coredns.yaml': dnsConfigMap(patched('dns://10.96.200.7:53')) },
    },
    {
      name: 'a forward naming the domain inside the root block; no Service in the repository to compare with',
      files: { 'east/sd.yaml': serviceDiscovery, 'east/coredns.yaml': dnsConfigMap(ROOT.replace('    cache 30', '    forward clusterset.local 10.96.200.7\n    cache 30')) },
    },
    {
      name: 'no Lighthouse (serviceDiscoveryEnabled false): a stock Corefile is fine',
      files: { 'east/sub.yaml': submariner(false), 'east/coredns.yaml': dnsConfigMap(ROOT) },
    },
    {
      name: "NodeLocal DNSCache with a clusterset.local block to the cluster DNS; Lighthouse's own Corefile may use the lighthouse plugin",
      files: {
        'east/sub.yaml': submariner(),
        'east/node-local.yaml': dnsConfigMap(`${NODE_LOCAL}\nclusterset.local:53 {\n    forward . __PILLAR__CLUSTER__DNS__\n}`, 'node-local-dns'),
        'east/lighthouse.yaml': dnsConfigMap('.:53 {\n    lighthouse\n    errors\n}', 'submariner-lighthouse-coredns', 'submariner-operator'),
      },
    },
    {
      name: 'the domain option: a custom domain forwarded',
      files: {
        'mclint.config.yaml': 'rules:\n  lighthouse-dns: [error, { domain: supercluster.local }]\n',
        'east/sub.yaml': submariner(),
        'east/coredns.yaml': dnsConfigMap(patched('10.96.200.7', 'supercluster.local')),
      },
    },
    {
      name: 'k3s: server blocks imported from files mclint cannot see (coredns-custom) may forward the domain; an imported snippet may not',
      files: {
        'east/sub.yaml': submariner(),
        'east/coredns.yaml': dnsConfigMap(`${ROOT}\nimport /etc/coredns/custom/*.server`),
        'west/sub.yaml': submariner(),
        'west/coredns.yaml': dnsConfigMap(ROOT.replace('    cache 30', '    import custom/*.override\n    cache 30')),
      },
    },
    {
      name: 'templated and garbage Corefiles never crash or report',
      files: {
        'east/sub.yaml': submariner(),
        'east/coredns.yaml': dnsConfigMap('{{ .Values.corefile }}'),
        'west/coredns.yaml': dnsConfigMap('}}} {{{ forward\n"unterminated'),
        'north/coredns.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: [1, 2]\n',
      },
    },
  ],
  invalid: [
    {
      name: "Lighthouse, but the repository's coredns ConfigMap lacks the operator's block (a sync removes it)",
      files: { 'east/sub.yaml': submariner(), 'east/coredns.yaml': dnsConfigMap(ROOT) },
      findings: [
        {
          file: 'east/coredns.yaml',
          ...COREFILE,
          severity: 1,
          cluster: 'east',
          messageId: 'missingForward',
          data: { cluster: 'east', configMap: 'coredns', domain: 'clusterset.local' },
          related: [{ file: 'east/sub.yaml', ...CR, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'clusterset.local forwarded to another address than the Lighthouse DNS ClusterIP',
      files: { 'east/sd.yaml': serviceDiscovery, 'east/svc.yaml': lighthouseService('10.96.200.7'), 'east/coredns.yaml': dnsConfigMap(patched('10.96.0.99')) },
      findings: [
        {
          file: 'east/coredns.yaml',
          ...COREFILE,
          severity: 2,
          messageId: 'forwardElsewhere',
          data: { cluster: 'east', domain: 'clusterset.local', targets: '10.96.0.99', line: 3, clusterIP: '10.96.200.7' },
          related: [{ file: 'east/svc.yaml', ...CLUSTER_IP, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'plugins stock CoreDNS lacks, with or without Lighthouse',
      files: {
        'west/coredns.yaml': dnsConfigMap(ROOT.replace('    cache 30', '    lighthouse\n    federation cluster.local {\n        prod prod.example.com\n    }\n    cache 30')),
      },
      findings: [
        {
          file: 'west/coredns.yaml',
          ...COREFILE,
          severity: 2,
          cluster: 'west',
          messageId: 'unknownPlugin',
          message: ['"lighthouse"'],
          data: { plugin: 'lighthouse', line: 9, configMap: 'coredns' },
          related: [],
        },
        { file: 'west/coredns.yaml', ...COREFILE, messageId: 'unknownPlugin', message: ['"federation"'], data: { plugin: 'federation', line: 10 } },
      ],
    },
    {
      name: 'NodeLocal DNSCache without a clusterset.local block sends the domain to the upstream resolvers',
      files: { 'east/sub.yaml': submariner(), 'east/coredns.yaml': dnsConfigMap(patched('10.96.200.7')), 'east/node-local.yaml': dnsConfigMap(NODE_LOCAL, 'node-local-dns') },
      findings: [{ file: 'east/node-local.yaml', ...COREFILE, messageId: 'missingForward', data: { configMap: 'node-local-dns' } }],
    },
    {
      name: 'an imported snippet is part of the Corefile: it does not hide a missing forward',
      files: { 'east/sub.yaml': submariner(), 'east/coredns.yaml': dnsConfigMap(`(common) {\n    errors\n}\n${ROOT.replace('    cache 30', '    import common\n    cache 30')}`) },
      findings: [{ file: 'east/coredns.yaml', ...COREFILE, messageId: 'missingForward', data: { domain: 'clusterset.local' } }],
    },
    {
      name: 'the domain option: the configured domain is not forwarded',
      files: {
        'mclint.config.yaml': 'rules:\n  lighthouse-dns: [error, { domain: supercluster.local }]\n',
        'east/sub.yaml': submariner(),
        'east/coredns.yaml': dnsConfigMap(patched('10.96.200.7')),
      },
      findings: [{ file: 'east/coredns.yaml', ...COREFILE, messageId: 'missingForward', data: { domain: 'supercluster.local' } }],
    },
  ],
});

describe('fixtures/coredns-lighthouse (Submariner clusters whose CoreDNS is managed by GitOps)', () => {
  it('reports the missing forwards and the lighthouse plugin in stock CoreDNS, each at its Corefile', async () => {
    const root = resolve(import.meta.dirname, '..', '..', 'fixtures', 'coredns-lighthouse');
    const result = await lint({ dirs: [root], rules: [rule] });
    const rel = (f: string) => relative(root, f).split('\\').join('/');
    const found = result.findings.map((f) => `${rel(f.file)}:${f.line}:${f.column} ${f.messageId} ${f.related.map((r) => `${rel(r.file)}:${r.line}:${r.column}`).join(' ')}`);
    expect(found.sort()).toEqual(
      [
        'cluster-b/coredns.yaml:10:13 missingForward cluster-b/submariner.yaml:1:1',
        'cluster-c/coredns.yaml:8:13 missingForward cluster-c/submariner.yaml:1:1',
        'cluster-c/coredns.yaml:8:13 unknownPlugin ',
      ].sort(),
    );
  });
});
