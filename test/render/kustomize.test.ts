/**
 * kustomize rendering with the real binary (`kustomize`, else `kubectl kustomize`): objects mapped
 * back to the lines their fields were written at, through patches, generators and name/namespace
 * transformers. Skipped, with a visible warning, only when neither binary is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Containment } from '../../src/discover/walk.js';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locatePlaces } from '../../src/load/locate.js';
import type { Path, Place, Span } from '../../src/base/types.js';
import { fieldPlace as describeFieldPlace } from '../../src/model/describe.js';
import { buildModel } from '../../src/model/index.js';
import type { Discovery } from '../../src/discover/index.js';
import type { FileConfig } from '../../src/config/index.js';
import {
  findKustomizeTool,
  isKustomizationDir,
  isRemoteReference,
  kustomizationInputs,
  loadRendered,
  renderKustomization,
  type KustomizeRender,
  type RenderedDocument,
  cleanError,
  kustomizationRefusal,
  MAX_RENDER_ENTRIES,
} from '../../src/render/kustomize.js';
import { writeScenario, yaml } from '../helpers/scenario.js';
import { releaseRunMemory } from '../../src/base/memory.js';

const FIXTURES = resolve(__dirname, '../../fixtures');
const OVERLAYS = join(FIXTURES, 'kustomize-overlays');
const tool = findKustomizeTool();
if (!tool) console.warn('\n⚠ kustomize rendering tests SKIPPED: neither `kustomize` nor `kubectl` is on PATH (install kubectl to run them)\n');
const withTool = tool ? describe : describe.skip;

/** Line/column of a place, as findings report it. */
async function at(place: Place | undefined): Promise<{ file: string; line: number; column: number } | undefined> {
  if (!place) return undefined;
  const span = (await locatePlaces([place])).get(place) as Span;
  return { file: place.file, line: span.line, column: span.column };
}

function rendered(render: KustomizeRender): readonly RenderedDocument[] {
  if (!render.ok) throw new Error(`render failed: ${render.reason}: ${render.message}`);
  return render.documents;
}

function find(docs: readonly RenderedDocument[], kind: string, name: string): RenderedDocument {
  const doc = docs.find((d) => d.body.kind === kind && (d.body.metadata as { name?: string }).name === name);
  if (!doc) throw new Error(`no ${kind} ${name} among ${docs.map((d) => `${String(d.body.kind)}/${String((d.body.metadata as { name?: string }).name)}`).join(', ')}`);
  return doc;
}

/** Where a field of a rendered object was written: the patch's place, else below the origin. */
const placeOf = (doc: RenderedDocument, path: Path): Place => doc.fieldPlace(path) ?? { ...doc.origin, path: [...doc.origin.path, ...path] };

describe('isKustomizationDir', () => {
  const root = writeScenario({
    'yaml/kustomization.yaml': 'resources: []\n',
    'yml/kustomization.yml': 'resources: []\n',
    'capital/Kustomization': 'resources: []\n',
    'none/deploy.yaml': 'kind: Namespace\n',
    'dir-named/kustomization.yaml/x.yaml': 'a: 1\n',
  });
  it.each([
    ['yaml', true],
    ['yml', true],
    ['capital', true],
    ['none', false],
    ['dir-named', false],
    ['missing', false],
  ])('%s → %s', (dir, expected) => {
    expect(isKustomizationDir(join(root, dir))).toBe(expected);
  });
});

describe('isRemoteReference', () => {
  it.each([
    ['https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1', true],
    ['github.com/submariner-io/submariner-operator/config/crd?ref=v0.18.0', true],
    ['git@github.com:org/repo.git//base', true],
    ['git::https://example.com/repo.git', true],
    ['ssh://git@example.com/repo.git', true],
    ['https://raw.githubusercontent.com/org/repo/main/deploy.yaml', true],
    ['gitlab.com/org/repo/base', true],
    ['../base', false],
    ['deploy.yaml', false],
    ['overlays/east', false],
    ['base?', false],
  ])('%s → %s', (entry, expected) => {
    expect(isRemoteReference(entry)).toBe(expected);
  });
});

