// The JSON Schemas of the Istio kinds mclint reads (networking.istio.io DestinationRule,
// VirtualService, ServiceEntry, WorkloadEntry, Gateway), taken from the `@kubernetes-models/istio`
// package, which generates them from Istio's CRDs. Used by compile-schemas.mjs at build time only.
//
// Two adjustments:
// - `metadata` points at mclint's ObjectMeta schema (the package refers to its own registry).
// - Istio's CRDs list every field (kubectl's strict field validation rejects unknown ones), but
//   the package's schemas leave objects open. The objects the rules read are closed here, so a
//   typo like `localityLbSeting` is reported. Only objects whose field list has not grown since
//   the package's Istio version are closed; `loadBalancer` gets the later `warmup` field. Every
//   other object stays open, so a field added by a newer Istio is never reported as unknown.
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

/** Fields Istio added after the package's CRD version, by the property that holds them. */
const LATER_FIELDS = {
  // LoadBalancerSettings.warmup (WarmupConfiguration), Istio 1.24.
  loadBalancer: { warmup: { type: 'object', nullable: true } },
};

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
    close(schema.properties.spec, new Set(closedKeys), 'spec');
    out.push({ name: `networkingIstioIo${kind}`, schema, kind });
  }
  return out;
}
