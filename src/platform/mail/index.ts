// Public surface of the mail module: the outbox (`services.mail.enqueue`) and its transports.

export { type MailErasureOptions, mailEraser } from './erasure.js';
export { MAIL_ERROR_CODES } from './errors.js';
export { type FeedbackListener, startFeedbackListener } from './feedback-listener.js';
export {
  MAIL_DELIVER_JOB,
  MAIL_UPKEEP_JOB,
  type MailMessage,
  MailService,
  type OutboxEntry,
  RECORDED_NOTICE_KEPT_DAYS,
} from './mail-service.js';
export { mailboxOf } from './mailbox.js';
export { mailMigrations } from './migrations/index.js';
export type { MailTables, OutboxStatus } from './tables.js';
export {
  fileTransport,
  type MailTransport,
  noTransport,
  type OutgoingMessage,
  type SentCopy,
  smtpTransport,
  transportFromConfig,
} from './transport.js';
