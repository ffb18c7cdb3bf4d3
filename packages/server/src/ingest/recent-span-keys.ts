/**
 * The span keys seen most recently, between `capacity` and twice that many: two generations,
 * the older dropped whole when the newer fills, so memory stays bounded with no per-key bookkeeping.
 */
export class RecentSpanKeys {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** Records the key; true when it was already among the recent ones. */
  seen(key: string): boolean {
    if (this.current.has(key) || this.previous.has(key)) return true;
    this.current.add(key);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Set();
    }
    return false;
  }
}
