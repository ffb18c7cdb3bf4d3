import { readFileSync } from 'node:fs';
import { Errors } from '../errors.js';

/** What an ingest token grants: spans into one tenant's project, at most at its rate. */
export interface IngestToken {
  tenant: string;
  project: string;
  /** Spans per second for the tenant; the gateway's default when absent. */
  rateLimitSpansPerSecond?: number;
  /** A revoked token is refused with 403, like an unknown one. */
  revoked?: boolean;
}

/** Ingest tokens by their secret value, loaded once at startup. */
export class IngestTokens {
  constructor(private readonly byToken: ReadonlyMap<string, IngestToken>) {}

  /** Reads `{ "<token>": { tenant, project, rateLimitSpansPerSecond?, revoked? } }`; throws ARIADNE_INVALID_CONFIG naming the bad entry. */
  static load(path: string): IngestTokens {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw Errors.invalidConfig(`cannot read tokens file ${path}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw Errors.invalidConfig(`tokens file ${path} must hold a JSON object of token → { tenant, project }`);
    }
    const byToken = new Map<string, IngestToken>();
    for (const [token, entry] of Object.entries(parsed)) {
      const e = entry as Partial<IngestToken>;
      const where = `tokens file ${path}, token '${token.slice(0, 4)}…'`;
      if (token.length < 8) throw Errors.invalidConfig(`${where}: a token must be at least 8 characters`);
      if (typeof e?.tenant !== 'string' || e.tenant === '') throw Errors.invalidConfig(`${where}: tenant must be a non-empty string`);
      if (typeof e.project !== 'string' || e.project === '') throw Errors.invalidConfig(`${where}: project must be a non-empty string`);
      const rate = e.rateLimitSpansPerSecond;
      if (rate !== undefined && !(typeof rate === 'number' && rate > 0)) {
        throw Errors.invalidConfig(`${where}: rateLimitSpansPerSecond must be a number above zero`);
      }
      if (e.revoked !== undefined && typeof e.revoked !== 'boolean') throw Errors.invalidConfig(`${where}: revoked must be true or false`);
      byToken.set(token, { tenant: e.tenant, project: e.project, rateLimitSpansPerSecond: rate, revoked: e.revoked });
    }
    return new IngestTokens(byToken);
  }

  /** The token of an `Authorization: Bearer …` header; throws 401 without one, 403 for an unknown or revoked one. */
  authenticate(authorization: string | undefined): IngestToken {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw Errors.missingToken();
    const token = this.byToken.get(match[1]);
    if (!token || token.revoked) throw Errors.invalidToken();
    return token;
  }

  /** Each tenant's rate limit: the lowest its live tokens set. */
  tenantRateLimits(): Map<string, number> {
    const limits = new Map<string, number>();
    for (const t of this.byToken.values()) {
      if (t.revoked || t.rateLimitSpansPerSecond === undefined) continue;
      limits.set(t.tenant, Math.min(limits.get(t.tenant) ?? Infinity, t.rateLimitSpansPerSecond));
    }
    return limits;
  }
}
