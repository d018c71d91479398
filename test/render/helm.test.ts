/**
 * Helm charts (src/render/helm.ts): chart folders found, `helm template` output split into
 * documents with their template of origin, and — when a helm binary is installed — a real render.
 * Without helm (as on the CI machine: neither Debian nor npm ships it), charts are not rendered
 * and the summary says so; that path is tested end to end here.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outermostCharts } from '../../src/discover/index.js';
import { findHelm, helmDocuments, isChartDir } from '../../src/render/helm.js';
import { runCli } from '../helpers/run-cli.js';
import { writeScenario, yaml } from '../helpers/scenario.js';

const CHART = {
  'clusters/east/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'clusters/east/web/values.yaml': 'port: 8080\n',
  'clusters/east/web/templates/service.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: {{ .Release.Name }}
    spec:
      ports:
        - port: {{ .Values.port }}
  `,
  'clusters/east/web/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'clusters/east/web/charts/sub/templates/cm.yaml': 'kind: ConfigMap\n',
  'clusters/east/plain.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
  'clusters/west/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
};

describe('chart folders', () => {
  it('Chart.yaml beside templates/ is a chart; subcharts are the outer chart’s', () => {
    const root = writeScenario(CHART);
    const files = Object.keys(CHART).map((f) => join(root, f));
    expect(outermostCharts(files)).toEqual([join(root, 'clusters/east/web')]);
    expect(isChartDir(join(root, 'clusters/east/web'))).toBe(true);
    expect(isChartDir(join(root, 'clusters/east'))).toBe(false);
  });
});

describe('helmDocuments', () => {
  it('maps each document to the template named by its # Source comment', () => {
    const output = [
      '---',
      '# Source: web/templates/service.yaml',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      '---',
      '# Source: web/charts/sub/templates/cm.yaml',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: sub',
      '---',
      '# Source: web/templates/empty.yaml',
      '',
    ].join('\n');
    const docs = helmDocuments(output, '/repo/web');
    expect(docs.map((d) => [d.body.kind, d.origin.file, d.origin.doc])).toEqual([
      ['Service', '/repo/web/templates/service.yaml', -1],
      ['ConfigMap', '/repo/web/charts/sub/templates/cm.yaml', -1],
    ]);
    expect(docs[0].fieldPlace(['spec'])).toBeUndefined();
  });

  it('a chunk that is not YAML is left out, the others kept', () => {
    const docs = helmDocuments('# Source: web/templates/a.yaml\nkind: A\n---\n# Source: web/templates/b.yaml\nkey: [unclosed\n', '/repo/web');
    expect(docs.map((d) => d.body.kind)).toEqual(['A']);
  });
});

const helm = findHelm();
if (!helm) console.warn('helm is not installed: the real `helm template` render is not exercised (the no-helm path is)');

describe('end to end', () => {
  it('without helm, the chart is not rendered: its templates are skipped and the summary says so', () => {
    const root = writeScenario(CHART);
    // An empty PATH hides any helm (the CLI runs with node's absolute path).
    const r = runCli([], { cwd: root, env: { PATH: join(root, 'empty') } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('skipped 1 file (1 unrendered Helm template)');
    expect(r.stdout).toContain('1 Helm chart not rendered: no helm on PATH, its templates skipped');
  });

  it.runIf(helm !== undefined)('with helm, the chart renders and its objects count for the cluster', () => {
    const root = writeScenario(CHART);
    const r = runCli(['--print-clusterset'], { cwd: root });
    expect(r.stdout).toContain(`rendered Helm chart clusters/east/web`);
    const check = spawnSync(helm!, ['version'], { encoding: 'utf8' });
    expect(check.status).toBe(0);
  });
});
