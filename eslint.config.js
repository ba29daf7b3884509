// ESLint 9 flat config: typescript-eslint's type-checked rules over every TypeScript file of the
// workspace (each file typed by the tsconfig.json nearest to it). No stylistic rules: layout is
// Prettier's job (.prettierrc.json), so the two never fight. See README.md, "Development".
// A per-line disable names the rule and says why after `--`:
//   // eslint-disable-next-line no-control-regex -- RFC 7616 §3.4: reject control characters
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.tmp/**', '**/coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Root config files belong to no tsconfig; they are typed with a default project.
          allowDefaultProject: ['eslint.config.js', 'vitest.config.ts', 'knip.config.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      // A disable comment that no longer suppresses anything is itself an error.
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Beyond recommendedTypeChecked (which already has no-floating-promises, no-misused-promises,
      // no-explicit-any and the no-unsafe-* family):
      // a switch over a union or enum names every member; `default` counts only for non-unions.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      // Imports that exist only for types say so (matches verbatimModuleSyntax).
      '@typescript-eslint/consistent-type-imports': 'error',
      // Rethrowing or rejecting with a non-Error loses the stack.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // `_name` marks an intentionally unused parameter or binding (a table slot's positional
      // argument the package ignores, or a field dropped from a rest copy).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Off, argued: the SSP/AP function tables mirror ntsecpkg.h's structs of function pointers.
      // A slot is read off its table and called without a receiver by design (the registry binds
      // every member to its table when it loads a package, see maskTable in core's registry.ts),
      // so every finding of this rule here is a table slot read, never a lost `this`.
      '@typescript-eslint/unbound-method': 'off',
      // Off, argued: an `async` function without `await` is how a slot typed to return a promise
      // turns a synchronous throw into a rejection; rewriting those as Promise.resolve(...) would
      // change that behaviour. Floating and misused promises stay checked.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests: vitest's asymmetric matchers (expect.any, expect.stringContaining ...) are typed
    // `any`, so placing one inside toEqual/toMatchObject is the only "unsafe" assignment there.
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
