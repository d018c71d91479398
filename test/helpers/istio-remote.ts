/** Manifest builders for the Istio multi-cluster wiring tests (fixed line layouts, documented per builder). */

/**
 * An IstioOperator. Layout: line 5 `profile` (value column 12) when given, then `meshID`,
 * `clusterName` (value column 22) and `network`: without a profile `clusterName` is on line 9,
 * with one on line 10.
 */
export const operator = (o: { clusterName: string; meshID?: string; profile?: string; network?: string; extra?: string[] }) =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    `metadata: {name: ${o.profile ?? 'primary'}, namespace: istio-system}`,
    'spec:',
    ...(o.profile ? [`  profile: ${o.profile}`] : []),
    '  values:',
    '    global:',
    `      meshID: ${o.meshID ?? 'mesh1'}`,
    '      multiCluster:',
    `        clusterName: ${o.clusterName}`,
    `      network: ${o.network ?? 'network1'}`,
    ...(o.extra ?? []),
    '',
  ].join('\n');

const kubeconfig = (cluster: string, server: string) => [
  'apiVersion: v1',
  'clusters:',
  '- cluster:',
  `    server: ${server}`,
  `  name: ${cluster}`,
  'kind: Config',
  'users:',
  `- name: ${cluster}`,
  '  user: {token: REDACTED}',
];

/**
 * A remote secret as `istioctl create-remote-secret` writes it. Layout: line 4 `name` (value
 * column 9), line 5 `namespace` (value column 14) when given; the `stringData` key (or `data` key)
 * on the line after `stringData:`, column 3 — line 11 with a namespace, 10 without; the kubeconfig
 * value on the same line.
 */
export const secret = (o: { cluster: string; server?: string; name?: string; namespace?: string | null; base64?: boolean }) => {
  const config = kubeconfig(o.cluster, o.server ?? `https://${o.cluster}.example.com:6443`);
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${o.name ?? `istio-remote-secret-${o.cluster}`}`,
    ...(o.namespace === null ? [] : [`  namespace: ${o.namespace ?? 'istio-system'}`]),
    '  labels:',
    '    istio/multiCluster: "true"',
    '  annotations:',
    `    networking.istio.io/cluster: ${o.cluster}`,
    ...(o.base64 ? ['data:', `  ${o.cluster}: ${Buffer.from(config.join('\n')).toString('base64')}`] : ['stringData:', `  ${o.cluster}: |`, ...config.map((l) => `    ${l}`)]),
    '',
  ].join('\n');
};
