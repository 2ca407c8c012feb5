/** Where an image cell would be loaded from, and so whether it may be loaded without asking. */
export type ImageSource =
  | { kind: 'inline'; src: string }
  | { kind: 'same-origin'; src: string }
  | { kind: 'cross-origin'; src: string; origin: string }
  | { kind: 'none' };

/**
 * Classifies an image cell: `data:image/…` URLs are inline; URLs resolving to the page's origin are
 * same-origin; anything else is cross-origin, which a dataset may not make the page fetch until
 * the user allows it for that dataset (fetching a URL tells its server that someone opened it).
 * Only http(s) and data:image URLs count as images; `javascript:` and the like are never images.
 */
export function imageSource(value: unknown, baseUrl: string): ImageSource {
  if (typeof value !== 'string') return { kind: 'none' };
  const v = value.trim();
  if (/^data:image\/(png|jpe?g|gif|webp|bmp|avif);base64,[A-Za-z0-9+/=\s]+$/i.test(v))
    return { kind: 'inline', src: v };
  let url: URL;
  try {
    url = new URL(v, baseUrl);
  } catch {
    return { kind: 'none' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'none' };
  return url.origin === new URL(baseUrl).origin
    ? { kind: 'same-origin', src: url.href }
    : { kind: 'cross-origin', src: url.href, origin: url.origin };
}
