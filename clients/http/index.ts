// The HTTP client: SOAP-over-HTTP and plain loads with autocannon as the engine, and the HTTP probe.

export {
  type HttpLoad,
  type HttpLoadCallbacks,
  type HttpLoadRecorder,
  type HttpOp,
  type HttpTotals,
  startHttpLoad,
} from './engine.ts';
export { HttpClientError, HttpErrorCode, type HttpErrorCodeValue, type SpecProblem } from './errors.ts';
export { describeHttpFailure, type HttpFailure, type HttpFailureKind, type HttpStage } from './failure.ts';
export { type HttpProbeResult, PROBE_TIMEOUT_MS, probeHttp } from './probe.ts';
export {
  memoised,
  plainReplyCheck,
  type ReplyCheck,
  soapReplyCheck,
  type SoapExpectation,
} from './reply-check.ts';
export { DEFAULT_CONTRACT, type PreparedRequest, prepareRequest } from './request.ts';
export {
  checkLoadSpec,
  checkRequestSpec,
  HTTP_DEFAULTS,
  type HttpLoadSpec,
  type HttpModelSpec,
  type HttpRequestSpec,
  type OpenPool,
  type PlainRequestSpec,
  scheduleOf,
  type SoapCallSpec,
} from './spec.ts';
