/** The directive comment parser: one table for the comment grammar, one for finding comments in files. */
import { describe, expect, it } from 'vitest';
import { findDirectives, parseDirectiveComment, type DirectiveContent } from '../../src/suppress/directives.js';

describe('parseDirectiveComment', () => {
  const cases: [string, DirectiveContent | undefined][] = [
    ['# mclint-disable-next-line cidr-overlap', { type: 'disable-next-line', rules: ['cidr-overlap'], reason: '' }],
    [
      '# mclint-disable-next-line cidr-overlap, schema -- east and west never talk',
      { type: 'disable-next-line', rules: ['cidr-overlap', 'schema'], reason: 'east and west never talk' },
    ],
    ['#mclint-disable-line schema', { type: 'disable-line', rules: ['schema'], reason: '' }],
    ['# mclint-disable', { type: 'disable', rules: [], reason: '' }],
    ['# mclint-disable -- generated file', { type: 'disable', rules: [], reason: 'generated file' }],
    ['# mclint-disable a,b  c', { type: 'disable', rules: ['a', 'b', 'c'], reason: '' }],
    ['# mclint-enable schema', { type: 'enable', rules: ['schema'], reason: '' }],
    ['# mclint-enable', { type: 'enable', rules: [], reason: '' }],
    ['# mclint-disable-file parse-error --- reason with --- dashes', { type: 'disable-file', rules: ['parse-error'], reason: 'reason with --- dashes' }],
    ['# mclint-disable schema --', { type: 'disable', rules: ['schema'], reason: '' }],
    // The separator needs spaces around the dashes: a rule id may contain dashes.
    ['# mclint-disable a--b', { type: 'disable', rules: ['a--b'], reason: '' }],
    ['  #   mclint-disable-next-line   x  ', { type: 'disable-next-line', rules: ['x'], reason: '' }],
    // Not directives: prose mentioning one, other tools' comments, unknown directive names.
    ['# see mclint-disable for details', undefined],
    ['# eslint-disable-next-line no-console', undefined],
    ['# mclint-disabled schema', undefined],
    ['# mclint-disable-next-lines schema', undefined],
    ['# mclint-', undefined],
  ];
  for (const [comment, want] of cases) it(JSON.stringify(comment), () => expect(parseDirectiveComment(comment)).toEqual(want));
});

describe('findDirectives', () => {
  const cases: { name: string; text: string; want: [string, number, number, number][] }[] = [
    {
      name: 'own-line and end-of-line comments with exact spans',
      text: 'a: 1 # mclint-disable-line x\n# mclint-disable-next-line y -- why\nb: 2\n',
      want: [
        ['disable-line x', 1, 6, 29],
        ['disable-next-line y', 2, 1, 36],
      ],
    },
    {
      name: '# inside quoted and block scalars is content, not a comment',
      text: 'a: "# mclint-disable"\nb: \'# mclint-disable\'\nc: |\n  # mclint-disable\n  x\nd: >-\n  # mclint-disable\n# mclint-enable\n',
      want: [['enable', 8, 1, 16]],
    },
    {
      name: 'every document of a multi-document file, indented comments, CRLF line ends',
      text: '# mclint-disable-file schema\r\n---\r\nkind: X\r\nspec:\r\n    # mclint-disable cidr-overlap\r\n  a: 1\r\n',
      want: [
        ['disable-file schema', 1, 1, 29],
        ['disable cidr-overlap', 5, 5, 34],
      ],
    },
    {
      name: 'a byte order mark does not shift columns',
      text: '\uFEFF# mclint-disable\n',
      want: [['disable', 1, 1, 17]],
    },
    {
      name: 'comments after a syntax error are still found',
      text: 'a: [1, 2\n# mclint-disable-next-line parse-error\nb: }\n',
      want: [['disable-next-line parse-error', 2, 1, 39]],
    },
    {
      name: 'flow collections and plain scalars with #',
      text: 'a: {x: 1} # mclint-disable-line r\nurl: http://x/#frag\n',
      want: [['disable-line r', 1, 11, 34]],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const found = await findDirectives(c.text);
      expect(found.map((d) => [[d.type, ...d.rules].join(' '), d.line, d.column, d.endColumn])).toEqual(c.want);
      for (const d of found) expect(d.endLine).toBe(d.line);
    });
  }
});
