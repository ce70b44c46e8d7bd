import type { ReactNode } from 'react';
import { LanguageSwitch } from '../../app/layout/LanguageSwitch';

/** AuthShell frames the pages outside the console (sign-in, signup, set password). */
export function AuthShell({ children }: { children: ReactNode }) {
  return (
    <div style={{ minHeight: '100vh', background: 'linear-gradient(180deg, #f0f5ff 0%, #fff 60%)', paddingTop: 48 }}>
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <main>{children}</main>
    </div>
  );
}
