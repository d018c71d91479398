import { withoutStacks } from '../src/load/yaml-package.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile, loadText, MAX_FILE_CHARS } from '../src/load/index.js';
import type { LoadedFile } from '../src/load/index.js';
import { writeScenario, yaml } from './helpers/scenario.js';

/** Parses `v: <scalar>` (a Helm-values-like mapping) and returns the value of `v`. */
async function scalar(text: string): Promise<unknown> {
  const file = await loadText('/repo/values.yaml', `v: ${text}\n`);
  expect(file.problems).toEqual([]);
  expect(file.others).toHaveLength(1);
  return (file.others[0].body as Record<string, unknown>).v;
}

/** The file must have been loaded, not skipped, and hold exactly `n` documents. */
function expectLoaded(file: LoadedFile, documents: number) {
  expect(file.skipped).toBeUndefined();
  expect(file.documents).toBe(documents);
}

const configMap = (name: string) => yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: ${name}
`;

describe('YAML 1.1 scalar resolution (as go-yaml v2 in the API server)', () => {
  it.each([
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['y', true],
    ['Y', true],
    ['on', true],
    ['On', true],
    ['ON', true],
    ['true', true],
    ['True', true],
    ['no', false],
    ['No', false],
    ['n', false],
    ['off', false],
    ['OFF', false],
    ['false', false],
    ['FALSE', false],
  ])('%s is the boolean %s', async (text, expected) => {
    expect(await scalar(text)).toBe(expected);
  });

  it.each([
    ['0755', 493],
    ['0x1F', 31],
    ['-0x1F', -31],
    ['0b101', 5],
    ['0o17', 15],
    ['1_000', 1000],
    ['+12', 12],
    ['-7', -7],
    ['0', 0],
    ['08', 8],
    ['1_', 1],
    ['1234567', 1234567],
    ['-1000000', -1000000],
  ])('%s is the integer %d', async (text, expected) => {
    expect(await scalar(text)).toBe(expected);
  });

  it.each([
    ['1e3', 1000],
    ['.5', 0.5],
    ['1.5', 1.5],
    ['-2.5e-1', -0.25],
    ['.inf', Infinity],
    ['-.Inf', -Infinity],
    ['123456.5', 123456.5],
    ['.5e10', 5e9],
  ])('%s is the float %d', async (text, expected) => {
    expect(await scalar(text)).toBe(expected);
  });

  it('.nan is NaN', async () => {
    expect(await scalar('.nan')).toBeNaN();
  });

  it.each([['~'], ['null'], ['Null'], ['NULL'], ['']])('%j is null', async (text) => {
    expect(await scalar(text)).toBeNull();
  });

  it.each([
    ['2024-01-01', '2024-01-01'],
    ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00Z'],
    ['2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.10 -5'],
    ['!!timestamp 2024-01-01', '2024-01-01'],
    ['"yes"', 'yes'],
    ["'on'", 'on'],
    ['"0755"', '0755'],
    ["'1_000'", '1_000'],
    ['"null"', 'null'],
    ['"1e3"', '1e3'],
    ['!!str 42', '42'],
    ['1.2.3', '1.2.3'],
    ['10.0.0.0/16', '10.0.0.0/16'],
    ['yesno', 'yesno'],
    ['0x', '0x'],
    ['_1', '_1'],
    // Words that start like a boolean, null or number but are none.
    ['nginx', 'nginx'],
    ['namespace', 'namespace'],
    ['offline', 'offline'],
    ['Truecolor', 'Truecolor'],
    ['~tilde', '~tilde'],
    ['<<<', '<<<'],
    ['+x', '+x'],
    ['.hidden', '.hidden'],
    ['éclair', 'éclair'],
  ])('%s stays the string %j', async (text, expected) => {
    expect(await scalar(text)).toBe(expected);
  });

  it('keys resolve too: boolean and integer keys become their JSON text', async () => {
    const file = await loadText('/repo/values.yaml', 'on: 1\nno: 2\n0x10: 3\n"yes": 4\n');
    expect(file.others[0].body).toEqual({ true: 1, false: 2, 16: 3, yes: 4 });
  });

  it('merge keys << copy the anchored mapping and local keys win', async () => {
    const file = await loadText(
      '/repo/values.yaml',
      yaml`
        base: &base
          image: nginx
          replicas: 2
        web:
          <<: *base
          replicas: 3
        multi:
          <<: [{a: 1}, {a: 2, b: 2}]
      `,
    );
    expect(file.problems).toEqual([]);
    expect(file.others[0].body).toEqual({
      base: { image: 'nginx', replicas: 2 },
      web: { image: 'nginx', replicas: 3 },
      multi: { a: 1, b: 2 },
    });
  });

  it.each([
    ['scalar', 'v: !Ref MyBucket\n', { v: 'MyBucket' }],
    ['mapping', 'v: !Sub {a: 1}\n', { v: { a: 1 } }],
    ['sequence', 'v: !GetAZs [a, b]\n', { v: ['a', 'b'] }],
    ['valueless scalar', 'v: !Ref\nw: 1\n', { v: null, w: 1 }],
  ])('an unknown local tag on a %s decodes as the untagged value', async (_what, text, expected) => {
    const file = await loadText('/repo/values.yaml', text);
    expect(file.problems).toEqual([]);
    expect(file.others).toHaveLength(1);
    expect(file.others[0].body).toEqual(expected);
  });

  it('an object with YAML 1.1 scalars keeps their resolved types in its body', async () => {
    const file = await loadText(
      '/repo/cm.yaml',
      yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          creationTimestamp: 2024-01-01
        spec:
          hostNetwork: yes
          volumes:
            - name: v
              secret: {secretName: s, defaultMode: 0644}
      `,
    );
    const body = file.objects[0].body as { metadata: { creationTimestamp: unknown }; spec: { hostNetwork: unknown; volumes: { secret: { defaultMode: unknown } }[] } };
    expect(body.metadata.creationTimestamp).toBe('2024-01-01');
    expect(body.spec.hostNetwork).toBe(true);
    expect(body.spec.volumes[0].secret.defaultMode).toBe(420);
  });
});

