/**
 * The exports object of a CommonJS package loaded with `import()`. Node's own loader gives a
 * namespace with named exports and `default`; the CLI bundle's lazily loaded chunks give only
 * `default`. Both carry the full exports object under `default`.
 */
export function cjsExports<T extends object>(namespace: T): T {
  const full = (namespace as { default?: unknown }).default;
  return typeof full === 'object' || typeof full === 'function' ? (full as T) : namespace;
}
