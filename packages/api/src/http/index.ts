export { handleTrpcRequest, trpcEndpoint } from "./handler.ts";
export { startApiServer } from "./node-server.ts";
export { handleBaselineRequest } from "./baseline.ts";
