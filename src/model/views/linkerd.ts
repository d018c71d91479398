/**
 * Linkerd multicluster service mirroring, as views of a ClusterSet: the Services labelled for
 * export or federation, whether the Links' selectors select them, the links between the clusters
 * of the set, and the mirror Services the service mirror would create, with the ones it cannot
 * (name too long, name taken). Pure functions of the set, computed when a rule asks (once per set
 * and rule run; no cache).
 *
 * Upstream behaviour mirrored (linkerd/linkerd2):
 * - `multicluster/service-mirror` (`cluster_watcher.go`): a mirror is named
 *   `<name>-<targetClusterName>` (`mirrorServiceName`) and labelled
 *   `mirror.linkerd.io/mirrored-service`; a federated service is `<name>-federated`. A Service is
 *   mirrored when the Link's `selector` (through the gateway, `isExported`) or
 *   `remoteDiscoverySelector` (`isRemoteDiscovery`) matches its labels (`createOrUpdateService`),
 *   and joins the federated service when `federatedServiceSelector` does
 *   (`isFederatedServiceMember`): Kubernetes label selectors (`metav1.LabelSelectorAsSelector`,
 *   `matchLabels` and `matchExpressions`).
 * - `multicluster/cmd/link.go` (`linkerd multicluster link --selector`,
 *   `--remote-discovery-selector`, `--federated-service-selector`): the defaults
 *   `mirror.linkerd.io/exported=true`, `mirror.linkerd.io/exported=remote-discovery` and
 *   `mirror.linkerd.io/federated=member`, used here for a Link that states no selector field and
 *   when the repository has no Link (`linkerd multicluster link --cluster-name <name>` sets
 *   `targetClusterName`). A selector the repository leaves unknown (placeholder, malformed, empty)
 *   makes the answer unknown: no finding.
 * - Kubernetes: Service names are DNS-1035 labels of at most 63 characters.
 */
import { isPlaceholder } from '../../base/placeholder.js';
import type { Place } from '../../base/types.js';
import { fieldPlace, namespacedName } from '../describe.js';
import { serviceKey } from '../index.js';
import type { ClusterModel, ClusterSetModel, Fact, LinkerdLabelSelector, LinkerdLinkFacts, LinkerdSelectorField, ServiceFacts, Source } from '../types.js';

/** The label Linkerd's default Link selectors read (`"true"`: gateway mode, `remote-discovery`: flat network). */
export const LINKERD_EXPORTED = 'mirror.linkerd.io/exported';
/** The default `federatedServiceSelector` label, and the value it matches. */
export const LINKERD_FEDERATED = 'mirror.linkerd.io/federated';
export const LINKERD_FEDERATED_VALUE = 'member';
/** Set by the service mirror on the Services it creates. */
export const LINKERD_MIRRORED = 'mirror.linkerd.io/mirrored-service';

/** `linkerd multicluster link`'s default selectors (`--selector`, `--remote-discovery-selector`, `--federated-service-selector`). */
export const LINKERD_DEFAULT_SELECTORS: Readonly<Record<LinkerdSelectorField, LinkerdLabelSelector>> = {
  selector: { matchLabels: { [LINKERD_EXPORTED]: 'true' }, matchExpressions: [] },
  remoteDiscoverySelector: { matchLabels: { [LINKERD_EXPORTED]: 'remote-discovery' }, matchExpressions: [] },
  federatedServiceSelector: { matchLabels: { [LINKERD_FEDERATED]: LINKERD_FEDERATED_VALUE }, matchExpressions: [] },
};
/** The selectors that mirror a Service for a Link: through the gateway, or in remote-discovery mode. */
export const LINKERD_EXPORT_FIELDS: readonly LinkerdSelectorField[] = ['selector', 'remoteDiscoverySelector'];
const FEDERATED_FIELDS: readonly LinkerdSelectorField[] = ['federatedServiceSelector'];

/** True, false, or undefined when unknown (a selector or label left to apply time). */
type Maybe = boolean | undefined;

