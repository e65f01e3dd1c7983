import { createServerStore } from '../support/store.ts';
import { storeConformance } from './conformance.ts';

storeConformance('PostgreSQL server (local 127.0.0.1:5432)', createServerStore);