describe('documents', () => {
  it('multi-document files skip empty documents and number the others from 0', async () => {
    const text = '---\n---\n# only a comment\n---\n' + configMap('a') + '---\n~\n---\nreplicaCount: 2\n---\n' + configMap('b') + '...\n';
    const file = await loadText('/repo/all.yaml', text);
    expectLoaded(file, 3);
    expect(file.problems).toEqual([]);
    expect(file.objectCount).toBe(2);
    expect(file.objects.map((o) => [o.name, o.doc, o.base])).toEqual([
      ['a', 0, []],
      ['b', 2, []],
    ]);
    expect(file.others).toEqual([{ class: 'helm-values', file: '/repo/all.yaml', doc: 1, body: { replicaCount: 2 } }]);
  });

  it('an object records kind, apiVersion, group, version, name, namespace and provenance', async () => {
    const file = await loadText(
      '/repo/d.yaml',
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
      `,
    );
    expect(file.objects).toHaveLength(1);
    const { body, ...rest } = file.objects[0];
    expect(rest).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      group: 'apps',
      version: 'v1',
      name: 'web',
      namespace: 'shop',
      schemaErrors: [],
      file: '/repo/d.yaml',
      doc: 0,
      base: [],
    });
    expect(body).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } });
  });

  it.each([
    ['List', 'v1'],
    ['ServiceList', 'v1'],
  ])('kind: %s expands to its items with base [items, i]', async (kind, apiVersion) => {
    const file = await loadText(
      '/repo/list.yaml',
      yaml`
        apiVersion: ${apiVersion}
        kind: ${kind}
        items:
          - apiVersion: v1
            kind: Service
            metadata: {name: a, namespace: x}
            spec: {ports: [{port: 80}]}
          - apiVersion: v1
            kind: Service
            metadata: {name: b}
            spec: {ports: [{port: 443}]}
      `,
    );
    expectLoaded(file, 1);
    expect(file.problems).toEqual([]);
    expect(file.objectCount).toBe(2);
    expect(file.objects.map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace, doc: o.doc, base: o.base }))).toEqual([
      { kind: 'Service', name: 'a', namespace: 'x', doc: 0, base: ['items', 0] },
      { kind: 'Service', name: 'b', namespace: undefined, doc: 0, base: ['items', 1] },
    ]);
    expect((file.objects[1].body as { spec: { ports: { port: unknown }[] } }).spec.ports[0].port).toBe(443);
  });

  it('a List item that is not an object is a schema problem at [items, i]; the other items load', async () => {
    const file = await loadText(
      '/repo/list.yaml',
      yaml`
        apiVersion: v1
        kind: List
        items:
          - just a string
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: ok}
          - [1, 2]
      `,
    );
    expect(file.objectCount).toBe(1);
    expect(file.objects.map((o) => [o.name, o.base])).toEqual([['ok', ['items', 1]]]);
    expect(file.problems).toEqual([
      {
        rule: 'schema',
        message: 'List item 0 must be a Kubernetes object, found string "just a string"',
        file: '/repo/list.yaml',
        place: { file: '/repo/list.yaml', doc: 0, path: ['items', 0] },
      },
      {
        rule: 'schema',
        message: 'List item 2 must be a Kubernetes object, found a list',
        file: '/repo/list.yaml',
        place: { file: '/repo/list.yaml', doc: 0, path: ['items', 2] },
      },
    ]);
  });

  it('a List item without kind is a schema problem pointing at its apiVersion', async () => {
    const file = await loadText('/repo/list.yaml', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    metadata: {name: a}\n');
    expect(file.objectCount).toBe(0);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].rule).toBe('schema');
    expect(file.problems[0].message).toContain('List item 0: "kind" is missing');
    expect(file.problems[0].place).toMatchObject({ file: '/repo/list.yaml', doc: 0, path: ['items', 0, 'apiVersion'] });
  });

  it.each([
    ['items: {}', 'List "items" must be a list of objects, found a mapping'],
    ['items: 3', 'List "items" must be a list of objects, found number 3'],
  ])('a List with %s is a schema problem at [items]', async (items, message) => {
    const file = await loadText('/repo/list.yaml', `apiVersion: v1\nkind: List\n${items}\n`);
    expectLoaded(file, 1);
    expect(file.objectCount).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.problems).toEqual([{ rule: 'schema', message, file: '/repo/list.yaml', place: { file: '/repo/list.yaml', doc: 0, path: ['items'] } }]);
  });
});

describe('classification', () => {
  it.each([
    ['Helm values mapping', 'helm-values', '/repo/values.yaml', 'cluster:\n  name: east\n  id: 1\nreplicaCount: 2\n'],
    ['Helm values with a lone kind key', 'helm-values', '/repo/values.yaml', 'kind: DaemonSet\nimage: cilium\n'],
    ['kustomization.yaml without apiVersion', 'kustomization', '/repo/kustomization.yaml', 'resources:\n  - deploy.yaml\n'],
    ['Kustomization.yml without apiVersion', 'kustomization', '/repo/base/Kustomization.yml', 'resources: [a.yaml]\n'],
    [
      'kustomize.config.k8s.io/v1beta1 Kustomization in any file',
      'kustomization',
      '/repo/k.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
    ],
    ['kustomize.config.k8s.io/v1alpha1 Component', 'kustomization', '/repo/c.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n'],
    ['list of {op, path}', 'json-patch', '/repo/patch.yaml', '- op: replace\n  path: /spec/replicas\n  value: 3\n- op: remove\n  path: /metadata/labels\n'],
    ['list that is not a JSON patch', 'other', '/repo/list.yaml', '- op: replace\n- 3\n'],
    ['empty list', 'other', '/repo/list.yaml', '[]\n'],
    ['scalar document', 'other', '/repo/s.yaml', 'hello world\n'],
    ['number document', 'other', '/repo/n.yaml', '42\n'],
  ])('%s → %s', async (_name, cls, path, text) => {
    const file = await loadText(path, text);
    expectLoaded(file, 1);
    expect(file.problems).toEqual([]);
    expect(file.objectCount).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.others).toHaveLength(1);
    expect(file.others[0].class).toBe(cls);
    expect(file.others[0].file).toBe(path);
    expect(file.others[0].doc).toBe(0);
  });

  it('the body of a classified document is the parsed value', async () => {
    const file = await loadText('/repo/patch.yaml', '- op: add\n  path: /a\n  value: on\n');
    expect(file.others).toEqual([{ class: 'json-patch', file: '/repo/patch.yaml', doc: 0, body: [{ op: 'add', path: '/a', value: true }] }]);
  });

  it('Helm Chart.yaml (apiVersion: v2 + name/version) is not an object and no problem', async () => {
    const file = await loadText('/repo/chart/Chart.yaml', 'apiVersion: v2\nname: mychart\nversion: 1.2.3\nappVersion: "1.16.0"\n');
    expectLoaded(file, 1);
    expect(file.objectCount).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.problems).toEqual([]);
    expect(file.others).toHaveLength(1);
  });

  it.each([
    ['kind + metadata without apiVersion', 'kind: Deployment\nmetadata:\n  name: web\n', '"apiVersion" is missing: kubectl cannot tell what kind of object this is', ['kind']],
    ['apiVersion + metadata without kind', 'apiVersion: apps/v1\nmetadata:\n  name: web\n', '"kind" is missing: kubectl cannot tell what kind of object this is', ['apiVersion']],
    ['kind: 12 with apiVersion', 'apiVersion: v1\nkind: 12\n', '"kind" must be a non-empty string, found number 12', ['kind']],
    ['empty kind', 'apiVersion: v1\nkind: ""\nmetadata: {name: a}\n', '"kind" must be a non-empty string, found string ""', ['kind']],
    ['apiVersion: true', 'apiVersion: yes\nkind: Service\n', '"apiVersion" must be a non-empty string, found boolean true', ['apiVersion']],
  ])('%s → schema problem', async (_name, text, message, path) => {
    const file = await loadText('/repo/o.yaml', text);
    expectLoaded(file, 1);
    expect(file.objectCount).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.others).toEqual([]);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]).toMatchObject({ rule: 'schema', message, file: '/repo/o.yaml', place: { file: '/repo/o.yaml', doc: 0, path } });
  });
});

describe('retainTypes', () => {
  const retainTypes = new Set(['core/Service']);
  const text = yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: svc
    spec:
      ports:
        - port: 80
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: clean
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: "x"
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: 12345, namespace: prod}
  `;

  it('keeps retained types with body, drops valid others but counts them, keeps invalid others without body', async () => {
    const file = await loadText('/repo/mixed.yaml', text, { retainTypes });
    expectLoaded(file, 4);
    expect(file.problems).toEqual([]);
    expect(file.objectCount).toBe(4);
    expect(file.objects.map((o) => [o.kind, o.doc, o.name])).toEqual([
      ['Service', 0, 'svc'],
      ['Deployment', 2, undefined],
      ['Deployment', 3, undefined],
    ]);
    const [svc, metaString, nameNumber] = file.objects;
    expect(svc.body).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } });
    expect(svc.schemaErrors).toEqual([]);

    expect(metaString.body).toBeUndefined();
    expect(metaString.schemaErrors).toHaveLength(1);
    expect(metaString.schemaErrors[0].path).toEqual(['metadata']);
    expect(metaString.schemaErrors[0].message).toContain('"metadata" must be object');

    expect(nameNumber.body).toBeUndefined();
    expect(nameNumber.namespace).toBe('prod');
    expect(nameNumber.schemaErrors.map((e) => e.path)).toEqual([['metadata', 'name']]);
    expect(nameNumber.schemaErrors[0].message).toContain('"metadata.name" must be string, found number 12345');
  });

  it('without retainTypes every object is kept with its body', async () => {
    const file = await loadText('/repo/mixed.yaml', text);
    expect(file.objectCount).toBe(4);
    expect(file.objects.map((o) => [o.kind, o.name, o.body !== undefined])).toEqual([
      ['Service', 'svc', true],
      ['Deployment', 'clean', true],
      ['Deployment', undefined, true],
      ['Deployment', undefined, true],
    ]);
  });

  it('an empty retainTypes set keeps only objects with schema errors', async () => {
    const file = await loadText('/repo/mixed.yaml', text, { retainTypes: new Set() });
    expect(file.objectCount).toBe(4);
    expect(file.objects.map((o) => o.doc)).toEqual([2, 3]);
    expect(file.objects.every((o) => o.body === undefined)).toBe(true);
  });

  it('retainTypes applies to List items too', async () => {
    const file = await loadText(
      '/repo/list.yaml',
      'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}\n  - {apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 1}]}}\n',
      { retainTypes },
    );
    expect(file.objectCount).toBe(2);
    expect(file.objects.map((o) => [o.kind, o.base, o.body !== undefined])).toEqual([['Service', ['items', 1], true]]);
  });
});

