import { defineRule, spireFederationProblems, type RelatedPlace, type SpireFederationProblem } from './kit.js';

/** The related places of a problem: the server's own trust domain (`self`). */
function related(p: SpireFederationProblem): RelatedPlace[] {
  return p.kind === 'self' ? p.trustDomains.map((t) => ({ ...t.source, message: `trust domain of cluster "${p.cluster.name}"` })) : [];
}

/**
 * `spire-federation`: SPIRE federation across the clusters of a set. Each SPIRE server's trust
 * domain (`server.conf` `trust_domain` in JSON form, the spire chart's `global.spire.trustDomain`)
 * and the trust domains it federates with (`federates_with`, the chart's
 * `clusterFederatedTrustDomains`, `ClusterFederatedTrustDomain` objects): federating with its
 * own trust domain, a federation without a bundle endpoint URL, and (warning, when two or more
 * SPIRE servers are in the set and every SPIRE server's trust domain is known: an HCL
 * `server.conf`, which SPIRE reads with HCL v1 and mclint does not, or a placeholder leaves it
 * unknown) a federated trust domain none of them declares. Facts:
 * `src/model/sources/trust.ts`; checks: `src/model/views/trust.ts` (`spireFederationProblems`).
 *
 * Upstream: spiffe/spiffe `standards/SPIFFE_Federation.md` (federation relates distinct trust
 * domains through bundle endpoints); spiffe/spire `doc/spire_server.md` (`federation.federates_with`
 * with `bundle_endpoint_url` and `bundle_endpoint_profile`); spiffe/spire-controller-manager
 * `docs/clusterfederatedtrustdomain-crd.md` (`trustDomain`, `bundleEndpointURL`,
 * `bundleEndpointProfile` required); spiffe/spire `cmd/spire-server/cli/run/run.go` (`server.conf`
 * parsed with `github.com/hashicorp/hcl`, v1).
 */
export default defineRule({
  meta: {
    id: 'spire-federation',
    description: 'SPIRE federation: federated trust domains are other trust domains of the set, with a bundle endpoint',
    severity: 'error',
    docs: 'docs/rules/spire-federation.md',
    messages: {
      selfFederation: {
        text: 'The SPIRE server of cluster "{{cluster}}" federates with {{trustDomain}}, its own trust domain.',
        hint: "SPIFFE federation relates different trust domains, so an entry naming the server's own trust domain federates nothing; if another cluster really uses the same name, the two servers are two authorities for one trust domain and reject each other's SVIDs. Give each federated cluster its own trust domain and name the other one.",
      },
      noBundleEndpoint: {
        text: 'The federation with {{trustDomain}} in cluster "{{cluster}}" has no bundle endpoint URL.',
        hint: "SPIRE fetches and refreshes the federated trust domain's bundle from bundle_endpoint_url (ClusterFederatedTrustDomain spec.bundleEndpointURL, required); without it the federation is rejected and workloads of that trust domain are not trusted. Set the URL of the other SPIRE server's bundle endpoint.",
      },
      unknownTrustDomain: {
        text: 'Cluster "{{cluster}}" federates with {{trustDomain}}, which no SPIRE server of the set declares ({{declared}}).',
        hint: "Federation only works with the trust domain the remote server really has; a name that differs from it (a typo, an old name) leaves that cluster's workloads untrusted. Use the trust domain of the server you federate with, or ignore this when it is outside the repository.",
      },
    },
  },
  check({ set, report }) {
    for (const p of spireFederationProblems(set)) {
      const cluster = p.cluster.name;
      const at = p.federation.trustDomain.source;
      const trustDomain = JSON.stringify(p.federation.trustDomain.value);
      if (p.kind === 'self') report({ messageId: 'selfFederation', data: { cluster, trustDomain }, at, cluster, related: related(p) });
      else if (p.kind === 'noBundleEndpoint') report({ messageId: 'noBundleEndpoint', data: { cluster, trustDomain }, at, cluster });
      else {
        const declared = [...new Set(p.trustDomains.map((t) => JSON.stringify(t.value)))].join(', ');
        report({ messageId: 'unknownTrustDomain', data: { cluster, trustDomain, declared }, at, cluster, severity: 'warn' });
      }
    }
  },
});
