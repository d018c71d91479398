/**
 * Multi-Cluster Services facts beyond Services and ServiceExports:
 * - ServiceImports checked into the repository (`multicluster.x-k8s.io` v1alpha1/v1beta1/v1alpha2,
 *   GKE's `net.gke.io`, Azure fleet's `networking.fleet.azure.com`): `type` and `ports` under `spec`,
 *   except in `multicluster.x-k8s.io/v1alpha2`, whose ServiceImport has no `spec` and carries
 *   `ports`, `ips`, `type` and `sessionAffinity` at the root of the object
 *   (kubernetes-sigs/mcs-api `pkg/apis/v1alpha2/serviceimport.go`; `pkg/apis/v1beta1/serviceimport.go`
 *   has them in `ServiceImportSpec`);
 * - references to ServiceImports: Gateway API routes (`gateway.networking.k8s.io`
 *   HTTPRoute/GRPCRoute/TCPRoute/TLSRoute/UDPRoute `spec.rules[].backendRefs[]` and
 *   `requestMirror` filters; the older `networking.x-k8s.io/v1alpha1` `spec.rules[].forwardTo[].backendRef`
 *   shape) with `kind: ServiceImport`, and Azure fleet `MultiClusterService` `spec.serviceImport.name`;
 * - Linkerd multicluster `Link`s (`multicluster.linkerd.io`, `spec.targetClusterName`,
 *   `targetClusterDomain`, `targetClusterLinkerdNamespace`, `gatewayIdentity`);
 * - StatefulSets (`spec.serviceName`, `spec.replicas`, `spec.ordinals.start`): the pod hostnames of headless exports.
 */
import type { Path } from '../../base/types.js';
import type { ManifestObject } from '../../load/types.js';
import type { Fact, ServiceImportPortFacts } from '../types.js';
import type { ExtractContext, FactSource } from './types.js';

/** API groups whose `ServiceImport` is the MCS ServiceImport (or a vendor copy of it). */
export const SERVICE_IMPORT_GROUPS = ['multicluster.x-k8s.io', 'net.gke.io', 'networking.fleet.azure.com'] as const;

/** Route kinds of the Gateway API (current and the old `networking.x-k8s.io` group). */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'] as const;
const ROUTE_GROUPS = ['gateway.networking.k8s.io', 'networking.x-k8s.io'] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Where a ServiceImport keeps `type` and `ports`: the object itself in `multicluster.x-k8s.io/v1alpha2`
 * (mcs-api `pkg/apis/v1alpha2/serviceimport.go`), `spec` in every other version and vendor copy.
 */
function serviceImportFields(object: Pick<ManifestObject, 'group' | 'version'>): Path {
  return object.group === 'multicluster.x-k8s.io' && object.version === 'v1alpha2' ? [] : ['spec'];
}

/** A field below `base` as written, for origins (`spec.ports`, `ports`). */
const fieldName = (base: Path, field: string) => [...base, field].join('.');

function serviceImportPorts(ctx: ExtractContext, base: Path): ServiceImportPortFacts[] | undefined {
  const list = ctx.get([...base, 'ports']);
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((_, i): ServiceImportPortFacts[] => {
    if (typeof ctx.get([...base, 'ports', i]) !== 'object') return [];
    const at = (f: string) => ctx.get([...base, 'ports', i, f]);
    const port = at('port');
    return [
      {
        name: str(at('name')),
        port: typeof port === 'number' ? port : undefined,
        protocol: str(at('protocol')) ?? 'TCP',
        appProtocol: str(at('appProtocol')),
        source: ctx.source([...base, 'ports', i], `ServiceImport ${fieldName(base, 'ports')}[${i}]`),
      },
    ];
  });
}

/**
 * Records a `{group, kind, name, namespace}` reference at `path` when its kind is ServiceImport.
 * @param via describes the field for messages (`HTTPRoute backendRef`)
 */
function addBackendRef(ctx: ExtractContext, path: Path, via: string, namespace: string | undefined): void {
  if (ctx.get([...path, 'kind']) !== 'ServiceImport') return;
  const name = str(ctx.get([...path, 'name']));
  if (!name) return;
  const ns = str(ctx.get([...path, 'namespace'])) ?? namespace;
  const group = str(ctx.get([...path, 'group']));
  ctx.cluster.serviceImportRefs.push({
    object: ctx.object,
    cluster: ctx.cluster.name,
    name,
    namespace: ns,
    ...(group && { group }),
    via,
    source: ctx.source([...path, 'name'], `${ctx.object.kind} ${via}`),
  });
}

/** Every list at `path` (an array), as its indexes; [] when absent or not a list. */
function indexes(ctx: ExtractContext, path: Path): number[] {
  const v = ctx.get(path);
  return Array.isArray(v) ? v.map((_, i) => i) : [];
}

/** `requestMirror` filters of a rule or of a backendRef (both API generations). */
function mirrorRefs(ctx: ExtractContext, filtersPath: Path, namespace: string | undefined): void {
  for (const k of indexes(ctx, filtersPath)) {
    const mirror = [...filtersPath, k, 'requestMirror'];
    // v1alpha1: requestMirror.backendRef is a {group, kind, name}; v1: requestMirror.backendRef too.
    addBackendRef(ctx, [...mirror, 'backendRef'], 'requestMirror backendRef', namespace);
  }
}

