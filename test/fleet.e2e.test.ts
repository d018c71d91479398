/**
 * End-to-end tests of issue 11's "Done when": the built CLI (dist/mclint.js, `npm run build`)
 * spawned on fixtures laid out as real fleet repositories are — clusters below `k8s/clusters`,
 * kustomize overlays rendered with the real kustomize (`kubectl kustomize`), Flux fleets with
 * post-build substitution, Argo CD hubs, Helm values in HelmReleases and umbrella charts, rendered
 * input on standard input, and paths that yield nothing. Findings are checked at their exact
 * file, line and column through `--format json`, with `cluster`, `related` and `via`.
 *
 * Upstream behaviour the expectations follow:
 * - Flux kustomize-controller (`docs/spec/v1/kustomizations.md`, "Post build variable
 *   substitution"): `spec.path` is relative to the source's root; `postBuild.substitute` wins over
 *   `substituteFrom`; `${var:=default}` takes the default when `var` is undefined; a variable with
 *   no value and no default is left as written (mclint: an unknown, never a default); objects
 *   annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are not substituted.
 * - Argo CD (`docs/user-guide/application-specification.md`): `spec.source.path` relative to the
 *   repository root, deployed to `spec.destination.name`.
 * - Submariner (route agent): without GlobalNet, overlapping pod CIDRs of connected clusters
 *   break the connection.
 * - Cilium Cluster Mesh (docs.cilium.io "Setting up Cluster Mesh", requirements): every cluster
 *   needs a unique `cluster.id`, and the PodCIDR ranges of all clusters must not conflict, since
 *   pod IPs are routed between clusters as they are.
 *
 * Fixtures that hold fleet paths (relative to the repository root) are linted from a temporary
 * copy that is its own repository (a `.git` directory is added), since in this checkout their
 * repository root would be mclint's own.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKustomizeTool } from '../src/render/kustomize.js';
import { bin, repoRoot, runCli, type Run } from './helpers/run-cli.js';

/** A message of the JSON report, flattened with its file. */
interface JsonMessage {
  filePath: string;
  ruleId: string;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  cluster?: string;
  via?: string;
  related: { filePath: string; line: number; column: number; cluster?: string }[];
}

interface JsonResult {
  filePath: string;
  messages: Omit<JsonMessage, 'filePath'>[];
  errorCount: number;
  warningCount: number;
}

/** `--print-clusterset --format json`. */
interface ClusterSetJson {
  clusterSets: {
    name: string;
    clusters: {
      name: string;
      origin: string;
      path?: string;
      inputs: number;
      pulls: { tool: string; via: string; filePath: string; path: string; dir?: string; inputs: number; skipped?: string }[];
      podCIDRs: string[];
      serviceCIDRs: string[];
      globalCIDRs: string[];
    }[];
  }[];
  render: { rendered: string[]; unrendered: string[]; failed: string[]; tool?: string };
}

const fixture = (name: string) => join(repoRoot, 'fixtures', name);
const results = (r: Run) => JSON.parse(r.stdout) as JsonResult[];
const messages = (r: Run): JsonMessage[] => results(r).flatMap((f) => f.messages.map((m) => ({ ...m, filePath: f.filePath })));
/** `file:line:column rule cluster` of every finding, for exact comparisons. */
const brief = (r: Run, root: string) => messages(r).map((m) => `${m.filePath.replace(`${root}/`, '')}:${m.line}:${m.column} ${m.ruleId} ${m.cluster}`);

