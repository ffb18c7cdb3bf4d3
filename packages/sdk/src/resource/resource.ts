import type { Attributes } from '@opentelemetry/api';

/** The entity producing telemetry; immutable. */
export class Resource {
  constructor(
    readonly attributes: Attributes,
    readonly schemaUrl?: string,
  ) {}

  /** A resource with `other`'s attributes over this one's. */
  merge(other: Resource | undefined): Resource {
    if (other === undefined) return this;
    return new Resource({ ...this.attributes, ...other.attributes }, other.schemaUrl ?? this.schemaUrl);
  }
}