/** Any of `xs` true: true; else undefined when any is unknown; else false. */
export function anyOf(xs: Iterable<Maybe>): Maybe {
  let unknown = false;
  for (const x of xs) {
    if (x === true) return true;
    if (x === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

/**
 * Kubernetes `labels.Selector.Matches`: every `matchLabels` pair, `In` (label set to one of the
 * values), `NotIn` (unset or none of them), `Exists`, `DoesNotExist`. Undefined when a label the
 * selector reads holds a placeholder and nothing else rules the Service out.
 */
export function selectorMatches(selector: LinkerdLabelSelector, labels: Readonly<Record<string, string>>): Maybe {
  let unknown = false;
  const holds = (key: string, test: (v: string | undefined) => boolean): boolean => {
    const v = Object.hasOwn(labels, key) ? labels[key] : undefined;
    if (v !== undefined && isPlaceholder(v)) {
      unknown = true;
      return true;
    }
    return test(v);
  };
  for (const key of Object.keys(selector.matchLabels)) if (!holds(key, (v) => v === selector.matchLabels[key])) return false;
  for (const e of selector.matchExpressions) {
    const ok = holds(e.key, (v) => {
      switch (e.operator) {
        case 'In':
          return v !== undefined && e.values.includes(v);
        case 'NotIn':
          return v === undefined || !e.values.includes(v);
        case 'Exists':
          return v !== undefined;
        case 'DoesNotExist':
          return v === undefined;
      }
    });
    if (!ok) return false;
  }
  return unknown ? undefined : true;
}

/**
 * Whether `link` selects a Service with `labels` through any of `fields`: its stated selectors,
 * Linkerd's defaults for the fields it does not state (`link` undefined: no Link, the defaults);
 * undefined when it cannot be known (a selector in `unknownSelectors`, a placeholder label).
 */
export function linkSelects(link: LinkerdLinkFacts | undefined, fields: readonly LinkerdSelectorField[], labels: Readonly<Record<string, string>>): Maybe {
  return anyOf(fields.map((f) => (link?.unknownSelectors?.includes(f) ? undefined : selectorMatches(link?.selectors?.[f]?.value ?? LINKERD_DEFAULT_SELECTORS[f], labels))));
}

/** A selector in `kubectl`'s syntax (what `linkerd multicluster link --selector` takes): `a=b,c in (d,e),f,!g`. */
export function labelSelectorText(s: LinkerdLabelSelector): string {
  const expressions = s.matchExpressions.map((e) =>
    e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator.toLowerCase()} (${e.values.join(',')})`,
  );
  return [...Object.keys(s.matchLabels).map((k) => `${k}=${s.matchLabels[k]}`), ...expressions].join(',');
}

/**
 * The selectors `link` uses for `fields`, for messages: `selectors a=b, c=d (default)` (a field the
 * Link does not state marked as the default), or `default selectors …` when it states none of
 * them (or `link` is undefined).
 */
export function linkSelectorsText(link: LinkerdLinkFacts | undefined, fields: readonly LinkerdSelectorField[]): string {
  const stated = fields.some((f) => link?.selectors?.[f] !== undefined);
  const texts = fields.map((f) => {
    const fact = link?.selectors?.[f];
    return `${labelSelectorText(fact?.value ?? LINKERD_DEFAULT_SELECTORS[f])}${stated && !fact ? ' (default)' : ''}`;
  });
  return `${stated ? '' : 'default '}${fields.length > 1 ? 'selectors' : 'selector'} ${texts.join(', ')}`;
}

/** `Link "<namespace>/<name>" in cluster "<cluster>"`. */
export const linkLabel = (link: LinkerdLinkFacts): string => `Link "${namespacedName(link.object.namespace, link.object.name ?? '')}" in cluster "${link.cluster}"`;
/** Kubernetes' limit on Service names (DNS-1035 label), in characters. */
export const MAX_SERVICE_NAME = 63;

/** A Service with a Linkerd export or federation label, and the label's value and place. */
export interface LinkerdLabelled {
  readonly cluster: ClusterModel;
  readonly service: ServiceFacts;
  /** `exported` for `mirror.linkerd.io/exported`, `federated` for `mirror.linkerd.io/federated`. */
  readonly mode: 'exported' | 'federated';
  readonly label: string;
  readonly value: string;
  readonly at: Place;
  /**
   * Whether a selector matches the Service (it is mirrored, or joins the federated service): the
   * selectors of the Links to its cluster (`links`; Linkerd's defaults when none), and for
   * federation the default too (the local cluster's own service mirror); undefined when unknown.
   */
  readonly matched: boolean | undefined;
  /** The Links to the Service's cluster whose selectors were evaluated (empty: the defaults). */
  readonly links: readonly LinkerdLinkFacts[];
  /**
   * When `matched` is false: the selectors evaluated, for messages (`selectors … of Link "ns/name"
   * in cluster "west"`), and the facts of the ones the Links state (empty: only defaults).
   */
  readonly unmatched?: { readonly text: string; readonly stated: readonly Fact<LinkerdLabelSelector>[] };
}

/** A link from a source cluster (which mirrors) to a target cluster (which exports), from a Link object or assumed. */
export interface LinkerdLink {
  readonly source: ClusterModel;
  readonly target: ClusterModel;
  /** The suffix mirrors get. */
  readonly targetClusterName: string;
  /** The Link's `targetClusterName`, when a Link object states it. */
  readonly at?: Source;
  /** The Link object (its selectors decide what is mirrored); undefined when assumed. */
  readonly facts?: LinkerdLinkFacts;
}

/**
 * A mirror (or federated) Service the service mirror cannot create: its name is over 63
 * characters (`tooLong`), or a Service it did not create already has it (`exists`).
 */
export interface LinkerdMirrorProblem {
  readonly problem: 'tooLong' | 'exists';
  /** The exported (or federated) Service, with its label. */
  readonly exported: LinkerdLabelled;
  /** The mirror's name (`<name>-<targetClusterName>` or `<name>-federated`). */
  readonly mirror: string;
  /** The link the mirror comes through (`exported` mode only). */
  readonly link?: LinkerdLink;
  /** Whether the links are assumed (the repository has no Link). */
  readonly assumed: boolean;
  /** The Service that already has the name (`exists`). */
  readonly existing?: ServiceFacts;
}

/**
 * Every Service with an export or federation label, clusters in set order, then
 * `servicesByName` order, the export label before the federation label of one Service.
 */
const LABEL_MODES = [
  ['exported', LINKERD_EXPORTED],
  ['federated', LINKERD_FEDERATED],
] as const;

export function linkerdLabelled(set: ClusterSetModel): LinkerdLabelled[] {
  const out: LinkerdLabelled[] = [];
  const linksTo = new Map<string, LinkerdLinkFacts[]>();
  for (const c of set.clusters) {
    for (const l of c.linkerdLinks) if (l.targetClusterName.value !== c.name) linksTo.set(l.targetClusterName.value, [...(linksTo.get(l.targetClusterName.value) ?? []), l]);
  }
  for (const cluster of set.clusters) {
    const links = linksTo.get(cluster.name) ?? [];
    for (const list of cluster.servicesByName.values()) {
      for (const service of list) {
        // Most Services of a large repository carry no label at all.
        let labelled = false;
        for (const _ in service.labels) {
          labelled = true;
          break;
        }
        if (!labelled) continue;
        for (const [mode, label] of LABEL_MODES) {
          const value = service.labels[label];
          if (value === undefined) continue;
          const matched = selected(mode, links, service.labels);
          const unmatched = matched === false ? unmatchedSelectors(mode, links) : undefined;
          out.push({ cluster, service, mode, label, value, at: fieldPlace(service.object, 'metadata', 'labels', label), matched, links, ...(unmatched && { unmatched }) });
        }
      }
    }
  }
  return out;
}

/** Whether the selectors of `links` (the defaults without any) select the labels for `mode` (see `LinkerdLabelled.matched`). */
function selected(mode: LinkerdLabelled['mode'], links: readonly LinkerdLinkFacts[], labels: Readonly<Record<string, string>>): Maybe {
  if (mode === 'federated') return anyOf([linkSelects(undefined, FEDERATED_FIELDS, labels), ...links.map((l) => linkSelects(l, FEDERATED_FIELDS, labels))]);
  return links.length === 0 ? linkSelects(undefined, LINKERD_EXPORT_FIELDS, labels) : anyOf(links.map((l) => linkSelects(l, LINKERD_EXPORT_FIELDS, labels)));
}

/** The selectors that did not select a Service, for messages (see `LinkerdLabelled.unmatched`). */
function unmatchedSelectors(mode: LinkerdLabelled['mode'], links: readonly LinkerdLinkFacts[]): NonNullable<LinkerdLabelled['unmatched']> {
  const fields = mode === 'federated' ? FEDERATED_FIELDS : LINKERD_EXPORT_FIELDS;
  const stated = links.flatMap((l) => fields.flatMap((f) => l.selectors?.[f] ?? []));
  if (mode === 'federated') {
    const withSelector = links.filter((l) => l.selectors?.federatedServiceSelector);
    const text = [linkSelectorsText(undefined, fields), ...withSelector.map((l) => `${linkSelectorsText(l, fields)} of ${linkLabel(l)}`)].join(' and ');
    return { text, stated };
  }
  const text = links.length === 0 ? linkSelectorsText(undefined, fields) : links.map((l) => `${linkSelectorsText(l, fields)} of ${linkLabel(l)}`).join(' and ');
  return { text, stated };
}

/**
 * The links of the set: every Link whose `targetClusterName` names another cluster of the set;
 * with no Link in the repository, every ordered pair of clusters, named after the target cluster
 * (`linkerd multicluster link --cluster-name <cluster>`), and `assumed` true.
 */
export function linkerdLinks(set: ClusterSetModel): { links: LinkerdLink[]; assumed: boolean } {
  const declared = set.clusters.flatMap((c) => c.linkerdLinks);
  if (declared.length > 0) {
    const links = declared.flatMap((l): LinkerdLink[] => {
      const target = set.clusterByName.get(l.targetClusterName.value);
      const source = set.clusterByName.get(l.cluster);
      return target && source && target !== source ? [{ source, target, targetClusterName: l.targetClusterName.value, at: l.targetClusterName.source, facts: l }] : [];
    });
    return { links, assumed: false };
  }
  const links = set.clusters.flatMap((source) => set.clusters.filter((t) => t !== source).map((target) => ({ source, target, targetClusterName: target.name })));
  return { links, assumed: true };
}

/** The Service of `namespace/name` in `cluster` that the service mirror did not create, if any (an unknown namespace matches any). */
export function existingService(cluster: ClusterModel, namespace: string | undefined, name: string): ServiceFacts | undefined {
  return (cluster.servicesByName.get(name) ?? []).find(
    (s) => (s.namespace === namespace || s.namespace === undefined || namespace === undefined) && s.labels[LINKERD_MIRRORED] === undefined,
  );
}

/**
 * The mirrors of the matched `labelled` Services that cannot be created, in `labelled` order, then
 * link order (a Link whose selectors do not select the Service mirrors nothing of it). Each mirror (source cluster, Service, mirror name) and each federated service is
 * considered once; none when the set has one cluster.
 */
export function linkerdMirrorProblems(set: ClusterSetModel, labelled: readonly LinkerdLabelled[]): LinkerdMirrorProblem[] {
  const matched = labelled.filter((l) => l.matched);
  if (matched.length === 0 || set.clusters.length < 2) return [];
  const { links, assumed } = linkerdLinks(set);
  const byTarget = new Map<string, LinkerdLink[]>();
  for (const l of links) byTarget.set(l.target.name, [...(byTarget.get(l.target.name) ?? []), l]);
  const out: LinkerdMirrorProblem[] = [];
  const seen = new Set<string>();
  for (const exported of matched) {
    const s = exported.service;
    const key = serviceKey(s.namespace, s.name);
    if (exported.mode === 'federated') {
      const mirror = `${s.name}-federated`;
      if (seen.has(`federated|${key}`)) continue;
      seen.add(`federated|${key}`);
      const existing = mirror.length > MAX_SERVICE_NAME ? undefined : set.clusters.map((c) => existingService(c, s.namespace, mirror)).find((x) => x !== undefined);
      if (mirror.length > MAX_SERVICE_NAME) out.push({ problem: 'tooLong', exported, mirror, assumed });
      else if (existing) out.push({ problem: 'exists', exported, mirror, assumed, existing });
      continue;
    }
    for (const link of byTarget.get(exported.cluster.name) ?? []) {
      // A Link mirrors only what its own selectors select (another Link to the cluster may select more).
      if (linkSelects(link.facts, LINKERD_EXPORT_FIELDS, s.labels) !== true) continue;
      const mirror = `${s.name}-${link.targetClusterName}`;
      const once = `${link.source.name}|${key}|${mirror}`;
      if (seen.has(once)) continue;
      seen.add(once);
      const existing = mirror.length > MAX_SERVICE_NAME ? undefined : existingService(link.source, s.namespace, mirror);
      if (mirror.length > MAX_SERVICE_NAME) out.push({ problem: 'tooLong', exported, mirror, link, assumed });
      else if (existing) out.push({ problem: 'exists', exported, mirror, link, assumed, existing });
    }
  }
  return out;
}