const tool = findKustomizeTool();
if (!tool) console.warn('\n⚠ fleet rendering tests SKIPPED: neither `kustomize` nor `kubectl` is on PATH (install kubectl to run them)\n');
const withTool = tool ? describe : describe.skip;

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A new temporary directory, removed after the tests. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mclint-fleet-${prefix}-`));
  temps.push(dir);
  return dir;
}

/** A copy of a fixture that is its own git repository (a `.git` directory), for fleet paths. */
function repoCopy(name: string): string {
  const dir = tempDir(name);
  cpSync(fixture(name), dir, { recursive: true });
  mkdirSync(join(dir, '.git'));
  return dir;
}

/** Writes files (relative path → content) below `root`. */
function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Runs the CLI with `input` on standard input (the way a pipeline feeds it). */
function runWithStdin(args: string[], input: string, cwd: string): Run {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/mclint.js is missing: run `npm run build` (npm test does it)');
});

describe('k8s/clusters/{east,west} overlays beside docs/, run from the repository root', () => {
  const root = fixture('fleet-k8s-layout');
  const east = join(root, 'k8s/clusters/east');
  const west = join(root, 'k8s/clusters/west');

  withTool('rendered with the real kustomize', () => {
    it('lints exactly east and west, says so, and reports the overlap at the later cluster’s patch line', () => {
      const r = runCli([], { cwd: root });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(
        'k8s/clusters/west/submariner-patch.yaml\n  8:16  error  Pod CIDR 10.10.128.0/17 of cluster "west" overlaps pod CIDR 10.10.0.0/16 of cluster "east"',
      );
      expect(r.stdout).toMatch(/ {2}↳ east: k8s\/clusters\/east\/submariner-patch\.yaml:8:16 {2}pod CIDR 10\.10\.0\.0\/16 of cluster "east"/);
      expect(r.stdout).toContain('✖ 1 problem (1 error, 0 warnings)');
      expect(r.stdout).toMatch(
        /^Read 2 clusters in 1 ClusterSet: .*rendered 2 kustomizations with kubectl|^Read 2 clusters in 1 ClusterSet: .*rendered 2 kustomizations with kustomize/m,
      );
      expect(r.stdout).toMatch(/^Clusters: east \(folder, \d+ files?\), west \(folder, \d+ files?\)\.$/m);
      expect(r.stdout).not.toContain('docs/example');
    });

    it('--format json: one cidr-overlap at west’s patch, related at east’s; nothing from docs/', () => {
      const r = runCli(['--format', 'json'], { cwd: root });
      expect(r.status).toBe(1);
      expect(brief(r, root)).toEqual(['k8s/clusters/west/submariner-patch.yaml:8:16 cidr-overlap west']);
      const [overlap] = messages(r);
      expect(overlap).toMatchObject({
        severity: 2,
        endLine: 8,
        endColumn: 30,
        related: [{ filePath: join(east, 'submariner-patch.yaml'), line: 8, column: 16, cluster: 'east' }],
      });
      expect(overlap.via).toBeUndefined();
      expect(results(r).some((f) => f.filePath.includes('/docs/'))).toBe(false);
      expect(results(r).every((f) => f.filePath.startsWith(join(root, 'k8s') + '/'))).toBe(true);
      expect(r.stderr).toMatch(/^Clusters: east \(folder, \d+ files?\), west \(folder, \d+ files?\)\.$/m);
    });

    it('--print-clusterset (text) shows both clusters with their folders and the rendered kustomizations', () => {
      const r = runCli(['--print-clusterset'], { cwd: root });
      expect(r.status).toBe(0);
      const out = r.stdout;
      expect(out).toMatch(/^ClusterSet default: 2 clusters\n {2}east {2}folder k8s\/clusters\/east, \d+ files?\n {2}west {2}folder k8s\/clusters\/west, \d+ files?\n/);
      expect(out).toMatch(/^rendered 2 kustomizations with (kubectl|kustomize)$/m);
      expect(out).toContain('  rendered k8s/clusters/east\n  rendered k8s/clusters/west\n');
      expect(out).not.toContain('docs');
    });

    it('--print-clusterset --format json: origins, folders, CIDRs of the rendered overlays, rendered kustomizations', () => {
      const r = runCli(['--print-clusterset', '--format', 'json'], { cwd: root });
      expect(r.status).toBe(0);
      const set = JSON.parse(r.stdout) as ClusterSetJson;
      expect(set.clusterSets).toHaveLength(1);
      expect(set.clusterSets[0].clusters.map((c) => [c.name, c.origin, c.path, c.pulls, c.podCIDRs, c.serviceCIDRs, c.globalCIDRs])).toEqual([
        ['east', 'directory', east, [], ['10.10.0.0/16'], ['172.20.0.0/16'], []],
        ['west', 'directory', west, [], ['10.10.128.0/17'], ['172.21.0.0/16'], []],
      ]);
      expect(set.render).toMatchObject({ rendered: [east, west], unrendered: [], failed: [] });
    });
  });

  it('--no-render: the summary says the 2 kustomizations were read unrendered', () => {
    const r = runCli(['--no-render'], { cwd: root });
    expect(r.stdout).toMatch(/^Read 2 clusters in 1 ClusterSet: .*; 2 kustomizations read unrendered, file by file: /m);
    expect(r.stdout).toMatch(/^Clusters: east \(folder, \d+ files?\), west \(folder, \d+ files?\)\.$/m);
    expect(r.stdout).not.toContain('rendered 2 kustomizations with');
    // Unrendered, the overlays' patches are not objects: not read as such (no schema errors for
    // half objects), and said in the summary.
    // Nor are the base (no render follows ../../base) and docs/ read: listed as outside, not dropped.
    expect(r.stdout).toContain('skipped 6 files (4 files outside any cluster directory, 2 kustomize patches not read as objects)');
    const json = runCli(['--no-render', '--format', 'json'], { cwd: root });
    expect(messages(json)).toEqual([]);
    const set = JSON.parse(runCli(['--no-render', '--print-clusterset', '--format', 'json'], { cwd: root }).stdout) as ClusterSetJson;
    expect(set.render).toMatchObject({ rendered: [], unrendered: [east, west], failed: [] });
  });

  it('files beside the clusters/ folder that nothing reads are listed as outside any cluster directory (issue 17: no silent skip)', () => {
    const r = runCli(['--verbose'], { cwd: root });
    expect(r.stdout).toContain('  skipped docs/example.yaml: file outside any cluster directory');
    // The base is read through the rendered overlays: not outside.
    expect(r.stdout).not.toContain('skipped k8s/base/');
  });

  it('--no-render: the summary says rendering is off, not that kubectl is missing', () => {
    const r = runCli(['--no-render'], { cwd: root });
    expect(r.stdout).toContain('2 kustomizations read unrendered, file by file: rendering is off (--no-render)');
  });

  it('without kustomize or kubectl on PATH: read unrendered, and the summary says how to install a renderer', () => {
    const empty = tempDir('no-path');
    const r = runCli([], { cwd: root, env: { PATH: empty, MCLINT_KUSTOMIZE: '' } });
    expect(r.stdout).toMatch(/2 kustomizations read unrendered, file by file: no kustomize or kubectl on PATH \(install kustomize, or kubectl/);
  });
});

describe('renderers are run only when something will be rendered, and never see a cluster', () => {
  /** A stand-in kustomize that records each run (its arguments and the environment mclint gave it). */
  function tripwire(): { command: string; log: string } {
    const dir = tempDir('tripwire');
    const log = join(dir, 'runs.log');
    const command = join(dir, 'kubectl');
    writeFileSync(command, `#!/bin/sh\necho "$* KUBECONFIG=$KUBECONFIG KUBERNETES_MASTER=$KUBERNETES_MASTER" >> '${log}'\nexit 1\n`, { mode: 0o755 });
    return { command, log };
  }

  it('a repository whose only kustomization has a remote base runs no program (not even a version check)', () => {
    const root = tempDir('remote-only');
    mkdirSync(join(root, '.git'));
    cpSync(fixture('kustomize-remote'), join(root, 'east'), { recursive: true });
    write(root, { 'west/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n' });
    const { command, log } = tripwire();
    const r = runCli(['--format', 'json'], { cwd: root, env: { MCLINT_KUSTOMIZE: command } });
    expect(brief(r, root)).toEqual(['east/kustomization.yaml:5:5 render-error east']);
    expect(messages(r)[0].message).toContain('is not fetched');
    expect(existsSync(log)).toBe(false);
  });

  it('a kustomization that is rendered: kubectl gets the null device as its kubeconfig and a server address without a host', () => {
    const root = tempDir('rendered');
    mkdirSync(join(root, '.git'));
    write(root, {
      'east/kustomization.yaml': 'resources:\n- svc.yaml\n',
      'east/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
      'west/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
    });
    const { command, log } = tripwire();
    runCli(['--format', 'json'], { cwd: root, env: { MCLINT_KUSTOMIZE: command } });
    const runs = readFileSync(log, 'utf8').trim().split('\n');
    expect(runs.length).toBeGreaterThan(0);
    for (const line of runs) expect(line).toMatch(/ KUBECONFIG=\/dev\/null KUBERNETES_MASTER=https:\/\/$/);
  });
});

