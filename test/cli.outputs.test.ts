/** `--format NAME[:FILE]` / `--output-file` pairing (src/cli.ts `parseOutputs`). */
import { describe, expect, it } from 'vitest';
import { parseOutputs } from '../src/cli.js';

const KNOWN = ['stylish', 'json', 'sarif', 'github'];

describe('parseOutputs', () => {
  const ok: [string, string[] | undefined, string | undefined, { format: string; file?: string }[]][] = [
    ['default: stylish to standard output', undefined, undefined, [{ format: 'stylish' }]],
    ['--output-file alone: stylish to the file', undefined, 'out.txt', [{ format: 'stylish', file: 'out.txt' }]],
    ['one --format (backwards compatible)', ['json'], undefined, [{ format: 'json' }]],
    ['one --format with --output-file (backwards compatible)', ['json'], 'r.json', [{ format: 'json', file: 'r.json' }]],
    ['console and a SARIF file', ['stylish', 'sarif:mclint.sarif'], undefined, [{ format: 'stylish' }, { format: 'sarif', file: 'mclint.sarif' }]],
    ['order is kept', ['sarif:a.sarif', 'github', 'json:b.json'], undefined, [{ format: 'sarif', file: 'a.sarif' }, { format: 'github' }, { format: 'json', file: 'b.json' }]],
    [
      '--output-file goes to the format without a file',
      ['sarif:a.sarif', 'json'],
      'b.json',
      [
        { format: 'sarif', file: 'a.sarif' },
        { format: 'json', file: 'b.json' },
      ],
    ],
    [
      'every format to a file',
      ['sarif:a.sarif', 'json:b.json'],
      undefined,
      [
        { format: 'sarif', file: 'a.sarif' },
        { format: 'json', file: 'b.json' },
      ],
    ],
    ['the file is split at the first colon only', ['sarif:C:\\reports\\a.sarif'], undefined, [{ format: 'sarif', file: 'C:\\reports\\a.sarif' }]],
  ];
  for (const [name, formats, outputFile, want] of ok) {
    it(name, () => expect(parseOutputs(formats, outputFile, KNOWN)).toEqual(want.map((w) => ({ file: undefined, ...w }))));
  }

  const bad: [string, string[] | undefined, string | undefined, RegExp][] = [
    ['two formats to standard output', ['stylish', 'json'], undefined, /only one --format can go to standard output/],
    ['two formats to --output-file', ['stylish', 'json'], 'x', /only one --format can go to --output-file/],
    ['--output-file with every format paired', ['sarif:a.sarif'], 'b', /--output-file b: every --format already names its file/],
    ['the same file twice', ['sarif:a.out', 'json:./a.out'], undefined, /two reports would be written to \.\/a\.out/],
    ['--output-file equal to a paired file', ['sarif:a.out', 'json'], 'a.out', /two reports would be written to a\.out/],
    ['unknown format', ['xml:a.xml'], undefined, /unknown format "xml"/],
    ['empty file name', ['sarif:'], undefined, /expected NAME:FILE/],
  ];
  for (const [name, formats, outputFile, message] of bad) {
    it(`rejects ${name}`, () => expect(() => parseOutputs(formats, outputFile, KNOWN)).toThrow(message));
  }
});
