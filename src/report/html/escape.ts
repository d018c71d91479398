/**
 * Escaping for the HTML report: every text the report did not write itself (cluster and
 * service names, messages, file paths, CIDRs as written) goes through `esc` before it reaches
 * the page, in element content and in double-quoted attribute values alike. The rules are the
 * HTML Living Standard's: `&`, `<`, `>`, `"` and `'` as character references neutralise markup
 * and attribute breaks. The page embeds no data in its script (the pictures are drawn at
 * generation time), so no text reaches a `<script>` element.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `text` safe as HTML element content or a quoted attribute value. Control characters other
 * than tab and newline (C0, DEL, C1), bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069: "Trojan Source" reordering) and lone surrogates become U+FFFD, so a hostile name
 * cannot carry terminal escapes, reorder what the page shows, or break the document's encoding.
 */
export function esc(text: string | number | undefined): string {
  if (text === undefined) return '';
  return (
    String(text)
      .replace(/[&<>"']/g, (c) => ENTITIES[c])
      // eslint-disable-next-line no-control-regex -- control characters are what this replaces
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  );
}
