import {
  defineRule,
  linkerdLabelled,
  linkerdMirrorProblems,
  namespacedName,
  serviceNamePlace,
  MAX_SERVICE_NAME,
  type LinkerdMirrorProblem,
  type MessageData,
  type RelatedPlace,
  type ServiceFacts,
} from './kit.js';

const label = (s: ServiceFacts) => `Service "${namespacedName(s.namespace, s.name)}"`;
const TOO_LONG = `Service names are limited to ${MAX_SERVICE_NAME} characters, so the service mirror cannot create it and "{{source}}" never sees the Service. Shorten the Service name or the link's cluster name.`;
const EXISTS = 'The service mirror cannot create the mirror (or takes over the existing Service). Rename one of them.';
const LINK = 'The Link in cluster "{{source}}" has targetClusterName {{targetClusterName}}. ';
const ASSUMED = 'The repository has no Link, so mclint assumes "{{source}}" links to it with --cluster-name {{targetClusterName}}. ';

/** The message id and data of a mirror that cannot be created. */
function wording(p: LinkerdMirrorProblem): { messageId: string; data: MessageData } {
  const s = p.exported.service;
  const base = { service: label(s), cluster: p.exported.cluster.name, length: p.mirror.length };
  const existing = p.existing?.cluster ?? '';
  if (!p.link)
    return p.problem === 'tooLong'
      ? { messageId: 'federatedTooLong', data: { ...base, mirror: p.mirror } }
      : { messageId: 'federatedExists', data: { ...base, mirror: namespacedName(s.namespace, p.mirror), existing } };
  const data = { ...base, source: p.link.source.name, targetClusterName: p.link.targetClusterName };
  const id = `${p.problem === 'tooLong' ? 'mirrorTooLong' : 'mirrorExists'}${p.assumed ? 'Assumed' : ''}`;
  return { messageId: id, data: { ...data, mirror: p.problem === 'tooLong' ? p.mirror : namespacedName(s.namespace, p.mirror) } };
}

/**
 * `linkerd-mirror`: Linkerd multicluster service mirroring. Export and federation label values
 * that no selector of the Links to the Service's cluster matches (Linkerd's default selectors when
 * no Link states one; nothing when a selector is left to apply time); mirror Service names
 * (`<svc>-<targetClusterName>`, federated `<svc>-federated`) over 63 characters or colliding with
 * a Service that already exists in the source cluster. The labelled Services, the selectors,
 * links and mirrors are views (`src/model/views/linkerd.ts`).
 *
 * Upstream: linkerd/linkerd2 `multicluster/service-mirror/cluster_watcher.go` (mirror names
 * `mirrorServiceName` `<name>-<targetClusterName>`, label `mirror.linkerd.io/mirrored-service`;
 * `isExported`, `isRemoteDiscovery` and `isFederatedServiceMember` match the Link's `selector`,
 * `remoteDiscoverySelector` and `federatedServiceSelector` against the Service's labels),
 * `multicluster/cmd/link.go` (the defaults of `--selector` `mirror.linkerd.io/exported=true`,
 * `--remote-discovery-selector` `mirror.linkerd.io/exported=remote-discovery`,
 * `--federated-service-selector` `mirror.linkerd.io/federated=member`), and the Kubernetes limit of
 * 63 characters for Service names (DNS-1035 labels).
 */
