// The JSON Schemas of the Istio kinds mclint reads (networking.istio.io DestinationRule,
// VirtualService, ServiceEntry, WorkloadEntry, Gateway), taken from the `@kubernetes-models/istio`
// package, which generates them from Istio's CRDs. Used by compile-schemas.mjs at build time only.
//
// Four adjustments:
// - `metadata` points at mclint's ObjectMeta schema (the package refers to its own registry).
// - Only the fields the rules read keep their full schema (`READ`); every other field keeps its
//   type (and enum) but not its contents. The full schemas compile to ~700 KB of validator code,
//   which costs a pre-commit run more than all the rest; the pruned ones to a fraction of that.
// - Istio's CRDs list every field (kubectl's strict field validation rejects unknown ones), but
//   the package's schemas leave objects open. The objects the rules read are closed here, so a
//   typo like `localityLbSeting` is reported. Only objects whose field list has not grown since
//   the package's Istio version are closed; `loadBalancer` gets the later `warmup` field. Every
//   other object stays open, so a field added by a newer Istio is never reported as unknown.
// - Enum values a later Istio added are allowed too (`LATER_ENUM_VALUES`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@kubernetes-models/istio/package.json'));

const OBJECT_META = 'https://mclint.dev/schemas/k8s/ObjectMeta';

/** The kinds read, and the property names whose object value (or list item) is closed. */
const KINDS = {
  DestinationRule: ['spec', 'subsets', 'loadBalancer', 'localityLbSetting', 'distribute', 'failover'],
  VirtualService: ['spec', 'route', 'destination', 'mirror'],
  Gateway: ['spec', 'servers', 'port'],
  ServiceEntry: ['spec', 'ports', 'endpoints'],
  WorkloadEntry: ['spec'],
};

/** Property names whose schema is kept in full (the fields fact sources read, and their parents). */
const READ = new Set([
  // DestinationRule
  'spec',
  'host',
  'exportTo',
  'subsets',
  'name',
  'labels',
  'trafficPolicy',
  'loadBalancer',
  'localityLbSetting',
  'distribute',
  'failover',
  'failoverPriority',
  'from',
  'to',
  'enabled',
  'portLevelSettings',
  'port',
  'number',
  'workloadSelector',
  'matchLabels',
  // VirtualService
  'hosts',
  'gateways',
  'http',
  'tcp',
  'tls',
  'route',
  'destination',
  'subset',
  'weight',
  'mirror',
  'mirrors',
  // Gateway, ServiceEntry, WorkloadEntry
  'selector',
  'servers',
  'protocol',
  'mode',
  'endpoints',
  'ports',
  'network',
  'locality',
  'address',
]);

/** A field's schema reduced to its type (nullable, enum): what is left of fields no rule reads. */
function shallow(node) {
  const out = {};
  for (const k of ['type', 'nullable', 'enum', 'format']) if (node[k] !== undefined) out[k] = node[k];
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object' && node.additionalProperties.type) {
    out.additionalProperties = { type: node.additionalProperties.type };
  }
  return out;
}

/** Prunes the properties of `node` (recursively) to `READ`, dropping mutual-exclusion constructs. */
function prune(node) {
  if (typeof node !== 'object' || node === null) return;
  for (const k of ['oneOf', 'anyOf', 'allOf', 'not']) delete node[k];
  if (node.items) prune(node.items);
  if (node.properties) {
    for (const [k, v] of Object.entries(node.properties)) {
      if (READ.has(k)) prune(v);
      else node.properties[k] = shallow(v);
    }
  }
}

/**
 * Hoists subschemas that occur more than once (a TrafficPolicy at the top level and in every
 * subset, a LoadBalancerSettings at port level...) into `definitions`, so ajv generates their
 * validator once.
 */
function hoist(schema) {
  const counts = new Map();
  const count = (node) => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(count);
    if (node.properties) {
      const key = JSON.stringify(node);
      if (key.length > 300) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const v of Object.values(node)) count(v);
  };
  count(schema.properties.spec);
  const names = new Map();
  schema.definitions = {};
  const replace = (node) => {
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) return node.map(replace);
    if (node.properties) {
      const key = JSON.stringify(node);
      if ((counts.get(key) ?? 0) > 1) {
        if (!names.has(key)) {
          const name = `d${names.size}`;
          names.set(key, name);
          schema.definitions[name] = Object.fromEntries(
            Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, x]) => [p, replace(x)])) : v]),
          );
        }
        return { $ref: `#/definitions/${names.get(key)}` };
      }
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, x]) => [p, replace(x)])) : replace(v)]));
  };
  schema.properties.spec = replace(schema.properties.spec);
}

