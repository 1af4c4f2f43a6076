// Lint rules: ESLint's and typescript-eslint's recommended sets, type-aware, no warnings left behind.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// One no-restricted-imports rule per layer: the folders its files may not import from.
const layers = (rules) =>
  rules.map(([layer, forbidden]) => ({
    files: [`${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((f) => ({
            group: [`**/${f}/*`, `**/${f}/**`],
            message: `${layer}/ does not import ${f}/ (arrows point one way: protocol <- model <- clients/host <- harness -> faults, reports; see docs/ARCHITECTURE.md)`,
          })),
        },
      ],
    },
  }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'runs/**', '.scratch/**', 'interop/**/bin/**', 'interop/**/obj/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'reports/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      // Tests assert on parsed JSON and tap results, which are `any` by nature.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  // Arrows point one way: protocol <- model <- clients/host <- harness -> faults, reports.
  ...layers([
    ['protocol', ['model', 'clients', 'host', 'harness', 'faults', 'reports']],
    ['model', ['clients', 'host', 'harness', 'faults', 'reports']],
    ['clients', ['host', 'harness', 'faults', 'reports']],
    ['host', ['clients', 'harness', 'faults', 'reports']],
    ['faults', ['harness', 'reports']],
    ['reports', ['harness', 'faults', 'clients', 'host']],
  ]),
  {
    // tap runs subtests itself; `t.test(...)` promises and async bodies without await are its idiom.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  {
    // The script report.html inlines runs in the browser.
    files: ['reports/*.js'],
    languageOptions: { globals: { ...globals.browser, uPlot: 'readonly' } },
  },
);
