/**
 * The spellings a `boolean` column accepts when its mapping lists none (trueValues / falseValues):
 * part of the mapping language, read by map init and map check and applied by the transform.
 */
export const DEFAULT_TRUE = ['1', 'Y', 'y', 'true', 'TRUE', 'T', 't'];
export const DEFAULT_FALSE = ['0', 'N', 'n', 'false', 'FALSE', 'F', 'f'];
