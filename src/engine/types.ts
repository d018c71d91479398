/**
 * The rule format (ESLint's, trimmed to what mclint needs) and the findings rules produce.
 */
import type { Path, Place, Span } from '../base/types.js';
import type { ClusterSetModel, RunModel } from '../model/types.js';

/** Metadata of a rule. `id` is public API: configs and suppressions name it, never rename one. */
export interface RuleMeta {
  readonly id: string;
  /** One line, shown by `--list-rules`. */
  readonly description: string;
  /** Default severity; config and `--rule` may override it. */
  readonly severity: 'off' | 'warn' | 'error';
  /** Path of the rule's documentation page, relative to the package root. */
  readonly docs: string;
  /** JSON Schema of the rule's options object, validated when the config is loaded. */
  readonly options?: Record<string, unknown>;
  readonly defaultOptions?: Readonly<Record<string, unknown>>;
  /**
   * The rule's messages by id (ESLint's `meta.messages`): `report({ messageId, data })` fills a
   * template's `{{name}}` placeholders from `data`. `text` is one sentence naming the clusters and
   * values; `hint` says what the controller will do and how to fix it.
   */
  readonly messages?: Readonly<Record<string, MessageTemplate>>;
}

/** One message of a rule: a one-sentence `text` and a `hint`, both `{{name}}` templates. */
export interface MessageTemplate {
  readonly text: string;
  readonly hint?: string;
}

/** Values filling a message template's `{{name}}` placeholders. */
export type MessageData = Readonly<Record<string, string | number>>;

/** The other side of a cross-cluster problem (or any place that explains a finding). */
export interface RelatedPlace extends Place {
  readonly cluster?: string;
  readonly message?: string;
  /**
   * This place is the other side of a two-sided finding (a value in another cluster that
   * disagrees with the reported one): suppressions there apply to the finding, and a `mirror`
   * moves the finding here when only this side changed. At most one related place per report.
   */
  readonly otherSide?: true;
}

/**
 * What a finding says: a message id of the rule's `meta.messages` with its data (messages as data),
 * or — for rules not moved to message ids yet — the finished `message` text.
 */
export type ReportText =
  | { readonly messageId: string; readonly data?: MessageData; readonly message?: undefined }
  | { readonly message: string; readonly messageId?: undefined; readonly data?: undefined };

/** What a rule reports. */
export type Report = ReportText & ReportFields;

/** A report without some of its fields (a helper fills them in), its text kept whole. */
export type ReportWithout<K extends keyof ReportFields> = ReportText & Omit<ReportFields, K>;

/** Everything a report says besides its text. */
export interface ReportFields {
  /** The offending field. */
  readonly at: Place;
  /** A position already known (syntax errors): used instead of locating `at`. */
  readonly span?: Span;
  /** A parse error: like ESLint's fatal parsing errors, counted in `fatalErrorCount`. */
  readonly fatal?: boolean;
  /** The cluster the offending field belongs to. */
  readonly cluster?: string;
  readonly related?: readonly RelatedPlace[];
  /**
   * The same finding told from its other side (the `related` place marked `otherSide`): used when
   * that side is the one to show, i.e. when it is in a changed file and this side is not (FILE
   * arguments, a pull request's changed files; see `engine/primary.ts`). Without a mirror the
   * finding always stays where the rule put it. A text that names both clusters explicitly reads
   * the same from either side: then the mirror only labels this side (`relatedMessage`).
   */
  readonly mirror?: Mirror;
  /**
   * `warn` caps the severity of this finding at warning (for the parts of a rule that are
   * advisory); a rule configured as `warn` reports everything as warnings anyway. `info` makes it
   * a note: shown to the user, never counted as a problem and never in ESLint's `messages`
   * (DESIGN.md §6), e.g. the globalCIDR Submariner would allocate to a cluster.
   */
  readonly severity?: 'warn' | 'info';
}

/**
 * A two-sided finding worded from its other side. The text is the template `messageId` (default:
 * the report's) filled from `data`, and its hint is filled from `hintData` (default: `data`): a
 * hint that names clusters by their part (the winner, the refusing cluster) keeps the report's
 * data there. Rules without message ids give the finished `message` (no hint). `relatedMessage`
 * labels the report's own side once it becomes the related place.
 */
export interface Mirror {
  readonly messageId?: string;
  readonly data?: MessageData;
  readonly hintData?: MessageData;
  readonly message?: string;
  readonly relatedMessage?: string;
}

