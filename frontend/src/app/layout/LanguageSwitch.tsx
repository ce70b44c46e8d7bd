import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, languages } from '../../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Dropdown
      menu={{
        selectedKeys: [i18n.language],
        items: languages.map((l) => ({ key: l, label: t(`languages.${l}`) })),
        onClick: ({ key }) => changeLanguage(key as (typeof languages)[number]),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} aria-label={t('header.language')}>
        {t(`languages.${i18n.language}`)}
      </Button>
    </Dropdown>
  );
}
