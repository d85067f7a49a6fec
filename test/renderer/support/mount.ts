import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { Component } from 'vue';
import { createAppI18n, type LocaleCode } from '../../../renderer/src/i18n';

/** A fresh real Pinia, made active so the test can reach the same stores the component uses. */
export function freshPinia(): Pinia {
  const pinia = createPinia();
  setActivePinia(pinia);
  return pinia;
}

/** Mounts a component with a real i18n (English unless told) and the given (or a fresh) Pinia, attached to the document. */
export function mountWithApp<C extends Component>(
  component: C,
  options: ComponentMountingOptions<C> & { pinia?: Pinia; locale?: LocaleCode } = {},
) {
  const { pinia = freshPinia(), locale = 'en', ...rest } = options;
  const i18n = createAppI18n(locale);
  return mount(component, {
    attachTo: document.body,
    ...rest,
    global: { ...rest.global, plugins: [...(rest.global?.plugins ?? []), pinia, i18n] },
  } as ComponentMountingOptions<C>);
}
