import { handleTrpcRequest } from "@sigil/api/http";

// The API reads the tenant from the request's own Host header and URL (and x-tenant-id); the
// proxy does not run here (its matcher excludes /api).
const handler = (req: Request) => handleTrpcRequest(req);

export { handler as GET, handler as POST };
