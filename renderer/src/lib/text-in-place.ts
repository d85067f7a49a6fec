import type { Directive } from 'vue';

/**
 * `v-text-in-place="text"`: an element's text, changed by setting its text node's value. Vue's own
 * patch of an element holding only text assigns `textContent`, which swaps in a new node each time;
 * for cells that change every frame that is layout thrown away and built again.
 */
export const vTextInPlace: Directive<HTMLElement, string> = {
  beforeMount(element, { value }) {
    element.textContent = value;
  },
  updated(element, { value }) {
    const node = element.firstChild;
    if (node !== null && node === element.lastChild && node.nodeType === Node.TEXT_NODE) {
      if (node.nodeValue !== value) node.nodeValue = value;
    } else {
      element.textContent = value;
    }
  },
};
