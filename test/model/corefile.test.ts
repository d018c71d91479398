import { describe, expect, it } from 'vitest';
import { parseCorefile, parseCorefileKey, tokenizeCorefile, zoneCovers } from '../../src/model/corefile.js';

const LIGHTHOUSE_PATCHED = `#lighthouse-start AUTO-GENERATED SECTION. DO NOT EDIT
clusterset.local:53 {
    forward . 10.96.200.7
}
#lighthouse-end
.:53 {
    errors
    health {
       lameduck 5s
    }
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
    cache 30
}
`;

describe('tokenizeCorefile', () => {
  it('splits words, drops comments, keeps quoted words whole with their line', () => {
    const tokens = tokenizeCorefile('a "b c" # note\n  d\t"e\\"f" {\n}');
    expect(tokens.map((t) => [t.text, t.line, t.quoted])).toEqual([
      ['a', 1, false],
      ['b c', 1, true],
      ['d', 2, false],
      ['e"f', 2, true],
      ['{', 2, false],
      ['}', 3, false],
    ]);
  });
});

describe('parseCorefileKey', () => {
  it.each([
    ['.:53', { scheme: undefined, zone: '.', port: '53' }],
    ['clusterset.local:53', { scheme: undefined, zone: 'clusterset.local.', port: '53' }],
    ['dns://ClusterSet.Local.', { scheme: 'dns', zone: 'clusterset.local.', port: undefined }],
    [':5353', { scheme: undefined, zone: '.', port: '5353' }],
    ['tls://example.org:853', { scheme: 'tls', zone: 'example.org.', port: '853' }],
  ])('%s', (text, want) => expect(parseCorefileKey(text)).toMatchObject(want));
});

describe('zoneCovers', () => {
  it.each([
    ['.', 'clusterset.local', true],
    ['clusterset.local.', 'clusterset.local', true],
    ['local', 'clusterset.local', true],
    ['cluster.local', 'clusterset.local', false],
    ['set.local', 'clusterset.local', false],
  ])('%s covers %s: %s', (zone, name, want) => expect(zoneCovers(zone, name)).toBe(want));
});

describe('parseCorefile', () => {
  it("reads the Submariner operator's patched Corefile: server blocks, directives, nested blocks, lines", () => {
    const file = parseCorefile(LIGHTHOUSE_PATCHED);
    expect(file.problems).toEqual([]);
    expect(file.blocks.map((b) => [b.keys.map((k) => k.zone), b.line])).toEqual([
      [['clusterset.local.'], 2],
      [['.'], 6],
    ]);
    expect(file.blocks[0].directives).toEqual([{ name: 'forward', args: ['.', '10.96.200.7'], line: 3 }]);
    const root = file.blocks[1].directives;
    expect(root.map((d) => [d.name, d.line])).toEqual([
      ['errors', 7],
      ['health', 8],
      ['kubernetes', 11],
      ['forward', 15],
      ['cache', 16],
    ]);
    expect(root[2]).toMatchObject({
      args: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
      block: [
        { name: 'pods', args: ['insecure'], line: 12 },
        { name: 'fallthrough', line: 13 },
      ],
    });
  });

  it('reads several keys (spaces, commas, a continued line), snippets and a single block without braces', () => {
    const file = parseCorefile('(common) {\n  errors\n}\nexample.org, example.net:53,\n  other.org {\n  import common\n}\n');
    expect(file.snippets.map((b) => b.name)).toEqual(['common']);
    expect(file.blocks).toHaveLength(1);
    expect(file.blocks[0].keys.map((k) => k.zone)).toEqual(['example.org.', 'example.net.', 'other.org.']);
    expect(file.blocks[0].directives).toEqual([{ name: 'import', args: ['common'], line: 6 }]);
    const bare = parseCorefile('.:53\nwhoami\nlog\n');
    expect(bare.blocks).toEqual([
      {
        keys: [parseCorefileKey('.:53')],
        line: 1,
        directives: [
          { name: 'whoami', args: [], line: 2 },
          { name: 'log', args: [], line: 3 },
        ],
      },
    ]);
  });

  it("keeps top-level imports apart (k3s' `import /etc/coredns/custom/*.server`)", () => {
    const file = parseCorefile('.:53 {\n    errors\n}\nimport /etc/coredns/custom/*.server\n');
    expect(file.blocks).toHaveLength(1);
    expect(file.imports).toEqual([{ name: 'import', args: ['/etc/coredns/custom/*.server'], line: 4 }]);
  });

  it('never throws on bad input: stray braces, unclosed blocks, deep nesting, empty text', () => {
    expect(parseCorefile('').blocks).toEqual([]);
    expect(parseCorefile('}\n. {\n  log\n').problems.map((p) => p.message)).toEqual(['unexpected "}"', 'a block is not closed']);
    const deep = parseCorefile(`. {\n  a ${'{ b '.repeat(100_000)}\n}`);
    expect(deep.problems.map((p) => p.message)).toContain('blocks nested too deeply');
    expect(deep.blocks[0].keys[0].zone).toBe('.');
  });

  it.each([
    ['a no-break space', '\u00a0'],
    ['a form feed', '\f'],
    ['a vertical tab', '\v'],
    ['an ideographic space', '\u3000'],
  ])('%s separates words like a space (it made an empty word and no progress: out of memory, found by the fuzz harness)', (_, ws) => {
    expect(tokenizeCorefile(`.:53 {\n  forward${ws}. 10.0.0.10\n${ws}}\n`).map((t) => t.text)).toEqual(['.:53', '{', 'forward', '.', '10.0.0.10', '}']);
  });
});
