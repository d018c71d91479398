/**
 * Schema validation of Kubernetes objects and of the config file.
 *
 * Validators are precompiled (`npm run build:schemas` → validators.generated.js) from the JSON
 * Schemas in `schemas/`; core kinds use the validators the `kubernetes-models` package ships,
 * generated from the Kubernetes OpenAPI spec. No manifest or config schema is compiled at run
 * time; only rule options given in a config are (src/engine/rule-config.ts).
 */
import { editDistance } from '../base/edit-distance.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Service } from 'kubernetes-models/v1/Service';
import * as generated from './validators.generated.js';
import type { Path } from '../base/types.js';
import { isPlaceholder } from '../base/placeholder.js';

/**
 * One schema violation.
 * - `path`: the offending field relative to the validated value (for `required`, the object
 *   missing the field; for unknown fields, the unknown field itself).
 * - `invalid`: the field whose value cannot be trusted; rules must not read at or below it.
 *   For `required` it is the missing field, so siblings stay usable.
 */
export interface SchemaError {
  readonly path: Path;
  readonly invalid: Path;
  readonly message: string;
  /** The finding belongs on the field's key (unknown fields), not on its value. */
  readonly key?: boolean;
}

type Validator = (value: unknown) => ErrorObject[];

const fromAjv =
  (fn: ValidateFunction): Validator =>
  (value) =>
    fn(value) ? [] : (fn.errors ?? []);

/**
 * kubernetes-models' generated validator for core/v1 Service, run on the plain object without
 * the model's deep copy: `validate` only hands `this` to the compiled function and throws a
 * ValidationError carrying ajv's `errors`.
 */
const serviceValidator: Validator = (value) => {
  try {
    Service.prototype.validate.call(value as Service);
    return [];
  } catch (err) {
    return (err as { errors?: ErrorObject[] }).errors ?? [];
  }
};

