/**
 * Messages as data (ESLint's `meta.messages` and `context.report({ messageId, data })`): a rule
 * names one of its message templates and gives the values; the engine words the finding. Keeping
 * wording out of rule code lets tests check message ids and data, and reporters show the one-line
 * message and its hint apart.
 */
import type { MessageData, MirroredWording, Report, ReportText, RuleMeta } from './types.js';

/** A finding's words: the message, and the message id and hint when it was worded from a template. */
export interface Wording {
  readonly message: string;
  readonly messageId?: string;
  readonly hint?: string;
  readonly data?: MessageData;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

/**
 * `template` with each `{{name}}` replaced by `data[name]`.
 * @throws Error naming the rule, the message and the missing value when `data` lacks one (a bug in
 *   the rule: the engine reports it as the rule's internal error)
 */
export function fillTemplate(template: string, data: MessageData | undefined, where: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = data?.[name];
    if (value === undefined) throw new Error(`${where} needs a value for {{${name}}}`);
    return String(value);
  });
}

/**
 * The words of one report: its `message` as given, or its `messageId`'s template filled from `data`.
 * @throws Error for a message id the rule does not declare, or missing data (see `fillTemplate`)
 */
export function wording(meta: RuleMeta, report: ReportText): Wording {
  if (report.messageId === undefined) return { message: report.message };
  const template = meta.messages?.[report.messageId];
  if (!template) throw new Error(`rule "${meta.id}" reports message "${report.messageId}", which its meta.messages does not declare`);
  const where = `message "${report.messageId}" of rule "${meta.id}"`;
  const message = fillTemplate(template.text, report.data, where);
  const data = report.data ?? {};
  return template.hint === undefined
    ? { message, messageId: report.messageId, data }
    : { message, messageId: report.messageId, data, hint: fillTemplate(template.hint, report.data, where) };
}

/**
 * The words of a report told from its other side (`Report.mirror`), or undefined without a mirror:
 * its `message`, or its template (default: the report's) filled from its `data` for the text and
 * from its `hintData` (default: `data`) for the hint.
 * @throws Error as `wording` does, for the mirror's message id and data
 */
export function mirrorWording(meta: RuleMeta, report: Report): MirroredWording | undefined {
  const m = report.mirror;
  if (!m) return undefined;
  const label = m.relatedMessage !== undefined ? { relatedMessage: m.relatedMessage } : {};
  if (m.message !== undefined) return { message: m.message, ...label };
  const messageId = m.messageId ?? report.messageId;
  if (messageId === undefined) throw new Error(`rule "${meta.id}" gives a mirror without message or messageId`);
  const data = m.data ?? report.data;
  const words = wording(meta, { messageId, data });
  const hint = m.hintData !== undefined ? wording(meta, { messageId, data: m.hintData }).hint : words.hint;
  return { message: words.message, messageId, ...(hint !== undefined ? { hint } : {}), data: words.data ?? {}, ...label };
}
