import { transferHandlers } from 'comlink';
import { LoupeError, type ErrorCode, type ErrorContext } from '../core/errors';
import type { LabelIssues } from './labelIssues';

interface Serialised {
  isError: boolean;
  value: { name: string; message: string; code?: ErrorCode; context?: ErrorContext } | unknown;
}

/**
 * Comlink sends a thrown Error as name and message only; this keeps a LoupeError's code and
 * context, so the UI can show the message where the problem is. Install on both sides.
 */
export function installErrorTransfer(): void {
  installQueueTransfer();
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

type Issue = LabelIssues['issues'][number];
interface QueueColumns {
  rest: Omit<LabelIssues, 'issues'>;
  names: string[];
  id: string[];
  row: Uint32Array;
  given: Uint32Array;
  suggested: Uint32Array;
  score: Float64Array;
}

/**
 * A review queue crosses between the workers and the page as columns: the structured clone of
 * hundreds of thousands of issue objects costs the page about a second, of columns a twentieth.
 */
function installQueueTransfer(): void {
  transferHandlers.set('label-issues', {
    canHandle: (v: unknown): v is LabelIssues =>
      !!v && typeof v === 'object' && Array.isArray((v as LabelIssues).issues) && 'per_class' in v && 'joint' in v,
    serialize(v: LabelIssues) {
      const { issues, ...rest } = v;
      const names: string[] = [];
      const at = new Map<string, number>();
      const code = (c: string) => at.get(c) ?? (at.set(c, names.length), names.push(c), names.length - 1);
      const n = issues.length;
      const cols: QueueColumns = {
        rest,
        names,
        id: new Array<string>(n),
        row: new Uint32Array(n),
        given: new Uint32Array(n),
        suggested: new Uint32Array(n),
        score: new Float64Array(n),
      };
      issues.forEach((q, i) => {
        cols.id[i] = q.id;
        cols.row[i] = q.row;
        cols.given[i] = code(q.given);
        cols.suggested[i] = code(q.suggested);
        cols.score[i] = q.score;
      });
      return [cols, [cols.row.buffer, cols.given.buffer, cols.suggested.buffer, cols.score.buffer]];
    },
    deserialize(s: unknown) {
      const c = s as QueueColumns;
      const issues: Issue[] = new Array(c.row.length);
      for (let i = 0; i < issues.length; i++)
        issues[i] = {
          id: c.id[i],
          row: c.row[i],
          given: c.names[c.given[i]],
          suggested: c.names[c.suggested[i]],
          score: c.score[i],
        };
      return { ...c.rest, issues };
    },
  });
}