describe('kustomizationInputs', () => {
  it('lists every file of an overlay and its base, transitively', () => {
    const inputs = kustomizationInputs(join(OVERLAYS, 'east'));
    expect(inputs.files).toEqual(
      ['base/kustomization.yaml', 'base/services.yaml', 'base/submariner.yaml', 'east/cidr-patch.yaml', 'east/cluster-id.yaml', 'east/kustomization.yaml'].map((f) =>
        join(OVERLAYS, f),
      ),
    );
    expect(inputs.dirs).toEqual([join(OVERLAYS, 'base'), join(OVERLAYS, 'east')]);
    expect(inputs.remote).toEqual([]);
    expect(inputs.problems).toEqual([]);
  });

  it('reads generators, components, CRDs and every patch form; reports missing entries at their place', () => {
    const root = writeScenario({
      'app/kustomization.yml': yaml`
        resources:
          - deploy.yaml
          - missing.yaml
        components:
          - ../component
        crds:
          - crd.yaml
        patchesStrategicMerge:
          - smp.yaml
          - |-
            apiVersion: v1
            kind: Service
            metadata: {name: inline}
        patchesJson6902:
          - target: {kind: Service, name: a}
            path: json.yaml
        configMapGenerator:
          - name: cfg
            files: [app.properties, key=other.properties]
            envs: [app.env]
        secretGenerator:
          - name: sec
            env: secret.env
      `,
      'app/deploy.yaml': 'kind: Namespace\n',
      'app/crd.yaml': 'kind: CustomResourceDefinition\n',
      'app/smp.yaml': 'kind: Service\n',
      'app/json.yaml': '[]\n',
      'app/app.properties': 'a=b\n',
      'app/other.properties': 'c=d\n',
      'app/app.env': 'E=1\n',
      'app/secret.env': 'S=1\n',
      'component/Kustomization': yaml`
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        patches:
          - path: patch.yaml
      `,
      'component/patch.yaml': 'kind: Service\n',
    });
    const inputs = kustomizationInputs(join(root, 'app'));
    const rel = (f: string) => f.slice(root.length + 1);
    expect(inputs.files.map(rel)).toEqual([
      'app/app.env',
      'app/app.properties',
      'app/crd.yaml',
      'app/deploy.yaml',
      'app/json.yaml',
      'app/kustomization.yml',
      'app/other.properties',
      'app/secret.env',
      'app/smp.yaml',
      'component/Kustomization',
      'component/patch.yaml',
    ]);
    expect(inputs.dirs.map(rel)).toEqual(['app', 'component']);
    expect(inputs.problems).toEqual([
      {
        message: expect.stringContaining('"missing.yaml" is neither a file nor a directory'),
        place: { file: join(root, 'app/kustomization.yml'), doc: 0, path: ['resources', 1] },
      },
    ]);
  });

  it('reports remote references at their entry, without fetching', () => {
    const dir = join(FIXTURES, 'kustomize-remote');
    const inputs = kustomizationInputs(dir);
    expect(inputs.remote).toEqual([
      { ref: 'https://github.com/submariner-io/submariner-operator//config/crd?ref=v0.18.0', place: { file: join(dir, 'kustomization.yaml'), doc: 0, path: ['resources', 1] } },
    ]);
    expect(inputs.files).toEqual([join(dir, 'kustomization.yaml'), join(dir, 'local.yaml')]);
  });

  it('never throws on broken kustomization files', () => {
    const root = writeScenario({ 'a/kustomization.yaml': 'resources: [\n', 'b/kustomization.yaml': '- just\n- a list\n' });
    for (const d of ['a', 'b']) {
      const inputs = kustomizationInputs(join(root, d));
      expect(inputs.problems).toHaveLength(1);
      expect(inputs.problems[0].place).toEqual({ file: join(root, d, 'kustomization.yaml'), doc: 0, path: [] });
    }
    expect(kustomizationInputs(join(root, 'nowhere')).problems[0].message).toContain('holds no kustomization.yaml');
  });
});

