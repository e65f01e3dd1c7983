import { createEmbeddedStore } from '../support/store.ts';
import { storeConformance } from './conformance.ts';

storeConformance('embedded PGlite', createEmbeddedStore);
