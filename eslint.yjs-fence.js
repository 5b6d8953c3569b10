// The Yjs fence: fields Yjs does not document, and readers of its binary format, are used only in
// shared/src/yjs-internals/ (its README.md says what they rely on and how to review a Yjs upgrade).
// Self-contained so that it merges with other rule blocks; note that a later block setting
// `no-restricted-syntax` for the same files would replace these selectors, not add to them.

/** Underscore fields of Yjs's types, docs, items and transactions (yjs 13.6 .d.ts files, lib0's Observable). */
const PRIVATE_FIELDS =
  '^_(map|item|observers|start|length|eH|dEH|searchMarker|prelimContent|prelimAttrs|integrate|copy|write|first|pending|transaction|transactionCleanups|parentSubs|callObserver|mergeStructs|root|store|hasFormatting|needFormattingCleanup)$';

const message = (what) =>
  `${what} is Yjs's internal: use (or add) a named function in shared/src/yjs-internals/ (see its README.md).`;

/** The folder that may use Yjs's internals. */
export const YJS_FENCE = 'shared/src/yjs-internals/**';

/** The rule block: every file but the fence's. */
export const yjsFence = {
  files: ['**/*.ts', '**/*.tsx', '**/*.js'],
  ignores: [YJS_FENCE],
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: `MemberExpression[property.name=/${PRIVATE_FIELDS}/]`, message: message('This field') },
      {
        selector: `TSIndexedAccessType > TSLiteralType > Literal[value=/${PRIVATE_FIELDS}/]`,
        message: message('This field'),
      },
      {
        selector: "MemberExpression[property.name='clients'][object.property.name='store']",
        message: message('A document store`s struct lists'),
      },
      {
        selector: 'MemberExpression[property.name=/^pending(Structs|Ds)$/]',
        message: message('A store`s pending structs'),
      },
      {
        selector: 'ImportDeclaration[source.value=/^(yjs\\/(src|dist)\\/|lib0\\/decoding$)/]',
        message: message('Reading Yjs`s binary format'),
      },
    ],
  },
};