describe('a Flux fleet: clusters pull ./infrastructure/submariner with post-build substitution', () => {
  const SUBMARINER = 'infrastructure/submariner/submariner.yaml';

  it('one cidr-overlap at the shared clusterCIDR line, in staging via Kustomization flux-system/infra', () => {
    const root = repoCopy('flux-fleet');
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    // Substituted: distinct cluster IDs (no cluster-identity), distinct service CIDRs
    // (production's default 10.96.0.0/16, staging's 10.97.0.0/16), the same pod CIDR.
    expect(brief(r, root)).toEqual([`${SUBMARINER}:15:16 cidr-overlap staging`]);
    const [overlap] = messages(r);
    expect(overlap.message).toContain('Pod CIDR 10.40.0.0/16 of cluster "staging" overlaps pod CIDR 10.40.0.0/16 of cluster "production"');
    expect(overlap).toMatchObject({
      severity: 2,
      endColumn: 27,
      via: 'Kustomization flux-system/infra',
      related: [{ filePath: join(root, SUBMARINER), line: 15, column: 16, cluster: 'production' }],
    });
    expect(r.stderr).toContain('Clusters: production (folder, 4 files, pulled in by Flux), staging (folder, 4 files, pulled in by Flux).');
  });

  it('stylish names the Kustomization the file came through', () => {
    const root = repoCopy('flux-fleet');
    const r = runCli([], { cwd: root });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /infrastructure\/submariner\/submariner\.yaml\n {2}15:16 {2}error {2}Pod CIDR 10\.40\.0\.0\/16 of cluster "staging"[^\n]*cidr-overlap\n {9}↳ in cluster staging via Kustomization flux-system\/infra\n {9}↳ production: infrastructure\/submariner\/submariner\.yaml:15:16 /,
    );
    expect(r.stdout).toContain('✖ 1 problem (1 error, 0 warnings)');
  });

  it('--print-clusterset lists the pull, and the self reference as not followed', () => {
    const root = repoCopy('flux-fleet');
    const r = runCli(['--print-clusterset'], { cwd: root });
    expect(r.status).toBe(0);
    for (const c of ['production', 'staging']) {
      expect(r.stdout).toContain(`  ${c}  folder clusters/${c}, 4 files\n`);
      expect(r.stdout).toContain(`    + infrastructure/submariner (1 file) via Kustomization flux-system/infra in clusters/${c}/infrastructure.yaml\n`);
      expect(r.stdout).toMatch(
        new RegExp(`^ {4}- \\./clusters/${c} not followed \\([^)]*already read\\) via Kustomization flux-system/flux-system in clusters/${c}/flux-system/gotk-sync\\.yaml$`, 'm'),
      );
    }
    const json = JSON.parse(runCli(['--print-clusterset', '--format', 'json'], { cwd: root }).stdout) as ClusterSetJson;
    const clusters = json.clusterSets[0].clusters;
    expect(clusters.map((c) => [c.name, c.podCIDRs, c.serviceCIDRs])).toEqual([
      ['production', ['10.40.0.0/16'], ['10.96.0.0/16']],
      ['staging', ['10.40.0.0/16'], ['10.97.0.0/16']],
    ]);
    expect(clusters[1].pulls.filter((p) => p.skipped === undefined)).toEqual([
      {
        tool: 'flux',
        via: 'Kustomization flux-system/infra',
        filePath: join(root, 'clusters/staging/infrastructure.yaml'),
        path: './infrastructure/submariner',
        dir: join(root, 'infrastructure/submariner'),
        inputs: 1,
      },
    ]);
  });

  it('a pulled folder never leads out of the repository through a symbolic link (issue 17: leaks)', () => {
    const root = repoCopy('flux-fleet');
    const outside = tempDir('outside');
    const secret = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 12345\n  annotations: OUTSIDE-MARKER\n';
    writeFileSync(join(outside, 'secret.yaml'), secret);
    // A link inside the pulled folder, and a Kustomization whose path is a link out.
    symlinkSync(outside, join(root, 'infrastructure/submariner/leak'));
    symlinkSync(outside, join(root, 'infrastructure/elsewhere'));
    write(root, {
      'clusters/staging/leak.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: leak, namespace: flux-system}',
        'spec:',
        '  path: ./infrastructure/elsewhere',
        '  sourceRef: {kind: GitRepository, name: flux-system}',
        '',
      ].join('\n'),
    });
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('OUTSIDE-MARKER');
    expect(
      messages(r)
        .map((m) => m.filePath)
        .filter((f) => f.includes('leak') || f.includes('elsewhere')),
    ).toEqual([]);
    const set = JSON.parse(runCli(['--print-clusterset', '--format', 'json'], { cwd: root }).stdout) as ClusterSetJson;
    const staging = set.clusterSets[0].clusters.find((c) => c.name === 'staging')!;
    expect(staging.pulls.find((p) => p.path === './infrastructure/elsewhere')?.skipped).toBe('./infrastructure/elsewhere leads out of the repository through a symbolic link');
  });

  it('a variable nothing defines, with no default: one unrendered-placeholder warning, no schema error, no default CIDR', () => {
    const root = repoCopy('flux-fleet');
    // staging's ConfigMap no longer defines pod_cidr.
    write(root, {
      'clusters/staging/cluster-vars.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  service_cidr: 10.97.0.0/16\n',
    });
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(0);
    expect(brief(r, root)).toEqual([`${SUBMARINER}:15:16 unrendered-placeholder staging`]);
    const [warning] = messages(r);
    expect(warning).toMatchObject({ severity: 1, via: 'Kustomization flux-system/infra' });
    expect(warning.message).toContain('Submariner spec.clusterCIDR is the unrendered placeholder "${pod_cidr}"');
    const set = JSON.parse(runCli(['--print-clusterset', '--format', 'json'], { cwd: root }).stdout) as ClusterSetJson;
    expect(set.clusterSets[0].clusters.map((c) => [c.name, c.podCIDRs])).toEqual([
      ['production', ['10.40.0.0/16']],
      ['staging', []],
    ]);
  });

  it('an object annotated kustomize.toolkit.fluxcd.io/substitute: disabled keeps its ${…} text', () => {
    const root = repoCopy('flux-fleet');
    write(root, {
      'infrastructure/submariner/cluster-property.yaml': [
        'apiVersion: about.k8s.io/v1alpha1',
        'kind: ClusterProperty',
        'metadata:',
        '  name: cluster.clusterset.k8s.io',
        '  annotations:',
        '    kustomize.toolkit.fluxcd.io/substitute: disabled',
        'spec:',
        '  value: ${cluster_id}',
        '',
      ].join('\n'),
    });
    const r = runCli(['--format', 'json'], { cwd: root });
    // Substituted, the value would be each cluster's ID (no finding); left alone it is a
    // placeholder in both clusters, reported once (the same place and text). The Submariner CR
    // beside it is still substituted.
    expect(brief(r, root)).toEqual(['infrastructure/submariner/cluster-property.yaml:8:10 unrendered-placeholder production', `${SUBMARINER}:15:16 cidr-overlap staging`]);
    expect(messages(r)[0].message).toContain('"${cluster_id}"');
  });
});

