/**
 * Discover stage (DESIGN.md §2): which directories are clusters, which files they hold, how they
 * group into ClusterSets, and what `.gitignore`, `node_modules` and config `ignore` hide.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, findConfig, type FileConfig } from '../src/config/index.js';
import { discover, type Discovery } from '../src/discover/index.js';
import { lint } from '../src/lint.js';
import { writeScenario, yaml, type Files } from './helpers/scenario.js';

const MANIFEST = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: cm
    namespace: default
  data:
    key: value
`;
const JSON_MANIFEST = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } });

/** Files that all hold the same small valid manifest. */
function manifests(...paths: string[]): Files {
  return Object.fromEntries(paths.map((p) => [p, p.endsWith('.json') ? JSON_MANIFEST : MANIFEST]));
}

/** Relative path with forward slashes, '.' for the root itself. */
const relTo = (root: string) => (p: string) => relative(root, p).split('\\').join('/') || '.';

interface Summary {
  sets: { name: string; clusters: { name: string; origin: string; root?: string; files: string[] }[] }[];
  outside: string[];
}

/** The discovery with every path relative to `root`, for readable assertions. */
function summarize(d: Discovery, root: string): Summary {
  const rel = relTo(root);
  return {
    sets: d.sets.map((s) => ({
      name: s.name,
      clusters: s.clusters.map((c) => ({
        name: c.name,
        origin: c.origin,
        ...(c.root !== undefined ? { root: rel(c.root) } : {}),
        files: c.files.map(rel),
      })),
    })),
    outside: d.outside.map(rel),
  };
}

/** Cluster name → relative files, over every set. */
function filesByCluster(d: Discovery, root: string): Record<string, string[]> {
  const rel = relTo(root);
  return Object.fromEntries(d.sets.flatMap((s) => s.clusters.map((c) => [c.name, c.files.map(rel)])));
}

interface Run {
  /** Directory to lint, relative to the scenario root (default: the root). */
  dir?: string;
  /** `--config`, absolute. */
  configFile?: string;
  /** `--cluster NAME=PATH`, paths relative to the scenario root. */
  explicit?: { name: string; path: string }[];
}

/** Finds the config as the CLI does, then discovers. */
async function discoverIn(scenarioRoot: string, run: Run = {}): Promise<{ discovery: Discovery; config: FileConfig; root: string }> {
  const root = run.dir ? join(scenarioRoot, run.dir) : scenarioRoot;
  const config = await findConfig(root, run.configFile);
  const explicit = run.explicit?.map((c) => ({ name: c.name, path: join(scenarioRoot, c.path) }));
  const discovery = await discover({ root, config, explicit });
  return { discovery, config, root };
}

/** Writes a scenario and discovers in it; paths in the result are relative to the scenario root. */
async function discoverScenario(files: Files, run: Run = {}): Promise<{ summary: Summary; discovery: Discovery; scenarioRoot: string; root: string; config: FileConfig }> {
  const scenarioRoot = writeScenario(files);
  const { discovery, config, root } = await discoverIn(scenarioRoot, run);
  return { summary: summarize(discovery, scenarioRoot), discovery, scenarioRoot, root, config };
}

/** Expects `promise` to reject with a ConfigError whose message contains every fragment. */
async function expectConfigError(promise: Promise<unknown>, ...fragments: (string | RegExp)[]): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a ConfigError').toBeInstanceOf(ConfigError);
  for (const f of fragments) {
    if (typeof f === 'string') expect((error as Error).message).toContain(f);
    else expect((error as Error).message).toMatch(f);
  }
}

