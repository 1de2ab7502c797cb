/** Deployments per page (the server page prefetches with the same input). */
export const DEPLOYMENTS_PAGE_SIZE = 20;
/** The prompts offered in the deployment form and named in the list: the 100 most recently changed. */
export const PROMPT_OPTIONS_INPUT = { page: 1, pageSize: 100 } as const;

/** The list's input: one page, of one prompt's deployments when `promptId` is given (server prefetch and browser alike). */
export function deploymentsListInput(page: number, promptId: string | undefined) {
  return { page, pageSize: DEPLOYMENTS_PAGE_SIZE, ...(promptId !== undefined ? { promptId } : {}) };
}
