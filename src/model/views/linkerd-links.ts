/**
 * Linkerd multicluster links as views of a ClusterSet: what each Link says about its target
 * against what the target cluster's manifests say, the mirror Services that routes and
 * TrafficSplits name or that the repository holds, and the identity trust anchors of linked
 * clusters. Built once per set (`viewOf`).
 *
 * Upstream behaviour mirrored (linkerd/linkerd2):
 * - `multicluster/cmd/link.go` (`linkerd multicluster link`): the Link copies the target's
 *   `clusterDomain` into `targetClusterDomain`, its control plane namespace into
 *   `targetClusterLinkerdNamespace` (default `linkerd`), and the gateway's identity, read from the
 *   gateway Service annotation `mirror.linkerd.io/gateway-identity`
 *   (`linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local` by
 *   default: `<service account>.<namespace>.serviceaccount.identity.<linkerd namespace>.<identityTrustDomain>`),
 *   into `gatewayIdentity`; proxies dial the gateway with mTLS and check that identity.
 * - `multicluster/service-mirror/cluster_watcher.go`: a mirror is `<svc>-<targetClusterName>`
 *   (`mirrorServiceName`), labelled `mirror.linkerd.io/mirrored-service: "true"` and
 *   `mirror.linkerd.io/cluster-name`, of the Services the Link's `selector` or
 *   `remoteDiscoverySelector` selects (`createOrUpdateService`; `./linkerd.ts` `linkSelects`, the
 *   defaults for a Link that states none, unknown for a selector left to apply time); the watcher
 *   deletes mirrors whose Link or exported Service is gone (linkerd #9044, #11668: mirrors and
 *   routes left pointing at Links that no longer exist).
 * - `multicluster/service-mirror/cluster_watcher_headless.go` (`createOrUpdateHeadlessEndpoints`,
 *   `createEndpointMirrorService`): an exported headless Service is mirrored as a headless mirror
 *   plus one ClusterIP "endpoint mirror" per named address of its Endpoints,
 *   `mirrorServiceName(<hostname>)` = `<hostname>-<targetClusterName>`, labelled
 *   `mirror.linkerd.io/headless-mirror-svc-name: <svc>-<targetClusterName>`. A StatefulSet's pods
 *   have the hostnames `<statefulset>-<ordinal>` (ordinals 0 to `replicas` - 1); other hostnames
 *   are not known from manifests (test/integration/multicluster statefulset tests:
 *   `nginx-statefulset-0-<target>`).
 * - `multicluster/cmd/check.go` ("all cluster gateways share trust anchors" / the linked cluster's
 *   anchors must verify its gateway): linked clusters need a common trust anchor, and `linkerd
 *   check` ("issuer cert is issued by the trust anchor") requires each cluster's issuer
 *   certificate to chain to its own anchors.
 */
import type { Place } from '../../base/types.js';
import { chainsTo, sameCertificate } from '../../base/x509.js';
import { fieldPlace, namespacedName } from '../describe.js';
import type {
  ClusterModel,
  ClusterSetModel,
  Fact,
  LinkerdBackendRefFacts,
  LinkerdCertificate,
  LinkerdLinkFacts,
  RunModel,
  ServiceFacts,
  Source,
  StatefulSetFacts,
} from '../types.js';
import { viewKey, viewOf } from './cache.js';
import { LINKERD_EXPORT_FIELDS, LINKERD_MIRRORED, anyOf, linkSelects, linkSelectorsText, linkerdLabelled } from './linkerd.js';

/** Linkerd's default `clusterDomain` and `identityTrustDomain`. */
export const LINKERD_DEFAULT_DOMAIN = 'cluster.local';
/** Linkerd's default control plane namespace (`targetClusterLinkerdNamespace`). */
export const LINKERD_DEFAULT_NAMESPACE = 'linkerd';
/** The gateway Deployment of the `linkerd-multicluster` chart. */
export const LINKERD_GATEWAY = 'linkerd-gateway';
/** The label the service mirror sets on mirrors: the Link's `targetClusterName`. */
export const LINKERD_MIRROR_CLUSTER = 'mirror.linkerd.io/cluster-name';
/** Linkerd 2.8–2.9 exported a Service with this annotation (`linkerd multicluster export-service`). */
const LINKERD_OLD_EXPORT = 'mirror.linkerd.io/gateway-name';
/** The label the service mirror sets on endpoint mirrors: the headless mirror they belong to. */
export const LINKERD_HEADLESS_MIRROR = 'mirror.linkerd.io/headless-mirror-svc-name';

