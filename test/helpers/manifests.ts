/**
 * Manifest builders with fixed line layouts, so tests can state exact positions.
 */

/**
 * A Submariner CR. Layout: line 7 `clusterID`, line 8 `clusterCIDR` (value at column 16),
 * line 9 `serviceCIDR` (column 16), line 10 `globalCIDR` (column 15) when given.
 */
export function submariner(o: { clusterID: string; clusterCIDR: string; serviceCIDR: string; globalCIDR?: string; serviceDiscovery?: boolean }): string {
  return [
    'apiVersion: submariner.io/v1alpha1',
    'kind: Submariner',
    'metadata:',
    '  name: submariner',
    '  namespace: submariner-operator',
    'spec:',
    `  clusterID: ${o.clusterID}`,
    `  clusterCIDR: "${o.clusterCIDR}"`,
    `  serviceCIDR: "${o.serviceCIDR}"`,
    ...(o.globalCIDR !== undefined ? [`  globalCIDR: "${o.globalCIDR}"`] : []),
    '  broker: k8s',
    '  brokerK8sApiServer: https://broker.example.com:6443',
    '  brokerK8sRemoteNamespace: submariner-k8s-broker',
    '  ceIPSecDebug: false',
    '  debug: false',
    '  namespace: submariner-operator',
    '  natEnabled: true',
    `  serviceDiscoveryEnabled: ${o.serviceDiscovery ?? false}`,
    '',
  ].join('\n');
}

/** A Submariner Broker with GlobalNet on or off. Line 7: `globalnetEnabled`. */
export function broker(globalnetEnabled: boolean, extra = ''): string {
  return [
    'apiVersion: submariner.io/v1alpha1',
    'kind: Broker',
    'metadata:',
    '  name: submariner-broker',
    '  namespace: submariner-k8s-broker',
    'spec:',
    `  globalnetEnabled: ${globalnetEnabled}`,
    extra,
  ].join('\n');
}

/** A Service. Line 3 `metadata:`, line 4 `name` (column 9), line 5 `namespace` (column 14) when given. */
export function service(name: string, namespace?: string, type?: string): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    ...(namespace !== undefined ? [`  namespace: ${namespace}`] : []),
    'spec:',
    ...(type !== undefined ? [`  type: ${type}`] : []),
    ...(type === 'ExternalName' ? ['  externalName: legacy.example.com'] : ['  ports:', '    - name: http', '      port: 80']),
    '',
  ].join('\n');
}

/** An MCS ServiceExport. Line 4 `name` (column 9), line 5 `namespace` (column 14) when given. */
export function serviceExport(name: string, namespace?: string, apiVersion = 'multicluster.x-k8s.io/v1alpha1'): string {
  return [`apiVersion: ${apiVersion}`, 'kind: ServiceExport', 'metadata:', `  name: ${name}`, ...(namespace !== undefined ? [`  namespace: ${namespace}`] : []), ''].join('\n');
}

/** Joins documents into one multi-document file. */
export const docs = (...parts: string[]) => parts.join('---\n');
