import { defineRule, istioConflicts, namespacedName, type ServiceEntryConflict } from './kit.js';

type Entry = ServiceEntryConflict['entries'][number];
const label = (e: Pick<Entry, 'entry'>) => `ServiceEntry "${namespacedName(e.entry.namespace, e.entry.name)}"`;
const where = (e: Entry) => `${label(e)} (${e.port.protocol?.value ?? ''}) in cluster "${e.cluster.name}"`;

/**
 * `istio-serviceentry-conflict`: ServiceEntries visible in the same namespace that give one host
 * and port different protocols (istioctl IST0177 ConflictingServiceEntryProtocol), within one
 * cluster and across the clusters of one Istio mesh (grouped by `meshID`). Reported once per
 * ServiceEntry at its port's `protocol`, with the other entries' protocols as related places.
 * The index is the model's view (`src/model/views/istio-conflicts.ts`).
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/serviceentry/conflictingprotocol.go`
 * (`ConflictingServiceEntryProtocolAnalyzer`: exportTo scope + host + port, protocols compared
 * upper-cased), message IST0177 "Multiple ServiceEntries (…) define the same host … and port …
 * with conflicting protocols (…)" (istio.io docs/reference/config/analysis/ist0177). Across
 * clusters istioctl cannot see the conflict: each primary's istiod reads its own cluster's
 * ServiceEntries, so clients in different clusters use different protocols for one host.
 */
export default defineRule({
  meta: {
    id: 'istio-serviceentry-conflict',
    description: 'Istio ServiceEntries visible together in a mesh that give one host and port different protocols (IST0177)',
    severity: 'warn',
    docs: 'docs/rules/istio-serviceentry-conflict.md',
    messages: {
      conflict: {
        text: '{{entries}} define host "{{host}}" port {{port}} with conflicting protocols ({{protocols}}).',
        hint: 'Istio can use one protocol per host and port, so traffic to "{{host}}":{{port}} may be proxied with a protocol you do not expect (istioctl IST0177). Use the same protocol for the port in every ServiceEntry, or declare the host in one ServiceEntry.',
      },
      conflictAcrossClusters: {
        text: '{{entries}} define host "{{host}}" port {{port}} with conflicting protocols ({{protocols}}).',
        hint: 'Each cluster\'s istiod programs its own ServiceEntry, so clients in different clusters of the mesh proxy "{{host}}":{{port}} with different protocols. Use the same protocol for the port in every cluster.',
      },
    },
  },
  check({ set, report }) {
    for (const c of istioConflicts(set).serviceEntries) {
      const at = c.port.protocol?.source ?? c.port.source;
      report({
        messageId: c.sameCluster ? 'conflict' : 'conflictAcrossClusters',
        data: { entries: c.entries.map(where).join(', '), host: c.host, port: c.port.number, protocols: c.protocols.join(', '), cluster: c.cluster.name },
        at,
        cluster: c.cluster.name,
        related: c.entries
          .filter((e) => e.entry !== c.entry)
          .map((e) => ({
            ...(e.port.protocol?.source ?? e.port.source),
            cluster: e.cluster.name,
            message: `${label(e)} protocol ${e.port.protocol?.value ?? ''} in cluster "${e.cluster.name}"`,
          })),
      });
    }
  },
});
