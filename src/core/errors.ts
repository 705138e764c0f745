/**
 * The library's error classes. Every error it raises on purpose is one of these, with a stable
 * `code` a caller can switch on; messages name the argument, what was expected and what was given.
 */

export type LstmErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_SHAPE'
  | 'INVALID_PARAMETER'
  | 'NON_FINITE'
  | 'LIMIT_EXCEEDED'
  | 'BACKEND_UNAVAILABLE'
  | 'DISPOSED'
  | 'DEVICE_LOST'
  | 'GPU_ERROR';

export class LstmError extends Error {
  readonly code: LstmErrorCode;
  constructor(code: LstmErrorCode, message: string) {
    super(message);
    this.name = 'LstmError';
    this.code = code;
  }
}

/** A bad argument value or range (sizes, lengths, options). */
export function invalidArgument(message: string): LstmError {
  return new LstmError('INVALID_ARGUMENT', message);
}

/** A tensor whose shape or length does not match what the model declares. */
export function invalidShape(message: string): LstmError {
  return new LstmError('INVALID_SHAPE', message);
}

/** A model parameter that is missing, unknown or of the wrong shape. */
export function invalidParameter(message: string): LstmError {
  return new LstmError('INVALID_PARAMETER', message);
}

/**
 * A valid request that is larger than a limit: a device limit nothing can split around, or the
 * caller's memory budget. The same request may still run on the CPU, or under a larger budget.
 */
export function limitExceeded(message: string): LstmError {
  return new LstmError('LIMIT_EXCEEDED', message);
}
