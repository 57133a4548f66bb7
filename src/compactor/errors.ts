/**
 * Errors of the delete API, with the status and text Loki's compactor answers them with
 * (pkg/compactor/deletion/request_handler.go); the HTTP layer serves them as they are.
 */
export class DeleteRequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message)
    this.name = 'DeleteRequestError'
  }
}

/** Loki's deletionNotAvailableMsg (pkg/compactor/deletion/tenant_delete_requests_client.go). */
export const DELETION_NOT_AVAILABLE = 'deletion is not available for this tenant'
