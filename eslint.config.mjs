import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noAppImports = {
  group: ['**/apps/*/**', '../../apps/**'],
  message: 'apps never import another app; use a lib or IPC.',
};
const noTestingImports = {
  group: ['@sogoms/*/testing', '@sogoms/*/testing/**'],
  message: 'test fixtures (@sogoms/<lib>/testing) are for specs and tests only.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**', 'run/**', 'logs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.mjs',
            'bin/*.js',
            'scripts/*.mjs',
            'bench/*.mjs',
            'config/apps/*/modules/*.mjs',
          ],
          // The project's own scripts (bin, scripts, bench, demo modules) are a few more than 8.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      // Apps talk to each other over IPC only, never by import; fixtures stay out of production code.
      'no-restricted-imports': ['error', { patterns: [noAppImports, noTestingImports] }],
    },
  },
  {
    // Specs, e2e tests, fixtures and the bench may use the libs' test kits (@sogoms/<lib>/testing).
    files: ['**/*.spec.ts', 'test/**', '**/testing/**', '**/testing.ts', 'bench/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noAppImports] }],
    },
  },
  {
    // Tests read arbitrary JSON envelopes; typing each one would only restate the assertions.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
  },
);