describe('discover: directory conventions', () => {
  it('DIR/clusters/<name>/ directories are the clusters; other directories of DIR are not', async () => {
    const { summary } = await discoverScenario({
      ...manifests('clusters/west/deploy.yaml', 'clusters/east/deploy.yaml', 'docs/example.yaml', 'scripts/values.yaml'),
    });
    expect(summary.sets).toEqual([
      {
        name: 'default',
        clusters: [
          { name: 'east', origin: 'directory', root: 'clusters/east', files: ['clusters/east/deploy.yaml'] },
          { name: 'west', origin: 'directory', root: 'clusters/west', files: ['clusters/west/deploy.yaml'] },
        ],
      },
    ]);
  });

  it("without a clusters/ directory, DIR's own subdirectories are the clusters", async () => {
    const { summary } = await discoverScenario(manifests('prod-usw1-gen-01/a.yaml', 'prod-euc1-gen-01/a.yaml', 'lab/b.yml'));
    expect(summary.sets).toEqual([
      {
        name: 'default',
        clusters: [
          { name: 'lab', origin: 'directory', root: 'lab', files: ['lab/b.yml'] },
          { name: 'prod-euc1-gen-01', origin: 'directory', root: 'prod-euc1-gen-01', files: ['prod-euc1-gen-01/a.yaml'] },
          { name: 'prod-usw1-gen-01', origin: 'directory', root: 'prod-usw1-gen-01', files: ['prod-usw1-gen-01/a.yaml'] },
        ],
      },
    ]);
    expect(summary.outside).toEqual([]);
  });

  it('a DIR with no subdirectories is one cluster named after the directory', async () => {
    const { summary, discovery, root } = await discoverScenario(manifests('repo/east/b.yaml', 'repo/east/a.yml', 'repo/east/c.json'), { dir: 'repo/east' });
    expect(summary).toEqual({
      sets: [{ name: 'default', clusters: [{ name: 'east', origin: 'directory', root: 'repo/east', files: ['repo/east/a.yml', 'repo/east/b.yaml', 'repo/east/c.json'] }] }],
      outside: [],
    });
    const cluster = discovery.sets[0].clusters[0];
    expect(cluster.namePlace).toEqual({ file: root, doc: -1, path: [] });
  });

  it('a DIR whose only subdirectories are hidden or node_modules is still one cluster of its own', async () => {
    const { summary } = await discoverScenario(manifests('east/a.yaml', 'east/.github/workflows/ci.yaml', 'east/node_modules/pkg/x.yaml'), { dir: 'east' });
    expect(summary.sets).toEqual([{ name: 'default', clusters: [{ name: 'east', origin: 'directory', root: 'east', files: ['east/a.yaml'] }] }]);
  });

  it('hidden directories and node_modules are never clusters', async () => {
    const { summary } = await discoverScenario(
      manifests('east/a.yaml', 'west/a.yaml', '.github/workflows/lint.yaml', '.argocd/app.yaml', 'node_modules/some-pkg/chart.yaml', '.git/config.yaml'),
    );
    expect(clusterNamesOf(summary)).toEqual(['east', 'west']);
    expect(summary.sets[0].clusters.flatMap((c) => c.files)).toEqual(['east/a.yaml', 'west/a.yaml']);
  });

  it('hidden directories and node_modules under clusters/ are never clusters', async () => {
    const { summary } = await discoverScenario(manifests('clusters/east/a.yaml', 'clusters/.staging/a.yaml', 'clusters/node_modules/x/a.yaml'));
    expect(clusterNamesOf(summary)).toEqual(['east']);
  });

  it('files are found recursively (nested GitOps folders) with .yaml, .yml and .json extensions only', async () => {
    const { summary } = await discoverScenario({
      ...manifests(
        'east/apps/base/deployment.yaml',
        'east/apps/overlays/prod/patch.yml',
        'east/infrastructure/controllers/submariner/release.json',
        'east/kustomization.yaml',
        'west/a.yaml',
      ),
      'east/README.md': '# east\n',
      'east/notes.txt': 'apiVersion: v1\n',
      'east/apps/base/deployment.yaml.orig': MANIFEST,
      'east/apps/values.yaml.tpl': MANIFEST,
      'east/script.sh': 'echo hi\n',
    });
    expect(summary.sets[0].clusters[0]).toEqual({
      name: 'east',
      origin: 'directory',
      root: 'east',
      files: ['east/apps/base/deployment.yaml', 'east/apps/overlays/prod/patch.yml', 'east/infrastructure/controllers/submariner/release.json', 'east/kustomization.yaml'],
    });
  });

  it('manifest files directly in DIR while its subdirectories are the clusters are reported in outside', async () => {
    const { summary } = await discoverScenario({
      ...manifests('west/a.yaml', 'east/a.yaml', 'stray.yaml', 'kustomization.yml', 'list.json'),
      'notes.txt': 'not a manifest\n',
    });
    expect(summary.outside).toEqual(['kustomization.yml', 'list.json', 'stray.yaml']);
    expect(summary.sets[0].clusters.flatMap((c) => c.files)).toEqual(['east/a.yaml', 'west/a.yaml']);
  });

  it('with the clusters/ convention, manifest files directly in clusters/ are reported in outside', async () => {
    const { summary } = await discoverScenario(manifests('clusters/east/a.yaml', 'clusters/west/a.yaml', 'clusters/common.yaml', 'stray.yaml'));
    expect(summary.outside).toEqual(['clusters/common.yaml', 'stray.yaml']);
  });

  it('the config file is not a manifest: not in outside when subdirectories are the clusters', async () => {
    const { summary } = await discoverScenario({ 'mclint.config.yaml': 'rules: {}\n', ...manifests('east/a.yaml', 'west/a.yaml', 'stray.yaml') });
    expect(summary.outside).toEqual(['stray.yaml']);
  });

  it('the config file is not a manifest: not a file of the one cluster when DIR has no subdirectories', async () => {
    const root = writeScenario({ 'east/mclint.config.yaml': 'rules: {}\n', ...manifests('east/a.yaml') });
    const { discovery } = await discoverIn(root, { dir: 'east' });
    expect(filesByCluster(discovery, root)).toEqual({ east: ['east/a.yaml'] });
    const result = await lint({ dirs: [join(root, 'east')] });
    expect(result.files.map(relTo(root))).toEqual(['east/a.yaml']);
    expect(result.stats.otherDocuments['helm-values']).toBe(0);
  });

  it('lint() does not read the files outside every cluster and lists them as skipped', async () => {
    const root = writeScenario(manifests('west/a.yaml', 'east/a.yaml', 'stray.yaml'));
    const result = await lint({ dirs: [root] });
    const rel = relTo(root);
    expect(result.files.map(rel)).toEqual(['east/a.yaml', 'west/a.yaml']);
    expect(result.stats.skipped.outside.map(rel)).toEqual(['stray.yaml']);
    expect(result.stats.clusters).toBe(2);
    expect(result.stats.clusterSets).toBe(1);
    expect(result.stats.files).toBe(2);
  });

  it('cluster files are sorted and clusters are sorted by name', async () => {
    const { summary } = await discoverScenario(
      manifests('zeta/z.yaml', 'zeta/b/a.yaml', 'zeta/a.yaml', 'zeta/B.yaml', 'alpha/x.yaml', 'mid/m.yaml', 'Upper/u.yaml', 'alpha-2/x.yaml'),
    );
    expect(summary.sets[0].clusters.map((c) => c.name)).toEqual(['Upper', 'alpha', 'alpha-2', 'mid', 'zeta']);
    expect(summary.sets[0].clusters.find((c) => c.name === 'zeta')!.files).toEqual(['zeta/B.yaml', 'zeta/a.yaml', 'zeta/b/a.yaml', 'zeta/z.yaml']);
  });
});

function clusterNamesOf(summary: Summary): string[] {
  return summary.sets.flatMap((s) => s.clusters.map((c) => c.name));
}

/** Cluster name → files of a summary. */
function filesOf(summary: Summary): Record<string, string[]> {
  return Object.fromEntries(summary.sets.flatMap((s) => s.clusters.map((c) => [c.name, c.files])));
}