describe('an Argo CD hub: Applications deploy workloads/<name> to the destinations east and west', () => {
  it('service-export-pairing in west via its Application, related to east’s Service', () => {
    const root = repoCopy('argocd-hub');
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    expect(brief(r, root)).toEqual(['workloads/west/cart.yaml:5:9 service-export-pairing west']);
    expect(messages(r)[0]).toMatchObject({
      severity: 2,
      via: 'Application argocd/shop-west',
      related: [{ filePath: join(root, 'workloads/east/cart.yaml'), line: 4, column: 9, cluster: 'east' }],
    });
    expect(r.stderr).toContain(
      'Clusters: east (Argo CD destination, 1 file, pulled in by Argo CD), hub (folder, 2 files), west (Argo CD destination, 1 file, pulled in by Argo CD).',
    );
  });

  it('--print-clusterset shows east and west as Argo CD destinations with their pulls', () => {
    const root = repoCopy('argocd-hub');
    const text = runCli(['--print-clusterset'], { cwd: root });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('  east  Argo CD destination, 1 file\n    + workloads/east (1 file) via Application argocd/shop-east in clusters/hub/apps/east.yaml\n');
    expect(text.stdout).toContain('  west  Argo CD destination, 1 file\n    + workloads/west (1 file) via Application argocd/shop-west in clusters/hub/apps/west.yaml\n');
    const json = JSON.parse(runCli(['--print-clusterset', '--format', 'json'], { cwd: root }).stdout) as ClusterSetJson;
    expect(json.clusterSets[0].clusters.map((c) => [c.name, c.origin, c.pulls.map((p) => [p.tool, p.via, p.dir])])).toEqual([
      ['east', 'argocd', [['argocd', 'Application argocd/shop-east', join(root, 'workloads/east')]]],
      ['hub', 'directory', []],
      ['west', 'argocd', [['argocd', 'Application argocd/shop-west', join(root, 'workloads/west')]]],
    ]);
  });
});

