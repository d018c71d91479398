/**
 * Manifest builders for the Multi-Cluster Services rules, with fixed line layouts so tests can
 * state exact positions.
 */

/**
 * A Service. Layout: line 4 `name` (value at column 9), line 5 `namespace` (column 14) when
 * given, then the `meta` lines (indented under metadata; they shift everything below), `spec:`,
 * `ports:`, the i-th port as a one-line flow map at column 7 (line 8+i with a namespace and no
 * meta), then the `spec` lines (indented under spec).
 */
export function svc(o: { name: string; namespace?: string; ports: string[]; spec?: string[]; meta?: string[] }): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${o.name}`,
    ...(o.namespace !== undefined ? [`  namespace: ${o.namespace}`] : []),
    ...(o.meta ?? []).map((l) => `  ${l}`),
    'spec:',
    '  ports:',
    ...o.ports.map((p) => `    - {${p}}`),
    ...(o.spec ?? []).map((l) => `  ${l}`),
    '',
  ].join('\n');
}

/**
 * An MCS ServiceExport. Line 4 `name` (column 9), line 5 `namespace` (column 14), line 6
 * `creationTimestamp` (column 22) when given, then `spec` lines.
 */
export function svcExport(o: { name: string; namespace?: string; created?: string; spec?: string[]; apiVersion?: string }): string {
  return [
    `apiVersion: ${o.apiVersion ?? 'multicluster.x-k8s.io/v1alpha1'}`,
    'kind: ServiceExport',
    'metadata:',
    `  name: ${o.name}`,
    ...(o.namespace !== undefined ? [`  namespace: ${o.namespace}`] : []),
    ...(o.created !== undefined ? [`  creationTimestamp: "${o.created}"`] : []),
    ...(o.spec ? ['spec:', ...o.spec.map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

/** A Service and its ServiceExport as one two-document file (the export starts on line 9 + ports + spec). */
export function exported(o: Parameters<typeof svc>[0] & { created?: string }): string {
  return `${svc(o)}---\n${svcExport({ name: o.name, namespace: o.namespace, created: o.created })}`;
}