/** What a rule's `check` receives, once per ClusterSet. */
export interface RuleContext<Options = Readonly<Record<string, unknown>>> {
  /** The ClusterSet being checked: cross-cluster rules compare its clusters only. */
  readonly set: ClusterSetModel;
  readonly run: RunModel;
  readonly options: Options;
  report(this: void, report: Report): void;
}

/** A rule: metadata plus `check`, a pure function of the model that calls `report`. */
export interface Rule<Options = Readonly<Record<string, unknown>>> {
  readonly meta: RuleMeta;
  check(ctx: RuleContext<Options>): void;
}

/** Declares a rule; an identity function that gives `check` its types. */
export function defineRule<Options = Readonly<Record<string, unknown>>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}

/** 2 = error, 1 = warning (ESLint's numbers). */
export type SeverityLevel = 1 | 2;

/** A related place with its position resolved. */
export interface ResolvedRelated extends Span {
  readonly file: string;
  readonly cluster?: string;
  readonly message?: string;
  /** The other side of a two-sided finding (`RelatedPlace.otherSide`). */
  readonly otherSide?: true;
  /** The Kubernetes object holding the other side of a two-sided finding: suppressions on it apply to the finding. */
  readonly object?: ObjectRef;
}

/**
 * A finding worded from its other side (`Report.mirror`, resolved): what `engine/primary.ts`
 * swaps in when that side is the one in a changed file.
 */
export interface MirroredWording {
  readonly message: string;
  readonly messageId?: string;
  readonly hint?: string;
  readonly data?: MessageData;
  /** The label of the finding's own side once it is the related place. */
  readonly relatedMessage?: string;
}

/**
 * The Kubernetes object a finding is about (the object whose field `at` points into): identity for
 * reporters (SARIF logical locations) and for suppressions (annotations, config `overrides` by
 * namespace and kind). `doc`/`base` locate the object in the finding's file, as in `ManifestObject`.
 */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  /** undefined for cluster-scoped objects and for objects whose namespace is chosen at apply time. */
  readonly namespace?: string;
  readonly doc: number;
  readonly base: Path;
}

/** A finding with its position resolved, ready for the reporters. */
export interface Finding extends Span {
  readonly ruleId: string;
  readonly severity: SeverityLevel;
  readonly message: string;
  readonly file: string;
  readonly cluster?: string;
  readonly related: readonly ResolvedRelated[];
  /** Set for parse errors, like ESLint's fatal parsing errors. */
  readonly fatal?: boolean;
  /** The object reported on, when the offending field lies in a Kubernetes object. */
  readonly object?: ObjectRef;
  /** The rule capped this finding at warning (`Report.severity: 'warn'`); config overrides keep the cap. */
  readonly advisory?: boolean;
  /** The id of the rule message the finding was worded from (`meta.messages`), when it has one. */
  readonly messageId?: string;
  /** What the controller will do and how to fix it (the message's `hint`, filled from its data). */
  readonly hint?: string;
  /** The values the message was filled from (for tests and tools; reporters print the text). */
  readonly data?: MessageData;
  /**
   * How the file reached the finding's cluster when it is not in the cluster's own folder: the Flux
   * Kustomization or Argo CD Application that pulled it in (`Kustomization flux-system/apps`).
   */
  readonly via?: string;
  /** The finding worded from its other side (see `Report.mirror`); internal: `lint` drops it before reporting. */
  readonly mirror?: MirroredWording;
}

/**
 * Why a finding is suppressed. `kind` (ESLint's `suppressedMessages[].suppressions[].kind`):
 * `directive` a `# mclint-disable…` comment, `annotation` the object's `mclint.io/ignore`
 * annotation, `config` an `overrides` entry of the config file that turns the rule off, `file`
 * the baseline (`mclint-suppressions.json`, ESLint's kind for its bulk suppressions file; see
 * `suppress/baseline.ts`). `justification` is the reason given (text after ` -- `,
 * `mclint.io/ignore-reason`, the override's `reason`), or '' when none was given (always for
 * `file`). `at`: where the suppression is written.
 */
export interface Suppression {
  readonly kind: 'directive' | 'annotation' | 'config' | 'file';
  readonly justification: string;
  readonly at?: { readonly file: string } & Span;
}

/** A finding that a suppression silenced: kept in the output with its justification. */
export interface SuppressedFinding extends Finding {
  readonly suppressions: readonly Suppression[];
}

/** An info-level note: a finding's shape without severity; never affects the exit code. */
export type Note = Omit<Finding, 'severity' | 'fatal'>;

/** A rule that threw: a bug in mclint, reported with exit code 2. */
export interface InternalError {
  readonly ruleId: string;
  readonly set: string;
  readonly message: string;
  readonly stack?: string;
}
