/**
 * The fixtures of `cidr-source-mismatch` and `submariner-cni` (`fixtures/cidr-sources-*`,
 * `fixtures/submariner-cni-*`) linted whole with both rules: the findings their READMEs promise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import cidrSourceMismatch from '../rules/cidr-source-mismatch.js';
import submarinerCni from '../rules/submariner-cni.js';
import { lintScenario, type Files } from './helpers/scenario.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

/** The YAML files of a fixture folder, by path relative to it. */
function filesOf(name: string): Files {
  const root = join(fixtures, name);
  const entries = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.yaml'));
  return Object.fromEntries(entries.map((e) => [relative(root, join(e.parentPath, e.name)).split('\\').join('/'), readFileSync(join(e.parentPath, e.name))]));
}

async function findings(name: string): Promise<string[]> {
  const { relFindings, internalErrors } = await lintScenario(filesOf(name), { rules: [cidrSourceMismatch, submarinerCni] });
  expect(internalErrors).toEqual([]);
  return relFindings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.messageId} ${f.severity}`).sort();
}

describe('CIDR source and Submariner CNI fixtures', () => {
  it('cidr-sources-mismatch: a Submariner CR and a Calico pool that disagree with kubeadm', async () => {
    expect(await findings('cidr-sources-mismatch')).toEqual([
      'east/calico.yaml:6:9 cidr-source-mismatch poolOutside 1',
      'east/submariner.yaml:2:7 submariner-cni missingPool 1',
      'east/submariner.yaml:2:7 submariner-cni missingPool 1',
      'east/submariner.yaml:8:16 cidr-source-mismatch differs 2',
    ]);
  });

  it('submariner-cni-calico: a NATing pool for a remote Service CIDR and kube-proxy in ipvs mode', async () => {
    expect(await findings('submariner-cni-calico')).toEqual(['east/ippools.yaml:26:16 submariner-cni poolNatOutgoing 2', 'east/kube-proxy.yaml:3:7 submariner-cni ipvs 2']);
  });
});
