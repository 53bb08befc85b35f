// The manifest module: the contract every stage reads or writes, outside any one stage's folder.
export * from './manifest-schema';
export * from './read-manifest';
export * from './table-files';
export * from './write-manifest';
