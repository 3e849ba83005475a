// Shopper accounts (P15): the public surface.
export { AccountService, type AccountView, accountKeyId, normaliseAccountEmail } from './account-service.js';
export { buildMyData, type MyDataReport, type MyDataSources } from './my-data.js';
