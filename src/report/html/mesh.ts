/**
 * The mesh view of the HTML report: the clusters of a ClusterSet grouped by Istio mesh
 * (`meshID`) and network, each cluster a chip with its Istio cluster name (when it differs), trust
 * domain (marked when the default `cluster.local`), east-west gateway (a Gateway on port 15443
 * with AUTO_PASSTHROUGH, or only the port deployed), role, remote secrets and trust roots as far
 * as the model knows them, and badges for Submariner and Cilium Cluster Mesh; networks of one
 * mesh are joined by an east-west gateway connector. Then the ways the clusters are connected
 * (`connections`), one line per kind. Clusters outside any mesh are listed after the meshes.
 */
import type { ReportCluster, ReportSet } from '../../model/views/report-data.js';
import { esc } from './escape.js';
import type { FindingIndex } from './findings.js';
import { findingAnchor } from './findings.js';

/** A cluster's chip; linked to its first finding that names it. */
function chip(c: ReportCluster, firstFinding: Map<string, number>): string {
  const badges: string[] = [];
  if (c.istio) {
    if (c.istio.clusterName !== c.name) badges.push(`<span class="b" title="Istio global.multiCluster.clusterName">clusterName ${esc(c.istio.clusterName)}</span>`);
    badges.push(
      `<span class="b${c.istio.trustDomainIsDefault ? ' default' : ''}" title="meshConfig.trustDomain${c.istio.trustDomainIsDefault ? ' (default)' : ''}">trust ${esc(c.istio.trustDomain)}</span>`,
    );
    if (c.istio.role) badges.push(`<span class="b">${esc(c.istio.role)}</span>`);
    if (c.istio.eastWest === 'exposed') badges.push('<span class="b gw" title="Gateway on port 15443 with tls.mode AUTO_PASSTHROUGH">east-west gateway</span>');
    else if (c.istio.eastWest === 'deployed') badges.push('<span class="b warn" title="port 15443 deployed, no AUTO_PASSTHROUGH Gateway">east-west port only</span>');
  }
  if (c.submariner) badges.push('<span class="b sm">Submariner</span>');
  if (c.ciliumClusterID !== undefined) badges.push(`<span class="b cm">Cilium ID ${c.ciliumClusterID}</span>`);
  for (const s of c.remoteSecrets) badges.push(`<span class="b">remote secret ${esc(s)}</span>`);
  for (const t of c.trustRoots) badges.push(`<span class="b" title="trust root">${esc(t)}</span>`);
  const f = firstFinding.get(c.name);
  const name = f !== undefined ? `<a href="#${findingAnchor(f)}">${esc(c.name)}</a>` : esc(c.name);
  return `<div class="chip" data-cluster="${esc(c.name)}"><span class="cn">${name}</span> ${badges.join(' ')}</div>`;
}

/** The mesh view of one set. */
export function meshView(set: ReportSet, index: FindingIndex): string {
  const byName = new Map(set.clusters.map((c) => [c.name, c]));
  const firstFinding = new Map<string, number>();
  index.list.forEach(({ note }, i) => {
    for (const c of [note.cluster, ...note.related.map((r) => r.cluster)]) if (c !== undefined && !firstFinding.has(c)) firstFinding.set(c, i);
  });
  let out = '';
  const inMesh = new Set<string>();
  for (const mesh of set.meshes) {
    const networks = mesh.networks.map((n) => {
      for (const c of n.clusters) inMesh.add(c);
      const chips = n.clusters.map((c) => chip(byName.get(c)!, firstFinding)).join('');
      return `<div class="network"><h5>${n.name !== undefined ? `network ${esc(n.name)}` : 'no network declared'} <span class="count">${n.clusters.length}</span></h5><div class="chips">${chips}</div></div>`;
    });
    const joiner = '<div class="joiner" title="networks of one mesh meet through east-west gateways (port 15443)">⇄<br>east-west</div>';
    out += `<div class="mesh"><h4>Istio mesh ${mesh.meshID !== undefined ? esc(mesh.meshID) : '(meshID not declared)'}</h4><div class="networks">${networks.join(joiner)}</div></div>`;
  }
  const others = set.clusters.filter((c) => !inMesh.has(c.name));
  if (others.length > 0) {
    out += `<div class="mesh other"><h4>${set.meshes.length > 0 ? 'Not in an Istio mesh' : 'Clusters (no Istio mesh)'}</h4><div class="chips">${others.map((c) => chip(c, firstFinding)).join('')}</div></div>`;
  }
  const links = set.connections.map(
    (c) => `<li class="link-${c.kind}"><b>${esc(c.label)}</b>: ${c.clusters.map((n) => `<span class="cl">${esc(n)}</span>`).join(c.kind === 'linkerd' ? ' → ' : ', ')}</li>`,
  );
  out +=
    links.length > 0
      ? `<h4>Connections</h4><ul class="links">${links.join('')}</ul>`
      : '<p class="none">Nothing in the manifests says how the clusters are connected (overlaps are judged as for a flat pod network).</p>';
  return out;
}
