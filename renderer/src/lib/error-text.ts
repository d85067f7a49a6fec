import { useI18n } from 'vue-i18n';
import type { ErrorInfo } from '../../../shared/errors';

/** Says an error in the operator's language: the rule broken, or the code's own text, else the core's message. */
export function useErrorText(): (error: ErrorInfo) => string {
  const { t, te } = useI18n();
  return (error) => {
    if (error.reason !== undefined && te(`validation.${error.reason}`)) return t(`validation.${error.reason}`, error.params ?? {});
    return te(`errors.${error.code}`) ? t(`errors.${error.code}`) : error.message;
  };
}
