import { expect } from 'vitest';
import rule from '../../rules/parse-error.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { service } from '../helpers/manifests.js';

const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(
    Array.from({ length: 8 }, (_, i) => {
      const prev = String.fromCharCode(97 + i);
      const cur = String.fromCharCode(98 + i);
      return `${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
    }),
  )
  .join('\n');

ruleTester(rule, {
  valid: [
    {
      name: 'valid YAML, JSON, empty and comment-only files',
      files: {
        'east/svc.yaml': service('web', 'shop'),
        'east/svc.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
        'east/empty.yaml': '',
        'east/comments.yml': '# nothing here\n---\n# still nothing\n',
      },
    },
    {
      name: 'YAML anchors and merge keys within reason',
      files: { 'east/anchors.yaml': 'base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\nlist: [*b, *b]\n' },
    },
  ],
  invalid: [
    {
      name: 'a syntax error is reported at its position and other files are still read',
      files: {
        'east/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n',
        'east/svc.yaml': service('web', 'shop'),
      },
      findings: [
        { file: 'east/broken.yaml', line: 4, column: 9, cluster: 'east', severity: 2, messageId: 'syntax', data: { problem: expect.stringContaining('YAML syntax error') } },
      ],
    },
    {
      name: 'duplicate keys, as kubectl apply rejects them',
      files: { 'east/dup.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  name: api\n' },
      findings: [
        {
          file: 'east/dup.yaml',
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 7,
          messageId: 'syntax',
          data: { problem: 'Duplicate key "name": kubectl apply rejects duplicate fields and tools disagree on which value wins; keep one' },
        },
      ],
    },
    {
      name: 'an unclosed flow sequence in the second document',
      files: { 'east/multi.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nports: [1, 2\nnext: x\n' },
      findings: [{ file: 'east/multi.yaml', line: 6, column: 1, messageId: 'syntax', data: { problem: expect.stringContaining('YAML syntax error') } }],
    },
    {
      name: 'a billion-laughs alias bomb',
      files: { 'east/bomb.yaml': bomb },
      findings: [{ file: 'east/bomb.yaml', line: 1, column: 1, messageId: 'syntax', data: { problem: expect.stringContaining('excessive aliasing') } }],
    },
  ],
});
