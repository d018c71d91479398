import rule from '../../rules/ocm-placement.js';
import { ruleTester } from '../helpers/rule-tester.js';

const OCM = 'apiVersion: cluster.open-cluster-management.io/v1beta2';
/** ManagedClusterSets, one document each: document i's name on line 4 + 6i, column 9. */
const sets = (...names: string[]) =>
  names.map((n) => `${OCM}\nkind: ManagedClusterSet\nmetadata:\n  name: ${n}\nspec:\n  clusterSelector: {selectorType: ExclusiveClusterSetLabel}\n`).join('---\n');
/** A ManagedClusterSetBinding: its name on line 4, column 9; `spec.clusterSet` on line 7, column 15. */
const binding = (name: string, set = name, namespace = 'apps') =>
  `${OCM}\nkind: ManagedClusterSetBinding\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  clusterSet: ${set}\n`;
/** A Placement in `namespace`: clusterSets item i on line 8 + i, column 5. */
const placement = (clusterSets: string[], namespace = 'apps') =>
  `apiVersion: cluster.open-cluster-management.io/v1beta1\nkind: Placement\nmetadata:\n  name: web\n  namespace: ${namespace}\nspec:\n  clusterSets:\n${clusterSets.map((s) => `  - ${s}\n`).join('')}`;

ruleTester(rule, {
  valid: [
    {
      name: "a Placement selecting from defined sets bound to its namespace; OCM's own global set",
      files: { 'hub/sets.yaml': sets('prod', 'staging'), 'hub/bindings.yaml': binding('prod') + '---\n' + binding('global'), 'hub/placement.yaml': placement(['prod', 'global']) },
    },
    {
      name: 'the global set in open-cluster-management-global-set: the platform binds it there itself',
      files: {
        'hub/sets.yaml': sets('prod'),
        'hub/bindings.yaml': binding('prod'),
        'hub/placement.yaml': placement(['global'], 'open-cluster-management-global-set'),
      },
    },
    {
      name: 'no ManagedClusterSet and no binding in the repository: nothing to compare',
      files: { 'hub/placement.yaml': placement(['prod']) },
    },
    {
      name: 'garbage and placeholders never count',
      files: {
        'hub/sets.yaml': sets('prod'),
        'hub/bindings.yaml': binding('prod'),
        'hub/placement.yaml': placement(['prod', '${SET}', '3']),
        'hub/bad.yaml': `${OCM}\nkind: ManagedClusterSetBinding\nmetadata:\n  name: x\nspec:\n  clusterSet: [a]\n---\napiVersion: cluster.open-cluster-management.io/v1beta1\nkind: Placement\nmetadata:\n  name: p\nspec:\n  clusterSets: prod\n`,
      },
    },
  ],
  invalid: [
    {
      name: 'a Placement naming an undefined set (typo): reported as unknown only, not also as unbound',
      files: { 'hub/sets.yaml': sets('prod', 'staging'), 'hub/bindings.yaml': binding('prod'), 'hub/placement.yaml': placement(['prod', 'stagng']) },
      findings: [
        {
          file: 'hub/placement.yaml',
          line: 9,
          column: 5,
          severity: 2,
          cluster: 'hub',
          messageId: 'unknownSet',
          data: { object: 'Placement "web"', set: 'stagng', suggestion: ' (did you mean "staging"?)' },
          related: [{ file: 'hub/sets.yaml', line: 11, column: 9 }],
        },
      ],
    },
    {
      name: 'a binding named unlike its set, and a set bound only in another namespace',
      files: {
        'hub/sets.yaml': sets('prod', 'staging'),
        'hub/bindings.yaml': binding('prod-binding', 'prod') + '---\n' + binding('staging', 'staging', 'other'),
        'hub/placement.yaml': placement(['staging']),
      },
      findings: [
        {
          file: 'hub/bindings.yaml',
          line: 7,
          column: 15,
          messageId: 'bindingName',
          data: { name: 'prod-binding', set: 'prod' },
          related: [{ file: 'hub/bindings.yaml', line: 4, column: 9 }],
        },
        { file: 'hub/placement.yaml', line: 8, column: 5, messageId: 'unbound', data: { set: 'staging', namespace: 'apps' } },
      ],
    },
  ],
});
