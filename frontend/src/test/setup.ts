// Vitest's browser-like environment: jsdom lacks a few APIs antd uses.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../i18n';

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});

window.matchMedia ??= (query: string) =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }) as MediaQueryList;

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// antd measures scrollbars through getComputedStyle with a pseudo element, which jsdom does not implement.
const { getComputedStyle } = window;
window.getComputedStyle = (element: Element) => getComputedStyle(element);

// antd injects its CSS-in-JS rules as <style> elements, and jsdom then matches every rule against
// every element on each getComputedStyle (antd's form items and user-event's pointer-events check
// call it on every render and click): over a third of a form test's time, most of the suite's.
// Style elements are given a type jsdom does not parse as CSS, so nothing matches a sheet and
// computed styles are the inline ones; antd's own hiding is by inline style or by unmounting.
for (const method of ['appendChild', 'insertBefore', 'prepend'] as const) {
  const original = HTMLHeadElement.prototype[method] as (...args: unknown[]) => unknown;
  (HTMLHeadElement.prototype as unknown as Record<string, unknown>)[method] = function (this: HTMLHeadElement, node: Node, ...rest: unknown[]) {
    if (node instanceof HTMLStyleElement) node.type = 'text/x-unparsed-in-tests';
    return original.call(this, node, ...rest);
  };
}
