import { expect } from 'vitest';
import rule from '../../rules/cluster-identity.js';
import { ruleTester, type InvalidCase, type ValidCase } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';
import { submariner } from '../helpers/manifests.js';

/** A ClusterProperty; `spec.value` at 6:10. */
const property = (name: string, value: string) => yaml`
  apiVersion: about.k8s.io/v1alpha1
  kind: ClusterProperty
  metadata:
    name: ${name}
  spec:
    value: "${value}"
`;
const VALUE = { line: 6, column: 10 };
const sub = (clusterID: string, clusterCIDR = '10.0.0.0/16') => submariner({ clusterID, clusterCIDR, serviceCIDR: '10.96.0.0/16' });
const ID = { line: 7, column: 14 }; // submariner() clusterID value

/** Cilium values; `cluster.name` value at 2:9, `cluster.id` at 3:7, extra lines from line 6. */
const cilium = (name: string, id: number | string, ...extra: string[]) =>
  ['cluster:', `  name: ${name}`, `  id: ${id}`, 'clustermesh:', '  useAPIServer: true', ...extra, ''].join('\n');
const CNAME = { line: 2, column: 9 };
const CID = { line: 3, column: 7 };

const VALID_IDS = ['abcdef', '012345', 'a0b-1c2d3ef', 'a0b1c2d3---e4f5', '1'.repeat(63)];
const INVALID_IDS = ['A1b2c3d4e5f6', 'abcdéfg', 'abcde.g', '-abcdef', 'abcdef-', 'a'.repeat(64)];

const validIDs: ValidCase[] = VALID_IDS.map((id) => ({
  name: `cluster ID ${JSON.stringify(id)} is a valid RFC 1123 label`,
  files: { [`${id}/id.yaml`]: property('cluster.clusterset.k8s.io', id) },
}));
const invalidIDs: InvalidCase[] = INVALID_IDS.map((id) => ({
  name: `cluster ID ${JSON.stringify(id)} is not a valid RFC 1123 label`,
  files: { [`${id}/id.yaml`]: property('cluster.clusterset.k8s.io', id) },
  findings: [
    {
      file: `${id}/id.yaml`,
      ...VALUE,
      severity: 2,
      cluster: id,
      messageId: 'invalidID',
      data: { field: 'ClusterProperty cluster.clusterset.k8s.io', value: id, cluster: id, errors: expect.stringMatching(/^\[.*\]$/) },
    },
  ],
}));