describe('findKustomizeTool', () => {
  it('prefers MCLINT_KUSTOMIZE, then kustomize, then kubectl on PATH', () => {
    // Executable stand-ins (symbolic links to /bin/true) named as the real binaries; never run.
    const root = writeScenario({ 'noexec/kustomize': '', 'none/readme.txt': '' });
    const dir = (name: string, ...binaries: string[]) => {
      const d = join(root, name);
      mkdirSync(d);
      for (const b of binaries) symlinkSync('/bin/true', join(d, b));
      return d;
    };
    const both = dir('both', 'kustomize', 'kubectl');
    const kubectlOnly = dir('kubectl-only', 'kubectl');
    const none = join(root, 'none');
    expect(findKustomizeTool({ PATH: both })).toEqual({ name: 'kustomize', command: join(both, 'kustomize') });
    expect(findKustomizeTool({ PATH: `${none}${delimiter}${kubectlOnly}` })).toEqual({ name: 'kubectl', command: join(kubectlOnly, 'kubectl') });
    expect(findKustomizeTool({ PATH: none })).toBeUndefined();
    expect(findKustomizeTool({ PATH: join(root, 'noexec') })).toBeUndefined();
    expect(findKustomizeTool({})).toBeUndefined();
    expect(findKustomizeTool({ PATH: both, MCLINT_KUSTOMIZE: '/opt/k8s/kubectl-1.32' })).toEqual({ name: 'kubectl', command: '/opt/k8s/kubectl-1.32' });
    expect(findKustomizeTool({ PATH: both, MCLINT_KUSTOMIZE: 'kustomize' })).toEqual({ name: 'kustomize', command: join(both, 'kustomize') });
  });
});

describe('cleanError', () => {
  it('a Go runtime crash keeps only its stable lines (goroutine dumps carry addresses that change on every run)', () => {
    const crash = (sp: string) =>
      `runtime: goroutine stack exceeds 1000000000-byte limit\nruntime: sp=${sp} stack=[0xc0209e0000, 0xc0409e0000]\nfatal error: stack overflow\n\nruntime stack:\nruntime.throw({0x2a3e8c1?, 0x0?})\n\tgoroutine 1 [running]:\n`;
    expect(cleanError(crash('0xc0209e0390'), '/tmp/w')).toBe('the Go runtime stopped it: stack overflow (goroutine stack exceeds 1000000000-byte limit)');
    expect(cleanError(crash('0xc0aa9e0111'), '/tmp/w')).toBe(cleanError(crash('0xc0209e0390'), '/tmp/w'));
  });

  it('a Go panic keeps its value and the function it happened in, not the goroutine trace (found by the fuzz harness)', () => {
    const panic = (p: string) =>
      `panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x40 pc=0x1625235]\n\ngoroutine 1 [running]:\nsigs.k8s.io/kustomize/api/internal/builtins.(*PatchJson6902TransformerPlugin).Config(${p}, 0xc000c1bb00?, {0xc000bd7260?, 0x206b9e0?, 0x0?})\n\tsigs.k8s.io/kustomize/api@v0.18.0/internal/builtins/PatchJson6902Transformer.go:34 +0x95\n`;
    expect(cleanError(panic('0xc000019540'), '/tmp/w')).toBe(
      'it panicked: runtime error: invalid memory address or nil pointer dereference (in sigs.k8s.io/kustomize/api/internal/builtins.(*PatchJson6902TransformerPlugin).Config)',
    );
    expect(cleanError(panic('0xc0004f2730'), '/tmp/w')).toBe(cleanError(panic('0xc000019540'), '/tmp/w'));
  });

  it('removes the log prefix and the wrapper layer', () => {
    const stderr =
      "E1201 22:02:04.323089    5685 run.go:72] \"command failed\" err=\"accumulating resources: accumulation err='accumulating resources from '../x/app': '/x/app' must resolve to a file': recursed accumulation of path '/x/app': accumulating resources: accumulation err='accumulating resources from 'missing.yaml': not found'\"\n";
    expect(cleanError(stderr, '/tmp/w')).toBe("accumulating resources: accumulation err='accumulating resources from 'missing.yaml': not found'");
    const multiLine =
      "E1201 22:02:04.369679    5692 run.go:72] \"command failed\" err=<\n\taccumulating resources: accumulation err='accumulating resources from '../x/app': '/x/app' must resolve to a file': recursed accumulation of path '/x/app': trouble configuring builtin PatchTransformer with config: `\n\tpath: nope.yaml\n\t`: failed to get the patch file from path(nope.yaml)\n >\n";
    expect(cleanError(multiLine, '/tmp/w')).toBe(
      'trouble configuring builtin PatchTransformer with config: `\npath: nope.yaml\n`: failed to get the patch file from path(nope.yaml)',
    );
    expect(cleanError('Error: trouble configuring builtin PatchTransformer in /tmp/w/kustomization.yaml\n', '/tmp/w')).toBe(
      'trouble configuring builtin PatchTransformer in <wrapper>/kustomization.yaml',
    );
  });
});

