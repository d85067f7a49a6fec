import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { applyLocale, createAppI18n } from './i18n';
import './styles/theme.css';

const i18n = createAppI18n();
applyLocale(i18n.global.locale.value);
createApp(App).use(createPinia()).use(i18n).mount('#app');
