/**
 * Build-time stand-in for `ajv-i18n`, which kubernetes-models' validator runner loads to translate
 * ajv messages into English. mclint words every schema message itself from the error's keyword
 * and params (src/schema/index.ts), so the 120 KB of translations would only slow the cold start.
 */
export default { en(): void {} };
