/** The one error shape of every route: `{ error: { code, message } }`, `code` stable for programs. */
export type ErrorBody = { error: { code: string; message: string } };

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
