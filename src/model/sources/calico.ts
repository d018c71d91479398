/**
 * Calico pod address pools: `IPPool` (`projectcalico.org/v3`, and its CRD form
 * `crd.projectcalico.org/v1`) `spec.cidr` unless `spec.disabled: true`; the Tigera operator's
 * `Installation` (`operator.tigera.io/v1`) `spec.calicoNetwork.ipPools[].cidr`.
 *
 * Every pool, disabled ones included, is also kept as `CalicoPoolFacts` with the settings
 * Submariner's Calico notes depend on (submariner.io "Calico CNI"): `disabled`, `natOutgoing` and
 * the encapsulation. Defaults as upstream documents them: IPPool (projectcalico/api
 * `pkg/apis/projectcalico/v3/ippool.go`, docs.tigera.io "IP pool") `disabled: false`,
 * `natOutgoing: false`, `ipipMode`/`vxlanMode` `Never`; Installation pools (tigera/operator
 * `api/v1/installation_types.go`) `natOutgoing: Enabled`, `encapsulation: IPIP`.
 */
import type { Path } from '../../base/types.js';
import type { CalicoPoolFacts, Fact } from '../types.js';
import { cidrFacts, placeholderAt } from './facts.js';
import type { ExtractContext, FactSource } from './types.js';

/** Origins of the pod CIDR facts this source gives (views tell Calico pools from other pod CIDR statements by them). */
export const CALICO_ORIGINS = ['Calico IPPool spec.cidr', 'Installation calicoNetwork.ipPools'] as const;

type Encapsulation = 'VXLAN' | 'IPIP' | 'None';

/** A setting read by `read`: the value, or the default (`isDefault`) when absent, or undefined when unknown. */
function setting<T>(ctx: ExtractContext, path: Path, origin: string, read: (v: unknown) => T | undefined, fallback: T, at: Path): Fact<T> | undefined {
  if (placeholderAt(ctx, path) !== undefined) return undefined;
  const raw = ctx.get(path);
  if (raw === undefined) return { value: fallback, source: ctx.source(at, origin), isDefault: true };
  const value = read(raw);
  return value === undefined ? undefined : { value, source: ctx.source(path, origin) };
}

const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
const enabled = (v: unknown) => (v === 'Enabled' ? true : v === 'Disabled' ? false : undefined);
const installEncapsulation = (v: unknown): Encapsulation | undefined =>
  typeof v !== 'string' ? undefined : v.startsWith('VXLAN') ? 'VXLAN' : v.startsWith('IPIP') ? 'IPIP' : v === 'None' ? 'None' : undefined;

/** An IPPool's encapsulation: `vxlanMode` wins when it is Always/CrossSubnet, then `ipipMode`; both absent is `None` (default). */
function poolEncapsulation(ctx: ExtractContext): Fact<Encapsulation> | undefined {
  const modes = (['vxlanMode', 'ipipMode'] as const).map((field) => ({ field, value: ctx.get(['spec', field]), unknown: placeholderAt(ctx, ['spec', field]) !== undefined }));
  const on = modes.find((m) => m.value === 'Always' || m.value === 'CrossSubnet');
  if (on) return { value: on.field === 'vxlanMode' ? 'VXLAN' : 'IPIP', source: ctx.source(['spec', on.field], `Calico IPPool spec.${on.field}`) };
  if (modes.some((m) => m.unknown)) return undefined;
  const written = modes.find((m) => m.value === 'Never');
  if (written) return { value: 'None', source: ctx.source(['spec', written.field], `Calico IPPool spec.${written.field}`) };
  return { value: 'None', source: ctx.source(['spec', 'cidr'], 'Calico IPPool default ipipMode/vxlanMode Never'), isDefault: true };
}

/** Reads Calico IPPools and the operator's Installation. */
export const calicoSource: FactSource = {
  id: 'calico',
  handles: ['projectcalico.org/IPPool', 'crd.projectcalico.org/IPPool', 'operator.tigera.io/Installation'],
  extract(ctx) {
    const { network, calicoPools } = ctx.cluster;
    const { object } = ctx;
    if (object.kind === 'IPPool') {
      const cidrs = cidrFacts(ctx, ['spec', 'cidr'], CALICO_ORIGINS[0]);
      const disabled = setting(ctx, ['spec', 'disabled'], 'Calico IPPool spec.disabled', bool, false, ['spec', 'cidr']);
      const natOutgoing = setting(ctx, ['spec', 'natOutgoing'], 'Calico IPPool spec.natOutgoing', bool, false, ['spec', 'cidr']);
      const encapsulation = poolEncapsulation(ctx);
      for (const cidr of cidrs) calicoPools.push({ object, cidr, disabled, natOutgoing, encapsulation } satisfies CalicoPoolFacts);
      if (ctx.get(['spec', 'disabled']) === true) return;
      network.podCIDRs.push(...cidrs);
      return;
    }
    const pools = ctx.get(['spec', 'calicoNetwork', 'ipPools']);
    if (!Array.isArray(pools)) return;
    pools.forEach((_, i) => {
      const at = (field: string): Path => ['spec', 'calicoNetwork', 'ipPools', i, field];
      const cidrs = cidrFacts(ctx, at('cidr'), `${CALICO_ORIGINS[1]}[${i}].cidr`);
      const origin = (field: string) => `Installation calicoNetwork.ipPools[${i}].${field}`;
      const disabled = setting(ctx, at('disabled'), origin('disabled'), bool, false, at('cidr'));
      const natOutgoing = setting(ctx, at('natOutgoing'), origin('natOutgoing'), enabled, true, at('cidr'));
      const encapsulation = setting(ctx, at('encapsulation'), origin('encapsulation'), installEncapsulation, 'IPIP', at('cidr'));
      for (const cidr of cidrs) calicoPools.push({ object, cidr, disabled, natOutgoing, encapsulation });
      if (ctx.get(at('disabled')) === true) return;
      network.podCIDRs.push(...cidrs);
    });
  },
};
