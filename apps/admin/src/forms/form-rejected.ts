/**
 * A form that did not validate: the filter renders `view` again with the values the user typed
 * (`model`) and one message per field (`errors`), status 422.
 */
export class FormRejected extends Error {
  constructor(
    readonly view: string,
    readonly model: Record<string, unknown>,
    readonly errors: Record<string, string>,
  ) {
    super(`form refused: ${Object.keys(errors).join(', ')}`);
  }
}
