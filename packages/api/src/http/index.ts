export { handleTrpcRequest, trpcEndpoint } from "./handler.ts";
export { startApiServer } from "./node-server.ts";
export { handleBaselineRequest } from "./baseline.ts";
export { callInProcess, cookieFrom, type InProcessCallOptions, type InProcessCallResult } from "./in-process-call.ts";