function routeRefs(ctx: ExtractContext, namespace: string | undefined): void {
  for (const i of indexes(ctx, ['spec', 'rules'])) {
    const rule = ['spec', 'rules', i];
    for (const j of indexes(ctx, [...rule, 'backendRefs'])) {
      addBackendRef(ctx, [...rule, 'backendRefs', j], `rules[${i}].backendRefs[${j}]`, namespace);
      mirrorRefs(ctx, [...rule, 'backendRefs', j, 'filters'], namespace);
    }
    // networking.x-k8s.io/v1alpha1: forwardTo[].backendRef is a LocalObjectReference (route's namespace).
    for (const j of indexes(ctx, [...rule, 'forwardTo'])) {
      addBackendRef(ctx, [...rule, 'forwardTo', j, 'backendRef'], `rules[${i}].forwardTo[${j}].backendRef`, namespace);
      mirrorRefs(ctx, [...rule, 'forwardTo', j, 'filters'], namespace);
    }
    mirrorRefs(ctx, [...rule, 'filters'], namespace);
  }
}

/** A Link's `spec.targetClusterDomain`, `targetClusterLinkerdNamespace` and `gatewayIdentity`, when written. */
function linkFacts(ctx: ExtractContext): Partial<Record<'targetClusterDomain' | 'targetClusterLinkerdNamespace' | 'gatewayIdentity', Fact<string>>> {
  const out: Partial<Record<'targetClusterDomain' | 'targetClusterLinkerdNamespace' | 'gatewayIdentity', Fact<string>>> = {};
  for (const field of ['targetClusterDomain', 'targetClusterLinkerdNamespace', 'gatewayIdentity'] as const) {
    const value = str(ctx.get(['spec', field]));
    if (value) out[field] = { value, source: ctx.source(['spec', field], `Link spec.${field}`) };
  }
  return out;
}

/** Reads ServiceImports, references to them, Linkerd Links and StatefulSets (see the file comment). */
export const mcsSource: FactSource = {
  id: 'mcs',
  handles: [
    ...SERVICE_IMPORT_GROUPS.map((g) => `${g}/ServiceImport`),
    ...ROUTE_GROUPS.flatMap((g) => ROUTE_KINDS.map((k) => `${g}/${k}`)),
    'networking.fleet.azure.com/MultiClusterService',
    'multicluster.linkerd.io/Link',
    'apps/StatefulSet',
  ],
  extract(ctx) {
    const { cluster, object } = ctx;
    const name = str(ctx.get(['metadata', 'name']));
    if (!name) return;
    const namespace = str(ctx.get(['metadata', 'namespace']));
    switch (object.kind) {
      case 'ServiceImport': {
        const base = serviceImportFields(object);
        const type = str(ctx.get([...base, 'type']));
        const ports = serviceImportPorts(ctx, base);
        cluster.serviceImports.push({
          object,
          cluster: cluster.name,
          name,
          namespace,
          ...(type && { type: { value: type, source: ctx.source([...base, 'type'], `ServiceImport ${fieldName(base, 'type')}`) } }),
          ...(ports && { ports, portsSource: ctx.source([...base, 'ports'], `ServiceImport ${fieldName(base, 'ports')}`) }),
        });
        break;
      }
      case 'MultiClusterService':
        // Azure fleet: spec.serviceImport names a ServiceImport in the same namespace.
        {
          const ref = str(ctx.get(['spec', 'serviceImport', 'name']));
          if (ref) {
            cluster.serviceImportRefs.push({
              object,
              cluster: cluster.name,
              name: ref,
              namespace,
              via: 'spec.serviceImport',
              source: ctx.source(['spec', 'serviceImport', 'name'], 'MultiClusterService spec.serviceImport.name'),
            });
          }
        }
        break;
      case 'Link': {
        const target = str(ctx.get(['spec', 'targetClusterName']));
        if (target) {
          cluster.linkerdLinks.push({
            object,
            cluster: cluster.name,
            targetClusterName: { value: target, source: ctx.source(['spec', 'targetClusterName'], 'Link spec.targetClusterName') },
            ...linkFacts(ctx),
          });
        }
        break;
      }
      case 'StatefulSet': {
        const serviceName = str(ctx.get(['spec', 'serviceName']));
        const replicas = ctx.get(['spec', 'replicas']);
        const start = ctx.get(['spec', 'ordinals', 'start']);
        if (serviceName) {
          const counted = typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0;
          cluster.statefulSets.push({
            object,
            name,
            namespace,
            serviceName,
            replicas: counted ? replicas : 1,
            ...((ctx.placeholder(['spec', 'replicas']) !== undefined || (replicas !== undefined && replicas !== null && !counted)) && { replicasUnknown: true as const }),
            ordinalStart: typeof start === 'number' && Number.isInteger(start) && start >= 0 ? start : 0,
          });
        }
        break;
      }
      default:
        routeRefs(ctx, namespace);
    }
  },
};
