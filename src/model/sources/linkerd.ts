/**
 * Linkerd facts beyond Links (read by `./mcs.ts`):
 * - control plane settings (`ClusterFacts.linkerd`) from Helm values of the
 *   `linkerd-control-plane` (or older `linkerd2`) chart (linkerd/linkerd2
 *   `charts/linkerd-control-plane/values.yaml`): `clusterDomain`, `identityTrustDomain` (both
 *   default `cluster.local`), `identityTrustAnchorsPEM` (PEM text) and
 *   `identity.issuer.tls.crtPEM`; the same keys in the `linkerd-config` ConfigMap's `values`
 *   (what `linkerd install` writes); the `linkerd-identity-trust-roots` ConfigMap `ca-bundle.crt`;
 *   the `linkerd-identity-issuer` Secret `crt.pem` (`linkerd install`) or `tls.crt`
 *   (`kubernetes.io/tls`, cert-manager), base64 in `data`;
 * - the label selectors of multicluster `Link`s (`LinkerdLinkFacts.selectors`): `spec.selector`,
 *   `spec.remoteDiscoverySelector` and (v1alpha3) `spec.federatedServiceSelector`, `matchLabels`
 *   and `matchExpressions` (`In`, `NotIn`, `Exists`, `DoesNotExist`), added to the Link facts
 *   `./mcs.ts` reads (it runs first, `FACT_SOURCES`); a selector holding a placeholder, malformed
 *   or empty is listed in `unknownSelectors` instead (see `linkSelectors`);
 * - Services named as backends (`ClusterFacts.linkerdBackendRefs`): Gateway API and
 *   `policy.linkerd.io` HTTPRoute/GRPCRoute `spec.rules[].backendRefs[]` of kind Service (the
 *   default kind), SMI TrafficSplit (`split.smi-spec.io`) `spec.backends[].service`, and
 *   ServiceProfile (`linkerd.io`) `spec.dstOverrides[].authority` (`name.ns.svc.<domain>:port`).
 * Certificates are read with `src/base/x509.ts` (Node's `crypto.X509Certificate`); private keys
 * (`key.pem`, `tls.key`, `identity.issuer.tls.keyPEM`) are never read.
 */
import { parse } from 'yaml';
import { isPlaceholder } from '../../base/placeholder.js';
import type { Path } from '../../base/types.js';
import { pemText, readPemBundle } from '../../base/x509.js';
import type { Fact, LinkerdCertificate, LinkerdInstallFacts, LinkerdLabelSelector, LinkerdLinkFacts, LinkerdSelectorField, Source } from '../types.js';
import { chartProject, isRecord } from '../values.js';
import type { ExtractContext, FactSource, ValuesSource } from './types.js';

/** The ConfigMap holding the trust anchors (`ca-bundle.crt`). */
export const LINKERD_TRUST_ROOTS = 'linkerd-identity-trust-roots';
/** The Secret holding the identity issuer certificate. */
export const LINKERD_ISSUER_SECRET = 'linkerd-identity-issuer';
/** The ConfigMap `linkerd install` writes the control plane's values into (`data.values`). */
export const LINKERD_CONFIG = 'linkerd-config';

type Certificates = NonNullable<LinkerdInstallFacts['trustAnchors']>;
type Reader = Pick<ExtractContext, 'get' | 'source'>;

/** A non-empty string field as a fact. */
function text(r: Reader, path: Path, origin: string): Fact<string> | undefined {
  const v = r.get(path);
  return typeof v === 'string' && v.trim() !== '' ? { value: v.trim(), source: r.source(path, origin) } : undefined;
}

/** The certificates of a PEM field (`base64`: Secret `data`); undefined when absent or empty. */
export function certificatesAt(r: Reader, path: Path, origin: string, base64: boolean): Certificates | undefined {
  const v = r.get(path);
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const source = r.source(path, origin);
  const pem = pemText(v, base64);
  const bundle = pem === undefined ? undefined : readPemBundle(pem);
  const value: readonly LinkerdCertificate[] = bundle?.certificates ?? [];
  if (!bundle || bundle.blocks === 0) return { value, source, problem: base64 && pem === undefined ? 'is not base64' : 'holds no PEM certificate' };
  return bundle.invalid > 0 ? { value, source, problem: `holds ${bundle.invalid} unreadable certificate(s)` } : { value, source };
}

