/**
 * The report-data view: what the HTML report draws besides the findings — each ClusterSet's
 * clusters, their address ranges per IP family (pod, service, Node pod ranges, GlobalNet,
 * Cilium native routing) with the overlaps that matter, the GlobalNet plan (free space, the next
 * allocations), the MCS export matrix (services × clusters) and the Istio meshes with the ways
 * the clusters are connected. A function of the run's model into plain, serialisable data
 * (strings, numbers, arrays: `JSON.stringify` works on it; bigints are decimal strings), so the
 * report layer never holds the model and nothing here outlives the run.
 *
 * Upstream behaviour is the one the views mirror (cited there): overlaps are `rangeOverlaps`
 * (Submariner `pkg/cidr`, Cilium Cluster Mesh, flat pod networks) plus GlobalNet's
 * `CheckForOverlappingCIDRs`; the next GlobalNet allocation is subctl join's first-fit allocator
 * (`allocateGlobalCIDR`, submariner-operator `pkg/cidr` `Allocate`); export states are the MCS
 * controllers' (KEP-1645, `exportRejection`, `exportConflicts`, `mergePorts`); east-west gateways
 * are Istio's port 15443 `AUTO_PASSTHROUGH` Gateways (istio `samples/multicluster/expose-services.yaml`).
 */
import type { Place, Span } from '../../base/types.js';
import type { Cidr } from '../../base/cidr.js';
import type { CertificateInfo } from '../../base/x509.js';
import { locatePlaces } from '../../load/locate.js';
import { inCiliumMesh, joinedSubmariner, linkBetween } from '../connectivity.js';
import { allocateGlobalCIDR, globalnetPlan } from '../globalnet.js';
import { DEFAULT_TRUST_DOMAIN, istioClusterName, istioView } from '../istio.js';
import { mcsImplementationOf } from '../index.js';
import { exportRejection, mergePorts, multiClusterServices } from '../mcs.js';
import type { ClusterModel, ClusterSetModel, Fact, RunModel } from '../types.js';
import { EAST_WEST_PORT, exposesEastWest } from './istio-mesh.js';
import { exportConflicts, exportedServiceFinder, importMismatches, ipFamilyConflicts } from './mcs-exports.js';
import { rangeOverlaps, type RangeRole } from './networks.js';