describe('discover: clusters/ folders at any depth', () => {
  it('k8s/clusters/<name> are the clusters; docs/, base/, apps/ and .github/ beside them are not', async () => {
    const { summary } = await discoverScenario(
      manifests(
        'k8s/clusters/east/a.yaml',
        'k8s/clusters/west/a.yaml',
        'k8s/base/x.yaml',
        'docs/example.yaml',
        'apps/web/d.yaml',
        'infrastructure/i.yaml',
        '.github/workflows/ci.yaml',
      ),
    );
    expect(summary.sets[0].clusters).toEqual([
      { name: 'east', origin: 'directory', root: 'k8s/clusters/east', files: ['k8s/clusters/east/a.yaml'] },
      { name: 'west', origin: 'directory', root: 'k8s/clusters/west', files: ['k8s/clusters/west/a.yaml'] },
    ]);
  });

  it('clusters/ folders at the same depth all count (deploy/clusters and gitops/cluster); deeper ones are not searched', async () => {
    const { summary } = await discoverScenario(manifests('deploy/clusters/east/a.yaml', 'gitops/cluster/west/a.yaml', 'docs/examples/clusters/demo/a.yaml'));
    expect(clusterNamesOf(summary)).toEqual(['east', 'west']);
  });

  it('clusters/base (what overlays share) is not a cluster; its files are reported as outside', async () => {
    const { summary } = await discoverScenario(manifests('clusters/base/a.yaml', 'clusters/east/a.yaml', 'clusters/west/a.yaml'));
    expect(clusterNamesOf(summary)).toEqual(['east', 'west']);
    expect(summary.outside).toEqual(['clusters/base/a.yaml']);
  });

  it.each(['common', 'shared', '_common', '_shared'])('clusters/%s (what a GitOps layout shares) is not a cluster either', async (shared) => {
    const { summary } = await discoverScenario(manifests(`clusters/${shared}/pki/ca.yaml`, 'clusters/east/a.yaml', 'clusters/west/a.yaml'));
    expect(clusterNamesOf(summary)).toEqual(['east', 'west']);
    expect(summary.outside).toEqual([`clusters/${shared}/pki/ca.yaml`]);
  });

  it('flux bootstrap folders outside clusters/ (<path>/flux-system/gotk-sync.yaml) are the clusters, named where their paths differ', async () => {
    const { summary } = await discoverScenario({
      ...manifests('clusters/source-apps.yaml', 'clusters/target-apps.yaml', 'docs/example.yaml'),
      ...manifests(...['istio', 'source-apps', 'target-apps'].flatMap((c) => [`gitops/${c}/flux-resources/flux-system/gotk-sync.yaml`, `gitops/${c}/infrastructure/app.yaml`])),
    });
    expect(clusterNamesOf(summary)).toEqual(['istio', 'source-apps', 'target-apps']);
    // The kind configs in a clusters/ folder without cluster folders, and the docs, are outside.
    expect(summary.outside).toEqual(['clusters/source-apps.yaml', 'clusters/target-apps.yaml', 'docs/example.yaml']);
  });

  it('one flux bootstrap folder is no reason to change the layout: each subdirectory stays a cluster', async () => {
    const { summary } = await discoverScenario(manifests('hub/flux-system/gotk-sync.yaml', 'east/a.yaml', 'west/a.yaml'));
    expect(clusterNamesOf(summary)).toEqual(['east', 'hub', 'west']);
  });

  it('home-ops layout: one folder of cluster folders that each hold their own flux/ (kubernetes/<cluster>/flux) is a folder of clusters', async () => {
    const { summary } = await discoverScenario(
      manifests('kubernetes/main/flux/apps.yaml', 'kubernetes/main/apps/a.yaml', 'kubernetes/utility/flux/apps.yaml', 'kubernetes/utility/apps/b.yaml', 'docs/example.yaml'),
    );
    expect(clusterNamesOf(summary)).toEqual(['main', 'utility']);
    expect(summary.outside).toEqual(['docs/example.yaml']);
  });

  it('a single cluster laid out by function (kubernetes/{flux,apps,bootstrap}) stays one cluster', async () => {
    const { summary } = await discoverScenario(manifests('kubernetes/flux/config.yaml', 'kubernetes/apps/a.yaml', 'kubernetes/bootstrap/b.yaml'));
    expect(clusterNamesOf(summary)).toEqual(['kubernetes']);
  });

  it('a git-ignored clusters/ folder is not searched', async () => {
    const { summary } = await discoverScenario({ '.gitignore': 'out/\n', ...manifests('out/clusters/east/a.yaml', 'k8s/clusters/west/a.yaml') });
    expect(clusterNamesOf(summary)).toEqual(['west']);
  });

  it('two cluster folders with one name are a ConfigError naming both', async () => {
    const root = writeScenario(manifests('a/clusters/east/x.yaml', 'b/clusters/east/x.yaml'));
    await expectConfigError(discoverIn(root), 'two cluster directories are named "east"', 'a/clusters/east', 'b/clusters/east');
  });

  it('lists the outermost kustomization directories of each cluster', async () => {
    const { discovery, scenarioRoot } = await discoverScenario({
      ...manifests(
        'clusters/east/kustomization.yaml',
        'clusters/east/sub/kustomization.yaml',
        'clusters/east/a.yaml',
        'clusters/west/apps/Kustomization',
        'clusters/west/apps/x.yml',
      ),
    });
    const rel = relTo(scenarioRoot);
    expect(discovery.sets[0].clusters.map((c) => [c.name, c.kustomizations.map(rel)])).toEqual([
      ['east', ['clusters/east']],
      ['west', []],
    ]);
  });
});

describe('discover: paths that yield no file', () => {
  it("an explicit DIR under a .gitignore'd folder is a ConfigError saying it is ignored", async () => {
    const root = writeScenario({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'rendered/\n', ...manifests('rendered/east/a.yaml') });
    const config = await findConfig(join(root, 'rendered'));
    await expectConfigError(discover({ root: join(root, 'rendered'), config, explicitRoot: true }), 'ignored by .gitignore', '--no-ignore');
  });

  it('with noIgnore the same folder is linted', async () => {
    const root = writeScenario({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'rendered/\n', ...manifests('rendered/east/a.yaml') });
    const config = await findConfig(join(root, 'rendered'));
    const d = await discover({ root: join(root, 'rendered'), config, explicitRoot: true, noIgnore: true });
    expect(d.sets[0].clusters.map((c) => c.name)).toEqual(['east']);
  });

  it('an explicit DIR with files but no YAML is a ConfigError', async () => {
    const root = writeScenario({ 'east/README.md': '# hi' });
    const config = await findConfig(root);
    await expectConfigError(discover({ root, config, explicitRoot: true }), 'no YAML or JSON files');
  });

  it('a --cluster path whose files are all ignored is a ConfigError with the count', async () => {
    const root = writeScenario({ 'east/.gitignore': '*.yaml\n', ...manifests('east/a.yaml', 'east/b.yaml', 'west/a.yaml') });
    await expectConfigError(
      discoverIn(root, {
        explicit: [
          { name: 'east', path: 'east' },
          { name: 'west', path: 'west' },
        ],
      }),
      '--cluster east=',
      'all 2 YAML/JSON files are ignored',
    );
  });

  it('the implicit DIR (no argument) yielding nothing is not an error', async () => {
    const root = writeScenario({ 'README.md': '# hi' });
    const config = await findConfig(root);
    const d = await discover({ root, config });
    expect(d.sets[0].clusters[0].files).toEqual([]);
  });
});