describe('an Argo CD hub installing Cilium from its Helm repository into east and west', () => {
  /** An Application deploying the cilium chart to `cluster` with valuesObject and parameters. */
  const application = (cluster: string, cidr: string, id: number) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: cilium-${cluster}
  namespace: argocd
spec:
  project: default
  destination:
    name: ${cluster}
    namespace: kube-system
  source:
    repoURL: https://helm.cilium.io
    chart: cilium
    targetRevision: 1.16.0
    helm:
      valuesObject:
        cluster:
          name: ${cluster}
          id: 7
        clustermesh:
          useAPIServer: true
        ipam:
          operator:
            clusterPoolIPv4PodCIDRList: ["${cidr}"]
      parameters:
        - name: cluster.id
          value: "${id}"
`;

  it('the destinations become clusters; their values (parameters over valuesObject) are their facts', () => {
    const root = tempDir('argocd-cilium');
    mkdirSync(join(root, '.git'));
    write(root, {
      'clusters/hub/apps/cilium-east.yaml': application('east', '10.1.0.0/16', 1),
      'clusters/hub/apps/cilium-west.yaml': application('west', '10.1.0.0/17', 1),
    });
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    // The parameter (line 27) wins over valuesObject's id 7; the pod CIDRs overlap in a Cluster Mesh.
    expect(brief(r, root)).toEqual(['clusters/hub/apps/cilium-west.yaml:24:42 cidr-overlap west', 'clusters/hub/apps/cilium-west.yaml:27:18 cluster-identity west']);
    expect(r.stderr).toContain('Clusters: east (Argo CD destination, 0 files), hub (folder, 2 files), west (Argo CD destination, 0 files).');
    const text = runCli(['--print-clusterset'], { cwd: root }).stdout;
    expect(text).toContain(
      '  east  Argo CD destination, 0 files\n    - chart cilium not followed (chart cilium comes from a Helm repository: its values are read, the chart is not rendered) via Application argocd/cilium-east',
    );
  });
});

describe('an Argo CD ApplicationSet with a list generator', () => {
  it('each element is an Application: its path goes to its destination cluster', () => {
    const root = tempDir('argocd-appset');
    mkdirSync(join(root, '.git'));
    write(root, {
      'clusters/hub/shop.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: shop
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - cluster: east
          - cluster: west
  template:
    metadata:
      name: 'shop-{{.cluster}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/fleet.git
        path: 'workloads/{{.cluster}}'
      destination:
        name: '{{.cluster}}'
        namespace: shop
`,
      'workloads/east/cart.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  ports:\n    - port: 80\n',
      'workloads/west/cart.yaml': 'apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  name: cart\n  namespace: shop\n',
    });
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    expect(brief(r, root)).toEqual(['workloads/west/cart.yaml:4:9 service-export-pairing west']);
    expect(messages(r)[0].via).toBe('ApplicationSet argocd/shop (element 1)');
    expect(r.stderr).toContain(
      'Clusters: east (Argo CD destination, 1 file, pulled in by Argo CD), hub (folder, 1 file), west (Argo CD destination, 1 file, pulled in by Argo CD).',
    );
  });
});