type Certificates = Fact<readonly LinkerdCertificate[]>;

/** A cluster's Linkerd settings as the first fact of each kind; defaults marked `isDefault` at the first install fact. */
export interface LinkerdSettings {
  readonly clusterDomain: Fact<string>;
  readonly identityTrustDomain: Fact<string>;
  readonly trustAnchors?: Certificates;
  readonly issuer?: Certificates;
}

/** The settings of a cluster with any Linkerd control plane fact, else undefined. */
export function linkerdSettings(cluster: ClusterModel): LinkerdSettings | undefined {
  if (cluster.linkerd.length === 0) return undefined;
  const at = cluster.linkerd[0].at;
  const first = <K extends 'clusterDomain' | 'identityTrustDomain' | 'trustAnchors' | 'issuer'>(k: K) => cluster.linkerd.find((l) => l[k] !== undefined)?.[k];
  const usable = (c: (Certificates & { problem?: string }) | undefined) => (c && c.value.length > 0 && !c.problem ? c : undefined);
  const trustAnchors = usable(first('trustAnchors'));
  const issuer = usable(first('issuer'));
  return {
    clusterDomain: first('clusterDomain') ?? { value: LINKERD_DEFAULT_DOMAIN, source: at, isDefault: true },
    identityTrustDomain: first('identityTrustDomain') ?? { value: LINKERD_DEFAULT_DOMAIN, source: at, isDefault: true },
    ...(trustAnchors && { trustAnchors }),
    ...(issuer && { issuer }),
  };
}

/** A Link field that disagrees with its target cluster. */
export type LinkProblem =
  | { readonly kind: 'unknownTarget'; readonly source: ClusterModel; readonly link: LinkerdLinkFacts }
  | {
      readonly kind: 'clusterDomain' | 'trustDomain' | 'gatewayNamespace';
      readonly source: ClusterModel;
      readonly link: LinkerdLinkFacts;
      readonly target: ClusterModel;
      readonly at: Source;
      readonly actual: string;
      readonly expected: Fact<string>;
    }
  | { readonly kind: 'gatewayIdentityForm'; readonly source: ClusterModel; readonly link: LinkerdLinkFacts; readonly at: Source; readonly actual: string };

/**
 * A mirror Service named by a backend or checked in, for a Link that does not exist (`noLink`), a
 * target Service not exported to it (`noExport`), or an endpoint mirror of a StatefulSet pod the
 * target does not run (`noPod`: ordinal not below `replicas`).
 */
export interface MirrorProblem {
  readonly kind: 'noLink' | 'noExport' | 'noPod';
  readonly cluster: ClusterModel;
  /** The mirror's name and namespace, and the exported Service's name it stands for. */
  readonly mirror: string;
  readonly namespace: string | undefined;
  readonly exported: string;
  readonly targetClusterName: string;
  /** The backend naming it, or the mirror Service checked in. */
  readonly ref?: LinkerdBackendRefFacts;
  readonly service?: ServiceFacts;
  readonly at: Place;
  /**
   * `noExport`, `noPod`: the target cluster and the Service of that name there, if any (for an
   * endpoint mirror, the headless Service governing the StatefulSet, and `exported` is its name).
   */
  readonly target?: ClusterModel;
  readonly targetService?: ServiceFacts;
  /** `noExport`, `noPod`: the selectors that decided (`selectors a=b, c=d of Link "ns/name"`, `default selectors …`), for messages. */
  readonly selector?: string;
  /** An endpoint mirror's StatefulSet in the target and the pod (`<statefulset>-<ordinal>`) it mirrors. */
  readonly statefulSet?: StatefulSetFacts;
  readonly pod?: string;
  /** The Link the mirror comes through (its `targetClusterName`), when one is declared. */
  readonly link?: LinkerdLinkFacts;
  /** Whether the repository has no Link (clusters assumed linked by name). */
  readonly assumed: boolean;
}

/** Linked clusters without a common trust anchor, or an issuer certificate its cluster's anchors did not sign. */
export type LinkerdTrustProblem =
  | {
      readonly kind: 'anchorsDiffer';
      readonly source: ClusterModel;
      readonly target: ClusterModel;
      readonly anchors: Certificates;
      readonly targetAnchors: Certificates;
      readonly link?: LinkerdLinkFacts;
    }
  | { readonly kind: 'issuerNotSigned'; readonly cluster: ClusterModel; readonly issuer: Certificates; readonly anchors: Certificates };

