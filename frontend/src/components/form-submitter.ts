import type { TFunction } from 'i18next';

/** formSubmitter: a ModalForm's buttons in the console's words (save / cancel), whatever antd's locale. */
export function formSubmitter(t: TFunction) {
  return { searchConfig: { submitText: t('common:actions.save'), resetText: t('common:actions.cancel') } };
}
