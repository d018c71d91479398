import rule from '../../rules/liqo-foreign-cluster.js';
import { ruleTester } from '../helpers/rule-tester.js';

const fc = (name: string, id: string) => `apiVersion: core.liqo.io/v1beta1\nkind: ForeignCluster\nmetadata:\n  name: ${name}\nspec:\n  clusterID: ${id}\n`;
const fcOld = (id: string, clusterName: string) =>
  `apiVersion: discovery.liqo.io/v1alpha1\nkind: ForeignCluster\nmetadata:\n  name: peer\nspec:\n  clusterIdentity:\n    clusterID: ${id}\n    clusterName: ${clusterName}\n`;
const netConfig = (id: string) =>
  `apiVersion: networking.liqo.io/v1beta1\nkind: Configuration\nmetadata:\n  name: peer\n  namespace: liqo-tenant-x\n  labels:\n    liqo.io/remote-cluster-id: ${id}\nspec:\n  remote:\n    cidr:\n      pod: [10.244.0.0/16]\n`;
const idMap = (id: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: liqo-clusterid-configmap\n  namespace: liqo\ndata:\n  CLUSTER_ID: ${id}\n`;

ruleTester(rule, {
  valid: [
    { name: 'a network Configuration naming the other cluster', files: { 'rome/net.yaml': netConfig('milan'), 'milan/id.yaml': idMap('def') } },
    { name: 'a ForeignCluster naming the other cluster by name', files: { 'rome/fc.yaml': fc('milan', 'milan'), 'milan/ns.yaml': fc('rome', 'rome') } },
    {
      name: 'a ForeignCluster naming the other cluster by its Liqo cluster ID (liqo-clusterid-configmap)',
      files: { 'rome/fc.yaml': fc('milan', '0b6d2c5e-8d4a-4f1e-9c33-5f1d2a7e9b10'), 'milan/id.yaml': idMap('0b6d2c5e-8d4a-4f1e-9c33-5f1d2a7e9b10') },
    },
    { name: 'discovery.liqo.io/v1alpha1: an unknown ID with a known clusterName', files: { 'rome/fc.yaml': fcOld('abc', 'milan'), 'milan/id.yaml': idMap('def') } },
    { name: 'an unrendered clusterID is no fact', files: { 'rome/fc.yaml': fc('milan', '"${MILAN_ID}"'), 'milan/id.yaml': idMap('def') } },
  ],
  invalid: [
    {
      name: 'a network Configuration for a peer no cluster of the set has',
      files: { 'rome/net.yaml': netConfig('naples'), 'milan/id.yaml': idMap('def') },
      findings: [{ file: 'rome/net.yaml', line: 7, column: 32, cluster: 'rome', messageId: 'unknownPeer', data: { kind: 'Configuration', clusterID: 'naples' } }],
    },
    {
      name: 'a peer no cluster of the set has, and a cluster naming itself',
      files: { 'rome/fc.yaml': `${fc('turin', 'turin')}---\n${fc('self', 'rome')}`, 'milan/id.yaml': idMap('def') },
      findings: [
        {
          file: 'rome/fc.yaml',
          line: 6,
          column: 14,
          cluster: 'rome',
          severity: 1,
          messageId: 'unknownPeer',
          data: { cluster: 'rome', clusterID: 'turin', clusters: 'milan, rome' },
        },
        { file: 'rome/fc.yaml', line: 13, column: 14, cluster: 'rome', messageId: 'selfPeer', data: { cluster: 'rome', clusterID: 'rome' } },
      ],
    },
  ],
});
