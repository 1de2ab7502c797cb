export { benchBaselineEnabled } from "./baseline.ts";
export { handleTrpcRequest, trpcEndpoint } from "./handler.ts";
export { createNodeApiHandler, type NodeApiHandler, type NodeApiHandlerOptions } from "./node-handler.ts";
export { startApiServer } from "./node-server.ts";
export { callInProcess, cookieFrom, type InProcessCallOptions, type InProcessCallResult } from "./in-process-call.ts";
