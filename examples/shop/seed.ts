// Creates and fills the example shop database:
//   node --import tsx examples/shop/seed.ts --url sqlite:./data/shop.sqlite [--reset]
//   node --import tsx examples/shop/seed.ts --url postgres://postgres@127.0.0.1:5432/shop
//   node --import tsx examples/shop/seed.ts --url mysql://root@127.0.0.1:3306/shop
// (the same as `npx vow datasets seed-example --url …`). The database itself must exist; a
// SQLite file is created.
import { seedExampleShop } from '../../src/modules/datasets/seed-example.js';

const args = process.argv.slice(2);
const i = args.indexOf('--url');
const url = i >= 0 ? args[i + 1] : undefined;
if (!url) {
  console.error('usage: seed.ts --url <sqlite:PATH | postgres://… | mysql://…> [--reset]');
  process.exit(2);
}
const where = await seedExampleShop(url, { reset: args.includes('--reset') });
console.log(`The example shop is ready at ${where}`);
