/**
 * Services and ServiceExports by `namespace/name` (MCS namespace sameness). ServiceExports come
 * in three API groups that behave alike: the MCS API `multicluster.x-k8s.io` (v1alpha1,
 * v1beta1), GKE's `net.gke.io` and Azure fleet's `networking.fleet.azure.com`.
 */
import type { FactSource } from './types.js';

/** API groups whose `ServiceExport` exports the Service of the same namespace/name. */
export const SERVICE_EXPORT_GROUPS = ['multicluster.x-k8s.io', 'net.gke.io', 'networking.fleet.azure.com'] as const;

/** Indexes Services (with their type, default ClusterIP) and ServiceExports of every flavour. */
export const servicesSource: FactSource = {
  id: 'services',
  handles: ['core/Service', ...SERVICE_EXPORT_GROUPS.map((g) => `${g}/ServiceExport`)],
  extract(ctx) {
    const { cluster, object } = ctx;
    const name = ctx.get(['metadata', 'name']);
    if (typeof name !== 'string' || name === '') return;
    // A placeholder namespace (`${APP_NS}`) is chosen at apply time, like a missing one.
    const ns = ctx.get(['metadata', 'namespace']);
    const namespace = typeof ns === 'string' ? ns : undefined;
    if (object.kind === 'ServiceExport') {
      cluster.serviceExports.push({ object, name, namespace });
      return;
    }
    const type = ctx.get(['spec', 'type']);
    cluster.services.push({
      object,
      cluster: cluster.name,
      name,
      namespace,
      type:
        typeof type === 'string'
          ? { value: type, source: ctx.source(['spec', 'type'], 'Service spec.type') }
          : { value: 'ClusterIP', source: ctx.source(['spec', 'type'], 'Service spec.type'), isDefault: true },
    });
  },
};