describe('a Flux Kustomization substituting variables into a folder of its own cluster (kubernetes/<cluster>/apps)', () => {
  const cluster = (name: string, id: string) => ({
    [`kubernetes/${name}/flux/apps.yaml`]: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 30m
  path: ./kubernetes/${name}/apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substituteFrom:
      - {kind: ConfigMap, name: cluster-settings}
`,
    [`kubernetes/${name}/flux/vars/cluster-settings.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  CLUSTER_ID: ${id}
`,
    [`kubernetes/${name}/apps/submariner.yaml`]: `apiVersion: submariner.io/v1alpha1
kind: Submariner
metadata:
  name: submariner
  namespace: submariner-operator
spec:
  clusterID: \${CLUSTER_ID}
  clusterCIDR: 10.${name === 'main' ? 0 : 1}.0.0/16
  serviceCIDR: 172.${name === 'main' ? 16 : 17}.0.0/16
  broker: k8s
  brokerK8sApiServer: https://broker.example.com:6443
  brokerK8sRemoteNamespace: submariner-k8s-broker
  ceIPSecDebug: false
  debug: false
  namespace: submariner-operator
  natEnabled: false
`,
  });

  it('its files are read through it, with the variables substituted, not as written', () => {
    const root = tempDir('flux-own-substitution');
    mkdirSync(join(root, '.git'));
    write(root, { ...cluster('main', 'home'), ...cluster('utility', 'storage') });
    const r = runCli(['kubernetes', '--format', 'json'], { cwd: root });
    expect(r.status, r.stderr).toBe(0);
    // Substituted: two distinct cluster IDs, no unrendered placeholder.
    expect(brief(r, root)).toEqual([]);
    const text = runCli(['kubernetes', '--print-clusterset'], { cwd: root }).stdout;
    expect(text).toContain('    + kubernetes/main/apps (1 file) via Kustomization flux-system/cluster-apps in kubernetes/main/flux/apps.yaml');
  });

  it('a Kustomization substituting into the folder that holds it: the folder stays read as written, never dropped', () => {
    const root = tempDir('flux-own-substitution-self');
    mkdirSync(join(root, '.git'));
    const files = { ...cluster('main', 'home'), ...cluster('utility', 'storage') };
    for (const c of ['main', 'utility']) {
      // The Kustomization now lives in the folder it applies.
      files[`kubernetes/${c}/apps/flux.yaml`] = files[`kubernetes/${c}/flux/apps.yaml`];
      delete files[`kubernetes/${c}/flux/apps.yaml`];
    }
    write(root, files);
    const r = runCli(['kubernetes', '--format', 'json'], { cwd: root });
    expect(r.stderr).toContain('Read 2 clusters');
    // Read as written: the placeholders stay unknown (warnings), and nothing is lost.
    expect(brief(r, root)).toEqual([
      'kubernetes/main/apps/submariner.yaml:7:14 unrendered-placeholder main',
      'kubernetes/utility/apps/submariner.yaml:7:14 unrendered-placeholder utility',
    ]);
  });

  it('the substituted values are checked across clusters: one cluster ID in both', () => {
    const root = tempDir('flux-own-substitution-dup');
    mkdirSync(join(root, '.git'));
    write(root, { ...cluster('main', 'home'), ...cluster('utility', 'home') });
    const r = runCli(['kubernetes', '--format', 'json'], { cwd: root });
    expect(r.status, r.stderr).toBe(1);
    expect(brief(r, root)).toEqual(['kubernetes/utility/apps/submariner.yaml:7:14 cluster-identity utility']);
  });
});

describe("a Flux Kustomization whose source is another branch than the cluster's own", () => {
  it('is not followed: the folder in this checkout is not what Flux reads', () => {
    const root = tempDir('flux-other-branch');
    mkdirSync(join(root, '.git'));
    const git = (name: string, branch: string) => `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1m
  url: ${name === 'flux-system' ? 'ssh://git@github.com/example/fleet' : 'https://github.com/example/fleet.git'}
  ref:
    branch: ${branch}
`;
    const kustomization = (name: string, source: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: ${source}
`;
    write(root, {
      'clusters/staging/flux-system/gotk-sync.yaml': git('flux-system', 'main'),
      'clusters/staging/sources.yaml': git('dev-team', 'dev-team') + kustomization('tenants', 'dev-team') + kustomization('infra', 'flux-system'),
      'tenants/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: a\nspec:\n  ports:\n    - port: 80\n',
      'infra/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: b\nspec:\n  ports:\n    - port: 80\n',
    });
    const text = runCli(['--print-clusterset'], { cwd: root }).stdout;
    expect(text).toContain(
      '    - ./tenants not followed (its source GitRepository flux-system/dev-team is another reference (https://github.com/example/fleet.git {"branch":"dev-team"}) than the cluster\'s own flux-system) via Kustomization flux-system/tenants',
    );
    // The same repository and branch (ssh and https spell it differently): followed.
    expect(text).toContain('    + infra (1 file) via Kustomization flux-system/infra');
  });
});

