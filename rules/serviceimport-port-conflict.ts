import { defineRule, mergePorts, multiClusterServices, portText, portsText, precedenceText, serviceLabel, type ExportedPort, type MultiClusterService, type RelatedPlace } from './kit.js';

const describePort = (p: ExportedPort) => portText({ ...p.port, name: p.name });

const related = (p: ExportedPort, message: string): RelatedPlace => ({ ...p.port.source, cluster: p.exp.cluster.name, message });

function controllerVerdict(mcs: MultiClusterService): string {
  return mcs.mode === 'lighthouse'
    ? 'Submariner Lighthouse sets Conflict=True (reason PortConflict) on the ServiceExports'
    : 'the MCS controller sets Conflict=True (reason PortConflict) on every constituent ServiceExport';
}

/**
 * `serviceimport-port-conflict`: for every `namespace/name` exported from two or more clusters,
 * merges the Services' ports as the MCS controllers do and reports the conflicts they raise.
 *
 * Upstream: KEP-1645 "Service Port" (union of ports, oldest export wins on conflict) and the
 * mcs-api conformance tests (`conformance/service_import.go`); Cilium
 * `pkg/clustermesh/mcsapi/serviceimport_controller.go` (`mergePorts`, reason `PortConflict`);
 * Submariner Lighthouse `pkg/agent/controller/service_import_conflict.go` (union by port name).
 * The merge itself lives in `src/model/mcs.ts`.
 */
export default defineRule({
  meta: {
    id: 'serviceimport-port-conflict',
    description: 'Ports of a Service exported from several clusters must agree (ServiceImport PortConflict)',
    severity: 'error',
    docs: 'docs/rules/serviceimport-port-conflict.md',
  },
  check({ set, report }) {
    for (const mcs of multiClusterServices(set)) {
      const { ports, conflicts, partial } = mergePorts(mcs);
      if (conflicts.length === 0 && partial.length === 0) continue;
      const winner = mcs.exports[0].cluster.name;
      const result = `The resulting ServiceImport ports: ${portsText(ports)}.`;
      const label = serviceLabel(mcs);
      for (const c of conflicts) {
        const here = c.port.exp.cluster.name;
        const there = c.winner.exp.cluster.name;
        const older = there === winner ? `cluster "${there}", ${precedenceText(mcs)},` : `cluster "${there}", which takes precedence over "${here}",`;
        let what: string;
        let fix: string;
        switch (c.kind) {
          case 'name-port':
            what = `Port "${c.port.name || '(unnamed)'}" of Service ${label} is ${c.port.port.port}/${c.port.port.protocol} in cluster "${here}" but ${c.winner.port.port}/${c.winner.port.protocol} in ${older} so the older definition wins and "${here}"'s ${describePort(c.port)} is left out of the ServiceImport`;
            fix = 'Give the port the same number and protocol in every cluster, or a different name.';
            break;
          case 'port-name':
            what =
              mcs.mode === 'lighthouse'
                ? `Port ${c.port.port.port}/${c.port.port.protocol} of Service ${label} is named "${c.port.name}" in cluster "${here}" but "${c.winner.name}" in ${older} and Lighthouse merges ports by name, so the ServiceImport lists ${c.port.port.port}/${c.port.port.protocol} twice`
                : `Port ${c.port.port.port}/${c.port.port.protocol} of Service ${label} is named "${c.port.name || '(unnamed)'}" in cluster "${here}" but "${c.winner.name || '(unnamed)'}" in ${older} so the ServiceImport keeps the name "${c.winner.name}", so clients and EndpointSlices using "${c.port.name}" do not match`;
            fix = 'Use the same port name in every cluster.';
            break;
          default:
            what = `Port ${describePort(c.port)} of Service ${label} in cluster "${here}" has appProtocol "${c.port.port.appProtocol ?? ''}" but "${c.winner.port.appProtocol ?? ''}" in ${older} so the ServiceImport keeps the older appProtocol`;
            fix = 'Use the same appProtocol in every cluster.';
        }
        report({
          message: `${what}; ${controllerVerdict(mcs)}. ${result} ${fix}`,
          at: c.port.port.source,
          cluster: here,
          related: [related(c.winner, `${describePort(c.winner)} in cluster "${there}"`)],
        });
      }
      for (const p of partial) {
        const missing = p.missingIn.map((e) => `"${e.cluster.name}"`).join(', ');
        report({
          message:
            `Port ${describePort(p.port)} of Service ${label} exists in cluster "${p.port.exp.cluster.name}" but not in cluster ${missing}: ` +
            `the ServiceImport exposes the union of the ports, so connections to ${p.port.port.port}/${p.port.port.protocol} reach only the clusters that define it; ` +
            `${controllerVerdict(mcs)}. ${result} Define the same ports in every exporting cluster.`,
          at: p.port.port.source,
          cluster: p.port.exp.cluster.name,
          severity: 'warn',
          related: p.missingIn.map((e) => ({
            file: e.service.object.file,
            doc: e.service.object.doc,
            path: [...e.service.object.base, 'spec', 'ports'],
            cluster: e.cluster.name,
            message: `Service ports in cluster "${e.cluster.name}"`,
          })),
        });
      }
    }
  },
});
