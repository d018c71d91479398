/**
 * Docs URLs point at the installed version's tag (issue 15, point 5): `<repository>/blob/v<version>/<docs path>`,
 * from package.json `repository` and `version`.
 */
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { docsBaseUrl, repositoryWebUrl, ruleDocsUrl } from '../../src/report/docs-url.js';

describe('ruleDocsUrl', () => {
  it.each([
    [
      'npm object form, git+… .git',
      { repository: { type: 'git', url: 'git+https://github.com/o/r.git' }, version: '1.2.3' },
      'docs/rules/cidr-overlap.md',
      'https://github.com/o/r/blob/v1.2.3/docs/rules/cidr-overlap.md',
    ],
    ['plain https string', { repository: 'https://github.com/o/r', version: '0.1.0' }, 'docs/rules/schema.md', 'https://github.com/o/r/blob/v0.1.0/docs/rules/schema.md'],
    [
      'a prerelease version',
      { repository: 'https://github.com/o/r/', version: '2.0.0-rc.1' },
      'docs/rules/schema.md',
      'https://github.com/o/r/blob/v2.0.0-rc.1/docs/rules/schema.md',
    ],
    [
      'a section of a page keeps its fragment',
      { repository: 'https://github.com/o/r.git', version: '1.0.0' },
      'README.md#suppressions',
      'https://github.com/o/r/blob/v1.0.0/README.md#suppressions',
    ],
    [
      'path segments are percent-encoded',
      { repository: 'https://github.com/o/r', version: '1.0.0' },
      'docs/rules/a b.md',
      'https://github.com/o/r/blob/v1.0.0/docs/rules/a%20b.md',
    ],
    ['an ssh repository has no web page', { repository: 'git@github.com:o/r.git', version: '1.0.0' }, 'docs/rules/schema.md', undefined],
    ['no repository', { version: '1.0.0' }, 'docs/rules/schema.md', undefined],
  ])('%s', (_, info, docs, url) => {
    expect(ruleDocsUrl({ docs }, info)).toBe(url);
  });

  it('defaults to the installed package: its repository at the tag of its version', () => {
    const web = repositoryWebUrl(pkg.repository);
    expect(web).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    expect(docsBaseUrl()).toBe(`${web}/blob/v${pkg.version}/`);
    expect(ruleDocsUrl({ docs: 'docs/rules/cidr-overlap.md' })).toBe(`${web}/blob/v${pkg.version}/docs/rules/cidr-overlap.md`);
  });
});
