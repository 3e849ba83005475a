// Public surface of src/modules/cookie-consent.
export { ANALYTICS_CHANNEL, bannerConfig, bannerFirstLayer, GA_CHANNEL } from './banner-model.js';
export {
  CHOICE_SOURCES,
  CookieConsentService,
  grantKey,
  VISITOR_ID_PATTERN,
} from './cookie-consent-service.js';
export { COOKIE_CONSENT_ERROR_CODES } from './errors.js';
export { gppStringFor, isGppState, STATE_SECTIONS } from './gpp-states.js';
export { type OptOutInput, type OptOutResult, PrivacyChoicesService } from './privacy-choices.js';
