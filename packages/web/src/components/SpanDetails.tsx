import { AttributeTable } from './AttributeTable';
import { attributeText } from '../lib/attribute-text';
import { formatDuration } from '../lib/format';
import { Link } from '../lib/router';
import { serviceColor } from '../lib/service-color';
import type { TraceModel, UiSpan } from '../lib/trace-model';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS = ['unset', 'ok', 'error'];

/** Everything about one span: timing, status, attributes, events (exceptions with their stack), links, resource and scope. */
export function SpanDetails({ span, trace, onClose }: { span: UiSpan; trace: TraceModel; onClose: () => void }) {
  const raw = span.raw;
  return (
    <aside className="span-details panel" aria-label="Span details" data-span-id={raw.spanId}>
      <header>
        <span className="svc-chip" style={{ background: serviceColor(span.service) }} />
        <h2>
          {span.service}: {raw.name}
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
        <dd>{KINDS[raw.kind] ?? raw.kind}</dd>
        <dt>Status</dt>
        <dd className={span.isError ? 'error-text' : undefined} data-testid="span-status">
          {STATUS[raw.status.code] ?? raw.status.code}
          {raw.status.message && `: ${raw.status.message}`}
        </dd>
        <dt>Span id</dt>
        <dd className="mono">{raw.spanId}</dd>
        {raw.parentSpanId && (
          <>
            <dt>Parent</dt>
            <dd className="mono">{raw.parentSpanId}</dd>
          </>
        )}
      </dl>
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
        <AttributeTable attributes={span.resource.attributes} label="Resource" />
      </section>
      <section>
        <h3>Instrumentation scope</h3>
        <p>
          {span.scope.name || <span className="muted">(unnamed)</span>} {span.scope.version}
        </p>
        {span.scope.attributes.length > 0 && <AttributeTable attributes={span.scope.attributes} label="Scope attributes" />}
      </section>
    </aside>
  );
}
