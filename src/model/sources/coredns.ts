/**
 * The cluster DNS's Corefiles: the `coredns` ConfigMap in `kube-system` (kubeadm's and most
 * distributions' CoreDNS, key `Corefile`) and NodeLocal DNSCache's `node-local-dns` ConfigMap
 * (kubernetes/dns `cmd/node-cache`, same key). A ConfigMap without a namespace counts (the
 * namespace is left to apply time). A Corefile holding an unrendered placeholder anywhere
 * (`{{ if … }}` lines change its structure) is unknown: no fact. NodeLocal DNSCache's own
 * `__PILLAR__…__` words are ordinary words here (node-cache substitutes them at start-up).
 *
 * Upstream: Submariner's operator patches exactly this ConfigMap (submariner-io/submariner-operator
 * `controllers/servicediscovery/servicediscovery_controller.go`, `updateDNSConfigMap`: ConfigMap
 * `coredns` in `kube-system`, key `Corefile`).
 */
import { parseCorefile } from '../corefile.js';
import type { FactSource } from './types.js';

const FLAVOURS: Readonly<Record<string, 'coredns' | 'node-local-dns'>> = { coredns: 'coredns', 'node-local-dns': 'node-local-dns' };

/** Reads the `Corefile` of the `coredns` and `node-local-dns` ConfigMaps (namespace `kube-system` or unset). */
export const corednsSource: FactSource = {
  id: 'coredns',
  handles: ['core/ConfigMap'],
  extract(ctx) {
    const { object } = ctx;
    const flavour = object.name === undefined ? undefined : FLAVOURS[object.name];
    if (!flavour || (object.namespace !== undefined && object.namespace !== 'kube-system')) return;
    const text = ctx.get(['data', 'Corefile']);
    if (typeof text !== 'string') return;
    ctx.cluster.corednsConfigs.push({ flavour, corefile: { value: parseCorefile(text), source: ctx.source(['data', 'Corefile'], `${object.name} ConfigMap data.Corefile`) } });
  },
};
