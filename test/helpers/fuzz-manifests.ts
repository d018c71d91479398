/**
 * fast-check arbitraries for the fuzz step (test/fuzz.property.test.ts): ClusterSets of 1–4 clusters,
 * each with 1–3 files of 1–3 YAML documents — Submariner, ServiceExport/Service, Istio
 * (DestinationRule, VirtualService, ServiceEntry, Gateway, IstioOperator), Namespaces and arbitrary
 * mappings — with realistic values mixed with hostile scalars (placeholders, Helm braces, workflow
 * commands, ANSI escapes, bidi controls, bad CIDRs, huge numbers), then text mutations (truncation,
 * duplicate keys and lines, tabs, CRLF/CR, BOM, NUL, deep nesting, alias fans, merge keys, scalar and
 * list documents, garbage). Everything is written by `writeClusterSet`; nothing is copied from a corpus.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';

/** One generated file: its name inside the cluster folder and its text. */
export interface GenFile {
  readonly name: string;
  readonly text: string;
}

/** One generated cluster folder. */
export interface GenCluster {
  readonly name: string;
  readonly files: readonly GenFile[];
}

/** Scalars that have broken parsers and reporters before (issue 17) or that look like something else. */
export const HOSTILE_SCALARS: readonly string[] = [
  '${CLUSTER_CIDR}',
  '${${${x}}}',
  '{{ .Values.cidr }}',
  '{{',
  '}}',
  '',
  '~',
  'null',
  '.nan',
  '.inf',
  '1e400',
  '-0',
  '0x1F',
  'yes',
  '999.0.0.0/8',
  '10.0.0.0/33',
  '10.0.0.0/8',
  '::/0',
  'fd00::/8',
  'a\n::error file=x.yaml,line=1::FAKE',
  '::warning::FAKE',
  'x ##[stop-commands]tok',
  '\u001b[31mred\u001b]8;;https://evil.example\u001b\\link',
  'x\u009b31m\u0085y',
  '50%0A%25',
  'ok\u202eevil',
  'tab\there',
  'nul\u0000byte',
  '*alias',
  '&anchor',
  '- a',
  'key: value',
  '"',
  "'",
  '#',
  'x'.repeat(300),
  '\u00e9\u4e2d\ud83d\ude00',
];

const hostile = fc.constantFrom(...HOSTILE_SCALARS);
const anyText = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
/** A value for any field: mostly `real`, sometimes hostile, sometimes of the wrong type. */
const value = <T>(real: fc.Arbitrary<T>) =>
  fc.oneof(
    { arbitrary: real, weight: 6 },
    { arbitrary: hostile, weight: 2 },
    { arbitrary: fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostile, { maxLength: 3 }), anyText), weight: 1 },
  );

const cidr = value(fc.constantFrom('10.0.0.0/16', '10.1.0.0/16', '10.96.0.0/12', '10.0.0.0/8', '242.0.0.0/16', '192.168.0.0/24', 'fd00::/48', '10.0.0.0/16,fd00::/48'));
const name = value(fc.constantFrom('web', 'api', 'db', 'reviews', 'istio-eastwestgateway'));
const namespace = value(fc.constantFrom('default', 'apps', 'istio-system', 'kube-system', 'submariner-operator'));
const host = value(fc.constantFrom('web.apps.svc.cluster.local', 'api.apps.svc.clusterset.local', '*.global', 'example.com', 'reviews'));
const port = value(fc.constantFrom(80, 443, 8080, 15443, 0, 65536));
const meta = fc.record({ name, namespace });