export default defineRule({
  meta: {
    id: 'linkerd-mirror',
    description: 'Linkerd multicluster: export label values, and mirror Service names that fit and do not collide',
    severity: 'error',
    docs: 'docs/rules/linkerd-mirror.md',
    messages: {
      exportedValue: {
        text: '{{service}} in cluster "{{cluster}}" has {{label}}: {{value}}, which no default Link selector matches.',
        hint: 'The default Link selectors match only "true" (mirrored through the gateway) and "remote-discovery" (flat network), so the Service is never mirrored. Use one of those values.',
      },
      exportedValueLink: {
        text: '{{service}} in cluster "{{cluster}}" has {{label}}: {{value}}, which no Link to "{{cluster}}" selects ({{selector}}).',
        hint: "A Link's service mirror mirrors only the Services its selector (through the gateway) or remoteDiscoverySelector (flat network) matches, so the Service is never mirrored. Label it to match one of them, or change the Link (linkerd multicluster link --selector).",
      },
      federatedValue: {
        text: '{{service}} in cluster "{{cluster}}" has {{label}}: {{value}}, which the default federatedServiceSelector does not match.',
        hint: 'The default federatedServiceSelector matches only "member", so the Service never joins the federated service. Use "member".',
      },
      federatedValueLink: {
        text: '{{service}} in cluster "{{cluster}}" has {{label}}: {{value}}, which no federatedServiceSelector matches ({{selector}}).',
        hint: 'Neither the default federatedServiceSelector nor those of the Links to the cluster match the label, so the Service never joins the federated service. Label it to match one of them.',
      },
      mirrorTooLong: { text: '{{service}} in cluster "{{cluster}}" is mirrored into cluster "{{source}}" as "{{mirror}}", which is {{length}} characters.', hint: LINK + TOO_LONG },
      mirrorTooLongAssumed: {
        text: '{{service}} in cluster "{{cluster}}" is mirrored into cluster "{{source}}" as "{{mirror}}", which is {{length}} characters.',
        hint: ASSUMED + TOO_LONG,
      },
      mirrorExists: {
        text: '{{service}} in cluster "{{cluster}}" is mirrored into cluster "{{source}}" as "{{mirror}}", but "{{source}}" already has a Service of that name.',
        hint: LINK + EXISTS,
      },
      mirrorExistsAssumed: {
        text: '{{service}} in cluster "{{cluster}}" is mirrored into cluster "{{source}}" as "{{mirror}}", but "{{source}}" already has a Service of that name.',
        hint: ASSUMED + EXISTS,
      },
      federatedTooLong: {
        text: '{{service}} in cluster "{{cluster}}" joins the federated service "{{mirror}}", which is {{length}} characters.',
        hint: `Service names are limited to ${MAX_SERVICE_NAME} characters, so the federated service cannot be created. Shorten the Service name.`,
      },
      federatedExists: {
        text: '{{service}} in cluster "{{cluster}}" joins the federated service "{{mirror}}", but cluster "{{existing}}" already has a Service of that name.',
        hint: 'The service mirror cannot create the federated service there. Rename one of them.',
      },
    },
  },
  check({ set, report }) {
    const labelled = linkerdLabelled(set);
    for (const l of labelled) {
      if (l.matched !== false) continue;
      const data = { service: label(l.service), cluster: l.cluster.name, label: l.label, value: JSON.stringify(l.value) };
      const stated = l.unmatched?.stated ?? [];
      const messageId = `${l.mode === 'exported' ? 'exportedValue' : 'federatedValue'}${stated.length > 0 ? 'Link' : ''}`;
      // The Link selectors that leave the Service out: the first is the other side (a changed Link).
      const related: RelatedPlace[] = stated.map((f, i) => ({
        ...f.source,
        ...(i === 0 && { otherSide: true as const }),
        message: `${f.source.origin} in cluster "${f.source.cluster}"`,
      }));
      const mirror = stated.length > 0 ? { mirror: { relatedMessage: `labelled Service in cluster "${l.cluster.name}"` } } : {};
      report({ messageId, data: { ...data, ...(stated.length > 0 && { selector: l.unmatched!.text }) }, at: l.at, cluster: l.cluster.name, related, ...mirror });
    }
    for (const p of linkerdMirrorProblems(set, labelled)) {
      const related: RelatedPlace[] = p.link?.at ? [{ ...p.link.at, message: `Link targetClusterName in cluster "${p.link.source.name}"` }] : [];
      if (p.existing) {
        related.push({ ...serviceNamePlace(p.existing), cluster: p.existing.cluster, otherSide: true, message: `existing Service in cluster "${p.existing.cluster}"` });
      }
      // The texts name both clusters: they read the same at the existing Service.
      const mirror = p.existing ? { mirror: { relatedMessage: `exported Service in cluster "${p.exported.cluster.name}"` } } : {};
      report({ ...wording(p), at: p.exported.at, cluster: p.exported.cluster.name, related, ...mirror });
    }
  },
});