/** The view. */
export interface LinkerdLinksView {
  readonly links: readonly LinkProblem[];
  readonly mirrors: readonly MirrorProblem[];
  readonly trust: readonly LinkerdTrustProblem[];
}

/** `<sa>.<ns>.serviceaccount.identity.<linkerd ns>.<trust domain>` split into its parts; undefined when not of that form. */
export function gatewayIdentityParts(identity: string): { serviceAccount: string; namespace: string; linkerdNamespace: string; trustDomain: string } | undefined {
  const m = /^([^.]+)\.([^.]+)\.serviceaccount\.identity\.([^.]+)\.(.+)$/.exec(identity);
  return m ? { serviceAccount: m[1], namespace: m[2], linkerdNamespace: m[3], trustDomain: m[4] } : undefined;
}

function linkProblems(set: ClusterSetModel, runClusters: ReadonlySet<string>): LinkProblem[] {
  const out: LinkProblem[] = [];
  for (const source of set.clusters) {
    for (const link of source.linkerdLinks) {
      const target = set.clusterByName.get(link.targetClusterName.value);
      if (!target) {
        if (!runClusters.has(link.targetClusterName.value) && set.clusters.length > 1) out.push({ kind: 'unknownTarget', source, link });
        continue;
      }
      if (target === source) continue;
      const settings = linkerdSettings(target);
      const domain = link.targetClusterDomain;
      if (settings && domain && domain.value !== settings.clusterDomain.value)
        out.push({ kind: 'clusterDomain', source, link, target, at: domain.source, actual: domain.value, expected: settings.clusterDomain });
      const identity = link.gatewayIdentity;
      if (!identity) continue;
      const parts = gatewayIdentityParts(identity.value);
      if (!parts) {
        out.push({ kind: 'gatewayIdentityForm', source, link, at: identity.source, actual: identity.value });
        continue;
      }
      if (settings && parts.trustDomain !== settings.identityTrustDomain.value)
        out.push({ kind: 'trustDomain', source, link, target, at: identity.source, actual: parts.trustDomain, expected: settings.identityTrustDomain });
      const gateways = target.workloads.filter((w) => w.kind === 'Deployment' && w.name === LINKERD_GATEWAY && w.namespace !== undefined);
      if (gateways.length > 0 && !gateways.some((g) => g.namespace === parts.namespace)) {
        const g = gateways[0];
        out.push({
          kind: 'gatewayNamespace',
          source,
          link,
          target,
          at: identity.source,
          actual: parts.namespace,
          expected: {
            value: g.namespace!,
            source: { ...fieldPlace(g.object, 'metadata', 'namespace'), cluster: target.name, origin: `Deployment ${LINKERD_GATEWAY} metadata.namespace` },
          },
        });
      }
    }
  }
  return out;
}

const inNamespace = (a: string | undefined, b: string | undefined) => a === b || a === undefined || b === undefined;

/** Whether `link` (undefined: no Link, the defaults) mirrors `service`: its selectors, or Linkerd 2.8's export annotation; undefined when unknown. */
function exports(link: LinkerdLinkFacts | undefined, service: ServiceFacts): boolean | undefined {
  return service.annotations[LINKERD_OLD_EXPORT] !== undefined ? true : linkSelects(link, LINKERD_EXPORT_FIELDS, service.labels);
}

/** Whether `cluster` exports the Service `namespace/name` to `link`, and the Service of that name there (the first), if any. */
function exportedService(
  cluster: ClusterModel,
  namespace: string | undefined,
  name: string,
  link: LinkerdLinkFacts | undefined,
): { exported: boolean | undefined; service?: ServiceFacts } {
  const list = (cluster.servicesByName.get(name) ?? []).filter((s) => inNamespace(s.namespace, namespace));
  return { exported: anyOf(list.map((s) => exports(link, s))), service: list[0] };
}

/** What a name `<hostname>` (of an endpoint mirror `<hostname>-<target>`) is in the target cluster. */
type EndpointMirror =
  | { readonly kind: 'resolved' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'noPod' | 'noExport'; readonly headless: ServiceFacts; readonly statefulSet: StatefulSetFacts; readonly pod: string };

