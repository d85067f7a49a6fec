// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref, withDirectives } from 'vue';
import { vTextInPlace } from '../../renderer/src/lib/text-in-place';

describe('v-text-in-place', () => {
  it('changes the text by setting its text node’s value, keeping the node', async () => {
    const text = ref('1,000');
    const wrapper = mount(defineComponent(() => () => withDirectives(h('td'), [[vTextInPlace, text.value]])));
    const node = wrapper.element.firstChild;
    expect(wrapper.text()).toBe('1,000');
    text.value = '1,001';
    await nextTick();
    expect(wrapper.text()).toBe('1,001');
    expect(wrapper.element.firstChild).toBe(node);
    expect(wrapper.element.childNodes).toHaveLength(1);
  });

  it('puts the text back as the only child if something else got in', async () => {
    const text = ref('a');
    const wrapper = mount(defineComponent(() => () => withDirectives(h('span'), [[vTextInPlace, text.value]])));
    wrapper.element.append(document.createElement('b'));
    text.value = 'b';
    await nextTick();
    expect(wrapper.element.innerHTML).toBe('b');
  });
});
