/**
 * Messages people read (issue 15, point 5): every `meta.messages` entry of every rule, filled with
 * representative data, is one short sentence — what is wrong, naming the clusters and values — and
 * leaves the detail (what the controller will do, how to fix it) to its `hint`
 * (CONTRIBUTING.md "The contract"; ESLint's `meta.messages` are one sentence each too).
 *
 * The representative values below are typical of what the rule tests produce (test/rules/*.test.ts):
 * realistic cluster, namespace and object names, one or two list items where a value is a list.
 * A rule that adds a placeholder adds its value here, so the new message is checked as well.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { fillTemplate } from '../src/engine/messages.js';

/** The longest a filled message may be, in characters (about two lines of an 80-column terminal, hint not counted). */
const MAX_MESSAGE = 200;

const CA = '"Corp Root CA" (SHA-256 CB:B9:D3:F8:6A:A5:12:37)';

/** A typical value for each placeholder name used by a rule message. */
const REPRESENTATIVE: Readonly<Record<string, string | number>> = {
  actual: 'cluster.local',
  address: 'istiod.istio-system.svc',
  addresses: 65536,
  anchors: CA,
  appProtocol: 'kubernetes.io/h2c',
  available: 65536,
  basis: 'Cluster "prod-east" has Links for prod-west.',
  because: 'Namespace annotation clustermesh.cilium.io/global',
  behaviours: 'service type is inconsistent (NodePort here, ClusterIP in the other cluster)',
  ca: CA,
  cidr: '10.244.0.0/16',
  cidrs: '10.96.0.0/12',
  claim: 'ClusterProperty cluster.clusterset.k8s.io "prod-east"',
  cluster: 'prod-east',
  clusterID: 'prod-west',
  clusterIP: '10.96.200.7',
  clusterName: 'prod-west',
  clusters: '"prod-east", "prod-west"',
  clusterSize: '65536 (default)',
  common: '["IPv4"]',
  configMap: 'coredns',
  count: 2,
  declared: '"east.example.org", "west.example.org"',
  default: ' (default)',
  defaulted: " (Linkerd's default)",
  defined: 'subsets "v1", "v2"',
  destinationRule: 'shop/reviews',
  dnsName: 'checkout.shop.svc.clusterset.local',
  domain: 'clusterset.local',
  effect: 'the DestinationRule applies to no service: its subsets and traffic policy have no effect',
  enabledField: 'Broker spec.globalnetEnabled in clusters/broker/broker.yaml',
  enabled: 'false',
  encapsulation: 'VXLAN',
  entries: 'ServiceEntry "default/api-a" (TLS) in cluster "prod-east", ServiceEntry "shop/api-b" (HTTPS) in cluster "prod-east"',
  entry: 'openshift',
  error: 'no more allocations available in "242.0.0.0/16"',
  errors: '[must be no more than 63 characters]',
  evidence: 'Submariner CR in clusters/prod-west/submariner.yaml',
  existing: 'prod-west',
  expected: 'linkerd-multicluster',
  export: '"shop/checkout"',
  exported: 'shop/checkout',
  exporters: '"prod-east"',
  exportTo: 'workloadSelector',
  extra: 'http 8080/TCP',
  failure: 'clustermesh.apiserver.tls.ca.cert was removed in v1.15',
  field: 'Node "worker-1" spec.podCIDR',
  file: 'clusters/prod-east/service.yaml',
  files: 'west.etcd-client-ca.crt, west.etcd-client.key, west.etcd-client.crt',
  first: 'network1',
  firstCluster: 'prod-east',
  firstOrigin: 'kube-prometheus-stack Prometheus',
  fits: 1,
  fixRole: 'service CIDR',
  fqdn: 'reviews.shop.svc.cluster.local',
  from: 'region1',
  gateway: 'Gateway "istio-system/cross-network-gateway"',
  gatewayHosts: 'none for this namespace',
  global: 'service.cilium.io/global',
  globalCIDR: '242.1.0.0/16',
  hiddenBy: 'Service "shop/details" in cluster "prod-west"',
  host: 'reviews.shop.svc.cluster.local',
  hosts: '"shop.example.com"',
  id: 300,
  identity: 'prod-west',
  import: '"shop/checkout"',
  ipFamilies: '["IPv6"]',
  issuer: '"Corp Intermediate east" (SHA-256 7E:22:34:AD:EE:43:C4:5C)',
  istio: 'Istio IST0174 (DestinationRule host matches no service in the mesh): ',
  istioNamespace: 'istio-system',
  key: 'service.cilium.io/shared',
  kind: 'Deployment',
  known: '"region1/zone1", "region2/zone2"',
  label: 'mirror.linkerd.io/exported',
  labels: 'cluster="prod", region="eu"',
  length: 64,
  level: 'top level',
  line: 9,
  link: 'linkerd-multicluster/prod-west',
  locality: 'region1/zone1',
  localRole: 'Service',
  max: 255,
  members: 'prod-east, prod-west',
  meshID: 'mesh1',
  meshIDs: '"east-mesh" in "prod-east", "west-mesh" in "prod-west"',
  method: 'cronJob',
  mirror: 'shop/checkout-prod-west',
  missing: '"prod-west"',
  name: 'checkout',
  nameOrigin: 'config clusters[].name',
  namespace: 'shop',
  network: 'network1',
  networks: '"network1"',
  number: '8080/TCP',
  object: 'Deployment "shop/checkout"',
  ofKind: 1,
  origin: 'Submariner spec.clusterCIDR',
  other: 'prod-west',
  otherCidr: '10.244.0.0/16',
  otherOrigin: 'Submariner spec.clusterCIDR in clusters/prod-west/submariner.yaml',
  others: '"prod-west"',
  otherValue: 'prod',
  outside: '"other"',
  owner: 'VirtualService "shop/web"',
  ownerKind: 'DestinationRule',
  parent: 'networking',
  part: 'region code',
  parts: 3,
  pattern: '^[a-z]+-[a-z]+-[0-9]+$',
  peer: 'prod-west',
  placement: 'checkout',
  plugin: 'lighthouse',
  podCIDR: '10.2.0.0/16',
  podCIDRs: '10.1.0.0/16',
  podOrigin: 'Cilium values ipam.operator.clusterPoolIPv4PodCIDRList in clusters/prod-west/cilium-values.yaml',
  policy: 'CiliumNetworkPolicy "shop/allow-cross-cluster"',
  pool: 'default-ipv4-ippool',
  port: '8080/TCP',
  portName: 'http',
  ports: '15021, 443',
  portText: 'http 81/TCP',
  precedence: 'whose ServiceExport is the oldest (creationTimestamp 2024-01-01T00:00:00Z)',
  prefix: 16,
  present: 'version=v1; version=v2',
  preset: 'env-region-purpose-nn',
  primaries: '"primary"',
  primary: 'primary',
  primaryMeshID: 'mesh1',
  problem: '"metadata.labels.version" must be string',
  property: 'trafficDistribution',
  protocols: 'HTTP, TLS',
  range: '242.0.0.0/8',
  reason: 'multiple region spread constraints are not allowed',
  refCluster: 'prod-east',
  reference: 'corp.example',
  referenceCA: CA,
  referenceCidrs: '10.244.0.0/16',
  referenceCluster: 'prod-east',
  referenceField: 'kubeadm networking.podSubnet',
  referenceOrigin: 'kubeadm networking.podSubnet in clusters/prod-west/kubeadm.yaml',
  referenceRoot: CA,
  referrer: 'HTTPRoute "store/store-route"',
  refSubsets: 'subsets "v1" (version=v1), "v2" (version=v2)',
  refusal: 'cluster size 40000, should be <= 32768',
  registries: '"primary"',
  remote: 'prod-west',
  remoteCidr: '10.97.0.0/16',
  remoteOrigin: 'Submariner spec.clusterCIDR in clusters/prod-west/submariner.yaml',
  remoteSubnets: '[172.17.0.0/16 10.0.0.0/16]',
  renamed: '"prod-west" names 80/TCP "web"',
  replacement: 'ipv4NativeRoutingCIDR',
  resolves: 'names no exported Service',
  role: 'pod CIDR',
  root: CA,
  rounded: 65536,
  route: 'http[0]',
  rule: 'DestinationRule "shop/reviews"',
  s: 's',
  searched: '"prod-east", "prod-west"',
  secret: 'istio-remote-secret-prod-west',
  selector: 'istio=eastwestgateway',
  server: 'https://127.0.0.1:6443',
  service: 'Service "shop/checkout"',
  serviceNamespace: 'shop',
  services: '"istio-system/istio-eastwestgateway"',
  set: 'staging',
  setting: 'network',
  shared: 'service.cilium.io/shared',
  signing: '"Corp Intermediate B" (SHA-256 54:D1:24:D9:D5:5E:17:2B)',
  since: '1.15',
  size: 65536,
  source: 'prod-east',
  subset: 'v3',
  subsets: 'subsets "v1" (version=v1)',
  suggestion: 'kubeProxyReplacement',
  target: 'prod-west',
  targetAnchors: CA,
  targetClusterName: 'prod-west',
  targetPort: 8080,
  targets: '10.96.0.99',
  times: ' (named 2 times)',
  tool: '`kind create cluster`',
  total: 120,
  trustDomain: 'prod.example.org',
  type: 'ExternalName',
  value: 'prod-west',
  variants: 1,
  variantsNote: '',
  verb: 'routes to',
  version: '~1.15.0',
  versions: 2,
  via: 'spec.backends[0].service',
  virtualService: 'shop/reviews',
  weight: 120,
  what: 'Pod CIDR',
  where: 'no CoreDNS release since 1.7.0',
  why: 'does not export Service "shop/checkout"',
  winner: 'prod-east',
  winnerAppProtocol: 'grpc',
  winnerName: 'http',
  winnerPort: '8080/TCP',
  winnerValue: 'Headless',
  workloads: '"istio-system/istio-eastwestgateway"',
  written: '10.0.128.0/17',
};