/** A place in a file, 1-based line and column (`line` 1, `column` 1 for a whole file). */
export interface ReportPlace {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** What a range is for: pod network, Service range, one Node's pod range, GlobalNet, Cilium native routing. */
export type ReportRangeKind = 'pod' | 'service' | 'node' | 'global' | 'native-routing';

/**
 * One address range of one cluster. `start`/`end`: first and last address of the masked network
 * as decimal integers (ipaddr.js bytes, see `base/cidr.ts`); `cidr` as written; `origin` the
 * setting read (`Submariner spec.clusterCIDR`); `isDefault` a tool's default, not written;
 * `also`: further sources of the same range (same cluster, kind and network).
 */
export interface ReportRange {
  readonly id: number;
  readonly cluster: string;
  readonly kind: ReportRangeKind;
  readonly family: 4 | 6;
  readonly cidr: string;
  readonly network: string;
  readonly start: string;
  readonly end: string;
  readonly isDefault: boolean;
  readonly origin: string;
  readonly at: ReportPlace;
  readonly also: ReportPlace[];
}

/** Two ranges (ids of `ReportSet.ranges`) that overlap where it matters; `kind` as `RangeOverlap`, or `globalnet`. */
export interface ReportOverlap {
  readonly kind: string;
  readonly a: number;
  readonly b: number;
}

/** A GlobalNet allocation subctl join would make: to a cluster that joined without a globalCIDR, or to the next new cluster (`cluster` undefined). */
export interface ReportAllocation {
  readonly cluster?: string;
  readonly cidr?: string;
  readonly start?: string;
  readonly end?: string;
  /** Submariner's refusal (`no more allocations available in …`). */
  readonly error?: string;
}

/** The set's GlobalNet plan: the Broker's range, the block per cluster, the free space and the allocations to come. */
export interface ReportGlobalnet {
  readonly enabled: boolean;
  readonly range?: { readonly cidr: string; readonly start: string; readonly end: string; readonly isDefault: boolean; readonly at: ReportPlace };
  /** Addresses each cluster gets (the Broker's cluster size, rounded up to a power of two). */
  readonly clusterSize?: number;
  /** Free intervals of the range (decimal start/end) and the number of free addresses. */
  readonly free: readonly { readonly start: string; readonly end: string }[];
  readonly freeAddresses: string;
  readonly allocations: readonly ReportAllocation[];
}

/** A cell of the export matrix: what one cluster does with one service. */
export type ReportCellState = 'exported' | 'imported' | 'conflict' | 'dangling' | 'rejected';

/**
 * One cluster's part in one service. `detail`: why (conflict reasons, rejection reason, import
 * mismatch); `files`: the ServiceExport, Service and ServiceImport files (findings in them link
 * to the cell); `at`: the offending field of a conflict or a dangling import.
 */
export interface ReportCell {
  readonly cluster: string;
  state: ReportCellState;
  readonly details: string[];
  readonly files: string[];
  at?: ReportPlace;
}

/** One `namespace/name` of the export matrix; `namespace` undefined when left to apply time. */
export interface ReportService {
  readonly key: string;
  readonly namespace?: string;
  readonly name: string;
  readonly cells: ReportCell[];
}

/**
 * What the set knows of a cluster. `istio`: its Istio cluster name, trust domain (default
 * `cluster.local`, `trustDomainIsDefault`), east-west gateway (`exposed`: a Gateway on 15443 with
 * AUTO_PASSTHROUGH; `deployed`: only the gateway's port), and `role` (`primary`/`remote`, from its
 * control-plane install) when known. `remoteSecrets`: the Istio remote secrets it holds, as
 * `secret → cluster ID` (the clusters its istiod watches); `trustRoots`: Istio `cacerts` roots,
 * Cilium Cluster Mesh CAs, Linkerd trust anchors (subject and fingerprint start) and SPIRE trust
 * domains. New facts join these lists without changing the renderer's inputs.
 */
export interface ReportCluster {
  readonly name: string;
  readonly root?: string;
  readonly networks: readonly string[];
  readonly submariner: boolean;
  readonly ciliumClusterID?: number;
  readonly istio?: {
    readonly clusterName: string;
    readonly trustDomain: string;
    readonly trustDomainIsDefault: boolean;
    readonly eastWest?: 'exposed' | 'deployed';
    readonly role?: 'primary' | 'remote';
  };
  readonly remoteSecrets: readonly string[];
  readonly trustRoots: readonly string[];
}

/** An Istio mesh (by `meshID`, undefined: not declared) and its clusters by network (undefined: none declared). */
export interface ReportMesh {
  readonly meshID?: string;
  readonly networks: readonly { readonly name?: string; readonly clusters: readonly string[] }[];
}

/**
 * Clusters connected one way: `submariner` (joined a Broker; `globalnet` when it translates),
 * `cilium` (Cluster Mesh), `gateway` (Istio networks joined by east-west gateways), `linkerd`
 * (a Link from the first cluster to the second). `label` says it in words.
 */
export interface ReportConnection {
  readonly kind: 'submariner' | 'cilium' | 'gateway' | 'linkerd';
  readonly globalnet: boolean;
  readonly clusters: readonly string[];
  readonly label: string;
}

/** One ClusterSet's report data. */
export interface ReportSet {
  readonly name: string;
  readonly clusters: readonly ReportCluster[];
  readonly ranges: readonly ReportRange[];
  readonly overlaps: readonly ReportOverlap[];
  readonly globalnet?: ReportGlobalnet;
  readonly services: readonly ReportService[];
  readonly meshes: readonly ReportMesh[];
  readonly connections: readonly ReportConnection[];
}

/** The report data of a run: one entry per ClusterSet, in the model's order. */
export interface ReportData {
  readonly sets: ReportSet[];
}

/** Collects places to locate in one pass (`locatePlaces`), filling each `ReportPlace` afterwards. */
class Locator {
  private readonly pending: [Place, { file: string; line: number; column: number }][] = [];
  /** A place to be located: line 1 column 1 until `resolve` runs. */
  place(p: Place): ReportPlace {
    const out = { file: p.file, line: 1, column: 1 };
    this.pending.push([p, out]);
    return out;
  }
  async resolve(): Promise<void> {
    const spans: Map<Place, Span> = await locatePlaces(this.pending.map(([p]) => p));
    for (const [p, out] of this.pending) {
      const s = spans.get(p);
      if (s) [out.line, out.column] = [s.line, s.column];
    }
  }
}

const ROLE_KIND: Record<Exclude<RangeRole, 'address'>, ReportRangeKind> = { pod: 'pod', service: 'service', node: 'node' };

/** The set's ranges, one per (cluster, kind, network), and a lookup from each fact to its range id. */
function collectRanges(set: ClusterSetModel, loc: Locator): { ranges: ReportRange[]; idOf: Map<Fact<Cidr>, number> } {
  const ranges: ReportRange[] = [];
  const idOf = new Map<Fact<Cidr>, number>();
  const add = (cluster: ClusterModel, kind: ReportRangeKind, facts: readonly Fact<Cidr>[]) => {
    const byNetwork = new Map<string, ReportRange>();
    for (const fact of facts) {
      // Node ranges are told apart by object (two Nodes with one range are two bars).
      const key = kind === 'node' ? `${fact.value.network} ${fact.source.file} ${fact.source.doc}` : fact.value.network;
      const seen = byNetwork.get(key);
      if (seen) {
        seen.also.push(loc.place(fact.source));
        idOf.set(fact, seen.id);
        continue;
      }
      const c = fact.value;
      const range: ReportRange = {
        id: ranges.length,
        cluster: cluster.name,
        kind,
        family: c.family,
        cidr: c.text,
        network: c.network,
        start: c.start.toString(),
        end: c.end.toString(),
        isDefault: fact.isDefault === true,
        origin: fact.source.origin,
        at: loc.place(fact.source),
        also: [],
      };
      byNetwork.set(key, range);
      ranges.push(range);
      idOf.set(fact, range.id);
    }
  };
  for (const cluster of set.clusters) {
    const n = cluster.network;
    add(cluster, ROLE_KIND.pod, n.podCIDRs);
    add(cluster, ROLE_KIND.service, n.serviceCIDRs);
    add(cluster, ROLE_KIND.node, n.nodePodCIDRs);
    add(cluster, 'global', n.globalCIDRs);
    add(
      cluster,
      'native-routing',
      cluster.cilium.flatMap((c) => (c.nativeRoutingCIDR ? [c.nativeRoutingCIDR] : [])),
    );
  }
  return { ranges, idOf };
}

/** Overlaps of `rangeOverlaps` and GlobalNet's (globalCIDR against globalCIDR, pod or service CIDR), as range ids. */
function collectOverlaps(set: ClusterSetModel, idOf: Map<Fact<Cidr>, number>): ReportOverlap[] {
  const out: ReportOverlap[] = [];
  const push = (kind: string, a: Fact<Cidr>, b: Fact<Cidr>) => {
    const ia = idOf.get(a);
    const ib = idOf.get(b);
    if (ia !== undefined && ib !== undefined && ia !== ib) out.push({ kind, a: ia, b: ib });
  };
  for (const o of rangeOverlaps(set)) if (o.here.role !== 'address' && o.there.role !== 'address') push(o.kind, o.here.fact, o.there.fact);
  const plan = globalnetPlan(set);
  for (const [here, there] of plan.overlaps()) push('globalnet', here.fact, there.fact);
  for (const c of plan.collisions()) push('globalnet', c.global.fact, c.local.fact);
  return out;
}

/** The GlobalNet plan of the set as data; undefined when GlobalNet is off and no cluster has a globalCIDR. */
function globalnetData(set: ClusterSetModel, loc: Locator): ReportGlobalnet | undefined {
  const plan = globalnetPlan(set);
  if (!set.globalnet.enabled && plan.ranges.length === 0) return undefined;
  const range = plan.range;
  const allocations: ReportAllocation[] = plan.allocations().map((a) => allocation(a.result, a.cluster.name));
  const free: { start: string; end: string }[] = [];
  let freeAddresses = 0n;
  if (range && range.value.family === 4) {
    const taken = plan.usable.map((g) => g.fact.value).filter((c) => c.family === 4 && c.end >= range.value.start && c.start <= range.value.end);
    taken.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let cursor = range.value.start;
    for (const t of taken) {
      if (t.start > cursor) free.push({ start: cursor.toString(), end: (t.start - 1n).toString() });
      if (t.end + 1n > cursor) cursor = t.end + 1n;
    }
    if (cursor <= range.value.end) free.push({ start: cursor.toString(), end: range.value.end.toString() });
    for (const f of free) freeAddresses += BigInt(f.end) - BigInt(f.start) + 1n;
    if (plan.clusterSize !== undefined) {
      const pending = allocations.flatMap((a) => (a.cidr !== undefined ? [a.cidr] : []));
      const takenAll = [...taken, ...pending.map((p) => ({ ...range.value, ...cidrBounds(p) }))];
      allocations.push(allocation(allocateGlobalCIDR(range.value, plan.clusterSize, takenAll)));
    }
  }
  return {
    enabled: set.globalnet.enabled,
    ...(range
      ? {
          range: { cidr: range.value.text, start: range.value.start.toString(), end: range.value.end.toString(), isDefault: range.isDefault === true, at: loc.place(range.source) },
        }
      : {}),
    ...(plan.clusterSize !== undefined ? { clusterSize: plan.clusterSize } : {}),
    free,
    freeAddresses: freeAddresses.toString(),
    allocations,
  };
}

/** Start and end of an IPv4 CIDR the allocator wrote (`a.b.c.d/p`), as bigints. */
function cidrBounds(text: string): { start: bigint; end: bigint; family: 4 } {
  const [addr, prefix] = text.split('/');
  const start = addr.split('.').reduce((n, b) => (n << 8n) | BigInt(Number(b)), 0n);
  return { start, end: start + (1n << BigInt(32 - Number(prefix))) - 1n, family: 4 };
}

function allocation(result: ReturnType<typeof allocateGlobalCIDR>, cluster?: string): ReportAllocation {
  const who = cluster !== undefined ? { cluster } : {};
  if (result.cidr === undefined) return { ...who, error: result.error };
  const { start, end } = cidrBounds(result.cidr);
  return { ...who, cidr: result.cidr, start: start.toString(), end: end.toString() };
}

const STATE_ORDER: readonly ReportCellState[] = ['imported', 'exported', 'rejected', 'dangling', 'conflict'];

/** The export matrix: every exported or imported `namespace/name`, one cell per cluster involved. */
function collectServices(set: ClusterSetModel, loc: Locator): ReportService[] {
  const services = new Map<string, ReportService>();
  const serviceOf = (key: string, namespace: string | undefined, name: string) => {
    let s = services.get(key);
    if (!s) services.set(key, (s = { key, ...(namespace !== undefined ? { namespace } : {}), name, cells: [] }));
    return s;
  };
  const cells = new Map<string, ReportCell>();
  const cellOf = (s: ReportService, cluster: string) => {
    const k = `${s.key}\0${cluster}`;
    let c = cells.get(k);
    if (!c) {
      s.cells.push((c = { cluster, state: 'imported', details: [], files: [] }));
      cells.set(k, c);
    }
    return c;
  };
  const implementations = new Map(set.clusters.map((c) => [c, mcsImplementationOf(c)]));
  const mark = (cell: ReportCell, state: ReportCellState, detail?: string, at?: Place) => {
    if (STATE_ORDER.indexOf(state) > STATE_ORDER.indexOf(cell.state)) cell.state = state;
    if (detail !== undefined && !cell.details.includes(detail)) cell.details.push(detail);
    if (at && !cell.at && (state === 'conflict' || state === 'dangling')) cell.at = loc.place(at);
  };
  const addFile = (cell: ReportCell, file: string | undefined) => {
    if (file !== undefined && !cell.files.includes(file)) cell.files.push(file);
  };
  for (const [key, exports] of set.exportsByKey) {
    for (const e of exports) {
      const s = serviceOf(key, e.service?.namespace ?? e.export.namespace, e.export.name);
      const cell = cellOf(s, e.cluster.name);
      addFile(cell, e.export.object.file);
      addFile(cell, e.service?.object.file);
      const rejection = exportRejection(e, implementations.get(e.cluster));
      mark(cell, rejection === undefined ? 'exported' : 'rejected', rejection);
    }
  }
  for (const mcs of multiClusterServices(set, 2)) {
    const s = services.get(mcs.key)!;
    for (const c of exportConflicts(mcs)) mark(cellOf(s, c.export.cluster.name), 'conflict', `${c.reason}: ${c.value} (${c.winner.cluster.name}: ${c.winnerValue})`, c.at);
    for (const c of ipFamilyConflicts(mcs)) mark(cellOf(s, c.export.cluster.name), 'conflict', `IPFamilyConflict: ${c.ipFamilies.join(', ')}`, c.at);
    for (const c of mergePorts(mcs).conflicts) {
      const port = `${c.port.name || '(unnamed)'} ${c.port.port.port}/${c.port.port.protocol}`;
      mark(
        cellOf(s, c.port.exp.cluster.name),
        'conflict',
        `PortConflict: ${port} (${c.winner.exp.cluster.name}: ${c.winner.name || '(unnamed)'} ${c.winner.port.port}/${c.winner.port.protocol})`,
        c.port.port.source,
      );
    }
  }
  const find = exportedServiceFinder(set);
  for (const cluster of set.clusters) {
    for (const imp of cluster.serviceImports) {
      const mcs = find(imp.namespace, imp.name);
      const s = mcs ? services.get(mcs.key)! : serviceOf(`${imp.namespace ?? ''}/${imp.name}`, imp.namespace, imp.name);
      const cell = cellOf(s, cluster.name);
      addFile(cell, imp.object.file);
      if (!mcs)
        mark(cell, 'dangling', 'ServiceImport of a service with no accepted ServiceExport in any cluster', { ...imp.object, path: [...imp.object.base, 'metadata', 'name'] });
      else
        for (const m of importMismatches(imp, mcs))
          mark(cell, 'conflict', m.kind === 'type' ? `ServiceImport type ${m.type}, exports give ${m.expected}` : 'ServiceImport ports differ from the exports', m.at);
    }
    for (const ref of cluster.serviceImportRefs) {
      if (find(ref.namespace, ref.name)) continue;
      const cell = cellOf(serviceOf(`${ref.namespace ?? ''}/${ref.name}`, ref.namespace, ref.name), cluster.name);
      addFile(cell, ref.object.file);
      mark(cell, 'dangling', `${ref.via} names a service with no accepted ServiceExport in any cluster`, ref.source);
    }
  }
  const order = new Map(set.clusters.map((c, i) => [c.name, i]));
  const list = [...services.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const s of list) s.cells.sort((a, b) => (order.get(a.cluster) ?? 0) - (order.get(b.cluster) ?? 0));
  return list;
}

/** True when a Gateway on port 15443 with AUTO_PASSTHROUGH exists (`exposed`), else when the port is deployed. */
function eastWestOf(c: ClusterModel): 'exposed' | 'deployed' | undefined {
  if (exposesEastWest(c)) return 'exposed';
  if (c.istioConfig.gatewayInstalls.some((g) => g.ports.includes(EAST_WEST_PORT))) return 'deployed';
  for (const list of c.servicesByName.values()) if (list.some((s) => s.ports.some((p) => p.port === EAST_WEST_PORT))) return 'deployed';
  return undefined;
}

/** A certificate for people: its subject CN (else subject) and the start of its SHA-256 fingerprint; never key material. */
const certText = (label: string, c: CertificateInfo) => `${label} ${c.subjectCN ?? c.subject} (SHA-256 ${c.fingerprint256.slice(0, 11)}…)`;

/**
 * The trust roots the model read for a cluster: Istio plug-in CA roots (`cacerts`), Cilium Cluster
 * Mesh CAs, Linkerd trust anchors, SPIRE trust domains; public data only.
 */
function trustRootsOf(c: ClusterModel): string[] {
  return [
    ...c.trust.istioCACerts.flatMap((x) => (x.root?.certificates ?? []).map((cert) => certText('Istio cacerts root', cert))),
    ...c.trust.ciliumCAs.flatMap((x) => (x.cert?.certificates ?? []).map((cert) => certText('Cilium Cluster Mesh CA', cert))),
    ...c.linkerd.flatMap((l) => (l.trustAnchors?.value ?? []).map((cert) => certText('Linkerd trust anchor', cert))),
    ...c.trust.spireServers.flatMap((x) => (x.trustDomain ? [`SPIRE trust domain ${x.trustDomain.value}`] : [])),
  ];
}

/** The clusters of the set with their Istio, Submariner and Cilium facts; the meshes and connections. */
function meshData(set: ClusterSetModel): Pick<ReportSet, 'clusters' | 'meshes' | 'connections'> {
  const view = istioView(set);
  const istio = new Set(view.clusters);
  const clusters: ReportCluster[] = set.clusters.map((c) => {
    const networks = [...new Set((view.networksOf.get(c) ?? []).map((f) => f.value))];
    const trust = c.istio.find((i) => i.trustDomain)?.trustDomain;
    const id = c.cilium.find((x) => x.clusterID)?.clusterID?.value;
    return {
      name: c.name,
      ...(c.root !== undefined ? { root: c.root } : {}),
      networks,
      submariner: joinedSubmariner(c),
      ...(inCiliumMesh(c) && id !== undefined ? { ciliumClusterID: id } : {}),
      ...(istio.has(c)
        ? {
            istio: {
              clusterName: istioClusterName(c),
              trustDomain: trust?.value ?? DEFAULT_TRUST_DOMAIN,
              trustDomainIsDefault: trust === undefined,
              eastWest: eastWestOf(c),
              ...(c.istioControlPlanes.length > 0 ? { role: c.istioControlPlanes[0].role.value } : {}),
            },
          }
        : {}),
      remoteSecrets: c.istioRemoteSecrets.flatMap((secret) => secret.entries.map((e) => `${secret.name.value} → ${e.clusterID.value}`)),
      trustRoots: trustRootsOf(c),
    };
  });
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const meshes: ReportMesh[] = view.meshes.map((m) => {
    const networks = new Map<string | undefined, string[]>();
    for (const c of m.clusters) {
      const n = byName.get(c.name)!.networks[0];
      networks.set(n, [...(networks.get(n) ?? []), c.name]);
    }
    return {
      ...(m.meshID !== undefined ? { meshID: m.meshID } : {}),
      networks: [...networks].map(([name, list]) => ({ ...(name !== undefined ? { name } : {}), clusters: list })),
    };
  });
  const connections: ReportConnection[] = [];
  const joined = set.clusters.filter(joinedSubmariner);
  if (joined.length >= 2) {
    const globalnet = linkBetween(set, joined[0], joined[1]).globalnet;
    connections.push({
      kind: 'submariner',
      globalnet,
      clusters: joined.map((c) => c.name),
      label: `Submariner${globalnet ? ' with GlobalNet' : ' (pod and service ranges routed as they are)'}`,
    });
  }
  const cilium = set.clusters.filter(inCiliumMesh);
  if (cilium.length >= 2)
    connections.push({ kind: 'cilium', globalnet: false, clusters: cilium.map((c) => c.name), label: 'Cilium Cluster Mesh (pod addresses routed as they are)' });
  for (const m of meshes) {
    const named = m.networks.filter((n) => n.name !== undefined);
    if (named.length < 2) continue;
    connections.push({
      kind: 'gateway',
      globalnet: false,
      clusters: named.flatMap((n) => n.clusters),
      label: `Istio east-west gateways between networks ${named.map((n) => n.name).join(', ')}`,
    });
  }
  for (const c of set.clusters) {
    for (const link of c.linkerdLinks) {
      connections.push({
        kind: 'linkerd',
        globalnet: false,
        clusters: [c.name, link.targetClusterName.value],
        label: `Linkerd Link from ${c.name} to ${link.targetClusterName.value}`,
      });
    }
  }
  return { clusters, meshes, connections };
}

/**
 * The report data of `model` (see `ReportData`): one entry per ClusterSet, with the places of
 * ranges, conflicts and dangling imports located (files are read again for those only).
 * Never throws on odd input: values that did not parse never became facts.
 */
export async function reportDataOf(model: RunModel): Promise<ReportData> {
  const loc = new Locator();
  const sets = model.sets.map((set): ReportSet => {
    const { ranges, idOf } = collectRanges(set, loc);
    return {
      name: set.name,
      ...meshData(set),
      ranges,
      overlaps: collectOverlaps(set, idOf),
      ...(() => {
        const g = globalnetData(set, loc);
        return g ? { globalnet: g } : {};
      })(),
      services: collectServices(set, loc),
    };
  });
  await loc.resolve();
  return { sets };
}
