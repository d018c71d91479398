import { LIGHTHOUSE_DNS_SERVICE, defineRule, lighthouseDnsProblems } from './kit.js';

interface Options {
  readonly domain?: string;
}

const SERVICE = `${LIGHTHOUSE_DNS_SERVICE.namespace}/${LIGHTHOUSE_DNS_SERVICE.name}`;

/**
 * `lighthouse-dns`: in a cluster that runs Submariner Lighthouse (a Submariner CR with
 * `serviceDiscoveryEnabled`, or a ServiceDiscovery CR), the cluster DNS's Corefile (ConfigMap
 * `coredns` in `kube-system`, and NodeLocal DNSCache's `node-local-dns`) must forward the
 * ClusterSet domain (`clusterset.local`, or the `domain` option) — to the ClusterIP of the
 * `submariner-operator/submariner-lighthouse-coredns` Service when the repository holds it; and
 * no cluster's stock CoreDNS may use a plugin it is not built with (`lighthouse`, `federation`).
 * Findings point at the `Corefile` key and name the Corefile line. The checks are the model's
 * view (`src/model/views/dns.ts`); Corefiles are read by `src/model/corefile.ts`.
 *
 * Upstream: submariner-io/submariner-operator `servicediscovery_controller.go`
 * (`updateDNSConfigMap`, the `#lighthouse-start` block), Lighthouse docs "CoreDNS
 * configuration", submariner-io/lighthouse #954, submariner-io/submariner #1549; CoreDNS
 * `plugin.cfg` (compiled-in plugins only) and the 1.6.3 release notes (federation moved out).
 */
export default defineRule<Options>({
  meta: {
    id: 'lighthouse-dns',
    description: 'Clusters running Lighthouse whose CoreDNS does not forward clusterset.local to it; CoreDNS plugins stock CoreDNS lacks',
    severity: 'error',
    docs: 'docs/rules/lighthouse-dns.md',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { domain: { description: 'The ClusterSet DNS domain Lighthouse serves (default `clusterset.local`).', type: 'string', minLength: 1 } },
    },
    defaultOptions: { domain: 'clusterset.local' },
    messages: {
      missingForward: {
        text: 'Cluster "{{cluster}}" runs Lighthouse but its {{configMap}} Corefile does not forward {{domain}}.',
        hint:
          'Pods resolve {{domain}} names through this DNS, which answers NXDOMAIN (or asks the upstream resolvers), so no exported service resolves. The Submariner operator adds a `{{domain}}:53 { forward . <ClusterIP of ' +
          SERVICE +
          '> }` block to the coredns ConfigMap, which a repository that manages the ConfigMap removes on every sync: keep that block in the manifest (NodeLocal DNSCache needs its own {{domain}} block forwarding to the cluster DNS).',
      },
      forwardElsewhere: {
        text: 'Cluster "{{cluster}}": the coredns Corefile forwards {{domain}} to {{targets}} (line {{line}}), not to the Lighthouse DNS Service\'s ClusterIP {{clusterIP}}.',
        hint: `Queries for {{domain}} go to a server that does not know the exported services. Forward them to the ClusterIP of ${SERVICE}.`,
      },
      unknownPlugin: {
        text: 'Cluster "{{cluster}}": the {{configMap}} Corefile uses plugin "{{plugin}}" (line {{line}}), which stock CoreDNS does not have.',
        hint: 'CoreDNS loads only the plugins compiled into it and refuses to start on an unknown directive, taking the cluster DNS down. "{{plugin}}" is in {{where}}; forward the zone to a server that has it instead.',
      },
    },
  },
  check({ set, options, report }) {
    const domain = options.domain ?? 'clusterset.local';
    for (const p of lighthouseDnsProblems(set, domain)) {
      const cluster = p.cluster.name;
      const at = p.config.corefile.source;
      const configMap = p.config.flavour;
      if (p.kind === 'missingForward') {
        const related = p.cluster.lighthouse
          .slice(0, 1)
          .map((l) => ({ file: l.at.file, doc: l.at.doc, path: l.at.path, cluster, message: `${l.what} deploys Lighthouse in cluster "${cluster}"` }));
        report({ messageId: 'missingForward', data: { cluster, configMap, domain }, at, cluster, severity: 'warn', related });
      } else if (p.kind === 'forwardElsewhere') {
        const related = [{ ...p.clusterIP.source, cluster, message: `${SERVICE} spec.clusterIP in cluster "${cluster}"` }];
        report({ messageId: 'forwardElsewhere', data: { cluster, domain, targets: p.targets, line: p.line, clusterIP: p.clusterIP.value }, at, cluster, related });
      } else {
        report({ messageId: 'unknownPlugin', data: { cluster, configMap, plugin: p.plugin, line: p.line, where: p.where }, at, cluster });
      }
    }
  },
});
