/** Files per page of the list (the server page prefetches with the same input). */
export const FILES_PAGE_SIZE = 20;
