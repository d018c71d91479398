/**
 * Services, ServiceExports and Namespaces by `namespace/name` (MCS namespace sameness).
 * ServiceExports come in three API groups that behave alike: the MCS API
 * `multicluster.x-k8s.io` (v1alpha1, v1beta1), GKE's `net.gke.io` and Azure fleet's
 * `networking.fleet.azure.com`.
 */
import { stringRecord } from '../placeholder.js';
import { compact } from '../../base/memory.js';
import type { Fact, ServiceFacts, ServicePortFacts } from '../types.js';
import type { ExtractContext, FactSource } from './types.js';
import { NETWORK_LABEL } from './istio.js';

/** API groups whose `ServiceExport` exports the Service of the same namespace/name. */
export const SERVICE_EXPORT_GROUPS = ['multicluster.x-k8s.io', 'net.gke.io', 'networking.fleet.azure.com'] as const;

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A string map (labels, annotations, selector) at `path`, or undefined when absent or invalid.
 * Non-string values are dropped (the `schema` rule reports them).
 */
export function stringMap(ctx: ExtractContext, path: readonly (string | number)[]): Readonly<Record<string, string>> | undefined {
  return stringRecord(ctx.get(path));
}

function ports(ctx: ExtractContext): ServicePortFacts[] {
  const list = ctx.get(['spec', 'ports']);
  if (!Array.isArray(list)) return [];
  return compact(
    list.flatMap((_, index): ServicePortFacts[] => {
      const at = (field: string) => ctx.get(['spec', 'ports', index, field]);
      if (typeof ctx.get(['spec', 'ports', index]) !== 'object') return [];
      const name = at('name');
      const port = at('port');
      const protocol = at('protocol');
      const appProtocol = at('appProtocol');
      const targetPort = at('targetPort');
      return [
        {
          index,
          name: typeof name === 'string' && name !== '' ? name : undefined,
          port: typeof port === 'number' ? port : undefined,
          protocol: typeof protocol === 'string' ? protocol : 'TCP',
          protocolIsDefault: typeof protocol !== 'string',
          appProtocol: typeof appProtocol === 'string' ? appProtocol : undefined,
          targetPort: typeof targetPort === 'number' || typeof targetPort === 'string' ? targetPort : undefined,
          source: ctx.source(['spec', 'ports', index], `Service spec.ports[${index}]`),
        },
      ];
    }),
  );
}

/** A string field of `spec` as a fact, or nothing when absent or invalid. */
function specString(ctx: ExtractContext, field: string): Fact<string> | undefined {
  const v = ctx.get(['spec', field]);
  return typeof v === 'string' ? { value: v, source: ctx.source(['spec', field], `Service spec.${field}`) } : undefined;
}

/** The Service fields that must agree across exporting clusters (MCS conflict checks). */
const CONFLICT_FIELDS = ['sessionAffinity', 'sessionAffinityConfig', 'internalTrafficPolicy', 'trafficDistribution', 'ipFamilyPolicy', 'ipFamilies'];
const NO_FACTS: Partial<ServiceFacts> = Object.freeze({});

function optionalSpecFacts(ctx: ExtractContext): Partial<ServiceFacts> {
  // Most Services set none of these fields: look at the spec once before reading field by field.
  const spec = ctx.object.body?.spec;
  if (typeof spec !== 'object' || spec === null || !CONFLICT_FIELDS.some((f) => f in spec)) return NO_FACTS;
  const out: { -readonly [K in keyof ServiceFacts]?: ServiceFacts[K] } = {};
  const sessionAffinity = specString(ctx, 'sessionAffinity');
  if (sessionAffinity) out.sessionAffinity = sessionAffinity;
  const timeoutPath = ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'];
  const timeout = ctx.get(timeoutPath);
  if (typeof timeout === 'number') out.sessionAffinityTimeout = { value: timeout, source: ctx.source(timeoutPath, 'Service spec.sessionAffinityConfig.clientIP.timeoutSeconds') };
  const itp = specString(ctx, 'internalTrafficPolicy');
  if (itp) out.internalTrafficPolicy = itp;
  const td = specString(ctx, 'trafficDistribution');
  if (td) out.trafficDistribution = td;
  const policy = specString(ctx, 'ipFamilyPolicy');
  if (policy) out.ipFamilyPolicy = policy;
  const families = ctx.get(['spec', 'ipFamilies']);
  if (Array.isArray(families) && families.every((f) => typeof f === 'string')) {
    out.ipFamilies = { value: families, source: ctx.source(['spec', 'ipFamilies'], 'Service spec.ipFamilies') };
  }
  return out;
}