/** Fields Istio added after the package's CRD version, by the property that holds them. */
const LATER_FIELDS = {
  // LoadBalancerSettings.warmup (WarmupConfiguration), Istio 1.24.
  loadBalancer: { warmup: { type: 'object', nullable: true } },
};

/**
 * Enum values Istio added after the package's CRD version, by kind and the property holding the
 * enum: the Gateway's server `tls.mode` `OPTIONAL_MUTUAL` (Istio 1.19, `ServerTLSSettings`), and
 * ServiceEntry `resolution: DYNAMIC_DNS` (a later Istio's ambient-mode resolution). An enum value a
 * newer Istio accepts must never be reported.
 */
const LATER_ENUM_VALUES = {
  Gateway: { mode: ['OPTIONAL_MUTUAL'] },
  ServiceEntry: { resolution: ['DYNAMIC_DNS'] },
};

/** Adds `LATER_ENUM_VALUES[kind]` to the enums of the properties they name, recursively. */
function widenEnums(node, later, key) {
  if (Array.isArray(node)) return node.forEach((n) => widenEnums(n, later, key));
  if (typeof node !== 'object' || node === null) return;
  if (key !== undefined && later[key] && Array.isArray(node.enum)) for (const v of later[key]) if (!node.enum.includes(v)) node.enum.push(v);
  if (node.properties) for (const [k, v] of Object.entries(node.properties)) widenEnums(v, later, k);
  if (node.items) widenEnums(node.items, later, key);
  for (const k of ['oneOf', 'anyOf', 'allOf']) if (node[k]) widenEnums(node[k], later, key);
}

/** The `const schema = {...}` literal of one generated model file (pure JSON). */
function packageSchema(version, kind) {
  const text = readFileSync(join(packageDir, 'networking.istio.io', version, `${kind}.mjs`), 'utf8');
  const start = text.indexOf('const schema = ');
  const end = text.indexOf(';\nexport class');
  if (start < 0 || end < 0) throw new Error(`${version}/${kind}: unexpected layout of @kubernetes-models/istio`);
  return JSON.parse(text.slice(start + 'const schema = '.length, end));
}

/** Closes the objects held by the `closed` property names, recursively. */
function close(node, closed, key) {
  if (Array.isArray(node)) return node.forEach((n) => close(n, closed, key));
  if (typeof node !== 'object' || node === null) return;
  if (node.type === 'array' && node.items) {
    close(node.items, closed, key);
    return;
  }
  if (node.properties) {
    if (LATER_FIELDS[key]) Object.assign(node.properties, LATER_FIELDS[key]);
    if (closed.has(key) && Object.keys(node.properties).length > 0 && node.additionalProperties === undefined) {
      node.additionalProperties = false;
    }
    for (const [k, v] of Object.entries(node.properties)) close(v, closed, k);
  }
  for (const k of ['oneOf', 'anyOf', 'allOf']) if (node[k]) close(node[k], closed, key);
}

/** The API versions served; Istio serves one schema under all of them (checked below). */
export const ISTIO_NETWORKING_VERSIONS = ['v1alpha3', 'v1beta1', 'v1'];

/**
 * The Istio schemas as `{ name, schema, kind }` (name: `networkingIstioIoDestinationRule`), one per
 * kind for every served version, each with an `$id` under mclint.dev.
 * @throws Error when the package's v1alpha3 and v1beta1 schemas of a kind differ
 */
export function istioSchemas() {
  const out = [];
  for (const [kind, closedKeys] of Object.entries(KINDS)) {
    const schema = packageSchema('v1beta1', kind);
    const alpha = packageSchema('v1alpha3', kind);
    delete alpha.properties.apiVersion;
    if (JSON.stringify({ ...schema, properties: { ...schema.properties, apiVersion: undefined } }) !== JSON.stringify(alpha)) {
      throw new Error(`${kind}: the v1alpha3 and v1beta1 schemas differ; compile them separately`);
    }
    schema.$id = `https://mclint.dev/schemas/networking.istio.io/${kind}`;
    schema.properties.apiVersion = { type: 'string', enum: ISTIO_NETWORKING_VERSIONS.map((v) => `networking.istio.io/${v}`) };
    schema.properties.metadata = { $ref: OBJECT_META };
    prune(schema.properties.spec);
    widenEnums(schema.properties.spec, LATER_ENUM_VALUES[kind] ?? {}, 'spec');
    close(schema.properties.spec, new Set(closedKeys), 'spec');
    hoist(schema);
    out.push({ name: `networkingIstioIo${kind}`, schema, kind });
  }
  return out;
}
