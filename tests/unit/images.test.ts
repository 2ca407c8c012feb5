import { expect, test } from 'vitest';
import { imageSource } from '../../src/core/table/images';

const base = 'https://loupe.example/app/index.html';

test('inline, same-origin and cross-origin images are told apart', () => {
  expect(imageSource('data:image/png;base64,iVBORw0KGgo=', base).kind).toBe('inline');
  expect(imageSource('img/cat.png', base)).toEqual({
    kind: 'same-origin',
    src: 'https://loupe.example/app/img/cat.png',
  });
  expect(imageSource('https://cdn.other.org/a.jpg', base)).toEqual({
    kind: 'cross-origin',
    src: 'https://cdn.other.org/a.jpg',
    origin: 'https://cdn.other.org',
  });
});

test('nothing else is an image', () => {
  expect(imageSource('javascript:alert(1)', base).kind).toBe('none');
  expect(imageSource('data:text/html;base64,PHNjcmlwdD4=', base).kind).toBe('none');
  expect(imageSource('data:image/svg+xml,<svg onload=alert(1)>', base).kind).toBe('none');
  expect(imageSource(null, base).kind).toBe('none');
  expect(imageSource(42, base).kind).toBe('none');
});
