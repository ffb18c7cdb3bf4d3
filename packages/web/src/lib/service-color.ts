/** Distinguishable hues, chosen per service by a stable hash so a service keeps its colour across pages. */
const HUES = [210, 28, 140, 280, 350, 180, 50, 250, 100, 320, 10, 195];

export function serviceColor(service: string): string {
  let h = 0;
  for (let i = 0; i < service.length; i++) h = (h * 31 + service.charCodeAt(i)) | 0;
  return `hsl(${HUES[Math.abs(h) % HUES.length]} 65% 52%)`;
}
