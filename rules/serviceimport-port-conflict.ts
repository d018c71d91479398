import {
  defineRule,
  mergePorts,
  multiClusterServices,
  portText,
  portsText,
  precedenceText,
  serviceLabel,
  type ExportedPort,
  type MessageData,
  type MessageTemplate,
  type PortConflict,
  type RelatedPlace,
} from './kit.js';

const describePort = (p: ExportedPort) => portText({ ...p.port, name: p.name });
const related = (p: ExportedPort, message: string, otherSide = false): RelatedPlace => ({
  ...p.port.source,
  cluster: p.exp.cluster.name,
  message,
  ...(otherSide && { otherSide }),
});

/** What the controllers do on any port conflict (KEP/Cilium, and Submariner Lighthouse). */
const VERDICT = 'the MCS controller sets Conflict=True (reason PortConflict) on every constituent ServiceExport';
const VERDICT_LIGHTHOUSE = 'Submariner Lighthouse sets Conflict=True (reason PortConflict) on the ServiceExports';
const RESULT = 'The resulting ServiceImport ports: {{ports}}.';
const WINS = 'Cluster "{{winner}}", {{precedence}}, wins';

/** A message and its Lighthouse twin (`<id>Lighthouse`), which differ in the controller's verdict. */
function both(id: string, text: string, consequence: string, fix: string): Record<string, MessageTemplate> {
  return { [id]: { text, hint: `${consequence}; ${VERDICT}. ${RESULT} ${fix}` }, [`${id}Lighthouse`]: { text, hint: `${consequence}; ${VERDICT_LIGHTHOUSE}. ${RESULT} ${fix}` } };
}

const MESSAGE_ID: Record<PortConflict['kind'], string> = { 'name-port': 'portNumber', 'port-name': 'portName', appProtocol: 'appProtocol' };

/** The values a port conflict's message names: the port, its name or appProtocol, and the winner's. */
function conflictData(c: PortConflict): MessageData {
  const number = `${c.port.port.port}/${c.port.port.protocol}`;
  const names = { name: c.port.name || '(unnamed)', winnerName: c.winner.name || '(unnamed)' };
  if (c.kind === 'name-port') return { name: names.name, port: number, winnerPort: `${c.winner.port.port}/${c.winner.port.protocol}` };
  if (c.kind === 'port-name') return { ...names, port: number };
  return {
    port: portText({ ...c.port.port, name: c.port.name, appProtocol: undefined }),
    appProtocol: c.port.port.appProtocol ?? '',
    winnerAppProtocol: c.winner.port.appProtocol ?? '',
  };
}

const PORT_NAME = 'Port {{port}} of Service {{service}} is named "{{name}}" in cluster "{{cluster}}" but "{{winnerName}}" in cluster "{{winner}}".';

/**
 * `serviceimport-port-conflict`: for every `namespace/name` exported from two or more clusters,
 * merges the Services' ports as the MCS controllers do and reports the conflicts they raise.
 * Message ids: `portNumber` (a port name with another number/protocol), `portName` (a port
 * number under another name), `appProtocol`, `partial` (a port some clusters lack, a warning);
 * each has a `…Lighthouse` twin worded with Lighthouse's verdict when every exporting cluster runs
 * Lighthouse (`portNameLighthouse`: Lighthouse lists the port twice).
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
    messages: {
      ...both(
        'portNumber',
        'Port "{{name}}" of Service {{service}} is {{port}} in cluster "{{cluster}}" but {{winnerPort}} in cluster "{{winner}}".',
        `${WINS}: the older definition is kept and "{{cluster}}"'s {{portText}} is left out of the ServiceImport`,
        'Give the port the same number and protocol in every cluster, or a different name.',
      ),
      ...both(
        'portName',
        PORT_NAME,
        `${WINS}: the ServiceImport keeps the name "{{winnerName}}", so clients and EndpointSlices using "{{name}}" do not match`,
        'Use the same port name in every cluster.',
      ),
      portNameLighthouse: {
        text: PORT_NAME,
        hint: `${WINS}, but Lighthouse merges ports by name, so the ServiceImport lists {{port}} twice; ${VERDICT_LIGHTHOUSE}. ${RESULT} Use the same port name in every cluster.`,
      },
      ...both(
        'appProtocol',
        'Port {{port}} of Service {{service}} has appProtocol "{{appProtocol}}" in cluster "{{cluster}}" but "{{winnerAppProtocol}}" in cluster "{{winner}}".',
        `${WINS}: the ServiceImport keeps the older appProtocol`,
        'Use the same appProtocol in every cluster.',
      ),
      ...both(
        'partial',
        'Port {{port}} of Service {{service}} exists in cluster "{{cluster}}" but not in cluster {{missing}}.',
        'The ServiceImport exposes the union of the ports, so connections to {{number}} reach only the clusters that define it',
        'Define the same ports in every exporting cluster.',
      ),
    },
  },
  check({ set, report }) {
    for (const mcs of multiClusterServices(set)) {
      const { ports, conflicts, partial } = mergePorts(mcs);
      if (conflicts.length === 0 && partial.length === 0) continue;
      const first = mcs.exports[0].cluster.name;
      const suffix = mcs.mode === 'lighthouse' ? 'Lighthouse' : '';
      const common = { service: serviceLabel(mcs), ports: portsText(ports) };
      for (const c of conflicts) {
        const cluster = c.port.exp.cluster.name;
        const winner = c.winner.exp.cluster.name;
        const precedence = winner === first ? precedenceText(mcs) : `which takes precedence over "${cluster}"`;
        const data = { ...common, ...conflictData(c), cluster, winner, precedence, portText: describePort(c.port) };
        report({
          messageId: `${MESSAGE_ID[c.kind]}${suffix}`,
          data,
          at: c.port.port.source,
          cluster,
          related: [related(c.winner, `${describePort(c.winner)} in cluster "${winner}"`, true)],
          // The text names both clusters: it reads the same at the winner's port.
          mirror: { relatedMessage: `${describePort(c.port)} in cluster "${cluster}"` },
        });
      }
      for (const p of partial) {
        const missing = p.missingIn.map((e) => `"${e.cluster.name}"`).join(', ');
        const data = { ...common, port: describePort(p.port), cluster: p.port.exp.cluster.name, missing, number: `${p.port.port.port}/${p.port.port.protocol}` };
        report({
          messageId: `partial${suffix}`,
          data,
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
