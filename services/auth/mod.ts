// services/auth: svc.auth.* (register, login, resume, logout) and password hashing.
export { startAuthService, type AuthOptions } from './service.ts';
export { hashPassword, verifyPassword, tokenHash } from './passwords.ts';
