/**
 * kube-proxy's proxy mode, from the places a repository states it:
 * - `KubeProxyConfiguration` (`kubeproxy.config.k8s.io/v1alpha1`; kubernetes
 *   `staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go`) `mode`, as a document of a kubeadm
 *   config file or on its own;
 * - the `kube-proxy` ConfigMap kubeadm writes (`kube-system`, key `config.conf`: the same
 *   KubeProxyConfiguration as YAML text; kubernetes `cmd/kubeadm/app/phases/addons/proxy`);
 * - kind `Cluster` `networking.kubeProxyMode` (sigs.k8s.io/kind `pkg/apis/config/v1alpha4/types.go`);
 * - the `kube-proxy` DaemonSet's container flag `--proxy-mode=<mode>` (or `--proxy-mode <mode>`) in
 *   `command` or `args` (kubernetes `cmd/kube-proxy/app/options.go`).
 * An empty or absent `mode` is kube-proxy's platform default (iptables on Linux) and gives no fact.
 */
import { parse } from 'yaml';
import type { ExtractContext, FactSource } from './types.js';

/** `--proxy-mode` flags of the containers of a kube-proxy DaemonSet, as (value, path of the item holding it). */
function proxyModeFlags(ctx: ExtractContext): [string, (string | number)[]][] {
  const found: [string, (string | number)[]][] = [];
  const containers = ctx.get(['spec', 'template', 'spec', 'containers']);
  if (!Array.isArray(containers)) return found;
  containers.forEach((_, i) => {
    for (const field of ['command', 'args']) {
      const path = ['spec', 'template', 'spec', 'containers', i, field];
      const items = ctx.get(path);
      if (!Array.isArray(items)) continue;
      items.forEach((item, j) => {
        if (typeof item !== 'string') return;
        const joined = /^--proxy-mode=(.*)$/.exec(item);
        if (joined) found.push([joined[1], [...path, j]]);
        else if (item === '--proxy-mode' && typeof items[j + 1] === 'string') found.push([items[j + 1] as string, [...path, j + 1]]);
      });
    }
  });
  return found;
}

/** Reads kube-proxy's `mode` (see the file comment for where). */
export const kubeProxySource: FactSource = {
  id: 'kube-proxy',
  handles: ['kubeproxy.config.k8s.io/KubeProxyConfiguration', 'core/ConfigMap', 'kind.x-k8s.io/Cluster', 'apps/DaemonSet'],
  extract(ctx) {
    const { object, cluster } = ctx;
    const add = (value: unknown, path: (string | number)[], origin: string) => {
      if (typeof value === 'string' && value !== '') cluster.kubeProxy.push({ mode: { value, source: ctx.source(path, origin) } });
    };
    if (object.kind === 'KubeProxyConfiguration') add(ctx.get(['mode']), ['mode'], 'KubeProxyConfiguration mode');
    else if (object.kind === 'Cluster') add(ctx.get(['networking', 'kubeProxyMode']), ['networking', 'kubeProxyMode'], 'kind networking.kubeProxyMode');
    else if (object.kind === 'DaemonSet') {
      if (object.name === 'kube-proxy') for (const [mode, path] of proxyModeFlags(ctx)) add(mode, path, 'kube-proxy DaemonSet --proxy-mode');
    } else if (object.name === 'kube-proxy' && (object.namespace === undefined || object.namespace === 'kube-system')) {
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
