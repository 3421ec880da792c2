// ESLint (flat config): typescript-eslint's recommended rules, eslint-plugin-lit (templates) and
// eslint-plugin-wc (custom elements), for the widget and the start page. `npm run lint` runs it with
// Prettier's check; `npm test` runs `npm run lint` first. Scoped to widget/, start/ and common/ for now
// (worker/ and admin/ join later).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.wrangler/**', '.tmp/**'] },
  {
    files: ['widget/**/*.ts', 'start/**/*.ts', 'common/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, lit.configs['flat/recommended'], wc.configs['flat/recommended']],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // `_name` is the house spelling of internal members (vite.config.ts shortens them); unused
      // parameters are spelled `_` too.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Lit's static `properties` and class fields: no decorators, so no constructor attribute reads either.
      'wc/guard-super-call': 'off',
    },
  },
  {
    files: ['widget/test/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.mocha } },
    rules: {
      // Tests reach into shadow roots they just rendered.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Chai's property assertions (`expect(x).to.exist`).
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
