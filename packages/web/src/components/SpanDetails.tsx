import type { OtlpResource, OtlpScope, OtlpSpan, OtlpTraces } from '../api/types';
import { AttributeTable } from './AttributeTable';
import { ErrorState, Loading } from './States';
import { attributeText } from '../lib/attribute-text';
import { formatDuration } from '../lib/format';
import { Link } from '../lib/router';
import { serviceColor } from '../lib/service-color';
import type { TraceModel, UiSpan } from '../lib/trace-model';
import { useFetch } from '../lib/use-fetch';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS = ['unset', 'ok', 'error'];

/**
 * Everything about one span: timing, status, attributes, events (exceptions with their stack),
 * links, resource and scope. The waterfall's outline has the first two; the rest is fetched for
 * this span alone.
 */
export function SpanDetails({ span, trace, onClose }: { span: UiSpan; trace: TraceModel; onClose: () => void }) {
  const fetched = useFetch<OtlpTraces>(`/api/v1/traces/${encodeURIComponent(trace.traceId)}/spans/${encodeURIComponent(span.spanId)}`);
  const rs = fetched.data?.resourceSpans[0];
  const ss = rs?.scopeSpans[0];
  const raw = ss?.spans[0];
  return (
    <aside className="span-details panel" aria-label="Span details" data-span-id={span.spanId}>
      <header>
        <span className="svc-chip" style={{ background: serviceColor(span.service) }} />
        <h2>
          {span.service}: {span.name}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close span details" title="Close (Esc)">
          ×
        </button>
      </header>
      <dl className="span-facts">
        <dt>Duration</dt>
        <dd data-testid="span-duration">{formatDuration(span.duration)}</dd>
        <dt>Starts at</dt>
        <dd>{formatDuration(span.start)}</dd>
        <dt>Kind</dt>
        <dd>{KINDS[span.kind] ?? span.kind}</dd>
        <dt>Status</dt>
        <dd className={span.isError ? 'error-text' : undefined} data-testid="span-status">
          {STATUS[span.statusCode] ?? span.statusCode}
          {span.statusMessage && `: ${span.statusMessage}`}
        </dd>
        <dt>Span id</dt>
        <dd className="mono">{span.spanId}</dd>
        {raw?.parentSpanId && (
          <>
            <dt>Parent</dt>
            <dd className="mono">{raw.parentSpanId}</dd>
          </>
        )}
      </dl>
      {fetched.loading && <Loading what="attributes" />}
      {fetched.error && <ErrorState error={fetched.error} retry={fetched.reload} />}
      {rs && ss && raw && <SpanContent raw={raw} resource={rs.resource} scope={ss.scope} span={span} trace={trace} />}
    </aside>
  );
}

function SpanContent({ raw, resource, scope, span, trace }: { raw: OtlpSpan; resource: OtlpResource; scope: OtlpScope; span: UiSpan; trace: TraceModel }) {
  return (
    <>
      <section>
        <h3>Attributes</h3>
        <AttributeTable attributes={raw.attributes} label="Attributes" />
      </section>
      <section>
        <h3>Events ({raw.events.length})</h3>
        {raw.events.length === 0 && <p className="muted">No events.</p>}
        {raw.events.map((e, i) => {
          const offsetMs = Number(BigInt(e.timeUnixNano) - trace.startNs) / 1e6 - span.start;
          const stack = e.attributes.find((a) => a.key === 'exception.stacktrace');
          const rest = e.attributes.filter((a) => a !== stack);
          return (
            <div key={i} className={e.name === 'exception' ? 'event exception' : 'event'}>
              <div className="event-head">
                <strong>{e.name}</strong> <span className="muted">+{formatDuration(offsetMs)}</span>
              </div>
              <AttributeTable attributes={rest} label={`Event ${e.name} attributes`} />
              {stack && <pre className="stacktrace">{attributeText(stack.value)}</pre>}
            </div>
          );
        })}
      </section>
      {raw.links.length > 0 && (
        <section>
          <h3>Links ({raw.links.length})</h3>
          {raw.links.map((l, i) => (
            <div key={i} className="link">
              <Link to={`/trace/${l.traceId}?span=${l.spanId}`} className="mono">
                {l.traceId.slice(0, 16)}… / {l.spanId}
              </Link>
              <AttributeTable attributes={l.attributes} label="Link attributes" />
            </div>
          ))}
        </section>
      )}
      <section>
        <h3>Resource</h3>
        <AttributeTable attributes={resource.attributes} label="Resource" />
      </section>
      <section>
        <h3>Instrumentation scope</h3>
        <p>
          {scope.name || <span className="muted">(unnamed)</span>} {scope.version}
        </p>
        {scope.attributes.length > 0 && <AttributeTable attributes={scope.attributes} label="Scope attributes" />}
      </section>
    </>
  );
}