withTool('renderKustomization (real kustomize)', () => {
  it('east: strategic-merge and JSON 6902 patch files, namePrefix, List items', async () => {
    const docs = rendered(await renderKustomization(join(OVERLAYS, 'east'), tool!));
    expect(docs.map((d) => `${String(d.body.kind)}/${String((d.body.metadata as { name: string }).name)}`).sort()).toEqual([
      'Service/east-api',
      'Service/east-web',
      'Submariner/east-submariner',
    ]);
    for (const d of docs) expect((d.body.metadata as Record<string, unknown>).annotations).toBeUndefined();

    const sub = find(docs, 'Submariner', 'east-submariner');
    const base = join(OVERLAYS, 'base/submariner.yaml');
    expect(sub.origin).toEqual({ file: base, doc: 0, path: [] });
    expect(sub.via).toEqual([join(OVERLAYS, 'east/kustomization.yaml'), join(OVERLAYS, 'base/kustomization.yaml')]);
    expect((sub.body.spec as Record<string, unknown>).clusterCIDR).toBe('10.1.0.0/16');
    const cases: [Path, string, number, number][] = [
      [['spec', 'clusterCIDR'], 'east/cidr-patch.yaml', 7, 16], // strategic-merge patch file
      [['spec', 'clusterID'], 'east/cluster-id.yaml', 3, 10], // JSON 6902 replace
      [['spec', 'globalCIDR'], 'east/cluster-id.yaml', 6, 10], // JSON 6902 add
      [['metadata', 'name'], 'east/kustomization.yaml', 5, 13], // namePrefix
      [['spec', 'serviceCIDR'], 'base/submariner.yaml', 9, 16], // unpatched: the base
      [['spec', 'broker'], 'base/submariner.yaml', 7, 11],
      [['metadata', 'namespace'], 'base/submariner.yaml', 5, 14], // the patch only names it
    ];
    for (const [path, file, line, column] of cases) {
      expect({ path, ...(await at(placeOf(sub, path))) }).toEqual({ path, file: join(OVERLAYS, file), line, column });
    }
    expect(sub.fieldPlace(['spec', 'serviceCIDR'])).toBeUndefined();

    // A List after a comment-only document: document 0 (empty documents are not counted), item paths.
    const api = find(docs, 'Service', 'east-api');
    expect(api.origin).toEqual({ file: join(OVERLAYS, 'base/services.yaml'), doc: 0, path: ['items', 0] });
    expect(await at(placeOf(api, ['spec', 'ports', 0, 'port']))).toEqual({ file: join(OVERLAYS, 'base/services.yaml'), line: 14, column: 17 });
    // Strategic merge of a list by its merge key: the patch's port comes first, the base's stays.
    const web = find(docs, 'Service', 'east-web');
    expect(web.origin.path).toEqual(['items', 1]);
    expect(await at(placeOf(web, ['spec', 'ports', 0, 'port']))).toEqual({ file: join(OVERLAYS, 'east/cidr-patch.yaml'), line: 17, column: 13 });
    expect(await at(placeOf(web, ['spec', 'ports', 1, 'port']))).toEqual({ file: join(OVERLAYS, 'base/services.yaml'), line: 23, column: 17 });
  });

  it('west: patchesStrategicMerge, an inline patch, namespace and a configMapGenerator', async () => {
    const docs = rendered(await renderKustomization(join(OVERLAYS, 'west'), tool!));
    const sub = find(docs, 'Submariner', 'submariner');
    const kust = join(OVERLAYS, 'west/kustomization.yaml');
    const cases: [Path, string, number, number][] = [
      [['spec', 'clusterCIDR'], join(OVERLAYS, 'west/cidr-patch.yaml'), 7, 16],
      [['spec', 'clusterID'], kust, 11, 12], // inline `patch: |-` in the kustomization
      [['metadata', 'namespace'], kust, 5, 12], // namespace transformer
      [['spec', 'serviceCIDR'], join(OVERLAYS, 'base/submariner.yaml'), 9, 16],
    ];
    for (const [path, file, line, column] of cases) {
      expect({ path, ...(await at(placeOf(sub, path))) }).toEqual({ path, file, line, column });
    }
    const cm = docs.find((d) => d.body.kind === 'ConfigMap')!;
    expect((cm.body.metadata as { name: string }).name).toMatch(/^cluster-info-/);
    expect(cm.origin).toEqual({ file: kust, doc: 0, path: ['configMapGenerator', 0] });
    expect(await at(cm.origin)).toEqual({ file: kust, line: 16, column: 5 });
    expect(cm.via).toEqual([kust]);
  });

  it('a remote base is refused before anything runs', async () => {
    // A command that does not exist: had it been run, the render would have failed instead.
    const render = await renderKustomization(join(FIXTURES, 'kustomize-remote'), { name: 'kustomize', command: join(tmpdir(), 'no-such-kustomize') });
    expect(render).toMatchObject({ ok: false, reason: 'remote', message: expect.stringContaining('https://github.com/submariner-io/submariner-operator//config/crd?ref=v0.18.0') });
    if (render.ok) return;
    expect(await at(render.place)).toEqual({ file: join(FIXTURES, 'kustomize-remote/kustomization.yaml'), line: 5, column: 5 });
  });

  it('a FIFO or device among the inputs, or an input outside the trusted roots, is refused before anything runs (issue 17)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mclint-kustomize-hostile-'));
    const outside = mkdtempSync(join(tmpdir(), 'mclint-kustomize-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: outside}\n');
    mkdirSync(join(root, 'fifo'));
    writeFileSync(join(root, 'fifo/kustomization.yaml'), 'resources:\n- pipe.yaml\n');
    execFileSync('mkfifo', [join(root, 'fifo/pipe.yaml')]);
    mkdirSync(join(root, 'device'));
    writeFileSync(join(root, 'device/kustomization.yaml'), 'patches:\n- path: zero.yaml\n');
    symlinkSync('/dev/zero', join(root, 'device/zero.yaml'));
    mkdirSync(join(root, 'leak'));
    writeFileSync(join(root, 'leak/kustomization.yaml'), 'resources:\n- secret.yaml\n');
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'leak/secret.yaml'));
    // A command that does not exist: had it been run, the render would have failed differently.
    const never = { name: 'kustomize' as const, command: join(tmpdir(), 'no-such-kustomize') };
    const trusted = new Containment([root]);
    for (const [dir, entry, line] of [
      ['fifo', 'pipe.yaml', 2],
      ['device', 'zero.yaml', 2],
    ] as const) {
      const render = await renderKustomization(join(root, dir), never, { trusted });
      expect(render).toMatchObject({ ok: false, reason: 'failed', message: `"${entry}" is not a regular file (a FIFO, device or socket): not rendered` });
      if (!render.ok) expect((await at(render.place))?.line).toBe(line);
    }
    // A "billion laughs" resource: kustomize would expand it in memory (kubectl reached 12 GB).
    mkdirSync(join(root, 'bomb'));
    writeFileSync(join(root, 'bomb/kustomization.yaml'), 'resources:\n- lol.yaml\n');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 8; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 0 ? '*a' : `*l${i - 1}`)
          .join(',')}]`,
      );
    writeFileSync(join(root, 'bomb/lol.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`);
    const bomb = await renderKustomization(join(root, 'bomb'), never, { trusted });
    expect(bomb).toMatchObject({ ok: false, reason: 'failed', place: { file: join(root, 'bomb/lol.yaml'), doc: 0 } });
    if (!bomb.ok) expect(bomb.message).toContain("expands through YAML aliases beyond mclint's limits");
    // An anchor aliased inside itself in a document with a duplicate key: js-yaml refuses the
    // duplicate, kustomize reads it and recurses until Go's 1 GB stack is gone (6 s). Measured leniently.
    mkdirSync(join(root, 'loop'));
    writeFileSync(join(root, 'loop/kustomization.yaml'), 'resources:\n- ns.yaml\n');
    writeFileSync(join(root, 'loop/ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {}\nmetadata: {}\n---\nx: &x\n  y: *x\n');
    const loop = await renderKustomization(join(root, 'loop'), never, { trusted });
    expect(loop).toMatchObject({ ok: false, reason: 'failed', place: { file: join(root, 'loop/ns.yaml'), doc: 1 } });
    if (!loop.ok) expect(loop.message).toContain("expands through YAML aliases beyond mclint's limits");
    // A ConfigMap of 10,001 keys: kustomize's time grows with the square of them (40,000 keys: 19 s).
    mkdirSync(join(root, 'wide'));
    writeFileSync(join(root, 'wide/kustomization.yaml'), 'resources:\n- cm.yaml\n');
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `  k${i}: v\n`).join('');
    writeFileSync(join(root, 'wide/cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n${keys(MAX_RENDER_ENTRIES + 1)}`);
    const wide = await renderKustomization(join(root, 'wide'), never, { trusted });
    expect(wide).toMatchObject({ ok: false, reason: 'failed', place: { file: join(root, 'wide/cm.yaml'), doc: 0, path: ['data'] } });
    if (!wide.ok) expect(wide.message).toContain(`holds a mapping or list of more than ${MAX_RENDER_ENTRIES} entries, and kustomize's time grows with the square of them`);
    if (!wide.ok) expect(await at(wide.place)).toEqual({ file: join(root, 'wide/cm.yaml'), line: 4, column: 1 });
    // At the limit it is handed over (to a binary that must not run here: the refusal is all that is
    // checked). A new run: files are checked once per run.
    releaseRunMemory();
    writeFileSync(join(root, 'wide/cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n${keys(MAX_RENDER_ENTRIES)}`);
    expect(kustomizationRefusal(join(root, 'wide'), { trusted })).toBeUndefined();
    const leak = await renderKustomization(join(root, 'leak'), never, { trusted });
    expect(leak).toMatchObject({ ok: false, reason: 'failed', message: expect.stringContaining('is outside the repository (through a symbolic link or ../): not rendered') });
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it("a broken kustomization fails with kustomize's message at the offending entry", async () => {
    const render = await renderKustomization(join(FIXTURES, 'kustomize-broken'), tool!);
    expect(render).toMatchObject({ ok: false, reason: 'failed' });
    if (render.ok) return;
    expect(render.message).toContain('missing-service.yaml');
    expect(render.message).not.toContain('mclint-kustomize-');
    expect(await at(render.place)).toEqual({ file: join(FIXTURES, 'kustomize-broken/kustomization.yaml'), line: 5, column: 5 });
  });

  it("a failure inside a base is placed at the base's entry", async () => {
    const root = writeScenario({
      'app/kustomization.yaml': 'resources:\n  - ../base\n',
      'base/kustomization.yaml': 'resources:\n  - ns.yaml\npatches:\n  - path: gone.yaml\n',
      'base/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    });
    const render = await renderKustomization(join(root, 'app'), tool!);
    expect(render).toMatchObject({ ok: false, reason: 'failed', message: expect.stringContaining('gone.yaml') });
    if (render.ok) return;
    expect(render.place).toEqual({ file: join(root, 'base/kustomization.yaml'), doc: 0, path: ['patches', 0, 'path'] });
  });

  it("a component's patch is the place of the field it set", async () => {
    const root = writeScenario({
      'app/kustomization.yaml': 'resources:\n  - sub.yaml\ncomponents:\n  - ../globalnet\n',
      'app/sub.yaml': 'apiVersion: submariner.io/v1alpha1\nkind: Submariner\nmetadata:\n  name: submariner\nspec:\n  broker: k8s\n',
      'globalnet/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target: {kind: Submariner}\n    path: globalnet.yaml\n',
      'globalnet/globalnet.yaml': '- op: add\n  path: /spec/globalCIDR\n  value: 242.0.0.0/16\n',
    });
    const [sub] = rendered(await renderKustomization(join(root, 'app'), tool!));
    expect((sub.body.spec as Record<string, unknown>).globalCIDR).toBe('242.0.0.0/16');
    expect(await at(sub.fieldPlace(['spec', 'globalCIDR']))).toEqual({ file: join(root, 'globalnet/globalnet.yaml'), line: 3, column: 10 });
    expect(sub.fieldPlace(['spec', 'broker'])).toBeUndefined();
  });

  it('invalid YAML in a kustomization fails at that kustomization file', async () => {
    const root = writeScenario({ 'app/kustomization.yaml': 'resources:\n  - ../base\nfoo: [\n', 'base/kustomization.yaml': 'resources: []\n' });
    const render = await renderKustomization(join(root, 'app'), tool!);
    expect(render).toMatchObject({ ok: false, reason: 'failed', place: { file: join(root, 'app/kustomization.yaml'), doc: 0 } });
  });

  it('a directory without a kustomization fails at the directory', async () => {
    const root = writeScenario({ 'plain/a.yaml': 'kind: Namespace\n' });
    expect(await renderKustomization(join(root, 'plain'), tool!)).toMatchObject({ ok: false, reason: 'failed', place: { file: join(root, 'plain'), doc: -1 } });
  });
});

withTool('loadRendered', () => {
  it('loads rendered objects at their origin, with schema errors and facts at the patch lines', async () => {
    const root = writeScenario({
      'base/kustomization.yaml': 'resources:\n  - sub.yaml\n',
      'base/sub.yaml': yaml`
        apiVersion: submariner.io/v1alpha1
        kind: Submariner
        metadata:
          name: submariner
          namespace: submariner-operator
        spec:
          clusterCIDR: 10.0.0.0/16
          natEnabled: false
      `,
      'east/kustomization.yaml': 'resources:\n  - ../base\npatches:\n  - path: patch.yaml\n',
      'east/patch.yaml': yaml`
        apiVersion: submariner.io/v1alpha1
        kind: Submariner
        metadata:
          name: submariner
          namespace: submariner-operator
        spec:
          clusterCIDR: 10.9.0.0/16
          natEnabled: sometimes
      `,
    });
    const dir = join(root, 'east');
    const key = join(dir, 'kustomization.yaml');
    const docs = rendered(await renderKustomization(dir, tool!));
    const file = await loadRendered(key, [...docs], {});
    expect(file).toMatchObject({ path: key, documents: 1, objectCount: 1, problems: [] });
    const [object] = file.objects;
    expect(object).toMatchObject({ kind: 'Submariner', name: 'submariner', file: join(root, 'base/sub.yaml'), doc: 0, base: [] });
    // The schema rule reports at describe's fieldPlace: the patch's value for the field the patch
    // set; the base for `spec` (missing spec.broker), which the patch only merged into.
    expect(object.schemaErrors.map((e) => e.path)).toEqual([['spec'], ['spec', 'natEnabled']]);
    expect(await at(describeFieldPlace(object, ...object.schemaErrors[0].path))).toEqual({ file: join(root, 'base/sub.yaml'), line: 6, column: 1 });
    expect(await at(describeFieldPlace(object, ...object.schemaErrors[1].path))).toEqual({ file: join(root, 'east/patch.yaml'), line: 8, column: 15 });
    expect(await at(describeFieldPlace(object, 'metadata', 'name'))).toEqual({ file: join(root, 'base/sub.yaml'), line: 4, column: 9 });

    // Facts extracted from the rendered object point at the patch.
    const config: FileConfig = { dir: root, clusterDomain: 'cluster.local', rules: {}, ignore: [], overrides: [], noInlineConfig: false };
    const discovery = {
      sets: [
        {
          name: 'default',
          anchor: { file: root, doc: -1, path: [] },
          clusters: [{ name: 'east', origin: 'directory', namePlace: { file: dir, doc: -1, path: [] }, root: dir, files: [key], kustomizations: [dir] }],
        },
      ],
      outside: [],
    } as unknown as Discovery;
    const model = buildModel(discovery, new Map([[key, file]]), config);
    const pod = model.sets[0].clusters[0].network.podCIDRs;
    expect(pod.map((f) => f.value.text)).toEqual(['10.9.0.0/16']);
    expect(await at(pod[0].source)).toEqual({ file: join(root, 'east/patch.yaml'), line: 7, column: 16 });
  });
});
