import { Errors } from '../errors.js';
import { ALERT_SIGNALS, CHANNEL_TYPES, COMPARISONS } from './alert-model.js';
import type { AlertChannel, AlertRule, AlertScope, AlertSilence, SilenceMatcher } from './alert-model.js';
import { jsonEscape, renderTemplate, templateVariables } from './render-template.js';

/** A rule, channel or silence as a client sends it: without id and timestamps. */
export type RuleInput = Omit<AlertRule, 'id' | 'createdAt' | 'updatedAt'>;
export type ChannelInput = Omit<AlertChannel, 'id' | 'createdAt' | 'updatedAt'>;
export type SilenceInput = Omit<AlertSilence, 'id' | 'createdAt' | 'updatedAt'>;

export const PERCENTILES = [50, 75, 90, 95, 99, 99.9];
export const SUMMARY_VARIABLES = ['rule', 'signal', 'service', 'operation', 'parent', 'child', 'value', 'threshold', 'comparison', 'state'];
const MAX_WINDOW_SECONDS = 7 * 24 * 3600;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DEFAULT_SUMMARIES: Record<AlertRule['signal'], string> = {
  error_rate: '{{rule}}: error rate {{value}} {{comparison}} {{threshold}}',
  latency: '{{rule}}: latency {{value}} ms {{comparison}} {{threshold}} ms',
  request_rate: '{{rule}}: {{value}} requests/s {{comparison}} {{threshold}}',
  absence: '{{rule}}: {{value}} requests in the window',
  new_error_groups: '{{rule}}: {{value}} new error groups',
};

type Json = Record<string, unknown>;

/** Reads fields of one JSON object; every failure names the field by its path. */
class Fields {
  private readonly seen = new Set<string>();
  constructor(
    private readonly path: string,
    private readonly body: Json,
  ) {}

  static of(path: string, value: unknown): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw Errors.invalidField(path, 'must be a JSON object');
    return new Fields(path, value as Json);
  }

  fail(name: string, detail: string): never {
    throw Errors.invalidField(`${this.path}.${name}`, detail);
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  raw(name: string): unknown {
    this.seen.add(name);
    return this.body[name];
  }

  string(name: string, fallback?: string, maxLength = 1000): string {
    const value = this.raw(name) ?? fallback;
    if (typeof value !== 'string' || (value.trim() === '' && fallback === undefined)) this.fail(name, 'must be a non-empty string');
    if (value.length > maxLength) this.fail(name, `must be at most ${maxLength} characters`);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : (this.raw(name), undefined);
  }

  oneOf<T extends string>(name: string, options: readonly T[], fallback?: T): T {
    const value = this.raw(name) ?? fallback;
    if (!options.includes(value as T)) this.fail(name, `must be one of ${options.join(', ')}`);
    return value as T;
  }

  number(name: string, fallback?: number): number {
    const value = this.raw(name) ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(name, 'must be a number');
    return value;
  }

  seconds(name: string, min: number, max: number, fallback?: number): number {
    const value = this.raw(name) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(name, `must be a whole number of seconds from ${min} to ${max}`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name) ?? fallback;
    if (typeof value !== 'boolean') this.fail(name, 'must be true or false');
    return value;
  }

  /** A time as ms since the epoch or an ISO 8601 string. */
  time(name: string, fallback?: number): number {
    const value = this.raw(name) ?? fallback;
    const ms = typeof value === 'string' ? Date.parse(value) : value;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) this.fail(name, 'must be a time: ms since the epoch or an ISO 8601 string');
    return ms;
  }

  stringMap(name: string, keyPattern?: RegExp): Record<string, string> {
    const value = this.raw(name) ?? {};
    const map = Fields.of(`${this.path}.${name}`, value);
    const out: Record<string, string> = {};
    for (const key of Object.keys(map.body)) {
      if (keyPattern && !keyPattern.test(key)) map.fail(key, `is not a valid name (${keyPattern.source})`);
      out[key] = map.string(key, '');
    }
    return out;
  }

  array(name: string): unknown[] {
    const value = this.raw(name) ?? [];
    if (!Array.isArray(value)) this.fail(name, 'must be an array');
    return value;
  }

  object(name: string): Fields {
    return Fields.of(`${this.path}.${name}`, this.raw(name));
  }

  /** Rejects fields no reader asked for: a typo must not pass silently. */
  noOthers(): void {
    for (const key of Object.keys(this.body)) if (!this.seen.has(key)) this.fail(key, 'is not a known field');
  }
}

function scope(f: Fields): AlertScope {
  const type = f.oneOf('type', ['service', 'edge'] as const, f.has('parent') || f.has('child') ? 'edge' : 'service');
  let result: AlertScope;
  if (type === 'edge') {
    result = { type, parent: f.string('parent'), child: f.string('child') };
  } else {
    const operation = f.optionalString('operation');
    result = { type, service: f.string('service'), ...(operation === undefined ? {} : { operation }) };
  }
  f.noOthers();
  return result;
}

