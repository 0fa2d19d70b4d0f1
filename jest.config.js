/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/functions', '<rootDir>/shared', '<rootDir>/local', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // middy 6 is ESM-only: let swc compile it to CommonJS for jest.
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', keepClassNames: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  // Bundles take zod's ESM English locale (shared/schemas/zod.ts); jest runs CommonJS, so it gets the CJS twin.
  moduleNameMapper: { '^zod/v4/locales/en\\.js$': 'zod/v4/locales/en.cjs' },
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/after-env.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