describe('discover: clusters from the config file', () => {
  it('a cluster path is relative to the config file and the config clusters replace directory discovery', async () => {
    const { summary, discovery, config } = await discoverScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: prod-usw1-gen-01
            path: manifests/us-west
            podCIDRs: [10.0.0.0/16]
          - name: prod-euc1-gen-01
            path: manifests/eu-central
      `,
      ...manifests('manifests/us-west/a.yaml', 'manifests/eu-central/b.yaml', 'unlisted/c.yaml'),
    });
    expect(summary.sets).toEqual([
      {
        name: 'default',
        clusters: [
          { name: 'prod-euc1-gen-01', origin: 'config', root: 'manifests/eu-central', files: ['manifests/eu-central/b.yaml'] },
          { name: 'prod-usw1-gen-01', origin: 'config', root: 'manifests/us-west', files: ['manifests/us-west/a.yaml'] },
        ],
      },
    ]);
    const usw = discovery.sets[0].clusters[1];
    expect(usw.namePlace).toEqual({ file: config.file, doc: 0, path: ['clusters', 0, 'name'] });
    expect(usw.config?.podCIDRs).toEqual(['10.0.0.0/16']);
  });

  it('a cluster path is relative to a --config file in another directory, not to DIR', async () => {
    const root = writeScenario({
      'ci/mclint.config.yaml': yaml`
        clusters:
          - name: east
            path: ../gitops/east
      `,
      ...manifests('gitops/east/a.yaml', 'repo/east/wrong.yaml'),
      // One repository: a path may leave the config's directory, never the repository.
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    // As `mclint --config ci/mclint.config.yaml repo`.
    const { discovery } = await discoverIn(root, { dir: 'repo', configFile: join(root, 'ci/mclint.config.yaml') });
    expect(summarize(discovery, root).sets[0].clusters).toEqual([{ name: 'east', origin: 'config', root: 'gitops/east', files: ['gitops/east/a.yaml'] }]);
  });

  it('a cluster without path uses clusters/<name>, else <name>, else has no files', async () => {
    const conventional = await discoverScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: east
          - name: west
            region: us-west-1
      `,
      ...manifests('clusters/east/a.yaml', 'clusters/east/nested/c.yml', 'clusters/south/x.yaml'),
    });
    // clusters/ exists, so clusters/<name> is where a cluster without path lives; west has none.
    expect(conventional.summary.sets[0].clusters).toEqual([
      { name: 'east', origin: 'config', root: 'clusters/east', files: ['clusters/east/a.yaml', 'clusters/east/nested/c.yml'] },
      { name: 'west', origin: 'config', files: [] },
    ]);

    const plain = await discoverScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: east
          - name: west
          - name: facts-only
            podCIDRs: [10.9.0.0/16]
      `,
      ...manifests('east/a.yaml', 'west/b.yaml'),
    });
    expect(plain.summary.sets[0].clusters).toEqual([
      { name: 'east', origin: 'config', root: 'east', files: ['east/a.yaml'] },
      { name: 'facts-only', origin: 'config', files: [] },
      { name: 'west', origin: 'config', root: 'west', files: ['west/b.yaml'] },
    ]);
    expect(plain.discovery.sets[0].clusters[1].root).toBeUndefined();
    expect(plain.discovery.sets[0].clusters[1].config?.podCIDRs).toEqual(['10.9.0.0/16']);
  });

  it('a config-only cluster (no directory) is linted with its facts', async () => {
    const root = writeScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: east
            podCIDRs: [10.0.0.0/16]
          - name: west
            podCIDRs: [10.0.128.0/17]
      `,
    });
    const result = await lint({ dirs: [root] });
    expect(result.stats.clusters).toBe(2);
    expect(result.files).toEqual([]);
    // Nothing says how east and west connect: the overlap is a note.
    expect(result.findings).toEqual([]);
    expect(result.notes.map((f) => [f.ruleId, f.cluster])).toEqual([['cidr-overlap', 'west']]);
  });

  it('a config cluster with neither a directory nor facts is a ConfigError (a misspelt name)', async () => {
    const root = writeScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: eats
      `,
      ...manifests('east/a.yaml'),
    });
    await expectConfigError(discoverIn(root), 'cluster "eats" has no directory', 'misspelt');
  });

  it('two --cluster flags naming the same path are a ConfigError', async () => {
    const root = writeScenario(manifests('east/a.yaml'));
    await expectConfigError(
      discoverIn(root, {
        explicit: [
          { name: 'a', path: 'east' },
          { name: 'c', path: 'east' },
        ],
      }),
      '--cluster a=… and --cluster c=…',
    );
  });

  it('a config cluster path that does not exist is a ConfigError', async () => {
    const root = writeScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: east
            path: gitops/east
      `,
      ...manifests('gitops/west/a.yaml'),
    });
    await expectConfigError(discoverIn(root), 'east', join(root, 'gitops/east'), 'does not exist');
    await expectConfigError(lint({ dirs: [root] }), 'does not exist');
  });

  it('two config clusters with the same name are a ConfigError', async () => {
    const root = writeScenario({
      'mclint.config.yaml': yaml`
        clusters:
          - name: east
            path: a
          - name: east
            path: b
      `,
      ...manifests('a/x.yaml', 'b/x.yaml'),
    });
    await expectConfigError(discoverIn(root), '"east"');
  });
});

