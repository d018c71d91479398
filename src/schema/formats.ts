/**
 * Custom JSON Schema formats used by the schemas in `schemas/`. The precompiled validators
 * (`validators.generated.js`) import this object by name; keys must match the `format` values.
 * Unrendered placeholders (`$(CLUSTER_CIDR)`) pass: they are values still to be filled in, not
 * malformed ones, and the model never uses them as facts.
 */
import { parseCidr, splitCidrList } from '../base/cidr.js';
import { isPlaceholder } from '../base/placeholder.js';

/** The formats by name, with the type they apply to and their check. */
export const formats = {
  /** One CIDR, `net.ParseCIDR` syntax ("10.0.0.0/16", "fd00:10:244::/56"). */
  cidr: { type: 'string', validate: (s: string) => isPlaceholder(s) || parseCidr(s) !== undefined },
  /** A comma-separated list of CIDRs (Submariner `clusterCIDR`, `serviceCIDR`); empty allowed. */
  'cidr-list': { type: 'string', validate: (s: string) => isPlaceholder(s) || splitCidrList(s).every((e) => e.cidr !== undefined) },
} as const;
