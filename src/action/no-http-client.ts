/**
 * Build-time stand-in for `@actions/http-client`, which `@actions/core` loads only for OIDC
 * tokens (`core.getIDToken`). The action never asks for one; the stand-in keeps the HTTP client
 * and its dependencies (undici) out of the committed bundle.
 */
const unavailable = (): never => {
  throw new Error('@actions/http-client is not bundled with the mclint action');
};

/** Throws when constructed: OIDC tokens are not available in the mclint action. */
export class HttpClient {
  constructor() {
    unavailable();
  }
}

/** Throws when constructed: OIDC tokens are not available in the mclint action. */
export class BearerCredentialHandler {
  constructor() {
    unavailable();
  }
}