const submariner = fc.record({
  apiVersion: fc.constant('submariner.io/v1alpha1'),
  kind: fc.constant('Submariner'),
  metadata: fc.record({ name: fc.constant('submariner'), namespace: fc.constant('submariner-operator') }),
  spec: fc.record({ clusterCIDR: cidr, serviceCIDR: cidr, globalCIDR: cidr, clusterID: name, broker: fc.constant('k8s'), natEnabled: value(fc.boolean()) }, { requiredKeys: [] }),
});
const serviceExport = fc.record({ apiVersion: fc.constant('multicluster.x-k8s.io/v1alpha1'), kind: fc.constant('ServiceExport'), metadata: meta });
const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: meta,
  spec: fc.record(
    {
      type: value(fc.constantFrom('ClusterIP', 'LoadBalancer', 'ExternalName')),
      ports: fc.array(fc.record({ port, name: value(fc.constantFrom('http', 'tls', 'grpc')), protocol: value(fc.constantFrom('TCP', 'UDP')) }, { requiredKeys: ['port'] }), {
        maxLength: 3,
      }),
      selector: fc.record({ app: name }),
      clusterIP: value(fc.constantFrom('10.96.0.10', 'None')),
    },
    { requiredKeys: [] },
  ),
});
const istioMeta = { apiVersion: fc.constantFrom('networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'), metadata: meta };
const destinationRule = fc.record({
  ...istioMeta,
  kind: fc.constant('DestinationRule'),
  spec: fc.record(
    {
      host,
      trafficPolicy: fc.record({ tls: fc.record({ mode: value(fc.constantFrom('ISTIO_MUTUAL', 'DISABLE', 'SIMPLE')) }) }),
      subsets: fc.array(fc.record({ name, labels: fc.record({ version: name }) }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
});
const virtualService = fc.record({
  ...istioMeta,
  kind: fc.constant('VirtualService'),
  spec: fc.record(
    {
      hosts: fc.array(host, { maxLength: 2 }),
      gateways: fc.array(name, { maxLength: 2 }),
      http: fc.array(
        fc.record({ route: fc.array(fc.record({ destination: fc.record({ host, subset: name, port: fc.record({ number: port }) }, { requiredKeys: [] }) }), { maxLength: 2 }) }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  ),
});
const serviceEntry = fc.record({
  ...istioMeta,
  kind: fc.constant('ServiceEntry'),
  spec: fc.record(
    {
      hosts: fc.array(host, { maxLength: 2 }),
      addresses: fc.array(cidr, { maxLength: 2 }),
      ports: fc.array(fc.record({ number: port, name: value(fc.constantFrom('http', 'tls')), protocol: value(fc.constantFrom('HTTP', 'TLS', 'TCP')) }), { maxLength: 2 }),
      location: value(fc.constantFrom('MESH_INTERNAL', 'MESH_EXTERNAL')),
      resolution: value(fc.constantFrom('DNS', 'STATIC', 'NONE')),
    },
    { requiredKeys: [] },
  ),
});
const gateway = fc.record({
  ...istioMeta,
  kind: fc.constant('Gateway'),
  spec: fc.record({
    selector: fc.record({ istio: value(fc.constantFrom('eastwestgateway', 'ingressgateway')) }),
    servers: fc.array(
      fc.record({
        port: fc.record({ number: port, name: name, protocol: value(fc.constantFrom('TLS', 'HTTPS')) }),
        hosts: fc.array(host, { maxLength: 2 }),
        tls: fc.record({ mode: value(fc.constantFrom('AUTO_PASSTHROUGH', 'ISTIO_MUTUAL')) }),
      }),
      { maxLength: 2 },
    ),
  }),
});
const istioOperator = fc.record({
  apiVersion: fc.constant('install.istio.io/v1alpha1'),
  kind: fc.constant('IstioOperator'),
  metadata: meta,
  spec: fc.record({ values: fc.record({ global: fc.record({ meshID: name, network: name, multiCluster: fc.record({ clusterName: name }) }, { requiredKeys: [] }) }) }),
});
const namespaceObject = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Namespace'),
  metadata: fc.record({ name: namespace, labels: fc.record({ 'topology.istio.io/network': name }, { requiredKeys: [] }) }),
});
/** Any mapping, sometimes with an apiVersion/kind, keys and values arbitrary. */
const mapping = fc.dictionary(fc.oneof(fc.constantFrom('apiVersion', 'kind', 'metadata', 'spec', 'data'), anyText), value(anyText), { maxKeys: 5 });

/** One YAML document as text (the `yaml` package's stringify of a generated object). */
const document = fc
  .oneof(submariner, serviceExport, service, destinationRule, virtualService, serviceEntry, gateway, istioOperator, namespaceObject, mapping)
  .map((o) => stringify(o, { lineWidth: 0 }));

/** A text mutation: (text, parameters drawn by fast-check) → mutated text. */
type Mutation = (text: string, r: number, extra: string) => string;

const lines = (text: string) => text.split('\n');
const at = (list: readonly string[], r: number) => Math.min(list.length - 1, Math.floor(r * list.length));

const MUTATIONS: readonly Mutation[] = [
  (t, r) => t.slice(0, Math.floor(r * t.length)), // truncate
  (t, r) => {
    const l = lines(t);
    const i = at(l, r);
    l.splice(i, 0, l[i]); // duplicate a line: duplicate keys, repeated items
    return l.join('\n');
  },
  (t, r) => {
    const l = lines(t);
    l.splice(at(l, r), 1); // delete a line
    return l.join('\n');
  },
  (t, r) => {
    const l = lines(t);
    const i = at(l, r);
    l[i] = l[i].replace(/^ +/, '\t'); // a tab in the indentation
    return l.join('\n');
  },
  (t) => t.replace(/\n/g, '\r\n'),
  (t) => t.replace(/\n/g, '\r'),
  (t) => `\ufeff${t}`,
  (t, r) => `${t.slice(0, Math.floor(r * t.length))}\u0000${t.slice(Math.floor(r * t.length))}`,
  (t, r, x) => `${t.slice(0, Math.floor(r * t.length))}${x}${t.slice(Math.floor(r * t.length))}`, // garbage
  (t, r) => {
    const depth = 1 + Math.floor(r * 1500);
    return `${t}---\nnested: ${'['.repeat(depth)}${']'.repeat(r < 0.5 ? depth : depth - 1)}\n`;
  },
  (t, r) => {
    const depth = 1 + Math.floor(r * 300);
    return `${t}---\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} v\n`;
  },
  (t, r) => {
    const levels = 1 + Math.floor(r * 8);
    let doc = 'a0: &a0 [x, x, x]\n';
    for (let i = 1; i <= levels; i++) doc += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
    return `${t}---\n${doc}`;
  },
  (t) => `${t}---\nbase: &b {apiVersion: v1, kind: Service}\nmerged:\n  <<: *b\n  <<: *b\n`,
  (t, r) => `${t}${r < 0.33 ? '--- 42\n' : r < 0.66 ? '--- [1, 2]\n' : '--- !!binary aGVsbG8=\n'}`,
  (t, r, x) => {
    const l = lines(t);
    const i = at(l, r);
    l[i] = l[i].replace(/: .*$/, `: ${x}`); // replace a scalar with raw text (unquoted)
    return l.join('\n');
  },
  (t, r) => `${t}---\n${Array.from({ length: 1 + Math.floor(r * 50) }, () => 'dup: 1').join('\n')}\n`,
];

const mutation = fc.record({ index: fc.nat({ max: MUTATIONS.length - 1 }), r: fc.double({ min: 0, max: 1, noNaN: true }), extra: fc.oneof(hostile, anyText) });

/** A file's text: 1–3 documents, then 0–2 mutations (none in about half of the files). */
const fileText = fc
  .tuple(fc.array(document, { minLength: 1, maxLength: 3 }), fc.oneof(fc.constant([]), fc.array(mutation, { minLength: 1, maxLength: 2 })))
  .map(([docs, mutations]) => mutations.reduce((t, m) => MUTATIONS[m.index](t, m.r, m.extra), docs.join('---\n')));

const fileName = fc.constantFrom('a.yaml', 'b.yml', 'svc.yaml', 'mesh.yaml', 'sp ace.yaml', '\u00fc.yaml', '::error::x.yaml', 'n\nl.yaml', '%0A.yaml');

/** 1–3 files with distinct names. */
const files = fc.uniqueArray(fc.record({ name: fileName, text: fileText }), { minLength: 1, maxLength: 3, selector: (f) => f.name });

/** A ClusterSet: 1–4 clusters with distinct names (plain-object keys among them). */
export const clusterSet: fc.Arbitrary<GenCluster[]> = fc.uniqueArray(fc.record({ name: fc.constantFrom('east', 'west', 'c-1', 'toString', 'constructor'), files }), {
  minLength: 1,
  maxLength: 4,
  selector: (c) => c.name,
});

/**
 * Writes a ClusterSet under `root/clusters/<cluster>/<file>`, files in the given order or reversed,
 * every file name with `prefix` in front. Returns the written paths with their texts.
 */
export function writeClusterSet(root: string, set: readonly GenCluster[], options: { reverse?: boolean; prefix?: string } = {}): Map<string, string> {
  const written = new Map<string, string>();
  const clusters = options.reverse ? [...set].reverse() : set;
  for (const c of clusters) {
    const dir = join(root, 'clusters', c.name);
    mkdirSync(dir, { recursive: true });
    for (const f of options.reverse ? [...c.files].reverse() : c.files) {
      const path = join(dir, `${options.prefix ?? ''}${f.name}`);
      writeFileSync(path, f.text);
      written.set(path, f.text);
    }
  }
  return written;
}
