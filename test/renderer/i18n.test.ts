// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import type { BackendKind, GroupType, SessionState } from '../../shared/types';
import { VALIDATION_REASONS } from '../../shared/validation-reasons';
import StatusBar from '../../renderer/src/components/StatusBar.vue';
import { createAppI18n, initialLocale, LOCALES } from '../../renderer/src/i18n';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-cn';
import { CHART_SCALES, CHART_WINDOWS } from '../../renderer/src/stores/series';
import { useSessionStore } from '../../renderer/src/stores/session';
import { installFakeCountdeck, sessionSnapshot, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';

type Tree = { [key: string]: string | Tree };

/** Every leaf of a message tree as [dotted path, text]. */
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`),
  );
}

const EN = new Map(leaves(en as unknown as Tree));
const ZH = new Map(leaves(zhCN as unknown as Tree));
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();

describe('message catalogues', () => {
  it('have exactly the same key paths in English and Chinese', () => {
    expect([...ZH.keys()].sort()).toEqual([...EN.keys()].sort());
    expect(EN.size).toBeGreaterThan(100);
  });

  it('have no empty messages', () => {
    for (const [path, text] of [...EN, ...ZH]) expect(text.trim(), path).not.toBe('');
  });

  it('name the same {placeholders} in both languages for every key', () => {
    for (const [path, text] of EN) expect(placeholders(ZH.get(path) ?? ''), path).toEqual(placeholders(text));
  });

  it('have a message in both languages for every validation reason', () => {
    for (const reason of VALIDATION_REASONS) {
      expect(EN.get(`validation.${reason}`), reason).toBeTruthy();
      expect(ZH.get(`validation.${reason}`), reason).toBeTruthy();
    }
    // …and no message for a reason the validators do not have.
    const known = new Set<string>(VALIDATION_REASONS);
    for (const path of EN.keys()) if (path.startsWith('validation.')) expect(known.has(path.slice('validation.'.length)), path).toBe(true);
  });

  it('only translate error codes that exist, and translate the ones the UI relies on', () => {
    const codes = new Set<number>(Object.values(ErrorCode));
    const named = [...EN.keys()].filter((path) => /^errors\.\d+$/.test(path)).map((path) => Number(path.slice('errors.'.length)));
    expect(named.length).toBeGreaterThan(0);
    for (const code of named) expect(codes.has(code), `errors.${code}`).toBe(true);
    // The budget's refusal (2996), the edition (3122), capacity (9006), membership and missing groups.
    for (const code of [2996, 2999, 3122, 9006, 9011, 9020, 10007, 10010]) {
      expect(EN.has(`errors.${code}`), `errors.${code}`).toBe(true);
      expect(ZH.has(`errors.${code}`), `errors.${code}`).toBe(true);
    }
  });

  // The core puts these codes on the session as its reason (lost link, kick-outs, sign-in timeout).
  it('have a message for every session reason the core raises', () => {
    const reasons = [
      ErrorCode.NETWORK_ERROR,
      ErrorCode.NETWORK_TIMEOUT,
      ErrorCode.NO_NETWORK,
      ErrorCode.KICKED_OUT_MULT_DEVICE,
      ErrorCode.KICKED_OUT_MULT_ACCOUNT,
      ErrorCode.KICKED_OUT_USERSIG_EXPIRED,
      ErrorCode.KICKED_OUT_REST_API,
      ErrorCode.SIGN_IN_TIMEOUT,
    ];
    expect(reasons.filter((code) => !ZH.has(`errors.${code}`))).toEqual([]);
  });

  it('render every message in both languages, placeholders filled, without i18n warnings', () => {
    for (const { code } of LOCALES) {
      const warnings: string[] = [];
      const i18n = createAppI18n(code);
      i18n.global.setMissingHandler((locale, key) => void warnings.push(`${locale}: missing ${key}`));
      for (const [path, text] of EN) {
        const params = Object.fromEntries(placeholders(text).map((name) => [name, `<${name}>`]));
        const shown = i18n.global.t(path, params);
        expect(shown, `${code} ${path}`).not.toBe(path);
        expect(shown, `${code} ${path}`).not.toMatch(/\{\w+\}/);
        for (const name of Object.keys(params)) expect(shown, `${code} ${path}`).toContain(`<${name}>`);
      }
      expect(warnings).toEqual([]);
    }
  });

  it('have a label for every session state, backend and group type the UI looks up by name', () => {
    // Records, so that a new state, backend or type added to shared/types.ts fails to compile here until listed.
    const states: Record<SessionState, true> = { 'signed-out': true, 'signing-in': true, ready: true, reconnecting: true, 'kicked-out': true, failed: true };
    const backends: Record<BackendKind, true> = { local: true, tencent: true };
    const types: Record<GroupType, true> = { Public: true, Private: true, ChatRoom: true, AVChatRoom: true, Community: true };
    const paths = [
      ...Object.keys(states).map((state) => `status.state.${state}`),
      ...Object.keys(backends).map((backend) => `status.backend.${backend}`),
      ...Object.keys(types).map((type) => `groupType.${type}`),
      ...CHART_WINDOWS.map((window) => `chart.windows.${window}`),
      ...CHART_SCALES.map((scale) => `chart.scales.${scale}`),
    ];
    for (const path of paths) {
      expect(EN.get(path), path).toBeTruthy();
      expect(ZH.get(path), path).toBeTruthy();
    }
  });

  it('pluralise the bulk button in English', () => {
    const { t } = createAppI18n('en').global;
    expect(t('bulk.apply', { count: 1 }, 1)).toBe('Set 1 counter');
    expect(t('bulk.apply', { count: 3 }, 3)).toBe('Set 3 counters');
    expect(createAppI18n('zh-CN').global.t('bulk.apply', { count: 3 }, 3)).toBe('设置 3 个计数器');
  });
});

describe('initialLocale', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['ZH-hk', 'zh-CN'],
    ['en-US', 'en'],
    ['fr-FR', 'en'],
    ['', 'en'],
  ])('without a saved choice, the system language %j gives %s', (system, expected) => {
    expect(initialLocale(null, system)).toBe(expected);
  });

  it('lets the saved choice win over the system language', () => {
    expect(initialLocale('en', 'zh-CN')).toBe('en');
    expect(initialLocale('zh-CN', 'en-US')).toBe('zh-CN');
  });

  it('ignores a saved value that is not a language it has', () => {
    expect(initialLocale('de', 'zh-TW')).toBe('zh-CN');
    expect(initialLocale('de', 'en-GB')).toBe('en');
  });

  it('is what createAppI18n starts with by default (the choice saved in localStorage)', () => {
    localStorage.setItem('countdeck.locale', 'zh-CN');
    try {
      expect(createAppI18n().global.locale.value).toBe('zh-CN');
    } finally {
      localStorage.removeItem('countdeck.locale');
    }
  });
});

describe('switching language in the status bar', () => {
  let api: FakeCountdeck;
  let wrapper: VueWrapper | undefined;

  beforeEach(() => {
    api = installFakeCountdeck();
    localStorage.clear();
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    localStorage.clear();
    document.documentElement.lang = '';
  });

  it('shows Chinese labels, remembers the choice and tells the page its language', async () => {
    api.getSession.mockResolvedValue(sessionSnapshot({ state: 'ready', backend: 'tencent', userID: 'host-01' }));
    const pinia = freshPinia();
    await useSessionStore().start();
    wrapper = mountWithApp(StatusBar, { pinia });
    expect(wrapper.get('.connection strong').text()).toBe('Connected');
    expect(wrapper.text()).toContain('host-01 · Tencent Cloud');

    const select = wrapper.get('select');
    expect((select.element as HTMLSelectElement).value).toBe('en');
    await select.setValue('zh-CN');
    await flushPromises();

    expect(wrapper.get('.connection strong').text()).toBe('已连接');
    expect(wrapper.text()).toContain('host-01 · 腾讯云');
    expect(wrapper.text()).toContain('写入');
    expect(wrapper.text()).toContain('已用 0 / 20');
    expect(wrapper.text()).not.toContain('Connected');
    expect(localStorage.getItem('countdeck.locale')).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');

    await select.setValue('en');
    expect(wrapper.get('.connection strong').text()).toBe('Connected');
    expect(localStorage.getItem('countdeck.locale')).toBe('en');
  });

  it('says a session reason in Chinese when a translation exists', async () => {
    api.getSession.mockResolvedValue(
      sessionSnapshot({ state: 'failed', reason: { code: ErrorCode.NO_USE, message: 'NO_USE from the SDK' } }),
    );
    const pinia = freshPinia();
    await useSessionStore().start();
    wrapper = mountWithApp(StatusBar, { pinia, locale: 'zh-CN' });
    expect(wrapper.get('.connection strong').text()).toBe('连接失败');
    expect(wrapper.get('.reason').text()).toBe('群计数器需要腾讯云即时通信 IM 旗舰版：请在控制台升级该应用。');
  });
});
