export { classifyAddress, type AddressVerdict } from "./addresses.ts";
export { canonicalHost, isAllowListed, OUTBOUND_ALLOW_VARIABLE, parseOutboundAllow, type OutboundAllowEntry } from "./allow-list.ts";
export {
  outboundRequest,
  OutboundUnreachableError,
  refusedLiteralReason,
  type OutboundPolicy,
  type OutboundRequestInit,
  type OutboundResolver,
  type OutboundResponse,
} from "./request.ts";