/** Keys that only Linkerd control plane values have. */
const LINKERD_KEYS = ['identityTrustAnchorsPEM', 'identityTrustDomain', 'linkerdVersion', 'controllerImage', 'proxyInjector'];

/** Control plane facts from a values tree at `base` (a values document, or `linkerd-config`'s parsed values). */
function installFacts(r: Reader, base: Path, origin: string, at: Source): LinkerdInstallFacts | undefined {
  const clusterDomain = text(r, [...base, 'clusterDomain'], `${origin} clusterDomain`);
  const identityTrustDomain = text(r, [...base, 'identityTrustDomain'], `${origin} identityTrustDomain`);
  const trustAnchors = certificatesAt(r, [...base, 'identityTrustAnchorsPEM'], `${origin} identityTrustAnchorsPEM`, false);
  const issuer = certificatesAt(r, [...base, 'identity', 'issuer', 'tls', 'crtPEM'], `${origin} identity.issuer.tls.crtPEM`, false);
  return { at, ...(clusterDomain && { clusterDomain }), ...(identityTrustDomain && { identityTrustDomain }), ...(trustAnchors && { trustAnchors }), ...(issuer && { issuer }) };
}

/**
 * Helm values of a Linkerd control plane: documents for a `linkerd*` chart, or (chart unknown)
 * with a key only Linkerd's values have (`identityTrustAnchorsPEM`, `identityTrustDomain`…).
 */
export const linkerdValuesSource: ValuesSource = {
  id: 'linkerd-values',
  extract(ctx) {
    const root = ctx.get([]);
    if (!isRecord(root) || chartProject(ctx.chart) !== undefined) return;
    const named = ctx.chart !== undefined && /^linkerd(?:2|-control-plane)?$/i.test(ctx.chart);
    if (!named && !LINKERD_KEYS.some((k) => root[k] !== undefined)) return;
    const facts = installFacts(ctx, [], 'Linkerd values', ctx.source([], 'Linkerd values'));
    if (facts) ctx.cluster.linkerd.push(facts);
  },
};

/** Reads `linkerd-config`'s `data.values` (YAML text); its facts point at that field. */
function configValues(ctx: ExtractContext): LinkerdInstallFacts | undefined {
  const raw = ctx.get(['data', 'values']);
  if (typeof raw !== 'string') return undefined;
  let values: unknown;
  try {
    values = parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(values)) return undefined;
  const field = ctx.source(['data', 'values'], `${LINKERD_CONFIG} values`);
  const reader: Reader = {
    get: (path) => path.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), values),
    source: (_path, origin) => ({ ...field, origin }),
  };
  return installFacts(reader, [], `${LINKERD_CONFIG} values`, field);
}

/** The name of a Service a ServiceProfile `authority` (`name.ns.svc.<domain>[:port]`) names, and its namespace. */
function authorityService(authority: string): { name: string; namespace: string } | undefined {
  const host = authority.replace(/:\d+$/, '');
  const [name, namespace, svc] = host.split('.');
  return name && namespace && svc === 'svc' ? { name, namespace } : undefined;
}

/** Records the backend at `path` (a name field) of the object being read. */
function addRef(ctx: ExtractContext, path: Path, name: string, namespace: string | undefined, via: string): void {
  const { object, cluster } = ctx;
  cluster.linkerdBackendRefs.push({ object, cluster: cluster.name, name, namespace, via, source: ctx.source(path, `${object.kind} ${via}`) });
}