describe('discover: explicit clusters (--cluster NAME=PATH)', () => {
  it('names clusters explicitly, whatever the directory names', async () => {
    const { summary, discovery, scenarioRoot } = await discoverScenario(manifests('a/x.yaml', 'a/deep/y.yml', 'b/z.json', 'c/ignored.yaml', 'stray.yaml'), {
      explicit: [
        { name: 'west', path: 'b' },
        { name: 'east', path: 'a' },
      ],
    });
    expect(summary).toEqual({
      sets: [
        {
          name: 'default',
          clusters: [
            { name: 'east', origin: 'flag', root: 'a', files: ['a/deep/y.yml', 'a/x.yaml'] },
            { name: 'west', origin: 'flag', root: 'b', files: ['b/z.json'] },
          ],
        },
      ],
      outside: [],
    });
    expect(discovery.sets[0].clusters[0].namePlace).toEqual({ file: join(scenarioRoot, 'a'), doc: -1, path: [] });
  });

  it('nested PATHs outside DIR (walked twice) list each file once, in its nearest cluster', async () => {
    const { summary } = await discoverScenario(manifests('lint/keep.txt', 'shared/x/p.yaml', 'shared/x/sub/q.yaml'), {
      dir: 'lint',
      explicit: [
        { name: 'outer', path: 'shared/x' },
        { name: 'inner', path: 'shared/x/sub' },
      ],
    });
    expect(summary.sets[0].clusters).toEqual([
      { name: 'inner', origin: 'flag', root: 'shared/x/sub', files: ['shared/x/sub/q.yaml'] },
      { name: 'outer', origin: 'flag', root: 'shared/x', files: ['shared/x/p.yaml'] },
    ]);
  });

  it('a PATH may be a single file', async () => {
    const { summary } = await discoverScenario(manifests('east.yaml', 'west/a.yaml', 'west/b.yaml', 'other.yaml'), {
      explicit: [
        { name: 'east', path: 'east.yaml' },
        { name: 'west', path: 'west/a.yaml' },
      ],
    });
    expect(summary.sets[0].clusters).toEqual([
      { name: 'east', origin: 'flag', root: 'east.yaml', files: ['east.yaml'] },
      { name: 'west', origin: 'flag', root: 'west/a.yaml', files: ['west/a.yaml'] },
    ]);
  });

  it('explicit clusters take the facts of the config cluster of the same name', async () => {
    const { discovery } = await discoverScenario(
      {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              podCIDRs: [10.1.0.0/16]
              region: us-east-1
        `,
        ...manifests('somewhere/a.yaml'),
      },
      { explicit: [{ name: 'east', path: 'somewhere' }] },
    );
    const east = discovery.sets[0].clusters[0];
    expect(east.origin).toBe('flag');
    expect(east.config?.region).toBe('us-east-1');
    expect(east.config?.podCIDRs).toEqual(['10.1.0.0/16']);
  });

  it('lint() resolves --cluster paths against the current directory, wherever the manifests are', async () => {
    const root = writeScenario(manifests('east/a.yaml', 'west/nested/b.yaml', 'west/c.txt', 'single/one.yaml', 'single/two.yaml'));
    const cwdRelative = relative(process.cwd(), join(root, 'west'));
    const result = await lint({
      dirs: [],
      clusters: [
        { name: 'e', path: join(root, 'east') },
        { name: 'w', path: cwdRelative },
        { name: 's', path: join(root, 'single/one.yaml') },
      ],
    });
    expect(result.files.map(relTo(root))).toEqual(['east/a.yaml', 'single/one.yaml', 'west/nested/b.yaml']);
    expect(result.stats.clusters).toBe(3);
  });

  it('an explicit PATH that does not exist is a ConfigError', async () => {
    const root = writeScenario(manifests('east/a.yaml'));
    await expectConfigError(
      discoverIn(root, {
        explicit: [
          { name: 'east', path: 'east' },
          { name: 'west', path: 'west' },
        ],
      }),
      'west',
      join(root, 'west'),
    );
    await expectConfigError(lint({ dirs: [], clusters: [{ name: 'west', path: join(root, 'missing') }] }), 'missing');
  });

  it('two explicit clusters with the same name are a ConfigError', async () => {
    const root = writeScenario(manifests('a/x.yaml', 'b/x.yaml'));
    await expectConfigError(
      discoverIn(root, {
        explicit: [
          { name: 'east', path: 'a' },
          { name: 'east', path: 'b' },
        ],
      }),
      '"east"',
      'unique',
    );
  });

  it('DIR arguments and --cluster flags together are a ConfigError', async () => {
    const root = writeScenario(manifests('east/a.yaml'));
    await expectConfigError(lint({ dirs: [root], clusters: [{ name: 'east', path: join(root, 'east') }] }), '--cluster');
  });
});

describe('discover: ClusterSets', () => {
  // Config-only clusters: each declares a fact, so none is taken for a misspelt directory.
  const fiveClusters = yaml`
    clusters:
      - {name: e, network: n1}
      - {name: d, network: n1}
      - {name: c, network: n1}
      - {name: b, network: n1}
      - {name: a, network: n1}
  `;

  it('sets come in config order with their members sorted; unlisted clusters are each in a set of their own', async () => {
    const { discovery, config } = await discoverScenario({
      'mclint.config.yaml':
        fiveClusters +
        yaml`
          clusterSets:
            - name: zeta
              clusters: [c, a]
            - name: alpha
              clusters: [b]
        `,
    });
    expect(discovery.sets.map((s) => [s.name, s.clusters.map((c) => c.name)])).toEqual([
      ['zeta', ['a', 'c']],
      ['alpha', ['b']],
      ['d', ['d']],
      ['e', ['e']],
    ]);
    // Declared sets are anchored at their entry in the config file; implicit ones at the file.
    expect(discovery.sets.map((s) => s.anchor)).toEqual([
      { file: config.file, doc: 0, path: ['clusterSets', 0] },
      { file: config.file, doc: 0, path: ['clusterSets', 1] },
      { file: config.file, doc: 0, path: [] },
      { file: config.file, doc: 0, path: [] },
    ]);
  });

  it('clusterSets group directory clusters by their directory names', async () => {
    const { discovery } = await discoverScenario({
      'mclint.config.yaml': yaml`
        clusterSets:
          - name: prod
            clusters: [prod-b, prod-a]
      `,
      ...manifests('prod-a/x.yaml', 'prod-b/x.yaml', 'lab/x.yaml'),
    });
    expect(discovery.sets.map((s) => [s.name, s.clusters.map((c) => c.name)])).toEqual([
      ['prod', ['prod-a', 'prod-b']],
      ['lab', ['lab']],
    ]);
  });

  it('without clusterSets every cluster is in one set "default", anchored at the config file', async () => {
    const { discovery, config } = await discoverScenario({ 'mclint.config.yaml': fiveClusters });
    expect(discovery.sets).toHaveLength(1);
    expect(discovery.sets[0].name).toBe('default');
    expect(discovery.sets[0].clusters.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(discovery.sets[0].anchor).toEqual({ file: config.file, doc: 0, path: [] });
    expect(config.file).toMatch(/mclint\.config\.yaml$/);
  });

  it('without a config file the one set is anchored at DIR', async () => {
    const { discovery, root } = await discoverScenario(manifests('east/a.yaml', 'west/a.yaml'));
    expect(discovery.sets).toHaveLength(1);
    expect(discovery.sets[0].anchor).toEqual({ file: root, doc: -1, path: [] });
  });

  it('clusterSets naming an unknown cluster is a ConfigError', async () => {
    const root = writeScenario({
      'mclint.config.yaml': yaml`
        clusterSets:
          - name: prod
            clusters: [east, north]
      `,
      ...manifests('east/a.yaml', 'west/a.yaml'),
    });
    await expectConfigError(discoverIn(root), '"prod"', '"north"');
  });

  it('a cluster listed in two ClusterSets is a ConfigError', async () => {
    const root = writeScenario({
      'mclint.config.yaml': yaml`
        clusterSets:
          - name: prod
            clusters: [east, west]
          - name: staging
            clusters: [west]
      `,
      ...manifests('east/a.yaml', 'west/a.yaml'),
    });
    await expectConfigError(discoverIn(root), '"west"', '"prod"', '"staging"');
  });
});

describe('discover: .gitignore, node_modules and config ignore', () => {
  it('a rule in DIR/.gitignore hides a file', async () => {
    const { summary } = await discoverScenario({
      '.gitignore': 'east/secret.yaml\n*.rendered.yaml\n',
      ...manifests('east/a.yaml', 'east/secret.yaml', 'west/secret.yaml', 'west/out.rendered.yaml', 'west/deep/x.rendered.yaml', 'west/b.yaml'),
    });
    expect(summary.sets[0].clusters).toEqual([
      { name: 'east', origin: 'directory', root: 'east', files: ['east/a.yaml'] },
      { name: 'west', origin: 'directory', root: 'west', files: ['west/b.yaml', 'west/secret.yaml'] },
    ]);
  });

  it('a rule in DIR/.gitignore hides a whole directory cluster', async () => {
    const { summary } = await discoverScenario({
      '.gitignore': 'build/\nvendor\n',
      ...manifests('east/a.yaml', 'west/a.yaml', 'build/rendered.yaml', 'vendor/chart/x.yaml'),
    });
    expect(clusterNamesOf(summary)).toEqual(['east', 'west']);
    expect(summary.sets[0].clusters.flatMap((c) => c.files)).toEqual(['east/a.yaml', 'west/a.yaml']);
    expect(summary.outside).toEqual([]);
  });

  it('a nested .gitignore in a cluster directory applies below it only', async () => {
    const { summary } = await discoverScenario({
      'east/.gitignore': 'local.yaml\n',
      'west/apps/.gitignore': '/generated/\n',
      ...manifests('east/local.yaml', 'east/a.yaml', 'east/sub/local.yaml', 'west/local.yaml', 'west/apps/generated/x.yaml', 'west/apps/app.yaml', 'west/generated/y.yaml'),
    });
    expect(filesOf(summary)).toEqual({
      east: ['east/a.yaml'],
      west: ['west/apps/app.yaml', 'west/generated/y.yaml', 'west/local.yaml'],
    });
  });

  it('a negation !keep.yaml re-includes a file ignored by the same .gitignore', async () => {
    const { summary } = await discoverScenario({
      'east/.gitignore': '*.yaml\n!keep.yaml\n',
      ...manifests('east/drop.yaml', 'east/keep.yaml', 'east/sub/keep.yaml', 'east/sub/drop.yaml', 'east/c.json'),
      ...manifests('west/drop.yaml'),
    });
    expect(filesOf(summary)).toEqual({
      east: ['east/c.json', 'east/keep.yaml', 'east/sub/keep.yaml'],
      west: ['west/drop.yaml'],
    });
  });

  it('a negation in a deeper .gitignore overrides a rule of DIR/.gitignore', async () => {
    const { summary } = await discoverScenario({
      '.gitignore': 'secret-*.yaml\n',
      'east/.gitignore': '!secret-keep.yaml\n',
      ...manifests('east/secret-keep.yaml', 'east/secret-drop.yaml', 'west/secret-keep.yaml', 'west/a.yaml'),
    });
    expect(filesOf(summary)).toEqual({
      east: ['east/secret-keep.yaml'],
      west: ['west/a.yaml'],
    });
  });

  it('a .gitignore in a parent directory applies when DIR is inside a git work tree', async () => {
    const { summary } = await discoverScenario(
      {
        '.git/HEAD': 'ref: refs/heads/main\n',
        '.gitignore': '*.rendered.yaml\nrepo/east/secret.yaml\nrepo/lab/\n',
        ...manifests('repo/east/a.yaml', 'repo/east/secret.yaml', 'repo/east/x.rendered.yaml', 'repo/west/secret.yaml', 'repo/lab/a.yaml'),
      },
      { dir: 'repo' },
    );
    expect(filesOf(summary)).toEqual({
      east: ['repo/east/a.yaml'],
      west: ['repo/west/secret.yaml'],
    });
  });

  it('lint() of a subdirectory of a git work tree honours the parent .gitignore', async () => {
    const root = writeScenario({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.rendered.yaml\n',
      ...manifests('repo/east/a.yaml', 'repo/east/x.rendered.yaml', 'repo/west/a.yaml'),
    });
    const result = await lint({ dirs: [join(root, 'repo')] });
    expect(result.files.map(relTo(root))).toEqual(['repo/east/a.yaml', 'repo/west/a.yaml']);
  });

  it('a .gitignore in a parent directory does not apply when no .git is above DIR', async () => {
    const { summary } = await discoverScenario(
      {
        '.gitignore': '*.rendered.yaml\nrepo/east/secret.yaml\nrepo/lab/\n',
        ...manifests('repo/east/a.yaml', 'repo/east/secret.yaml', 'repo/east/x.rendered.yaml', 'repo/lab/a.yaml'),
      },
      { dir: 'repo' },
    );
    expect(filesOf(summary)).toEqual({
      east: ['repo/east/a.yaml', 'repo/east/secret.yaml', 'repo/east/x.rendered.yaml'],
      lab: ['repo/lab/a.yaml'],
    });
  });

  it('a .gitignore above the root of the git work tree holding DIR is not read', async () => {
    const { summary } = await discoverScenario(
      {
        '.gitignore': '*.yaml\n',
        'work/.git/HEAD': 'ref: refs/heads/main\n',
        'work/.gitignore': 'east/b.yaml\n',
        ...manifests('work/repo/east/a.yaml', 'work/repo/east/b.yaml', 'work/east/b.yaml'),
      },
      { dir: 'work/repo' },
    );
    // work/.gitignore's anchored rule names work/east/b.yaml, not work/repo/east/b.yaml.
    expect(filesOf(summary)).toEqual({ east: ['work/repo/east/a.yaml', 'work/repo/east/b.yaml'] });
  });

  it('DIR/.gitignore still applies when --config names a file in another directory', async () => {
    const root = writeScenario({
      'ci/mclint.config.yaml': 'rules: {}\n',
      'repo/.gitignore': 'east/secret.yaml\n',
      ...manifests('repo/east/a.yaml', 'repo/east/secret.yaml', 'repo/west/a.yaml'),
    });
    const { discovery } = await discoverIn(root, { dir: 'repo', configFile: join(root, 'ci/mclint.config.yaml') });
    expect(filesByCluster(discovery, root)).toEqual({ east: ['repo/east/a.yaml'], west: ['repo/west/a.yaml'] });
  });

  it('outside lists the files directly in DIR, not those of the config directory, when --config is elsewhere', async () => {
    const root = writeScenario({
      'ci/mclint.config.yaml': 'rules: {}\n',
      'ci/other.yaml': MANIFEST,
      ...manifests('repo/east/a.yaml', 'repo/west/a.yaml', 'repo/stray.yaml'),
    });
    const { discovery } = await discoverIn(root, { dir: 'repo', configFile: join(root, 'ci/mclint.config.yaml') });
    expect(summarize(discovery, root).outside).toEqual(['repo/stray.yaml']);
  });

  it('a .gitignore inside a config cluster directory applies when the cluster path leads out of the config directory', async () => {
    const root = writeScenario({
      'ci/mclint.config.yaml': yaml`
        clusters:
          - name: east
            path: ../gitops/east
      `,
      'gitops/east/.gitignore': 'secret.yaml\n',
      ...manifests('gitops/east/a.yaml', 'gitops/east/secret.yaml'),
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    const { discovery } = await discoverIn(root, { dir: 'ci', configFile: join(root, 'ci/mclint.config.yaml') });
    expect(filesByCluster(discovery, root)).toEqual({ east: ['gitops/east/a.yaml'] });
  });

  it('a .gitignore inside an explicit cluster outside the current directory applies', async () => {
    const root = writeScenario({
      'gitops/east/.gitignore': 'secret.yaml\n',
      ...manifests('gitops/east/a.yaml', 'gitops/east/secret.yaml', 'gitops/west/a.yaml'),
    });
    expect(relative(process.cwd(), root).startsWith('..')).toBe(true);
    const result = await lint({
      dirs: [],
      clusters: [
        { name: 'east', path: join(root, 'gitops/east') },
        { name: 'west', path: join(root, 'gitops/west') },
      ],
    });
    expect(result.files.map(relTo(root))).toEqual(['gitops/east/a.yaml', 'gitops/west/a.yaml']);
  });

  it('node_modules inside an explicit cluster outside the current directory is skipped', async () => {
    const root = writeScenario(manifests('gitops/east/a.yaml', 'gitops/east/node_modules/pkg/x.yaml'));
    expect(relative(process.cwd(), root).startsWith('..')).toBe(true);
    const result = await lint({ dirs: [], clusters: [{ name: 'east', path: join(root, 'gitops/east') }] });
    expect(result.files.map(relTo(root))).toEqual(['gitops/east/a.yaml']);
  });

  it('config ignore globs, relative to the config file, exclude files', async () => {
    const { summary } = await discoverScenario({
      'mclint.config.yaml': yaml`
        ignore: ['east/skip.yaml', '**/charts/**/templates/**', '*/generated/**']
      `,
      ...manifests(
        'east/skip.yaml',
        'east/a.yaml',
        'west/skip.yaml',
        'west/charts/podinfo/templates/deployment.yaml',
        'west/charts/podinfo/values.yaml',
        'west/generated/x.yaml',
        'west/apps/generated/y.yaml',
      ),
    });
    expect(filesOf(summary)).toEqual({
      east: ['east/a.yaml'],
      west: ['west/apps/generated/y.yaml', 'west/charts/podinfo/values.yaml', 'west/skip.yaml'],
    });
  });

  it('config ignore globs are relative to the config file, not to DIR', async () => {
    const root = writeScenario({
      'mclint.config.yaml': yaml`
        ignore: ['repo/east/skip.yaml']
      `,
      ...manifests('repo/east/skip.yaml', 'repo/east/a.yaml', 'repo/west/a.yaml'),
    });
    const { discovery } = await discoverIn(root, { dir: 'repo', configFile: join(root, 'mclint.config.yaml') });
    expect(filesByCluster(discovery, root)).toEqual({ east: ['repo/east/a.yaml'], west: ['repo/west/a.yaml'] });
  });

  it('config ignore globs also exclude files of clusters outside the config directory', async () => {
    const root = writeScenario({
      'ci/mclint.config.yaml': yaml`
        clusters:
          - name: east
            path: ../gitops/east
        ignore: ['**/charts/**/templates/**', '../gitops/east/skip.yaml']
      `,
      ...manifests('gitops/east/a.yaml', 'gitops/east/skip.yaml', 'gitops/east/charts/podinfo/templates/deployment.yaml', 'gitops/east/charts/podinfo/values.yaml'),
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    const { discovery } = await discoverIn(root, { dir: 'ci', configFile: join(root, 'ci/mclint.config.yaml') });
    expect(filesByCluster(discovery, root)).toEqual({ east: ['gitops/east/a.yaml', 'gitops/east/charts/podinfo/values.yaml'] });
  });

  it('node_modules inside a cluster is skipped', async () => {
    const { summary } = await discoverScenario(manifests('east/a.yaml', 'east/node_modules/pkg/x.yaml', 'east/tools/node_modules/y.json', 'west/a.yaml'));
    expect(filesOf(summary)).toEqual({ east: ['east/a.yaml'], west: ['west/a.yaml'] });
  });
});

describe('discover: onWalked', () => {
  it('reports the number of files walked (ignored ones included) once, before files are assigned', async () => {
    const root = writeScenario({
      ...manifests('clusters/a/x.yaml', 'clusters/a/y.yaml', 'clusters/b/z.json', 'clusters/b/skip/w.yaml'),
      'clusters/b/.gitignore': 'skip/\n',
    });
    const config = await findConfig(root, undefined);
    const calls: number[] = [];
    const discovery = await discover({ root, config, onWalked: (n) => calls.push(n) });
    expect(calls).toHaveLength(1);
    const linted = discovery.sets.flatMap((s) => s.clusters.flatMap((c) => c.files));
    expect(linted).toHaveLength(3);
    // The walk counts the ignored file and the .gitignore too: never fewer than will be linted.
    expect(calls[0]).toBeGreaterThanOrEqual(linted.length);
  });
});

describe('discover: determinism', () => {
  const tree: Files = {
    '.gitignore': '*.local.yaml\n',
    'west/.gitignore': '!keep.local.yaml\n',
    ...manifests(
      'west/b.yaml',
      'west/a.yaml',
      'west/keep.local.yaml',
      'west/drop.local.yaml',
      'west/apps/z.yml',
      'west/apps/a.json',
      'east/z.yaml',
      'east/m/n.yaml',
      'east/a.yaml',
      'central/x.yaml',
      'stray.yaml',
      'other.json',
    ),
  };

  /** Writes the tree in the given order, directories created in that order too. */
  function writeInOrder(entries: [string, string | Buffer][]): string {
    const root = writeScenario({});
    for (const [path, content] of entries) {
      const abs = join(root, path);
      mkdirSync(join(abs, '..'), { recursive: true });
      writeFileSync(abs, content);
    }
    return root;
  }

  it('the same tree created in a different file creation order gives identical results', async () => {
    const entries = Object.entries(tree);
    const orders = [entries, [...entries].reverse(), [...entries.slice(7), ...entries.slice(0, 7)]];
    const results: Summary[] = [];
    for (const order of orders) {
      const root = writeInOrder(order);
      const { discovery } = await discoverIn(root);
      results.push(summarize(discovery, root));
    }
    expect(results[0]).toEqual({
      sets: [
        {
          name: 'default',
          clusters: [
            { name: 'central', origin: 'directory', root: 'central', files: ['central/x.yaml'] },
            { name: 'east', origin: 'directory', root: 'east', files: ['east/a.yaml', 'east/m/n.yaml', 'east/z.yaml'] },
            { name: 'west', origin: 'directory', root: 'west', files: ['west/a.yaml', 'west/apps/a.json', 'west/apps/z.yml', 'west/b.yaml', 'west/keep.local.yaml'] },
          ],
        },
      ],
      outside: ['other.json', 'stray.yaml'],
    });
    // Byte-identical, not merely equal up to order.
    expect(JSON.stringify(results[1])).toBe(JSON.stringify(results[0]));
    expect(JSON.stringify(results[2])).toBe(JSON.stringify(results[0]));
  });
});

describe('discover: symbolic links and ignored directories', () => {
  it('a symlinked cluster directory inside the repository is a cluster, and a symlink loop lists each real file once', async () => {
    // The git work tree is the repository: real/east lies inside it, though outside DIR (repo/).
    const root = writeScenario({ ...manifests('real/east/a.yaml', 'repo/west/b.yaml'), '.git/HEAD': 'ref: refs/heads/main\n' });
    symlinkSync(join(root, 'real/east'), join(root, 'repo/east'), 'dir');
    symlinkSync(join(root, 'repo/west'), join(root, 'repo/west/loop'), 'dir');
    const { discovery } = await discoverIn(root, { dir: 'repo' });
    const rel = (p: string) => relative(root, p).split('\\').join('/');
    expect(discovery.sets[0].clusters.map((c) => [c.name, c.files.map(rel)])).toEqual([
      ['east', ['repo/east/a.yaml']],
      ['west', ['repo/west/b.yaml']],
    ]);
    expect(discovery.skipped?.map((s) => [rel(s.path), s.reason])).toEqual([['repo/west/loop', 'symlink-loop']]);
  });

  it('a symlink leading outside the repository is a listed skip, never followed; a cluster directory linked outside is no cluster', async () => {
    const root = writeScenario({ ...manifests('repo/east/a.yaml', 'repo/south/c.yaml', 'outside/secret.yaml', 'outside/dir/inner.yaml') });
    symlinkSync(join(root, 'outside/secret.yaml'), join(root, 'repo/east/link.yaml'));
    symlinkSync(join(root, 'outside/dir'), join(root, 'repo/east/dir'), 'dir');
    symlinkSync(join(root, 'outside'), join(root, 'repo/west'), 'dir');
    // Links that stay inside are followed.
    symlinkSync('a.yaml', join(root, 'repo/east/alias.yaml'));
    symlinkSync('../east', join(root, 'repo/south/east'), 'dir');
    const { discovery } = await discoverIn(root, { dir: 'repo' });
    const rel = relTo(root);
    expect(discovery.sets[0].clusters.map((c) => [c.name, c.files.map(rel)])).toEqual([
      ['east', ['repo/east/a.yaml', 'repo/east/alias.yaml']],
      ['south', ['repo/south/c.yaml', 'repo/south/east/a.yaml', 'repo/south/east/alias.yaml']],
    ]);
    expect(discovery.skipped?.map((s) => [rel(s.path), s.reason])).toEqual([
      ['repo/east/dir', 'symlink-outside'],
      ['repo/east/link.yaml', 'symlink-outside'],
      // The links of east again, where south's link to east reaches them.
      ['repo/south/east/dir', 'symlink-outside'],
      ['repo/south/east/link.yaml', 'symlink-outside'],
      ['repo/west', 'symlink-outside'],
    ]);
  });

  it('symlinks to a directory holding them are listed loops; each real directory is walked once per cluster', async () => {
    const root = writeScenario({ ...manifests('east/x.yaml', 'east/sub/y.yaml', 'west/w.yaml') });
    symlinkSync('.', join(root, 'east/s1'), 'dir');
    symlinkSync('.', join(root, 'east/s2'), 'dir');
    symlinkSync('..', join(root, 'east/up'), 'dir');
    symlinkSync('../../east', join(root, 'east/sub/back'), 'dir');
    // A link to a sibling walked already is a second name of the same files: not walked again.
    symlinkSync('sub', join(root, 'east/again'), 'dir');
    symlinkSync('l2.yaml', join(root, 'east/l1.yaml'));
    symlinkSync('l1.yaml', join(root, 'east/l2.yaml'));
    const { discovery } = await discoverIn(root);
    const rel = relTo(root);
    expect(filesByCluster(discovery, root)).toEqual({ east: ['east/sub/y.yaml', 'east/x.yaml'], west: ['west/w.yaml'] });
    expect(discovery.skipped?.map((s) => [rel(s.path), s.reason])).toEqual([
      ['east/l1.yaml', 'symlink-loop'],
      ['east/l2.yaml', 'symlink-loop'],
      ['east/s1', 'symlink-loop'],
      ['east/s2', 'symlink-loop'],
      ['east/sub/back', 'symlink-loop'],
      ['east/up', 'symlink-loop'],
    ]);
  });

  it('a path given with --cluster is trusted: links into it are followed', async () => {
    const other = writeScenario({ ...manifests('real/a.yaml') });
    const root = writeScenario({});
    symlinkSync(join(other, 'real'), join(other, 'link'), 'dir');
    const { discovery } = await discoverIn(root, { explicit: [{ name: 'ext', path: relative(root, join(other, 'link')) }] });
    expect(discovery.sets[0].clusters.map((c) => [c.name, c.files.map(relTo(other))])).toEqual([['ext', ['link/a.yaml']]]);
    expect(discovery.skipped ?? []).toEqual([]);
  });

  it.each([['../outside'], ['/proc'], ['inside-link']])('a config cluster path leading outside the repository (%s) is a config error', async (path) => {
    const root = writeScenario({
      ...manifests('outside/a.yaml', 'repo/b/b.yaml'),
      'repo/mclint.config.yaml': `clusters:\n  - name: b\n    path: b\n  - name: x\n    path: ${path}\n`,
    });
    symlinkSync(join(root, 'outside'), join(root, 'repo/inside-link'), 'dir');
    await expectConfigError(discoverIn(root, { dir: 'repo' }), 'cluster "x": path ', 'is outside the repository', '--cluster x=PATH');
  });

  it.skipIf(process.platform === 'win32')('FIFOs named like manifests or .gitignore are listed as not regular files, never opened', async () => {
    const root = writeScenario({ ...manifests('east/a.yaml', 'west/b.yaml') });
    for (const p of ['east/x.yaml', 'east/.gitignore']) expect(spawnSync('mkfifo', [join(root, p)]).status).toBe(0);
    symlinkSync('x.yaml', join(root, 'east/y.yaml'));
    const { discovery } = await discoverIn(root);
    const rel = relTo(root);
    expect(filesByCluster(discovery, root)).toEqual({ east: ['east/a.yaml'], west: ['west/b.yaml'] });
    expect(discovery.skipped?.map((s) => [rel(s.path), s.reason])).toEqual([
      ['east/.gitignore', 'not-regular'],
      ['east/x.yaml', 'not-regular'],
      ['east/y.yaml', 'not-regular'],
    ]);
  });

  it.skipIf(process.platform === 'win32')('names with newlines are linted; names that are not UTF-8 are listed skips', async () => {
    const root = writeScenario({ ...manifests('east/a.yaml', 'new\nline/b.yaml', 'west/sub\n/c.yaml') });
    const bad = Buffer.concat([Buffer.from(join(root, 'west/')), Buffer.from([0x62, 0xff])]);
    mkdirSync(bad);
    writeFileSync(Buffer.concat([bad, Buffer.from('/d.yaml')]), MANIFEST);
    writeFileSync(Buffer.concat([Buffer.from(join(root, 'west/')), Buffer.from([0xfe]), Buffer.from('.yaml')]), MANIFEST);
    mkdirSync(Buffer.concat([Buffer.from(root + '/'), Buffer.from([0xc3])]));
    const { discovery } = await discoverIn(root);
    const rel = relTo(root);
    expect(filesByCluster(discovery, root)).toEqual({ east: ['east/a.yaml'], 'new\nline': ['new\nline/b.yaml'], west: ['west/sub\n/c.yaml'] });
    expect(discovery.skipped?.map((s) => [rel(s.path), s.reason])).toEqual([
      ['west/b\uFFFD', 'bad-name'],
      ['west/\uFFFD.yaml', 'bad-name'],
      ['\uFFFD', 'bad-name'],
    ]);
  });

  it('clusters named like Object.prototype members are data (folders and config)', async () => {
    const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];
    const folders = await discoverIn(writeScenario(manifests(...names.map((n) => `${n}/a.yaml`))));
    expect(Object.keys(filesByCluster(folders.discovery, folders.root))).toEqual(names);
    const configRoot = writeScenario({ ...manifests(...names.map((n) => `${n}/a.yaml`)), 'mclint.config.yaml': `clusters:\n${names.map((n) => `  - name: ${n}\n`).join('')}` });
    const configured = await discoverIn(configRoot);
    expect(configured.discovery.sets[0].clusters.map((c) => [c.name, c.files.map(relTo(configRoot))])).toEqual(names.map((n) => [n, [`${n}/a.yaml`]]));
  });

  it('a negation in a .gitignore inside an ignored directory re-includes nothing (git never reads it)', async () => {
    const root = writeScenario({
      ...manifests('east/a.yaml', 'east/sub/x.yaml'),
      'east/.gitignore': 'sub/\n',
      'east/sub/.gitignore': '!x.yaml\n',
    });
    const { discovery } = await discoverIn(root);
    expect(discovery.sets[0].clusters[0].files.map((f) => relative(root, f).split('\\').join('/'))).toEqual(['east/a.yaml']);
  });
});
