import { LoupeError } from '../errors';

/**
 * A weight file named by a TF.js model.json, checked to stay in the model's own folder: a relative
 * path with no scheme, no leading slash, no ".." and no query, so a model.json can make Loupe
 * read or fetch nothing but its own weights (issue 12). Returns the path with "./" segments removed.
 */
export function weightPath(p: unknown, model: string): string {
  const text = typeof p === 'string' ? p : '';
  const parts = text.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  const ok =
    text.length > 0 &&
    text.length <= 500 &&
    !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text) &&
    !/^[\\/]/.test(text) &&
    !/[?#%\u0000]/.test(text) &&
    !parts.includes('..') &&
    parts.length > 0;
  if (!ok) {
    throw new LoupeError(
      'bad-model',
      `${model} names the weight file ${JSON.stringify(text).slice(0, 80)}: weight files must be in the model's own folder (a relative path without "..").`,
    );
  }
  return parts.join('/');
}