const indexes = (v: unknown): number[] => (Array.isArray(v) ? v.map((_, i) => i) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function backendRefs(ctx: ExtractContext, namespace: string | undefined): void {
  switch (ctx.object.kind) {
    case 'TrafficSplit':
      for (const i of indexes(ctx.get(['spec', 'backends']))) {
        const name = str(ctx.get(['spec', 'backends', i, 'service']));
        if (name) addRef(ctx, ['spec', 'backends', i, 'service'], name, namespace, `spec.backends[${i}].service`);
      }
      return;
    case 'ServiceProfile':
      for (const i of indexes(ctx.get(['spec', 'dstOverrides']))) {
        const authority = str(ctx.get(['spec', 'dstOverrides', i, 'authority']));
        const svc = authority && authorityService(authority);
        if (svc) addRef(ctx, ['spec', 'dstOverrides', i, 'authority'], svc.name, svc.namespace, `spec.dstOverrides[${i}].authority`);
      }
      return;
    default:
      for (const i of indexes(ctx.get(['spec', 'rules']))) {
        for (const j of indexes(ctx.get(['spec', 'rules', i, 'backendRefs']))) {
          const at = ['spec', 'rules', i, 'backendRefs', j];
          const kind = ctx.get([...at, 'kind']) ?? 'Service';
          const group = ctx.get([...at, 'group']) ?? '';
          const name = str(ctx.get([...at, 'name']));
          if (kind !== 'Service' || (group !== '' && group !== 'core') || !name) continue;
          addRef(ctx, [...at, 'name'], name, str(ctx.get([...at, 'namespace'])) ?? namespace, `rules[${i}].backendRefs[${j}]`);
        }
      }
  }
}

const SELECTOR_FIELDS: readonly LinkerdSelectorField[] = ['selector', 'remoteDiscoverySelector', 'federatedServiceSelector'];
const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);
type Requirement = LinkerdLabelSelector['matchExpressions'][number];

/** A written string that is no placeholder. */
const plain = (v: unknown): v is string => typeof v === 'string' && !isPlaceholder(v);

/**
 * The selector as written (`metav1.LabelSelector`), or undefined when the service mirror's reading
 * of it cannot be known here: a placeholder anywhere in it, a value that is not a string, an
 * expression Kubernetes rejects (`metav1.LabelSelectorAsSelector`: an unknown operator, `In`/`NotIn`
 * without values, `Exists`/`DoesNotExist` with values), or no requirement at all — an empty
 * selector, which matches nothing in today's service mirror (`isExported`: "Treat an empty
 * selector as Nothing") and everything in releases before it (`isExportedService`).
 */