/** Validators by `apiVersion` + `/` + `kind`; other objects get the generic object schema. */
const BY_TYPE = new Map<string, Validator>([
  ['v1/Service', serviceValidator],
  ['v1/Node', fromAjv(generated.k8sNode)],
  ['submariner.io/v1alpha1/Submariner', fromAjv(generated.submarinerIoV1alpha1Submariner)],
  ['submariner.io/v1alpha1/Broker', fromAjv(generated.submarinerIoV1alpha1Broker)],
  ['submariner.io/v1alpha1/ServiceDiscovery', fromAjv(generated.submarinerIoV1alpha1ServiceDiscovery)],
  ['multicluster.x-k8s.io/v1alpha1/ServiceExport', fromAjv(generated.multiclusterXK8sIoServiceExport)],
  ['multicluster.x-k8s.io/v1beta1/ServiceExport', fromAjv(generated.multiclusterXK8sIoServiceExport)],
  ['kubeadm.k8s.io/v1beta3/ClusterConfiguration', fromAjv(generated.kubeadmK8sIoClusterConfiguration)],
  ['kubeadm.k8s.io/v1beta4/ClusterConfiguration', fromAjv(generated.kubeadmK8sIoClusterConfiguration)],
  ['kind.x-k8s.io/v1alpha4/Cluster', fromAjv(generated.kindXK8sIoV1alpha4Cluster)],
  ['about.k8s.io/v1alpha1/ClusterProperty', fromAjv(generated.aboutK8sIoClusterProperty)],
  ['about.k8s.io/v1beta1/ClusterProperty', fromAjv(generated.aboutK8sIoClusterProperty)],
  ['projectcalico.org/v3/IPPool', fromAjv(generated.projectcalicoOrgIPPool)],
  ['crd.projectcalico.org/v1/IPPool', fromAjv(generated.projectcalicoOrgIPPool)],
  ['multicluster.x-k8s.io/v1alpha1/ServiceImport', fromAjv(generated.multiclusterXK8sIoServiceImport)],
  ['multicluster.x-k8s.io/v1beta1/ServiceImport', fromAjv(generated.multiclusterXK8sIoServiceImport)],
  // v1alpha2 has no spec: its fields sit at the root of the object (mcs-api pkg/apis/v1alpha2/serviceimport.go).
  ['multicluster.x-k8s.io/v1alpha2/ServiceImport', fromAjv(generated.multiclusterXK8sIoV1alpha2ServiceImport)],
  ['multicluster.linkerd.io/v1alpha1/Link', fromAjv(generated.multiclusterLinkerdIoLink)],
  ['multicluster.linkerd.io/v1alpha2/Link', fromAjv(generated.multiclusterLinkerdIoLink)],
  ['multicluster.linkerd.io/v1alpha3/Link', fromAjv(generated.multiclusterLinkerdIoLink)],
  ['networking.fleet.azure.com/v1alpha1/MultiClusterService', fromAjv(generated.networkingFleetAzureComMultiClusterService)],
  ['networking.fleet.azure.com/v1beta1/MultiClusterService', fromAjv(generated.networkingFleetAzureComMultiClusterService)],
]);
const genericObject = fromAjv(generated.k8sObject);
/** Istio's networking kinds, validated by `istio.generated.js` under every served version. */
const ISTIO_NETWORKING_KINDS = ['DestinationRule', 'VirtualService', 'ServiceEntry', 'WorkloadEntry', 'Gateway'] as const;
const ISTIO_NETWORKING_VERSIONS = ['v1alpha3', 'v1beta1', 'v1'] as const;
BY_TYPE.set('install.istio.io/v1alpha1/IstioOperator', fromAjv(generated.installIstioIoV1alpha1IstioOperator));
BY_TYPE.set('sailoperator.io/v1/Istio', fromAjv(generated.sailoperatorIoIstio));
BY_TYPE.set('sailoperator.io/v1alpha1/Istio', fromAjv(generated.sailoperatorIoIstio));
/** `BY_TYPE` by apiVersion, then kind: looked up once per object without building a string. */
const BY_VERSION_KIND = new Map<string, Map<string, Validator>>();
for (const [type, validator] of BY_TYPE) {
  const slash = type.lastIndexOf('/');
  const apiVersion = type.slice(0, slash);
  if (!BY_VERSION_KIND.has(apiVersion)) BY_VERSION_KIND.set(apiVersion, new Map());
  BY_VERSION_KIND.get(apiVersion)!.set(type.slice(slash + 1), validator);
}

let istioLoad: Promise<void> | undefined;
let istioReady = false;

/**
 * Makes sure the validators `text` may need are loaded. Istio's schemas (several hundred KB of
 * generated code) are imported on first sight of `networking.istio.io` in a file, so runs without
 * Istio objects never load them. Call before `validateObject` on objects parsed from `text`.
 * @returns a promise to await, or undefined when nothing needs loading
 */