describe('bad input never throws', () => {
  it.each([
    ['a: b: c', 'a: b: c\n', { line: 1, column: 4, endLine: 1, endColumn: 5 }],
    ['unclosed flow sequence', 'a: [1, 2\n', { line: 2, column: 1, endLine: 2, endColumn: 2 }],
    ['tab as indentation', 'a:\n\tb: 1\n', { line: 2, column: 1, endLine: 2, endColumn: 2 }],
  ])('%s → parse-error with its position', async (_name, text, span) => {
    const file = await loadText('/repo/bad.yaml', text);
    expect(file.skipped).toBeUndefined();
    expect(file.documents).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].rule).toBe('parse-error');
    expect(file.problems[0].file).toBe('/repo/bad.yaml');
    expect(file.problems[0].message).toMatch(/^YAML syntax error: /);
    expect(file.problems[0].span).toEqual(span);
  });

  it('a syntax error in a later document fails the whole file', async () => {
    const file = await loadText('/repo/bad.yaml', configMap('a') + '---\nkey: [unclosed\n');
    expect(file.documents).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.problems.map((p) => p.rule)).toEqual(['parse-error']);
    expect(file.problems[0].span?.line).toBe(7);
  });

  it('a duplicate key names the key, mentions kubectl and spans the key', async () => {
    const file = await loadText(
      '/repo/dup.yaml',
      yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
          name: b
      `,
    );
    expect(file.documents).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.problems).toHaveLength(1);
    const [p] = file.problems;
    expect(p.rule).toBe('parse-error');
    expect(p.file).toBe('/repo/dup.yaml');
    expect(p.message).toContain('"name"');
    expect(p.message).toContain('kubectl');
    expect(p.span).toEqual({ line: 5, column: 3, endLine: 5, endColumn: 7 });
  });

  it('every duplicate key is reported, quoted keys and flow mappings included', async () => {
    const file = await loadText('/repo/dup.yaml', '"name": a\n"name": b\nx: {port: 1, port: 2}\n');
    expect(file.problems.map((p) => [p.message.match(/^Duplicate key "([^"]*)"/)?.[1], p.span])).toEqual([
      ['name', { line: 2, column: 1, endLine: 2, endColumn: 7 }],
      ['port', { line: 3, column: 14, endLine: 3, endColumn: 18 }],
    ]);
  });

  it.each([
    ['empty file', ''],
    ['whitespace only', '  \n\n'],
    ['comment only', '# nothing here\n# still nothing\n'],
    ['only document markers', '---\n---\n...\n'],
  ])('%s → 0 documents, no problems', async (_name, text) => {
    const file = await loadText('/repo/empty.yaml', text);
    expect(file).toEqual({ path: '/repo/empty.yaml', documents: 0, objectCount: 0, objects: [], others: [], problems: [] });
  });

  it('a billion-laughs alias bomb is a parse-error about excessive aliasing', async () => {
    const names = 'abcdefghi';
    let text = `a: &a [${Array(10).fill('"lol"').join(', ')}]\n`;
    for (let i = 1; i < names.length; i++) {
      text += `${names[i]}: &${names[i]} [${Array(10)
        .fill(`*${names[i - 1]}`)
        .join(', ')}]\n`;
    }
    const file = await loadText('/repo/bomb.yaml', text);
    expect(file.documents).toBe(0);
    expect(file.others).toEqual([]);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].rule).toBe('parse-error');
    expect(file.problems[0].message).toMatch(/excessive aliasing/);
    expect(file.problems[0].place).toEqual({ file: '/repo/bomb.yaml', doc: 0, path: [] });
  });

  it('moderate alias use is fine', async () => {
    const file = await loadText('/repo/ok.yaml', 'a: &a [1, 2, 3]\nb: [*a, *a, *a]\n');
    expect(file.problems).toEqual([]);
    expect(file.others[0].body).toEqual({
      a: [1, 2, 3],
      b: [
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
      ],
    });
  });

  it.each([
    ['top-level', '&a [*a]\n', 0, [0]],
    ['nested in the second document', 'x: 1\n---\nb: &a [1, *a]\n', 1, ['b', 1]],
  ])('a recursive alias (%s) is a parse-error at the alias', async (_name, text, doc, at) => {
    const file = await loadText('/repo/rec.yaml', text);
    expect(file.documents).toBe(0);
    expect(file.others).toEqual([]);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].rule).toBe('parse-error');
    expect(file.problems[0].message).toMatch(/recursive/);
    expect(file.problems[0].place).toEqual({ file: '/repo/rec.yaml', doc, path: at });
  });

  const deep = '['.repeat(5000) + ']'.repeat(5000) + '\n';

  it('nesting 5000 levels deep is a parse-error at line 1', async () => {
    const file = await loadText('/repo/deep.yaml', deep);
    expect(file.documents).toBe(0);
    expect(file.others).toEqual([]);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].rule).toBe('parse-error');
    expect(file.problems[0].span?.line).toBe(1);
  });

  it('nesting 5000 levels deep is explained as too deep nesting, not as a stack overflow', async () => {
    const file = await loadText('/repo/deep.yaml', deep);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].message).toMatch(/nest/i);
    expect(file.problems[0].message).not.toMatch(/call stack/i);
  });

  it('nesting 250 levels deep (below the limit of 256) loads', async () => {
    const file = await loadText('/repo/deep.yaml', '['.repeat(250) + ']'.repeat(250) + '\n');
    expect(file.problems).toEqual([]);
    expectLoaded(file, 1);
    expect(file.others[0].class).toBe('other');
  });

  it.each([
    ['Helm include in a plain scalar', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "x.fullname" . }}\n'],
    ['.Values reference', 'replicas: {{ .Values.replicas }}\n'],
    ['if/end blocks', '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n{{- end }}\n'],
    ['quoted action that parses as YAML', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}"\n'],
    ['unquoted action starting with a function: {{ lower .Release.Name }}', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ lower .Release.Name }}\n'],
    ['unbalanced action that does not parse', 'a: {{ lower .Release.Name\n  }} b\n'],
  ])('an unrendered Helm template (%s) is skipped as template', async (_name, text) => {
    const file = await loadText('/repo/templates/t.yaml', text);
    expect(file.skipped).toBe('template');
    expect(file.documents).toBe(0);
    expect(file.objects).toEqual([]);
    expect(file.problems).toEqual([]);
  });

  it('Go template text inside strings of a Kubernetes object is not a Helm template', async () => {
    const file = await loadText(
      '/repo/d.yaml',
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: echo
        spec:
          template:
            spec:
              containers:
                - name: c
                  args: ["--message={{env \\"NODE_NAME\\"}}"]
      `,
    );
    expectLoaded(file, 1);
    expect(file.problems).toEqual([]);
    expect(file.objects.map((o) => o.name)).toEqual(['echo']);
    expect((file.objects[0].body as { spec: { template: { spec: { containers: { args: unknown }[] } } } }).spec.template.spec.containers[0].args).toEqual([
      '--message={{env "NODE_NAME"}}',
    ]);
  });

  it('aws-auth {{EC2PrivateDNSName}} placeholders are not a Helm template', async () => {
    const file = await loadText(
      '/repo/aws-auth.yaml',
      yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: aws-auth
          namespace: kube-system
        data:
          mapRoles: |
            - rolearn: arn:aws:iam::1:role/node
              username: system:node:{{EC2PrivateDNSName}}
      `,
    );
    expectLoaded(file, 1);
    expect(file.objects.map((o) => o.name)).toEqual(['aws-auth']);
  });

  it('a BOM at the start is accepted', async () => {
    const file = await loadText('/repo/bom.yaml', '\ufeff' + configMap('bom'));
    expectLoaded(file, 1);
    expect(file.problems).toEqual([]);
    expect(file.objects.map((o) => [o.apiVersion, o.kind, o.name])).toEqual([['v1', 'ConfigMap', 'bom']]);
    expect(Object.keys(file.objects[0].body!)).toEqual(['apiVersion', 'kind', 'metadata']);
  });
});

describe('loadFile', () => {
  it('reads and loads a file, recording its absolute path', async () => {
    const root = writeScenario({ 'east/cm.yaml': configMap('one') + '---\n' + configMap('two') });
    const path = join(root, 'east/cm.yaml');
    const file = await loadFile(path);
    expect(file.path).toBe(path);
    expectLoaded(file, 2);
    expect(file.objects.map((o) => [o.name, o.file, o.doc])).toEqual([
      ['one', path, 0],
      ['two', path, 1],
    ]);
  });

  it('passes options through', async () => {
    const root = writeScenario({ 'cm.yaml': configMap('one') });
    const file = await loadFile(join(root, 'cm.yaml'), { retainTypes: new Set(['core/Service']) });
    expect(file.objectCount).toBe(1);
    expect(file.objects).toEqual([]);
  });

  it('accepts a UTF-8 BOM', async () => {
    const root = writeScenario({ 'bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(configMap('bom'))]) });
    const file = await loadFile(join(root, 'bom.yaml'));
    expectLoaded(file, 1);
    expect(file.objects.map((o) => [o.kind, o.name])).toEqual([['ConfigMap', 'bom']]);
  });

  it.each([
    ['NUL bytes', Buffer.from([0x61, 0x3a, 0x20, 0x00, 0x01, 0x02, 0x0a])],
    ['a PNG header', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])],
    ['invalid UTF-8', Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a])],
    ['a truncated UTF-8 sequence', Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x0a])],
  ])('a .yaml file with %s is skipped as binary', async (_name, content) => {
    const root = writeScenario({ 'bin.yaml': content });
    const path = join(root, 'bin.yaml');
    const file = await loadFile(path);
    expect(file).toEqual({ path, skipped: 'binary', documents: 0, objectCount: 0, objects: [], others: [], problems: [] });
  });

  it('valid non-ASCII UTF-8 is not binary', async () => {
    const root = writeScenario({ 'u.yaml': 'greeting: "héllo wörld ✓"\n' });
    const file = await loadFile(join(root, 'u.yaml'));
    expectLoaded(file, 1);
    expect(file.others[0].body).toEqual({ greeting: 'héllo wörld ✓' });
  });

  it.each([
    ['a nonexistent path', (root: string) => join(root, 'missing.yaml')],
    ['a directory', (root: string) => root],
  ])('%s is skipped as unreadable', async (_name, at) => {
    const root = writeScenario({ 'x.yaml': 'a: 1\n' });
    const path = at(root);
    const file = await loadFile(path);
    expect(file).toEqual({ path, skipped: 'unreadable', documents: 0, objectCount: 0, objects: [], others: [], problems: [] });
  });

  it('a file larger than MAX_FILE_CHARS is skipped as too-large', async () => {
    const root = writeScenario({ 'big.yaml': Buffer.alloc(MAX_FILE_CHARS + 1, 0x20) });
    const file = await loadFile(join(root, 'big.yaml'));
    expect(file.skipped).toBe('too-large');
    expect(file.documents).toBe(0);
  });

  it('a file with a syntax error gives a parse-error problem, not an exception', async () => {
    const root = writeScenario({ 'bad.yaml': 'a: b: c\n' });
    const file = await loadFile(join(root, 'bad.yaml'));
    expect(file.skipped).toBeUndefined();
    expect(file.problems.map((p) => [p.rule, p.file, p.span])).toEqual([['parse-error', join(root, 'bad.yaml'), { line: 1, column: 4, endLine: 1, endColumn: 5 }]]);
  });
});

describe('what is and is not an unrendered Helm template', () => {
  it('an Alertmanager ConfigMap with Go templates in a block scalar is linted, not skipped', async () => {
    const file = await loadText(
      '/repo/alertmanager.yaml',
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: alertmanager-templates',
        'data:',
        '  slack.tmpl: |',
        '    {{ define "slack.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}',
        '    {{ range .Alerts }}{{ .Annotations.summary }}{{ end }}',
        '',
      ].join('\n'),
    );
    expect(file.skipped).toBeUndefined();
    expect(file.objects.map((o) => o.name)).toEqual(['alertmanager-templates']);
  });

  it('an action where YAML expects structure is a template even without Helm vocabulary', async () => {
    const file = await loadText('/repo/t.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ lower .Name }}\n');
    expect(file.skipped).toBe('template');
  });

  it('any file in a chart templates/ directory is a template; the same text elsewhere is not', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ printf \\"%s-cm\\" .Name }}"\n';
    const root = writeScenario({ 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'chart/templates/cm.yaml': text, 'other/templates/cm.yaml': text });
    expect((await loadFile(join(root, 'chart/templates/cm.yaml'))).skipped).toBe('template');
    expect((await loadFile(join(root, 'other/templates/cm.yaml'))).skipped).toBeUndefined();
  });
});

describe('template detection on hostile input', () => {
  it('an alias bomb that also contains {{ }} is rejected quickly, not walked exponentially', async () => {
    const lines = ['note: "{{ not helm }}"', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    let prev = 'a';
    for (const c of 'bcdefghi') {
      lines.push(`${c}: &${c} [${Array(9).fill(`*${prev}`).join(',')}]`);
      prev = c;
    }
    // An exponential walk would never finish: the test would hit vitest's timeout.
    const file = await loadText('/repo/bomb.yaml', lines.join('\n'));
    expect(file.problems.map((p) => p.rule)).toEqual(['parse-error']);
    expect(file.problems[0].message).toContain('excessive aliasing');
  });
});

describe('review regressions', () => {
  it('nested Lists are flattened, as kubectl does', async () => {
    const file = await loadText(
      '/repo/nested.yaml',
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: List\n    items:\n      - {apiVersion: v1, kind: Service, metadata: {name: inner}}\n',
    );
    expect(file.objects.map((o) => [o.kind, o.name, o.base])).toEqual([['Service', 'inner', ['items', 0, 'items', 0]]]);
  });

  it.each([
    ['compact JSON', '{"apiVersion":"v1","kind":"Service","metadata":{"name":"s2","name":"x"}}\n', 'name'],
    ['a plain key', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n', 'name'],
  ])('a duplicate key in %s is named', async (_name, text, key) => {
    const file = await loadText('/repo/dup.yaml', text);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0].message).toContain(`Duplicate key "${key}"`);
  });
});

describe('withoutStacks', () => {
  it('turns stack traces off for the call only, also when it throws', () => {
    const before = Error.stackTraceLimit;
    expect(withoutStacks(() => Error.stackTraceLimit)).toBe(0);
    expect(new Error('x').stack).toContain('\n    at ');
    expect(() =>
      withoutStacks(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(Error.stackTraceLimit).toBe(before);
  });
});