/** Indexes Services (type default ClusterIP, ports, selector), ServiceExports and Namespaces. */
export const servicesSource: FactSource = {
  id: 'services',
  handles: ['core/Service', 'core/Namespace', ...SERVICE_EXPORT_GROUPS.map((g) => `${g}/ServiceExport`)],
  extract(ctx) {
    const { cluster, object } = ctx;
    const name = ctx.get(['metadata', 'name']);
    if (typeof name !== 'string' || name === '') return;
    const labels = stringMap(ctx, ['metadata', 'labels']) ?? EMPTY;
    const annotations = stringMap(ctx, ['metadata', 'annotations']) ?? EMPTY;
    if (object.kind === 'Namespace') {
      if (cluster.namespaces.has(name)) return;
      const label = labels[NETWORK_LABEL];
      const network = label ? { value: label, source: ctx.source(['metadata', 'labels', NETWORK_LABEL], `Namespace "${name}" label ${NETWORK_LABEL}`) } : undefined;
      cluster.namespaces.set(name, { object, name, labels, annotations, ...(network ? { network } : {}) });
      return;
    }
    // A placeholder namespace (`${APP_NS}`) is chosen at apply time, like a missing one.
    const ns = ctx.get(['metadata', 'namespace']);
    const namespace = typeof ns === 'string' ? ns : undefined;
    if (object.kind === 'ServiceExport') {
      const body = object.body as { metadata?: Record<string, unknown>; spec?: unknown } | undefined;
      const created = body?.metadata && 'creationTimestamp' in body.metadata ? ctx.get(['metadata', 'creationTimestamp']) : undefined;
      const ms = typeof created === 'string' ? Date.parse(created) : Number.NaN;
      const hasSpec = typeof body?.spec === 'object' && body.spec !== null;
      const exportedLabels = hasSpec ? stringMap(ctx, ['spec', 'exportedLabels']) : undefined;
      const exportedAnnotations = hasSpec ? stringMap(ctx, ['spec', 'exportedAnnotations']) : undefined;
      cluster.serviceExports.push({
        object,
        name,
        namespace,
        cluster: cluster.name,
        ...(typeof created === 'string' &&
          !Number.isNaN(ms) && {
            creationTimestamp: { value: created, ms, source: ctx.source(['metadata', 'creationTimestamp'], 'ServiceExport metadata.creationTimestamp') },
          }),
        ...(exportedLabels && { exportedLabels: { value: exportedLabels, source: ctx.source(['spec', 'exportedLabels'], 'ServiceExport spec.exportedLabels') } }),
        ...(exportedAnnotations && {
          exportedAnnotations: { value: exportedAnnotations, source: ctx.source(['spec', 'exportedAnnotations'], 'ServiceExport spec.exportedAnnotations') },
        }),
      });
      return;
    }
    const type = ctx.get(['spec', 'type']);
    const clusterIP = ctx.get(['spec', 'clusterIP']);
    cluster.services.push({
      object,
      cluster: cluster.name,
      name,
      namespace,
      type:
        typeof type === 'string'
          ? { value: type, source: ctx.source(['spec', 'type'], 'Service spec.type') }
          : { value: 'ClusterIP', source: ctx.source(['spec', 'type'], 'Service spec.type'), isDefault: true },
      clusterIP: typeof clusterIP === 'string' ? { value: clusterIP, source: ctx.source(['spec', 'clusterIP'], 'Service spec.clusterIP') } : undefined,
      headless: clusterIP === 'None',
      ports: ports(ctx),
      selector: stringMap(ctx, ['spec', 'selector']),
      labels,
      annotations,
      ...optionalSpecFacts(ctx),
    });
  },
};