export function prepareValidators(text: string): Promise<void> | undefined {
  if (istioReady || !text.includes('networking.istio.io')) return undefined;
  istioLoad ??= import('./istio.generated.js').then((istio) => {
    const byKind: Record<(typeof ISTIO_NETWORKING_KINDS)[number], ValidateFunction> = {
      DestinationRule: istio.networkingIstioIoDestinationRule,
      VirtualService: istio.networkingIstioIoVirtualService,
      ServiceEntry: istio.networkingIstioIoServiceEntry,
      WorkloadEntry: istio.networkingIstioIoWorkloadEntry,
      Gateway: istio.networkingIstioIoGateway,
    };
    for (const version of ISTIO_NETWORKING_VERSIONS) {
      const apiVersion = `networking.istio.io/${version}`;
      if (!BY_VERSION_KIND.has(apiVersion)) BY_VERSION_KIND.set(apiVersion, new Map());
      for (const kind of ISTIO_NETWORKING_KINDS) BY_VERSION_KIND.get(apiVersion)!.set(kind, fromAjv(byKind[kind]));
    }
    istioReady = true;
  });
  return istioLoad;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** The value at `path` below `root`, or undefined where the path leaves the tree. */
export function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v)}`;
  // What else a parsed YAML or JSON value can be: a number or a boolean.
  return typeof v === 'number' || typeof v === 'boolean' ? `${typeof v} ${v}` : typeof v;
}

/** A path as messages show it: `spec.ports[0].port`. */
export function dotted(path: Path): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The closest declared property name to an unknown one, if it is a plausible typo. */
function suggestion(unknown: string, parentSchema: unknown): string | undefined {
  const props = (parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!props) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const name of Object.keys(props).sort()) {
    const score = name.toLowerCase() === unknown.toLowerCase() ? 0 : editDistance(name, unknown);
    if (score < bestScore) [best, bestScore] = [name, score];
  }
  return bestScore <= Math.max(1, Math.floor(unknown.length / 4)) ? best : undefined;
}

/**
 * What a violation means depends on who reads the document: the API server for manifests,
 * `kind create cluster` for a kind cluster config and `kubeadm` for its ClusterConfiguration
 * (files those tools read themselves, never applied), mclint itself for its config file.
 */
export type SchemaAudience = 'kubernetes' | 'kind' | 'kubeadm' | 'config';

/**
 * What happens to an unknown field, by reader: kubectl's strict field validation refuses it; kind
 * decodes its config strictly and stops (sigs.k8s.io/kind `pkg/internal/apis/config/encoding`);
 * kubeadm decodes strictly but only warns and drops the field (kubernetes
 * `cmd/kubeadm/app/util/config/strict` `VerifyUnmarshalStrict`).
 */
const UNKNOWN_FIELD_EFFECT: Record<SchemaAudience, string> = {
  kubernetes: ': kubectl apply rejects it (strict field validation) and the controller never sees it',
  kind: ': kind create cluster refuses the config (strict decoding)',
  kubeadm: ': kubeadm warns and ignores it (strict decoding)',
  config: '',
};

/** Who reads an object of `apiVersion` (see `SchemaAudience`). */
function audienceOf(apiVersion: string): SchemaAudience {
  if (apiVersion.startsWith('kind.x-k8s.io/')) return 'kind';
  if (apiVersion.startsWith('kubeadm.k8s.io/')) return 'kubeadm';
  return 'kubernetes';
}

function toSchemaError(e: ErrorObject, root: unknown, audience: SchemaAudience): SchemaError {
  const at = pointerToPath(e.instancePath);
  const value = valueAt(root, at);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      return { path: at, invalid: [...at, field], message: `missing required field "${dotted([...at, field])}"` };
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const hint = suggestion(field, e.parentSchema);
      return {
        path: [...at, field],
        invalid: [...at, field],
        key: true,
        message: `unknown field "${dotted([...at, field])}"` + UNKNOWN_FIELD_EFFECT[audience] + (hint ? `; did you mean "${hint}"?` : ''),
      };
    }
    case 'type':
      return { path: at, invalid: at, message: `"${dotted(at)}" must be ${String(params.type).replaceAll(',', ' or ')}, found ${describe(value)}` };
    case 'enum':
      return {
        path: at,
        invalid: at,
        message: `"${dotted(at)}" must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, found ${describe(value)}`,
      };
    case 'const':
      return { path: at, invalid: at, message: `"${dotted(at)}" must be ${JSON.stringify(params.allowedValue)}, found ${describe(value)}` };
    case 'format': {
      const what = params.format === 'cidr-list' ? 'a CIDR or comma-separated list of CIDRs' : params.format === 'cidr' ? 'a CIDR' : `a valid ${String(params.format)}`;
      return { path: at, invalid: at, message: `"${dotted(at)}" must be ${what}, found ${describe(value)}` };
    }
    default:
      return { path: at, invalid: at, message: `"${dotted(at) || '(root)'}" ${e.message ?? 'is invalid'}` };
  }
}

/**
 * Converts ajv errors to `SchemaError`s: one per path, wrapper keywords (anyOf/allOf) dropped.
 * For manifests (every `audience` but `config`), errors whose offending value is an unrendered
 * placeholder (`port: ${PORT}`, `globalnetEnabled: ${GLOBALNET}`, `networking: ${NET}`; see
 * `src/base/placeholder.ts`) are dropped too: the value is decided at apply time (envsubst, Flux
 * post-build substitution, Helm), so it is unknown, not malformed, and the rest of the object
 * stays usable (`isUsable`). A config file is read by mclint itself, as written: a placeholder
 * there stays an error.
 */
export function toSchemaErrors(errors: readonly ErrorObject[], root: unknown, audience: SchemaAudience = 'kubernetes'): SchemaError[] {
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'allOf' || e.keyword === 'if') continue;
    if (audience !== 'config' && isPlaceholder(valueAt(root, pointerToPath(e.instancePath)))) continue;
    const err = toSchemaError(e, root, audience);
    const key = JSON.stringify(err.path);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(err);
  }
  return out;
}

const VALID: readonly SchemaError[] = Object.freeze([]);

/**
 * Validates one object against the schema of its apiVersion/kind (or the generic object schema).
 * A field holding an unrendered placeholder is no violation (see `toSchemaErrors`).
 * @returns violations with paths relative to `body`; a shared empty array when valid
 */
export function validateObject(apiVersion: string, kind: string, body: Record<string, unknown>): readonly SchemaError[] {
  const validator = BY_VERSION_KIND.get(apiVersion)?.get(kind) ?? genericObject;
  let errors = validator(body);
  if (errors.length === 0) return VALID;
  // A field written empty (`spec:` with only comments below, `type: {{ .Values.x }}` rendered
  // from nothing) is YAML null. The API server drops null fields of a custom resource before it
  // validates (apiextensions-apiserver `pkg/apiserver/schema/defaulting/prunenulls.go`,
  // `PruneNonNullableNullsWithoutDefaults`), built-in types and the kind/kubeadm configs decode
  // null as the field's zero value (then defaulted): so it is validated as absent. Checked only
  // when validation fails, so valid objects pay nothing.
  const pruned = withoutNullFields(body);
  if (pruned !== body) {
    errors = validator(pruned);
    if (errors.length === 0) return VALID;
  }
  const out = toSchemaErrors(errors, pruned, audienceOf(apiVersion));
  return out.length === 0 ? VALID : out;
}

/**
 * `value` without the mapping entries whose value is null, at any depth (lists are searched, their
 * null items kept: nothing prunes those); `value` itself when it holds none. Never throws.
 */
export function withoutNullFields<T>(value: T): T {
  return pruneNulls(value) as T;
}

function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    (value as unknown[]).forEach((item, i) => {
      const next = pruneNulls(item);
      if (next !== item) (copy ??= (value as unknown[]).slice())[i] = next;
    });
    return copy ?? value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const k of Object.keys(record)) {
    const v = record[k];
    if (v === null) {
      copy ??= { ...record };
      delete copy[k];
      continue;
    }
    const next = pruneNulls(v);
    if (next !== v) (copy ??= { ...record })[k] = next;
  }
  return copy ?? value;
}

/**
 * True when objects of `apiVersion`/`kind` have a schema of their own (a `schemas/` or
 * kubernetes-models validator), not only the generic object schema. Istio's networking kinds
 * count once `prepareValidators` has loaded them (always the case for an object whose file was
 * prepared). Used to tell which kinds no rule reads (`load/classify.ts`).
 */
export function hasObjectSchema(apiVersion: string, kind: string): boolean {
  return BY_VERSION_KIND.get(apiVersion)?.has(kind) ?? false;
}

/** Validates a parsed `mclint.config.yaml`. */
export function validateConfigValue(value: unknown): SchemaError[] {
  const fn = generated.mclintConfig;
  return fn(value) ? [] : toSchemaErrors(fn.errors ?? [], value, 'config');
}

/**
 * True when `path` (relative to the validated value) may be read: no violation lies at, above or
 * below it.
 */
export function isUsable(errors: readonly SchemaError[] | undefined, path: Path): boolean {
  if (!errors || errors.length === 0) return true;
  return !errors.some((e) => {
    const n = Math.min(e.invalid.length, path.length);
    for (let i = 0; i < n; i++) if (e.invalid[i] !== path[i]) return false;
    return true;
  });
}
