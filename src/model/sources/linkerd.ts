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
 * - Services named as backends (`ClusterFacts.linkerdBackendRefs`): Gateway API and
 *   `policy.linkerd.io` HTTPRoute/GRPCRoute `spec.rules[].backendRefs[]` of kind Service (the
 *   default kind), SMI TrafficSplit (`split.smi-spec.io`) `spec.backends[].service`, and
 *   ServiceProfile (`linkerd.io`) `spec.dstOverrides[].authority` (`name.ns.svc.<domain>:port`).
 * Certificates are read with `src/base/x509.ts` (Node's `crypto.X509Certificate`); private keys
 * (`key.pem`, `tls.key`, `identity.issuer.tls.keyPEM`) are never read.
 */
import { parse } from 'yaml';
import type { Path } from '../../base/types.js';
import { pemText, readPemBundle } from '../../base/x509.js';
import type { Fact, LinkerdCertificate, LinkerdInstallFacts, Source } from '../types.js';
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

/** Reads Linkerd's trust-root ConfigMap, issuer Secret and `linkerd-config`, and Service backends of routes, TrafficSplits and ServiceProfiles. */
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
  ],
  extract(ctx) {
    const name = str(ctx.get(['metadata', 'name']));
    if (!name) return;
    const namespace = str(ctx.get(['metadata', 'namespace']));
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