/**
 * The pod `hostname` names among the pods of `target` behind headless Services, for an endpoint
 * mirror `<hostname>-<targetClusterName>` of `link`: `resolved` when a StatefulSet
 * `<name>` with `serviceName` a headless Service `link` exports runs pod `<name>-<n>` (n below
 * `replicas`); `noPod` when it does not (n too high), `noExport` when that Service is not
 * exported; `unknown` when the export cannot be decided, or when an exported headless Service of
 * the namespace has no StatefulSet (its pods' hostnames are not in the manifests: any could be
 * `hostname`). Undefined when `hostname` is no pod of a headless Service governing a StatefulSet
 * (the name is then an ordinary mirror).
 */
function endpointMirror(target: ClusterModel, namespace: string | undefined, hostname: string, link: LinkerdLinkFacts | undefined): EndpointMirror | undefined {
  const found: EndpointMirror[] = [];
  for (const st of target.statefulSets) {
    if (!inNamespace(st.namespace, namespace) || !hostname.startsWith(`${st.name}-`)) continue;
    const ordinal = hostname.slice(st.name.length + 1);
    if (!/^(?:0|[1-9]\d*)$/.test(ordinal)) continue;
    const headless = (target.servicesByName.get(st.serviceName) ?? []).find((s) => s.headless && inNamespace(s.namespace, namespace) && inNamespace(s.namespace, st.namespace));
    if (!headless) continue;
    const exported = exports(link, headless);
    if (exported === undefined) return { kind: 'unknown' };
    const n = Number(ordinal);
    if (exported && (st.replicasUnknown || (n >= st.ordinalStart && n < st.ordinalStart + st.replicas))) return { kind: 'resolved' };
    found.push({ kind: exported ? 'noPod' : 'noExport', headless, statefulSet: st, pod: hostname });
  }
  // Any pod of an exported headless Service that no StatefulSet governs may have that hostname.
  for (const list of target.servicesByName.values()) {
    for (const s of list) {
      if (!s.headless || !inNamespace(s.namespace, namespace) || s.labels[LINKERD_MIRRORED] !== undefined || exports(link, s) === false) continue;
      if (!target.statefulSets.some((st) => st.serviceName === s.name && inNamespace(st.namespace, s.namespace))) return { kind: 'unknown' };
    }
  }
  return found.find((f) => f.kind === 'noPod') ?? found[0];
}

/** The longest `targetClusterName` among `names` that `mirror` ends with (`<svc>-<name>`), and the Service name before it. */
function splitMirror(mirror: string, names: Iterable<string>): { exported: string; targetClusterName: string } | undefined {
  let best: { exported: string; targetClusterName: string } | undefined;
  for (const n of names) {
    if (mirror.length > n.length + 1 && mirror.endsWith(`-${n}`) && (!best || n.length > best.targetClusterName.length))
      best = { exported: mirror.slice(0, -n.length - 1), targetClusterName: n };
  }
  return best;
}

