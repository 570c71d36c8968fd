/**
 * The architecture, checked by `npm run lint`: no import cycle anywhere in src/, and arrows only
 * down: cli (entry, program, runner) → commands → ui / provider / config → http → oidc → check/errors.
 * Type-only imports count too: a layer that needs another's types depends on it.
 */
const lower = '^src/(oidc|http|provider|config|mock|ui)/';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'lower-layers-never-import-commands-or-cli',
      severity: 'error',
      from: { path: lower },
      to: { path: '^src/(cli|commands)/' },
    },
    {
      name: 'commands-never-import-cli',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'oidc-is-pure',
      comment: 'Protocol logic: no network, files, process or terminal; only node:crypto and jose.',
      severity: 'error',
      from: { path: '^src/oidc/' },
      to: {
        path: '^src/(http|provider|config|mock|ui)/|^(node:)?(fs|net|http|https|child_process|tty|readline)',
      },
    },
    {
      name: 'http-below-provider',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(provider|config|mock|ui)/' },
    },
    {
      name: 'provider-never-imports-ui-or-config',
      comment:
        'The network layer speaks plain values: what to show and which settings apply are decided above it.',
      severity: 'error',
      from: { path: '^src/provider/' },
      to: { path: '^src/(ui|config)/' },
    },
    {
      name: 'a-command-never-imports-another',
      comment:
        'What two commands share lives in src/commands/shared/; demo runs login through the command list.',
      severity: 'error',
      from: { path: '^src/commands/([^/]+)/' },
      to: { path: '^src/commands/[^/]+/', pathNot: ['^src/commands/shared/', '^src/commands/$1/'] },
    },
    {
      name: 'shared-never-imports-a-command',
      severity: 'error',
      from: { path: '^src/commands/shared/' },
      to: { path: '^src/commands/(?!shared/)[^/]+/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
