/**
 * Workloads and the labels of the pods they create: what Istio subsets, Services and
 * `failoverPriority` labels select. Pod templates of Deployment, StatefulSet, DaemonSet,
 * ReplicaSet (`spec.template`), Job (`spec.template`), CronJob (`spec.jobTemplate.spec.template`),
 * Argo Rollout (`spec.template`), and a Pod's own labels.
 */
import { stringRecord } from '../placeholder.js';
import type { Path } from '../../base/types.js';
import type { ExtractContext, FactSource } from './types.js';

/** Where each workload kind keeps its pod labels, relative to the object body. */
export const POD_LABELS_PATH: Readonly<Record<string, Path>> = {
  Pod: ['metadata', 'labels'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'],
  Deployment: ['spec', 'template', 'metadata', 'labels'],
  StatefulSet: ['spec', 'template', 'metadata', 'labels'],
  DaemonSet: ['spec', 'template', 'metadata', 'labels'],
  ReplicaSet: ['spec', 'template', 'metadata', 'labels'],
  Job: ['spec', 'template', 'metadata', 'labels'],
  Rollout: ['spec', 'template', 'metadata', 'labels'],
};

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The label map at `path`: the manifest's own object when every value is a string (no copy: pod
 * templates are many), else a copy without the other values (the `schema` rule reports them).
 */
function labelsAt(ctx: ExtractContext, path: Path): Readonly<Record<string, string>> {
  return stringRecord(ctx.get(path)) ?? EMPTY;
}

/** Reads the pod-template labels of workloads. */
export const workloadsSource: FactSource = {
  id: 'workloads',
  handles: [
    'core/Pod',
    ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].flatMap((k) => [`apps/${k}`, `extensions/${k}`]),
    'batch/Job',
    'batch/CronJob',
    'argoproj.io/Rollout',
  ],
  extract(ctx) {
    const { object } = ctx;
    const name = ctx.get(['metadata', 'name']);
    const path = POD_LABELS_PATH[object.kind];
    if (typeof name !== 'string' || name === '' || !path) return;
    const ns = ctx.get(['metadata', 'namespace']);
    ctx.cluster.workloads.push({
      object,
      cluster: ctx.cluster.name,
      kind: object.kind,
      name,
      namespace: typeof ns === 'string' ? ns : undefined,
      labels: labelsAt(ctx, path),
      source: ctx.source(path, `${object.kind} pod template labels`),
    });
  },
};