ruleTester(rule, {
  valid: [
    ...validIDs,
    // Placeholders are unknowns (reported by unrendered-placeholder): never identities, duplicates, defaults or missing values.
    {
      name: 'the same placeholder cluster ID in two clusters is not a duplicate, nor a disagreement with other sources',
      files: {
        'east/submariner.yaml': sub('${CLUSTER_ID}'),
        'west/submariner.yaml': sub('${CLUSTER_ID}', '10.1.0.0/16'),
        'east/id.yaml': property('cluster.clusterset.k8s.io', 'east'),
        'west/id.yaml': property('cluster.clusterset.k8s.io', '$(CLUSTER_ID)'),
        'east/set.yaml': property('clusterset.k8s.io', '${CLUSTERSET}'),
        'west/set.yaml': property('clusterset.k8s.io', 'prod'),
      },
    },
    {
      name: 'Cilium: a placeholder cluster.id in a mesh is not "unset, so 0", nor duplicated; a placeholder name is not "default"',
      files: {
        'a/cilium.yaml': cilium('a', '${CLUSTER_ID}'),
        'b/cilium.yaml': cilium('b', '${CLUSTER_ID}'),
        'c/cilium.yaml': cilium('<cluster-name>', 3),
        'd/cilium.yaml': cilium('${CLUSTER_NAME}', '${CLUSTER_ID}'),
      },
    },
    {
      name: 'placeholder kind and kubeadm names are no identity (and no kind default "kind")',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: east\n',
        'east/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: ${KIND_CLUSTER}\n',
        'east/kubeadm.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: ${CLUSTER_NAME}\n',
      },
    },
    {
      name: 'every identity source agrees, IDs unique, one ClusterSet, a Cilium mesh with unique names and IDs',
      files: {
        'east/submariner.yaml': sub('east'),
        'east/id.yaml': property('cluster.clusterset.k8s.io', 'east'),
        'east/set.yaml': property('clusterset.k8s.io', 'prod'),
        'east/cilium.yaml': cilium('east', 1),
        'west/submariner.yaml': sub('west', '10.1.0.0/16'),
        'west/id.yaml': property('id.k8s.io', 'west'),
        'west/set.yaml': property('clusterset.k8s.io', 'prod'),
        'west/cilium.yaml': cilium('west', 2),
      },
    },
    {
      name: 'directory names are repository layout: a Cilium name or a UUID cluster ID may differ from them',
      files: { 'east/id.yaml': property('cluster.clusterset.k8s.io', '721ab723-13bc-11e5-aec2-42010af0021e'), 'west/cilium.yaml': cilium('west-1', 2) },
    },
    {
      name: 'two default kind clusters are not two clusters called "kind"',
      files: { 'east/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n', 'west/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n' },
    },
    {
      name: 'Cilium IDs up to 511 with maxConnectedClusters 511 everywhere',
      files: {
        'east/cilium.yaml': cilium('east', 300, '  maxConnectedClusters: 511'),
        'west/cilium.yaml': cilium('west', 511, '  maxConnectedClusters: 511'),
      },
    },
  ],
  invalid: [
    ...invalidIDs,
    {
      name: 'an empty Submariner clusterID',
      files: { 'east/submariner.yaml': sub('""') },
      findings: [{ file: 'east/submariner.yaml', ...ID, messageId: 'invalidID', data: { field: 'Submariner spec.clusterID', value: '' } }],
    },
    {
      name: 'identity sources of one cluster disagree',
      files: {
        'east/submariner.yaml': sub('east'),
        'east/id.yaml': property('cluster.clusterset.k8s.io', 'east-1'),
        'east/cilium.yaml': cilium('east-prod', 1),
      },
      findings: [
        {
          file: 'east/id.yaml',
          ...VALUE,
          severity: 1,
          cluster: 'east',
          messageId: 'twoIdentities',
          data: {
            cluster: 'east',
            claim: 'ClusterProperty cluster.clusterset.k8s.io "east-1"',
            reference: 'Submariner spec.clusterID "east"',
            referenceOrigin: expect.stringMatching(/^Submariner spec\.clusterID in .*east\/submariner\.yaml$/),
          },
          related: [{ file: 'east/submariner.yaml', ...ID }],
        },
        {
          file: 'east/cilium.yaml',
          ...CNAME,
          severity: 1,
          messageId: 'twoIdentities',
          data: { claim: 'Cilium values cluster.name "east-prod"', reference: 'Submariner spec.clusterID "east"' },
        },
      ],
    },
    {
      name: 'a cluster ID used by two clusters',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: east\n  - name: west\n',
        'east/submariner.yaml': sub('prod'),
        'west/submariner.yaml': sub('prod', '10.1.0.0/16'),
      },
      findings: [
        {
          file: 'east/submariner.yaml',
          ...ID,
          severity: 1,
          cluster: 'east',
          messageId: 'nameMismatch',
          data: { cluster: 'east', nameOrigin: 'config clusters[].name', reference: 'Submariner spec.clusterID "prod"', value: 'prod' },
          related: [{ file: 'mclint.config.yaml', line: 2, column: 11 }],
        },
        { file: 'west/submariner.yaml', ...ID, severity: 1, messageId: 'nameMismatch', data: { cluster: 'west', nameOrigin: 'config clusters[].name' } },
        {
          file: 'west/submariner.yaml',
          ...ID,
          severity: 2,
          cluster: 'west',
          messageId: 'duplicateID',
          data: {
            field: 'Submariner spec.clusterID',
            value: 'prod',
            cluster: 'west',
            other: 'east',
            otherOrigin: expect.stringMatching(/^Submariner spec\.clusterID in .*east\/submariner\.yaml$/),
          },
          related: [{ file: 'east/submariner.yaml', ...ID, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a placeholder ID is unknown: a rendered ID elsewhere is still checked, the placeholder is not compared',
      files: {
        'east/submariner.yaml': sub('${CLUSTER_ID}'),
        'west/submariner.yaml': sub('West', '10.1.0.0/16'),
        'west/id.yaml': property('cluster.clusterset.k8s.io', '${CLUSTER_ID}'),
      },
      findings: [{ file: 'west/submariner.yaml', ...ID, messageId: 'invalidID', data: { value: 'West', cluster: 'west' } }],
    },
    {
      name: 'clusters of one set in different ClusterSets by clusterset.k8s.io',
      files: { 'east/set.yaml': property('clusterset.k8s.io', 'prod'), 'west/set.yaml': property('clusterset.k8s.io', 'staging') },
      findings: [
        {
          file: 'west/set.yaml',
          ...VALUE,
          severity: 2,
          cluster: 'west',
          messageId: 'clusterSetSplit',
          data: { cluster: 'west', value: 'staging', other: 'east', otherValue: 'prod' },
          related: [{ file: 'east/set.yaml', ...VALUE, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'Cilium: name too long or malformed, "default" with an ID, IDs out of range, duplicated, zero in a mesh',
      files: {
        'a/cilium.yaml': cilium('a', 1),
        'b/cilium.yaml': cilium('b', 1),
        'c/cilium.yaml': cilium('default', 3),
        'd/cilium.yaml': cilium('d', 256),
        'e/cilium.yaml': cilium('e', 0),
        'f/cilium.yaml': cilium('F_cluster', 6),
        'g/cilium.yaml': cilium('g'.repeat(33), 7),
      },
      findings: [
        { file: 'b/cilium.yaml', ...CID, messageId: 'ciliumDuplicateID', data: { id: 1, cluster: 'b', other: 'a' }, related: [{ file: 'a/cilium.yaml', ...CID, cluster: 'a' }] },
        { file: 'c/cilium.yaml', ...CNAME, messageId: 'ciliumDefaultName', data: { id: 3, cluster: 'c' } },
        { file: 'd/cilium.yaml', ...CID, messageId: 'ciliumIDRange', data: { id: 256, cluster: 'd', max: 255 } },
        { file: 'e/cilium.yaml', ...CID, messageId: 'ciliumIDZero', data: { cluster: 'e', max: 255 } },
        { file: 'f/cilium.yaml', ...CNAME, messageId: 'ciliumNameInvalid', data: { name: 'F_cluster', cluster: 'f' } },
        { file: 'g/cilium.yaml', ...CNAME, messageId: 'ciliumNameInvalid', data: { name: 'g'.repeat(33), cluster: 'g' } },
      ],
    },
    {
      name: 'Cilium: an ID without a name (the default name "default"), and a meshed cluster without an ID (0)',
      files: {
        'a/cilium.yaml': 'cluster:\n  id: 3\nclustermesh:\n  useAPIServer: true\n',
        'b/cilium.yaml': 'cluster:\n  name: b\nclustermesh:\n  useAPIServer: true\n',
      },
      findings: [
        { file: 'a/cilium.yaml', line: 2, column: 7, messageId: 'ciliumNameUnset', data: { cluster: 'a', id: 3 } },
        { file: 'b/cilium.yaml', line: 1, column: 1, messageId: 'ciliumIDUnset', data: { cluster: 'b' } },
      ],
    },
    {
      name: 'Cilium: one cluster name in two clusters',
      files: { 'a/cilium.yaml': cilium('mesh', 1), 'b/cilium.yaml': cilium('mesh', 2) },
      findings: [
        {
          file: 'b/cilium.yaml',
          ...CNAME,
          severity: 2,
          cluster: 'b',
          messageId: 'ciliumDuplicateName',
          data: { name: 'mesh', cluster: 'b', other: 'a', otherOrigin: expect.stringMatching(/^Cilium values cluster\.name in .*a\/cilium\.yaml$/) },
          related: [{ file: 'a/cilium.yaml', ...CNAME, cluster: 'a' }],
        },
      ],
    },
    {
      name: 'Cilium maxConnectedClusters 511 on one cluster only',
      files: { 'east/cilium.yaml': cilium('east', 300, '  maxConnectedClusters: 511'), 'west/cilium.yaml': cilium('west', 2) },
      findings: [
        {
          file: 'west/cilium.yaml',
          line: 1,
          column: 1,
          severity: 2,
          cluster: 'west',
          messageId: 'ciliumMaxConnected',
          data: { cluster: 'west', value: '255 (default)', other: 'east' },
          related: [{ file: 'east/cilium.yaml', line: 6, column: 25, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'Karmada member names longer than 48 characters',
      files: {
        'hub/members.yaml': yaml`
          apiVersion: cluster.karmada.io/v1alpha1
          kind: Cluster
          metadata:
            name: ${'m'.repeat(49)}
          spec:
            syncMode: Push
        `,
      },
      findings: [
        { file: 'hub/members.yaml', line: 4, column: 9, severity: 2, cluster: 'hub', messageId: 'karmadaNameTooLong', data: { name: 'm'.repeat(49), length: 49, max: 48 } },
      ],
    },
  ],
});
