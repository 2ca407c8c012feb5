import { transferHandlers } from 'comlink';
import { LoupeError, type ErrorCode, type ErrorContext } from '../core/errors';

interface Serialised {
  isError: boolean;
  value: { name: string; message: string; code?: ErrorCode; context?: ErrorContext } | unknown;
}

/**
 * Comlink sends a thrown Error as name and message only; this keeps a LoupeError's code and
 * context, so the UI can show the message where the problem is. Install on both sides.
 */
export function installErrorTransfer(): void {
  const base = transferHandlers.get('throw')!;
  transferHandlers.set('throw', {
    canHandle: base.canHandle,
    serialize(value: unknown) {
      const v = (value as { value: unknown }).value;
      if (v instanceof LoupeError) {
        return [{ isError: true, value: { name: v.name, message: v.message, code: v.code, context: v.context } }, []];
      }
      return base.serialize(value);
    },
    deserialize(s: unknown) {
      const { isError, value } = s as Serialised;
      const v = value as { name?: string; message: string; code?: ErrorCode; context?: ErrorContext };
      if (isError && v?.name === 'LoupeError' && v.code) throw new LoupeError(v.code, v.message, v.context);
      return base.deserialize(s);
    },
  });
}
