/**
 * A js-yaml schema that resolves plain scalars the way the Kubernetes API server and kubectl do.
 *
 * Upstream: kubectl and the API server read YAML through sigs.k8s.io/yaml, which decodes with its
 * fork of go-yaml v2 (`sigs.k8s.io/yaml/goyaml.v2`, `resolve.go`) and converts the result to JSON.
 * That resolver is YAML 1.1 flavoured:
 * - booleans: y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON and their negatives n|no|false|off…;
 * - integers: Go `strconv.ParseInt(s, 0, 64)` after removing `_`, so `0755` is octal, `0x1F`
 *   hex, `0b101` binary, `1_000` is 1000;
 * - floats: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, `.inf`, `.nan` spellings;
 * - timestamps stay strings when decoded into `interface{}` (go-yaml v2 keeps them as text for
 *   backward compatibility), so `creationTimestamp: 2024-01-01` is the string "2024-01-01";
 * - merge keys `<<` are honoured; unknown local tags (`!Ref`) do not fail the decode.
 */
import jsyaml from 'js-yaml';

const { Type } = jsyaml;

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map<string, number>([
  ['.nan', NaN],
  ['.NaN', NaN],
  ['.NAN', NaN],
  ['.inf', Infinity],
  ['.Inf', Infinity],
  ['.INF', Infinity],
  ['+.inf', Infinity],
  ['+.Inf', Infinity],
  ['+.INF', Infinity],
  ['-.inf', -Infinity],
  ['-.Inf', -Infinity],
  ['-.INF', -Infinity],
]);

/** Go's base-0 integer syntax (after `_` removal), as go-yaml v2 hands it to ParseInt/ParseUint. */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml v2's `yamlStyleFloat`. */
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

function isDigitOrSign(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 43 /* + */ || c === 45; /* - */
}

function parseGoInt(plain: string): number {
  let sign = 1;
  let s = plain;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  const p = s.slice(0, 2).toLowerCase();
  if (p === '0x') return sign * parseInt(s.slice(2), 16);
  if (p === '0b') return sign * parseInt(s.slice(2), 2);
  if (p === '0o') return sign * parseInt(s.slice(2), 8);
  if (s.length > 1 && s[0] === '0') return sign * parseInt(s.slice(1), 8);
  return sign * parseInt(s, 10);
}

// Resolvers run for every plain scalar, keys included: reject on length and first character
// before hashing the string into a Set lookup.
const BOOL_FIRST = new Set(['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O']);

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string) => data.length <= 4 && NULL_WORDS.has(data),
  construct: () => null,
  predicate: (v: unknown) => v === null,
  represent: { canonical: () => '~' },
  defaultStyle: 'canonical',
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string) => data.length <= 5 && BOOL_FIRST.has(data[0]) && (TRUE_WORDS.has(data) || FALSE_WORDS.has(data)),
  construct: (data: string) => TRUE_WORDS.has(data),
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: { lowercase: (v: unknown) => String(v) },
  defaultStyle: 'lowercase',
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => data.length > 0 && isDigitOrSign(data.charCodeAt(0)) && GO_INT.test(data.replaceAll('_', '')),
  construct: (data: string) => parseGoInt(data.replaceAll('_', '')),
  predicate: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
  represent: { decimal: (v: unknown) => String(v) },
  defaultStyle: 'decimal',
});

const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string) => {
    if (data.length === 0) return false;
    const c = data.charCodeAt(0);
    if (c === 46 /* . */) return SPECIAL_FLOATS.has(data) || YAML_FLOAT.test(data);
    if (!isDigitOrSign(c)) return false;
    return SPECIAL_FLOATS.has(data) || YAML_FLOAT.test(data.replaceAll('_', ''));
  },
  construct: (data: string) => SPECIAL_FLOATS.get(data) ?? Number(data.replaceAll('_', '')),
  predicate: (v: unknown) => typeof v === 'number',
  represent: { decimal: (v: unknown) => String(v) },
  defaultStyle: 'decimal',
});

/**
 * First characters a non-string plain scalar can start with: null (`~`, `null`), booleans
 * (`y`, `n`, `t`, `f`, `o` in either case), numbers (digits, sign, `.`) and the merge key `<<`.
 */
const SPECIAL_FIRST = new Uint8Array(128);
for (const c of '~yYnNtTfFoO0123456789+-.<') SPECIAL_FIRST[c.charCodeAt(0)] = 1;
/** Booleans and null words are at most this long (`false`, `FALSE`, `null`). */
const MAX_WORD = 5;

/**
 * Plain scalars that no other type can resolve: most keys and values of a manifest (`apiVersion`,
 * `metadata`, names, images). Tried first, so that those skip the four resolvers below; it
 * never accepts a scalar that one of them would resolve, so the result is the same string.
 * Only implicit: an explicit tag naming it is not resolved.
 */
const plainStringType = new Type('tag:mclint.io,2024:plain-string', {
  kind: 'scalar',
  resolve: (data: unknown, explicitTag?: string) => {
    if (explicitTag !== undefined || typeof data !== 'string' || data.length === 0) return false;
    const c = data.charCodeAt(0);
    if (c >= 128 || SPECIAL_FIRST[c] === 0) return true;
    // `nginx`, `type`, `true`: only words of booleans' and nulls' length can be one.
    return data.length > MAX_WORD && !isDigitOrSign(c) && c !== 46 /* . */ && c !== 126 /* ~ */ && c !== 60; /* < */
  },
});

/** The `<<` merge key (go-yaml v2 merges mappings into the one holding the key). */
const mergeType = new Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: string | null) => data === '<<' || data === null,
});

/** Explicit core tags that must not change the JSON shape of a value. */
const asText = (tag: string) => new Type(tag, { kind: 'scalar', resolve: () => true, construct: (data: string) => data });

/** Unknown local tags (`!Ref x`, `!!python/...`) decode as the untagged value, as go-yaml does. */
const localTags = (['scalar', 'sequence', 'mapping'] as const).map(
  (kind) =>
    new Type('!', {
      kind,
      multi: true,
      construct: (data: unknown) => (data === null && kind !== 'scalar' ? (kind === 'sequence' ? [] : {}) : data),
    }),
);

/**
 * The schema used for every manifest: YAML 1.1 scalar resolution, merge keys, timestamps and
 * binaries as strings, tolerant of unknown local tags.
 */
export const KUBERNETES_YAML_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [plainStringType, nullType, boolType, intType, floatType, mergeType],
  explicit: [asText('tag:yaml.org,2002:timestamp'), asText('tag:yaml.org,2002:binary'), ...localTags],
});