function mirrorProblems(set: ClusterSetModel, runClusters: ReadonlySet<string>): MirrorProblem[] {
  const declared = set.clusters.some((c) => c.linkerdLinks.length > 0);
  const linkNames = set.clusters.flatMap((c) => c.linkerdLinks.map((l) => l.targetClusterName.value));
  const out: MirrorProblem[] = [];
  /**
   * Decides one mirror name in `cluster`; `where` is the backend or the checked-in mirror, `named`
   * its `mirror.linkerd.io/cluster-name`, `headlessMirror` an endpoint mirror's headless mirror
   * (`mirror.linkerd.io/headless-mirror-svc-name`), split instead of `mirror`.
   */
  const check = (
    cluster: ClusterModel,
    mirror: string,
    namespace: string | undefined,
    at: Place,
    where: { ref?: LinkerdBackendRefFacts; service?: ServiceFacts },
    named?: string,
    headlessMirror?: string,
  ) => {
    const candidates = named !== undefined ? [named] : [...set.clusters.filter((c) => c !== cluster).map((c) => c.name), ...linkNames];
    const split = splitMirror(headlessMirror ?? mirror, candidates);
    if (!split) return;
    const base = { cluster, mirror, namespace, ...split, ...where, at, assumed: !declared };
    const link = cluster.linkerdLinks.find((l) => l.targetClusterName.value === split.targetClusterName);
    if (declared && !link) return void out.push({ kind: 'noLink', ...base });
    if (!declared && !set.clusterByName.has(split.targetClusterName)) {
      if (named !== undefined && !runClusters.has(named)) out.push({ kind: 'noLink', ...base });
      return;
    }
    const target = set.clusterByName.get(split.targetClusterName);
    if (!target || target === cluster) return;
    const { exported, service } = exportedService(target, namespace, split.exported, link);
    if (exported !== false) return;
    const selector = `${linkSelectorsText(link, LINKERD_EXPORT_FIELDS)}${link ? ` of Link "${namespacedName(link.object.namespace, link.object.name ?? '')}"` : ''}`;
    const withLink = { target, selector, ...(link && { link }) };
    const pod = service || headlessMirror !== undefined ? undefined : endpointMirror(target, namespace, split.exported, link);
    if (pod?.kind === 'resolved' || pod?.kind === 'unknown') return;
    if (pod) {
      const { headless, statefulSet } = pod;
      return void out.push({ kind: pod.kind, ...base, exported: headless.name, ...withLink, targetService: headless, statefulSet, pod: pod.pod });
    }
    out.push({ kind: 'noExport', ...base, ...withLink, ...(service && { targetService: service }) });
  };
  for (const cluster of set.clusters) {
    for (const ref of cluster.linkerdBackendRefs) {
      // A real Service of that name, or a mirror checked in (reported as such below).
      if ((cluster.servicesByName.get(ref.name) ?? []).some((s) => inNamespace(s.namespace, ref.namespace))) continue;
      check(cluster, ref.name, ref.namespace, ref.source, { ref });
    }
    for (const list of cluster.servicesByName.values()) {
      for (const service of list) {
        if (service.labels[LINKERD_MIRRORED] !== 'true') continue;
        const at = fieldPlace(service.object, 'metadata', 'labels', LINKERD_MIRRORED);
        check(cluster, service.name, service.namespace, at, { service }, service.labels[LINKERD_MIRROR_CLUSTER], service.labels[LINKERD_HEADLESS_MIRROR]);
      }
    }
  }
  return out;
}

function trustProblems(set: ClusterSetModel): LinkerdTrustProblem[] {
  const out: LinkerdTrustProblem[] = [];
  const declared = set.clusters.flatMap((source) =>
    source.linkerdLinks.flatMap((link) => {
      const target = set.clusterByName.get(link.targetClusterName.value);
      return target && target !== source ? [{ source, target, link }] : [];
    }),
  );
  // No Link in the repository: clusters that export Services are assumed linked to every other Linkerd cluster.
  const pairs: { source: ClusterModel; target: ClusterModel; link?: LinkerdLinkFacts }[] =
    declared.length > 0 || !linkerdLabelled(set).some((l) => l.matched)
      ? declared
      : set.clusters.flatMap((source, i) => set.clusters.slice(i + 1).map((target) => ({ source, target })));
  const seen = new Set<string>();
  for (const { source, target, link } of pairs) {
    const key = [source.name, target.name].sort().join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    const anchors = linkerdSettings(source)?.trustAnchors;
    const targetAnchors = linkerdSettings(target)?.trustAnchors;
    if (anchors && targetAnchors && !anchors.value.some((a) => targetAnchors.value.some((b) => sameCertificate(a, b))))
      out.push({ kind: 'anchorsDiffer', source, target, anchors, targetAnchors, ...(link && { link }) });
  }
  for (const cluster of set.clusters) {
    const s = linkerdSettings(cluster);
    if (!s?.issuer || !s.trustAnchors) continue;
    const [leaf, ...intermediates] = s.issuer.value;
    if (!chainsTo(leaf, intermediates, s.trustAnchors.value)) out.push({ kind: 'issuerNotSigned', cluster, issuer: s.issuer, anchors: s.trustAnchors });
  }
  return out;
}

const VIEW = viewKey<LinkerdLinksView>('linkerd-links');

/** The Linkerd link, mirror and trust problems of a set (built once per set; see the file comment). */
export function linkerdLinkProblems(set: ClusterSetModel, run: RunModel): LinkerdLinksView {
  return viewOf(set, VIEW, () => {
    const runClusters = new Set(run.sets.flatMap((s) => s.clusters.map((c) => c.name)));
    return { links: linkProblems(set, runClusters), mirrors: mirrorProblems(set, runClusters), trust: trustProblems(set) };
  });
}
