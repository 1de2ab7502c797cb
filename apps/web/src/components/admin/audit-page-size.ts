/** Entries per page of the admin audit log (the server page prefetches with it: not in a "use client" module). */
export const AUDIT_PAGE_SIZE = 20;
