/**
 * Issue 15 point 2, the primary location of a two-sided finding: `choosePrimary` on findings built
 * by hand (which side is shown, and how the mirrored finding reads), then `lint()` on two-cluster
 * scenarios — the rule's primary side, the side in a changed file (`files`, `changedFiles`),
 * suppressions on either side, and config overrides that match nothing.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choosePrimary, mirrored, otherSideIndex } from '../src/engine/primary.js';
import type { Finding, MirroredWording, ResolvedRelated } from '../src/engine/types.js';
import { lint, type LintOptions } from '../src/lint.js';
import { writeScenario, yaml, type Files } from './helpers/scenario.js';

const span = (line: number) => ({ line, column: 3, endLine: line, endColumn: 9 });

const MIRROR: MirroredWording = { message: 'B mirrored', messageId: 'm', hint: 'hint from b', data: { cluster: 'b' }, relatedMessage: 'side of a' };

/** A finding at `a.yaml:1` in cluster a, its other side at `b.yaml:2` in cluster b, and an explanatory place in a. */
function finding(over: Partial<Finding> = {}): Finding {
  const related: ResolvedRelated[] = [
    { file: '/r/a-extra.yaml', ...span(5), cluster: 'a', message: 'same cluster' },
    { file: '/r/b.yaml', ...span(2), cluster: 'b', message: 'side of b', otherSide: true, object: { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', doc: 0, base: [] } },
  ];
  return {
    ruleId: 'r',
    severity: 2,
    message: 'A says',
    messageId: 'm',
    hint: 'hint from a',
    data: { cluster: 'a' },
    file: '/r/a.yaml',
    ...span(1),
    cluster: 'a',
    related,
    mirror: MIRROR,
    ...over,
  };
}

const changedSet =
  (...files: string[]) =>
  (path: string) =>
    files.includes(path);

describe('otherSideIndex: the related place the rule marked as the other side', () => {
  it.each([
    ['a related place marked otherSide', finding(), 1],
    ['explanatory related places only, even in another cluster', finding({ related: [finding().related[0], { file: '/r/x.yaml', ...span(1), cluster: 'x' }] }), -1],
    ['no related place', finding({ related: [] }), -1],
  ])('%s', (_, f, want) => expect(otherSideIndex(f)).toBe(want));
});

describe('choosePrimary', () => {
  it.each([
    { name: "no changed files known: the rule's side", changed: undefined, file: '/r/a.yaml', message: 'A says' },
    { name: 'only the other side changed: that side', changed: changedSet('/r/b.yaml'), file: '/r/b.yaml', message: 'B mirrored' },
    { name: "both sides changed: the rule's side", changed: changedSet('/r/a.yaml', '/r/b.yaml'), file: '/r/a.yaml', message: 'A says' },
    { name: "neither side changed: the rule's side", changed: changedSet('/r/c.yaml'), file: '/r/a.yaml', message: 'A says' },
    { name: "only the rule's side changed: the rule's side", changed: changedSet('/r/a.yaml'), file: '/r/a.yaml', message: 'A says' },
    { name: "a same-cluster related place changed: the rule's side", changed: changedSet('/r/a-extra.yaml'), file: '/r/a.yaml', message: 'A says' },
  ])('$name', ({ changed, file, message }) => {
    const [got] = choosePrimary([finding()], changed);
    expect({ file: got.file, message: got.message }).toEqual({ file, message });
    expect(got).not.toHaveProperty('mirror');
  });

  it('a finding without a mirror stays where the rule put it, even when only its other side changed', () => {
    const [got] = choosePrimary([finding({ mirror: undefined })], changedSet('/r/b.yaml'));
    expect(got).toEqual(finding({ mirror: undefined }));
  });

  it('keeps the order of the findings', () => {
    const two = [finding(), finding({ message: 'second', file: '/r/z.yaml' })];
    expect(choosePrimary(two, changedSet('/r/b.yaml')).map((f) => f.message)).toEqual(['B mirrored', 'B mirrored']);
    expect(choosePrimary(two).map((f) => f.message)).toEqual(['A says', 'second']);
  });
});

describe('mirrored: the finding told from its other side', () => {
  it("moves to the other side, takes the mirror's words and its object, and keeps the former side first among the related places", () => {
    const got = mirrored(finding())!;
    const { related, ...rest } = got;
    expect(rest).toEqual({
      ruleId: 'r',
      severity: 2,
      message: 'B mirrored',
      messageId: 'm',
      hint: 'hint from b',
      data: { cluster: 'b' },
      file: '/r/b.yaml',
      ...span(2),
      cluster: 'b',
      object: { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', doc: 0, base: [] },
    });
    expect(related).toEqual([
      { file: '/r/a.yaml', ...span(1), cluster: 'a', message: 'side of a', otherSide: true },
      { file: '/r/a-extra.yaml', ...span(5), cluster: 'a', message: 'same cluster' },
    ]);
  });

  it('is undefined without a mirror or without another side', () => {
    expect(mirrored(finding({ mirror: undefined }))).toBeUndefined();
    expect(mirrored(finding({ related: [] }))).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Through lint(): serviceexport-conflict (west's export is older, so east's is the losing one) and
// cluster-identity (the same ClusterProperty ID in both clusters; west sorts later).

/** A Service and its ServiceExport: `headless` puts `clusterIP: None` on line 7 (else the type line is the name, 4). */
const exported = (headless: boolean, created: string, extra = '') => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
  spec:
  ${headless ? '  clusterIP: None' : '  selector: { app: web }'}
    ports: [{ name: http, port: 80 }]
  ---
  apiVersion: multicluster.x-k8s.io/v1alpha1
  kind: ServiceExport
  metadata:
    name: web
    namespace: shop
    creationTimestamp: "${created}"
  ${extra}
`;

const EXPORTS: Files = {
  'clusters/east/web.yaml': exported(true, '2024-05-01T00:00:00Z'),
  'clusters/west/web.yaml': exported(false, '2024-01-01T00:00:00Z'),
};

/** A ClusterProperty with the cluster ID `id` on line 6; `before` goes into metadata (line 4 on). */
const property = (id: string, before = '', comment = '') =>
  `apiVersion: about.k8s.io/v1alpha1\nkind: ClusterProperty\nmetadata:\n${before}  name: cluster.clusterset.k8s.io\nspec:\n${comment}  value: ${id}\n`;

const IDS: Files = { 'clusters/east/id.yaml': property('shared'), 'clusters/west/id.yaml': property('shared') };

interface Case {
  readonly name: string;
  readonly files: Files;
  /** Paths relative to the scenario. */
  readonly filesArg?: string[];
  readonly changed?: string[];
  readonly options?: Partial<LintOptions>;
  /** `file:line rule cluster: message` of each finding kept. */
  readonly kept: string[];
  /** `file:line rule kind` of each finding suppressed. */
  readonly suppressed?: string[];
}

async function run(c: Case) {
  const root = writeScenario(c.files);
  const abs = (list?: string[]) => list?.map((f) => `${root}/${f}`);
  const result = await lint({ dirs: [root], files: abs(c.filesArg), changedFiles: abs(c.changed), ...c.options });
  const rel = (f: string) => relative(root, f);
  return {
    kept: result.findings.map((f) => `${rel(f.file)}:${f.line} ${f.ruleId} ${f.cluster}: ${f.message}`),
    suppressed: result.suppressed.map((f) => `${rel(f.file)}:${f.line} ${f.ruleId} ${f.suppressions.map((s) => s.kind).join(',')}`),
    result,
  };
}

const EAST_LOSES = 'clusters/east/web.yaml:7 serviceexport-conflict east: Service "shop/web" has type "Headless" in cluster "east" but "ClusterSetIP" in cluster "west".';
const WEST_TOLD = 'clusters/west/web.yaml:4 serviceexport-conflict west: Service "shop/web" has type "ClusterSetIP" in cluster "west" but "Headless" in cluster "east".';
const ID_WEST = 'clusters/west/id.yaml:6 cluster-identity west: Cluster ID "shared" of cluster "west" is also the ID of cluster "east".';
const ID_EAST = 'clusters/east/id.yaml:6 cluster-identity east: Cluster ID "shared" of cluster "east" is also the ID of cluster "west".';

describe('lint: the primary side', () => {
  it.each<Case>([
    { name: 'serviceexport-conflict: on the losing (newer) export', files: EXPORTS, kept: [EAST_LOSES] },
    { name: "serviceexport-conflict, FILE = the loser's file: the loser", files: EXPORTS, filesArg: ['clusters/east/web.yaml'], kept: [EAST_LOSES] },
    { name: "serviceexport-conflict, FILE = the winner's file: the winner, clusters swapped", files: EXPORTS, filesArg: ['clusters/west/web.yaml'], kept: [WEST_TOLD] },
    { name: 'serviceexport-conflict, both files: the loser', files: EXPORTS, filesArg: ['clusters/east/web.yaml', 'clusters/west/web.yaml'], kept: [EAST_LOSES] },
    { name: 'serviceexport-conflict, changed files (Action): the winner, nothing filtered', files: EXPORTS, changed: ['clusters/west/web.yaml'], kept: [WEST_TOLD] },
    { name: 'serviceexport-conflict, a deleted changed file is ignored', files: EXPORTS, changed: ['clusters/west/gone.yaml'], kept: [EAST_LOSES] },
    { name: 'cluster-identity duplicate: on the cluster that sorts later', files: IDS, kept: [ID_WEST] },
    { name: "cluster-identity duplicate, FILE = the earlier cluster's file: there", files: IDS, filesArg: ['clusters/east/id.yaml'], kept: [ID_EAST] },
  ])('$name', async (c) => {
    expect((await run(c)).kept).toEqual(c.kept);
  });

  it("the hint of a finding told from the winner's side still names the winner", async () => {
    const { result } = await run({ name: '', files: EXPORTS, filesArg: ['clusters/west/web.yaml'], kept: [] });
    expect(result.findings[0].hint).toMatch(/^Cluster "west" is the one whose ServiceExport is the oldest .*uses "ClusterSetIP" from "west"/);
    expect(result.findings[0].related).toMatchObject([{ cluster: 'east', message: 'type "Headless" in cluster "east"', line: 7 }]);
  });
});

describe('lint: suppressions on either side', () => {
  const unused = { reportUnusedDisableDirectives: 'warn' as const };
  it.each<Case>([
    {
      name: 'a comment on the related side suppresses, and is not reported unused',
      files: { ...IDS, 'clusters/east/id.yaml': property('shared', '', '  # mclint-disable-next-line cluster-identity -- east keeps it\n') },
      options: unused,
      kept: [],
      suppressed: ['clusters/west/id.yaml:6 cluster-identity directive'],
    },
    {
      name: 'a comment on the related side still suppresses once the finding moved to the changed side',
      files: { ...IDS, 'clusters/west/id.yaml': property('shared', '', '  # mclint-disable-next-line cluster-identity\n') },
      filesArg: ['clusters/east/id.yaml'],
      options: unused,
      kept: [],
      suppressed: ['clusters/east/id.yaml:6 cluster-identity directive'],
    },
    {
      name: "an annotation on the related side's object suppresses",
      files: { ...IDS, 'clusters/east/id.yaml': property('shared', '  annotations: { mclint.io/ignore: cluster-identity }\n') },
      options: unused,
      kept: [],
      suppressed: ['clusters/west/id.yaml:6 cluster-identity annotation'],
    },
    {
      name: "a config override selecting the related side's cluster suppresses",
      files: { ...IDS, 'mclint.config.yaml': 'overrides:\n  - clusters: [east]\n    rules: { cluster-identity: "off" }\n    reason: east is renamed next\n' },
      options: unused,
      kept: [],
      suppressed: ['clusters/west/id.yaml:6 cluster-identity config'],
    },
    {
      name: 'a comment on a place that is not a side does nothing, and is reported unused',
      files: { ...IDS, 'clusters/east/other.yaml': '# mclint-disable cluster-identity\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n' },
      options: unused,
      kept: [
        'clusters/east/other.yaml:1 unused-disable-directive east: Unused "mclint-disable" directive (no "cluster-identity" problems were reported where it applies): remove it or "cluster-identity" from its list.',
        ID_WEST,
      ],
    },
  ])('$name', async (c) => {
    const got = await run(c);
    expect(got.kept).toEqual(c.kept);
    expect(got.suppressed).toEqual(c.suppressed ?? []);
  });
});

it('a comment at an explanatory related place in another cluster (not a side) does not suppress', async () => {
  const files: Files = {
    'clusters/east/export.yaml': 'apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  name: web\n  namespace: shop\n',
    'clusters/west/web.yaml': '# mclint-disable service-export-pairing\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports: [{ port: 80 }]\n',
  };
  const { result } = await run({ name: '', files, options: { reportUnusedDisableDirectives: 'warn' }, kept: [] });
  const pairing = result.findings.filter((f) => f.ruleId === 'service-export-pairing');
  expect(pairing.map((f) => [f.cluster, f.related.map((r) => r.cluster)])).toEqual([['east', ['west']]]);
  expect(result.suppressed).toEqual([]);
  expect(result.findings.filter((f) => f.ruleId === 'unused-disable-directive').map((f) => f.cluster)).toEqual(['west']);
});

describe('lint: config overrides that match nothing', () => {
  const config = [
    'overrides:',
    '  - clusters: [north]',
    '    rules: { cluster-identity: "off" }',
    '  - clusters: [west]',
    '    rules: { cluster-identity: warn, cidr-overlap: warn }',
    '',
  ].join('\n');
  it.each<Case>([
    {
      name: 'reported like unused directives, at the entry, per rule',
      files: { ...IDS, 'mclint.config.yaml': config },
      options: { reportUnusedDisableDirectives: 'error' },
      kept: [
        ID_WEST,
        'mclint.config.yaml:2 unused-disable-directive undefined: Unused overrides[0] entry (no "cluster-identity" problems were reported where it applies): remove "cluster-identity" from its rules, or the entry.',
        'mclint.config.yaml:4 unused-disable-directive undefined: Unused overrides[1] entry (no "cidr-overlap" problems were reported where it applies): remove "cidr-overlap" from its rules, or the entry.',
      ],
    },
    { name: 'not reported unless unused directives are', files: { ...IDS, 'mclint.config.yaml': config }, kept: [ID_WEST] },
    {
      name: 'a rule a --rule flag sets is not reported (overrides leave it alone)',
      files: { ...IDS, 'mclint.config.yaml': config },
      options: { reportUnusedDisableDirectives: 'error', ruleFlags: ['cluster-identity:error', 'cidr-overlap:error'] },
      kept: [ID_WEST],
    },
  ])('$name', async (c) => {
    const got = await run(c);
    expect(got.kept.sort()).toEqual([...c.kept].sort());
  });
});
