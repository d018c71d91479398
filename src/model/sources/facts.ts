/**
 * Helpers shared by fact sources: CIDR lists and strings read through a context, so every
 * source turns a field into facts the same way (comma-separated lists split as the controllers
 * split them, invalid items dropped — the `schema` rule reports them).
 */
import { splitCidrList, type Cidr } from '../cidr.js';
import type { Fact, Source } from '../types.js';
import type { Path } from '../../load/types.js';

/** Anything that can read a field and describe where it is (objects and values documents). */
export interface FieldReader {
  get(path: Path): unknown;
  placeholder(path: Path): string | undefined;
  source(path: Path, origin: string): Source;
}

/**
 * CIDR facts from a field holding a comma-separated list (`"10.0.0.0/16,fd00::/48"`), or a YAML
 * list of such strings. `separator` splits further (cilium-config uses spaces).
 * @returns one fact per valid CIDR, all pointing at the field (or at the list item)
 */
export function cidrFacts(reader: FieldReader, path: Path, origin: string, separator: RegExp = /,/): Fact<Cidr>[] {
  const value = reader.get(path);
  const items: [string, Path][] = typeof value === 'string' ? [[value, path]] : Array.isArray(value) ? value.flatMap((v, i) => (typeof v === 'string' ? [[v, [...path, i]] as [string, Path]] : [])) : [];
  return items.flatMap(([text, at]) => {
    const source = reader.source(at, origin);
    return splitCidrList(text.split(separator).join(',')).flatMap(({ cidr }) => (cidr ? [{ value: cidr, source }] : []));
  });
}

/** Default CIDRs (a tool's built-in value) as facts marked `isDefault`, pointing at `path`'s place. */
export function defaultCidrFacts(reader: FieldReader, path: Path, origin: string, texts: readonly string[]): Fact<Cidr>[] {
  const source = reader.source(path, origin);
  return texts.flatMap((t) => {
    const [cidr] = splitCidrList(t);
    return cidr?.cidr ? [{ value: cidr.cidr, source, isDefault: true }] : [];
  });
}

/** A non-empty string field as a fact, or undefined. */
export function stringFact(reader: FieldReader, path: Path, origin: string): Fact<string> | undefined {
  const v = reader.get(path);
  return typeof v === 'string' && v !== '' ? { value: v, source: reader.source(path, origin) } : undefined;
}

/**
 * An identity field (cluster ID, cluster name) as a fact, empty strings included (an empty ID is
 * a finding); an unrendered placeholder there is recorded in `unrendered` instead, so rules can
 * say so rather than compare it.
 */
export function identityFact(reader: FieldReader, path: Path, origin: string, unrendered: Fact<string>[]): Fact<string> | undefined {
  const placeholder = reader.placeholder(path);
  if (placeholder !== undefined) {
    unrendered.push({ value: placeholder, source: reader.source(path, origin) });
    return undefined;
  }
  const v = reader.get(path);
  return typeof v === 'string' ? { value: v, source: reader.source(path, origin) } : undefined;
}