/** Validates a rule body; `channelExists` says whether a channel id is known. */
export function validateRule(body: unknown, channelExists: (id: string) => boolean): RuleInput {
  const f: Fields = Fields.of('rules', body);
  const name = f.string('name', undefined, 200);
  const signal = f.oneOf('signal', ALERT_SIGNALS);
  let percentile: number | undefined;
  if (signal === 'latency') {
    percentile = f.number('percentile');
    if (!PERCENTILES.includes(percentile)) f.fail('percentile', `must be one of ${PERCENTILES.join(', ')}`);
  } else if (f.has('percentile')) f.fail('percentile', 'applies only to latency rules');
  const s = scope(f.object('scope'));
  if (signal === 'new_error_groups' && s.type === 'edge') f.fail('scope.type', 'must be service for new_error_groups rules (error groups belong to services)');
  if (signal === 'new_error_groups' && s.type === 'service' && s.operation !== undefined) f.fail('scope.operation', 'must be absent for new_error_groups rules (error groups belong to services)');
  const absence = signal === 'absence';
  const comparison = f.oneOf('comparison', COMPARISONS, absence ? '<=' : undefined);
  const threshold = f.number('threshold', absence ? 0 : undefined);
  if (threshold < 0) f.fail('threshold', 'must be zero or more');
  if (signal === 'error_rate' && threshold > 1) f.fail('threshold', 'must be between 0 and 1 for error_rate (a fraction of requests)');
  const windowSeconds = f.seconds('windowSeconds', 60, MAX_WINDOW_SECONDS, 300);
  const forSeconds = f.seconds('forSeconds', 0, MAX_WINDOW_SECONDS, 0);
  let baselineSeconds: number | undefined;
  if (signal === 'new_error_groups') baselineSeconds = f.seconds('baselineSeconds', 60, 30 * 24 * 3600, 24 * 3600);
  else if (f.has('baselineSeconds')) f.fail('baselineSeconds', 'applies only to new_error_groups rules');
  const renotifySeconds = f.seconds('renotifySeconds', 0, MAX_WINDOW_SECONDS, 0);
  const labels = f.stringMap('labels', LABEL_NAME);
  const summary = f.string('summary', DEFAULT_SUMMARIES[signal], 2000);
  for (const variable of templateVariables(summary)) {
    const label = variable.startsWith('labels.') ? variable.slice('labels.'.length) : undefined;
    if (label !== undefined ? !Object.hasOwn(labels, label) : !SUMMARY_VARIABLES.includes(variable)) {
      f.fail('summary', `unknown variable {{${variable}}}; use ${SUMMARY_VARIABLES.join(', ')} or labels.NAME of a label of the rule`);
    }
  }
  const channelIds = f.array('channelIds').map((id, i): string => {
    if (typeof id !== 'string') f.fail(`channelIds[${i}]`, 'must be a string');
    if (!channelExists(id)) f.fail(`channelIds[${i}]`, `no channel with id '${id}'`);
    return id;
  });
  const enabled = f.boolean('enabled', true);
  f.noOthers();
  return {
    name,
    signal,
    ...(percentile === undefined ? {} : { percentile }),
    scope: s,
    comparison,
    threshold,
    windowSeconds,
    forSeconds,
    ...(baselineSeconds === undefined ? {} : { baselineSeconds }),
    renotifySeconds,
    labels,
    summary,
    channelIds,
    enabled,
  };
}

/** Validates a channel body; a body template must give valid JSON for any values. */
export function validateChannel(body: unknown): ChannelInput {
  const f: Fields = Fields.of('channels', body);
  const name = f.string('name', undefined, 200);
  const type = f.oneOf('type', CHANNEL_TYPES, 'webhook');
  const url = f.string('url', undefined, 2000);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') f.fail('url', 'must be an http or https URL');
  const headers = f.stringMap('headers');
  const bodyTemplate = f.optionalString('bodyTemplate');
  if (bodyTemplate !== undefined) {
    if (type !== 'webhook') f.fail('bodyTemplate', 'applies only to webhook channels');
    // Quotes and backslashes in values are what breaks hand-made JSON: try them.
    const sample = Object.fromEntries(templateVariables(bodyTemplate).map((v) => [v, '"\\\n']));
    try {
      JSON.parse(renderTemplate(bodyTemplate, sample, jsonEscape));
    } catch (err) {
      f.fail('bodyTemplate', `must give valid JSON once filled in (placeholders belong inside strings): ${(err as Error).message}`);
    }
  }
  f.noOthers();
  return { name, type, url, headers, ...(bodyTemplate === undefined ? {} : { bodyTemplate }) };
}

/** Validates a silence body; `nowMs` is the default start. */
export function validateSilence(body: unknown, nowMs: number): SilenceInput {
  const f: Fields = Fields.of('silences', body);
  const rawMatchers = f.array('matchers');
  if (rawMatchers.length === 0) f.fail('matchers', 'must hold at least one {label, value}');
  const matchers = rawMatchers.map((m, i): SilenceMatcher => {
    const mf: Fields = Fields.of(`silences.matchers[${i}]`, m);
    const matcher = { label: mf.string('label'), value: mf.string('value', '') };
    mf.noOthers();
    return matcher;
  });
  const startsAt = f.time('startsAt', nowMs);
  const endsAt = f.time('endsAt');
  if (endsAt <= startsAt) f.fail('endsAt', 'must be after startsAt');
  const comment = f.string('comment', '');
  f.noOthers();
  return { matchers, startsAt, endsAt, comment };
}
