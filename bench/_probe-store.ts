import { createServerStore } from '../test/support/store.ts';
const s = await createServerStore();
console.log(s.url);
await s.db.destroy();