describe('an Argo CD ApplicationSet with a clusters generator', () => {
  it('is listed as not followed in its own cluster: the clusters it targets are known only to a running Argo CD', () => {
    const root = tempDir('argocd-appset-clusters');
    mkdirSync(join(root, '.git'));
    write(root, {
      'clusters/hub/guestbook.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  generators:
    - clusters: {}
  template:
    metadata:
      name: '{{name}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps/
        path: guestbook
      destination:
        server: '{{server}}'
        namespace: guestbook
`,
      'clusters/east/cart.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  ports:\n    - port: 80\n',
    });
    const r = runCli(['--print-clusterset'], { cwd: root });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "  hub  folder clusters/hub, 1 file\n    - guestbook not followed (its clusters generator's elements are known only to a running Argo CD) via ApplicationSet argocd/guestbook (clusters generator) in clusters/hub/guestbook.yaml",
    );
    // No cluster is made up for it.
    expect(r.stdout).toContain('ClusterSet default: 2 clusters');
  });
});

describe('a Flux fleet whose HelmRelease values come from per-cluster kustomize patches', () => {
  it('the finding points at the overlay patch that set the value, not at the base', () => {
    const root = tempDir('flux-helmrelease-patch');
    mkdirSync(join(root, '.git'));
    const cluster = (c: string) => ({
      [`clusters/${c}/infrastructure.yaml`]: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra-controllers
  namespace: flux-system
spec:
  interval: 1h
  path: ./infrastructure/controllers/${c}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
      [`infrastructure/controllers/${c}/kustomization.yaml`]: 'resources:\n- ../base\npatches:\n- path: cilium-values.yaml\n  target:\n    kind: HelmRelease\n    name: cilium\n',
      [`infrastructure/controllers/${c}/cilium-values.yaml`]: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cilium
  namespace: kube-system
spec:
  values:
    cluster:
      name: ${c}
      id: ${c === 'production' ? 1 : 2}
    ipam:
      operator:
        clusterPoolIPv4PodCIDRList: ["10.0.0.0/16"]
`,
    });
    write(root, {
      ...cluster('production'),
      ...cluster('staging'),
      'infrastructure/controllers/base/kustomization.yaml': 'resources:\n- cilium.yaml\n',
      'infrastructure/controllers/base/cilium.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cilium
  namespace: kube-system
spec:
  interval: 30m
  chart:
    spec:
      chart: cilium
      sourceRef:
        kind: HelmRepository
        name: cilium
  values:
    clustermesh:
      useAPIServer: true
    ipam:
      mode: cluster-pool
`,
    });
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    expect(brief(r, root)).toEqual(['infrastructure/controllers/staging/cilium-values.yaml:13:38 cidr-overlap staging']);
    expect(messages(r)[0]).toMatchObject({
      via: 'Kustomization flux-system/infra-controllers',
      related: [{ filePath: join(root, 'infrastructure/controllers/production/cilium-values.yaml'), line: 13, column: 38, cluster: 'production' }],
    });
  });
});

describe('helmfile releases with a kubeContext', () => {
  it('each context is a cluster (kind- prefix dropped) whose facts are its release values', () => {
    const root = tempDir('helmfile-contexts');
    const release = (n: number) =>
      `  - name: cilium\n    namespace: kube-system\n    chart: cilium/cilium\n    kubeContext: kind-cluster${n}\n    values:\n      - values-cluster${n}.yaml\n`;
    const values = (n: number) =>
      `cluster:\n  name: cluster${n}\n  id: 1\nclustermesh:\n  useAPIServer: true\nipam:\n  operator:\n    clusterPoolIPv4PodCIDRList: ["10.${n}.0.0/16"]\n`;
    write(root, { 'helmfile.yaml': `releases:\n${release(1)}${release(2)}`, 'values-cluster1.yaml': values(1), 'values-cluster2.yaml': values(2) });
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    expect(brief(r, root)).toEqual(['values-cluster2.yaml:3:7 cluster-identity cluster2']);
    expect(r.stderr).toMatch(/^Clusters: cluster1 \(helmfile kubeContext, 0 files\), cluster2 \(helmfile kubeContext, 0 files\), .* \(folder, 3 files\)\.$/m);
  });
});

describe('standard input: --cluster east=- --cluster west=FILE', () => {
  const root = fixture('stdin-pipeline');
  const input = readFileSync(join(root, 'east-rendered.yaml'), 'utf8');

  it('findings in standard input are located in <stdin> at their real lines', () => {
    const r = runWithStdin(['--cluster', 'east=-', '--cluster', 'west=west-rendered.yaml', '--format', 'json'], input, root);
    expect(r.status).toBe(1);
    expect(brief(r, root)).toEqual(['west-rendered.yaml:14:16 cidr-overlap west', '<stdin>:22:9 service-export-pairing east']);
    const [overlap, pairing] = messages(r);
    expect(overlap.related).toMatchObject([{ filePath: '<stdin>', line: 14, column: 16, cluster: 'east' }]);
    expect(pairing).toMatchObject({ related: [{ filePath: join(root, 'west-rendered.yaml'), line: 22, column: 9, cluster: 'west' }] });
    expect(r.stderr).toContain('Clusters: east (--cluster, 1 file), west (--cluster, 1 file).');
  });

  it('stylish names <stdin>', () => {
    const r = runWithStdin(['--cluster', 'east=-', '--cluster', 'west=west-rendered.yaml'], input, root);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>\n {2}22:9 {2}error {2}ServiceExport "shop\/orders" has no Service "orders"/m);
    expect(r.stdout).toContain('↳ east: <stdin>:14:16  pod CIDR 10.60.0.0/20 of cluster "east"');
  });

  it('two clusters reading standard input is a usage error (exit 2)', () => {
    const r = runWithStdin(['--cluster', 'a=-', '--cluster', 'b=-'], input, root);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('standard input');
  });
});

describe('paths that yield nothing are usage errors that say why', () => {
  /** A repository whose rendered/ output is git-ignored. */
  function ignoredRepo(gitignore: string): string {
    const root = tempDir('ignored');
    mkdirSync(join(root, '.git'));
    const stdin = fixture('stdin-pipeline');
    write(root, {
      '.gitignore': gitignore,
      'rendered/east/all.yaml': readFileSync(join(stdin, 'east-rendered.yaml'), 'utf8'),
      'rendered/west/all.yaml': readFileSync(join(stdin, 'west-rendered.yaml'), 'utf8'),
      'docs-only/README.md': '# nothing to lint here\n',
    });
    return root;
  }

  it.each([
    ['rendered/', [/ignored by \.gitignore/, /--no-ignore/]],
    ['*.yaml\n', [/all 2 YAML\/JSON files are ignored/, /--no-ignore/]],
  ])('a DIR under .gitignore %j exits 2 with the reason; --no-ignore lints it', (gitignore, reasons) => {
    const root = ignoredRepo(gitignore);
    const r = runCli(['rendered'], { cwd: root });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    for (const reason of reasons) expect(r.stderr).toMatch(reason);
    const linted = runCli(['rendered', '--no-ignore', '--format', 'json'], { cwd: root });
    expect(linted.status).toBe(1);
    expect(brief(linted, root)).toEqual(['rendered/east/all.yaml:22:9 service-export-pairing east', 'rendered/west/all.yaml:14:16 cidr-overlap west']);
  });

  it('a --cluster path under a .gitignored folder exits 2 with the reason', () => {
    const root = ignoredRepo('rendered/\n');
    const r = runCli(['--cluster', 'east=rendered/east', '--cluster', 'west=rendered/west'], { cwd: root });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ignored by \.gitignore[\s\S]*--no-ignore/);
  });

  it('an explicit DIR with only a README exits 2: no YAML or JSON files', () => {
    const root = ignoredRepo('rendered/\n');
    const r = runCli(['docs-only'], { cwd: root });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no YAML or JSON files');
  });
});

describe('Helm values end to end (Cilium Cluster Mesh)', () => {
  it('HelmReleases with the same cluster.id: cluster-identity at the later cluster’s id: line', () => {
    const root = fixture('helm-values-fleet');
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    expect(brief(r, root)).toEqual(['clusters/west/cilium.yaml:19:11 cluster-identity west']);
    const [finding] = messages(r);
    expect(finding.message).toContain('Cilium cluster.id 1 of cluster "west" is also the ID of cluster "east"');
    expect(finding.related).toMatchObject([{ filePath: join(root, 'clusters/east/cilium.yaml'), line: 19, column: 11, cluster: 'east' }]);
  });

  it('umbrella chart values (cilium: sub-chart key) with overlapping cluster pools: cidr-overlap at the umbrella values line', () => {
    const root = fixture('helm-umbrella-fleet');
    const r = runCli(['--format', 'json'], { cwd: root });
    expect(r.status).toBe(1);
    expect(brief(r, root)).toEqual(['clusters/west/platform/values.yaml:14:11 cidr-overlap west']);
    const [finding] = messages(r);
    expect(finding.message).toContain('Pod CIDR 10.90.0.0/17 of cluster "west" overlaps pod CIDR 10.90.0.0/16 of cluster "east"');
    expect(finding).toMatchObject({ messageId: 'cilium', hint: expect.stringContaining('Cluster Mesh') });
    expect(finding.related).toMatchObject([{ filePath: join(root, 'clusters/east/platform/values.yaml'), line: 14, column: 11, cluster: 'east' }]);
    const set = JSON.parse(runCli(['--print-clusterset', '--format', 'json'], { cwd: root }).stdout) as ClusterSetJson;
    expect(set.clusterSets[0].clusters.map((c) => [c.name, c.podCIDRs])).toEqual([
      ['east', ['10.90.0.0/16']],
      ['west', ['10.90.0.0/17']],
    ]);
  });
});
