// Public surface of the decisions module.
export {
  assertKnown,
  type ChannelState,
  channelsThatDecide,
  type Decision,
  type DecisionRequest,
  decide,
  type Reason,
  type ReasonCode,
  type SubjectState,
} from './decide.js';
export {
  type DecisionInput,
  DecisionService,
  type SubjectRef,
  type SubjectStateProvider,
} from './decision-service.js';