/** Values that mean something else in one rule's messages than in the others'. */
const PER_RULE: Readonly<Record<string, Readonly<Record<string, string | number>>>> = {
  'cilium-clustermesh-ca': { field: 'Cilium values tls.ca.cert', reference: 'prod-west' },
  'istio-remote-secret': { reason: 'a loopback' },
  'istio-service-consistency': { service: 'shop/checkout' },
  'istio-serviceentry-conflict': { host: 'api.example.com', port: 443 },
  'linkerd-link': { actual: 'prod.example', expected: 'cluster.local' },
  'cilium-values': { key: 'kubeProxyReplacment' },
};

/** Abbreviations whose dot does not end a sentence. */
const ABBREVIATIONS = /\b(e\.g|i\.e|etc|vs)\./g;

/**
 * The sentence breaks inside a message: a `.`, `!`, `?` or `;` (optionally followed by a closing
 * quote or parenthesis) followed by white space. A dot inside a value (`cluster.local`, `1.15`) is
 * followed by no space and is not a break.
 */
function sentenceBreaks(text: string): string[] {
  return [...text.replace(ABBREVIATIONS, '$1').matchAll(/[.!?;]["')]?\s+\S{0,20}/g)].map((m) => m[0]);
}

const messages = RULES.flatMap((rule) => Object.entries(rule.meta.messages ?? {}).map(([id, m]) => ({ rule: rule.meta.id, id, ...m })));

describe('sentenceBreaks', () => {
  it.each([
    ['Cluster "a" overlaps cluster "b".', []],
    ['Cluster "a" uses cluster.local (e.g. "b").', []],
    ['Cluster "a" is bad; the mesh also spans "b".', ['; the']],
    ['Cluster "a" is bad. Fix it.', ['. Fix']],
    ['Cluster "a" is bad (see "b".) Fix it.', ['.) Fix']],
    ['Key foo is unknown (did you mean bar?).', []],
  ])('%j', (text, breaks) => {
    expect(sentenceBreaks(text)).toEqual(breaks);
  });
});

describe('every rule message, filled with representative data', () => {
  it('covers every rule that has messages (all 43)', () => {
    expect(new Set(messages.map((m) => m.rule)).size).toBe(RULES.length);
  });

  it.each(messages.map((m) => [`${m.rule}/${m.id}`, m] as const))('%s is one short sentence', (where, m) => {
    const names = [...m.text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((x) => x[1]);
    expect(
      names.filter((n) => REPRESENTATIVE[n] === undefined),
      `add a representative value for these placeholders of ${where}`,
    ).toEqual([]);
    const data = { ...REPRESENTATIVE, ...PER_RULE[m.rule] };
    const text = fillTemplate(m.text, data, where);
    expect(text, 'starts with a capital letter, a quote or a placeholder value').toMatch(/^\S/);
    expect(text).not.toMatch(/\s$/);
    expect(sentenceBreaks(text), `${text}\nmore than one sentence: move the rest into the hint`).toEqual([]);
    expect(text.length, `${text}\nis longer than ${MAX_MESSAGE} characters`).toBeLessThanOrEqual(MAX_MESSAGE);
    if (m.hint !== undefined) {
      const hint = fillTemplate(m.hint, data, where);
      expect(hint).not.toMatch(/^\s|\s$/);
      expect(hint.length).toBeGreaterThan(0);
    }
  });
});
