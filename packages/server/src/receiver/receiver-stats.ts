/** What a receiver took in, for /api/v1/stats. */
export interface ReceiverStats {
  acceptedSpans: number;
  rejectedSpans: number;
  failedRequests: number;
}

export const newReceiverStats = (): ReceiverStats => ({ acceptedSpans: 0, rejectedSpans: 0, failedRequests: 0 });
