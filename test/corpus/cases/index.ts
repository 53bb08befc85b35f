import type { CorpusCase } from '../../helpers/corpus-case';
import { concurrencyCases } from './concurrency';
import { configCases } from './config';
import { connectCases } from './connect';
import { csvCases } from './csv';
import { exportCases } from './export';
import { importCases } from './import';
import { mappingCases } from './mapping';
import { stallCases } from './stall';
import { transformCases } from './transform';

/** Every corpus case, in stage order. A new file here needs one line below. */
export const ALL_CASES: CorpusCase[] = [...configCases, ...connectCases, ...mappingCases, ...exportCases, ...csvCases, ...transformCases, ...importCases, ...concurrencyCases, ...stallCases];
