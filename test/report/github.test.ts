import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github.js';
import type { ReportInput } from '../../src/report/types.js';

const stats = {
  clusterSets: 1,
  clusters: 2,
  files: 2,
  documents: 2,
  objects: 2,
  skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
  otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
};
const input = (findings: Finding[]): ReportInput => ({ findings, files: [], stats, colorLevel: 0, verbose: false, cwd: '/repo' });

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'cidr-overlap',
  severity: 2,
  message: 'Pod CIDR 10.0.0.0/16 overlaps',
  file: '/repo/clusters/east/submariner.yaml',
  line: 9,
  column: 16,
  endLine: 9,
  endColumn: 31,
  cluster: 'east',
  related: [],
  ...over,
});

describe('workflow command escaping', () => {
  const cases: [string, string, string][] = [
    // input, escapeData, escapeProperty
    ['plain text', 'plain text', 'plain text'],
    ['100%', '100%25', '100%25'],
    ['%0A literal', '%250A literal', '%250A literal'],
    ['a\nb', 'a%0Ab', 'a%0Ab'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['key: value, more', 'key: value, more', 'key%3A value%2C more'],
    ['C:\\dir,x', 'C:\\dir,x', 'C%3A\\dir%2Cx'],
    ['::error::x', '::error::x', '%3A%3Aerror%3A%3Ax'],
  ];
  for (const [text, data, property] of cases) {
    it(JSON.stringify(text), () => {
      expect(escapeData(text)).toBe(data);
      expect(escapeProperty(text)).toBe(property);
    });
  }
});

describe('github format', () => {
  it('prints one ::error per error with file, positions and the rule id as title', () => {
    expect(formatGithub(input([finding()]))).toBe(
      '::error file=clusters/east/submariner.yaml,line=9,col=16,endLine=9,endColumn=31,title=cidr-overlap::Pod CIDR 10.0.0.0/16 overlaps\n',
    );
  });

  it('prints warnings as ::warning and escapes message and properties', () => {
    const out = formatGithub(input([finding({ severity: 1, ruleId: 'service-export-pairing', message: 'ServiceExport "a,b": 50% done\nfix it', file: '/repo/odd:name,x.yaml' })]));
    expect(out).toBe('::warning file=odd%3Aname%2Cx.yaml,line=9,col=16,endLine=9,endColumn=31,title=service-export-pairing::ServiceExport "a,b": 50%25 done%0Afix it\n');
    // One finding, one line: nothing the message contains can start a second command.
    expect(out.split('\n')).toHaveLength(2);
  });

  it('names the other side of a cross-cluster finding on extra message lines', () => {
    const out = formatGithub(
      input([finding({ related: [{ file: '/repo/clusters/west/submariner.yaml', line: 9, column: 16, endLine: 9, endColumn: 31, cluster: 'west', message: 'pod CIDR' }] })]),
    );
    expect(out).toBe(
      '::error file=clusters/east/submariner.yaml,line=9,col=16,endLine=9,endColumn=31,title=cidr-overlap::Pod CIDR 10.0.0.0/16 overlaps%0A↳ west: clusters/west/submariner.yaml:9:16  pod CIDR\n',
    );
  });

  it('prints nothing without findings and keeps finding order', () => {
    expect(formatGithub(input([]))).toBe('');
    const out = formatGithub(input([finding({ line: 1 }), finding({ line: 2 })]));
    expect(
      out
        .split('\n')
        .slice(0, 2)
        .map((l) => l.match(/line=(\d+)/)![1]),
    ).toEqual(['1', '2']);
  });
});