function labelSelector(raw: unknown): LinkerdLabelSelector | undefined {
  if (!isRecord(raw)) return undefined;
  const { matchLabels = null, matchExpressions = null } = raw;
  const labels: Record<string, string> = {};
  if (matchLabels !== null) {
    if (!isRecord(matchLabels)) return undefined;
    for (const [k, v] of Object.entries(matchLabels)) {
      if (!plain(k) || !plain(v)) return undefined;
      Object.defineProperty(labels, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  const expressions: Requirement[] = [];
  if (matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return undefined;
    for (const e of matchExpressions) {
      if (!isRecord(e) || !plain(e.key) || !plain(e.operator) || !OPERATORS.has(e.operator)) return undefined;
      const values = e.values ?? [];
      if (!Array.isArray(values) || !values.every(plain)) return undefined;
      const setBased = e.operator === 'In' || e.operator === 'NotIn';
      if (setBased !== values.length > 0) return undefined;
      expressions.push({ key: e.key, operator: e.operator as Requirement['operator'], values });
    }
  }
  return Object.keys(labels).length + expressions.length > 0 ? { matchLabels: labels, matchExpressions: expressions } : undefined;
}

const startsWith = (path: Path, prefix: Path) => prefix.every((p, i) => path[i] === p);

/**
 * The Link's selectors (`spec.selector`, `spec.remoteDiscoverySelector`,
 * `spec.federatedServiceSelector`): a fact for each written one the service mirror reads as
 * written, the others that are written (placeholder, schema violation, not evaluable) in
 * `unknownSelectors`. Fields not written stay out of both: the defaults apply.
 */
function linkSelectors(ctx: ExtractContext): Pick<LinkerdLinkFacts, 'selectors' | 'unknownSelectors'> {
  const body = ctx.object.body?.spec;
  if (!isRecord(body)) return {};
  const selectors: Partial<Record<LinkerdSelectorField, Fact<LinkerdLabelSelector>>> = {};
  const unknown: LinkerdSelectorField[] = [];
  for (const field of SELECTOR_FIELDS) {
    // YAML null is no field: the API server prunes it (as the schema stage reads it).
    if (body[field] === undefined || body[field] === null) continue;
    const path = ['spec', field];
    const usable = !ctx.object.schemaErrors.some((e) => startsWith(e.invalid, path));
    const selector = usable ? labelSelector(ctx.get(path)) : undefined;
    if (selector) selectors[field] = { value: selector, source: ctx.source(path, `Link spec.${field}`) };
    else unknown.push(field);
  }
  return { ...(Object.keys(selectors).length > 0 && { selectors }), ...(unknown.length > 0 && { unknownSelectors: unknown }) };
}

/** Adds the selectors of the Link being read to its facts, which `./mcs.ts` has pushed (a Link without `targetClusterName` has none). */
function addLinkSelectors(ctx: ExtractContext): void {
  const links = ctx.cluster.linkerdLinks;
  const i = links.findLastIndex((l) => l.object === ctx.object);
  if (i < 0) return;
  const read = linkSelectors(ctx);
  if (read.selectors || read.unknownSelectors) links[i] = { ...links[i], ...read };
}

/** Reads Linkerd's trust-root ConfigMap, issuer Secret and `linkerd-config`, Link selectors, and Service backends of routes, TrafficSplits and ServiceProfiles. */
export const linkerdSource: FactSource = {
  id: 'linkerd',
  handles: [
    'core/ConfigMap',
    'core/Secret',
    'gateway.networking.k8s.io/HTTPRoute',
    'gateway.networking.k8s.io/GRPCRoute',
    'policy.linkerd.io/HTTPRoute',
    'split.smi-spec.io/TrafficSplit',
    'linkerd.io/ServiceProfile',
    'multicluster.linkerd.io/Link',
  ],
  extract(ctx) {
    const name = str(ctx.get(['metadata', 'name']));
    if (!name) return;
    const namespace = str(ctx.get(['metadata', 'namespace']));
    if (ctx.object.kind === 'Link') return addLinkSelectors(ctx);
    const at = ctx.source([], `${ctx.object.kind} ${name}`);
    if (ctx.object.kind === 'ConfigMap') {
      if (name === LINKERD_TRUST_ROOTS) {
        const trustAnchors = certificatesAt(ctx, ['data', 'ca-bundle.crt'], `ConfigMap ${LINKERD_TRUST_ROOTS} ca-bundle.crt`, false);
        if (trustAnchors) ctx.cluster.linkerd.push({ at, trustAnchors });
      } else if (name === LINKERD_CONFIG) {
        const facts = configValues(ctx);
        if (facts) ctx.cluster.linkerd.push(facts);
      }
      return;
    }
    if (ctx.object.kind === 'Secret') {
      if (name !== LINKERD_ISSUER_SECRET) return;
      const origin = `Secret ${LINKERD_ISSUER_SECRET}`;
      const issuer =
        certificatesAt(ctx, ['stringData', 'crt.pem'], `${origin} stringData.crt.pem`, false) ??
        certificatesAt(ctx, ['data', 'crt.pem'], `${origin} data.crt.pem`, true) ??
        certificatesAt(ctx, ['stringData', 'tls.crt'], `${origin} stringData.tls.crt`, false) ??
        certificatesAt(ctx, ['data', 'tls.crt'], `${origin} data.tls.crt`, true);
      if (issuer) ctx.cluster.linkerd.push({ at, issuer });
      return;
    }
    backendRefs(ctx, namespace);
  },
};
