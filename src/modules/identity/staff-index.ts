// Staff accounts and roles (public surface).
export { type StaffInfo, StaffService } from './staff-service.js';
