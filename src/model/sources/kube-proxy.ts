/**
 * kube-proxy's proxy mode, from the places a repository states it:
 * - `KubeProxyConfiguration` (`kubeproxy.config.k8s.io/v1alpha1`; kubernetes
 *   `staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go`) `mode`, as a document of a kubeadm
 *   config file or on its own;
 * - the `kube-proxy` ConfigMap kubeadm writes (`kube-system`, key `config.conf`: the same
 *   KubeProxyConfiguration as YAML text; kubernetes `cmd/kubeadm/app/phases/addons/proxy`);
 * - kind `Cluster` `networking.kubeProxyMode` (sigs.k8s.io/kind `pkg/apis/config/v1alpha4/types.go`).
 * An empty or absent `mode` is kube-proxy's platform default (iptables on Linux) and gives no fact.
 */
import { parse } from 'yaml';
import type { FactSource } from './types.js';

/** Reads kube-proxy's `mode` (see the file comment for where). */
export const kubeProxySource: FactSource = {
  id: 'kube-proxy',
  handles: ['kubeproxy.config.k8s.io/KubeProxyConfiguration', 'core/ConfigMap', 'kind.x-k8s.io/Cluster'],
  extract(ctx) {
    const { object, cluster } = ctx;
    const add = (value: unknown, path: (string | number)[], origin: string) => {
      if (typeof value === 'string' && value !== '') cluster.kubeProxy.push({ mode: { value, source: ctx.source(path, origin) } });
    };
    if (object.kind === 'KubeProxyConfiguration') add(ctx.get(['mode']), ['mode'], 'KubeProxyConfiguration mode');
    else if (object.kind === 'Cluster') add(ctx.get(['networking', 'kubeProxyMode']), ['networking', 'kubeProxyMode'], 'kind networking.kubeProxyMode');
    else if (object.name === 'kube-proxy' && (object.namespace === undefined || object.namespace === 'kube-system')) {
      const text = ctx.get(['data', 'config.conf']);
      if (typeof text !== 'string') return;
      let config: unknown;
      try {
        config = parse(text);
      } catch {
        return; // Not YAML: kube-proxy would not start either; nothing to say about its mode.
      }
      if (typeof config === 'object' && config !== null && !Array.isArray(config)) {
        add((config as Record<string, unknown>).mode, ['data', 'config.conf'], 'kube-proxy ConfigMap config.conf mode');
      }
    }
  },
};
